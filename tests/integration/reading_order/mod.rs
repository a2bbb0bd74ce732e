//! Text extraction order without poppler: the reading-order stage of poppler's
//! TextOutputDev (what `pdftotext` does with no options), emulated on the layout's
//! positions, must read every page's table row by row, each row's 政策分野 and
//! category labels before its project.
//!
//! poppler groups words into blocks (see [`words`]: usually the lines of one cell,
//! but a line with a wide space falls apart and a line reaching its column's edge
//! takes the next column's text in, which the layout's extraction hints prevent), then (1) takes a block into a table when it, its right neighbour, the
//! block under it and the one under that neighbour line up (left, centre or right
//! edges within 0.7 em, tops, centres or bottoms within 0.5 em); (2) orders blocks by
//! a topological sort in which, inside one table, a block comes after those entirely
//! above it and those left of it on its line, and elsewhere Breuel's rules apply to
//! boxes widened to their table (rule 1: above and overlapping horizontally; rule 2:
//! left of, unless a block in between says otherwise). The block "under the right
//! neighbour" is the first block below and right of it in poppler's list, that is the
//! next row's, so a label merged over several rows, with nothing under it until the
//! next label, is never taken into the table and is read after it: the layout puts the
//! label again, unseen, at the top of its later rows (`layout::grid::draw`), which
//! poppler reads like any text. scripts/ci/reading_order.sh checks the real pdftotext
//! on the same handouts; this test fails first, in `cargo test`, when a layout change
//! breaks the alignment poppler needs.

use shiryo::layout::{
    layout_handout, Artifact, CellKind, Extraction, Fonts, Handout, Measure, Page, Role,
};
use shiryo::Template;

use super::common::*;

mod words;

/// A block of words (see [`words`]), its table and its box widened for the order.
#[derive(Debug, Clone)]
struct Block {
    words: Vec<words::Word>,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    size: f64,
    table: Option<usize>,
    e: [f64; 4],
}

/// The blocks of a page, in the order poppler builds them. Runs seen only by
/// extraction (`Role::is_hidden`) count: poppler reads text whatever its render mode.
fn blocks(handout: &Handout, page: usize, fonts: &Fonts) -> Vec<Block> {
    words::coalesce(words::words(handout, page, fonts))
        .into_iter()
        .map(|b| Block {
            words: b.words,
            x0: b.x0,
            y0: b.y0,
            x1: b.x1,
            y1: b.y1,
            size: b.size,
            table: None,
            e: [0.0; 4],
        })
        .collect()
}

/// A block's words as poppler writes them: line by line (one baseline, within half
/// a line), each line left to right.
fn in_lines(b: &Block) -> Vec<&words::Word> {
    let mut ws: Vec<&words::Word> = b.words.iter().collect();
    ws.sort_by(|a, c| a.base.total_cmp(&c.base));
    let mut lines: Vec<Vec<&words::Word>> = Vec::new();
    for w in ws {
        match lines.last_mut() {
            Some(l) if (w.base - l[0].base).abs() < 0.5 * w.size => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    lines
        .into_iter()
        .flat_map(|mut l| {
            l.sort_by(|a, c| a.x0.total_cmp(&c.x0));
            l
        })
        .collect()
}

fn overlap(a0: f64, a1: f64, b0: f64, b1: f64) -> bool {
    a0 <= b1 && a1 >= b0
}

/// Table detection and the extended boxes.
fn detect_tables(bl: &mut [Block]) {
    let n = bl.len();
    let mut tables = 0;
    for i in 0..n {
        let b1 = bl[i].clone();
        let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
        let (mut f2, mut f3, mut f4) = (None, None, None);
        for (j, b2) in bl.iter().enumerate() {
            if j == i {
                continue;
            }
            if overlap(b2.y0, b2.y1, b1.y0, b1.y1) && b2.x0 > b1.x1 && b2.x0 < bx0 {
                bx0 = b2.x0;
                f2 = Some(j);
            } else if overlap(b2.x0, b2.x1, b1.x0, b1.x1) && b2.y0 > b1.y1 && b2.y0 < by0 {
                by0 = b2.y0;
                f3 = Some(j);
            } else if b2.x0 > b1.x1 && b2.x0 < bx1 && b2.y0 > b1.y1 && b2.y0 < by1 {
                bx1 = b2.x0;
                by1 = b2.y0;
                f4 = Some(j);
            }
        }
        let (Some(j2), Some(j3), Some(j4)) = (f2, f3, f4) else {
            continue;
        };
        let (b2, b3, b4) = (&bl[j2], &bl[j3], &bl[j4]);
        if overlap(b3.x0, b3.x1, b4.x0, b4.x1)
            || overlap(b2.y0, b2.y1, b4.y0, b4.y1)
            || overlap(b2.x0, b2.x1, b3.x0, b3.x1)
            || overlap(b2.y0, b2.y1, b3.y0, b3.y1)
            || !(overlap(b4.x0, b4.x1, b2.x0, b2.x1) && overlap(b4.y0, b4.y1, b3.y0, b3.y1))
        {
            continue;
        }
        let em = b1.size.min(b2.size).min(b3.size).min(b4.size);
        let (dx, dy) = (em * 0.7, em * 0.5);
        let near = |a: f64, b: f64, d: f64| (a - b).abs() <= d;
        let cx = |b: &Block| (b.x0 + b.x1) / 2.0;
        let cy = |b: &Block| (b.y0 + b.y1) / 2.0;
        let in_x = (near(cx(&b1), cx(b3), dx) && near(cx(b2), cx(b4), dx))
            || (near(b1.x0, b3.x0, dx) && near(b2.x0, b4.x0, dx))
            || (near(b1.x1, b3.x1, dx) && near(b2.x1, b4.x1, dx));
        let in_y = (near(cy(&b1), cy(b2), dy) && near(cy(b3), cy(b4), dy))
            || (near(b1.y0, b2.y0, dy) && near(b3.y0, b4.y0, dy))
            || (near(b1.y1, b2.y1, dy) && near(b3.y1, b4.y1, dy));
        if in_x && in_y {
            let id = [i, j2, j3, j4]
                .iter()
                .filter_map(|&k| bl[k].table)
                .max()
                .unwrap_or_else(|| {
                    tables += 1;
                    tables - 1
                });
            for k in [i, j2, j3, j4] {
                bl[k].table = Some(id);
            }
        }
    }
    let mut envelopes = vec![[f64::MAX, f64::MIN, f64::MAX, f64::MIN]; tables];
    for b in bl.iter_mut() {
        b.e = [b.x0, b.x1, b.y0, b.y1];
        if let Some(t) = b.table {
            let e = &mut envelopes[t];
            *e = [
                e[0].min(b.x0),
                e[1].max(b.x1),
                e[2].min(b.y0),
                e[3].max(b.y1),
            ];
        }
    }
    for i in 0..n {
        if let Some(t) = bl[i].table {
            bl[i].e = envelopes[t];
            continue;
        }
        // Widened to what lies below it, up to its neighbours on its line.
        let (mut right, mut left) = (f64::MAX, f64::MIN_POSITIVE);
        for (j, b2) in bl.iter().enumerate() {
            if j != i && overlap(bl[i].y0, bl[i].y1, b2.y0, b2.y1) {
                if b2.x0 < right && b2.x0 > bl[i].x1 {
                    right = b2.x0;
                }
                if b2.x1 > left && b2.x1 < bl[i].x0 {
                    left = b2.x1;
                }
            }
        }
        let mut e = bl[i].e;
        for (j, b2) in bl.iter().enumerate() {
            if j != i && b2.y0 >= bl[i].y1 {
                if b2.x1 > e[1] && b2.x1 <= right {
                    e[1] = b2.x1;
                }
                if b2.x0 < e[0] && b2.x0 >= left {
                    e[0] = b2.x0;
                }
            }
        }
        bl[i].e = e;
    }
}

fn rule1(a: &Block, b: &Block) -> bool {
    let x = (a.e[0] <= b.e[0] && b.e[0] <= a.e[1]) || (b.e[0] <= a.e[0] && a.e[0] <= b.e[1]);
    x && a.e[2] < b.e[2]
}

/// Is `b2` read before `b1`?
fn before(bl: &[Block], i1: usize, i2: usize) -> bool {
    let (b1, b2) = (&bl[i1], &bl[i2]);
    if b1.table.is_some() && b1.table == b2.table {
        return (b2.x1 <= b1.x0 && b2.y0 <= b1.y1 && b2.y1 >= b1.y0) || b2.y1 <= b1.y0;
    }
    if rule1(b2, b1) {
        return true;
    }
    b2.e[1] <= b1.e[0]
        && !bl
            .iter()
            .enumerate()
            .any(|(k, b3)| k != i1 && k != i2 && rule1(b1, b3) && rule1(b3, b2))
}

fn visit(bl: &[Block], i: usize, seen: &mut [bool], out: &mut Vec<usize>) {
    if seen[i] {
        return;
    }
    seen[i] = true;
    for j in 0..bl.len() {
        if !seen[j] && before(bl, i, j) {
            visit(bl, j, seen, out);
        }
    }
    out.push(i);
}

/// The page's blocks in the order poppler reads them.
fn reading_order(handout: &Handout, page: usize, fonts: &Fonts) -> Vec<Block> {
    let mut bl = blocks(handout, page, fonts);
    detect_tables(&mut bl);
    let mut seen = vec![false; bl.len()];
    let mut out = Vec::new();
    for i in 0..bl.len() {
        visit(&bl, i, &mut seen, &mut out);
    }
    out.into_iter().map(|i| bl[i].clone()).collect()
}

/// The body cells of each page, as read, must come row by row, left to right: the
/// data cells, and each 政策分野 and category label (a row header) where it is printed,
/// after the row above and before the first row it heads.
fn body_cells_in_order(handout: &Handout, fonts: &Fonts) -> Result<usize, String> {
    let mut checked = 0;
    for page in 0..handout.pages.len() {
        let mut cells: Vec<(usize, usize)> = reading_order(handout, page, fonts)
            .iter()
            .flat_map(in_lines)
            .filter_map(|w| match w.role {
                Role::Cell(c) if c.kind != CellKind::ColumnHeader => Some((c.row, c.column)),
                _ => None,
            })
            .collect();
        // A cell's words one after another are that cell once.
        cells.dedup();
        if let Some(w) = cells.windows(2).find(|w| w[0] > w[1]) {
            return Err(format!(
                "page {}: cell (row {}, column {}) read before (row {}, column {})",
                page + 1,
                w[0].0,
                w[0].1,
                w[1].0,
                w[1].1
            ));
        }
        checked += cells.len();
    }
    Ok(checked)
}

#[test]
fn poppler_reads_the_cells_and_labels_of_every_row_in_order() {
    let fonts = Fonts::bundled().unwrap();
    let tpl = Template::default();
    let dir = tempfile::tempdir().unwrap();
    let big_path = dir.path().join("big.yaml");
    std::fs::write(&big_path, big_registry(400)).unwrap();
    // Labels of three to five lines, whose text reaches into the rows below their first
    // (those rows get no copy of the label).
    let long_path = dir.path().join("long-labels.yaml");
    let seed = std::fs::read_to_string(seed_registry_path()).unwrap();
    let long = seed
        .replace(
            "name: 生活機能の強化\n",
            "name: 生活機能の強化に関する連携事業と医療福祉教育産業振興その他\n",
        )
        .replace(
            "name: イ、福祉\n",
            "name: イ、福祉と子育ての支援及び障害者の相談に係る連携\n",
        )
        .replace(
            "name: オ、その他\n",
            "name: オ、その他の生活機能の強化に関する連携事業と取組\n",
        );
    assert_ne!(long, seed);
    std::fs::write(&long_path, long).unwrap();
    let seed = seed_registry_path();
    let kamikawa = root().join("data/kamikawa-2025.yaml");
    let seika = root().join("tests/layout/registries/seika.yaml");
    let tall = root().join("tests/layout/registries/tall-row.yaml");
    let cases = [
        (&tpl, vec![&seed, &kamikawa, &tall, &big_path, &long_path]),
        // 成果指標: KPI lines with two values side by side, empty grades, no KPIs.
        (
            &seika_template(),
            vec![&kamikawa, &seika, &seed, &long_path],
        ),
        // Every column on A3: right-aligned budgets, many empty cells.
        (&all_columns(), vec![&kamikawa, &seika, &seed, &big_path]),
    ];
    for (tpl, paths) in cases {
        for path in paths {
            for (which, handout) in handouts(path, tpl, &fonts) {
                let checked = body_cells_in_order(&handout, &fonts)
                    .unwrap_or_else(|e| panic!("{}{which}: {e}", path.display()));
                assert!(checked > 0, "{}{which}: no body cells", path.display());
            }
        }
    }
}

fn seika_template() -> Template {
    Template::bundled("seika").unwrap()
}

/// tests/fixtures/templates/all-columns.yaml: the 12 columns on A3.
fn all_columns() -> Template {
    Template::load(&root().join("tests/fixtures/templates/all-columns.yaml")).unwrap()
}

/// The handout of the registry at `path` and those of its towns, each with a name.
fn handouts(path: &std::path::Path, tpl: &Template, fonts: &Fonts) -> Vec<(String, Handout)> {
    let registry = shiryo::registry::load(path).unwrap();
    let mut out = vec![(String::new(), layout_handout(&registry, tpl, fonts))];
    for town in registry.town_ids() {
        let r = registry.for_town(town);
        out.push((format!(" ({town:?})"), layout_handout(&r, tpl, fonts)));
    }
    out
}

/// The handout as it would be without what the layout gives extraction alone: every
/// run as drawn, no stand-ins for empty cells.
fn without_extraction_hints(handout: &mut Handout, hints: fn(&mut Page)) {
    for page in &mut handout.pages {
        hints(page);
    }
}

fn runs_as_drawn(page: &mut Page) {
    for t in &mut page.texts {
        t.extraction = Extraction::AsDrawn;
    }
}

fn no_tails(page: &mut Page) {
    for t in &mut page.texts {
        if let Extraction::OneWord { tail, .. } = &mut t.extraction {
            *tail = 0;
        }
    }
}

fn not_from(page: &mut Page) {
    for t in &mut page.texts {
        if let Extraction::OneWord { from, .. } = &mut t.extraction {
            *from = None;
        }
    }
}

fn neither(page: &mut Page) {
    runs_as_drawn(page);
    no_stand_ins(page);
}

fn no_stand_ins(page: &mut Page) {
    page.texts
        .retain(|t| !matches!(t.role, Role::Artifact(Artifact::EmptyCell(_))));
}

/// A registry, a template, what is taken from the handout, the first error expected.
type Case<'a> = (&'a str, &'a Template, fn(&mut Page), &'a str);

#[test]
fn without_the_extraction_hints_seika_rows_are_read_out_of_order() {
    // What pdftotext did before the hints (scripts/ci/reading_order.py on the
    // handouts of the binary before them): the seika example's 目標値 (after a
    // full-width space, its own block) read after the next row's cells; 上川 2025's
    // last page, project 20's grade empty, read project 18's 評価, 今後の方向性 and
    // 主担当 after the table; the 12-column 上川 2025 read project 18's grade and the
    // page's first budgets (right-aligned, their left edges apart) after the page. And
    // without the tails, the seika example's project 14, whose second line reaches
    // the column's edge, had its KPI's first line read between its two lines.
    let fonts = Fonts::bundled().unwrap();
    let seika = seika_template();
    let cases: [Case; 5] = [
        (
            "tests/layout/registries/seika.yaml",
            &seika,
            runs_as_drawn,
            "page 1: cell (row 3, column 5) read before (row 3, column 1)",
        ),
        (
            "data/kamikawa-2025.yaml",
            &seika,
            no_stand_ins,
            "page 3: cell (row 20, column 2) read before (row 19, column 3)",
        ),
        (
            "data/kamikawa-2025.yaml",
            &all_columns(),
            neither,
            "page 2: cell (row 20, column 10) read before (row 19, column 8)",
        ),
        (
            "data/kamikawa-2025.yaml",
            &all_columns(),
            not_from,
            "page 2: cell (row 20, column 10) read before (row 12, column 11)",
        ),
        (
            "tests/layout/registries/seika.yaml",
            &seika,
            no_tails,
            "page 3: cell (row 14, column 2) read before (row 14, column 1)",
        ),
    ];
    for (path, tpl, hints, expected) in cases {
        let registry = shiryo::registry::load(&root().join(path)).unwrap();
        let mut handout = layout_handout(&registry, tpl, &fonts);
        assert!(body_cells_in_order(&handout, &fonts).is_ok(), "{path}");
        without_extraction_hints(&mut handout, hints);
        let e = body_cells_in_order(&handout, &fonts).unwrap_err();
        assert!(e.contains(expected), "{path}: {e}");
    }
}

#[test]
fn cells_that_do_not_line_up_are_read_column_by_column() {
    // The emulation can fail: 上川 2025's table with its 取組状況 centred (as it was:
    // 実施中 and 一部実施中 then start 1 em apart) reads a page's first name after the
    // rest of the table, as pdftotext did.
    let fonts = Fonts::bundled().unwrap();
    let tpl = Template::default();
    let registry = shiryo::registry::load(&root().join("data/kamikawa-2025.yaml")).unwrap();
    let mut handout = layout_handout(&registry, &tpl, &fonts);
    for page in &mut handout.pages {
        for t in &mut page.texts {
            if let Role::Cell(c) = t.role {
                if c.kind == CellKind::Data && c.column == 3 {
                    let w = fonts.regular.width(&t.text) * t.size.0;
                    t.x.0 += (5.0 * t.size.0 - w) / 2.0;
                }
            }
        }
    }
    let e = body_cells_in_order(&handout, &fonts).unwrap_err();
    assert!(
        e.contains("page 2:") && e.contains("(row 12, column 2)"),
        "{e}"
    );
}

#[test]
fn a_label_over_several_rows_without_its_unseen_copies_is_read_after_the_table() {
    // What pdftotext did before the copies: the seed's イ、福祉 (over projects 3–5,
    // grid row 3) read after the last row of page 1 (project 12).
    let fonts = Fonts::bundled().unwrap();
    let tpl = Template::default();
    let registry = shiryo::registry::load(&seed_registry_path()).unwrap();
    let mut handout = layout_handout(&registry, &tpl, &fonts);
    assert!(body_cells_in_order(&handout, &fonts).is_ok());
    let mut hidden = 0;
    for page in &mut handout.pages {
        let before = page.texts.len();
        page.texts.retain(|t| !t.role.is_hidden());
        hidden += before - page.texts.len();
    }
    assert!(hidden > 0, "the seed's labels span several rows");
    let e = body_cells_in_order(&handout, &fonts).unwrap_err();
    assert!(
        e.contains("page 1: cell (row 12, column 5) read before (row 3, column 1)"),
        "{e}"
    );
}
