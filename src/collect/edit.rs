//! Changing values in the registry's text at their nodes: a scalar is replaced in the
//! style it was written in (plain, quoted, block), a missing key is added to its
//! mapping at the mapping's indentation (or inside its braces); nothing else moves.

use yaml_rust2::scanner::TScalarStyle;

use super::spans::{line_indent, Node, Spans};
use crate::import::{quoted, scalar};

/// One text edit: replace `start..end` with `text`.
#[derive(Debug, Clone)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Applies edits (non-overlapping) from the end backwards. Insertions at one place
/// come out in the order given (the later one is applied first, so it ends up after).
pub fn apply(text: &str, edits: Vec<Edit>) -> String {
    let mut edits: Vec<(usize, Edit)> = edits.into_iter().enumerate().collect();
    edits.sort_by_key(|(i, e)| std::cmp::Reverse((e.start, *i)));
    let mut out = text.to_string();
    for (_, e) in edits {
        out.replace_range(e.start..e.end, &e.text);
    }
    out
}

/// A value as YAML for a number or a word the registry reads as such.
pub fn number_text(value: &str) -> String {
    value.to_string()
}

/// Replaces the scalar at `path` with `value`, keeping its style where it can.
/// `number`: the value is a number and is written plain.
pub fn replace(text: &str, spans: &Spans, path: &str, value: &str, number: bool) -> Option<Edit> {
    let Node::Scalar {
        start,
        end,
        style,
        flow,
    } = spans.get(path)?.clone()
    else {
        return None;
    };
    let new = if number {
        number_text(value)
    } else {
        render(text, start, style, flow, value)
    };
    Some(Edit {
        start,
        end,
        text: new,
    })
}

fn render(text: &str, start: usize, style: TScalarStyle, flow: bool, value: &str) -> String {
    let single_ok = !value.chars().any(|c| c.is_control()) && !value.is_empty();
    match style {
        TScalarStyle::SingleQuoted if single_ok => format!("'{}'", value.replace('\'', "''")),
        TScalarStyle::DoubleQuoted => quoted(value),
        TScalarStyle::Literal | TScalarStyle::Folded | TScalarStyle::Plain
            if !flow && value.contains('\n') =>
        {
            block(text, start, value).unwrap_or_else(|| quoted(value))
        }
        TScalarStyle::Literal | TScalarStyle::Folded if !flow && !value.is_empty() => {
            block(text, start, value).unwrap_or_else(|| scalar(value, flow))
        }
        _ => scalar(value, flow),
    }
}

/// A literal block scalar for `value`, indented like the block it replaces (or two
/// spaces past its key); `None` when a block cannot hold the value exactly.
fn block(text: &str, start: usize, value: &str) -> Option<String> {
    if value.starts_with([' ', '\t'])
        || value.ends_with('\n')
        || value.contains('\r')
        || value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return None;
    }
    let (key_indent, _) = line_indent(text, start);
    // The old block's content indentation, when it was a block.
    let after = text[start..].find('\n').map(|i| start + i + 1);
    let content_indent = after
        .and_then(|ls| {
            let line = text[ls..].lines().next()?;
            let n = line.bytes().take_while(|&b| b == b' ').count();
            (n > key_indent && !line.trim().is_empty()).then_some(n)
        })
        .filter(|_| matches!(text.as_bytes().get(start), Some(b'|' | b'>')))
        .unwrap_or(key_indent + 2);
    let pad = " ".repeat(content_indent);
    let mut out = String::from("|-");
    for line in value.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// Adds `key: value` (value already YAML) to the mapping at `path`.
pub fn insert(text: &str, spans: &Spans, path: &str, key: &str, value: &str) -> Option<Edit> {
    let Node::Mapping {
        start,
        flow,
        first_key,
        ..
    } = spans.get(path)?.clone()
    else {
        return None;
    };
    let key = scalar(key, flow);
    if flow {
        let close = matching_brace(text, start)?;
        let inner = text[start + 1..close].trim();
        let sep = if inner.is_empty() { "" } else { ", " };
        // Before the spaces that precede `}`.
        let at = start + 1 + text[start + 1..close].trim_end().len();
        return Some(Edit {
            start: at,
            end: at,
            text: format!("{sep}{key}: {value}"),
        });
    }
    let first = first_key?;
    let (_, line_start) = line_indent(text, first);
    let column = text[line_start..first].chars().count();
    // The mapping runs while lines are blank or indented at least to its keys.
    let mut end = text[first..].find('\n').map_or(text.len(), |i| first + i);
    let mut pos = end;
    while pos < text.len() {
        let ls = pos + 1;
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        let line = &text[ls..le];
        let indent = line.chars().take_while(|&c| c == ' ').count();
        if line.trim().is_empty() {
            pos = le;
            continue;
        }
        if indent < column {
            break;
        }
        end = le;
        pos = le;
    }
    let pad = " ".repeat(column);
    Some(Edit {
        start: end,
        end,
        text: format!("\n{pad}{key}: {value}"),
    })
}

/// The `}` closing the flow mapping opened at `open`, skipping quoted text and nesting.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\'' => {
                i += 1;
                while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                    i += if b[i] == b'\'' { 2 } else { 1 };
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# 台帳\np:\n  status: 実施中   # 確認済\n  name: 'A''B'\n  summary: |-\n      一行\n      二行\n  budget:\n    2025: {甲市: 100}\nq: {a: 1}\n";

    fn edit(path: &str, value: &str) -> String {
        let spans = Spans::of(DOC).unwrap();
        apply(DOC, vec![replace(DOC, &spans, path, value, false).unwrap()])
    }

    #[test]
    fn values_are_replaced_in_their_style_and_nothing_else_moves() {
        assert_eq!(
            edit("p.status", "準備中"),
            DOC.replace("status: 実施中", "status: 準備中")
        );
        assert_eq!(edit("p.name", "C'D"), DOC.replace("'A''B'", "'C''D'"));
        assert_eq!(
            edit("p.summary", "新しい\n概要"),
            DOC.replace("      一行\n      二行", "      新しい\n      概要")
        );
        assert_eq!(
            edit("p.status", "yes"),
            DOC.replace("status: 実施中", "status: \"yes\"")
        );
    }

    #[test]
    fn keys_are_added_at_their_mapping() {
        let spans = Spans::of(DOC).unwrap();
        let e = insert(DOC, &spans, "p", "grade", "A").unwrap();
        let out = apply(DOC, vec![e]);
        assert!(
            out.contains("    2025: {甲市: 100}\n  grade: A\nq:"),
            "{out}"
        );
        let e = insert(DOC, &spans, "p.budget.2025", "乙町", "5").unwrap();
        let out = apply(DOC, vec![e]);
        assert!(out.contains("2025: {甲市: 100, 乙町: 5}"), "{out}");
        let v: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
        assert_eq!(v["p"]["budget"][2025]["乙町"].as_u64(), Some(5));
    }
}
