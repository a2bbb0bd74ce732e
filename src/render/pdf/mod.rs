//! Stage 3a: [`Handout`] → PDF bytes (printpdf). Never measures text.
//!
//! Fonts: for each face, the glyphs actually drawn are subset with `subsetter` (Typst's
//! subsetter; printpdf only subsets behind its heavy `text_layout` feature) and embedded
//! as a CID font (Type0, Identity-H). Text is written as glyph ids, and the ToUnicode
//! map is written here from the characters drawn with each glyph, never from the
//! font's cmap in reverse (BIZ UDGothic shares glyphs between 日 and ⽇).
//!
//! ```text
//! Catalog ─ Pages ─ Page × n ─ Contents (rules as an artifact, then one BT … ET of
//!         │                             glyph runs, each in its marked-content sequence)
//!                            └ Resources ─ Font ─ ABCDEF+BIZUDGothic-Regular (Type0)
//!                                                 └ CIDFontType2 ─ FontDescriptor ─ FontFile2 (subset)
//!                                                 └ ToUnicode (from the drawn text)
//!         ├ StructTreeRoot ─ Document ─ H1, Table, P … (see [`tags`])
//!         └ Metadata (XMP), OutputIntents (sRGB), Lang, MarkInfo
//! ```
//! The subset tag is derived from the glyph set, and printpdf's own ids are fixed, so
//! the same handout gives the same bytes.
//!
//! printpdf builds the document (pages, resources, the embedded fonts and their
//! widths); the rest is written through lopdf afterwards, one module per PDF concept:
//! [`content`] (the page content streams, written straight to bytes), [`fonts`]
//! (subsets, ToUnicode), [`tags`] (marked content and the structure tree, from the
//! layout's roles), [`metadata`] (version, Info, XMP, output intent, language, /ID).

mod content;
mod fonts;
mod metadata;
mod tags;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use printpdf::{
    Codepoint, Mm as PdfMm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt as PdfPt,
    TextItem,
};

use crate::error::{Error, Result};
use crate::layout::{Artifact, Extraction, Fonts, Handout, Role, Style};
use crate::model::Registry;
use content::Content;
use fonts::Embedded;

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
            embedded.insert(style, fonts::embed(&mut doc, fonts.face(style), &chars)?);
        }
    }

    let height = handout.height.0;
    let width = handout.width.0;
    let rule = handout.rule_width.0;
    let mut tagger = tags::Tagger::new(handout.table);
    const LAYOUT: Role = Role::Artifact(Artifact::Layout);
    // Pages are consumed one by one: a large handout is not held twice. Each page's
    // stream is deflated as soon as it is written, so only the deflated bytes are kept
    // (the same bytes as deflating them all at the end: the compressor is reset).
    let mut z = flate2::Compress::new(flate2::Compression::default(), true);
    let contents: Vec<(lopdf::Stream, crc32fast::Hasher)> = handout
        .pages
        .into_iter()
        .map(|page| {
            tagger.begin_page();
            let mut c = Content::new();
            c.line_width(rule);
            c.stroke_gray(0.0);
            // Rules are artifacts: one sequence for all of them.
            tagger.mark(&mut c, LAYOUT);
            for b in &page.boxes {
                c.stroke_rect(b.x.0, height - b.y.0 - b.height.0, b.width.0, b.height.0);
            }
            // Underlines and strikes, measured by the layout: straight strokes.
            for (t, d) in page
                .texts
                .iter()
                .filter_map(|t| t.decoration.map(|d| (t, d)))
            {
                let y = height - t.baseline.0 - d.offset.0;
                c.line_width(d.thickness.0);
                c.stroke_line((t.x.0, y), (t.x.0 + d.width.0, y));
                c.line_width(rule);
            }
            tagger.close(&mut c);
            c.begin_text();
            let mut current: Option<(Style, f32)> = None;
            let mut hidden = false;
            for t in &page.texts {
                tagger.mark(&mut c, t.role);
                if t.role.is_hidden() != hidden {
                    hidden = !hidden;
                    c.render_mode(if hidden { 3 } else { 0 });
                }
                let font = &embedded[&t.style];
                if current != Some((t.style, t.size.0)) {
                    c.font(&font.id.0, t.size.0);
                    current = Some((t.style, t.size.0));
                }
                c.text_at(t.x.0, height - t.baseline.0);
                let glyphs = t.text.chars().map(|ch| font.glyph(ch));
                match t.extraction {
                    Extraction::AsDrawn => c.show_glyphs(glyphs),
                    // The run's text on the glyphs before its tail, nothing on the tail:
                    // one word for extraction, ending where the layout asked.
                    Extraction::OneWord { from, tail } => {
                        let glyphs: Vec<u16> = glyphs.collect();
                        let (head, tail) = glyphs.split_at(glyphs.len() - tail);
                        c.begin_actual_text(&t.text);
                        if let Some(from) = from {
                            // The first glyph again, unseen, where the word starts.
                            if !hidden {
                                c.render_mode(3);
                            }
                            c.text_at(from.0, height - t.baseline.0);
                            c.show_glyphs(head.iter().copied().take(1));
                            if !hidden {
                                c.render_mode(0);
                            }
                            c.text_at(t.x.0, height - t.baseline.0);
                        }
                        c.show_glyphs(head.iter().copied());
                        c.end_marked();
                        if !tail.is_empty() {
                            c.begin_actual_text("");
                            c.show_glyphs(tail.iter().copied());
                            c.end_marked();
                        }
                    }
                    Extraction::Placeholder => {
                        c.begin_actual_text("\u{200B}");
                        c.show_glyphs(glyphs);
                        c.end_marked();
                    }
                }
            }
            tagger.close(&mut c);
            c.end_text();
            let bytes = c.into_bytes();
            let mut digest = crc32fast::Hasher::new();
            digest.update(&bytes);
            let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), bytes);
            deflate(&mut z, &mut stream);
            (stream, digest)
        })
        .collect();
    // printpdf writes the pages, their resources and the fonts (with the widths of the
    // glyphs it sees used); the content streams are ours (see [`content`]). So its
    // pages are empty but for the first, which shows every glyph of each face once
    // for it to count; that stream is replaced with the page's own below.
    let to_mm = |pt: f32| PdfMm(pt * 25.4 / 72.0);
    let mut usage = vec![Op::StartTextSection];
    for font in embedded.values() {
        usage.push(Op::SetFont {
            font: PdfFontHandle::External(font.id.clone()),
            size: PdfPt(1.0),
        });
        let glyphs: BTreeSet<u16> = font.glyphs.values().copied().collect();
        usage.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(
                glyphs.into_iter().map(|g| Codepoint::new(g, 0.0)).collect(),
            )],
        });
    }
    usage.push(Op::EndTextSection);
    let pages = (0..contents.len())
        .map(|i| {
            let ops = if i == 0 {
                std::mem::take(&mut usage)
            } else {
                Vec::new()
            };
            PdfPage::new(to_mm(width), to_mm(height), ops)
        })
        .collect();
    doc.with_pages(pages);

    let opts = PdfSaveOptions {
        // Fonts are subset already (above).
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&opts, &mut warnings);
    drop(doc);
    let deflated = set_contents(&mut pdf, contents)?;
    fonts::replace_to_unicode(&mut pdf, &embedded);
    tagger.write(&mut pdf)?;
    metadata::conform(&mut pdf, info, metadata::Claim::A2aUa1)?;
    metadata::set_document_id(&mut pdf, info, &deflated);
    compress(&mut pdf);
    let mut bytes = Vec::new();
    // Object streams (PDF 1.5, allowed by PDF/A-2): the structure tree is tens of
    // thousands of small dictionaries in a large handout; deflated together they take
    // a fraction of the room.
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .max_objects_per_stream(1000)
        .compression_level(6)
        .build();
    pdf.save_with_options(&mut bytes, options)
        .map_err(|e| Error::Font {
            name: "PDF".into(),
            message: e.to_string(),
        })?;
    end_streams_with_crlf_after_cr(&mut bytes);
    Ok(bytes)
}

/// lopdf ends a stream with `\nendstream \nendobj`. When the data's last byte is a CR
/// (an object stream lopdf deflated ends in its Adler-32 checksum: one in 256), a
/// strict reader (PDF/A, 6.1.7.1) takes CR LF for the end-of-line marker and the data
/// for one byte shorter than /Length. Such an end becomes `\r\nendstream\nendobj`: the
/// same length, so no offset moves, and the marker is then CR LF after the data.
fn end_streams_with_crlf_after_cr(pdf: &mut [u8]) {
    const END: &[u8] = b"\r\nendstream \nendobj\n";
    const FIXED: &[u8] = b"\r\r\nendstream\nendobj\n";
    let mut at = 0;
    while let Some(i) = find(&pdf[at..], END) {
        let i = at + i;
        pdf[i..i + FIXED.len()].copy_from_slice(FIXED);
        at = i + END.len();
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Puts each page's content stream (in page order) in place of printpdf's; gives
/// each one's digest (of its bytes before deflating) by its object id.
fn set_contents(
    pdf: &mut lopdf::Document,
    contents: Vec<(lopdf::Stream, crc32fast::Hasher)>,
) -> Result<HashMap<lopdf::ObjectId, crc32fast::Hasher>> {
    let fail = |message: String| Error::Font {
        name: "PDF pages".into(),
        message,
    };
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    if pages.len() != contents.len() {
        return Err(fail(format!(
            "{} pages written, {} drawn",
            pages.len(),
            contents.len()
        )));
    }
    let mut digests = HashMap::with_capacity(contents.len());
    for (page, (stream, digest)) in pages.into_iter().zip(contents) {
        let id = pdf
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(lopdf::Object::as_reference)
            .map_err(|e| fail(e.to_string()))?;
        pdf.objects.insert(id, lopdf::Object::Stream(stream));
        digests.insert(id, digest);
    }
    Ok(digests)
}

/// Deflates every stream at zlib's default level (lopdf's `compress` uses the best
/// level: a third of a large handout's time for 1% of its size), on every core.
fn compress(pdf: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && !s.dict.has(b"Filter") => Some(s),
            _ => None,
        })
        .collect();
    // Largest first, each thread taking the next: the font programs (most of a small
    // handout's bytes) go to different cores.
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(streams.len());
    let queue: Vec<std::sync::Mutex<&mut lopdf::Stream>> =
        streams.into_iter().map(std::sync::Mutex::new).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // One compressor per thread, reset between streams: setting one up
                // clears its tables, a third of the time of deflating a page.
                let mut z = flate2::Compress::new(flate2::Compression::default(), true);
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(stream) = queue.get(i) else { break };
                    let mut stream = stream.lock().unwrap_or_else(|e| e.into_inner());
                    deflate(&mut z, &mut stream);
                }
            });
        }
    });
}

fn deflate(z: &mut flate2::Compress, stream: &mut lopdf::Stream) {
    z.reset();
    let input = &stream.content;
    let mut deflated = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        let read = z.total_in() as usize;
        match z.compress_vec(&input[read..], &mut deflated, flate2::FlushCompress::Finish) {
            Ok(flate2::Status::StreamEnd) => break,
            // The output is full: room for more.
            Ok(_) => deflated.reserve(deflated.capacity().max(64)),
            Err(_) => return,
        }
    }
    // Data ending in CR before lopdf's "\nendstream" reads as a CR LF end of line to
    // a strict reader (PDF/A: /Length then disagrees by one); zlib's last byte is its
    // Adler-32 checksum's, the same at any level, so such a stream stays as it is
    // (about one in 256).
    if deflated.len() < input.len() && deflated.last() != Some(&b'\r') {
        // Room was reserved for half the input; a page deflates to a fifth or less.
        deflated.shrink_to_fit();
        stream
            .dict
            .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(deflated);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_ending_in_cr_gets_a_crlf_marker_in_the_same_length() {
        let mut pdf = b"1 0 obj\n<</Length 3>>stream\nab\r\nendstream \nendobj\n2 0 obj\n".to_vec();
        let len = pdf.len();
        end_streams_with_crlf_after_cr(&mut pdf);
        assert_eq!(pdf.len(), len);
        assert_eq!(
            pdf,
            b"1 0 obj\n<</Length 3>>stream\nab\r\r\nendstream\nendobj\n2 0 obj\n"
        );
        // Other ends stay as lopdf wrote them.
        let mut pdf = b"stream\nab\nendstream \nendobj\n".to_vec();
        let before = pdf.clone();
        end_streams_with_crlf_after_cr(&mut pdf);
        assert_eq!(pdf, before);
    }

    #[test]
    fn no_deflated_stream_ends_in_a_carriage_return() {
        // Adler-32's low byte is 1 + the sum of the bytes: 12 makes it 0x0D.
        let mut data = vec![0u8; 1000];
        data.push(12);
        let mut z = flate2::Compress::new(flate2::Compression::default(), true);
        let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), data.clone());
        deflate(&mut z, &mut stream);
        assert_eq!(stream.content, data, "left uncompressed");
        data.push(1);
        let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), data.clone());
        deflate(&mut z, &mut stream);
        assert!(stream.content.len() < data.len(), "compressed");
        assert!(stream.dict.has(b"Filter"));
    }
    use crate::layout::{Artifact, DecorationKind, Extraction, Page, Role, TableShape, TextRun};
    use crate::units::Pt;

    #[test]
    fn a_decorated_run_gets_a_stroke_under_it_as_long_as_the_run() {
        let fonts = Fonts::bundled().unwrap();
        let run = |x: f32, text: &str, kind: Option<DecorationKind>| TextRun {
            x: Pt(x),
            baseline: Pt(100.0),
            size: Pt(10.0),
            style: Style::Regular,
            text: text.into(),
            role: Role::Artifact(Artifact::Layout),
            decoration: kind.map(|k| k.at(10.0 * text.chars().count() as f32, 10.0, 0.88)),
            extraction: Extraction::AsDrawn,
        };
        let handout = Handout {
            width: Pt(300.0),
            height: Pt(200.0),
            rule_width: Pt(0.5),
            table: TableShape {
                columns: 0,
                header_rows: 0,
                body_rows: 0,
            },
            pages: vec![Page {
                texts: vec![
                    run(50.0, "公的", None),
                    run(70.0, "民間", Some(DecorationKind::Underline)),
                    run(90.0, "削除", Some(DecorationKind::Strike)),
                ],
                ..Page::default()
            }],
        };
        let bytes = write_pdf(handout, &PdfInfo::default(), &fonts).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let page = *doc.get_pages().values().next().unwrap();
        let ops = doc.get_and_decode_page_content(page).unwrap().operations;
        let num = |o: &lopdf::Object| o.as_float().unwrap();
        let strokes: Vec<(f32, f32, f32)> = ops
            .windows(2)
            .filter(|w| w[0].operator == "m" && w[1].operator == "l")
            .map(|w| {
                (
                    num(&w[0].operands[0]),
                    num(&w[1].operands[0]),
                    num(&w[0].operands[1]),
                )
            })
            .collect();
        // Underline: 0.18 em below the baseline (200 - 100 - 1.8); strike: 0.38 em above.
        assert_eq!(strokes.len(), 2, "{strokes:?}");
        assert_eq!((strokes[0].0, strokes[0].1), (70.0, 90.0));
        assert!((strokes[0].2 - 98.2).abs() < 0.01, "{strokes:?}");
        assert_eq!((strokes[1].0, strokes[1].1), (90.0, 110.0));
        assert!((strokes[1].2 - 103.8).abs() < 0.01, "{strokes:?}");
    }
}
