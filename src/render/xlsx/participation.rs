//! 参加状況: projects × member towns with ○, totals per town and per project.

use rust_xlsxwriter::Worksheet;

use super::print_ready;
use super::sizer::{pixels, pixels_of_points, Sizer};
use super::styles::Styles;
use crate::error::Result;
use crate::layout::BreakRule;
use crate::model::Registry;
use crate::template::Template;
use crate::units::{Mm, Pt};

/// The project column's width; a town's column is as wide as its name, within these.
const PROJECT_WIDTH: Mm = Mm(70.0);
const TOWN_WIDTH: Mm = Mm(16.0);
const TOWN_WIDTH_MAX_EM: f64 = 6.0;

pub(super) fn participation_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    let x = &tpl.xlsx;
    sheet.set_name(&x.participation_sheet)?;
    let town_cols = registry.towns.len() as u16;
    let last_col = town_cols + 2;
    let number_width = f64::from(Pt::from(x.town_columns.number.width).0);
    let project_width = f64::from(Pt::from(PROJECT_WIDTH).0);
    let widest = sizer
        .widest_bold(registry.towns.iter().map(|t| t.name.as_str()))
        .min(TOWN_WIDTH_MAX_EM);
    let town_width = sizer
        .column_width(widest)
        .max(f64::from(Pt::from(TOWN_WIDTH).0));
    sheet.set_column_width_pixels(0, pixels(x.town_columns.number.width))?;
    sheet.set_column_width_pixels(1, pixels(PROJECT_WIDTH))?;
    for i in 0..=town_cols {
        sheet.set_column_width_pixels(2 + i, pixels_of_points(town_width))?;
    }
    let table_width = number_width + project_width + town_width * f64::from(town_cols + 1);
    let title = format!("{}（{}）", registry.title, x.participation_sheet);
    let title = sizer.wrap_bold(&title, table_width, x.title_font_size);
    sheet.merge_range(0, 0, 0, last_col, &title.text, &styles.title)?;
    let title_height = sizer.height_at(title.lines, x.title_font_size) + x.title_font_size * 0.6;
    sheet.set_row_height(0, title_height)?;
    let header_row = 1;
    let headers = [
        (number_width, &x.town_columns.number.header),
        (project_width, &x.town_columns.project.header),
    ]
    .into_iter()
    .chain(registry.towns.iter().map(|t| (town_width, &t.name)))
    .chain([(town_width, &x.total_label)]);
    let mut header_lines = 1;
    for (i, (width, text)) in headers.enumerate() {
        let header = sizer.wrap_bold(text, width, sizer.size);
        header_lines = header_lines.max(header.lines);
        sheet.write_string_with_format(header_row, i as u16, &header.text, &styles.header)?;
    }
    sheet.set_row_height(header_row, sizer.height(header_lines))?;
    let mut per_town = vec![0u32; registry.towns.len()];
    let mut row = header_row + 1;
    for (_, _, p) in registry.rows() {
        sheet.write_number_with_format(row, 0, p.number, &styles.number)?;
        let name = sizer.wrap(&p.name, PROJECT_WIDTH, BreakRule::Prose);
        sheet.write_string_with_format(row, 1, &name.text, &styles.text)?;
        if name.lines > 1 {
            sheet.set_row_height(row, sizer.height(name.lines))?;
        }
        for town in registry.town_ids() {
            if p.has_town(town) {
                per_town[town.0] += 1;
                sheet.write_string(row, 2 + town.0 as u16, &x.participation_mark)?;
            }
        }
        // The town cells' format in one lookup (blanks where no mark): rust_xlsxwriter
        // hashes the whole Format for each formatted cell written.
        sheet.set_range_format(row, 2, row, last_col - 1, &styles.centered)?;
        sheet.write_number_with_format(row, last_col, p.towns.len() as f64, &styles.number)?;
        row += 1;
    }
    // The last row keeps the default height (see `write_xlsx` on constant memory).
    sheet.merge_range(row, 0, row, 1, &x.total_label, &styles.header)?;
    for (i, n) in per_town.iter().enumerate() {
        sheet.write_number_with_format(row, 2 + i as u16, *n, &styles.number)?;
    }
    let all: u32 = per_town.iter().sum();
    sheet.write_number_with_format(row, last_col, all, &styles.number)?;
    print_ready(sheet, header_row, row, last_col)
}
