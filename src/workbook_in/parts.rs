//! What calamine does not tell: hidden columns (`<col hidden="1">` at the top of each
//! sheet's XML) and the document properties (`docProps/core.xml`).

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

/// `docProps/core.xml`, as far as shiryo writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreProperties {
    pub title: Option<String>,
    pub subject: Option<String>,
    pub creator: Option<String>,
    pub description: Option<String>,
    /// `dcterms:created`, e.g. `2011-11-01T00:00:00Z`.
    pub created: Option<String>,
    /// Custom properties (`docProps/custom.xml`) with text values.
    pub custom: HashMap<String, String>,
}

#[derive(Debug, Default)]
pub(super) struct Parts {
    pub core: CoreProperties,
    hidden: HashMap<String, Vec<u32>>,
    widths: HashMap<String, Vec<ColumnWidth>>,
    /// Sheet name → its part in the zip.
    pub parts: HashMap<String, String>,
    /// The Normal style's font size (the first `<font>` of `xl/styles.xml`).
    pub font_size: Option<f64>,
}

/// `<col min max width>`: zero-based first and last column, width in Excel's units
/// (characters of the default font).
pub type ColumnWidth = (u32, u32, f64);

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

impl Parts {
    pub fn read(bytes: &[u8]) -> Result<Parts, String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let mut core = match entry_text(&mut zip, "docProps/core.xml") {
            Some(xml) => core_properties(&xml),
            None => CoreProperties::default(),
        };
        if let Some(xml) = entry_text(&mut zip, "docProps/custom.xml") {
            core.custom = custom_properties(&xml);
        }
        let mut hidden = HashMap::new();
        let mut widths = HashMap::new();
        let mut parts = HashMap::new();
        for (name, part) in sheet_parts(&mut zip) {
            if let Ok(entry) = zip.by_name(&part) {
                let (h, w) = columns(BufReader::new(entry));
                hidden.insert(name.clone(), h);
                widths.insert(name.clone(), w);
            }
            parts.insert(name, part);
        }
        let font_size = entry_text(&mut zip, "xl/styles.xml").and_then(|xml| first_font_size(&xml));
        Ok(Parts {
            core,
            hidden,
            widths,
            parts,
            font_size,
        })
    }

    pub fn hidden_columns(&self, sheet: &str) -> Vec<u32> {
        self.hidden.get(sheet).cloned().unwrap_or_default()
    }

    pub fn column_widths(&self, sheet: &str) -> Vec<ColumnWidth> {
        self.widths.get(sheet).cloned().unwrap_or_default()
    }
}

fn entry_text(zip: &mut Zip, name: &str) -> Option<String> {
    let mut entry = zip.by_name(name).ok()?;
    let mut text = String::new();
    // Already bounded by the zip check; these parts are a few KB.
    entry.read_to_string(&mut text).ok()?;
    Some(text)
}

/// Sheet name → its part in the zip (`xl/worksheets/sheet1.xml`).
fn sheet_parts(zip: &mut Zip) -> Vec<(String, String)> {
    let Some(workbook) = entry_text(zip, "xl/workbook.xml") else {
        return Vec::new();
    };
    let rels = entry_text(zip, "xl/_rels/workbook.xml.rels").unwrap_or_default();
    let mut targets = HashMap::new();
    let mut reader = Reader::from_str(&rels);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == b"Relationship" => {
                let id = attr(&e, b"Id", reader.decoder());
                let target = attr(&e, b"Target", reader.decoder());
                if let (Some(id), Some(target)) = (id, target) {
                    let path = match target.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{target}"),
                    };
                    targets.insert(id, path);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut reader = Reader::from_str(&workbook);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == b"sheet" => {
                let name = attr(&e, b"name", reader.decoder());
                let id = attr(&e, b"id", reader.decoder());
                if let (Some(name), Some(path)) = (name, id.and_then(|id| targets.get(&id))) {
                    out.push((name, path.clone()));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// An attribute by local name (`r:id` is found as `id`), unescaped.
fn attr(
    e: &quick_xml::events::BytesStart,
    local: &[u8],
    decoder: quick_xml::encoding::Decoder,
) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.decode_and_unescape_value(decoder)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// Zero-based rows that begin a printed page: `<rowBreaks><brk id="N"/>` breaks after
/// row N (one-based), at the end of a sheet's XML. Only the part after `</sheetData>`
/// is parsed.
pub fn row_breaks(bytes: &[u8], part: &str) -> Vec<usize> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let Ok(mut entry) = zip.by_name(part) else {
        return Vec::new();
    };
    let mut xml = Vec::new();
    // Already bounded by the zip check.
    if entry.read_to_end(&mut xml).is_err() {
        return Vec::new();
    }
    let tail = memchr::memmem::rfind(&xml, b"</sheetData>").map_or(&xml[..], |i| &xml[i..]);
    let Some(start) = memchr::memmem::find(tail, b"<rowBreaks") else {
        return Vec::new();
    };
    let mut reader = Reader::from_reader(&tail[start..]);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == b"brk" => {
                if let Some(id) = attr(&e, b"id", reader.decoder()).and_then(|i| i.parse().ok()) {
                    out.push(id);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"rowBreaks" => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out.sort_unstable();
    out
}

/// The size of the first `<font>` in `styles.xml` (the Normal style's).
fn first_font_size(xml: &str) -> Option<f64> {
    let mut reader = Reader::from_str(xml);
    let mut in_font = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"font" => in_font = true,
            Ok(Event::Empty(e)) if in_font && e.local_name().as_ref() == b"sz" => {
                return attr(&e, b"val", reader.decoder())?.parse().ok();
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"font" => return None,
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Zero-based hidden columns and the columns' widths, read from `<cols>` only: the
/// reader stops at `<sheetData>`, so a large sheet costs nothing here.
fn columns<R: std::io::BufRead>(xml: R) -> (Vec<u32>, Vec<ColumnWidth>) {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut widths = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Empty(e) | Event::Start(e)) => match e.local_name().as_ref() {
                b"col" => {
                    let hidden = attr(&e, b"hidden", reader.decoder())
                        .is_some_and(|h| h == "1" || h == "true");
                    let min =
                        attr(&e, b"min", reader.decoder()).and_then(|m| m.parse::<u32>().ok());
                    let max =
                        attr(&e, b"max", reader.decoder()).and_then(|m| m.parse::<u32>().ok());
                    if let (true, Some(min), Some(max)) = (hidden, min, max) {
                        // LibreOffice writes max=1024 for "all the columns to the right".
                        out.extend((min.max(1)..=max.min(16_384)).map(|c| c - 1));
                    }
                    let width =
                        attr(&e, b"width", reader.decoder()).and_then(|w| w.parse::<f64>().ok());
                    if let (Some(min), Some(max), Some(width)) = (min, max, width) {
                        widths.push((min.max(1) - 1, max.max(1) - 1, width));
                    }
                }
                b"sheetData" => break,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    (out, widths)
}

/// The text of an element's content, entity references resolved.
fn text_of(ev: &Event) -> Option<String> {
    match ev {
        Event::Text(t) => t.decode().ok().map(|t| t.into_owned()),
        Event::GeneralRef(r) => Some(match r.resolve_char_ref() {
            Ok(Some(c)) => c.to_string(),
            _ => r
                .decode()
                .ok()
                .and_then(|n| quick_xml::escape::resolve_predefined_entity(&n))
                .unwrap_or_default()
                .to_string(),
        }),
        _ => None,
    }
}

fn custom_properties(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut name: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"property" => {
                name = attr(&e, b"name", reader.decoder());
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"property" => name = None,
            Ok(ev @ (Event::Text(_) | Event::GeneralRef(_))) => {
                if let (Some(n), Some(t)) = (&name, text_of(&ev)) {
                    out.entry(n.clone())
                        .or_insert_with(String::new)
                        .push_str(&t);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn core_properties(xml: &str) -> CoreProperties {
    let mut props = CoreProperties::default();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<Vec<u8>> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => current = Some(e.local_name().as_ref().to_vec()),
            Ok(ev @ (Event::Text(_) | Event::GeneralRef(_))) => {
                let Some(name) = &current else { continue };
                let Some(text) = text_of(&ev) else { continue };
                let slot = match name.as_slice() {
                    b"title" => &mut props.title,
                    b"subject" => &mut props.subject,
                    b"creator" => &mut props.creator,
                    b"description" => &mut props.description,
                    b"created" => &mut props.created,
                    _ => continue,
                };
                slot.get_or_insert_with(String::new).push_str(&text);
            }
            Ok(Event::End(_)) => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    props
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_columns_and_widths_come_from_cols() {
        let xml = br#"<worksheet><cols><col min="1" max="1" width="9"/><col min="3" max="4" hidden="1"/></cols><sheetData><row/></sheetData></worksheet>"#;
        let (hidden, widths) = columns(&xml[..]);
        assert_eq!(hidden, vec![2, 3]);
        assert_eq!(widths, vec![(0, 0, 9.0)]);
        let sheet = br#"<worksheet><sheetData><row r="1"/></sheetData><rowBreaks count="2" manualBreakCount="2"><brk id="37" max="16383" man="1"/><brk id="12" max="16383" man="1"/></rowBreaks></worksheet>"#;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("s.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, sheet).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(row_breaks(&bytes, "s.xml"), vec![12, 37]);
        assert_eq!(row_breaks(&bytes, "missing.xml"), Vec::<usize>::new());
        let styles = r#"<styleSheet><numFmts/><fonts count="2"><font><sz val="10.5"/><name val="BIZ UDゴシック"/></font><font><sz val="14"/></font></fonts></styleSheet>"#;
        assert_eq!(first_font_size(styles), Some(10.5));
    }

    #[test]
    fn core_properties_are_read() {
        let xml = r#"<cp:coreProperties xmlns:cp="x" xmlns:dc="d" xmlns:dcterms="t"><dc:title>上川 &amp; 中部</dc:title><dc:creator>市</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2011-11-01T00:00:00Z</dcterms:created></cp:coreProperties>"#;
        let p = core_properties(xml);
        assert_eq!(p.title.as_deref(), Some("上川 & 中部"));
        assert_eq!(p.creator.as_deref(), Some("市"));
        assert_eq!(p.created.as_deref(), Some("2011-11-01T00:00:00Z"));
        assert_eq!(p.description, None);
    }
}
