//! Registry + template → the handout's [`Sheet`]: the 資料2 progress table, or any
//! table whose columns the template lists (the 成果指標 table of `seika`).
//!
//! One header row (a column without a header shares the next one's cell, so
//! 連携事業名 spans category and project); one body row per project, in
//! [`Registry::rows`] order, keyed by that index; 政策分野 and category cells merged
//! over their projects as row headers.

use crate::layout::grid::{Align, CellGrid, GridCell};
use crate::layout::{BreakRule, CellKind, Fonts, Handout, Role, Sheet, Style};
use crate::model::{Amount, FiscalYear, Kpi, Project, Registry};
use crate::template::{ColumnKey, Template};
use crate::units::Pt;
use crate::wareki;

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

/// The handout's content, resolved into a grid: label and revision stamp, the
/// template's title, the meeting and its date in 和暦, the table, then the 凡例 (when
/// the table shows grades) and the ※ notes.
pub fn sheet(registry: &Registry, tpl: &Template) -> Sheet {
    let western = tpl.pdf.western_year;
    let date = registry.date.and_then(|d| wareki::format_date(d, western));
    // The date is printed with the meeting it dates: alone it is only the metadata's.
    let meeting = registry.meeting.as_ref().map(|m| match &date {
        Some(d) => format!("{m}　{d}"),
        None => m.clone(),
    });
    let mut under = Vec::new();
    if tpl.columns.get(ColumnKey::Grade).is_some() && !registry.grades.is_empty() {
        let grades: Vec<String> = registry
            .grades
            .iter()
            .map(|g| format!("{}：{}", g.key, g.meaning))
            .collect();
        under.push((Role::Legend, format!("凡例　{}", grades.join("　"))));
    }
    for note in &registry.notes {
        under.push((Role::Note, format!("※{note}")));
    }
    Sheet {
        label: registry.label.clone(),
        revision: registry.revision.clone(),
        title: tpl.pdf.title.replace("{title}", &registry.title),
        meeting,
        grid: grid(registry, tpl),
        under,
    }
}

/// The 年度 of the budget column: the registry's `fiscal_year`, else the latest year
/// any project has a budget for.
fn budget_year(registry: &Registry) -> Option<FiscalYear> {
    registry
        .fiscal_year
        .or_else(|| registry.budget_years().last().copied())
}

/// The table: a header row, then a body row per project.
pub fn grid(registry: &Registry, tpl: &Template) -> CellGrid {
    let columns = &tpl.columns.0;
    let western = tpl.pdf.western_year;
    let count = registry.project_count().to_string();
    let year = budget_year(registry)
        .and_then(|y| wareki::format_fiscal_year(y, western))
        .unwrap_or_default();
    let vars = [
        ("count", count.as_str()),
        ("year", year.as_str()),
        ("unit", registry.unit.as_str()),
    ];
    let mut cells = Vec::new();
    for (cols, text) in tpl.columns.header_cells(&vars) {
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
        valign: Align::Start,
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
                    let at = Slot {
                        row,
                        column: col,
                        key: row - header_rows,
                    };
                    cells.push(data_cell(registry, tpl, p, c.key, at));
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

/// Where a data cell goes: grid row and column, and its project's index.
#[derive(Clone, Copy)]
struct Slot {
    row: usize,
    column: usize,
    key: usize,
}

/// The cell of project `p` in the column showing `key`.
fn data_cell(
    registry: &Registry,
    tpl: &Template,
    p: &Project,
    key: ColumnKey,
    at: Slot,
) -> GridCell {
    let cell = |text: String| GridCell {
        key: Some(at.key),
        ..GridCell::new(at.row, at.column, text)
    };
    let western = tpl.pdf.western_year;
    match key {
        ColumnKey::Project => cell(p.label()),
        ColumnKey::Status => cell(p.status.clone()),
        ColumnKey::Summary => cell(p.summary.clone()),
        ColumnKey::Towns => GridCell {
            rule: BreakRule::List { sep: '、' },
            ..cell(registry.town_list(p))
        },
        ColumnKey::Lead => cell(
            p.lead
                .map_or_else(String::new, |t| registry.town(t).name.clone()),
        ),
        ColumnKey::Department => cell(p.department.clone().unwrap_or_default()),
        ColumnKey::Grade => cell(p.grade.clone().unwrap_or_default()),
        ColumnKey::Direction => cell(p.direction.clone().unwrap_or_default()),
        // Values break between each other (after the full-width space), never inside
        // （令和6年度）.
        ColumnKey::Kpi => GridCell {
            rule: BreakRule::List { sep: '　' },
            ..cell(kpi_text(&p.kpis, western))
        },
        ColumnKey::Budget => {
            let amount = budget_year(registry).and_then(|y| p.budget.total(y));
            GridCell {
                align: Align::End,
                ..cell(amount.map_or_else(String::new, Amount::grouped))
            }
        }
        ColumnKey::Area | ColumnKey::Category => unreachable!("merged cells are built above"),
    }
}

/// The 成果指標 cell: per KPI a line with its indicator (and unit), then its values on
/// one line (wrapped between values): 基準値：1200（令和元年度）　目標値：1500（令和7年度）….
pub fn kpi_text(kpis: &[Kpi], western: bool) -> String {
    let mut lines = Vec::new();
    for k in kpis {
        lines.push(if k.unit.is_empty() {
            k.indicator.clone()
        } else {
            format!("{}（{}）", k.indicator, k.unit)
        });
        let values: Vec<String> = [
            ("基準値", &k.baseline),
            ("目標値", &k.target),
            ("実績値", &k.actual),
        ]
        .into_iter()
        .filter_map(|(name, point)| {
            let pt = point.as_ref()?;
            let year = wareki::format_fiscal_year(pt.year, western).unwrap_or_default();
            Some(format!("{name}：{}（{year}）", pt.value))
        })
        .collect();
        if !values.is_empty() {
            lines.push(values.join("　"));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KpiPoint, KpiValue};

    #[test]
    fn a_kpi_prints_its_values_with_their_fiscal_years_in_wareki() {
        let point = |year, value| Some(KpiPoint { year, value });
        let kpi = Kpi {
            indicator: "受入患者数".into(),
            unit: "人".into(),
            baseline: point(2019, KpiValue::Number(1200.0)),
            target: point(2025, KpiValue::Number(1500.0)),
            actual: point(2024, KpiValue::Word("集計中".into())),
            at: String::new(),
        };
        assert_eq!(
            kpi_text(std::slice::from_ref(&kpi), false),
            "受入患者数（人）\n基準値：1200（令和元年度）　目標値：1500（令和7年度）　実績値：集計中（令和6年度）"
        );
        let no_unit = Kpi {
            unit: String::new(),
            baseline: None,
            actual: None,
            ..kpi
        };
        assert_eq!(
            kpi_text(&[no_unit], true),
            "受入患者数\n目標値：1500（令和7年度（2025年度））"
        );
    }
}
