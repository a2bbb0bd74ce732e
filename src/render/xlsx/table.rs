//! The sheet named by the registry's label (資料2): the table as printed, with merged
//! 政策分野 and category cells and the header repeated on every page.

use rust_xlsxwriter::{Format, Worksheet};

use super::print_ready;
use super::sizer::{pixels, Sizer, MAX_ROW_HEIGHT};
use super::styles::Styles;
use crate::error::Result;
use crate::layout::BreakRule;
use crate::model::Registry;
use crate::template::Template;

pub(super) fn main_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    sheet.set_name(&registry.label)?;
    let c = &tpl.columns;
    for (i, w) in c.widths().iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(*w))?;
    }
    sheet.merge_range(0, 0, 0, 4, &registry.title, &styles.title)?;
    sheet.write_string_with_format(0, 5, &registry.label, &styles.label)?;
    sheet.set_row_height(0, tpl.xlsx.title_font_size * 1.6)?;

    let header_row = 1;
    sheet.write_string_with_format(header_row, 0, &c.area.header, &styles.header)?;
    sheet.merge_range(
        header_row,
        1,
        header_row,
        2,
        &c.project_header(registry.project_count()),
        &styles.header,
    )?;
    sheet.write_string_with_format(header_row, 3, &c.status.header, &styles.header)?;
    sheet.write_string_with_format(header_row, 4, &c.summary.header, &styles.header)?;
    sheet.write_string_with_format(header_row, 5, &c.towns.header, &styles.header)?;
    sheet.set_row_height(header_row, sizer.height(1))?;

    // Heights first: the sheet is written strictly row by row (constant memory mode),
    // and a merged cell's text can make the last of its rows taller.
    let mut heights = Vec::with_capacity(registry.project_count());
    for area in &registry.areas {
        let area_start = heights.len();
        for cat in &area.categories {
            let cat_start = heights.len();
            for p in &cat.projects {
                let lines = [
                    sizer.lines(&p.label(), c.project.width, BreakRule::Prose),
                    sizer.lines(&p.status, c.status.width, BreakRule::Prose),
                    sizer.lines(&p.summary, c.summary.width, BreakRule::Prose),
                    sizer.lines(
                        &registry.town_list(p),
                        c.towns.width,
                        BreakRule::List { sep: '、' },
                    ),
                ];
                heights.push(sizer.height(lines.into_iter().max().unwrap_or(1)));
            }
            let need = sizer.height(sizer.lines(&cat.name, c.category.width, BreakRule::Prose));
            fit(&mut heights, cat_start, need);
        }
        let need = sizer.height(sizer.lines(&area.name, c.area.width, BreakRule::Prose));
        fit(&mut heights, area_start, need);
    }

    let mut row = header_row + 1;
    let mut height = heights.iter();
    for area in &registry.areas {
        let area_rows = area.project_count() as u32;
        merged(
            sheet,
            row,
            row + area_rows - 1,
            0,
            &area.name,
            &styles.merged,
        )?;
        for cat in &area.categories {
            let cat_rows = cat.projects.len() as u32;
            merged(sheet, row, row + cat_rows - 1, 1, &cat.name, &styles.merged)?;
            for p in &cat.projects {
                sheet.set_row_height(row, *height.next().unwrap_or(&0.0))?;
                sheet.write_string_with_format(row, 2, p.label(), &styles.text)?;
                sheet.write_string_with_format(row, 3, &p.status, &styles.centered)?;
                sheet.write_string_with_format(row, 4, &p.summary, &styles.text)?;
                sheet.write_string_with_format(row, 5, registry.town_list(p), &styles.text)?;
                row += 1;
            }
        }
    }
    print_ready(sheet, header_row, row - 1, 5)
}

/// Grows the last row of a merged cell starting at `start` (index into `heights`, and
/// running to the end) until the merged cell is `need` tall.
fn fit(heights: &mut [f64], start: usize, need: f64) {
    let total: f64 = heights[start..].iter().sum();
    if let Some(last) = heights.last_mut() {
        if total < need {
            *last = (*last + need - total).min(MAX_ROW_HEIGHT);
        }
    }
}

/// A cell merged over rows `first..=last` of column `col`; a single cell when one row.
fn merged(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<()> {
    if first == last {
        sheet.write_string_with_format(first, col, text, format)?;
    } else {
        sheet.merge_range(first, col, last, col, text, format)?;
    }
    Ok(())
}
