//! 参加状況: projects × member towns with ○, totals per town and per project.

use rust_xlsxwriter::Worksheet;

use super::print_ready;
use super::sizer::pixels;
use super::styles::Styles;
use crate::error::Result;
use crate::model::Registry;
use crate::template::Template;
use crate::units::Mm;

pub(super) fn participation_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
) -> Result<()> {
    let x = &tpl.xlsx;
    sheet.set_name(&x.participation_sheet)?;
    let town_cols = registry.towns.len() as u16;
    let last_col = town_cols + 2;
    sheet.set_column_width_pixels(0, pixels(Mm(12.0)))?;
    sheet.set_column_width_pixels(1, pixels(Mm(70.0)))?;
    for i in 0..=town_cols {
        sheet.set_column_width_pixels(2 + i, pixels(Mm(16.0)))?;
    }
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{}（{}）", registry.title, x.participation_sheet),
        &styles.title,
    )?;
    sheet.set_row_height(0, x.title_font_size * 1.6)?;
    let header_row = 1;
    let number = &x.town_columns.number.header;
    let project = &x.town_columns.project.header;
    sheet.write_string_with_format(header_row, 0, number, &styles.header)?;
    sheet.write_string_with_format(header_row, 1, project, &styles.header)?;
    for (i, town) in registry.towns.iter().enumerate() {
        sheet.write_string_with_format(header_row, 2 + i as u16, &town.name, &styles.header)?;
    }
    sheet.write_string_with_format(header_row, last_col, &x.total_label, &styles.header)?;
    let mut per_town = vec![0u32; registry.towns.len()];
    let mut row = header_row + 1;
    for (_, _, p) in registry.rows() {
        sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
        sheet.write_string_with_format(row, 1, &p.name, &styles.text)?;
        for town in registry.town_ids() {
            let col = 2 + town.0 as u16;
            if p.has_town(town) {
                per_town[town.0] += 1;
                sheet.write_string_with_format(
                    row,
                    col,
                    &x.participation_mark,
                    &styles.centered,
                )?;
            } else {
                sheet.write_blank(row, col, &styles.centered)?;
            }
        }
        sheet.write_number_with_format(row, last_col, p.towns.len() as f64, &styles.number)?;
        row += 1;
    }
    sheet.merge_range(row, 0, row, 1, &x.total_label, &styles.header)?;
    for (i, n) in per_town.iter().enumerate() {
        sheet.write_number_with_format(row, 2 + i as u16, *n, &styles.number)?;
    }
    let all: u32 = per_town.iter().sum();
    sheet.write_number_with_format(row, last_col, all, &styles.number)?;
    print_ready(sheet, header_row, row, last_col)
}
