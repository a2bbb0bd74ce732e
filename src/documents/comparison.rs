//! The 新旧対照表 as a [`Sheet`]: another grid through the same layout as the handout.
//!
//! One header row (新 | 旧 | 備考), one body row per changed project of the
//! [`DiffTable`], the changed characters of each card underlined (grid cell
//! decorations). The files compared and the counts stand under the title; the legend
//! under the table. Nothing changed: one row across the table says so.

use crate::compare::table::LEGEND;
use crate::compare::{DiffTable, Mark, Marked};
use crate::layout::grid::{Align, CellGrid, GridCell};
use crate::layout::{CellKind, DecorationKind, Fonts, Handout, Role, Sheet, Style};
use crate::render::PdfInfo;
use crate::template::Template;
use crate::units::Pt;

/// Shares of the width between the margins: 新, 旧, 備考.
const SHARES: [f32; 3] = [0.405, 0.405, 0.19];

/// Lays out the 新旧対照表 on the template's paper, at its sizes.
pub fn layout_comparison(table: &DiffTable, tpl: &Template, fonts: &Fonts) -> Handout {
    crate::layout::flow::layout(&sheet(table, tpl), &tpl.pdf, fonts)
}

/// The document information of the 新旧対照表's PDF.
pub fn pdf_info(table: &DiffTable) -> PdfInfo {
    PdfInfo {
        title: table.title.clone(),
        subject: table.summary.clone(),
        author: table.author.clone().unwrap_or_default(),
        timestamp: table.timestamp,
    }
}

/// The table's content, resolved into a grid.
pub fn sheet(table: &DiffTable, tpl: &Template) -> Sheet {
    Sheet {
        label: table.label.clone(),
        revision: None,
        title: table.title.clone(),
        meeting: Some(format!("{}　{}", table.sources, table.summary)),
        grid: grid(table, tpl),
        under: vec![(Role::Note, LEGEND.to_string())],
    }
}

/// Char ranges of `text`'s marked spans, as underlines.
pub fn underlines(text: &Marked) -> Vec<(std::ops::Range<usize>, DecorationKind)> {
    let mut at = 0;
    let mut out = Vec::new();
    for span in &text.spans {
        let len = span.text.chars().count();
        if span.mark != Mark::Same {
            out.push((at..at + len, DecorationKind::Underline));
        }
        at += len;
    }
    out
}

fn grid(table: &DiffTable, tpl: &Template) -> CellGrid {
    let page = &tpl.pdf;
    let room = Pt::from(page.paper.width).0
        - Pt::from(page.margins.left).0
        - Pt::from(page.margins.right).0;
    let widths: Vec<f32> = SHARES.iter().map(|s| s * room).collect();
    let mut cells: Vec<GridCell> = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| GridCell {
            kind: CellKind::ColumnHeader,
            style: Style::Bold,
            align: Align::Center,
            valign: Align::Center,
            ..GridCell::new(0, i, h.clone())
        })
        .collect();
    for (i, r) in table.rows.iter().enumerate() {
        let row = 1 + i;
        let cell = |column: usize, text: &Marked| GridCell {
            key: Some(i),
            decorations: underlines(text),
            ..GridCell::new(row, column, text.text())
        };
        cells.push(cell(0, &r.new));
        cells.push(cell(1, &r.old));
        cells.push(GridCell {
            key: Some(i),
            ..GridCell::new(row, 2, r.remarks.clone())
        });
    }
    let body_rows = table.rows.len().max(1);
    if table.rows.is_empty() {
        cells.push(GridCell {
            colspan: 3,
            align: Align::Center,
            ..GridCell::new(1, 0, table.summary.clone())
        });
    }
    CellGrid::new(widths, 1, body_rows, cells, table.keep.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_spans_become_underlined_char_ranges() {
        let mut m = Marked::default();
        m.push("概要：公的", Mark::Same);
        m.push("民間", Mark::Inserted);
        m.push("医療機関", Mark::Same);
        assert_eq!(underlines(&m), [(5..7, DecorationKind::Underline)]);
    }
}
