//! The sheet named by the registry's label (資料2): the table as printed, from the same
//! [`CellGrid`] as the handout (the template's columns, merged 政策分野 and category
//! cells), with the header repeated on every page.

use rust_xlsxwriter::{Format, Worksheet};

use super::print_ready;
use super::sizer::{pixels, Sizer, MAX_ROW_HEIGHT};
use super::styles::Styles;
use crate::documents::progress;
use crate::error::Result;
use crate::layout::grid::{Align, CellGrid, GridCell};
use crate::layout::CellKind;
use crate::model::Registry;
use crate::template::Template;
use crate::units::Mm;

pub(super) fn main_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    sheet.set_name(&registry.label)?;
    let widths = tpl.columns.widths();
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(*w))?;
    }
    let last_col = (widths.len() - 1) as u16;
    if last_col == 0 {
        sheet.write_string_with_format(0, 0, &registry.title, &styles.title)?;
    } else {
        sheet.merge_range(0, 0, 0, last_col - 1, &registry.title, &styles.title)?;
        sheet.write_string_with_format(0, last_col, &registry.label, &styles.label)?;
    }
    sheet.set_row_height(0, tpl.xlsx.title_font_size * 1.6)?;

    let grid = progress::grid(registry, tpl);
    let heights = row_heights(&grid, &widths, sizer);
    // Grid row r is sheet row r + 1 (the title is row 0); the header is grid row 0.
    let header_row = 1;
    for (r, height) in heights.iter().enumerate() {
        let row = header_row + r as u32;
        sheet.set_row_height(row, *height)?;
        for c in &grid.cells[grid.starting_at(r)] {
            let format = match (c.kind, c.align) {
                (CellKind::ColumnHeader, _) => &styles.header,
                _ if c.is_merged() => &styles.merged,
                (_, Align::Center) => &styles.centered,
                _ => &styles.text,
            };
            write_cell(sheet, c, row, format)?;
        }
    }
    print_ready(
        sheet,
        header_row,
        header_row + heights.len() as u32 - 1,
        last_col,
    )
}

/// Heights of every grid row at the sheet's font size: the tallest unmerged cell, then
/// each merged cell (the fewer rows first) grows the last of its rows to fit its text.
fn row_heights(grid: &CellGrid, widths: &[Mm], sizer: &Sizer) -> Vec<f64> {
    let width = |c: &GridCell| Mm(widths[c.columns()].iter().map(|w| w.0).sum());
    let mut heights = vec![sizer.height(1); grid.header_rows + grid.body_rows];
    let mut merged = Vec::new();
    for c in &grid.cells {
        if c.is_merged() {
            merged.push(c);
        } else {
            let h = sizer.height(sizer.lines(&c.text, width(c), c.rule));
            heights[c.row] = heights[c.row].max(h);
        }
    }
    merged.sort_by_key(|c| (c.rowspan, std::cmp::Reverse(c.column)));
    for c in merged {
        let need = sizer.height(sizer.lines(&c.text, width(c), c.rule));
        let total: f64 = heights[c.rows()].iter().sum();
        if total < need {
            let last = &mut heights[c.rows().end - 1];
            *last = (*last + need - total).min(MAX_ROW_HEIGHT);
        }
    }
    heights
}

/// A cell at sheet row `row`, merged over its spans when it has any.
fn write_cell(sheet: &mut Worksheet, c: &GridCell, row: u32, format: &Format) -> Result<()> {
    let col = c.column as u16;
    if c.rowspan == 1 && c.colspan == 1 {
        sheet.write_string_with_format(row, col, &c.text, format)?;
    } else {
        let last_row = row + c.rowspan as u32 - 1;
        let last_col = col + c.colspan as u16 - 1;
        sheet.merge_range(row, col, last_row, last_col, &c.text, format)?;
    }
    Ok(())
}
