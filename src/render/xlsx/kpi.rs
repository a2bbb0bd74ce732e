//! 成果指標: one row per KPI, with its project, values, years, achievement and grade.
//!
//! ```text
//! 番号 | 連携事業名 | 成果指標 | 単位 | 基準値 | 基準年度 | 目標値 | 目標年度 | 実績値 | 実績年度 | 達成率 | 評価
//! ```
//! Values are numbers where the registry has numbers (words such as 検討中 stay text);
//! years are printed in 和暦 as in the handout. 達成率 is a live formula (実績値 ÷
//! 目標値) carrying its computed value, so the rate shows in any reader (calamine,
//! viewers that do not calculate) and follows the cells when someone edits them in
//! Excel. Rows keep the default height (values on one line, wide columns), which keeps
//! the sheet safe in constant memory mode (see `write_xlsx`).

use rust_xlsxwriter::{utility::row_col_to_cell, Format, Formula, Worksheet};

use super::sizer::{pixels, Sizer};
use super::styles::Styles;
use crate::error::Result;
use crate::model::{KpiPoint, KpiValue, Registry};
use crate::template::Template;
use crate::units::{Mm, Pt};
use crate::wareki;

/// The sheet's name.
pub const SHEET: &str = "成果指標";

/// Header and width of each column, in order.
const COLUMNS: [(&str, Mm); 12] = [
    ("番号", Mm(10.0)),
    ("連携事業名", Mm(60.0)),
    ("成果指標", Mm(70.0)),
    ("単位", Mm(14.0)),
    ("基準値", Mm(20.0)),
    ("基準年度", Mm(24.0)),
    ("目標値", Mm(20.0)),
    ("目標年度", Mm(24.0)),
    ("実績値", Mm(20.0)),
    ("実績年度", Mm(24.0)),
    ("達成率", Mm(16.0)),
    ("評価", Mm(12.0)),
];
const TARGET_COL: u16 = 6;
const ACTUAL_COL: u16 = 8;
const RATE_COL: u16 = 10;

/// The 達成率 of a row: `=I3/G3` (実績値 ÷ 目標値), as Excel computes it.
pub fn rate_formula(row: u32) -> String {
    format!(
        "={}/{}",
        row_col_to_cell(row, ACTUAL_COL),
        row_col_to_cell(row, TARGET_COL)
    )
}

pub(super) fn kpi_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    sheet.set_name(SHEET)?;
    let last_col = COLUMNS.len() as u16 - 1;
    for (i, (_, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(*width))?;
    }
    let title = format!("{}（{SHEET}）", registry.title);
    let width = COLUMNS.iter().map(|(_, w)| f64::from(Pt::from(*w).0)).sum();
    super::title_row(sheet, &title, last_col, width, tpl, styles, sizer)?;
    let header_row = 1;
    for (i, (header, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(header_row, i as u16, *header, &styles.header)?;
    }
    let (one_line, value, rate) = (&styles.one_line, &styles.value, &styles.rate);
    let mut row = header_row;
    for p in registry.projects() {
        for k in &p.kpis {
            row += 1;
            sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
            sheet.write_string_with_format(row, 1, &p.name, one_line)?;
            sheet.write_string_with_format(row, 2, &k.indicator, one_line)?;
            sheet.write_string_with_format(row, 3, &k.unit, &styles.centered)?;
            for (col, point) in [(4, &k.baseline), (6, &k.target), (8, &k.actual)] {
                write_point(sheet, row, col, point.as_ref(), value, styles)?;
            }
            match k.achievement() {
                Some(r) => {
                    let formula = Formula::new(rate_formula(row)).set_result(r.to_string());
                    sheet.write_formula_with_format(row, RATE_COL, formula, rate)?;
                }
                None => {
                    sheet.write_blank(row, RATE_COL, rate)?;
                }
            }
            match &p.grade {
                Some(g) => sheet.write_string_with_format(row, 11, g, &styles.centered)?,
                None => sheet.write_blank(row, 11, &styles.centered)?,
            };
        }
    }
    super::print_ready(sheet, header_row, row, last_col)?;
    sheet.autofilter(header_row, 0, row, last_col)?;
    Ok(())
}

/// A value and its 和暦 fiscal year in two cells; blanks when the KPI has no such point.
fn write_point(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    point: Option<&KpiPoint>,
    number: &Format,
    styles: &Styles,
) -> Result<()> {
    let Some(point) = point else {
        sheet.write_blank(row, col, number)?;
        sheet.write_blank(row, col + 1, &styles.centered)?;
        return Ok(());
    };
    match &point.value {
        KpiValue::Number(n) => sheet.write_number_with_format(row, col, *n, number)?,
        KpiValue::Word(w) => sheet.write_string_with_format(row, col, w, &styles.centered)?,
    };
    let year = wareki::format_fiscal_year(point.year, false).unwrap_or_default();
    sheet.write_string_with_format(row, col + 1, &year, &styles.centered)?;
    Ok(())
}
