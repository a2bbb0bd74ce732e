//! Stage 3a: [`Handout`] → PDF bytes (printpdf). Never measures text.
//!
//! Fonts: for each face, the glyphs actually drawn are subset with `subsetter` (Typst's
//! subsetter; printpdf only subsets behind its heavy `text_layout` feature) and embedded
//! as a CID font (Type0, Identity-H). Text is written as glyph ids, and the ToUnicode
//! map is written here from the characters drawn with each glyph, never from the
//! font's cmap in reverse (BIZ UDGothic shares glyphs between 日 and ⽇).
//!
//! ```text
//! Catalog ─ Pages ─ Page × n ─ Contents (rules, then one BT … ET of glyph runs)
//!                            └ Resources ─ Font ─ ABCDEF+BIZUDGothic-Regular (Type0)
//!                                                 └ CIDFontType2 ─ FontDescriptor ─ FontFile2 (subset)
//!                                                 └ ToUnicode (from the drawn text)
//! ```
//! The subset tag is derived from the glyph set, and printpdf's own ids are fixed, so
//! the same handout gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Codepoint, Color, FontId, Greyscale, Mm as PdfMm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt as PdfPt, Rect, TextItem, TextMatrix,
};
use subsetter::GlyphRemapper;

use crate::error::{Error, Result};
use crate::layout::{FontFace, Fonts, Handout, Style};
use crate::model::Registry;

/// What the PDF's document information says.
#[derive(Debug, Clone, Default)]
pub struct PdfInfo {
    pub title: String,
    pub subject: String,
    pub author: String,
    /// Seconds since 1970, UTC: creation and modification date.
    pub timestamp: i64,
}

impl PdfInfo {
    /// Title, subject (label and meeting) and author from the registry.
    pub fn from_registry(registry: &Registry) -> PdfInfo {
        let subject = match &registry.meeting {
            Some(m) => format!("{} {m}", registry.label),
            None => registry.label.clone(),
        };
        PdfInfo {
            title: registry.title.clone(),
            subject,
            author: registry.author.clone().unwrap_or_default(),
            timestamp: registry.timestamp,
        }
    }
}

/// One embedded face: its resource id and glyph ids in the subset.
struct Embedded {
    id: FontId,
    glyphs: BTreeMap<char, u16>,
}

/// Writes the handout as PDF.
///
/// # Errors
/// [`Error::Font`] if a face cannot be subset (a damaged bundled font).
pub fn write_pdf(handout: Handout, info: &PdfInfo, fonts: &Fonts) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&info.title);
    let mut embedded: BTreeMap<Style, Embedded> = BTreeMap::new();
    for style in [Style::Regular, Style::Bold] {
        let chars: BTreeSet<char> = handout
            .pages
            .iter()
            .flat_map(|p| &p.texts)
            .filter(|t| t.style == style)
            .flat_map(|t| t.text.chars())
            .collect();
        if !chars.is_empty() {
            embedded.insert(style, embed(&mut doc, fonts.face(style), &chars)?);
        }
    }

    let height = handout.height.0;
    let width = handout.width.0;
    let rule = handout.rule_width.0;
    // Pages are consumed one by one: a large handout is not held twice.
    let pages = handout
        .pages
        .into_iter()
        .map(|page| {
            let mut ops = vec![
                Op::SetOutlineThickness { pt: PdfPt(rule) },
                Op::SetOutlineColor {
                    col: Color::Greyscale(Greyscale::new(0.0, None)),
                },
            ];
            for b in &page.boxes {
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: PdfPt(b.x.0),
                        y: PdfPt(height - b.y.0 - b.height.0),
                        width: PdfPt(b.width.0),
                        height: PdfPt(b.height.0),
                        mode: Some(PaintMode::Stroke),
                        winding_order: None,
                    },
                });
            }
            ops.push(Op::StartTextSection);
            let mut current: Option<(Style, f32)> = None;
            for t in &page.texts {
                let font = &embedded[&t.style];
                if current != Some((t.style, t.size.0)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font.id.clone()),
                        size: PdfPt(t.size.0),
                    });
                    current = Some((t.style, t.size.0));
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(PdfPt(t.x.0), PdfPt(height - t.baseline.0)),
                });
                // No per-glyph text here: printpdf would keep a String per glyph (most of
                // a large handout's memory), and the ToUnicode map is ours anyway.
                let glyphs = t
                    .text
                    .chars()
                    .map(|c| Codepoint::new(font.glyphs[&c], 0.0))
                    .collect();
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(glyphs)],
                });
            }
            ops.push(Op::EndTextSection);
            let to_mm = |pt: f32| PdfMm(pt * 25.4 / 72.0);
            PdfPage::new(to_mm(width), to_mm(height), ops)
        })
        .collect();
    doc.with_pages(pages);

    let date =
        printpdf::OffsetDateTime::from_unix_timestamp(info.timestamp).map_err(|e| Error::Font {
            name: "document date".into(),
            message: e.to_string(),
        })?;
    let meta = &mut doc.metadata.info;
    meta.document_title = info.title.clone();
    meta.subject = info.subject.clone();
    meta.author = info.author.clone();
    meta.creator = "shiryo".into();
    meta.producer = format!("shiryo {}", env!("CARGO_PKG_VERSION"));
    meta.identifier = info.title.clone();
    meta.creation_date = date;
    meta.modification_date = date;
    meta.metadata_date = date;

    let opts = PdfSaveOptions {
        // Fonts are subset already (above).
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&opts, &mut warnings);
    drop(doc);
    replace_to_unicode(&mut pdf, &embedded);
    set_document_id(&mut pdf, info);
    compress(&mut pdf);
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).map_err(|e| Error::Font {
        name: "PDF".into(),
        message: e.to_string(),
    })?;
    Ok(bytes)
}

/// Replaces printpdf's file identifier (ISO 32000-1 §14.4), which comes from a
/// process-wide counter: the same handout would get another /ID when built after
/// other PDFs, or on another thread. Ours is a digest of what the file says.
fn set_document_id(pdf: &mut lopdf::Document, info: &PdfInfo) {
    let mut digest = crc32fast::Hasher::new();
    for text in [&info.title, &info.subject, &info.author] {
        digest.update(text.as_bytes());
    }
    digest.update(&info.timestamp.to_be_bytes());
    for object in pdf.objects.values() {
        if let lopdf::Object::Stream(stream) = object {
            digest.update(&stream.content);
        }
    }
    let first = digest.finalize();
    // Four differently salted digests make the customary 16 bytes.
    let id: String = (0u8..4)
        .map(|salt| {
            let mut h = crc32fast::Hasher::new_with_initial(first);
            h.update(&[salt]);
            format!("{:08X}", h.finalize())
        })
        .collect();
    let id = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Literal);
    pdf.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
}

/// Deflates every stream at zlib's default level (lopdf's `compress` uses the best
/// level: a third of a large handout's time for 1% of its size), on every core.
fn compress(pdf: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if !s.dict.has(b"Filter") => Some(s),
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || part.iter_mut().for_each(|s| deflate(s)));
        }
    });
}

fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let deflated = encoder
        .write_all(&stream.content)
        .and_then(|()| encoder.finish());
    if let Ok(deflated) = deflated {
        if deflated.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(deflated);
        }
    }
}

/// Gives every embedded font a ToUnicode map written from the text drawn with it.
fn replace_to_unicode(pdf: &mut lopdf::Document, embedded: &BTreeMap<Style, Embedded>) {
    let mut targets = Vec::new();
    for dict in pdf.objects.values().filter_map(|o| o.as_dict().ok()) {
        let Ok(base) = dict.get(b"BaseFont").and_then(lopdf::Object::as_name) else {
            continue;
        };
        let Some(font) = embedded.values().find(|e| e.id.0.as_bytes() == base) else {
            continue;
        };
        if let Ok(id) = dict.get(b"ToUnicode").and_then(lopdf::Object::as_reference) {
            targets.push((id, to_unicode_cmap(&font.glyphs)));
        }
    }
    for (id, cmap) in targets {
        pdf.objects.insert(
            id,
            lopdf::Object::Stream(lopdf::Stream::new(
                lopdf::Dictionary::new(),
                cmap.into_bytes(),
            )),
        );
    }
}

/// A ToUnicode CMap (Adobe technical note 5411) mapping each glyph to the character
/// it was drawn for. Where two characters share a glyph (日 and the Kangxi radical ⽇
/// in BIZ UDGothic), the ordinary character wins.
fn to_unicode_cmap(glyphs: &BTreeMap<char, u16>) -> String {
    let radical = |c: char| ('\u{2E80}'..='\u{2FDF}').contains(&c);
    let mut by_glyph: BTreeMap<u16, char> = BTreeMap::new();
    for (&c, &g) in glyphs {
        let keep = by_glyph.get(&g).is_some_and(|&old| !radical(old));
        if !keep {
            by_glyph.insert(g, c);
        }
    }
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, char)> = by_glyph.into_iter().collect();
    for chunk in entries.chunks(100) {
        out += &format!("{} beginbfchar\n", chunk.len());
        for (g, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            out += &format!("<{g:04X}> <{hex}>\n");
        }
        out += "endbfchar\n";
    }
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    out
}

/// Subsets `face` to `chars` and adds it to `doc`.
fn embed(doc: &mut PdfDocument, face: &FontFace, chars: &BTreeSet<char>) -> Result<Embedded> {
    let fail = |message: String| Error::Font {
        name: face.name.into(),
        message,
    };
    let originals: BTreeMap<char, u16> = chars
        .iter()
        .map(|&c| (c, face.glyph(c).map_or(0, |g| g.0)))
        .collect();
    let mut remapper = GlyphRemapper::new();
    let gids: BTreeSet<u16> = originals.values().copied().collect();
    for &g in &gids {
        remapper.remap(g);
    }
    let subset = subsetter::subset(face.data, 0, &remapper).map_err(|e| fail(e.to_string()))?;
    let glyphs = originals
        .iter()
        .map(|(&c, &g)| (c, remapper.get(g).unwrap_or(0)))
        .collect();

    let mut warnings = Vec::new();
    let parsed = ParsedFont::from_bytes(&subset, 0, &mut warnings)
        .ok_or_else(|| fail("the subset font does not parse".into()))?;
    let id = FontId(format!("{}+{}", subset_tag(face.name, &gids), face.name));
    doc.resources
        .fonts
        .map
        .insert(id.clone(), printpdf::PdfFont::new(parsed));
    Ok(Embedded { id, glyphs })
}

/// Six capital letters that identify the subset (ISO 32000-1 §9.6.4), from its glyphs.
fn subset_tag(name: &str, gids: &BTreeSet<u16>) -> String {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(name.as_bytes());
    for g in gids {
        hasher.update(&g.to_be_bytes());
    }
    let mut n = hasher.finalize();
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (n % 26) as u8);
            n /= 26;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_maps_from_the_text_and_prefers_ordinary_characters() {
        let glyphs: BTreeMap<char, u16> = [('日', 5), ('\u{2F47}', 5), ('A', 1), ('😀', 2)].into();
        let cmap = to_unicode_cmap(&glyphs);
        assert!(cmap.contains("<0005> <65E5>"), "{cmap}");
        assert!(!cmap.contains("<2F47>"));
        assert!(cmap.contains("<0002> <D83DDE00>"), "surrogate pair");
        assert!(cmap.contains("3 beginbfchar"));
    }

    #[test]
    fn subset_tags_are_six_capitals_and_depend_on_the_glyphs() {
        let a: BTreeSet<u16> = [1, 2, 3].into();
        let b: BTreeSet<u16> = [1, 2, 4].into();
        let tag = subset_tag("F", &a);
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(tag, subset_tag("F", &a));
        assert_ne!(tag, subset_tag("F", &b));
    }
}
