//! Reading workbooks that come from outside (a hand-made 資料2, a town's 照会 answer):
//! xlsx bytes → sheets of cell text, merge ranges, hidden columns, document properties.
//!
//! Every file is treated as hostile until checked: size, number of zip entries and the
//! real (not declared) uncompressed size of every entry are bounded before calamine
//! sees the bytes, so a zip bomb costs a bounded amount of memory and time. Formulas
//! are never evaluated: a formula cell reads as the value Excel or LibreOffice cached.

mod parts;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Dimensions, Reader, SheetVisible, Xlsx};

use crate::error::{Error, Location, Problem, Result};
use crate::i18n::Text;
use crate::tr;

pub use parts::CoreProperties;

/// Larger files are refused unread: real 資料2 and 照会 workbooks are a few hundred KB,
/// and 10,000 projects written by shiryo are about 6 MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Bound on the uncompressed size of all entries together.
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// Bound on the number of zip entries.
pub const MAX_ENTRIES: usize = 10_000;

/// An opened workbook, checked to be a sane xlsx.
pub struct Book {
    pub path: PathBuf,
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    parts: parts::Parts,
    /// The file, for what calamine does not read (a sheet's page breaks).
    bytes: std::sync::Arc<[u8]>,
}

/// One sheet's cells as text, with its merges and hidden columns.
pub struct Sheet {
    pub name: String,
    /// Rows of cell text; `cells[r][c]` is the text of row r, column c (zero-based,
    /// absolute: row 0 is the sheet's row 1). A merged range's text is in its top-left cell.
    pub cells: Vec<Vec<String>>,
    /// Whether `cells[r][c]` held a number (kept apart from text that looks like one).
    pub numeric: Vec<Vec<bool>>,
    pub merges: Merges,
    pub hidden_columns: Vec<u32>,
    /// `<col>` widths: (first, last column, zero-based; width in characters).
    pub column_widths: Vec<parts::ColumnWidth>,
    /// The workbook's Normal font size in points, when it says.
    pub font_size: Option<f64>,
    /// Rows (zero-based, sorted) where the sheet's manual page breaks begin a page.
    pub page_starts: Vec<usize>,
}

/// A sheet's merged ranges, found by cell with a binary search: a 10,000-project sheet
/// has thousands of merges, and scanning them all for every cell read made import
/// quadratic. Merges never overlap, so within one column they are disjoint row spans.
#[derive(Debug, Default)]
pub struct Merges {
    ranges: Vec<Dimensions>,
    /// Per column (up to the sheet's width): (first row, last row, index in `ranges`),
    /// sorted by first row.
    by_column: Vec<Vec<(u32, u32, usize)>>,
}

impl Merges {
    /// `width`: columns past it are never asked for (no cells there), so a merge as
    /// wide as the sheet costs no more than the sheet.
    pub fn new(ranges: Vec<Dimensions>, width: usize) -> Merges {
        let mut by_column: Vec<Vec<(u32, u32, usize)>> = vec![Vec::new(); width];
        for (i, d) in ranges.iter().enumerate() {
            let last = (d.end.1 as usize).min(width.saturating_sub(1));
            for col in (d.start.1 as usize..=last).filter(|&c| c < width) {
                by_column[col].push((d.start.0, d.end.0, i));
            }
        }
        for spans in &mut by_column {
            spans.sort_unstable();
        }
        Merges { ranges, by_column }
    }

    /// The range that covers (row, col), if any.
    pub fn at(&self, row: usize, col: usize) -> Option<&Dimensions> {
        let spans = self.by_column.get(col)?;
        let row = u32::try_from(row).ok()?;
        // The last span starting at or above `row`.
        let i = spans.partition_point(|&(first, _, _)| first <= row);
        let &(_, last, index) = spans.get(i.checked_sub(1)?)?;
        (row <= last).then(|| &self.ranges[index])
    }
}

impl Sheet {
    pub fn text(&self, row: usize, col: usize) -> &str {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }

    pub fn is_number(&self, row: usize, col: usize) -> bool {
        self.numeric
            .get(row)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or(false)
    }

    /// The widest row's length: a scan of every row, so not for use inside a loop
    /// over rows (see [`Sheet::row_width`]).
    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The columns row `row` has cells in (every column past it is empty).
    pub fn row_width(&self, row: usize) -> usize {
        self.cells.get(row).map_or(0, Vec::len)
    }

    /// The merge range that covers (row, col), if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<&Dimensions> {
        self.merges.at(row, col)
    }

    /// The text shown at (row, col): a merged range's text in each of its cells.
    pub fn shown(&self, row: usize, col: usize) -> &str {
        match self.merge_at(row, col) {
            Some(d) => self.text(d.start.0 as usize, d.start.1 as usize),
            None => self.text(row, col),
        }
    }

    /// Points of text a line holds in column `col`: its width as Excel draws it
    /// (7 pixels a character and 5 of padding, at 96 pixels an inch) less the 3 pt
    /// an application leaves each side. `None` when the sheet gives no width.
    pub fn text_points(&self, col: usize) -> Option<f64> {
        let &(_, _, width) = self
            .column_widths
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&(col as u32)))?;
        Some(((width * 7.0 + 5.0).round() * 0.75 - 6.0).max(0.0))
    }

    pub fn is_hidden(&self, col: usize) -> bool {
        self.hidden_columns.contains(&(col as u32))
    }
}

/// `C7` for zero-based (row 6, column 2).
pub fn cell_name(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// A problem at a cell of a workbook, printed `file: Sheet!C7: message`.
pub fn cell_problem(sheet: &str, row: usize, col: usize, message: Text) -> Problem {
    let at = format!("{}!{}: ", sheet, cell_name(row, col));
    Problem::new(
        Location::default(),
        Text::new(at.clone() + &message.en, at + &message.ja),
    )
}

/// A problem with the whole file.
pub fn file_error(path: &Path, message: Text, help: Text) -> Error {
    Error::invalid(
        path,
        vec![Problem::new(Location::default(), message).with_help(help)],
    )
}

impl Book {
    /// Reads and checks `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when unreadable; [`Error::Invalid`] when it is not an xlsx
    /// workbook, damaged, or unpacks to more than the limits above.
    pub fn open(path: &Path) -> Result<Book> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::io(path, e))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(file_error(
                path,
                tr!(
                    "the file is {size} bytes; the limit is {MAX_FILE_BYTES}",
                    "ファイルが {size} バイトあります。上限は {MAX_FILE_BYTES} バイトです"
                ),
                tr!(
                    "is this the right file? Workbooks of 資料2 are a few hundred kilobytes",
                    "ファイルを確かめてください。資料2 のワークブックは数百キロバイトです"
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Book::from_bytes(path, bytes)
    }

    /// As [`Book::open`], for bytes already read; `path` names the file in messages.
    ///
    /// # Errors
    /// As [`Book::open`].
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Book> {
        let not_xlsx = |why: String| {
            file_error(
                path,
                tr!(
                    "not a readable Excel workbook (.xlsx): {why}",
                    "読める Excel ブック（.xlsx）ではありません: {why}"
                ),
                tr!(
                    "save it from Excel or LibreOffice as 「Excel ブック (*.xlsx)」",
                    "Excel か LibreOffice で「Excel ブック (*.xlsx)」として保存し直してください"
                ),
            )
        };
        if !bytes.starts_with(b"PK") {
            return Err(not_xlsx(
                tr!("it is not a zip file", "zip ファイルではありません").to_string(),
            ));
        }
        check_zip(&bytes).map_err(not_xlsx)?;
        let parts = parts::Parts::read(&bytes).map_err(not_xlsx)?;
        let kept: std::sync::Arc<[u8]> = bytes.as_slice().into();
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| not_xlsx(e.to_string()))?;
        Ok(Book {
            path: path.to_path_buf(),
            xlsx,
            parts,
            bytes: kept,
        })
    }

    /// Names of the sheets in workbook order, with whether each is visible.
    pub fn sheet_names(&self) -> Vec<(String, bool)> {
        self.xlsx
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    pub fn properties(&self) -> &CoreProperties {
        &self.parts.core
    }

    /// Reads one sheet.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the sheet's XML is damaged.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet> {
        let damaged = |e: String| {
            file_error(
                &self.path,
                tr!(
                    "sheet {name} cannot be read: {e}",
                    "シート {name} を読めません: {e}"
                ),
                tr!(
                    "open the file in Excel or LibreOffice and save it again",
                    "Excel か LibreOffice で開いて保存し直してください"
                ),
            )
        };
        let range = self
            .xlsx
            .worksheet_range(name)
            .map_err(|e| damaged(e.to_string()))?;
        let merges = match self.xlsx.worksheet_merge_cells(name) {
            Some(m) => m.map_err(|e| damaged(e.to_string()))?,
            None => Vec::new(),
        };
        let (rows, cols) = match range.end() {
            Some((r, c)) => (r as usize + 1, c as usize + 1),
            None => (0, 0),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = vec![Vec::new(); rows];
        let mut numeric = vec![Vec::new(); rows];
        for (r, row) in range.rows().enumerate() {
            let at = r + r0 as usize;
            let mut texts = vec![String::new(); cols];
            let mut nums = vec![false; cols];
            for (c, value) in row.iter().enumerate() {
                let col = c + c0 as usize;
                texts[col] = data_text(value);
                nums[col] = matches!(value, Data::Int(_) | Data::Float(_));
            }
            cells[at] = texts;
            numeric[at] = nums;
        }
        let width = cells.iter().map(Vec::len).max().unwrap_or(0);
        Ok(Sheet {
            name: name.to_string(),
            cells,
            numeric,
            merges: Merges::new(merges, width),
            hidden_columns: self.parts.hidden_columns(name),
            column_widths: self.parts.column_widths(name),
            font_size: self.parts.font_size,
            page_starts: self
                .parts
                .parts
                .get(name)
                .map(|part| parts::row_breaks(&self.bytes, part))
                .unwrap_or_default(),
        })
    }

    /// The cells of the first `rows` rows only, streamed (a 10,000-row sheet is not
    /// read whole to find its header).
    ///
    /// # Errors
    /// [`Error::Invalid`] when the sheet's XML is damaged.
    pub fn head(&mut self, name: &str, rows: u32) -> Result<Vec<Vec<String>>> {
        let path = self.path.clone();
        let damaged = |e: String| {
            file_error(
                &path,
                tr!(
                    "sheet {name} cannot be read: {e}",
                    "シート {name} を読めません: {e}"
                ),
                tr!(
                    "open the file in Excel or LibreOffice and save it again",
                    "Excel か LibreOffice で開いて保存し直してください"
                ),
            )
        };
        let mut reader = self
            .xlsx
            .worksheet_cells_reader(name)
            .map_err(|e| damaged(e.to_string()))?;
        let mut out: Vec<Vec<String>> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| damaged(e.to_string()))? {
            let (r, c) = cell.get_position();
            if r >= rows {
                break;
            }
            let (r, c) = (r as usize, c as usize);
            if out.len() <= r {
                out.resize(r + 1, Vec::new());
            }
            if out[r].len() <= c {
                out[r].resize(c + 1, String::new());
            }
            let value: Data = cell.get_value().clone().into();
            out[r][c] = data_text(&value);
        }
        Ok(out)
    }
}

/// A cell's value as the text a person sees: whole numbers without `.0`, text as
/// written (line breaks kept, `\r\n` as `\n`).
pub fn data_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Inflates every entry into a sink, counting what really comes out: a zip whose
/// entries declare small sizes and inflate to gigabytes is stopped at the limit.
fn check_zip(bytes: &[u8]) -> std::result::Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "it holds {} entries; the limit is {MAX_ENTRIES}",
            zip.len()
        ));
    }
    let mut total: u64 = 0;
    let mut sink = std::io::sink();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().to_string();
        let declared = entry.size();
        if total.saturating_add(declared) > MAX_UNPACKED_BYTES {
            return Err(tr!(
                "it unpacks to more than {MAX_UNPACKED_BYTES} bytes (a zip bomb?)",
                "展開すると {MAX_UNPACKED_BYTES} バイトを超えます（zip 爆弾？）"
            )
            .to_string());
        }
        let room = MAX_UNPACKED_BYTES - total;
        let read = std::io::copy(&mut (&mut entry).take(room.min(declared) + 1), &mut sink)
            .map_err(|e| {
                tr!(
                    "entry {name} is damaged: {e}",
                    "項目 {name} が壊れています: {e}"
                )
                .to_string()
            })?;
        if read > declared {
            return Err(tr!(
                "entry {name} unpacks to more than the {declared} bytes it declares (a zip bomb?)",
                "項目 {name} が、記載の {declared} バイトを超えて展開されます（zip 爆弾？）"
            )
            .to_string());
        }
        total += read;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_found_by_cell_as_a_scan_would() {
        let d = |r0, c0, r1, c1| Dimensions::new((r0, c0), (r1, c1));
        // A1:B1 (wide), A2:A4 and A6:A7 (tall), C3:D5 (both), one past the width.
        let ranges = vec![
            d(0, 0, 0, 1),
            d(1, 0, 3, 0),
            d(5, 0, 6, 0),
            d(2, 2, 4, 3),
            d(0, 9, 9, 9),
        ];
        let merges = Merges::new(ranges.clone(), 5);
        for row in 0..10 {
            for col in 0..5 {
                let scan = ranges.iter().find(|m| m.contains(row as u32, col as u32));
                assert_eq!(merges.at(row, col), scan, "({row}, {col})");
            }
        }
        assert_eq!(Merges::default().at(0, 0), None);
    }

    #[test]
    fn cell_names_are_excel_style() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
    }

    #[test]
    fn whole_numbers_read_without_a_point() {
        assert_eq!(data_text(&Data::Float(12.0)), "12");
        assert_eq!(data_text(&Data::Float(1.5)), "1.5");
        assert_eq!(data_text(&Data::String("a\r\nb".into())), "a\nb");
    }

    #[test]
    fn text_is_not_a_workbook() {
        let err = Book::from_bytes("x.xlsx".as_ref(), b"title: x".to_vec())
            .err()
            .unwrap();
        assert!(err.to_string().contains("not a zip file"), "{err}");
    }
}
