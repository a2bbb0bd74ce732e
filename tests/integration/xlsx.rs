//! The workbook read back with calamine.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use super::common::*;

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("calamine opens the workbook")
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("unexpected cell ({row}, {col}): {other:?}"),
    }
}

#[test]
fn sheets_are_the_table_one_per_town_participation_and_data() {
    let dir = build_seed();
    let wb = open(&dir.path().join("out/registry.xlsx"));
    let mut expected = vec!["資料2"];
    expected.extend(TOWNS);
    expected.extend(["参加状況", "データ"]);
    assert_eq!(wb.sheet_names(), expected);
}

/// The lines of a cell as written (explicit line breaks).
fn lines(range: &calamine::Range<Data>, row: u32, col: u32) -> Vec<String> {
    text(range, row, col)
        .split('\n')
        .map(str::to_string)
        .collect()
}

#[test]
fn main_sheet_mirrors_the_registry_line_for_line_with_the_handout() {
    let dir = build_seed();
    let registry = seed_registry();
    let mut wb = open(&dir.path().join("out/registry.xlsx"));
    let range = wb.worksheet_range("資料2").unwrap();
    // Label top right, the title centred over the table below it, then the header.
    assert_eq!(text(&range, 0, 5), "資料2");
    assert_eq!(squeeze(&text(&range, 1, 0)), squeeze(&registry.title));
    let header: Vec<String> = (0..6).map(|c| squeeze(&text(&range, 2, c))).collect();
    assert_eq!(
        header,
        [
            "政策分野",
            "連携事業名（18事業）",
            "",
            "取組状況",
            "取組内容・事業概要",
            "関係市町"
        ]
    );
    let mut row = 3;
    for area in &registry.areas {
        for cat in &area.categories {
            for p in &cat.projects {
                let cells = [
                    (2, format!("{} {}", p.number, p.name)),
                    (3, p.status.clone()),
                    (4, p.summary.clone()),
                    (5, registry.town_list(p)),
                ];
                for (col, expected) in cells {
                    assert_eq!(squeeze(&text(&range, row, col)), squeeze(&expected));
                }
                // 関係市町 breaks only after 、: no town name is split.
                let towns = lines(&range, row, 5);
                for l in &towns[..towns.len() - 1] {
                    assert!(l.ends_with('、'), "{towns:?}");
                }
                row += 1;
            }
        }
    }
    assert_eq!(row, 3 + 18);

    // Every cell holds the lines the handout prints, line for line.
    let fonts = shiryo::layout::Fonts::bundled().unwrap();
    let handout = shiryo::layout::layout_handout(&registry, &Default::default(), &fonts);
    let mut handout_lines: std::collections::BTreeMap<(usize, usize), Vec<String>> =
        Default::default();
    for page in &handout.pages {
        for t in &page.texts {
            if let shiryo::layout::Role::Cell(c) = t.role {
                handout_lines
                    .entry((c.row, c.column))
                    .or_default()
                    .push(t.text.clone());
            }
        }
    }
    assert!(handout_lines.len() > 18 * 4);
    for ((r, c), expected) in handout_lines {
        // Grid row r is sheet row r + 2 (label and title above the header).
        assert_eq!(
            lines(&range, r as u32 + 2, c as u32),
            expected,
            "grid cell ({r}, {c})"
        );
    }

    let formulas = wb.worksheet_formula("資料2").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );
}

#[test]
fn printed_pages_break_where_the_handouts_pages_break() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.yaml"), big_registry(60)).unwrap();
    let out = shiryo(dir.path(), &["build", "big.yaml", "-o", "out"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let registry = shiryo::registry::load(&dir.path().join("big.yaml")).unwrap();
    let fonts = shiryo::layout::Fonts::bundled().unwrap();
    let handout = shiryo::layout::layout_handout(&registry, &Default::default(), &fonts);
    assert!(handout.pages.len() > 3, "several pages");
    // The first project row of each page after the first (sheet rows are 0-based here;
    // Excel's <brk id> is the 1-based row after which the page breaks).
    let starts: Vec<usize> = handout.pages[1..].iter().map(|p| p.rows[0] + 3).collect();

    let bytes = std::fs::read(dir.path().join("out/big.xlsx")).unwrap();
    let sheet1 = zip_entries(&bytes)
        .remove("xl/worksheets/sheet1.xml")
        .unwrap();
    let breaks: Vec<usize> = sheet1
        .split("<brk id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(
        breaks, starts,
        "a manual break before each page's first project"
    );
    assert!(sheet1.contains("scale=\""), "a fixed print scale");
    assert!(
        !sheet1.contains("fitToPage"),
        "no fit-to-page: the breaks are ours"
    );

    // Merged 政策分野 and category cells never cross a break, and each piece repeats
    // the text: a page read alone names its area and category.
    let mut wb = open(&dir.path().join("out/big.xlsx"));
    let range = wb.worksheet_range("資料2").unwrap();
    wb.load_merged_regions().unwrap();
    let mut covered = std::collections::BTreeSet::new();
    for (_, _, d) in wb.merged_regions_by_sheet("資料2") {
        let ((r1, c1), (r2, _)) = (d.start, d.end);
        if r1 < 3 {
            continue;
        }
        assert!(c1 <= 1, "only the row headers are merged: {d:?}");
        for b in &breaks {
            let b = *b as u32;
            assert!(
                !(r1 < b && r2 >= b),
                "{d:?} crosses the break after row {b}"
            );
        }
        assert!(!text(&range, r1, c1).is_empty());
        for r in r1..=r2 {
            covered.insert((r, c1));
        }
    }
    for (row, (area, cat, _)) in (3..).zip(registry.rows()) {
        for (col, name) in [(0, &area.name), (1, &cat.name)] {
            let top = (row..=row)
                .chain((3..row).rev())
                .find(|&r| !covered.contains(&(r, col)) || !text(&range, r, col).is_empty());
            let top = top.unwrap();
            assert_eq!(squeeze(&text(&range, top, col)), squeeze(name), "row {row}");
        }
    }
    // Each page's first row names its area and category itself.
    for b in breaks {
        let b = b as u32;
        assert!(
            !text(&range, b, 0).is_empty(),
            "area on the page from row {b}"
        );
        assert!(
            !text(&range, b, 1).is_empty(),
            "category on the page from row {b}"
        );
    }
}

#[test]
fn each_town_sheet_holds_exactly_that_towns_projects() {
    let dir = build_seed();
    let registry = seed_registry();
    let mut wb = open(&dir.path().join("out/registry.xlsx"));
    for (i, town) in TOWNS.iter().enumerate() {
        let range = wb.worksheet_range(town).unwrap();
        let header: Vec<String> = (0..5).map(|c| text(&range, 1, c)).collect();
        assert_eq!(
            header,
            [
                "番号",
                "政策分野",
                "連携事業名",
                "取組状況",
                "取組内容・事業概要"
            ]
        );
        let mine: Vec<_> = registry
            .rows()
            .filter(|(_, _, p)| p.has_town(shiryo::model::TownId(i)))
            .collect();
        for (k, (area, _, p)) in mine.iter().enumerate() {
            let row = 2 + k as u32;
            assert_eq!(text(&range, row, 0), p.number.to_string(), "{town}");
            // Explicit line breaks where shiryo breaks the lines.
            assert_eq!(squeeze(&text(&range, row, 1)), squeeze(&area.name));
            assert_eq!(squeeze(&text(&range, row, 2)), squeeze(&p.name));
            assert_eq!(squeeze(&text(&range, row, 3)), squeeze(&p.status));
            assert_eq!(squeeze(&text(&range, row, 4)), squeeze(&p.summary));
        }
        let count_row = 2 + mine.len() as u32;
        assert_eq!(text(&range, count_row, 0), "参加事業数", "{town}");
        assert_eq!(text(&range, count_row, 2), mine.len().to_string(), "{town}");
        assert_eq!(
            range.end().unwrap().0,
            count_row,
            "{town}: nothing after the count"
        );
    }
}

#[test]
fn participation_sheet_marks_and_totals() {
    let dir = build_seed();
    let registry = seed_registry();
    let mut wb = open(&dir.path().join("out/registry.xlsx"));
    let range = wb.worksheet_range("参加状況").unwrap();
    for (k, (_, _, p)) in registry.rows().enumerate() {
        let row = 2 + k as u32;
        assert_eq!(text(&range, row, 0), p.number.to_string());
        for t in 0..TOWNS.len() {
            let mark = if p.has_town(shiryo::model::TownId(t)) {
                "○"
            } else {
                ""
            };
            assert_eq!(
                text(&range, row, 2 + t as u32),
                mark,
                "project {} town {t}",
                p.number
            );
        }
        assert_eq!(text(&range, row, 10), p.towns.len().to_string());
    }
    let total_row = 2 + 18;
    // 旭川市 takes part in all 18, 当麻町 in 11 (seed).
    assert_eq!(text(&range, total_row, 2), "18");
    assert_eq!(text(&range, total_row, 5), "11");
    let all: usize = registry.rows().map(|(_, _, p)| p.towns.len()).sum();
    assert_eq!(text(&range, total_row, 10), all.to_string());
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(seed_registry_path())
        .unwrap()
        .replacen(
            "name: 二次救急医療の連携",
            "name: \"=HYPERLINK(\\\"http://x\\\")\"",
            1,
        )
        .replacen(
            "summary: 浄水施設の共同使用により、水道水を供給する。",
            "summary: \"-2+3\"",
            1,
        )
        .replacen(
            "summary: 共同施設（処理場・ポンプ場・管渠）により、一括して汚水の処理を行う。",
            "summary: \"@SUM(A1)\"",
            1,
        );
    let registry = dir.path().join("inject.yaml");
    std::fs::write(&registry, yaml).unwrap();
    let out = shiryo(dir.path(), &["xlsx", "inject.yaml", "-o", "inject.xlsx"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut wb = open(&dir.path().join("inject.xlsx"));
    let range = wb.worksheet_range("資料2").unwrap();
    assert_eq!(text(&range, 3, 2), "1 =HYPERLINK(\"http://x\")");
    assert_eq!(text(&range, 12, 4), "-2+3");
    assert_eq!(text(&range, 13, 4), "@SUM(A1)");
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "formula in {sheet}"
        );
    }
}

#[test]
fn workbook_is_print_ready() {
    let dir = build_seed();
    let bytes = std::fs::read(dir.path().join("out/registry.xlsx")).unwrap();
    let mut zip = zip_entries(&bytes);
    let sheet1 = zip.remove("xl/worksheets/sheet1.xml").unwrap();
    assert!(sheet1.contains("orientation=\"landscape\""), "landscape");
    assert!(sheet1.contains("paperSize=\"9\""), "A4");
    // 資料2 prints at a fixed scale (its pages break where the handout's do); the
    // other sheets fit one page wide.
    assert!(sheet1.contains(" scale=\""), "a fixed scale");
    let sheet2 = zip.remove("xl/worksheets/sheet2.xml").unwrap();
    assert!(sheet2.contains("fitToPage=\"1\""), "fit to width");
    // The Normal style (the unit of column widths) is BIZ UDゴシック, as on Windows.
    let styles = zip.remove("xl/styles.xml").unwrap();
    let first_font = &styles[styles.find("<font>").unwrap()..];
    let first_font = &first_font[..first_font.find("</font>").unwrap()];
    assert!(
        first_font.contains("BIZ UDゴシック") && first_font.contains("val=\"10.5\""),
        "{first_font}"
    );
    assert!(sheet1.contains("&amp;P"), "page number footer");
    assert!(sheet1.contains("customHeight=\"1\""), "row heights are set");
    assert!(sheet1.contains("state=\"frozen\""), "header frozen");
    let workbook = zip.remove("xl/workbook.xml").unwrap();
    assert!(
        workbook.contains("_xlnm.Print_Titles"),
        "header rows repeat"
    );
    assert!(workbook.contains("_xlnm.Print_Area"), "print area");
    let core = zip.remove("docProps/core.xml").unwrap();
    assert!(core.contains("<dc:title>上川中部定住自立圏連携事業の進捗状況等</dc:title>"));
    assert!(
        core.contains("2011-11-01T00:00:00Z"),
        "the registry's date, not now: {core}"
    );
}

/// The XML parts of an XLSX, by name.
fn zip_entries(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap_or_default();
            (f.name().to_string(), s)
        })
        .collect()
}

#[test]
fn a_large_registrys_workbook_opens_without_repair() {
    // `shiryo` checks every workbook it writes (common::xlsx_check); this one has
    // hundreds of rows, merged cells over many rows and many town rows per sheet.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.yaml"), big_registry(300)).unwrap();
    let out = shiryo(dir.path(), &["xlsx", "big.yaml", "-o", "big.xlsx"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(dir.path().join("big.xlsx")).unwrap();
    assert_eq!(xlsx_check::xlsx_problems(&bytes), Vec::<String>::new());
}

#[test]
fn data_sheet_holds_every_value_of_the_registry_one_per_cell() {
    let dir = build_seed();
    let registry = seed_registry();
    let path = dir.path().join("out/registry.xlsx");
    let mut wb = open(&path);
    let range = wb.worksheet_range("データ").unwrap();
    let mut header = vec![
        "政策分野",
        "区分",
        "番号",
        "連携事業名",
        "取組状況",
        "取組内容・事業概要",
    ];
    header.extend(TOWNS);
    let got: Vec<String> = (0..header.len() as u32)
        .map(|c| text(&range, 0, c))
        .collect();
    assert_eq!(got, header);
    let mut rows = 0;
    for (k, (area, cat, p)) in registry.rows().enumerate() {
        let row = 1 + k as u32;
        // Exactly the registry's values: no line breaks added, the number a number.
        assert_eq!(text(&range, row, 0), area.name);
        assert_eq!(text(&range, row, 1), cat.name);
        assert_eq!(
            range.get_value((row, 2)),
            Some(&Data::Float(f64::from(p.number)))
        );
        assert_eq!(text(&range, row, 3), p.name);
        assert_eq!(text(&range, row, 4), p.status);
        assert_eq!(text(&range, row, 5), p.summary);
        for (t, _) in TOWNS.iter().enumerate() {
            let mark = if p.has_town(shiryo::model::TownId(t)) {
                "○"
            } else {
                ""
            };
            assert_eq!(
                text(&range, row, 6 + t as u32),
                mark,
                "project {} town {t}",
                p.number
            );
        }
        rows += 1;
    }
    // One header row, one row per project, nothing else; no merged cells.
    assert_eq!(range.height(), 1 + rows);
    assert_eq!(range.width(), header.len());
    wb.load_merged_regions().unwrap();
    assert!(wb.merged_regions_by_sheet("データ").is_empty());
    // Autofilter over the table and a frozen header row.
    let bytes = std::fs::read(&path).unwrap();
    let xml = zip_entries(&bytes)
        .remove("xl/worksheets/sheet11.xml")
        .unwrap();
    assert!(
        xml.contains(&format!("<autoFilter ref=\"A1:N{}\"", 1 + rows)),
        "{xml}"
    );
    assert!(xml.contains("state=\"frozen\"") && xml.contains("topLeftCell=\"A2\""));
}
