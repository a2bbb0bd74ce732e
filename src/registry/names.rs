//! Names that become file and sheet names, and "did you mean" suggestions.

use super::findings::Findings;
use super::validate::MAX_NAME_CHARS;
use crate::i18n::Text;
use crate::tr;

/// Refuses names that cannot be a file name in `towns/` and a sheet name at once,
/// rather than silently renaming: the user sees exactly which name to change.
pub(super) fn check_name(found: &mut Findings, path: &str, what: &Text, name: &str) {
    if let Err(reason) = is_safe_name(name) {
        let (what_en, what_ja, en, ja) = (&what.en, &what.ja, &reason.en, &reason.ja);
        found.add(
            path,
            tr!("{what_en} {name:?} {en}", "{what_ja} {name:?} は{ja}"),
            Some(tr!(
                "names become sheet names and file names: use the plain name (e.g. 旭川市)",
                "名前はシート名とファイル名になります。記号のない名前にしてください（例: 旭川市）"
            )),
        );
    }
}

/// Whether `name` can name a file in one folder and an Excel sheet, and why not.
///
/// ```
/// assert!(shiryo::registry::is_safe_name("東神楽町").is_ok());
/// assert!(shiryo::registry::is_safe_name("../x").is_err());
/// assert!(shiryo::registry::is_safe_name("[資料]").is_err());
/// ```
pub fn is_safe_name(name: &str) -> std::result::Result<(), Text> {
    const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|', '[', ']'];
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || c.is_control() || is_invisible(*c))
    {
        return Err(tr!(
            "contains {c:?}, which file and sheet names cannot hold",
            "ファイル名やシート名に使えない {c:?} を含んでいます"
        ));
    }
    if name.starts_with('.') || name.starts_with('\'') || name.ends_with('\'') {
        return Err(tr!(
            "starts with a dot or begins or ends with an apostrophe",
            "点で始まるか、アポストロフィで始まるか終わっています"
        ));
    }
    if name != name.trim() {
        return Err(tr!(
            "begins or ends with a space",
            "空白で始まるか終わっています"
        ));
    }
    // Windows reserves these device names with any extension (`CON.pdf` cannot be
    // created there), and drops a trailing dot.
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end()
        .to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem[3..].chars().all(|c| ('1'..='9').contains(&c)));
    if reserved {
        return Err(tr!(
            "is a device name Windows reserves (CON, PRN, AUX, NUL, COM1–9, LPT1–9)",
            "Windows が予約している装置名です（CON、PRN、AUX、NUL、COM1〜9、LPT1〜9）"
        ));
    }
    if name.ends_with('.') {
        return Err(tr!(
            "ends with a dot, which Windows removes from file names",
            "点で終わっています。Windows はファイル名の末尾の点を取り除きます"
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(tr!(
            "is {chars} characters long; Excel sheet names hold at most {MAX_NAME_CHARS}",
            "長さが {chars} 文字です。Excel のシート名は {MAX_NAME_CHARS} 文字までです"
        ));
    }
    Ok(())
}

/// The candidate closest to `word`, if close enough to be what was meant.
///
/// ```
/// let towns = ["旭川市", "鷹栖町", "東神楽町"];
/// assert_eq!(shiryo::registry::suggest("旭川", towns), Some("旭川市"));
/// assert_eq!(shiryo::registry::suggest("札幌市", towns), None);
/// ```
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // Ｂ for B, ａ for A: the same letter typed with a Japanese input method.
    let folded = fold_width(word);
    if let Some(same) = candidates.iter().find(|c| fold_width(c) == folded) {
        return Some(same);
    }
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|&(d, c)| {
            let longest = len.max(c.chars().count());
            // One letter for another (D for A) is no sign of what was meant.
            (d <= (longest / 2).max(1) && d < longest)
                || (!word.is_empty() && (c.contains(word) || word.contains(c)))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Full-width ASCII (Ｂ, １) as half-width, lower case.
fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters that print as nothing: two names differing only by one look identical
/// (zero-width spaces and joiners, word joiner, soft hyphen, byte order mark,
/// variation selectors).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::validate::DEFAULT_STATUSES;

    #[test]
    fn unsafe_names_are_refused() {
        for bad in [
            "../x",
            "a/b",
            "[資料]",
            "*",
            ".",
            "..",
            " 旭川市",
            "a\tb",
            "'x'",
        ] {
            assert!(is_safe_name(bad).is_err(), "{bad:?}");
        }
        for reserved in [
            "CON",
            "nul",
            "Com1",
            "LPT9",
            "aux.txt",
            "旭川市.",
            "旭川\u{200B}市",
        ] {
            assert!(is_safe_name(reserved).is_err(), "{reserved:?}");
        }
        for fine in ["COM", "COM10", "CONSOLE", "旭川市"] {
            assert!(is_safe_name(fine).is_ok(), "{fine:?}");
        }
        assert!(is_safe_name(&"町".repeat(32)).is_err());
        assert!(is_safe_name(&"町".repeat(31)).is_ok());
    }

    #[test]
    fn suggestions_need_a_close_name() {
        let statuses = DEFAULT_STATUSES;
        assert_eq!(suggest("実施", statuses), Some("実施中"));
        assert_eq!(suggest("一部実施", statuses), Some("一部実施中"));
        assert_eq!(suggest("完了", statuses), None);
        assert_eq!(suggest("Ｂ", ["A", "B", "C"]), Some("B"));
        assert_eq!(suggest("b", ["A", "B", "C"]), Some("B"));
        assert_eq!(suggest("D", ["A", "B", "C"]), None);
    }
}
