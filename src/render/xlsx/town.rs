//! One appendix sheet per member town: the projects it takes part in and their count.

use std::collections::HashMap;

use rust_xlsxwriter::Worksheet;

use super::print_ready;
use super::sizer::{pixels, Sizer, Wrapped};
use super::styles::Styles;
use crate::error::Result;
use crate::layout::BreakRule;
use crate::model::{Amount, FiscalYear, Registry, TownId};
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
    registry: &Registry,
    town: TownId,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
    rows: &HashMap<u32, TownRow>,
) -> Result<()> {
    let name = &registry.town(town).name;
    sheet.set_name(name)?;
    // The town's projects in table order (as `Registry::for_town` keeps them, without
    // copying the registry).
    let projects = || registry.projects().filter(|p| p.has_town(town));
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
    let title = format!("{}（{name}）", registry.title);
    let title = sizer.wrap_bold(&title, f64::from(title_width), title_size);
    sheet.merge_range(0, 0, 0, last_col - 1, &title.text, &styles.title)?;
    sheet.write_string_with_format(0, last_col, &registry.label, &styles.label)?;
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
    let share = budget_share(registry, town);
    if let Some(year) = share {
        let col = last_col + 1;
        sheet.set_column_width_pixels(col, pixels(SHARE_WIDTH))?;
        let year = crate::wareki::format_fiscal_year(year, false).unwrap_or_default();
        let header = format!("負担額（{year}・{}）", registry.unit);
        let header = sizer.wrap_bold(&header, f64::from(Pt::from(SHARE_WIDTH).0), sizer.size);
        header_lines = header_lines.max(header.lines);
        sheet.write_string_with_format(header_row, col, &header.text, &styles.header)?;
    }
    sheet.set_row_height(header_row, sizer.height(header_lines))?;
    let amount = &styles.amount;
    let mut row = header_row + 1;
    let mut count = 0;
    for p in projects() {
        count += 1;
        let cells = &rows[&p.number];
        sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
        sheet.write_string(row, 1, &cells.area.text)?;
        sheet.write_string(row, 2, &cells.name.text)?;
        // Both cells' format in one lookup (rust_xlsxwriter hashes a Format per cell).
        sheet.set_range_format(row, 1, row, 2, &styles.text)?;
        sheet.write_string_with_format(row, 3, &cells.status.text, &styles.centered)?;
        sheet.write_string_with_format(row, 4, &cells.summary.text, &styles.text)?;
        sheet.set_row_height(row, cells.height)?;
        if let Some(year) = share {
            match p.budget.amount(year, town) {
                Some(a) => sheet.write_number_with_format(row, last_col + 1, a.as_f64(), amount)?,
                None => sheet.write_blank(row, last_col + 1, amount)?,
            };
        }
        row += 1;
    }
    // The last row keeps the default height (see `write_xlsx` on constant memory).
    sheet.merge_range(row, 0, row, 1, &tpl.xlsx.town_count_label, &styles.header)?;
    sheet.write_number_with_format(row, 2, count as f64, &styles.number)?;
    let Some(year) = share else {
        return print_ready(sheet, header_row, row, last_col);
    };
    // The town's share of the year over its projects: a live total with its value.
    let col = last_col + 1;
    let total: Amount = projects().filter_map(|p| p.budget.amount(year, town)).sum();
    if count == 0 {
        sheet.write_number_with_format(row, col, 0, &styles.amount_total)?;
    } else {
        let sum = super::budget::sum(header_row + 1, col, row - 1, col);
        let formula = rust_xlsxwriter::Formula::new(sum).set_result(total.to_string());
        sheet.write_formula_with_format(row, col, formula, &styles.amount_total)?;
    }
    print_ready(sheet, header_row, row, col)
}

/// The budget column's width on a town sheet.
const SHARE_WIDTH: crate::units::Mm = crate::units::Mm(24.0);

/// The fiscal year whose share a town sheet shows (the registry's `fiscal_year` when
/// the town's projects have budgets for it, else their latest budget year); `None`
/// without budgets.
fn budget_share(registry: &Registry, town: TownId) -> Option<FiscalYear> {
    let mut years: Vec<FiscalYear> = registry
        .projects()
        .filter(|p| p.has_town(town))
        .flat_map(|p| p.budget.years.iter().map(|y| y.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    registry
        .fiscal_year
        .filter(|y| years.contains(y))
        .or_else(|| years.last().copied())
}

/// Each project's cells on the town sheets, by project number: a project's row is the
/// same on every town sheet it appears in, so it is broken into lines once. An area's
/// name is broken once for all its projects, and each distinct status once (a
/// registry has a handful of each).
pub(super) fn town_rows(
    registry: &Registry,
    tpl: &Template,
    sizer: &Sizer,
) -> HashMap<u32, TownRow> {
    let t = &tpl.xlsx.town_columns;
    let mut statuses: HashMap<&str, Wrapped> = HashMap::new();
    let mut rows = HashMap::with_capacity(registry.project_count());
    for a in &registry.areas {
        let area = sizer.wrap(&a.name, t.area.width, BreakRule::Prose);
        for p in a.categories.iter().flat_map(|c| &c.projects) {
            let status = statuses
                .entry(&p.status)
                .or_insert_with(|| sizer.wrap(&p.status, t.status.width, BreakRule::Prose))
                .clone();
            let name = sizer.wrap(&p.name, t.project.width, BreakRule::Prose);
            let summary = sizer.wrap(&p.summary, t.summary.width, BreakRule::Prose);
            let lines = [area.lines, name.lines, status.lines, summary.lines]
                .into_iter()
                .max()
                .unwrap_or(1);
            let row = TownRow {
                area: area.clone(),
                name,
                status,
                summary,
                height: sizer.height(lines),
            };
            rows.insert(p.number, row);
        }
    }
    rows
}
