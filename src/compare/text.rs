//! Character-level differences between an old and a new text, as marked spans.
//!
//! In: two strings. Out: [`Marked`] text whose spans say which characters were
//! deleted (old side) or inserted (new side). The 新旧対照表 underlines both kinds;
//! 見え消し strikes deletions through and underlines insertions.
//!
//! The diff is `similar`'s Myers diff over characters, then one clean-up: a run of a
//! single unchanged character between two changes (typically の or 、 matched by
//! chance inside a rewritten phrase) is counted as changed, so that a rewritten
//! phrase is underlined as one phrase rather than as confetti.

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// What happened to a span of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// The same in both versions.
    Same,
    /// Only in the old version.
    Deleted,
    /// Only in the new version.
    Inserted,
}

/// A run of characters with one mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub mark: Mark,
}

/// Text as a sequence of marked spans; adjacent spans never share a mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marked {
    pub spans: Vec<Span>,
}

impl Marked {
    /// Unmarked text.
    pub fn plain(text: &str) -> Marked {
        let mut m = Marked::default();
        m.push(text, Mark::Same);
        m
    }

    /// Text wholly marked `mark`.
    pub fn all(text: &str, mark: Mark) -> Marked {
        let mut m = Marked::default();
        m.push(text, mark);
        m
    }

    /// Appends `text` with `mark`, merging with the last span when it has the same mark.
    pub fn push(&mut self, text: &str, mark: Mark) {
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(text),
            _ => self.spans.push(Span {
                text: text.to_string(),
                mark,
            }),
        }
    }

    /// Appends all spans of `other`.
    pub fn append(&mut self, other: &Marked) {
        for s in &other.spans {
            self.push(&s.text, s.mark);
        }
    }

    /// The text without marks.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// Whether any span is marked.
    pub fn has_changes(&self) -> bool {
        self.spans.iter().any(|s| s.mark != Mark::Same)
    }

    /// The marked characters, concatenated (for tests and messages).
    pub fn marked_text(&self, mark: Mark) -> String {
        self.spans
            .iter()
            .filter(|s| s.mark == mark)
            .map(|s| s.text.as_str())
            .collect()
    }

    /// Mark of each character, in order.
    pub fn char_marks(&self) -> Vec<Mark> {
        self.spans
            .iter()
            .flat_map(|s| s.text.chars().map(move |_| s.mark))
            .collect()
    }
}

/// The old text with its deletions marked and the new text with its insertions
/// marked: the two columns of a 新旧対照表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideBySide {
    pub old: Marked,
    pub new: Marked,
}

/// Edits between `old` and `new` as (old range, new range, changed?) in order.
fn edits(old: &[char], new: &[char]) -> Vec<(usize, usize, usize, usize, bool)> {
    // Equal runs as (old start, new start, length), with one-character runs between
    // two changes absorbed (see the module comment).
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    let mut out: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
    let n = ops.len();
    for (i, op) in ops.iter().enumerate() {
        let (o, ol, nw, nl, changed) = match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                let between_changes = i > 0 && i + 1 < n && len == 1;
                (old_index, len, new_index, len, between_changes)
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_len, new_index, 0, true),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, 0, new_index, new_len, true),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len, true),
        };
        out.push((o, o + ol, nw, nw + nl, changed));
    }
    out
}

fn collect(chars: &[char], from: usize, to: usize) -> String {
    chars[from..to].iter().collect()
}

/// The two sides of `old` → `new`, each with its changed characters marked.
///
/// ```
/// use shiryo::compare::{side_by_side, Mark};
/// let d = side_by_side("圏域内の小児", "圏域全体の小児");
/// assert_eq!(d.old.marked_text(Mark::Deleted), "内");
/// assert_eq!(d.new.marked_text(Mark::Inserted), "全体");
/// ```
pub fn side_by_side(old: &str, new: &str) -> SideBySide {
    let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let mut out = SideBySide {
        old: Marked::default(),
        new: Marked::default(),
    };
    for (os, oe, ns, ne, changed) in edits(&o, &n) {
        let (om, nm) = if changed {
            (Mark::Deleted, Mark::Inserted)
        } else {
            (Mark::Same, Mark::Same)
        };
        out.old.push(&collect(&o, os, oe), om);
        out.new.push(&collect(&n, ns, ne), nm);
    }
    out
}

/// One text that reads as the new one with the old one's removed characters still in
/// place, marked deleted, before the inserted ones (見え消し).
///
/// ```
/// use shiryo::compare::{redline, Mark};
/// let r = redline("準備中", "実施中");
/// assert_eq!(r.text(), "準備実施中");
/// assert_eq!(r.marked_text(Mark::Deleted), "準備");
/// assert_eq!(r.marked_text(Mark::Inserted), "実施");
/// ```
pub fn redline(old: &str, new: &str) -> Marked {
    let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let mut out = Marked::default();
    for (os, oe, ns, ne, changed) in edits(&o, &n) {
        if changed {
            out.push(&collect(&o, os, oe), Mark::Deleted);
            out.push(&collect(&n, ns, ne), Mark::Inserted);
        } else {
            out.push(&collect(&n, ns, ne), Mark::Same);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_have_no_marks() {
        let d = side_by_side("二次救急医療の連携", "二次救急医療の連携");
        assert!(!d.old.has_changes() && !d.new.has_changes());
        assert_eq!(d.new.text(), "二次救急医療の連携");
    }

    #[test]
    fn only_the_changed_characters_are_marked() {
        let d = side_by_side("負担金を支出。", "負担金を支出し、運営を支援する。");
        assert_eq!(d.old.marked_text(Mark::Deleted), "");
        assert_eq!(d.new.marked_text(Mark::Inserted), "し、運営を支援する");
        assert_eq!(d.new.text(), "負担金を支出し、運営を支援する。");
        let d = side_by_side("旭川市にある公的医療機関", "旭川市にある民間医療機関");
        assert_eq!(d.old.marked_text(Mark::Deleted), "公的");
        assert_eq!(d.new.marked_text(Mark::Inserted), "民間");
    }

    #[test]
    fn additions_and_removals_mark_everything() {
        let d = side_by_side("", "新しい事業");
        assert_eq!(d.new.marked_text(Mark::Inserted), "新しい事業");
        assert!(d.old.spans.is_empty());
        let d = side_by_side("古い事業", "");
        assert_eq!(d.old.marked_text(Mark::Deleted), "古い事業");
    }

    #[test]
    fn a_single_chance_match_inside_a_rewrite_is_not_left_bare() {
        // の matches by chance between two replaced words: underlined with them.
        let d = side_by_side("甲の乙", "丙の丁");
        assert_eq!(d.new.marked_text(Mark::Inserted), "丙の丁");
        assert_eq!(d.old.marked_text(Mark::Deleted), "甲の乙");
        // Two shared characters are real context and stay bare.
        let d = side_by_side("図書館の相互利用", "博物館の共同運営");
        assert_eq!(d.new.marked_text(Mark::Inserted), "博物共同運営");
        assert_eq!(d.new.char_marks()[2..4], [Mark::Same, Mark::Same]);
    }

    #[test]
    fn redline_keeps_old_characters_before_new_ones() {
        let r = redline("圏域内の図書館", "圏域全体の図書館");
        assert_eq!(r.text(), "圏域内全体の図書館");
        assert_eq!(r.marked_text(Mark::Deleted), "内");
        assert_eq!(r.marked_text(Mark::Inserted), "全体");
    }

    #[test]
    fn spans_merge_and_skip_empty_text() {
        let mut m = Marked::default();
        m.push("あ", Mark::Same);
        m.push("", Mark::Inserted);
        m.push("い", Mark::Same);
        assert_eq!(m.spans.len(), 1);
        assert_eq!(m.text(), "あい");
    }
}
