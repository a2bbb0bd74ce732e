//! A registry written as YAML text in the shape of data/registry.yaml: block mappings,
//! town lists in flow style, plain scalars where YAML reads them back unchanged,
//! double quotes elsewhere, block scalars (`|-`) for summaries with line breaks.

use std::fmt::Write;

/// A scalar YAML reads back as exactly `text` (a string, never a number or boolean).
/// `flow`: inside `[ … ]`, where `,[]{}` end a plain scalar.
pub fn scalar(text: &str, flow: bool) -> String {
    if plain_ok(text, flow) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A double-quoted scalar.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || ('\u{2028}'..='\u{2029}').contains(&c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn plain_ok(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text
        || text
            .chars()
            .any(|c| c.is_control() || c == '\u{feff}' || ('\u{2028}'..='\u{2029}').contains(&c))
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || (flow && text.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    // Anything YAML 1.1 or 1.2 might read as a number, date, boolean or null.
    if first.is_ascii_digit() || matches!(first, '+' | '.' | '~') {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

/// `key: value` at `indent`, the value as a block scalar when it has line breaks
/// (and can be one: no trailing line break, no leading space).
pub fn field(out: &mut String, indent: usize, key: &str, value: &str) {
    let pad = " ".repeat(indent);
    let block_ok = value.contains('\n')
        && !value.ends_with('\n')
        && !value.starts_with([' ', '\t'])
        && !value.contains('\r')
        && !value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' || c == '\u{feff}');
    if block_ok {
        let _ = writeln!(out, "{pad}{key}: |-");
        // Content is indented past the key's column (after `- ` in a list item).
        let content = " ".repeat(indent + if key.starts_with("- ") { 4 } else { 2 });
        for line in value.split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{content}{line}");
            }
        }
    } else {
        let _ = writeln!(out, "{pad}{key}: {}", scalar(value, false));
    }
}

/// `[a, b, c]` with each item quoted as needed.
pub fn flow_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(|t| scalar(t, true)).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_back(text: &str) {
        let mut yaml = String::new();
        field(&mut yaml, 0, "v", text);
        let mut item = String::from("l2:\n");
        field(&mut item, 2, "- name", text);
        let v: serde_yaml::Value =
            serde_yaml::from_str(&item).unwrap_or_else(|e| panic!("{item}: {e}"));
        assert_eq!(v["l2"][0]["name"].as_str(), Some(text), "{item}");
        yaml += &format!("l: {}\n", flow_list([text]));
        let v: serde_yaml::Value =
            serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
        assert_eq!(v["v"].as_str(), Some(text), "{yaml}");
        assert_eq!(v["l"][0].as_str(), Some(text), "{yaml}");
    }

    #[test]
    fn every_kind_of_text_reads_back_as_itself() {
        for t in [
            "実施中",
            "no",
            "Yes",
            "123",
            "1.5",
            "2011-11-01",
            "- 箇条",
            "a: b",
            "a #b",
            "[x]",
            "a,b",
            " 前に空白",
            "後に空白 ",
            "改行\nあり",
            "改行\n\n二つ",
            "末尾改行\n",
            "\"引用\"",
            "'単'",
            "タブ\tあり",
            "~",
            "*別名",
            "&錨",
            "!タグ",
            "%",
            "@",
            "`",
            "null",
            "",
            "\\",
            "制御\u{1}",
        ] {
            reads_back(t);
        }
    }
}
