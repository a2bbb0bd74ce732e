//! Japanese line breaking (JIS X 4051 禁則処理) for table cells.
//!
//! Greedy filling with 追い出し (pushing the offending character to the next line):
//! a line breaks at the last opportunity that fits, where an opportunity is any gap
//! between characters except
//! - before a character that may not start a line (`、。」）ー々` and small kana …),
//! - after a character that may not end a line (`「（【` …),
//! - inside a run of Latin letters, digits and ASCII marks (`H24.`, `NPO`, `HP`),
//! - in a list of names (関係市町), anywhere but after the separator `、`.
//!
//! Only a run wider than the whole line is cut, as a typesetter would, at the last
//! gap that still honours the kinsoku rules.

use super::font::Measure;

/// May not begin a line (JIS X 4051 行頭禁則), with their half-width cousins.
pub const NO_LINE_START: &str =
    "、。，．・：；？！ー」』）］｝〕〉》】々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.:;?!)]}";
/// May not end a line (行末禁則).
pub const NO_LINE_END: &str = "「『（［｛〔〈《【([{";

/// How a cell's text may be broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakRule {
    /// Running Japanese text: break between any two characters the rules allow.
    Prose,
    /// Names joined by `sep` (関係市町): break only after a separator, so that no
    /// name is split; a name longer than a line falls back to prose rules.
    List { sep: char },
}

/// In [`NO_LINE_START`] (a `match`, as this runs for every character laid out).
fn no_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | 'ー'
            | '」'
            | '』'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '】'
            | '々'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | ','
            | '.'
            | ':'
            | ';'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// In [`NO_LINE_END`].
fn no_end(c: char) -> bool {
    matches!(
        c,
        '「' | '『' | '（' | '［' | '｛' | '〔' | '〈' | '《' | '【' | '(' | '[' | '{'
    )
}

/// Part of a Latin run that must stay whole.
fn latin(c: char) -> bool {
    c.is_ascii_graphic()
}

fn space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

/// Whether the kinsoku rules allow a break between `a` and `b`.
fn kinsoku_allows(a: char, b: char) -> bool {
    !no_start(b) && !no_end(a) && !space(b)
}

/// Breaks `text` into lines no wider than `width` em (as measured by `m`).
/// `\n` in the text is a forced break; spaces at a break are dropped. Words in `keep`
/// (the member towns' names, which also occur in summaries) are never split.
///
/// ```
/// use shiryo::layout::{break_lines, BreakRule, Measure};
/// struct Fixed;
/// impl Measure for Fixed { fn advance(&self, c: char) -> f32 { if c.is_ascii() { 0.5 } else { 1.0 } } }
/// let lines = break_lines("圏域内の図書館の相互利用を促進する。", 8.0, &Fixed, BreakRule::Prose, &[]);
/// assert_eq!(lines, ["圏域内の図書館の", "相互利用を促進す", "る。"]);
/// let lines = break_lines("実施する旭川市にある", 6.0, &Fixed, BreakRule::Prose, &["旭川市".into()]);
/// assert_eq!(lines, ["実施する", "旭川市にある"]);
/// ```
pub fn break_lines(
    text: &str,
    width: f32,
    m: &impl Measure,
    rule: BreakRule,
    keep: &[String],
) -> Vec<String> {
    let mut lines = Vec::new();
    each_line(text, width, m, rule, keep, &mut |line| {
        lines.push(line.iter().collect())
    });
    lines
}

/// How many lines [`break_lines`] would make, without building them.
pub fn count_lines(
    text: &str,
    width: f32,
    m: &impl Measure,
    rule: BreakRule,
    keep: &[String],
) -> usize {
    let mut count = 0;
    each_line(text, width, m, rule, keep, &mut |_| count += 1);
    count
}

/// Calls `emit` with each line of `text`, paragraph by paragraph (`\n` or `\r\n`).
fn each_line(
    text: &str,
    width: f32,
    m: &impl Measure,
    rule: BreakRule,
    keep: &[String],
    emit: &mut impl FnMut(&[char]),
) {
    for paragraph in text.split('\n') {
        let paragraph = paragraph.strip_suffix('\r').unwrap_or(paragraph);
        break_paragraph(paragraph, width, m, rule, keep, emit);
    }
}

fn break_paragraph(
    text: &str,
    width: f32,
    m: &impl Measure,
    rule: BreakRule,
    keep: &[String],
    emit: &mut impl FnMut(&[char]),
) {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        emit(&[]);
        return;
    }
    let advances: Vec<f32> = chars.iter().map(|&c| m.advance(c)).collect();
    // allowed[i]: a break may fall between chars[i - 1] and chars[i].
    let mut allowed: Vec<bool> = (0..chars.len())
        .map(|i| i > 0 && break_allowed(&chars, i, rule))
        .collect();
    for word in keep {
        let mut word_chars = word.chars();
        let Some(first) = word_chars.next() else {
            continue;
        };
        let len = 1 + word_chars.count();
        for i in 0..chars.len() {
            if chars[i] == first && chars[i..].iter().copied().take(len).eq(word.chars()) {
                allowed[i + 1..i + len].iter_mut().for_each(|a| *a = false);
            }
        }
    }

    let mut start = 0;
    while start < chars.len() {
        // The first char that no longer fits.
        let mut used = 0.0;
        let mut end = start;
        while end < chars.len() && (end == start || used + advances[end] <= width + 1e-4) {
            used += advances[end];
            end += 1;
        }
        let cut = if end == chars.len() {
            end
        } else if space(chars[end]) {
            // A space that overflows ends the line and is dropped.
            end
        } else {
            choose_break(&chars, &allowed, start, end)
        };
        let mut line = &chars[start..cut];
        while let [rest @ .., last] = line {
            if !space(*last) {
                break;
            }
            line = rest;
        }
        emit(line);
        start = cut;
        while start < chars.len() && space(chars[start]) {
            start += 1;
        }
    }
}

/// Closing marks that may hang past the end of a line (ぶら下げ) when a line has no
/// other way to obey the rules.
const MAX_HANGING: usize = 2;

/// The break for a line that runs from `start` and overflows at `end`.
fn choose_break(chars: &[char], allowed: &[bool], start: usize, end: usize) -> usize {
    if let Some(b) = (start + 1..=end).rev().find(|&i| allowed[i]) {
        return b;
    }
    // A run longer than the line: cut it, still keeping kinsoku where possible…
    if let Some(b) = (start + 1..=end)
        .rev()
        .find(|&i| kinsoku_allows(chars[i - 1], chars[i]))
    {
        return b;
    }
    // …or let a few closing marks hang past the edge rather than start a line.
    (end..=chars.len().min(end + MAX_HANGING))
        .find(|&i| chars[i..].iter().take(1).all(|&c| !no_start(c)))
        .unwrap_or(end)
}

fn break_allowed(chars: &[char], i: usize, rule: BreakRule) -> bool {
    let (a, b) = (chars[i - 1], chars[i]);
    if space(a) && !space(b) {
        return true;
    }
    match rule {
        BreakRule::List { sep } => a == sep,
        BreakRule::Prose => kinsoku_allows(a, b) && !(latin(a) && latin(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Full-width for everything but ASCII, like BIZ UDGothic.
    struct Fixed;
    impl Measure for Fixed {
        fn advance(&self, c: char) -> f32 {
            if c.is_ascii() {
                0.5
            } else {
                1.0
            }
        }
    }

    fn prose(text: &str, width: f32) -> Vec<String> {
        break_lines(text, width, &Fixed, BreakRule::Prose, &[])
    }

    /// Every line of every width obeys the rules.
    fn assert_kinsoku(lines: &[String]) {
        for l in lines {
            let (first, last) = (l.chars().next(), l.chars().last());
            assert!(
                !first.is_some_and(no_start),
                "line starts badly: {l:?} in {lines:?}"
            );
            assert!(
                !last.is_some_and(no_end),
                "line ends badly: {l:?} in {lines:?}"
            );
        }
    }

    #[test]
    fn the_rule_tables_match_the_documented_lists() {
        for c in NO_LINE_START.chars() {
            assert!(no_start(c), "{c}");
        }
        for c in NO_LINE_END.chars() {
            assert!(no_end(c), "{c}");
        }
        for c in "あ漢A1「（".chars() {
            assert!(!no_start(c), "{c}");
        }
        for c in "あ漢A1」）".chars() {
            assert!(!no_end(c), "{c}");
        }
    }

    #[test]
    fn closing_marks_never_start_a_line() {
        // 、 would start line 2 at width 4: 追い出し moves を down with it.
        assert_eq!(prose("負担金を、支出。", 4.0), ["負担金", "を、支", "出。"]);
        assert_eq!(prose("あいう。", 3.0), ["あい", "う。"]);
        assert_eq!(prose("です」と", 2.0), ["で", "す」", "と"]);
    }

    #[test]
    fn opening_brackets_never_end_a_line() {
        assert_eq!(prose("あい「大雪」", 3.0), ["あい", "「大", "雪」"]);
        assert_eq!(
            prose("発信。（「大雪みどころ", 4.0),
            ["発信。", "（「大雪", "みどころ"]
        );
    }

    #[test]
    fn latin_runs_stay_whole() {
        assert_eq!(
            prose("作業H24. 1月を目途", 4.0),
            ["作業H24.", "1月を目", "途"]
        );
        assert_eq!(prose("作業をH24. 1月", 4.0), ["作業を", "H24. 1月"]);
        let lines = prose("（NPO法人に事業を委託）", 3.0);
        assert!(lines.iter().any(|l| l.contains("NPO")), "{lines:?}");
        assert_kinsoku(&lines);
    }

    #[test]
    fn the_seeds_tricky_cells_obey_the_rules_at_every_width() {
        let cells = [
            "仕事と育児の両立を支援する。（NPO法人に事業を委託）",
            "H24. 1月を目途に生涯学習情報提供システムの改修作業中である",
            "（旭川市における職員研修への参加及び短期の圏域内人事交流【写真甲子園・食マルシェ】）",
            "観光ルートの構築を行う。（「大雪みどころナビ」HPで情報発信）",
        ];
        for cell in cells {
            for w in 3..30 {
                let lines = prose(cell, w as f32);
                assert_kinsoku(&lines);
                assert_eq!(lines.concat().replace(' ', ""), cell.replace(' ', ""));
                for l in &lines {
                    // Only hanging closing marks may pass the edge.
                    let body = l.trim_end_matches(no_start);
                    assert!(Fixed.width(body) <= w as f32, "{l:?} wider than {w}");
                }
                for pair in lines.windows(2) {
                    for run in ["H24.", "NPO", "HP"] {
                        let split = (1..run.len()).any(|k| {
                            pair[0].ends_with(&run[..k]) && pair[1].starts_with(&run[k..])
                        });
                        assert!(!split, "{run} split in {lines:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn town_lists_break_only_after_the_separator() {
        let towns = "旭川市、鷹栖町、東神楽町、当麻町、比布町、愛別町、上川町、東川町";
        let rule = BreakRule::List { sep: '、' };
        for w in 5..30 {
            let lines = break_lines(towns, w as f32, &Fixed, rule, &[]);
            assert_eq!(lines.concat(), towns);
            for l in &lines[..lines.len() - 1] {
                assert!(l.ends_with('、'), "width {w}: {lines:?}");
            }
        }
        assert_eq!(
            break_lines(towns, 9.0, &Fixed, rule, &[])[0],
            "旭川市、鷹栖町、"
        );
    }

    #[test]
    fn a_name_longer_than_the_line_is_cut() {
        let lines = break_lines(
            "あいうえおかき、く",
            3.0,
            &Fixed,
            BreakRule::List { sep: '、' },
            &[],
        );
        assert_eq!(lines, ["あいう", "えおか", "き、く"]);
    }

    #[test]
    fn member_town_names_are_not_split_in_prose() {
        let keep = ["旭川市".to_string(), "東神楽町".to_string()];
        let text = "二次診療を実施する旭川市にある公的医療機関と東神楽町";
        for w in 4..20 {
            let lines = break_lines(text, w as f32, &Fixed, BreakRule::Prose, &keep);
            for pair in lines.windows(2) {
                for name in &keep {
                    let n: Vec<char> = name.chars().collect();
                    for cut in 1..n.len() {
                        let (a, b): (String, String) =
                            (n[..cut].iter().collect(), n[cut..].iter().collect());
                        assert!(
                            !(pair[0].ends_with(&a) && pair[1].starts_with(&b)),
                            "{name} split: {lines:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn counting_agrees_with_breaking() {
        for text in [
            "",
            "あ\n\nい",
            "負担金を、支出。（NPO法人）H24. 1月",
            "一行目\r\n二行目",
        ] {
            for w in 1..12 {
                let n = count_lines(text, w as f32, &Fixed, BreakRule::Prose, &[]);
                assert_eq!(n, prose(text, w as f32).len());
            }
        }
    }

    #[test]
    fn forced_breaks_and_empty_text() {
        assert_eq!(prose("一行目\n二行目", 10.0), ["一行目", "二行目"]);
        assert_eq!(prose("", 10.0), [""]);
        assert_eq!(prose("あ\n\nい", 10.0), ["あ", "", "い"]);
    }

    #[test]
    fn a_single_char_wider_than_the_line_still_progresses() {
        assert_eq!(prose("あい", 0.5), ["あ", "い"]);
    }
}
