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
fn sheets_are_the_table_one_per_town_and_participation() {
    let dir = build_seed();
    let wb = open(&dir.path().join("out/registry.xlsx"));
    let mut expected = vec!["資料2"];
    expected.extend(TOWNS);
    expected.push("参加状況");
    assert_eq!(wb.sheet_names(), expected);
}

#[test]
fn main_sheet_mirrors_the_registry_with_merged_cells() {
    let dir = build_seed();
    let registry = seed_registry();
    let mut wb = open(&dir.path().join("out/registry.xlsx"));
    let range = wb.worksheet_range("資料2").unwrap();
    assert_eq!(text(&range, 0, 0), registry.title);
    assert_eq!(text(&range, 0, 5), "資料2");
    let header: Vec<String> = (0..6).map(|c| text(&range, 1, c)).collect();
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
    let mut row = 2;
    let mut expected_merges = vec![((1, 1), (1, 2))];
    for area in &registry.areas {
        let area_start = row;
        for cat in &area.categories {
            let cat_start = row;
            for p in &cat.projects {
                assert_eq!(text(&range, row, 2), format!("{} {}", p.number, p.name));
                assert_eq!(text(&range, row, 3), p.status);
                assert_eq!(text(&range, row, 4), p.summary);
                assert_eq!(text(&range, row, 5), registry.town_list(p));
                row += 1;
            }
            assert_eq!(text(&range, cat_start, 1), cat.name);
            if row - cat_start > 1 {
                expected_merges.push(((cat_start, 1), (row - 1, 1)));
            }
        }
        assert_eq!(text(&range, area_start, 0), area.name);
        if row - area_start > 1 {
            expected_merges.push(((area_start, 0), (row - 1, 0)));
        }
    }
    assert_eq!(row, 2 + 18);
    // The title is merged across the first five columns.
    expected_merges.push(((0, 0), (0, 4)));
    wb.load_merged_regions().unwrap();
    let mut merges: Vec<((u32, u32), (u32, u32))> = wb
        .merged_regions_by_sheet("資料2")
        .iter()
        .map(|(_, _, d)| (d.start, d.end))
        .collect();
    merges.sort();
    expected_merges.sort();
    assert_eq!(merges, expected_merges);
    let formulas = wb.worksheet_formula("資料2").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );
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
            assert_eq!(text(&range, row, 1), area.name);
            assert_eq!(text(&range, row, 2), p.name);
            assert_eq!(text(&range, row, 3), p.status);
            assert_eq!(text(&range, row, 4), p.summary);
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
    assert_eq!(text(&range, 2, 2), "1 =HYPERLINK(\"http://x\")");
    assert_eq!(text(&range, 11, 4), "-2+3");
    assert_eq!(text(&range, 12, 4), "@SUM(A1)");
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
    assert!(
        sheet1.contains("fitToWidth=\"1\"") || sheet1.contains("fitToPage=\"1\""),
        "fit to width"
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
