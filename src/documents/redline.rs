//! The handout in 見え消し (`shiryo build --since OLD`): the new table, with what
//! changed since the old one still visible.
//!
//! The new registry's handout sheet ([`progress::sheet`]) is resolved as usual; then
//! each body cell of a changed project is compared with the same cell of the old
//! registry's table (same template, the matched project's row): removed characters
//! stay in place struck through, added ones are underlined, so that the draft reads in
//! black-and-white print. A new project's name is marked （新規）; removed projects are
//! listed in a ※ note under the table. Merged 政策分野 and category cells are left as
//! they are (a 新旧対照表 names such moves).

use super::progress;
use crate::compare::{compare, redline, Mark, Marked};
use crate::layout::grid::{CellGrid, GridCell};
use crate::layout::{DecorationKind, Fonts, Handout, Role, Sheet};
use crate::model::Registry;
use crate::template::{ColumnKey, Template};

/// The mark before a new project's name.
pub const NEW_MARK: &str = "（新規）";

/// Lays out `new`'s handout in 見え消し against `old`.
pub fn layout_redline(old: &Registry, new: &Registry, tpl: &Template, fonts: &Fonts) -> Handout {
    crate::layout::flow::layout(&sheet(old, new, tpl), &tpl.pdf, fonts)
}

/// Strike-throughs for deleted spans, underlines for inserted ones.
fn decorations(text: &Marked) -> Vec<(std::ops::Range<usize>, DecorationKind)> {
    let mut at = 0;
    let mut out = Vec::new();
    for span in &text.spans {
        let len = span.text.chars().count();
        let kind = match span.mark {
            Mark::Same => None,
            Mark::Deleted => Some(DecorationKind::Strike),
            Mark::Inserted => Some(DecorationKind::Underline),
        };
        if let Some(kind) = kind {
            out.push((at..at + len, kind));
        }
        at += len;
    }
    out
}

/// The cell of `grid` whose top-left is (`row`, `column`).
fn cell_at(grid: &CellGrid, row: usize, column: usize) -> Option<&GridCell> {
    grid.starting_at(row)
        .map(|i| &grid.cells[i])
        .find(|c| c.column == column)
}

/// The handout sheet of `new` in 見え消し against `old`.
pub fn sheet(old: &Registry, new: &Registry, tpl: &Template) -> Sheet {
    let comparison = compare(old, new);
    let mut sheet = progress::sheet(new, tpl);
    let old_grid = progress::grid(old, tpl);
    let h = sheet.grid.header_rows;
    let project_column = tpl
        .columns
        .0
        .iter()
        .position(|c| c.key == ColumnKey::Project);
    // For each new row: the old row it was, or None for a new project; only changed
    // projects are listed.
    let mut old_of: Vec<Option<Option<usize>>> = vec![None; new.project_count()];
    let mut removed = Vec::new();
    for row in &comparison.rows {
        match (row.old, row.new) {
            (o, Some(n)) => old_of[n] = Some(o),
            (Some(o), None) => removed.push(comparison.old[o].project.label()),
            (None, None) => {}
        }
    }
    for cell in &mut sheet.grid.cells {
        let Some(key) = cell.key else { continue };
        if cell.row < h || cell.is_merged() {
            continue;
        }
        match old_of.get(key).copied().flatten() {
            None => {}
            Some(None) if Some(cell.column) == project_column => {
                cell.text = format!("{NEW_MARK}{}", cell.text);
            }
            Some(None) => {}
            Some(Some(o)) => {
                let Some(before) = cell_at(&old_grid, h + o, cell.column) else {
                    continue;
                };
                if before.text != cell.text {
                    let marked = redline(&before.text, &cell.text);
                    cell.text = marked.text();
                    cell.decorations = decorations(&marked);
                }
            }
        }
    }
    if !removed.is_empty() {
        sheet
            .under
            .push((Role::Note, format!("※削除した事業：{}", removed.join("、"))));
    }
    sheet.title = format!("{}（見え消し）", sheet.title);
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../data/registry.yaml");

    fn registry(yaml: &str) -> Registry {
        crate::registry::parse("r.yaml".as_ref(), yaml).unwrap()
    }

    #[test]
    fn changed_cells_keep_the_old_text_struck_and_the_new_underlined() {
        let old = registry(SEED);
        let new = registry(
            &SEED
                .replace("status: 一部実施中", "status: 実施中")
                .replace("name: 消費生活相談事業", "name: 消費生活相談・啓発事業"),
        );
        let s = sheet(&old, &new, &Template::default());
        let cell = |text: &str| {
            s.grid
                .cells
                .iter()
                .find(|c| c.text.contains(text))
                .unwrap_or_else(|| panic!("{text}"))
        };
        let status = s
            .grid
            .cells
            .iter()
            .find(|c| c.text == "一部実施中")
            .expect("the old status is still there");
        assert_eq!(status.decorations, [(0..2, DecorationKind::Strike)]);
        let name = cell("消費生活相談・啓発事業");
        assert_eq!(name.decorations, [(8..11, DecorationKind::Underline)]);
        assert!(s.title.ends_with("（見え消し）"));
        // Unchanged cells carry nothing.
        assert!(cell("二次救急医療の連携").decorations.is_empty());
    }

    #[test]
    fn new_projects_are_marked_and_removed_ones_noted() {
        let old = registry(SEED);
        let block = "          - number: 19\n            name: 地域公共交通の連携\n            status: 準備中\n            towns: [旭川市]\n";
        let at = SEED.find("      - name: イ、福祉").unwrap();
        let mut yaml = SEED.to_string();
        yaml.insert_str(at, block);
        let new = registry(&yaml);
        let s = sheet(&old, &new, &Template::default());
        assert!(s
            .grid
            .cells
            .iter()
            .any(|c| c.text == "（新規）19 地域公共交通の連携"));
        let s = sheet(&new, &old, &Template::default());
        assert_eq!(
            s.under.last().map(|u| u.1.as_str()),
            Some("※削除した事業：19 地域公共交通の連携")
        );
    }
}
