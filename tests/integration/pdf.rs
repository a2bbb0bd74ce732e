//! The handout read back with lopdf.

use lopdf::{Document, Object};

use super::common::*;

fn fonts_of(doc: &Document) -> Vec<(String, usize)> {
    // (BaseFont of each Type0 font, size of its embedded program)
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        let name =
            String::from_utf8_lossy(dict.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
        let descendants = dict.get(b"DescendantFonts").unwrap().as_array().unwrap();
        let cid = doc
            .dereference(&descendants[0])
            .unwrap()
            .1
            .as_dict()
            .unwrap();
        assert_eq!(
            cid.get(b"Subtype").unwrap().as_name().unwrap(),
            b"CIDFontType2"
        );
        let descriptor = doc
            .dereference(cid.get(b"FontDescriptor").unwrap())
            .unwrap()
            .1
            .as_dict()
            .unwrap();
        let file = doc
            .dereference(descriptor.get(b"FontFile2").unwrap())
            .unwrap()
            .1
            .as_stream()
            .unwrap();
        let program = file
            .decompressed_content()
            .unwrap_or_else(|_| file.content.clone());
        assert!(dict.get(b"ToUnicode").is_ok(), "{name} has a ToUnicode map");
        out.push((name, program.len()));
    }
    out.sort();
    out
}

#[test]
fn a4_landscape_with_both_faces_embedded_as_subsets() {
    let dir = build_seed();
    let doc = Document::load(dir.path().join("out/registry.pdf")).unwrap();
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        let mb: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert!(
            (mb[2] - 841.89).abs() < 0.1 && (mb[3] - 595.28).abs() < 0.1,
            "{mb:?}"
        );
    }
    let fonts = fonts_of(&doc);
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    for (name, size) in &fonts {
        let (tag, base) = name.split_once('+').expect("subset tag");
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert!(base.starts_with("BIZUDGothic-"), "{name}");
        // The whole face is 4.6 MB; a subset of a few hundred glyphs is far smaller.
        assert!(*size < 400_000, "{name} embeds {size} bytes");
    }
}

#[test]
fn every_cell_is_present_and_whole_and_the_header_is_on_every_page() {
    let dir = build_seed();
    let registry = seed_registry();
    let pages = pdf_pages_text(&dir.path().join("out/registry.pdf"));
    assert!(pages.len() >= 2, "18 projects take more than one A4 page");
    for (i, page) in pages.iter().enumerate() {
        let page = squeeze(page);
        for h in [
            "資料2",
            "政策分野",
            "連携事業名（18事業）",
            "取組状況",
            "取組内容・事業概要",
            "関係市町",
        ] {
            assert!(page.contains(h), "page {} lacks {h}", i + 1);
        }
        assert!(page.contains(&registry.title));
        assert!(page.contains(&format!("-{}-", i + 1)), "page number");
    }
    let all = squeeze(&pages.concat());
    let rows: Vec<_> = registry.rows().collect();
    for (i, (area, cat, p)) in rows.iter().enumerate() {
        for text in [
            &p.label(),
            &p.summary,
            &registry.town_list(p),
            &area.name,
            &cat.name,
        ] {
            assert!(all.contains(&squeeze(text)), "missing or broken: {text}");
        }
        // The status in the project's own row: between its name and the next project's
        // (every status is printed somewhere, so anywhere would prove nothing).
        let start = all.find(&squeeze(&p.label())).unwrap() + squeeze(&p.label()).len();
        let end = rows
            .get(i + 1)
            .and_then(|(_, _, next)| all[start..].find(&squeeze(&next.label())))
            .map_or(all.len(), |at| start + at);
        assert!(
            all[start..end].contains(&p.status),
            "project {} lacks its status {} in its row",
            p.number,
            p.status
        );
    }
}

#[test]
fn merged_cells_continued_on_a_new_page_repeat_their_text() {
    let dir = build_seed();
    let pages = pdf_pages_text(&dir.path().join("out/registry.pdf"));
    let registry = seed_registry();
    for (i, page) in pages.iter().enumerate().skip(1) {
        let page = squeeze(page);
        // The first project on this page: its area and category are printed here too.
        let (area, cat, _) = registry
            .rows()
            .find(|(_, _, p)| page.contains(&squeeze(&p.label())))
            .unwrap();
        assert!(
            page.contains(&squeeze(&area.name)),
            "page {} lacks {}",
            i + 1,
            area.name
        );
        assert!(
            page.contains(&squeeze(&cat.name)),
            "page {} lacks {}",
            i + 1,
            cat.name
        );
    }
}

#[test]
fn town_handouts_hold_only_their_projects() {
    let dir = build_seed();
    let registry = seed_registry();
    for (i, town) in TOWNS.iter().enumerate() {
        let path = dir.path().join(format!("out/towns/{town}.pdf"));
        let all = squeeze(&pdf_pages_text(&path).concat());
        assert!(
            all.contains(&format!("{}（{town}）", registry.title)),
            "{town} title"
        );
        let mine = registry
            .rows()
            .filter(|(_, _, p)| p.has_town(shiryo::model::TownId(i)))
            .count();
        assert!(
            all.contains(&format!("連携事業名（{mine}事業）")),
            "{town}: count {mine}"
        );
        for (_, _, p) in registry.rows() {
            let present = all.contains(&squeeze(&p.summary));
            assert_eq!(
                present,
                p.has_town(shiryo::model::TownId(i)),
                "{town}: project {}",
                p.number
            );
        }
    }
}

#[test]
fn metadata_comes_from_the_registry() {
    let dir = build_seed();
    let doc = Document::load(dir.path().join("out/registry.pdf")).unwrap();
    let info = doc.trailer.get(b"Info").unwrap();
    let info = doc.dereference(info).unwrap().1.as_dict().unwrap();
    let text = |k: &[u8]| {
        let bytes = info.get(k).unwrap().as_str().unwrap();
        lopdf::decode_text_string(&Object::String(
            bytes.to_vec(),
            lopdf::StringFormat::Literal,
        ))
        .unwrap()
    };
    assert_eq!(text(b"Title"), "上川中部定住自立圏連携事業の進捗状況等");
    assert_eq!(text(b"Author"), "上川中部定住自立圏");
    assert_eq!(text(b"Subject"), "資料2");
    assert_eq!(text(b"Creator"), "shiryo");
    assert!(text(b"CreationDate").starts_with("D:20111101000000"));
}

/// The catalog's metadata stream, as text.
fn xmp_of(doc: &Document) -> String {
    let catalog = doc.catalog().unwrap();
    let stream = doc
        .dereference(catalog.get(b"Metadata").unwrap())
        .unwrap()
        .1
        .as_stream()
        .unwrap();
    assert!(
        stream.dict.get(b"Filter").is_err(),
        "PDF/A: the metadata stream is not filtered"
    );
    String::from_utf8(stream.content.clone()).unwrap()
}

#[test]
fn archival_metadata_agrees_with_the_info_and_claims_nothing_false() {
    let dir = build_seed();
    let bytes = std::fs::read(dir.path().join("out/registry.pdf")).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-1.7\n%"),
        "PDF 1.7 with a binary mark"
    );
    let doc = Document::load_mem(&bytes).unwrap();
    let info = doc.trailer.get(b"Info").unwrap();
    let info = doc.dereference(info).unwrap().1.as_dict().unwrap();
    for key in [b"GTS_PDFXVersion".as_slice(), b"Identifier", b"Trapped"] {
        assert!(info.get(key).is_err(), "{}", String::from_utf8_lossy(key));
    }
    // Non-ASCII Info strings are UTF-16BE with a byte order mark, which every reader
    // decodes (raw UTF-8 is read as PDFDocEncoding: mojibake).
    let title = info.get(b"Title").unwrap().as_str().unwrap();
    assert!(title.starts_with(&[0xFE, 0xFF]));

    let registry = seed_registry();
    let xmp = xmp_of(&doc);
    assert!(xmp.contains(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li>",
        registry.title
    )));
    assert!(
        xmp.contains("<rdf:li>上川中部定住自立圏</rdf:li>"),
        "dc:creator"
    );
    assert!(xmp.contains("<xmp:CreateDate>2011-11-01T00:00:00Z</xmp:CreateDate>"));
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"));

    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"ja-JP");
    let prefs = catalog
        .get(b"ViewerPreferences")
        .unwrap()
        .as_dict()
        .unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    let profile = doc
        .dereference(intent.get(b"DestOutputProfile").unwrap())
        .unwrap()
        .1
        .as_stream()
        .unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let icc = profile
        .decompressed_content()
        .unwrap_or_else(|_| profile.content.clone());
    assert_eq!(&icc[12..20], b"mntrRGB ", "an RGB display profile");
}

/// Every stream's /Length as a strict reader counts it (PDF/A-2, 6.1.7.1): the data
/// runs from the end of line after `stream` to the end-of-line marker before
/// `endstream`, which is CR LF when the two bytes before `endstream` are CR LF. Data
/// ending in CR (lopdf's object streams, one in 256) once made that one byte short:
/// the seika table's 旭川市 handout of tests/layout/registries/seika.yaml had one.
#[test]
fn every_stream_is_as_long_as_its_length_says_to_a_strict_reader() {
    let dir = tempfile::tempdir().unwrap();
    let registry = root().join("tests/layout/registries/seika.yaml");
    shiryo_ok(
        dir.path(),
        &[
            "--template",
            "seika",
            "build",
            registry.to_str().unwrap(),
            "-o",
            "out",
        ],
    );
    let mut files = vec![dir.path().join("out/seika.pdf")];
    for entry in std::fs::read_dir(dir.path().join("out/towns")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut streams = 0;
    for file in &files {
        let pdf = std::fs::read(file).unwrap();
        let find = |from: usize, what: &[u8]| {
            pdf[from..]
                .windows(what.len())
                .position(|w| w == what)
                .map(|i| from + i)
        };
        let mut at = 0;
        while let Some(s) = find(at, b">>stream") {
            let start = s + b">>stream".len();
            let start = start + if pdf[start] == b'\r' { 2 } else { 1 };
            let dict_start = pdf[..s].windows(4).rposition(|w| w == b"obj\n").unwrap();
            let dict = String::from_utf8_lossy(&pdf[dict_start..s]);
            let length: usize = dict
                .split("/Length ")
                .nth(1)
                .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{}: no /Length in {dict}", file.display()));
            let end = find(start + length, b"endstream").unwrap();
            let eol = if pdf[end - 2..end] == *b"\r\n" { 2 } else { 1 };
            assert_eq!(
                end - eol - start,
                length,
                "{}: the stream at byte {start} reads {} bytes long to a strict reader, /Length {length}",
                file.display(),
                end - eol - start
            );
            streams += 1;
            at = end;
        }
    }
    assert!(
        streams >= 5 * files.len(),
        "{streams} streams in {} files",
        files.len()
    );
}
