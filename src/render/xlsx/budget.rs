//! 事業費: per fiscal year, projects × member towns, with row and column totals.
//!
//! ```text
//! 令和7年度（単位：千円）
//! 番号 | 連携事業名 | 旭川市 | 鷹栖町 | … | 計
//! 1    | 二次救急…  | 131300 | 2708   | … | =SUM(C4:J4)
//! 計   |            | =SUM(C4:C23) …       | =SUM(K4:K23)
//! ```
//! One block per fiscal year of the registry's budgets, oldest first, a blank row
//! between blocks; a project appears in a year's block when it has a budget line for
//! that year. Totals are formulas carrying their values (computed exactly from the
//! model's [`Amount`]s), so they show in any reader and stay live in Excel. Rows keep
//! the default height (safe in constant memory mode, see `write_xlsx`).

use rust_xlsxwriter::{utility::row_col_to_cell, Formula, Worksheet};

use super::sizer::{pixels, Sizer};
use super::styles::Styles;
use crate::error::Result;
use crate::model::{Amount, FiscalYear, Registry};
use crate::template::Template;
use crate::units::{Mm, Pt};
use crate::wareki;

/// The sheet's name.
pub const SHEET: &str = "事業費";

const NUMBER_WIDTH: Mm = Mm(10.0);
const PROJECT_WIDTH: Mm = Mm(60.0);
const AMOUNT_WIDTH: Mm = Mm(20.0);

/// `=SUM(C4:J4)`: the cells from (`row`, `first`) to (`last_row`, `last`).
pub fn sum(first_row: u32, first: u16, last_row: u32, last: u16) -> String {
    format!(
        "=SUM({}:{})",
        row_col_to_cell(first_row, first),
        row_col_to_cell(last_row, last)
    )
}

fn formula(text: String, value: Amount) -> Formula {
    Formula::new(text).set_result(value.to_string())
}

pub(super) fn budget_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    sheet.set_name(SHEET)?;
    let towns = registry.towns.len() as u16;
    let total_col = 2 + towns;
    sheet.set_column_width_pixels(0, pixels(NUMBER_WIDTH))?;
    sheet.set_column_width_pixels(1, pixels(PROJECT_WIDTH))?;
    for col in 2..=total_col {
        sheet.set_column_width_pixels(col, pixels(AMOUNT_WIDTH))?;
    }
    let title = format!("{}（{SHEET}）", registry.title);
    let width = [NUMBER_WIDTH, PROJECT_WIDTH]
        .into_iter()
        .chain((2..=total_col).map(|_| AMOUNT_WIDTH))
        .map(|w| f64::from(Pt::from(w).0))
        .sum();
    super::title_row(sheet, &title, total_col, width, tpl, styles, sizer)?;
    let mut row = 1;
    for year in registry.budget_years() {
        row += 1;
        row = year_block(sheet, registry, year, row, styles)?;
    }
    // Several year blocks, each with its own header: no row to repeat or freeze.
    super::page_setup(sheet);
    sheet.set_print_area(0, 0, row, total_col)?;
    Ok(())
}

/// Writes the block of `year` from `row` on; returns its last row (the totals).
fn year_block(
    sheet: &mut Worksheet,
    registry: &Registry,
    year: FiscalYear,
    mut row: u32,
    styles: &Styles,
) -> Result<u32> {
    let (amount, total) = (&styles.amount, &styles.amount_total);
    let towns = registry.towns.len() as u16;
    let total_col = 2 + towns;
    let name = wareki::format_fiscal_year(year, true).unwrap_or_else(|| year.to_string());
    let caption = format!("{name}（単位：{}）", registry.unit);
    sheet.write_string_with_format(row, 0, &caption, &styles.data_header)?;
    row += 1;
    sheet.write_string_with_format(row, 0, "番号", &styles.header)?;
    sheet.write_string_with_format(row, 1, "連携事業名", &styles.header)?;
    for (i, town) in registry.towns.iter().enumerate() {
        sheet.write_string_with_format(row, 2 + i as u16, &town.name, &styles.header)?;
    }
    sheet.write_string_with_format(row, total_col, "計", &styles.header)?;
    let first = row + 1;
    for p in registry.projects() {
        let Some(line) = p.budget.year(year) else {
            continue;
        };
        row += 1;
        sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
        sheet.write_string_with_format(row, 1, &p.name, &styles.one_line)?;
        for town in registry.town_ids() {
            if let Some(a) = line.amount(town) {
                sheet.write_number(row, 2 + town.0 as u16, a.as_f64())?;
            }
        }
        // The amounts' format in one lookup (blanks where none), not one per cell.
        sheet.set_range_format(row, 2, row, total_col - 1, amount)?;
        let text = sum(row, 2, row, total_col - 1);
        sheet.write_formula_with_format(row, total_col, formula(text, line.total()), total)?;
    }
    let last = row;
    row += 1;
    sheet.merge_range(row, 0, row, 1, "計", &styles.header)?;
    for town in registry.town_ids() {
        let col = 2 + town.0 as u16;
        let value = registry.budget_town_total(year, town);
        sheet.write_formula_with_format(
            row,
            col,
            formula(sum(first, col, last, col), value),
            total,
        )?;
    }
    let all = sum(first, total_col, last, total_col);
    sheet.write_formula_with_format(
        row,
        total_col,
        formula(all, registry.budget_total(year)),
        total,
    )?;
    Ok(row)
}
