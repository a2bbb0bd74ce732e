//! The registry's text: read from the file and checked as a whole before parsing
//! (size, UTF-8, control characters, NFC, not blank). The control-character and NFC
//! checks read every character of the file, a tenth of the time to read a
//! 10,000-project registry: for a large one they run on two threads.

use std::path::Path;

use unicode_normalization::{is_nfc_quick, IsNormalized};

use crate::error::{Error, Location, Problem, Result};
use crate::i18n::Text;
use crate::tr;

/// Reads a UTF-8 text file of at most `limit` bytes, without a byte order mark.
///
/// # Errors
/// [`Error::Io`] when unreadable, [`Error::Invalid`] when too large, empty or not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let fail = |message: Text, location: Location, help: Text| {
        Error::invalid(path, vec![Problem::new(location, message).with_help(help)])
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    // A FIFO would block, /dev/zero or an endless pipe would never end: only regular
    // files are read, and never more than `limit` + 1 bytes of them (a file may grow
    // between the size check and the read).
    if !meta.is_file() {
        return Err(fail(
            tr!(
                "is not a regular file (a pipe, device or folder)",
                "通常のファイルではありません（パイプ、デバイス、フォルダー）"
            ),
            Location::default(),
            tr!(
                "save the registry to a file and give its name",
                "台帳をファイルに保存して、そのファイル名を指定してください"
            ),
        ));
    }
    let size = meta.len();
    if size > limit {
        return Err(fail(
            tr!(
                "the file is {size} bytes; the limit is {limit}",
                "ファイルが {size} バイトあります。上限は {limit} バイトです"
            ),
            Location::default(),
            tr!(
                "is this the right file? Registries are a few kilobytes of YAML",
                "正しいファイルですか？ 台帳は数キロバイトの YAML です"
            ),
        ));
    }
    // Room for the whole file and the byte that tells it grew: no doubling on the way.
    let mut bytes = Vec::with_capacity(usize::try_from(size).map_or(0, |s| s + 1));
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, limit + 1), &mut bytes)
        })
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        let size = bytes.len();
        return Err(fail(
            tr!(
                "the file is more than {limit} bytes (it grew while being read)",
                "ファイルが {limit} バイトを超えています（読んでいる間に大きくなりました）"
            ),
            Location::default(),
            tr!(
                "is this the right file? Registries are a few kilobytes of YAML ({size} bytes read)",
                "正しいファイルですか？ 台帳は数キロバイトの YAML です（{size} バイト読みました）"
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or_default();
        fail(
            tr!(
                "the file is not UTF-8 text",
                "ファイルが UTF-8 のテキストではありません"
            ),
            position_of(good, good.len()),
            tr!(
                "save the file as UTF-8 (in Excel or Notepad: 「UTF-8」, not Shift_JIS)",
                "UTF-8 で保存し直してください（Excel やメモ帳で Shift_JIS ではなく「UTF-8」を選びます）"
            ),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let scan = scan(&text);
    // Control characters YAML refuses, reported where they are (the parser's own
    // message points at the start of the scalar, or at 1:1), looked for only when the
    // scan found one.
    let bad: Vec<Problem> = (if scan.control { text.as_str() } else { "" })
        .char_indices()
        .filter(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .map(|(at, c)| {
            let code = c as u32;
            Problem::new(
                position_of(&text, at),
                tr!(
                    "control character U+{code:04X} in the text",
                    "制御文字 U+{code:04X} が含まれています"
                ),
            )
            .with_help(tr!(
                "delete it (it prints as nothing or an empty box); for a line break inside a summary use a block scalar (summary: |)",
                "削除してください（印刷されないか空の四角になります）。事業概要の中の改行はブロック形式（summary: |）で書きます"
            ))
        })
        .collect();
    if !bad.is_empty() {
        return Err(Error::invalid(path, bad));
    }
    // Names that differ only by Unicode normalisation (が as か + ゛) are one name to
    // a reader: the registry is read in NFC, so they are one name to shiryo too.
    let text = if scan.nfc {
        text
    } else {
        unicode_normalization::UnicodeNormalization::nfc(text.as_str()).collect()
    };
    let blank = text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    });
    if blank {
        return Err(fail(
            tr!(
                "the file is empty (nothing but blank lines and comments)",
                "ファイルが空です（空行とコメントしかありません）"
            ),
            Location::default(),
            tr!(
                "a registry needs at least title, label, towns and areas",
                "台帳には少なくとも title、label、towns、areas が必要です"
            ),
        ));
    }
    Ok(text)
}

/// One-based line and column (in characters) of byte offset `at` in `text`.
fn position_of(text: &str, at: usize) -> Location {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Location::new(line, column)
}

/// Below this size the text is checked on one thread.
const MIN_SPLIT_BYTES: usize = 256 * 1024;

/// What the checks found.
#[derive(Debug, PartialEq)]
struct Scan {
    /// A control character YAML refuses (other than tab, line feed and carriage return).
    pub control: bool,
    /// The text is certainly in NFC (unicode-normalization's quick check says yes).
    pub nfc: bool,
}

fn scan(text: &str) -> Scan {
    // Cut after a line feed: a starter with nothing to reorder, so the quick check of
    // the two halves is that of the whole (its only state is the previous character's
    // combining class, 0 after a line feed).
    let cut = (text.len() >= MIN_SPLIT_BYTES)
        .then(|| memchr::memchr(b'\n', &text.as_bytes()[text.len() / 2..]))
        .flatten()
        .map(|i| text.len() / 2 + i + 1);
    let Some(cut) = cut else {
        return scan_part(text);
    };
    let (first, second) = text.split_at(cut);
    let (a, b) = std::thread::scope(|s| {
        let b = s.spawn(|| scan_part(second));
        let a = scan_part(first);
        (a, b.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    Scan {
        control: a.control || b.control,
        nfc: a.nfc && b.nfc,
    }
}

fn scan_part(text: &str) -> Scan {
    Scan {
        control: has_control(text.as_bytes()),
        nfc: nfc_quick(text),
    }
}

/// Characters unicode-normalization's quick check passes as it passes ASCII: starters
/// (combining class 0) that NFC keeps. A registry is mostly these (kana, kanji and
/// the full-width forms); the rest goes to the quick check in runs. A test reads
/// every one of them from the library's tables.
fn plain_starter(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7f}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309b}'..='\u{30ff}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff01}'..='\u{ff5e}')
}

/// Whether the quick check says `text` is in NFC. Its only state is the previous
/// character's combining class, 0 after a [`plain_starter`]: the runs between them
/// can be checked each alone.
fn nfc_quick(text: &str) -> bool {
    let mut run = None;
    for (at, c) in text.char_indices() {
        match (plain_starter(c), run) {
            (false, None) => run = Some(at),
            (true, Some(from)) => {
                if is_nfc_quick(text[from..at].chars()) != IsNormalized::Yes {
                    return false;
                }
                run = None;
            }
            _ => {}
        }
    }
    run.is_none_or(|from| is_nfc_quick(text[from..].chars()) == IsNormalized::Yes)
}

/// Whether `char::is_control` holds for a character other than tab, line feed and
/// carriage return, read from the UTF-8 bytes: U+0000–U+001F and U+007F are single
/// bytes, U+0080–U+009F are 0xC2 followed by 0x80–0x9F.
fn has_control(bytes: &[u8]) -> bool {
    // Whole chunks without a branch per byte, which the compiler vectorises.
    let c0 = bytes.chunks(256).any(|chunk| {
        chunk.iter().fold(false, |bad, &b| {
            bad | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7f)
        })
    });
    c0 || memchr::memchr_iter(0xc2, bytes).any(|i| matches!(bytes.get(i + 1), Some(0x80..=0x9f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_those_of_char_is_control() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let expected = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
            assert_eq!(has_control(text.as_bytes()), expected, "{:04X}", c as u32);
        }
    }

    #[test]
    fn plain_starters_pass_the_quick_check_as_ascii_does() {
        use unicode_normalization::char::canonical_combining_class;
        let mut plain = 0;
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| plain_starter(c))
        {
            assert_eq!(canonical_combining_class(c), 0, "{:04X}", c as u32);
            let alone = is_nfc_quick(std::iter::once(c));
            assert_eq!(alone, IsNormalized::Yes, "{:04X}", c as u32);
            plain += 1;
        }
        assert!(plain > 21_000, "{plain}");
        // Runs between them are checked as in the whole text.
        for text in [
            "か\u{3099}",
            "a\u{301}\u{316}b",
            "\u{301}",
            "e\u{301}",
            "\u{212b}x",
            "漢字",
        ] {
            let whole = is_nfc_quick(text.chars()) == IsNormalized::Yes;
            assert_eq!(nfc_quick(text), whole, "{text:?}");
        }
    }

    #[test]
    fn two_halves_check_as_the_whole() {
        let seed = include_str!("../../data/registry.yaml");
        let line = "か\u{3099}\n";
        let long = seed.repeat(MIN_SPLIT_BYTES / seed.len() + 1);
        for text in [
            long.clone(),
            format!("{long}{line}"),
            format!("{line}{long}"),
            format!("{long}\u{7}"),
            format!("\u{85}{long}"),
            // An accent after an accent of a higher class: not NFC, at the cut.
            format!(
                "{}\u{301}\u{316}\n{}",
                &long[..long.len() / 2],
                &long[long.len() / 2..]
            ),
        ] {
            let whole = scan_part(&text);
            assert_eq!(scan(&text), whole);
        }
        assert!(scan(&long).nfc && !scan(&long).control);
        assert!(!scan(&format!("{long}{line}")).nfc);
        assert!(scan(&format!("\u{85}{long}")).control);
    }
}
