//! Japanese line breaking read back from the PDF: every text-showing operation is a
//! line, decoded through the font's ToUnicode map (the same rules as
//! ../shared/tools/kinsoku_check.py, without needing poppler).

use std::collections::HashMap;
use std::path::Path;

use lopdf::{Document, Object};
use shiryo::layout::{NO_LINE_END, NO_LINE_START};

use super::common::*;

/// glyph code → text, from a ToUnicode CMap's bfchar entries.
pub fn to_unicode(doc: &Document, font: &lopdf::Dictionary) -> HashMap<u16, String> {
    let stream = doc
        .dereference(font.get(b"ToUnicode").unwrap())
        .unwrap()
        .1
        .as_stream()
        .unwrap();
    let data = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8(data).unwrap();
    let mut map = HashMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [code, target] = parts[..] {
            let (Some(code), Some(target)) = (code.strip_prefix('<'), target.strip_prefix('<'))
            else {
                continue;
            };
            let code = u16::from_str_radix(code.trim_end_matches('>'), 16).unwrap();
            let hex = target.trim_end_matches('>');
            let units: Vec<u16> = (0..hex.len())
                .step_by(4)
                .map(|i| u16::from_str_radix(&hex[i..i + 4], 16).unwrap())
                .collect();
            map.insert(code, String::from_utf16(&units).unwrap());
        }
    }
    map
}

/// Every line of text drawn, page by page, in drawing order.
fn drawn_lines(path: &Path) -> Vec<Vec<String>> {
    let doc = Document::load(path).unwrap();
    let mut pages = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let fonts: HashMap<Vec<u8>, HashMap<u16, String>> = doc
            .get_page_fonts(page_id)
            .unwrap()
            .into_iter()
            .map(|(name, dict)| (name, to_unicode(&doc, dict)))
            .collect();
        let content = doc.get_and_decode_page_content(page_id).unwrap();
        let mut font = None;
        let mut lines = Vec::new();
        let decode = |bytes: &[u8], map: &HashMap<u16, String>| -> String {
            bytes
                .chunks(2)
                .map(|c| map[&u16::from_be_bytes([c[0], c[1]])].clone())
                .collect()
        };
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => font = Some(op.operands[0].as_name().unwrap().to_vec()),
                "Tj" => {
                    let map = &fonts[font.as_ref().unwrap()];
                    lines.push(decode(op.operands[0].as_str().unwrap(), map));
                }
                "TJ" => {
                    // A number between strings moves the pen to another run on the
                    // same baseline (printpdf joins such runs): a new line.
                    let map = &fonts[font.as_ref().unwrap()];
                    let mut line = String::new();
                    for item in op.operands[0].as_array().unwrap() {
                        match item {
                            Object::String(bytes, _) => line += &decode(bytes, map),
                            _ if !line.is_empty() => lines.push(std::mem::take(&mut line)),
                            _ => {}
                        }
                    }
                    if !line.is_empty() {
                        lines.push(line);
                    }
                }
                _ => {}
            }
        }
        pages.push(lines);
    }
    pages
}

/// Lines that break the rules: a forbidden first or last character, a split town name.
pub fn violations(pages: &[Vec<String>]) -> Vec<String> {
    let mut bad = Vec::new();
    for lines in pages {
        for (i, line) in lines.iter().enumerate() {
            let (first, last) = (line.chars().next().unwrap(), line.chars().last().unwrap());
            if NO_LINE_START.contains(first) || NO_LINE_END.contains(last) {
                bad.push(format!("kinsoku: {line}"));
            }
            if let Some(next) = lines.get(i + 1) {
                for town in TOWNS {
                    let chars: Vec<char> = town.chars().collect();
                    for cut in 1..chars.len() {
                        let head: String = chars[..cut].iter().collect();
                        let tail: String = chars[cut..].iter().collect();
                        if line.ends_with(&head) && next.starts_with(&tail) {
                            bad.push(format!("split {town}: {line} | {next}"));
                        }
                    }
                }
            }
        }
    }
    bad
}

#[test]
fn the_seed_handout_and_every_town_handout_break_lines_as_a_typesetter_would() {
    let dir = build_seed();
    let mut files = vec![dir.path().join("out/registry.pdf")];
    files.extend(
        TOWNS
            .iter()
            .map(|t| dir.path().join(format!("out/towns/{t}.pdf"))),
    );
    for file in files {
        let pages = drawn_lines(&file);
        let count: usize = pages.iter().map(Vec::len).sum();
        assert!(count > 100, "{}: only {count} lines read", file.display());
        let bad = violations(&pages);
        assert!(bad.is_empty(), "{}: {bad:#?}", file.display());
    }
}

#[test]
fn the_reader_finds_violations_when_there_are_some() {
    // The check itself must be able to fail.
    let pages = vec![vec![
        "旭川市、鷹栖町、東神楽".to_string(),
        "町、当麻町".to_string(),
        "」で始まる".to_string(),
    ]];
    assert_eq!(violations(&pages).len(), 2);
}
