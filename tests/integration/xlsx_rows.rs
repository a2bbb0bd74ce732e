//! The row heights the README promises for the workbook: rows planned from BIZ UD
//! ゴシック's real line pitch, so that no cell's text is cut and no row is more than
//! one spare line taller than its tallest text. Read from the sheets' XML as Excel
//! reads it: each row's `ht` (or the sheet's default height), each cell's lines (the
//! line feeds shiryo writes) at its font's size (from styles.xml), merged ranges.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use calamine::Reader as _;
use quick_xml::events::Event;
use quick_xml::Reader;

use super::common::xlsx_check::{attr, range_ref, shared_strings};
use super::common::*;

/// Points lost to Excel's rounding of a row height to whole pixels (0.75 pt each).
const ROUNDING: f64 = 0.5;
/// Excel's tallest row: text needing more is cut by Excel's limit, not by shiryo.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// Baseline-to-baseline distance of BIZ UDゴシック in em, from its `hhea` table (what
/// Excel and LibreOffice set a cell's lines by), read from the font file itself.
fn line_pitch() -> f64 {
    let data = std::fs::read(root().join("fonts/BIZUDGothic-Regular.ttf")).unwrap();
    let face = ttf_parser::Face::parse(&data, 0).unwrap();
    let units = f64::from(face.ascender() - face.descender() + face.line_gap());
    units / f64::from(face.units_per_em())
}

/// A cell with text: where, how many lines, at what size.
struct Cell {
    row: u32,
    col: u32,
    lines: usize,
    size: f64,
}

struct Sheet {
    name: String,
    default_height: f64,
    heights: BTreeMap<u32, f64>,
    cells: Vec<Cell>,
    merges: Vec<((u32, u32), (u32, u32))>,
}

impl Sheet {
    fn height(&self, row: u32) -> f64 {
        self.heights
            .get(&row)
            .copied()
            .unwrap_or(self.default_height)
    }
}

fn parts(bytes: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap_or_default();
            (f.name().to_string(), s)
        })
        .collect()
}

/// The font size of each cell format (`s` of a cell), from styles.xml.
fn format_sizes(styles: &str) -> Vec<f64> {
    let mut reader = Reader::from_str(styles);
    let (mut fonts, mut xfs) = (Vec::new(), Vec::new());
    let (mut in_fonts, mut in_xfs) = (false, false);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"fonts" => in_fonts = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"fonts" => in_fonts = false,
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"cellXfs" => in_xfs = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            Ok(Event::Start(e) | Event::Empty(e))
                if in_fonts && e.local_name().as_ref() == b"sz" =>
            {
                fonts.push(attr(&e, b"val").unwrap().parse::<f64>().unwrap());
            }
            Ok(Event::Start(e) | Event::Empty(e)) if in_xfs && e.local_name().as_ref() == b"xf" => {
                let font: usize = attr(&e, b"fontId").unwrap().parse().unwrap();
                xfs.push(font);
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("styles.xml: {e}"),
            _ => {}
        }
    }
    xfs.into_iter().map(|f| fonts[f]).collect()
}

fn read_sheet(name: &str, xml: &str, strings: &[String], sizes: &[f64]) -> Sheet {
    let mut sheet = Sheet {
        name: name.to_string(),
        default_height: 15.0,
        heights: BTreeMap::new(),
        cells: Vec::new(),
        merges: Vec::new(),
    };
    let mut reader = Reader::from_str(xml);
    // The cell being read: position, format, type, its text so far.
    let mut cell: Option<((u32, u32), usize, String, String)> = None;
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"sheetFormatPr" => {
                    if let Some(h) = attr(&e, b"defaultRowHeight") {
                        sheet.default_height = h.parse().unwrap();
                    }
                }
                b"row" => {
                    let row: u32 = attr(&e, b"r").unwrap().parse().unwrap();
                    if let Some(h) = attr(&e, b"ht") {
                        sheet.heights.insert(row, h.parse().unwrap());
                    }
                }
                b"c" => {
                    let at = range_ref(&attr(&e, b"r").unwrap()).unwrap().0;
                    let style = attr(&e, b"s").map_or(0, |s| s.parse().unwrap());
                    let kind = attr(&e, b"t").unwrap_or_default();
                    cell = Some((at, style, kind, String::new()));
                }
                b"t" | b"v" => in_text = true,
                b"mergeCell" => {
                    sheet
                        .merges
                        .push(range_ref(&attr(&e, b"ref").unwrap()).unwrap());
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                if let Some((_, _, _, text)) = &mut cell {
                    text.push_str(&quick_xml::escape::unescape(&t.decode().unwrap()).unwrap());
                }
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Some((_, _, _, text)) = &mut cell {
                    let entity = format!("&{};", r.decode().unwrap());
                    text.push_str(&quick_xml::escape::unescape(&entity).unwrap());
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" | b"v" => in_text = false,
                b"c" => {
                    let ((row, col), style, kind, raw) = cell.take().unwrap();
                    let text = match kind.as_str() {
                        "s" => strings[raw.parse::<usize>().unwrap()].clone(),
                        _ => raw,
                    };
                    if !text.is_empty() {
                        let lines = text.split('\n').count();
                        let size = sizes[style];
                        sheet.cells.push(Cell {
                            row,
                            col,
                            lines,
                            size,
                        });
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => panic!("{name}: {e}"),
            _ => {}
        }
    }
    sheet
}

/// Every sheet of the workbook at `path`, in order.
fn sheets(path: &Path) -> Vec<Sheet> {
    let bytes = std::fs::read(path).unwrap();
    let parts = parts(&bytes);
    let strings = parts
        .get("xl/sharedStrings.xml")
        .map_or_else(Vec::new, |s| shared_strings(s));
    let sizes = format_sizes(&parts["xl/styles.xml"]);
    let wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.sheet_names()
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let xml = &parts[&format!("xl/worksheets/sheet{}.xml", i + 1)];
            read_sheet(name, xml, &strings, &sizes)
        })
        .collect()
}

/// What `sheet` breaks of the promise, one line per row or cell.
fn height_problems(sheet: &Sheet, pitch: f64) -> Vec<String> {
    let mut problems = Vec::new();
    let merge_of = |c: &Cell| {
        sheet
            .merges
            .iter()
            .find(|((r, k), _)| (*r, *k) == (c.row, c.col))
            .map(|(_, (last, _))| *last)
    };
    let span = |first: u32, last: u32| (first..=last).map(|r| sheet.height(r)).sum::<f64>();
    // The height each row needs for the cells that end in it, and its largest size.
    let mut need: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    for c in &sheet.cells {
        let text = c.lines as f64 * c.size * pitch;
        let last = merge_of(c).unwrap_or(c.row);
        let room = span(c.row, last);
        let at = format!("{}!R{}C{}", sheet.name, c.row, c.col);
        if room + ROUNDING < text.min(MAX_ROW_HEIGHT) {
            problems.push(format!(
                "{at}: {} lines need {text} pt, rows give {room}",
                c.lines
            ));
        }
        // Merged over several rows: what the others leave to the last one.
        let others = room - sheet.height(last);
        let entry = need.entry(last).or_insert((0.0, 0.0));
        entry.0 = entry.0.max(text - others);
        entry.1 = entry.1.max(c.size);
    }
    for (row, (text, size)) in need {
        let line = size * pitch;
        let height = sheet.height(row);
        if height > text.max(0.0) + line + ROUNDING {
            problems.push(format!(
                "{}!R{row}: {height} pt for {text} pt of text, more than one spare line ({line} pt)",
                sheet.name
            ));
        }
    }
    problems
}

fn workbook_of(dir: &Path, registry: &Path) -> std::path::PathBuf {
    let out = dir.join("w.xlsx");
    let args = [
        "xlsx",
        registry.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let run = shiryo(dir, &args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn every_row_fits_its_text_with_at_most_one_spare_line() {
    let pitch = line_pitch();
    assert_eq!(pitch, 1.0, "BIZ UDゴシック sets lines 1 em apart");
    let registries = [
        seed_registry_path(),
        root().join("data/kamikawa-2025.yaml"),
        root().join("tests/layout/registries/long-title.yaml"),
    ];
    for registry in registries {
        let dir = tempfile::tempdir().unwrap();
        let sheets = sheets(&workbook_of(dir.path(), &registry));
        assert!(sheets.len() >= 4, "{}", registry.display());
        let mut problems = Vec::new();
        for sheet in &sheets {
            // Rows of several lines are planned, not left at the default height.
            if sheet.cells.iter().any(|c| c.lines > 1) {
                assert!(!sheet.heights.is_empty(), "{}: no row heights", sheet.name);
            }
            problems.extend(height_problems(sheet, pitch));
        }
        assert!(
            problems.is_empty(),
            "{}:\n{}",
            registry.display(),
            problems.join("\n")
        );
    }
}
