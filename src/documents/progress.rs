//! Registry + template → the handout's [`Sheet`]: the 資料2 progress table, or any
//! table whose columns the template lists (the 成果指標 table of `seika`).
//!
//! One header row (a column without a header shares the next one's cell, so
//! 連携事業名 spans category and project); one body row per project, in
//! [`Registry::rows`] order, keyed by that index; 政策分野 and category cells merged
//! over their projects as row headers.

use crate::layout::grid::{Align, CellGrid, GridCell};
use crate::layout::{BreakRule, CellKind, Fonts, Handout, Sheet, Style};
use crate::model::{Project, Registry};
use crate::template::{ColumnKey, Template};
use crate::units::Pt;

/// Lays out the handout of `registry` with `tpl`'s paper, columns and sizes.
///
/// ```
/// # let yaml = "title: T\nlabel: 資料2\ntowns: [旭川市]\nareas:\n  - name: A\n    categories:\n      - name: C\n        projects:\n          - {number: 1, name: P, status: 実施中, towns: [旭川市]}\n";
/// # let registry = shiryo::registry::parse("r.yaml".as_ref(), yaml).unwrap();
/// let fonts = shiryo::layout::Fonts::bundled().unwrap();
/// let handout = shiryo::layout::layout_handout(&registry, &Default::default(), &fonts);
/// assert_eq!(handout.pages.len(), 1);
/// ```
pub fn layout_handout(registry: &Registry, tpl: &Template, fonts: &Fonts) -> Handout {
    crate::layout::flow::layout(&sheet(registry, tpl), &tpl.pdf, fonts)
}

/// The handout's content, resolved into a grid.
pub fn sheet(registry: &Registry, tpl: &Template) -> Sheet {
    Sheet {
        label: registry.label.clone(),
        revision: None,
        title: registry.title.clone(),
        meeting: None,
        grid: grid(registry, tpl),
        under: Vec::new(),
    }
}

/// The table: a header row, then a body row per project.
pub fn grid(registry: &Registry, tpl: &Template) -> CellGrid {
    let columns = &tpl.columns.0;
    let mut cells = Vec::new();
    for (cols, text) in tpl.columns.header_cells(registry.project_count()) {
        cells.push(GridCell {
            colspan: cols.len(),
            kind: CellKind::ColumnHeader,
            style: Style::Bold,
            align: Align::Center,
            valign: Align::Center,
            ..GridCell::new(0, cols.start, text)
        });
    }
    let header_rows = 1;
    let merged = |row: usize, rowspan: usize, column: usize, text: &str| GridCell {
        rowspan,
        kind: CellKind::RowHeader,
        valign: Align::Center,
        key: (rowspan == 1).then_some(row - header_rows),
        ..GridCell::new(row, column, text)
    };
    let mut row = header_rows;
    for area in &registry.areas {
        if let Some(col) = position(tpl, ColumnKey::Area) {
            cells.push(merged(row, area.project_count(), col, &area.name));
        }
        for cat in &area.categories {
            if let Some(col) = position(tpl, ColumnKey::Category) {
                cells.push(merged(row, cat.projects.len(), col, &cat.name));
            }
            for p in &cat.projects {
                for (col, c) in columns.iter().enumerate() {
                    if matches!(c.key, ColumnKey::Area | ColumnKey::Category) {
                        continue;
                    }
                    cells.push(data_cell(registry, p, c.key, row, col, header_rows));
                }
                row += 1;
            }
        }
    }
    let widths = columns.iter().map(|c| Pt::from(c.width).0).collect();
    let towns = registry.towns.iter().map(|t| t.name.clone()).collect();
    CellGrid::new(widths, header_rows, registry.project_count(), cells, towns)
}

fn position(tpl: &Template, key: ColumnKey) -> Option<usize> {
    tpl.columns.0.iter().position(|c| c.key == key)
}

/// The cell of project `p` in the column showing `key`.
fn data_cell(
    registry: &Registry,
    p: &Project,
    key: ColumnKey,
    row: usize,
    column: usize,
    header_rows: usize,
) -> GridCell {
    let cell = |text: String| GridCell {
        key: Some(row - header_rows),
        ..GridCell::new(row, column, text)
    };
    match key {
        ColumnKey::Project => cell(p.label()),
        ColumnKey::Status => GridCell {
            align: Align::Center,
            valign: Align::Center,
            ..cell(p.status.clone())
        },
        ColumnKey::Summary => cell(p.summary.clone()),
        ColumnKey::Towns => GridCell {
            rule: BreakRule::List { sep: '、' },
            ..cell(registry.town_list(p))
        },
        ColumnKey::Area | ColumnKey::Category => unreachable!("merged cells are built above"),
    }
}
