//! `shiryo collect` on answers that LibreOffice Calc opened and saved
//! (tests/fixtures/survey/libreoffice/, made by scripts/fixtures/libreoffice_answers.sh
//! from rich.yaml's surveys): LibreOffice's XML (shared strings, its own styles and
//! number formats, the data sheet saved as "hidden" since it has no "very hidden",
//! line breaks in a cell) is read like Excel's.

use std::io::Read;
use std::path::PathBuf;

use super::common::*;
use super::survey::rich_registry_path;

const TOWNS: [&str; 3] = ["甲市", "乙町", "丙村"];

fn fixture(town: &str) -> PathBuf {
    root().join(format!("tests/fixtures/survey/libreoffice/{town}.xlsx"))
}

fn part(path: &PathBuf, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_fixtures_are_libreoffice_files() {
    // Otherwise the test below would not be about LibreOffice's XML.
    for town in TOWNS {
        let path = fixture(town);
        let app = part(&path, "docProps/app.xml");
        assert!(app.contains("<Application>LibreOffice"), "{town}: {app}");
        let answers = part(&path, "xl/worksheets/sheet2.xml");
        assert!(
            !answers.contains("inlineStr"),
            "{town}: LibreOffice writes shared strings"
        );
        assert!(answers.contains(r#"t="s""#), "{town}: shared strings");
        let book = part(&path, "xl/workbook.xml");
        assert!(book.contains(r#"state="hidden""#), "{town}: {book}");
    }
}

#[test]
fn answers_saved_by_libreoffice_are_collected() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(rich_registry_path(), d.join("rich.yaml")).unwrap();
    for town in TOWNS {
        std::fs::copy(fixture(town), d.join(format!("{town}.xlsx"))).unwrap();
    }
    let before = std::fs::read_to_string(d.join("rich.yaml")).unwrap();
    let out = shiryo(
        d,
        &[
            "collect",
            "rich.yaml",
            "甲市.xlsx",
            "乙町.xlsx",
            "丙村.xlsx",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{stderr}\n(if rich.yaml or the survey format changed: scripts/fixtures/libreoffice_answers.sh)"
    );
    assert!(stdout.contains("15 values changed"), "{stdout}");
    // A line break typed in a cell is shown, not printed as a second line.
    assert!(
        stdout.contains("→ 夜間及び休日の救急医療を確保する。↵令和7年度から土曜も&<小児>対応"),
        "{stdout}"
    );
    let after = std::fs::read_to_string(d.join("rich.yaml")).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let mut diff = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag != similar::DiffTag::Equal {
            diff.extend(old[o].iter().map(|l| format!("-{l}")));
            diff.extend(new[n].iter().map(|l| format!("+{l}")));
        }
    }
    assert_eq!(
        diff,
        [
            "-            status: 実施中   # checked 2025-04",
            "-            summary: 夜間及び休日の救急医療を確保する。",
            "+            status: 一部実施中   # checked 2025-04",
            "+            summary: |-",
            "+              夜間及び休日の救急医療を確保する。",
            "+              令和7年度から土曜も&<小児>対応",
            "-            direction: 継続",
            "+            direction: 拡大",
            "-                actual: {year: 2024, value: 1430}",
            "+                actual: {year: 2024, value: 1510}",
            // 乙町 typed "1,310" as text.
            "-              2025: {甲市: 12500, 乙町: 310, 丙村: 210}",
            "+              2025: {甲市: 13000, 乙町: 1310, 丙村: 210}",
            "-            status: 準備中",
            "+            status: 実施中",
            "-              2025: {乙町: 100}",
            "+              2025: {乙町: 150, 丙村: 120}",
            "+            summary: 病児保育室を開設する。",
            "+            grade: C",
            "-            grade: B",
            "+            grade: A",
            "+                actual: {year: 2025, value: 280}",
            // Two towns answering a budget the registry did not have: one mapping.
            "+            budget: {2025: {甲市: 50.5, 乙町: 20}}",
        ],
        "only the answered values changed:\n{after}"
    );
    let r = shiryo::registry::load(&d.join("rich.yaml")).unwrap();
    let p: Vec<_> = r.rows().map(|(_, _, p)| p).collect();
    assert_eq!(
        p[0].summary,
        "夜間及び休日の救急医療を確保する。\n令和7年度から土曜も&<小児>対応"
    );
    assert_eq!(p[1].status, "実施中");
    let amounts = |p: &shiryo::model::Project| {
        r.towns
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let a = p.budget.amount(2025, shiryo::model::TownId(i))?;
                Some(format!("{}={a}", t.name))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(amounts(p[2]), ["甲市=50.5", "乙町=20"]);
}
