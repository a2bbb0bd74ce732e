//! The sheet named by the registry's label (資料2): the handout's table, printed as the
//! handout prints it.
//!
//! ```text
//! row 0   the label (資料2), top right        ┐ repeated at the top
//! row 1   the title, centred over the table   │ of every printed page
//! row 2   the header                          ┘
//! row 3…  one row per project
//! ```
//! Same [`CellGrid`] as the handout, and the same lines: each cell holds the lines the
//! handout prints, joined by line feeds, in columns wide enough for them at the
//! workbook's size (with slack, so that no application adds a break of its own). Pages
//! break before the rows where the handout's pages begin, at a fixed print scale at
//! which every page's rows fit; a merged 政策分野 or category cell is split at each
//! break and its text repeated, as the handout repeats it.

use std::ops::Range;

use rust_xlsxwriter::{Format, Worksheet};

use super::sizer::{join, pixels_of_points, Sizer, Wrapped, MAX_ROW_HEIGHT};
use super::styles::Styles;
use crate::documents::progress;
use crate::error::Result;
use crate::layout::flow;
use crate::layout::grid::{Align, MeasuredGrid};
use crate::layout::{CellKind, Fonts};
use crate::model::Registry;
use crate::template::Template;
use crate::units::{Mm, Pt};

/// Sheet rows above the grid's header row: the label, the title.
const TOP_ROWS: u32 = 2;
/// Excel's largest number of manual page breaks in a sheet (rust_xlsxwriter's check).
const MAX_PAGE_BREAKS: usize = 1023;
/// The print scale leaves this much of each page unused, for an application's rounding.
const PAGE_SLACK: f64 = 0.03;

pub(super) fn main_sheet(
    sheet: &mut Worksheet,
    registry: &Registry,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    sheet.set_name(&registry.label)?;
    let fonts: &Fonts = sizer.fonts;
    // The handout's table, measured and paginated once (as the handout does, but
    // nothing drawn): its lines and the rows each of its pages holds.
    let handout = progress::sheet(registry, tpl);
    let grid = &handout.grid;
    let metrics = flow::grid_metrics(&tpl.pdf);
    let mut measured = MeasuredGrid::new(grid, metrics, fonts);
    let pages = flow::page_rows(&handout, &tpl.pdf, fonts, &mut measured);

    // Columns: each holds the handout's body lines at the workbook's size.
    let widths: Vec<f64> = grid
        .widths
        .iter()
        .map(|w| {
            let em = f64::from(w - 2.0 * metrics.pad) / f64::from(metrics.body_size);
            let pixels = pixels_of_points(sizer.column_width(em));
            f64::from(pixels) * 0.75
        })
        .collect();
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels_of_points(*w))?;
    }
    let last_col = (widths.len() - 1) as u16;
    let table_width: f64 = widths.iter().sum();

    // Rows where a printed page begins (body rows, 0-based), from the handout's pages.
    let mut page_starts = vec![0];
    let mut previous: &[usize] = &[];
    for rows in &pages {
        if let Some(&first) = rows.iter().find(|r| !previous.contains(r)) {
            if page_starts.last().is_some_and(|&last| first > last) {
                page_starts.push(first);
            }
        }
        if !rows.is_empty() {
            previous = rows;
        }
    }
    // Excel takes at most 1,023 breaks; past them the application paginates.
    page_starts.truncate(MAX_PAGE_BREAKS + 1);
    let page_of = |body_row: usize| page_starts.partition_point(|&s| s <= body_row) - 1;

    // Row heights: the tallest one-row cell, then each merged piece grows its last row.
    let h = grid.header_rows;
    let mut header_heights = vec![sizer.height(1); h];
    let mut heights = vec![sizer.height(1); grid.body_rows];
    let mut pieces: Vec<(usize, Range<usize>)> = Vec::new();
    for (i, c) in grid.cells.iter().enumerate() {
        let lines = measured.lines[i].len();
        if c.row < h {
            let need = sizer.height(lines);
            let last = c.rows().end - 1;
            header_heights[last] = header_heights[last].max(need);
        } else if c.is_merged() {
            let rows = c.row - h..c.rows().end - h;
            let mut start = rows.start;
            while start < rows.end {
                let page_end = page_starts
                    .get(page_of(start) + 1)
                    .copied()
                    .unwrap_or(usize::MAX);
                let end = rows.end.min(page_end);
                pieces.push((i, start..end));
                start = end;
            }
        } else {
            let r = c.row - h;
            heights[r] = heights[r].max(sizer.height(lines));
        }
    }
    // Narrower pieces first: growing one can only help the pieces containing it.
    pieces.sort_by_key(|(i, rows)| (rows.len(), std::cmp::Reverse(grid.cells[*i].column)));
    for (i, rows) in &pieces {
        let need = sizer.height(measured.lines[*i].len());
        let total: f64 = heights[rows.clone()].iter().sum();
        if total < need {
            let last = &mut heights[rows.end - 1];
            *last = (*last + need - total).min(MAX_ROW_HEIGHT);
        }
    }

    // The label top right, the title centred over the whole table (as in the handout).
    sheet.write_string_with_format(0, last_col, &registry.label, &styles.label)?;
    sheet.set_row_height(0, sizer.height(1))?;
    let title_size = tpl.xlsx.title_font_size;
    let title = sizer.wrap_bold(&registry.title, table_width, title_size);
    if last_col == 0 {
        sheet.write_string_with_format(1, 0, &title.text, &styles.title)?;
    } else {
        sheet.merge_range(1, 0, 1, last_col, &title.text, &styles.title)?;
    }
    let title_height = sizer.height_at(title.lines, title_size) + title_size * 0.6;
    sheet.set_row_height(1, title_height)?;

    let first_body = TOP_ROWS + h as u32;
    for (r, height) in header_heights.iter().enumerate() {
        sheet.set_row_height(TOP_ROWS + r as u32, *height)?;
    }
    for (r, height) in heights.iter().enumerate() {
        sheet.set_row_height(first_body + r as u32, *height)?;
    }
    for (i, c) in grid.cells.iter().enumerate() {
        let text = join(&measured.lines[i], &c.text);
        let format = match (c.kind, c.align) {
            (CellKind::ColumnHeader, _) => &styles.header,
            _ if c.is_merged() => &styles.merged,
            (_, Align::Center) => &styles.centered,
            _ => &styles.text,
        };
        if c.row >= h && c.is_merged() {
            continue;
        }
        let row = TOP_ROWS + c.row as u32;
        write_cell(
            sheet,
            &text,
            row..row + c.rowspan as u32,
            c.columns(),
            format,
        )?;
    }
    for (i, rows) in &pieces {
        let c = &grid.cells[*i];
        let text = join(&measured.lines[*i], &c.text);
        let sheet_rows = first_body + rows.start as u32..first_body + rows.end as u32;
        write_cell(sheet, &text, sheet_rows, c.columns(), &styles.merged)?;
    }

    // Print: the handout's paper and margins, the top rows repeated, a break where each
    // of the handout's pages begins, and one scale at which every page fits.
    let paper = &tpl.pdf.paper;
    let margins = &tpl.pdf.margins;
    let inch = |mm: Mm| f64::from(mm.0) / 25.4;
    let printable_width =
        f64::from(Pt::from(Mm(paper.width.0 - margins.left.0 - margins.right.0)).0);
    let printable_height =
        f64::from(Pt::from(Mm(paper.height.0 - margins.top.0 - margins.bottom.0)).0);
    let top_height = sizer.height(1) + title_height + header_heights.iter().sum::<f64>();
    let tallest_page = page_starts
        .iter()
        .enumerate()
        .map(|(p, &start)| {
            let end = page_starts.get(p + 1).copied().unwrap_or(grid.body_rows);
            top_height + heights[start..end].iter().sum::<f64>()
        })
        .fold(0.0, f64::max);
    let scale = (printable_width / table_width)
        .min(printable_height / tallest_page)
        .min(1.0)
        * (1.0 - PAGE_SLACK);
    let scale = ((scale * 100.0).floor() as u16).clamp(10, 100);
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_scale(scale)
        .set_print_center_horizontally(true)
        .set_margins(
            inch(margins.left),
            inch(margins.right),
            inch(margins.top),
            inch(margins.bottom),
            inch(margins.top) / 2.0,
            inch(margins.bottom) / 2.0,
        )
        .set_footer("&C- &P -");
    let breaks: Vec<u32> = page_starts[1..]
        .iter()
        .map(|&r| first_body + r as u32)
        .collect();
    sheet.set_page_breaks(&breaks)?;
    sheet.set_repeat_rows(0, first_body - 1)?;
    sheet.set_print_area(0, 0, first_body + grid.body_rows as u32 - 1, last_col)?;
    sheet.set_freeze_panes(first_body, 0)?;
    Ok(())
}

/// `text` over sheet rows `rows` and grid columns `cols`, merged when more than one cell.
fn write_cell(
    sheet: &mut Worksheet,
    text: &Wrapped,
    rows: Range<u32>,
    cols: Range<usize>,
    format: &Format,
) -> Result<()> {
    let (row, col) = (rows.start, cols.start as u16);
    if rows.len() == 1 && cols.len() == 1 {
        sheet.write_string_with_format(row, col, &text.text, format)?;
    } else {
        let last_row = rows.end - 1;
        let last_col = cols.end as u16 - 1;
        sheet.merge_range(row, col, last_row, last_col, &text.text, format)?;
    }
    Ok(())
}
