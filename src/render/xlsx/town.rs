//! One appendix sheet per member town: the projects it takes part in and their count.

use std::collections::HashMap;

use rust_xlsxwriter::Worksheet;

use super::print_ready;
use super::sizer::{pixels, Sizer};
use super::styles::Styles;
use crate::error::Result;
use crate::layout::BreakRule;
use crate::model::Registry;
use crate::template::Template;

pub(super) fn town_sheet(
    sheet: &mut Worksheet,
    town_registry: &Registry,
    town: &str,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
    row_heights: &HashMap<u32, f64>,
) -> Result<()> {
    sheet.set_name(town)?;
    let cols = tpl.xlsx.town_columns.all();
    for (i, col) in cols.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(col.width))?;
    }
    let last_col = (cols.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last_col - 1, &town_registry.title, &styles.title)?;
    sheet.write_string_with_format(0, last_col, &town_registry.label, &styles.label)?;
    sheet.set_row_height(0, tpl.xlsx.title_font_size * 1.6)?;
    let header_row = 1;
    for (i, col) in cols.iter().enumerate() {
        sheet.write_string_with_format(header_row, i as u16, &col.header, &styles.header)?;
    }
    sheet.set_row_height(header_row, sizer.height(1))?;
    let mut row = header_row + 1;
    for (area, _, p) in town_registry.rows() {
        sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
        sheet.write_string_with_format(row, 1, &area.name, &styles.text)?;
        sheet.write_string_with_format(row, 2, &p.name, &styles.text)?;
        sheet.write_string_with_format(row, 3, &p.status, &styles.centered)?;
        sheet.write_string_with_format(row, 4, &p.summary, &styles.text)?;
        sheet.set_row_height(row, row_heights[&p.number])?;
        row += 1;
    }
    let count = town_registry.project_count();
    sheet.merge_range(row, 0, row, 1, &tpl.xlsx.town_count_label, &styles.header)?;
    sheet.write_number_with_format(row, 2, count as f64, &styles.number)?;
    print_ready(sheet, header_row, row, last_col)
}

/// Each project's row height on the town sheets, by project number: a project's row is
/// as tall on every town sheet it appears in, so it is measured once.
pub(super) fn row_heights(registry: &Registry, tpl: &Template, sizer: &Sizer) -> HashMap<u32, f64> {
    let t = &tpl.xlsx.town_columns;
    registry
        .rows()
        .map(|(area, _, p)| {
            let lines = [
                sizer.lines(&area.name, t.area.width, BreakRule::Prose),
                sizer.lines(&p.name, t.project.width, BreakRule::Prose),
                sizer.lines(&p.status, t.status.width, BreakRule::Prose),
                sizer.lines(&p.summary, t.summary.width, BreakRule::Prose),
            ];
            (p.number, sizer.height(lines.into_iter().max().unwrap_or(1)))
        })
        .collect()
}
