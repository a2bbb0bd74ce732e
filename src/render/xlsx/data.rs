//! The data sheet (データ): the registry as a machine-readable table, by the 総務省's
//! rules for spreadsheets meant for reuse: one row per project, one value per cell,
//! no merged cells, no blank rows or columns for layout, a single header row, an
//! autofilter and a frozen header. Staff sort, filter and pivot this sheet.
//!
//! ```text
//! 政策分野 | 区分 | 番号 | 連携事業名 | 取組状況 | 取組内容・事業概要 | 旭川市 | 鷹栖町 | …
//!   then, for the fields beyond the seed that some project has (render/fields.rs):
//! … | ID | 主担当 | 担当課 | 評価 | 今後の方向性 | 成果指標1 | 単位1 | 基準値1 | 基準年度1 | …
//!   | 事業費2025年度（千円） | …
//! ```
//! Numbers are numbers; every other value is the registry's text exactly (no line
//! breaks added); a member town's column holds the participation mark (○) or nothing.
//! The columns of the seed come first, where they always were, so that a registry
//! without the new fields gives the same sheet as before.
//! Values are in the Normal style (no format of their own): nothing here is laid out
//! for print, and a cell without a format costs rust_xlsxwriter no format lookup
//! (hashing a `Format` is most of the cost of writing a cell).

use rust_xlsxwriter::Worksheet;

use super::sizer::pixels;
use super::styles::Styles;
use crate::error::Result;
use crate::model::Registry;
use crate::render::fields::{Field, Value};
use crate::template::Template;
use crate::units::Mm;

/// Column widths: area, category, number, project, status, summary, then each town.
const WIDTHS: [Mm; 6] = [Mm(30.0), Mm(40.0), Mm(12.0), Mm(60.0), Mm(20.0), Mm(120.0)];
const TOWN_WIDTH: Mm = Mm(18.0);

pub(super) fn data_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
) -> Result<()> {
    let d = &tpl.xlsx.data_sheet;
    let mark = &tpl.xlsx.participation_mark;
    sheet.set_name(&d.name)?;
    let fixed = WIDTHS.len() as u16;
    for (i, w) in WIDTHS.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(*w))?;
    }
    let first_field = fixed + registry.towns.len() as u16;
    for col in fixed..first_field {
        sheet.set_column_width_pixels(col, pixels(TOWN_WIDTH))?;
    }
    let fields = Field::present(registry);
    for (i, field) in fields.iter().enumerate() {
        sheet.set_column_width_pixels(first_field + i as u16, pixels(field.width()))?;
    }
    let last_col = first_field + fields.len() as u16 - 1;
    for (i, header) in d.headers().iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *header, &styles.data_header)?;
    }
    for (i, town) in registry.towns.iter().enumerate() {
        sheet.write_string_with_format(0, fixed + i as u16, &town.name, &styles.data_header)?;
    }
    for (i, field) in fields.iter().enumerate() {
        let header = field.header(registry);
        sheet.write_string_with_format(0, first_field + i as u16, &header, &styles.data_header)?;
    }
    let mut row = 0;
    for (area, category, p) in registry.rows() {
        row += 1;
        sheet.write_string(row, 0, &area.name)?;
        sheet.write_string(row, 1, &category.name)?;
        sheet.write_number(row, 2, p.number)?;
        sheet.write_string(row, 3, &p.name)?;
        sheet.write_string(row, 4, &p.status)?;
        if !p.summary.is_empty() {
            sheet.write_string(row, 5, &p.summary)?;
        }
        for town in registry.town_ids() {
            if p.has_town(town) {
                sheet.write_string(row, fixed + town.0 as u16, mark)?;
            }
        }
        for (i, field) in fields.iter().enumerate() {
            let col = first_field + i as u16;
            match field.value(registry, p) {
                Value::Text(t) if !t.is_empty() => sheet.write_string(row, col, t)?,
                Value::Number(n) => sheet.write_number(row, col, n)?,
                Value::Text(_) | Value::Empty => sheet,
            };
        }
    }
    sheet.autofilter(0, 0, row, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
