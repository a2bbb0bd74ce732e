//! Stage 3b: registry + font metrics → the workbook (rust_xlsxwriter).
//!
//! ```text
//! <stem>.xlsx
//! ├── 資料2        the table as printed: merged 政策分野 / category cells, header repeated
//! ├── 旭川市 …     one appendix sheet per member town, in member order: its projects
//! └── 参加状況     projects × towns with ○, totals per town and per project
//! ```
//! Every sheet is print-ready (A4 landscape, one page wide, header rows repeated,
//! page numbers, print area, frozen header). Row heights are computed here from the
//! font's advances: neither Excel nor LibreOffice autofits rows with wrapped or merged
//! cells written by a library. All text is written as strings, so a summary starting
//! with `=` stays text. No wall-clock time is written: the same registry gives the
//! same bytes.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use std::collections::HashMap;

use crate::error::{Error, Location, Problem, Result};
use crate::layout::{count_lines, BreakRule, Fonts};
use crate::model::Registry;
use crate::template::Template;
use crate::units::Mm;

/// The font name Excel and LibreOffice know BIZ UDGothic by (Windows 10+ ships it).
pub const FONT_NAME: &str = "BIZ UDゴシック";

/// Excel's largest row height, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// The cell styles of every sheet.
struct Styles {
    title: Format,
    header: Format,
    text: Format,
    centered: Format,
    merged: Format,
    number: Format,
    label: Format,
}

impl Styles {
    fn new(tpl: &Template) -> Styles {
        let base = Format::new()
            .set_font_name(FONT_NAME)
            .set_font_size(tpl.xlsx.font_size);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(tpl.xlsx.title_font_size),
            label: base.clone().set_align(FormatAlign::Right),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(0xD9D9D9)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            centered: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            merged: cell.clone().set_align(FormatAlign::VerticalCenter),
            number: cell.clone().set_align(FormatAlign::Center),
            text: cell,
        }
    }
}

/// Turns text into row heights the way the PDF layout does, at the sheet's font size.
struct Sizer<'a> {
    fonts: &'a Fonts,
    size: f64,
    towns: Vec<String>,
}

impl Sizer<'_> {
    /// Lines `text` takes in a column `width` wide.
    fn lines(&self, text: &str, width: Mm, rule: BreakRule) -> usize {
        // Excel leaves about 3 px of padding each side of a wrapped cell and wraps by
        // its own rules: measure a little narrower so that its lines never outnumber ours.
        let points = f64::from(width.0) * 72.0 / 25.4 - 6.0;
        let em = (points / self.size * 0.95) as f32;
        count_lines(text, em.max(1.0), &self.fonts.regular, rule, &self.towns)
    }

    /// The height of a row with `lines` lines.
    fn height(&self, lines: usize) -> f64 {
        (lines as f64 * self.size * 1.3 + 5.0).min(MAX_ROW_HEIGHT)
    }
}

fn pixels(width: Mm) -> u32 {
    (f64::from(width.0) / 25.4 * 96.0).round() as u32
}

/// Page setup shared by every sheet: A4 landscape, one page wide, header repeated.
fn print_ready(sheet: &mut Worksheet, header_row: u32, last_row: u32, last_col: u16) -> Result<()> {
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3)
        .set_footer("&C- &P -");
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_print_area(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

/// Builds the workbook of `registry`.
///
/// # Errors
/// [`Error::Invalid`] when a sheet name from the template collides with the label or a
/// town; [`Error::Xlsx`] if rust_xlsxwriter refuses a value.
pub fn write_xlsx(registry: &Registry, tpl: &Template, fonts: &Fonts) -> Result<Vec<u8>> {
    let participation = &tpl.xlsx.participation_sheet;
    let clash = registry
        .towns
        .iter()
        .map(|t| &t.name)
        .chain([&registry.label])
        .any(|n| n.to_lowercase() == participation.to_lowercase());
    if clash {
        return Err(Error::invalid(
            &registry.source.path,
            vec![Problem::new(
                Location::default(),
                format!("the sheet name {participation} is used by a town or the label"),
            )
            .with_help("rename it, or set xlsx.participation_sheet in a template")],
        ));
    }

    let styles = Styles::new(tpl);
    let sizer = Sizer {
        fonts,
        size: tpl.xlsx.font_size,
        towns: registry.towns.iter().map(|t| t.name.clone()).collect(),
    };
    let mut workbook = Workbook::new();
    let date = ExcelDateTime::from_timestamp(registry.timestamp)?;
    let properties = DocProperties::new()
        .set_title(&registry.title)
        .set_subject(&registry.label)
        .set_author(registry.author.as_deref().unwrap_or(""))
        .set_comment(registry.meeting.as_deref().unwrap_or(""))
        .set_creation_datetime(&date);
    workbook.set_properties(&properties);

    // Constant memory mode: rows go to a temporary file as they are written, so a
    // registry of 10,000 projects (about 500,000 cells over ten sheets) stays small.
    main_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        registry,
        tpl,
        &styles,
        &sizer,
    )?;
    // A project's row is as tall on every town sheet it appears in: measure it once.
    let t = &tpl.xlsx.town_columns;
    let town_rows: HashMap<u32, f64> = registry
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
        .collect();
    for town in registry.town_ids() {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        town_sheet(
            sheet,
            &registry.for_town(town),
            &registry.town(town).name,
            tpl,
            &styles,
            &sizer,
            &town_rows,
        )?;
    }
    participation_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        registry,
        tpl,
        &styles,
    )?;
    Ok(workbook.save_to_buffer()?)
}

fn main_sheet(
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

fn town_sheet(
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

fn participation_sheet(
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
