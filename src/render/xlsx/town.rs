//! One appendix sheet per member town: the projects it takes part in and their count.

use std::collections::HashMap;

use rust_xlsxwriter::Worksheet;

use super::print_ready;
use super::sizer::{pixels, Sizer, Wrapped};
use super::styles::Styles;
use crate::error::Result;
use crate::layout::BreakRule;
use crate::model::{FiscalYear, Registry, TownId};
use crate::template::Template;
use crate::units::Pt;

/// A project's cells on the town sheets, broken into lines, and the row's height.
pub(super) struct TownRow {
    area: Wrapped,
    name: Wrapped,
    status: Wrapped,
    summary: Wrapped,
    height: f64,
}

pub(super) fn town_sheet(
    sheet: &mut Worksheet,
    town_registry: &Registry,
    town: &str,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
    rows: &HashMap<u32, TownRow>,
) -> Result<()> {
    sheet.set_name(town)?;
    let cols = tpl.xlsx.town_columns.all();
    for (i, col) in cols.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(col.width))?;
    }
    let last_col = (cols.len() - 1) as u16;
    let title_width: f32 = cols[..cols.len() - 1]
        .iter()
        .map(|c| Pt::from(c.width).0)
        .sum();
    let title_size = tpl.xlsx.title_font_size;
    let title = sizer.wrap_bold(&town_registry.title, f64::from(title_width), title_size);
    sheet.merge_range(0, 0, 0, last_col - 1, &title.text, &styles.title)?;
    sheet.write_string_with_format(0, last_col, &town_registry.label, &styles.label)?;
    sheet.set_row_height(
        0,
        sizer.height_at(title.lines, title_size) + title_size * 0.6,
    )?;
    let header_row = 1;
    let mut header_lines = 1;
    for (i, col) in cols.iter().enumerate() {
        let width = f64::from(Pt::from(col.width).0);
        let header = sizer.wrap_bold(&col.header, width, sizer.size);
        header_lines = header_lines.max(header.lines);
        sheet.write_string_with_format(header_row, i as u16, &header.text, &styles.header)?;
    }
    sheet.set_row_height(header_row, sizer.height(header_lines))?;
    let share = budget_share(town_registry, town);
    if let Some((year, _)) = share {
        let col = last_col + 1;
        sheet.set_column_width_pixels(col, pixels(SHARE_WIDTH))?;
        let year = crate::wareki::format_fiscal_year(year, false).unwrap_or_default();
        let header = format!("負担額（{year}・{}）", town_registry.unit);
        let header = sizer.wrap_bold(&header, f64::from(Pt::from(SHARE_WIDTH).0), sizer.size);
        sheet.write_string_with_format(header_row, col, &header.text, &styles.header)?;
    }
    let amount = super::budget::amount_format(town_registry, &styles.number);
    let mut row = header_row + 1;
    for (_, _, p) in town_registry.rows() {
        let cells = &rows[&p.number];
        sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
        sheet.write_string_with_format(row, 1, &cells.area.text, &styles.text)?;
        sheet.write_string_with_format(row, 2, &cells.name.text, &styles.text)?;
        sheet.write_string_with_format(row, 3, &cells.status.text, &styles.centered)?;
        sheet.write_string_with_format(row, 4, &cells.summary.text, &styles.text)?;
        sheet.set_row_height(row, cells.height)?;
        if let Some((year, town)) = share {
            match p.budget.amount(year, town) {
                Some(a) => {
                    sheet.write_number_with_format(row, last_col + 1, a.as_f64(), &amount)?
                }
                None => sheet.write_blank(row, last_col + 1, &amount)?,
            };
        }
        row += 1;
    }
    // The last row keeps the default height (see `write_xlsx` on constant memory).
    let count = town_registry.project_count();
    sheet.merge_range(row, 0, row, 1, &tpl.xlsx.town_count_label, &styles.header)?;
    sheet.write_number_with_format(row, 2, count as f64, &styles.number)?;
    let Some((year, town)) = share else {
        return print_ready(sheet, header_row, row, last_col);
    };
    // The town's share of the year over its projects: a live total with its value.
    let col = last_col + 1;
    let total = town_registry.budget_town_total(year, town);
    if count == 0 {
        sheet.write_number_with_format(row, col, 0, &amount.set_bold())?;
    } else {
        let sum = super::budget::sum(header_row + 1, col, row - 1, col);
        let formula = rust_xlsxwriter::Formula::new(sum).set_result(total.to_string());
        sheet.write_formula_with_format(row, col, formula, &amount.set_bold())?;
    }
    print_ready(sheet, header_row, row, col)
}

/// The budget column's width on a town sheet.
const SHARE_WIDTH: crate::units::Mm = crate::units::Mm(24.0);

/// The fiscal year whose share a town sheet shows (the registry's `fiscal_year` when it
/// has budgets for it, else the latest budget year) and the town; `None` without
/// budgets.
fn budget_share(registry: &Registry, town: &str) -> Option<(FiscalYear, TownId)> {
    let years = registry.budget_years();
    let year = registry
        .fiscal_year
        .filter(|y| years.contains(y))
        .or_else(|| years.last().copied())?;
    let id = registry.towns.iter().position(|t| t.name == town)?;
    Some((year, TownId(id)))
}

/// Each project's cells on the town sheets, by project number: a project's row is the
/// same on every town sheet it appears in, so it is broken into lines once.
pub(super) fn town_rows(
    registry: &Registry,
    tpl: &Template,
    sizer: &Sizer,
) -> HashMap<u32, TownRow> {
    let t = &tpl.xlsx.town_columns;
    registry
        .rows()
        .map(|(area, _, p)| {
            let area = sizer.wrap(&area.name, t.area.width, BreakRule::Prose);
            let name = sizer.wrap(&p.name, t.project.width, BreakRule::Prose);
            let status = sizer.wrap(&p.status, t.status.width, BreakRule::Prose);
            let summary = sizer.wrap(&p.summary, t.summary.width, BreakRule::Prose);
            let lines = [&area, &name, &status, &summary]
                .iter()
                .map(|w| w.lines)
                .max()
                .unwrap_or(1);
            let height = sizer.height(lines);
            let row = TownRow {
                area,
                name,
                status,
                summary,
                height,
            };
            (p.number, row)
        })
        .collect()
}
