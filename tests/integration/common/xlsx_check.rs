//! Every workbook the tests write, read as Excel reads it before it offers to "repair"
//! a file: each worksheet's rows and cells strictly ascending, `<dimension>` equal to
//! the cells present, merged ranges inside it and not overlapping, no formula except on
//! the sheets meant to hold them, and every string, height, width and header within
//! Excel's limits (Excel's "specifications and limits" page).
//!
//! [`shiryo`](super::shiryo) runs this on every `.xlsx` the binary writes, so a test
//! that writes a workbook checks it without asking.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Sheets whose cells are meant to hold formulas (by sheet name): 達成率 and totals.
/// Elsewhere only a column total (`SUM(X3:X20)`, a town sheet's 負担額) may be a
/// formula: registry text is never one.
pub const SHEETS_WITH_FORMULAS: &[&str] = &["成果指標", "事業費"];

/// `SUM(A1:B2)` or `A1/B2`: the totals and rates shiryo writes.
fn is_total_formula(f: &str) -> bool {
    let cell = |s: &str| {
        let digits = s.trim_start_matches(|c: char| c.is_ascii_uppercase());
        digits.len() < s.len() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let pair = |s: &str, sep: char| s.split_once(sep).is_some_and(|(a, b)| cell(a) && cell(b));
    match f.strip_prefix("SUM(").and_then(|r| r.strip_suffix(')')) {
        Some(range) => pair(range, ':'),
        None => pair(f, '/'),
    }
}

/// Excel's limits that a writer can break.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;
/// Characters in a cell, counted in UTF-16 units as Excel counts them.
const MAX_CELL_CHARS: usize = 32_767;
/// Line feeds in a cell.
const MAX_LINE_FEEDS: usize = 253;
const MAX_ROW_HEIGHT: f64 = 409.0;
const MAX_COLUMN_WIDTH: f64 = 255.0;
/// Characters in a header or footer.
const MAX_HEADER_CHARS: usize = 255;
const MAX_SHEET_NAME: usize = 31;
/// Manual page breaks per sheet (Excel: 1,026 horizontal).
const MAX_PAGE_BREAKS: usize = 1_026;

/// The problems of the workbook `bytes`, each as `part: what`; empty when Excel opens
/// it without complaint.
pub fn xlsx_problems(bytes: &[u8]) -> Vec<String> {
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(e) => return vec![format!("not a zip: {e}")],
    };
    let mut parts: HashMap<String, String> = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        let mut s = String::new();
        if f.name().ends_with(".xml") || f.name().ends_with(".rels") {
            if let Err(e) = f.read_to_string(&mut s) {
                return vec![format!("{}: not UTF-8 XML: {e}", f.name())];
            }
            parts.insert(f.name().to_string(), s);
        }
    }
    let mut problems = Vec::new();
    let Some(workbook) = parts.get("xl/workbook.xml") else {
        return vec!["no xl/workbook.xml".into()];
    };
    let rels = parts
        .get("xl/_rels/workbook.xml.rels")
        .map(|r| relationships(r))
        .unwrap_or_default();
    let mut names = HashSet::new();
    for (name, rid) in sheets(workbook) {
        check_sheet_name(&name, &mut problems);
        if !names.insert(name.to_lowercase()) {
            problems.push(format!("sheet name {name} used twice"));
        }
        let Some(target) = rels.get(&rid) else {
            problems.push(format!("sheet {name}: no relationship {rid}"));
            continue;
        };
        let part = format!("xl/{}", target.trim_start_matches("/xl/"));
        let Some(xml) = parts.get(&part) else {
            problems.push(format!("sheet {name}: no part {part}"));
            continue;
        };
        let formulas = SHEETS_WITH_FORMULAS.contains(&name.as_str());
        for p in sheet_problems(xml, formulas) {
            problems.push(format!("{name} ({part}): {p}"));
        }
    }
    if let Some(sst) = parts.get("xl/sharedStrings.xml") {
        for (i, s) in shared_strings(sst).iter().enumerate() {
            for p in string_problems(s) {
                problems.push(format!("shared string {i}: {p}"));
            }
        }
    }
    problems
}

fn check_sheet_name(name: &str, problems: &mut Vec<String>) {
    if name.is_empty() || name.chars().count() > MAX_SHEET_NAME {
        problems.push(format!(
            "sheet name {name:?}: 1 to {MAX_SHEET_NAME} characters"
        ));
    }
    if name.contains(['[', ']', ':', '*', '?', '/', '\\']) || name.starts_with('\'') {
        problems.push(format!("sheet name {name:?}: a character Excel refuses"));
    }
}

fn string_problems(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let units = s.encode_utf16().count();
    if units > MAX_CELL_CHARS {
        problems.push(format!("{units} characters (Excel: {MAX_CELL_CHARS})"));
    }
    let feeds = s.matches('\n').count();
    if feeds > MAX_LINE_FEEDS {
        problems.push(format!("{feeds} line feeds (Excel: {MAX_LINE_FEEDS})"));
    }
    problems
}

pub fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            quick_xml::escape::unescape(&raw).map_or(raw.clone(), |v| v.into_owned())
        })
}

/// `(name, relationship id)` of each sheet, in workbook order.
fn sheets(workbook: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(workbook);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"sheet" => {
                out.push((
                    attr(&e, b"name").unwrap_or_default(),
                    attr(&e, b"r:id").unwrap_or_default(),
                ));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn relationships(rels: &str) -> HashMap<String, String> {
    let mut reader = Reader::from_str(rels);
    let mut out = HashMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    out.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The text of each `<si>` of the shared string table.
pub fn shared_strings(sst: &str) -> Vec<String> {
    let mut reader = Reader::from_str(sst);
    let mut out = Vec::new();
    let mut in_t = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"si" => out.push(String::new()),
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"t" => in_t = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"t" => in_t = false,
            Ok(Event::Text(t)) if in_t => {
                if let (Some(last), Ok(text)) = (out.last_mut(), t.decode()) {
                    last.push_str(&quick_xml::escape::unescape(&text).unwrap_or_default());
                }
            }
            Ok(Event::GeneralRef(r)) if in_t => {
                if let (Some(last), Ok(name)) = (out.last_mut(), r.decode()) {
                    let entity = format!("&{name};");
                    last.push_str(&quick_xml::escape::unescape(&entity).unwrap_or_default());
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// `A1` → (row 1, column 1), one-based.
pub fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.chars().take_while(char::is_ascii_uppercase).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters]
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    let row: u32 = r[letters..].parse().ok()?;
    (row >= 1).then_some((row, col))
}

/// `A1:C3` (or `A1`) → ((first row, first col), (last row, last col)).
pub fn range_ref(r: &str) -> Option<((u32, u32), (u32, u32))> {
    match r.split_once(':') {
        Some((a, b)) => Some((cell_ref(a)?, cell_ref(b)?)),
        None => cell_ref(r).map(|c| (c, c)),
    }
}

/// The problems of one worksheet's XML. `formulas`: the sheet may hold `<f>`.
pub fn sheet_problems(xml: &str, formulas: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut dimension = None;
    let mut last_row = 0;
    let mut row = 0;
    let mut last_col = 0;
    // Bounding box of the cells present.
    let mut used: Option<((u32, u32), (u32, u32))> = None;
    let mut merges = Vec::new();
    let mut breaks = Vec::new();
    let mut text_of: Option<&'static str> = None;
    let mut text = String::new();
    let mut in_row_breaks = false;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("not well-formed XML: {e}"));
                break;
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"dimension" => dimension = attr(&e, b"ref"),
                b"row" => {
                    row = attr(&e, b"r").and_then(|r| r.parse().ok()).unwrap_or(0);
                    if row <= last_row {
                        problems.push(format!("row {row} after row {last_row}"));
                    }
                    if row > MAX_ROWS {
                        problems.push(format!("row {row} beyond Excel's last row"));
                    }
                    if let Some(ht) = attr(&e, b"ht").and_then(|h| h.parse::<f64>().ok()) {
                        if !(0.0..=MAX_ROW_HEIGHT).contains(&ht) {
                            problems.push(format!("row {row} is {ht} pt high"));
                        }
                    }
                    last_row = row;
                    last_col = 0;
                }
                b"c" => {
                    let r = attr(&e, b"r").unwrap_or_default();
                    match cell_ref(&r) {
                        Some((cr, cc)) => {
                            if cr != row {
                                problems.push(format!("cell {r} inside row {row}"));
                            }
                            if cc <= last_col {
                                problems.push(format!("cell {r} after column {last_col}"));
                            }
                            if cc > MAX_COLS {
                                problems.push(format!("cell {r} beyond Excel's last column"));
                            }
                            last_col = cc;
                            used = Some(match used {
                                None => ((cr, cc), (cr, cc)),
                                Some(((r1, c1), (r2, c2))) => {
                                    ((r1.min(cr), c1.min(cc)), (r2.max(cr), c2.max(cc)))
                                }
                            });
                        }
                        None => problems.push(format!("cell reference {r:?} in row {row}")),
                    }
                }
                b"f" => {
                    text_of = Some("a formula");
                    text.clear();
                }
                b"mergeCell" => match attr(&e, b"ref").as_deref().and_then(range_ref) {
                    Some(m) => merges.push(m),
                    None => problems.push("a merged range without a reference".into()),
                },
                b"col" => {
                    if let Some(w) = attr(&e, b"width").and_then(|w| w.parse::<f64>().ok()) {
                        if !(0.0..=MAX_COLUMN_WIDTH).contains(&w) {
                            problems.push(format!("a column {w} characters wide"));
                        }
                    }
                }
                b"rowBreaks" => in_row_breaks = true,
                b"brk" if in_row_breaks => {
                    breaks.push(
                        attr(&e, b"id")
                            .and_then(|i| i.parse::<u32>().ok())
                            .unwrap_or(0),
                    );
                }
                b"t" => {
                    text_of = Some("an inline string");
                    text.clear();
                }
                b"oddHeader" | b"oddFooter" | b"evenHeader" | b"evenFooter" => {
                    text_of = Some("a header or footer");
                    text.clear();
                }
                _ => {}
            },
            Event::Text(t) if text_of.is_some() => {
                let raw = t.decode().unwrap_or_default();
                text.push_str(&quick_xml::escape::unescape(&raw).unwrap_or_default());
            }
            Event::GeneralRef(r) if text_of.is_some() => {
                let entity = format!("&{};", r.decode().unwrap_or_default());
                text.push_str(&quick_xml::escape::unescape(&entity).unwrap_or_default());
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"f" => {
                    if !formulas && !is_total_formula(&text) {
                        problems.push(format!("a formula in row {row}: {text}"));
                    }
                    text_of = None;
                }
                b"t" => {
                    for p in string_problems(&text) {
                        problems.push(format!("row {row}: {p}"));
                    }
                    text_of = None;
                }
                b"oddHeader" | b"oddFooter" | b"evenHeader" | b"evenFooter" => {
                    let n = text.encode_utf16().count();
                    if n > MAX_HEADER_CHARS {
                        problems.push(format!("a header or footer of {n} characters"));
                    }
                    text_of = None;
                }
                b"rowBreaks" => in_row_breaks = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }

    let expected = match used {
        None => "A1".to_string(),
        Some((a, b)) if a == b => name(a),
        Some((a, b)) => format!("{}:{}", name(a), name(b)),
    };
    match &dimension {
        Some(d) if *d == expected => {}
        Some(d) => problems.push(format!(
            "<dimension ref=\"{d}\"> but the cells span {expected}"
        )),
        None => problems.push("no <dimension>".into()),
    }

    let bounds = used.unwrap_or(((1, 1), (1, 1)));
    let mut covered: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    for (i, &(a, b)) in merges.iter().enumerate() {
        let label = format!("{}:{}", name(a), name(b));
        if a == b {
            problems.push(format!("merged range {label} is a single cell"));
        }
        if a.0 > b.0 || a.1 > b.1 {
            problems.push(format!("merged range {label} runs backwards"));
        }
        if a.0 < bounds.0 .0 || a.1 < bounds.0 .1 || b.0 > bounds.1 .0 || b.1 > bounds.1 .1 {
            problems.push(format!(
                "merged range {label} outside the sheet's {expected}"
            ));
        }
        for r in a.0..=b.0 {
            for c in a.1..=b.1 {
                if let Some(j) = covered.insert((r, c), i) {
                    if j != i {
                        problems.push(format!(
                            "merged range {label} overlaps another at {}",
                            name((r, c))
                        ));
                    }
                }
            }
        }
    }

    if breaks.len() > MAX_PAGE_BREAKS {
        problems.push(format!(
            "{} page breaks (Excel: {MAX_PAGE_BREAKS})",
            breaks.len()
        ));
    }
    if breaks.windows(2).any(|w| w[0] >= w[1]) {
        problems.push("page breaks out of order".into());
    }
    problems
}

/// (row, column) → `A1`.
pub fn name((row, col): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut c = col;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8(letters).unwrap_or_default())
}

/// Asserts that the workbook at `path` has no problems.
pub fn assert_excel_opens(path: &std::path::Path) {
    let bytes = std::fs::read(path).expect("the workbook is readable");
    let problems = xlsx_problems(&bytes);
    assert!(
        problems.is_empty(),
        "{}: Excel would offer to repair it:\n  {}",
        path.display(),
        problems.join("\n  ")
    );
}

#[cfg(test)]
mod tests {
    //! The check must be able to fail: hand-made sheets with each defect.

    use super::*;

    fn sheet(data: &str, dim: &str, tail: &str) -> String {
        format!(
            "<worksheet><dimension ref=\"{dim}\"/><sheetData>{data}</sheetData>{tail}</worksheet>"
        )
    }

    #[test]
    fn a_clean_sheet_passes() {
        let xml = sheet(
            r#"<row r="1"><c r="A1"/><c r="B1"/></row><row r="2" ht="30"><c r="A2"/></row>"#,
            "A1:B2",
            r#"<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>"#,
        );
        assert_eq!(sheet_problems(&xml, false), Vec::<String>::new());
    }

    #[test]
    fn each_defect_is_found() {
        let cases = [
            // The row repeated by rust_xlsxwriter's constant-memory mode.
            (
                r#"<row r="1"><c r="A1"/></row><row r="1"/>"#,
                "A1",
                "",
                "row 1 after row 1",
            ),
            (
                r#"<row r="1"><c r="B1"/><c r="A1"/></row>"#,
                "A1:B1",
                "",
                "after column",
            ),
            (r#"<row r="1"><c r="A2"/></row>"#, "A2", "", "inside row"),
            (
                r#"<row r="1"><c r="A1"/><c r="C1"/></row>"#,
                "A1:B1",
                "",
                "dimension",
            ),
            (
                r#"<row r="1"><c r="A1"><f>1+1</f></c></row>"#,
                "A1",
                "",
                "formula",
            ),
            (
                r#"<row r="1" ht="500"><c r="A1"/></row>"#,
                "A1",
                "",
                "pt high",
            ),
            (
                r#"<row r="1"><c r="A1"/><c r="B1"/></row><row r="2"><c r="B2"/></row>"#,
                "A1:B2",
                r#"<mergeCells><mergeCell ref="A1:B1"/><mergeCell ref="B1:B2"/></mergeCells>"#,
                "overlaps",
            ),
            (
                r#"<row r="1"><c r="A1"/></row>"#,
                "A1",
                r#"<mergeCells><mergeCell ref="A1:A3"/></mergeCells>"#,
                "outside",
            ),
            (
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#,
                "A1",
                r#"<rowBreaks><brk id="5"/><brk id="3"/></rowBreaks>"#,
                "page breaks out of order",
            ),
        ];
        for (data, dim, tail, expected) in cases {
            let problems = sheet_problems(&sheet(data, dim, tail), false);
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{expected:?} not found in {problems:?} for {data}"
            );
        }
        let formula = sheet(r#"<row r="1"><c r="A1"><f>1+1</f></c></row>"#, "A1", "");
        assert!(sheet_problems(&formula, true).is_empty(), "a formula sheet");
    }

    #[test]
    fn strings_beyond_excels_limits_are_found() {
        assert!(string_problems(&"あ".repeat(32_767)).is_empty());
        assert_eq!(string_problems(&"あ".repeat(32_768)).len(), 1);
        // An astral character is two UTF-16 units.
        assert_eq!(string_problems(&"𠮷".repeat(16_384)).len(), 1);
        assert_eq!(string_problems(&"\n".repeat(254)).len(), 1);
        let mut problems = Vec::new();
        check_sheet_name("資料[2]", &mut problems);
        check_sheet_name(&"長".repeat(32), &mut problems);
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn references_round_trip() {
        for (r, rc) in [
            ("A1", (1, 1)),
            ("Z9", (9, 26)),
            ("AA10", (10, 27)),
            ("XFD3", (3, 16_384)),
        ] {
            assert_eq!(cell_ref(r), Some(rc));
            assert_eq!(name(rc), r);
        }
        assert_eq!(range_ref("A1:B2"), Some(((1, 1), (2, 2))));
    }
}
