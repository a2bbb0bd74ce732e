//! `shiryo survey`: one 照会 workbook per member town, read back with calamine.

use calamine::{open_workbook, Data, Reader, SheetVisible, Xlsx};

use super::common::*;

pub fn rich_registry_path() -> std::path::PathBuf {
    root().join("tests/fixtures/survey/rich.yaml")
}

fn cells(path: &std::path::Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("calamine opens the survey");
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn every_member_town_gets_its_survey_with_what_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    shiryo_ok(
        dir.path(),
        &["survey", rich_registry_path().to_str().unwrap(), "-o", "s"],
    );
    for town in ["甲市", "乙町", "丙村"] {
        let path = dir.path().join(format!("s/{town}.xlsx"));
        let wb: Xlsx<_> = open_workbook(&path).unwrap();
        let sheets: Vec<(String, SheetVisible)> = wb
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible))
            .collect();
        assert_eq!(
            sheets,
            [
                ("記入要領".to_string(), SheetVisible::Visible),
                ("回答".to_string(), SheetVisible::Visible),
                ("_shiryo".to_string(), SheetVisible::VeryHidden),
            ]
        );
        let data = cells(&path, "_shiryo");
        assert_eq!(data[2][1], town, "the hidden sheet names the town");
    }
    let answers = cells(&dir.path().join("s/甲市.xlsx"), "回答");
    let keys: Vec<&str> = answers[3..].iter().map(|r| r[0].as_str()).collect();
    // 甲市 leads kyukyu (lead) and soudan (first member town, no lead); takes part in both.
    assert_eq!(
        keys,
        [
            "id:kyukyu/status",
            "id:kyukyu/summary",
            "id:kyukyu/grade",
            "id:kyukyu/direction",
            "id:kyukyu/kpi/0/actual",
            "id:kyukyu/budget/2025",
            "id:soudan/status",
            "id:soudan/summary",
            "id:soudan/grade",
            "id:soudan/direction",
            "id:soudan/kpi/0/actual",
            "id:soudan/budget/2025",
        ]
    );
    assert_eq!(answers[8][5], "12500", "budget prefilled as a number");
    let otsu = cells(&dir.path().join("s/乙町.xlsx"), "回答");
    let keys: Vec<&str> = otsu[3..].iter().map(|r| r[0].as_str()).collect();
    // 乙町 leads nothing: only its own budget amounts.
    assert_eq!(
        keys,
        [
            "id:kyukyu/budget/2025",
            "no:2/budget/2025",
            "id:soudan/budget/2025"
        ]
    );
}

#[test]
fn answer_cells_are_unlocked_validated_and_the_rest_protected() {
    let dir = tempfile::tempdir().unwrap();
    let out = shiryo(
        dir.path(),
        &["survey", rich_registry_path().to_str().unwrap(), "-o", "s"],
    );
    assert!(out.status.success());
    let bytes = std::fs::read(dir.path().join("s/甲市.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains("<sheetProtection"),
        "the answer sheet is protected"
    );
    assert!(
        xml.contains(r#"type="list""#) && xml.contains("_shiryo!$D$1:$D$3"),
        "status drop-down"
    );
    assert!(xml.contains("_shiryo!$E$1:$E$3"), "grade drop-down");
    assert!(xml.contains("_shiryo!$F$1:$F$4"), "direction drop-down");
    assert!(
        xml.contains(r#"type="decimal""#),
        "budget amounts validated as numbers"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains(r#"locked="0""#), "answer cells unlocked");
    assert!(xml.contains("<pageSetup") && xml.contains(r#"orientation="landscape""#));
}

#[test]
fn surveys_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let reg = seed_registry_path();
    for out in ["a", "b"] {
        let r = shiryo(dir.path(), &["survey", reg.to_str().unwrap(), "-o", out]);
        assert!(r.status.success());
    }
    for town in TOWNS {
        let a = std::fs::read(dir.path().join(format!("a/{town}.xlsx"))).unwrap();
        let b = std::fs::read(dir.path().join(format!("b/{town}.xlsx"))).unwrap();
        assert!(a == b, "{town}");
    }
}

/// The locked columns carry shiryo's own line breaks (JIS X 4051: no line starts with
/// 、。）」, none ends with （「), so no spreadsheet program breaks them its own way;
/// the answer column keeps the value as it is (collect compares it unchanged).
#[test]
fn locked_columns_hold_kinsoku_lines_and_answers_the_plain_value() {
    let dir = tempfile::tempdir().unwrap();
    let registry = root().join("data/kamikawa-2025.yaml");
    let out = shiryo(
        dir.path(),
        &["survey", registry.to_str().unwrap(), "-o", "s"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut broken = 0;
    for town in ["旭川市", "鷹栖町", "東川町"] {
        let rows = cells(&dir.path().join(format!("s/{town}.xlsx")), "回答");
        for row in rows.iter().skip(3) {
            for text in &row[2..5] {
                for line in text.split('\n') {
                    assert!(
                        !line.starts_with(['、', '。', '）', '」', '，', '．']),
                        "{town}: line starts badly: {line:?} in {text:?}"
                    );
                    assert!(
                        !line.ends_with(['（', '「']),
                        "{town}: line ends badly: {line:?} in {text:?}"
                    );
                }
            }
            let (registered, answer) = (&row[4], &row[5]);
            broken += usize::from(registered.matches('\n').count() > answer.matches('\n').count());
            // Without shiryo's breaks the registered value is the answer's start value.
            let joined = registered.replace('\n', "");
            assert_eq!(joined, answer.replace('\n', ""), "{town}");
        }
    }
    assert!(broken >= 3, "long values are broken into lines: {broken}");
}
