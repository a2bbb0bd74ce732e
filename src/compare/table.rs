//! A [`Comparison`] as the 新旧対照表's cells: one row per changed project with the
//! new version, the old version and the remarks (新 | 旧 | 備考).
//!
//! Each version is a card of the project's fields, one per line:
//!
//! ```text
//! 8 図書館の相互利用
//! 分野：生活機能の強化／ウ、教育
//! 取組状況：実施中
//! 概要：圏域内の図書館の…
//! 関係市町：旭川市、鷹栖町、…
//! ```
//! with the characters that differ from the other version marked (town lists are
//! compared town by town, so a town that joined is marked whole). The workbook and
//! the PDF both render this table; neither compares anything itself.

use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::text::{side_by_side, Mark, Marked};
use super::{Comparison, Entry, EXTRAS};
use crate::model::Registry;

/// A cell of the table: marked text; `\n` separates the card's lines.
pub type DiffCell = Marked;

/// One row: the project as it is now, as it was, and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub new: DiffCell,
    pub old: DiffCell,
    /// One change per line, then the assumption made, if any (※ …).
    pub remarks: String,
    /// The new number (or the old one for a removed project), for readers of the sheet.
    pub number: u32,
}

/// The 新旧対照表 of two registries, ready to render.
#[derive(Debug, Clone)]
pub struct DiffTable {
    /// 新旧対照表（<the new registry's title>）.
    pub title: String,
    /// The label (資料2) of the new registry, printed top right.
    pub label: String,
    /// Which files were compared: 旧：old.yaml　新：new.yaml.
    pub sources: String,
    /// The counts: 変更 3 事業（追加 1、削除 1、変更 1）、変更なし 16 事業.
    pub summary: String,
    /// Column headings: 新, 旧, 備考.
    pub headers: [String; 3],
    pub rows: Vec<DiffRow>,
    /// Names never split across lines (every member town of either registry).
    pub keep: Vec<String>,
    /// The new registry's metadata date (seconds since 1970), for the outputs.
    pub timestamp: i64,
    pub author: Option<String>,
}

/// Printed under the table (PDF and workbook).
pub const LEGEND: &str = "下線は変更された文字（新：加わった文字、旧：除かれた文字）";

/// What the 旧 column says for an added project and the 新 column for a removed one.
pub const ADDED_MARK: &str = "（追加）";
pub const REMOVED_MARK: &str = "（削除）";

impl DiffTable {
    /// Builds the table of `comparison` between `old` and `new`.
    pub fn new(comparison: &Comparison, old: &Registry, new: &Registry) -> DiffTable {
        let rows = comparison
            .rows
            .iter()
            .map(|row| {
                let o = row.old.map(|i| &comparison.old[i]);
                let n = row.new.map(|i| &comparison.new[i]);
                let (new_cell, old_cell) = match (n, o) {
                    (Some(n), Some(o)) => cards(o, n),
                    (Some(n), None) => (card(n, Mark::Inserted), Marked::plain(ADDED_MARK)),
                    (None, Some(o)) => (Marked::plain(REMOVED_MARK), card(o, Mark::Deleted)),
                    (None, None) => (Marked::default(), Marked::default()),
                };
                let mut remarks: Vec<String> = row.changes.iter().map(|c| c.label()).collect();
                if let Some(a) = &row.assumption {
                    remarks.push(format!("※{}", a.statement()));
                }
                DiffRow {
                    new: new_cell,
                    old: old_cell,
                    remarks: remarks.join("\n"),
                    number: n.or(o).map_or(0, |e| e.project.number),
                }
            })
            .collect();
        let file = |r: &Registry| {
            r.source
                .path
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
        };
        let mut keep: Vec<String> = new
            .towns
            .iter()
            .chain(&old.towns)
            .map(|t| t.name.clone())
            .collect();
        keep.sort();
        keep.dedup();
        DiffTable {
            title: format!("新旧対照表（{}）", new.title),
            label: new.label.clone(),
            sources: format!("旧：{}　新：{}", file(old), file(new)),
            summary: comparison.summary_line(),
            headers: ["新".into(), "旧".into(), "備考".into()],
            rows,
            keep,
            timestamp: new.timestamp,
            author: new.author.clone(),
        }
    }
}

/// The card's lines as (label, value) pairs; the first line has no label. The fields
/// beyond the seed follow when `shown` says either version has them.
fn fields(e: &Entry, shown: [bool; 6]) -> Vec<(String, String)> {
    let mut out = vec![
        (String::new(), e.project.label()),
        ("分野：".into(), format!("{}／{}", e.area, e.category)),
        ("取組状況：".into(), e.project.status.clone()),
        ("概要：".into(), e.project.summary.clone()),
        ("関係市町：".into(), e.towns.join("、")),
    ];
    for (k, (name, _)) in EXTRAS.iter().enumerate() {
        if shown[k] {
            out.push((format!("{name}："), e.extras[k].clone().unwrap_or_default()));
        }
    }
    out
}

/// Which fields beyond the seed the cards of `entries` show.
fn shown(entries: &[&Entry]) -> [bool; 6] {
    std::array::from_fn(|k| entries.iter().any(|e| e.extras[k].is_some()))
}

/// The card of a project present on one side only, wholly marked `mark`.
fn card(e: &Entry, mark: Mark) -> Marked {
    let mut out = Marked::default();
    for (i, (label, value)) in fields(e, shown(&[e])).iter().enumerate() {
        if i > 0 {
            out.push("\n", Mark::Same);
        }
        out.push(label, Mark::Same);
        out.push(value, mark);
    }
    out
}

/// The new and old cards of a changed project, the differences marked on each.
fn cards(old: &Entry, new: &Entry) -> (Marked, Marked) {
    let (mut n_out, mut o_out) = (Marked::default(), Marked::default());
    let both = shown(&[old, new]);
    let (of, nf) = (fields(old, both), fields(new, both));
    for (i, ((label, ov), (_, nv))) in of.iter().zip(&nf).enumerate() {
        if i > 0 {
            n_out.push("\n", Mark::Same);
            o_out.push("\n", Mark::Same);
        }
        n_out.push(label, Mark::Same);
        o_out.push(label, Mark::Same);
        let d = if i == 4 {
            towns_side_by_side(&old.towns, &new.towns)
        } else {
            side_by_side(ov, nv)
        };
        n_out.append(&d.new);
        o_out.append(&d.old);
    }
    (n_out, o_out)
}

/// Town lists compared town by town: a town that joined or left is marked whole, and
/// the separators stay unmarked.
fn towns_side_by_side(old: &[&str], new: &[&str]) -> super::SideBySide {
    let mut out = super::SideBySide {
        old: Marked::default(),
        new: Marked::default(),
    };
    let write = |side: &mut Marked, towns: &[&str], mark: Mark| {
        for t in towns {
            if !side.spans.is_empty() {
                side.push("、", Mark::Same);
            }
            side.push(t, mark);
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {
                write(&mut out.old, &old[o], Mark::Same);
                write(&mut out.new, &new[n], Mark::Same);
            }
            _ => {
                write(&mut out.old, &old[o], Mark::Deleted);
                write(&mut out.new, &new[n], Mark::Inserted);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn town_lists_mark_whole_towns_and_no_separators() {
        let d = towns_side_by_side(
            &["旭川市", "鷹栖町", "当麻町", "東川町"],
            &["旭川市", "東神楽町", "当麻町", "東川町"],
        );
        assert_eq!(d.old.text(), "旭川市、鷹栖町、当麻町、東川町");
        assert_eq!(d.old.marked_text(Mark::Deleted), "鷹栖町");
        assert_eq!(d.new.marked_text(Mark::Inserted), "東神楽町");
        let d = towns_side_by_side(&["旭川市"], &["旭川市", "比布町", "愛別町"]);
        assert_eq!(d.new.text(), "旭川市、比布町、愛別町");
        assert_eq!(d.new.marked_text(Mark::Inserted), "比布町愛別町");
    }
}
