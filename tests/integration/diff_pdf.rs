//! The 新旧対照表 PDF read back with lopdf: every glyph placed (ToUnicode for the
//! character, the font's /W widths for its advance) and every stroke, so that an
//! underline is checked to lie under exactly the changed characters.

use std::collections::HashMap;
use std::path::Path;

use lopdf::{Document, Object};

use super::diff::seed_pairs::{all_at_once, insert_after, EDITS, NEW_PROJECT};
use super::diff::{run_diff, sheet_runs, underlined_text};
use super::kinsoku::{to_unicode, violations};

/// One glyph on a page: its left edge, advance, baseline (PDF coordinates) and text.
#[derive(Debug, Clone)]
struct Glyph {
    x: f32,
    width: f32,
    y: f32,
    size: f32,
    text: String,
}

/// A straight horizontal stroke.
#[derive(Debug, Clone, Copy)]
struct Stroke {
    x1: f32,
    x2: f32,
    y: f32,
}

/// Advance widths (in thousandths of the size) by glyph code, from a Type0 font's
/// descendant's /W array (both of its forms).
fn widths(doc: &Document, font: &lopdf::Dictionary) -> HashMap<u16, f32> {
    let descendants = doc
        .dereference(font.get(b"DescendantFonts").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap()
        .clone();
    let cid = doc
        .dereference(&descendants[0])
        .unwrap()
        .1
        .as_dict()
        .unwrap();
    let default = cid
        .get(b"DW")
        .ok()
        .and_then(|o| o.as_float().ok())
        .unwrap_or(1000.0);
    let w = doc
        .dereference(cid.get(b"W").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap()
        .clone();
    let mut map = HashMap::new();
    let num = |o: &Object| o.as_float().unwrap();
    let mut i = 0;
    while i < w.len() {
        let first = num(&w[i]) as u16;
        match doc.dereference(&w[i + 1]).unwrap().1 {
            Object::Array(list) => {
                for (k, v) in list.iter().enumerate() {
                    map.insert(first + k as u16, num(v));
                }
                i += 2;
            }
            last => {
                for code in first..=num(last) as u16 {
                    map.insert(code, num(&w[i + 2]));
                }
                i += 3;
            }
        }
    }
    map.insert(u16::MAX, default);
    map
}

/// A font's text and advance of each glyph code.
type FontMaps = (HashMap<u16, String>, HashMap<u16, f32>);

/// Every glyph and every stroke of every page, in drawing order.
fn read_pdf(path: &Path) -> Vec<(Vec<Glyph>, Vec<Stroke>)> {
    let doc = Document::load(path).unwrap();
    let mut pages = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let fonts: HashMap<Vec<u8>, FontMaps> = doc
            .get_page_fonts(page_id)
            .unwrap()
            .into_iter()
            .map(|(name, dict)| (name, (to_unicode(&doc, dict), widths(&doc, dict))))
            .collect();
        let content = doc.get_and_decode_page_content(page_id).unwrap();
        let (mut glyphs, mut strokes) = (Vec::new(), Vec::new());
        let (mut font, mut size, mut pen, mut y) = (Vec::new(), 0.0f32, 0.0f32, 0.0f32);
        let mut moved_to: Option<(f32, f32)> = None;
        let num = |o: &Object| o.as_float().unwrap();
        for op in &content.operations {
            let show = |bytes: &[u8], pen: &mut f32, glyphs: &mut Vec<Glyph>| {
                let (text, width) = &fonts[&font];
                for c in bytes.chunks(2) {
                    let code = u16::from_be_bytes([c[0], c[1]]);
                    let w = width.get(&code).copied().unwrap_or(width[&u16::MAX]) / 1000.0 * size;
                    glyphs.push(Glyph {
                        x: *pen,
                        width: w,
                        y,
                        size,
                        text: text[&code].clone(),
                    });
                    *pen += w;
                }
            };
            match op.operator.as_str() {
                "Tf" => {
                    font = op.operands[0].as_name().unwrap().to_vec();
                    size = num(&op.operands[1]);
                }
                "Tm" => {
                    pen = num(&op.operands[4]);
                    y = num(&op.operands[5]);
                }
                "Tj" => show(op.operands[0].as_str().unwrap(), &mut pen, &mut glyphs),
                "TJ" => {
                    for item in op.operands[0].as_array().unwrap() {
                        match item {
                            Object::String(bytes, _) => show(bytes, &mut pen, &mut glyphs),
                            n => pen -= num(n) / 1000.0 * size,
                        }
                    }
                }
                "m" => moved_to = Some((num(&op.operands[0]), num(&op.operands[1]))),
                "l" => {
                    if let Some((x1, y1)) = moved_to.take() {
                        let (x2, y2) = (num(&op.operands[0]), num(&op.operands[1]));
                        if (y1 - y2).abs() < 1e-3 {
                            strokes.push(Stroke { x1, x2, y: y1 });
                        }
                    }
                }
                _ => {}
            }
        }
        pages.push((glyphs, strokes));
    }
    pages
}

/// The stroke under `g`, if any: it spans the glyph's middle, just below its baseline.
fn stroke_under<'a>(g: &Glyph, strokes: &'a [Stroke]) -> Option<&'a Stroke> {
    let mid = g.x + g.width / 2.0;
    strokes
        .iter()
        .find(|s| s.x1 < mid && mid < s.x2 && s.y < g.y && s.y > g.y - g.size * 0.5)
}

/// The struck-through characters of the whole document, in drawing order: a stroke
/// across the glyph's middle, above its baseline.
fn struck_in_pdf(path: &Path) -> String {
    let mut out = String::new();
    for (glyphs, strokes) in read_pdf(path) {
        for g in &glyphs {
            let mid = g.x + g.width / 2.0;
            let through = strokes.iter().any(|s| {
                s.x1 < mid && mid < s.x2 && s.y > g.y + g.size * 0.2 && s.y < g.y + g.size * 0.6
            });
            if through {
                out += &g.text;
            }
        }
    }
    out
}

/// The underlined characters of the whole document, in drawing order, after checking
/// that every stroke under text starts at its first glyph's left edge and ends at its
/// last glyph's right edge (no longer, no shorter than the changed characters).
fn underlined_in_pdf(path: &Path) -> String {
    let mut out = String::new();
    for (glyphs, strokes) in read_pdf(path) {
        let mut used = vec![(f32::MAX, f32::MIN); strokes.len()];
        for g in &glyphs {
            if let Some(s) = stroke_under(g, &strokes) {
                out += &g.text;
                let i = strokes.iter().position(|t| std::ptr::eq(t, s)).unwrap();
                used[i] = (used[i].0.min(g.x), used[i].1.max(g.x + g.width));
            }
        }
        for (s, (first, last)) in strokes.iter().zip(used) {
            if first == f32::MAX {
                continue; // a cell border's edge, not a decoration
            }
            assert!(
                (s.x1 - first).abs() < 0.01 && (s.x2 - last).abs() < 0.01,
                "stroke {s:?} is not as long as its text ({first}..{last})"
            );
        }
    }
    out
}

/// Lines as a reader sees them: glyphs drawn one after another on one baseline, each
/// starting where the previous ended, page by page.
fn visual_lines(path: &Path) -> Vec<Vec<String>> {
    read_pdf(path)
        .into_iter()
        .map(|(glyphs, _)| {
            let mut lines: Vec<String> = Vec::new();
            let mut last: Option<&Glyph> = None;
            for g in &glyphs {
                let joined = last.is_some_and(|p| {
                    (p.y - g.y).abs() < 0.01 && (p.x + p.width - g.x).abs() < 0.05
                });
                if joined {
                    lines.last_mut().unwrap().push_str(&g.text);
                } else {
                    lines.push(g.text.clone());
                }
                last = Some(g);
            }
            lines
        })
        .collect()
}

fn pdf_path(dir: &Path) -> std::path::PathBuf {
    dir.join("out/new.diff.pdf")
}

#[test]
fn each_change_alone_is_underlined_in_the_pdf_exactly_under_its_characters() {
    let seed = std::fs::read_to_string(crate::common::seed_registry_path()).unwrap();
    for edit in &EDITS {
        let (dir, out) = run_diff(&seed, &(edit.apply)(&seed));
        assert!(out.status.success(), "{}", edit.name);
        let in_pdf = underlined_in_pdf(&pdf_path(dir.path()));
        // The workbook, read by another reader, underlines the same characters.
        let cells = sheet_runs(&dir.path().join("out/new.diff.xlsx"));
        let in_xlsx = underlined_text(&cells["A4"]) + &underlined_text(&cells["B4"]);
        assert_eq!(in_pdf, in_xlsx, "{}", edit.name);
        if let (Some(new), Some(old)) = (edit.new_marked, edit.old_marked) {
            assert_eq!(in_pdf, format!("{new}{old}"), "{}", edit.name);
        } else {
            assert!(in_pdf.contains(&edit.number.to_string()), "{}", edit.name);
        }
        let lines = visual_lines(&pdf_path(dir.path()));
        let text: String = lines.concat().concat();
        assert!(
            text.contains(edit.remark),
            "{}: 備考 {}",
            edit.name,
            edit.remark
        );
    }
}

#[test]
fn many_changes_over_several_pages_keep_the_typesetting_rules() {
    let seed = std::fs::read_to_string(crate::common::seed_registry_path()).unwrap();
    // A project inserted at the top renumbers all eighteen, on top of every other edit.
    let new = insert_after(&all_at_once(&seed), 1, &NEW_PROJECT.replace("19", "21"));
    let (dir, out) = run_diff(&seed, &new);
    assert!(out.status.success());
    let path = pdf_path(dir.path());
    let pages = visual_lines(&path);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for (i, lines) in pages.iter().enumerate() {
        let text = lines.concat();
        assert!(text.contains("資料2"), "page {}: label", i + 1);
        assert!(
            lines.iter().any(|l| l == "備考"),
            "page {}: the header row repeated",
            i + 1
        );
        assert!(text.contains(&format!("- {} -", i + 1)), "page {}", i + 1);
    }
    let bad = violations(&pages);
    assert!(bad.is_empty(), "{bad:#?}");
    // Every body row is there: the remarks of all changed projects.
    let all: String = pages.concat().concat();
    assert!(all.contains("関係市町の脱退（愛別町）") && all.contains("追加"));
}

#[test]
fn nothing_changed_writes_a_pdf_saying_so() {
    let seed = std::fs::read_to_string(crate::common::seed_registry_path()).unwrap();
    let (dir, out) = run_diff(&seed, &seed);
    assert!(out.status.success());
    let pages = visual_lines(&pdf_path(dir.path()));
    assert_eq!(pages.len(), 1);
    assert!(pages[0]
        .iter()
        .any(|l| l == "変更はありません（18 事業すべて変更なし）"));
    assert_eq!(underlined_in_pdf(&pdf_path(dir.path())), "");
}

#[test]
fn build_since_writes_the_handout_in_mikeshi() {
    let seed = std::fs::read_to_string(crate::common::seed_registry_path()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), &seed).unwrap();
    std::fs::write(dir.path().join("new.yaml"), all_at_once(&seed)).unwrap();
    let out = crate::common::shiryo(
        dir.path(),
        &[
            "--lang", "en", "build", "new.yaml", "--since", "old.yaml", "-o", "out",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // In English, the assumption is stated in English.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("18 → 20: taken as renumbered (the same name)"),
        "{stdout}"
    );
    let handout = dir.path().join("out/new.pdf");
    // Struck: 愛別町 (and its separator) left project 1, 一部 of 一部実施中, 18 of the old number.
    assert_eq!(struck_in_pdf(&handout), "愛別町、一部18");
    // Underlined: 等 (summary 2), 当麻町 (joined 4), ・啓発 (name 5), ・観光 is in a
    // merged category cell (left as it is), 20 (the new number).
    assert_eq!(underlined_in_pdf(&handout), "等当麻町、・啓発20");
    let text: String = visual_lines(&handout).concat().concat();
    assert!(
        text.contains("（新規）19 地域公共交通の連携"),
        "the new project is marked"
    );
    assert!(text.contains("※削除した事業：7 不登校児童生徒の受入機関の共同利用"));
    assert!(text.contains("（見え消し）"));
    assert!(violations(&visual_lines(&handout)).is_empty());
    // The other outputs are as a plain build writes them.
    assert!(dir.path().join("out/new.xlsx").exists());
    assert!(dir.path().join("out/towns/旭川市.pdf").exists());
}

#[test]
fn build_since_refuses_a_bad_old_registry_naming_it() {
    let seed = std::fs::read_to_string(crate::common::seed_registry_path()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.yaml"),
        seed.replace("status: 準備中", "status: 完了"),
    )
    .unwrap();
    std::fs::write(dir.path().join("new.yaml"), &seed).unwrap();
    let out = crate::common::shiryo(
        dir.path(),
        &[
            "--lang", "en", "build", "new.yaml", "--since", "old.yaml", "-o", "out",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("old registry (旧): old.yaml:"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}
