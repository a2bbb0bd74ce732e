//! Stage 3b (another workbook): a [`DiffTable`] → the 新旧対照表 workbook (rust_xlsxwriter).
//!
//! ```text
//! <new stem>.diff.xlsx
//! └── 新旧対照表   title and label; which files; the counts; then 新 | 旧 | 備考,
//!                  one row per changed project, changed characters underlined
//! ```
//! Changed characters are underlined as rich text inside the cells (inline rich
//! strings), in both the 新 and 旧 columns, so that Excel and LibreOffice show and
//! print them. The sheet is print-ready like the others: A4 landscape, one page wide,
//! header repeated, page numbers; row heights from the font's advances.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook,
    Worksheet,
};

use super::sizer::{pixels, Sizer};
use super::{print_ready, FONT_NAME};
use crate::compare::table::LEGEND;
use crate::compare::{DiffTable, Mark, Marked};
use crate::error::Result;
use crate::layout::{BreakRule, Fonts};
use crate::template::Template;
use crate::units::Mm;

/// The sheet's name.
pub const SHEET: &str = "新旧対照表";

/// Column widths: 新, 旧, 備考 (A4 landscape less the margins).
const WIDTHS: [Mm; 3] = [Mm(112.0), Mm(112.0), Mm(53.0)];

/// The header row (title, files and counts above it).
const HEADER_ROW: u32 = 2;

struct Styles {
    title: Format,
    label: Format,
    note: Format,
    header: Format,
    cell: Format,
    /// Font of a rich-text run: plain and underlined.
    plain: Format,
    underlined: Format,
}

impl Styles {
    fn new(size: f64, title_size: f64) -> Styles {
        let font = Format::new().set_font_name(FONT_NAME).set_font_size(size);
        let cell = font
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Styles {
            title: font.clone().set_bold().set_font_size(title_size),
            label: font.clone().set_align(FormatAlign::Right),
            note: font.clone().set_text_wrap().set_align(FormatAlign::Top),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(0xD9D9D9)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            underlined: font.clone().set_underline(FormatUnderline::Single),
            plain: font,
            cell,
        }
    }
}

/// Writes a marked cell: rich text when something is marked, a plain string otherwise.
fn write_marked(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &Marked,
    styles: &Styles,
) -> Result<()> {
    if !text.has_changes() {
        sheet.write_string_with_format(row, col, text.text(), &styles.cell)?;
        return Ok(());
    }
    let runs: Vec<(&Format, &str)> = text
        .spans
        .iter()
        .map(|s| {
            let font = if s.mark == Mark::Same {
                &styles.plain
            } else {
                &styles.underlined
            };
            (font, s.text.as_str())
        })
        .collect();
    sheet.write_rich_string_with_format(row, col, &runs, &styles.cell)?;
    Ok(())
}

/// Builds the 新旧対照表 workbook.
///
/// # Errors
/// [`crate::Error::Xlsx`] if rust_xlsxwriter refuses a value (a cell over 32,767
/// characters).
pub fn write_diff_xlsx(table: &DiffTable, tpl: &Template, fonts: &Fonts) -> Result<Vec<u8>> {
    let size = tpl.xlsx.font_size;
    let styles = Styles::new(size, tpl.xlsx.title_font_size);
    let sizer = Sizer {
        fonts,
        size,
        towns: table.keep.clone(),
    };
    let lines = |text: &str, width: Mm| sizer.lines(text, width, BreakRule::Prose);
    let mut workbook = Workbook::new();
    let date = ExcelDateTime::from_timestamp(table.timestamp)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&table.title)
            .set_subject(&table.summary)
            .set_author(table.author.as_deref().unwrap_or(""))
            .set_creation_datetime(&date),
    );
    // Constant memory: rows stream out in order and every string is inline, so a
    // diff of 10,000 projects stays small (and the rich text sits in the sheet XML).
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(SHEET)?;
    for (i, w) in WIDTHS.iter().enumerate() {
        sheet.set_column_width_pixels(i as u16, pixels(*w))?;
    }
    sheet.merge_range(0, 0, 0, 1, &table.title, &styles.title)?;
    sheet.write_string_with_format(0, 2, &table.label, &styles.label)?;
    sheet.set_row_height(0, tpl.xlsx.title_font_size * 1.6)?;
    let note = format!("{}\n{}", table.sources, table.summary);
    sheet.merge_range(1, 0, 1, 2, &note, &styles.note)?;
    sheet.set_row_height(1, sizer.height(2))?;
    for (i, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, i as u16, h, &styles.header)?;
    }
    sheet.set_row_height(HEADER_ROW, sizer.height(1))?;

    let mut row = HEADER_ROW + 1;
    for r in &table.rows {
        let tallest = [
            lines(&r.new.text(), WIDTHS[0]),
            lines(&r.old.text(), WIDTHS[1]),
            lines(&r.remarks, WIDTHS[2]),
        ]
        .into_iter()
        .max()
        .unwrap_or(1);
        sheet.set_row_height(row, sizer.height(tallest))?;
        write_marked(sheet, row, 0, &r.new, &styles)?;
        write_marked(sheet, row, 1, &r.old, &styles)?;
        sheet.write_string_with_format(row, 2, &r.remarks, &styles.cell)?;
        row += 1;
    }
    if table.rows.is_empty() {
        // Nothing changed: the body says so, so a printout is never an empty grid.
        sheet.merge_range(row, 0, row, 2, &table.summary, &styles.cell)?;
        sheet.set_row_height(row, sizer.height(1))?;
        row += 1;
    }
    // The legend, last and at the default height: rust_xlsxwriter 0.102 in constant
    // memory mode writes a last row with a custom height twice (a `<row>` Excel
    // rejects), so the last row must not have one.
    sheet.merge_range(row, 0, row, 2, LEGEND, &styles.note)?;
    print_ready(sheet, HEADER_ROW, row, 2)?;
    super::save(&mut workbook)
}
