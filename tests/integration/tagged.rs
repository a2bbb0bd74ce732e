//! The handout's structure tree (PDF/UA-1, PDF/A-2a) read back with lopdf: the text
//! of every marked-content sequence decoded through the fonts' ToUnicode maps (a
//! `/Span` with an ActualText, nested in a sequence, stands for its glyphs), then the
//! tree walked from the StructTreeRoot and compared with the registry.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use shiryo::Registry;

use super::common::*;

/// The marked content of a handout: text per (page id, MCID), the text drawn as
/// artifacts on each page, and of that the text drawn unseen (render mode 3).
struct Marked {
    content: HashMap<(ObjectId, i64), String>,
    artifacts: BTreeMap<u32, String>,
    unseen: BTreeMap<u32, String>,
}

/// glyph id → text, from a ToUnicode CMap of `<gggg> <uuuu…>` entries (ours).
fn to_unicode(doc: &Document, font: &Dictionary) -> HashMap<u16, String> {
    let stream = doc
        .dereference(font.get(b"ToUnicode").unwrap())
        .unwrap()
        .1
        .as_stream()
        .unwrap();
    let cmap = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let cmap = String::from_utf8(cmap).unwrap();
    let mut map = HashMap::new();
    for line in cmap.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() == 2 && parts[0].starts_with('<') && parts[1].starts_with('<') {
            let glyph = u16::from_str_radix(parts[0].trim_matches(['<', '>']), 16).unwrap();
            let hex = parts[1].trim_matches(['<', '>']);
            let units: Vec<u16> = (0..hex.len())
                .step_by(4)
                .map(|i| u16::from_str_radix(&hex[i..i + 4], 16).unwrap())
                .collect();
            map.insert(glyph, String::from_utf16(&units).unwrap());
        }
    }
    map
}

fn read_marked(doc: &Document) -> Marked {
    let mut content = HashMap::new();
    let mut artifacts = BTreeMap::new();
    let mut unseen = BTreeMap::new();
    for (number, page) in doc.get_pages() {
        let fonts = doc.get_page_fonts(page).unwrap();
        let maps: HashMap<Vec<u8>, HashMap<u16, String>> = fonts
            .iter()
            .map(|(name, font)| (name.clone(), to_unicode(doc, font)))
            .collect();
        let ops = Content::decode(&doc.get_page_content(page))
            .unwrap()
            .operations;
        // The open sequences: Some(mcid) for content, None for an artifact.
        let mut stack: Vec<Option<i64>> = Vec::new();
        let mut font = Vec::new();
        let mut art = String::new();
        let mut hidden = String::new();
        let mut mode = 0;
        // The ActualText of the open span, which its glyphs stand for.
        let mut span: Option<String> = None;
        for op in &ops {
            match op.operator.as_str() {
                "BDC" if op.operands[0].as_name().unwrap() == b"Span" => {
                    assert!(
                        !stack.is_empty(),
                        "page {number}: a span is inside a sequence"
                    );
                    assert!(span.is_none(), "page {number}: spans are not nested");
                    let actual = op.operands[1]
                        .as_dict()
                        .unwrap()
                        .get(b"ActualText")
                        .unwrap()
                        .as_str()
                        .unwrap();
                    assert_eq!(actual[..2], [0xFE, 0xFF], "UTF-16BE with its mark");
                    let units: Vec<u16> = actual[2..]
                        .chunks(2)
                        .map(|u| u16::from_be_bytes([u[0], u[1]]))
                        .collect();
                    span = Some(String::from_utf16(&units).unwrap());
                }
                "EMC" if span.is_some() => {
                    let text = span.take().unwrap();
                    match stack.last() {
                        Some(Some(mcid)) => content
                            .entry((page, *mcid))
                            .or_insert_with(String::new)
                            .push_str(&text),
                        _ => art.push_str(&text),
                    }
                }
                "BDC" => {
                    let tag = op.operands[0].as_name().unwrap();
                    let mcid = op.operands[1]
                        .as_dict()
                        .ok()
                        .and_then(|d| d.get(b"MCID").ok())
                        .and_then(|m| m.as_i64().ok());
                    assert!(stack.is_empty(), "marked content is never nested");
                    if tag == b"Artifact" {
                        stack.push(None);
                    } else {
                        stack.push(Some(mcid.expect("content has an MCID")));
                    }
                }
                "BMC" => panic!("every sequence has properties"),
                "EMC" => {
                    stack.pop().expect("EMC closes a sequence");
                }
                "Tf" => font = op.operands[0].as_name().unwrap().to_vec(),
                "Tr" => mode = op.operands[0].as_i64().unwrap(),
                "Tj" | "TJ" => {
                    let bytes: Vec<u8> = match &op.operands[0] {
                        Object::String(b, _) => b.clone(),
                        Object::Array(items) => items
                            .iter()
                            .filter_map(|i| i.as_str().ok())
                            .flatten()
                            .copied()
                            .collect(),
                        other => panic!("{other:?}"),
                    };
                    let text: String = bytes
                        .chunks(2)
                        .map(|g| maps[&font][&u16::from_be_bytes([g[0], g[1]])].as_str())
                        .collect();
                    if span.is_some() {
                        // The span's ActualText is its text (see EMC above).
                        continue;
                    }
                    if mode == 3 {
                        assert_eq!(
                            stack.last(),
                            Some(&None),
                            "page {number}: unseen text {text} is an artifact"
                        );
                        hidden.push_str(&text);
                    }
                    match stack.last() {
                        Some(Some(mcid)) => content
                            .entry((page, *mcid))
                            .or_insert_with(String::new)
                            .push_str(&text),
                        Some(None) => art.push_str(&text),
                        None => {
                            panic!("page {number}: text {text} is neither content nor artifact")
                        }
                    }
                }
                "re" | "l" | "S" | "m" => {
                    assert_eq!(
                        stack.last(),
                        Some(&None),
                        "page {number}: paths are artifacts"
                    )
                }
                _ => {}
            }
        }
        assert!(
            stack.is_empty(),
            "every sequence is closed on page {number}"
        );
        artifacts.insert(number, art);
        unseen.insert(number, hidden);
    }
    Marked {
        content,
        artifacts,
        unseen,
    }
}

/// A structure element, read back.
struct Elem<'a> {
    dict: &'a Dictionary,
}

impl<'a> Elem<'a> {
    fn s(&self) -> String {
        String::from_utf8(self.dict.get(b"S").unwrap().as_name().unwrap().to_vec()).unwrap()
    }

    fn kids(&self, doc: &'a Document) -> Vec<Elem<'a>> {
        let Ok(k) = self.dict.get(b"K") else {
            return Vec::new();
        };
        let items = match k {
            Object::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        items
            .iter()
            .filter_map(|o| o.as_reference().ok())
            .map(|id| Elem {
                dict: doc.get_dictionary(id).unwrap(),
            })
            .collect()
    }

    /// The text of the element's own marked content, in order, and the pages it is on.
    fn text(&self, marked: &Marked) -> (String, Vec<ObjectId>) {
        let Ok(k) = self.dict.get(b"K") else {
            return (String::new(), Vec::new());
        };
        let pg = self.dict.get(b"Pg").and_then(Object::as_reference).ok();
        let mut text = String::new();
        let mut pages = Vec::new();
        for kid in k.as_array().unwrap() {
            let (page, mcid) = match kid {
                Object::Integer(m) => (pg.unwrap(), *m),
                Object::Dictionary(mcr) => (
                    mcr.get(b"Pg").unwrap().as_reference().unwrap(),
                    mcr.get(b"MCID").unwrap().as_i64().unwrap(),
                ),
                other => panic!("unexpected kid {other:?}"),
            };
            text += &marked.content[&(page, mcid)];
            if !pages.contains(&page) {
                pages.push(page);
            }
        }
        (text, pages)
    }

    fn attr(&self, key: &[u8]) -> Option<String> {
        let a = self.dict.get(b"A").ok()?.as_dict().ok()?;
        Some(match a.get(key).ok()? {
            Object::Name(n) => String::from_utf8(n.clone()).unwrap(),
            Object::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        })
    }
}

fn document(doc: &Document) -> Elem<'_> {
    let root = doc
        .dereference(doc.catalog().unwrap().get(b"StructTreeRoot").unwrap())
        .unwrap()
        .1
        .as_dict()
        .unwrap();
    let d = Elem {
        dict: doc
            .get_dictionary(root.get(b"K").unwrap().as_reference().unwrap())
            .unwrap(),
    };
    assert_eq!(d.s(), "Document");
    d
}

/// Checks the whole tree of the handout at `path` against `registry`; returns the
/// number of body rows whose content is on more than one page.
fn check_tree(path: &Path, registry: &Registry) -> usize {
    let doc = Document::load(path).unwrap();
    let marked = read_marked(&doc);
    let document = document(&doc);
    let kids = document.kids(&doc);
    let kinds: Vec<String> = kids.iter().map(Elem::s).collect();
    assert_eq!(kinds[0], "H1", "{kinds:?}");
    assert_eq!(squeeze(&kids[0].text(&marked).0), squeeze(&registry.title));
    let table = kids.iter().find(|k| k.s() == "Table").expect("a Table");
    let groups = table.kids(&doc);
    assert_eq!(
        groups.iter().map(Elem::s).collect::<Vec<_>>(),
        ["THead", "TBody"]
    );

    let head = groups[0].kids(&doc);
    assert_eq!(head.len(), 1, "one header row");
    let ths: Vec<(String, String, Option<String>, Option<String>)> = head[0]
        .kids(&doc)
        .iter()
        .map(|c| {
            (
                c.s(),
                c.text(&marked).0,
                c.attr(b"Scope"),
                c.attr(b"ColSpan"),
            )
        })
        .collect();
    let th = |t: &str, span: Option<&str>| {
        (
            "TH".to_string(),
            t.to_string(),
            Some("Column".to_string()),
            span.map(str::to_string),
        )
    };
    let count = format!("連携事業名（{}事業）", registry.project_count());
    assert_eq!(
        ths,
        [
            th("政策分野", None),
            th(&count, Some("2")),
            th("取組状況", None),
            th("取組内容・事業概要", None),
            th("関係市町", None),
        ]
    );

    let rows = groups[1].kids(&doc);
    assert_eq!(rows.len(), registry.project_count(), "one TR per project");
    let mut split = 0;
    let mut r = 0;
    for area in &registry.areas {
        for (ci, cat) in area.categories.iter().enumerate() {
            for (pi, p) in cat.projects.iter().enumerate() {
                let tr = &rows[r];
                assert_eq!(tr.s(), "TR");
                let cells = tr.kids(&doc);
                let mut expect: Vec<(&str, String, Option<String>, Option<String>)> = Vec::new();
                let span = |n: usize| (n > 1).then(|| n.to_string());
                if ci == 0 && pi == 0 {
                    expect.push((
                        "TH",
                        area.name.clone(),
                        Some("Row".into()),
                        span(area.project_count()),
                    ));
                }
                if pi == 0 {
                    expect.push((
                        "TH",
                        cat.name.clone(),
                        Some("Row".into()),
                        span(cat.projects.len()),
                    ));
                }
                for text in [
                    p.label(),
                    p.status.clone(),
                    p.summary.clone(),
                    registry.town_list(p),
                ] {
                    expect.push(("TD", text, None, None));
                }
                assert_eq!(cells.len(), expect.len(), "row {r}");
                for (cell, (s, text, scope, rowspan)) in cells.iter().zip(&expect) {
                    let (got, pages) = cell.text(&marked);
                    assert_eq!(cell.s(), *s, "row {r}");
                    assert_eq!(squeeze(&got), squeeze(text), "row {r}: {s} text");
                    assert_eq!(cell.attr(b"Scope"), *scope, "row {r}");
                    assert_eq!(cell.attr(b"RowSpan"), *rowspan, "row {r}: {text}");
                    if pages.len() > 1 {
                        split += 1;
                    }
                }
                r += 1;
            }
        }
    }

    // Artifacts: the label and the page number on every page, the repeated header
    // row on later pages; none of them is content.
    let content: String = marked.content.values().map(String::as_str).collect();
    for (number, art) in &marked.artifacts {
        let art = squeeze(art);
        assert!(art.contains(&registry.label), "page {number}: label");
        assert!(
            art.contains(&format!("-{number}-")),
            "page {number}: page number"
        );
        if *number > 1 {
            assert!(
                art.contains(&squeeze(&count)),
                "page {number}: header repeated"
            );
            assert!(
                art.contains(&squeeze(&registry.title)),
                "page {number}: title repeated"
            );
        }
    }
    assert!(!content.contains(&registry.label));
    assert!(!squeeze(&content).contains("-1-"));
    split
}

#[test]
fn the_seed_handout_is_a_tagged_table_equal_to_the_registry() {
    let dir = build_seed();
    let registry = seed_registry();
    check_tree(&dir.path().join("out/registry.pdf"), &registry);
    let doc = Document::load(dir.path().join("out/registry.pdf")).unwrap();
    let marked = read_marked(&doc);
    // The merged cells cut by the page break are printed again on page 2, as artifacts.
    let page2 = squeeze(&marked.artifacts[&2]);
    let first_on_2 = registry
        .rows()
        .find(|(_, _, p)| {
            marked
                .content
                .iter()
                .any(|((pg, _), t)| *pg == doc.get_pages()[&2] && squeeze(t) == squeeze(&p.label()))
        })
        .expect("a project starts on page 2");
    assert!(
        page2.contains(&squeeze(&first_on_2.0.name)),
        "continued area"
    );
    // The merged labels put again, unseen, on their later rows (for pdftotext's
    // reading order): nothing but labels, on both pages.
    for (page, text) in &marked.unseen {
        let mut rest = squeeze(text);
        assert!(!rest.is_empty(), "page {page} has labels over several rows");
        for area in &registry.areas {
            rest = rest.replace(&squeeze(&area.name), "");
            for cat in &area.categories {
                rest = rest.replace(&squeeze(&cat.name), "");
            }
        }
        assert_eq!(rest, "", "page {page}");
    }
    for (i, town) in TOWNS.iter().enumerate() {
        let mine = registry.for_town(shiryo::model::TownId(i));
        check_tree(&dir.path().join(format!("out/towns/{town}.pdf")), &mine);
    }
}

#[test]
fn a_row_taller_than_a_page_is_one_row_in_the_structure() {
    let seed = std::fs::read_to_string(seed_registry_path()).unwrap();
    let at = seed.find("            summary: ").unwrap();
    let end = at + seed[at..].find('\n').unwrap();
    let tall: String = (1..=80)
        .map(|i| format!("              {i}行目：圏域内の連携事業の取組内容を記載する。\n"))
        .collect();
    let yaml = format!(
        "{}            summary: |\n{tall}{}",
        &seed[..at],
        &seed[end + 1..]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tall.yaml"), yaml).unwrap();
    let out = shiryo(dir.path(), &["pdf", "tall.yaml", "-o", "tall.pdf"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let registry = shiryo::registry::load(&dir.path().join("tall.yaml")).unwrap();
    let split = check_tree(&dir.path().join("tall.pdf"), &registry);
    assert!(
        split >= 1,
        "the tall summary's TD has content on several pages"
    );
}
