//! `shiryo import`: hand-made workbooks (tests/fixtures/handmade, made by
//! scripts/fixtures/handmade_workbooks.py) and shiryo's own workbooks read back into
//! registries; the round trip registry → xlsx → registry → xlsx.

use std::path::{Path, PathBuf};

use shiryo::Registry;

use super::common::*;

fn handmade(name: &str) -> PathBuf {
    root().join("tests/fixtures/handmade").join(name)
}

/// Every field a registry holds, compared one by one (the source path aside).
pub fn assert_same_registry(got: &Registry, want: &Registry) {
    assert_same_fields(got, want, true);
}

/// Every field; a project's ID, 主担当, 担当課, 評価 and 今後の方向性 (which only the
/// データ sheet holds) only with `data_sheet`.
fn assert_same_fields(got: &Registry, want: &Registry, data_sheet: bool) {
    assert_eq!(got.title, want.title, "title");
    assert_eq!(got.label, want.label, "label");
    assert_eq!(got.author, want.author, "author");
    assert_eq!(got.meeting, want.meeting, "meeting");
    assert_eq!(got.timestamp, want.timestamp, "date");
    assert_eq!(got.towns, want.towns, "member towns");
    assert_eq!(got.statuses, want.statuses, "statuses");
    assert_eq!(got.fiscal_year, want.fiscal_year, "fiscal_year");
    assert_eq!(got.revision, want.revision, "revision");
    assert_eq!(got.unit, want.unit, "unit");
    assert_eq!(got.grades, want.grades, "grades");
    assert_eq!(got.directions, want.directions, "directions");
    assert_eq!(got.notes, want.notes, "notes");
    assert_eq!(got.areas.len(), want.areas.len(), "number of areas");
    for (ga, wa) in got.areas.iter().zip(&want.areas) {
        assert_eq!(ga.name, wa.name, "area name");
        assert_eq!(
            ga.categories.len(),
            wa.categories.len(),
            "categories of {}",
            wa.name
        );
        for (gc, wc) in ga.categories.iter().zip(&wa.categories) {
            assert_eq!(gc.name, wc.name, "category name");
            assert_eq!(
                gc.projects.len(),
                wc.projects.len(),
                "projects of {}",
                wc.name
            );
            for (gp, wp) in gc.projects.iter().zip(&wc.projects) {
                assert_eq!(gp.number, wp.number, "number");
                assert_eq!(gp.name, wp.name, "name of {}", wp.number);
                assert_eq!(gp.status, wp.status, "status of {}", wp.number);
                assert_eq!(gp.summary, wp.summary, "summary of {}", wp.number);
                assert_eq!(gp.towns, wp.towns, "towns of {}", wp.number);
                if data_sheet {
                    assert_eq!(gp.id, wp.id, "id of {}", wp.number);
                    assert_eq!(gp.lead, wp.lead, "lead of {}", wp.number);
                    assert_eq!(gp.department, wp.department, "department of {}", wp.number);
                    assert_eq!(gp.grade, wp.grade, "grade of {}", wp.number);
                    assert_eq!(gp.direction, wp.direction, "direction of {}", wp.number);
                }
                assert_eq!(gp.kpis.len(), wp.kpis.len(), "KPIs of {}", wp.number);
                for (gk, wk) in gp.kpis.iter().zip(&wp.kpis) {
                    assert_eq!(gk.indicator, wk.indicator, "KPI of {}", wp.number);
                    assert_eq!(gk.unit, wk.unit, "KPI unit of {}", wp.number);
                    assert_eq!(gk.baseline, wk.baseline, "baseline of {}", wp.number);
                    assert_eq!(gk.target, wk.target, "target of {}", wp.number);
                    assert_eq!(gk.actual, wk.actual, "actual of {}", wp.number);
                }
                assert_eq!(gp.budget, wp.budget, "budget of {}", wp.number);
            }
        }
    }
}

fn import(dir: &Path, workbook: &Path, out: &str) -> std::process::Output {
    shiryo(dir, &["import", workbook.to_str().unwrap(), "-o", out])
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn hand_made_workbooks_import_to_the_seed_table() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "title_two_rows",
        "split_number",
        "remarks_hidden",
        "label_in_cell",
        "libreoffice_saved",
        "area_names",
    ] {
        let out = import(dir.path(), &handmade(&format!("{name}.xlsx")), "r.yaml");
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let got = shiryo::registry::load(&dir.path().join("r.yaml"))
            .unwrap_or_else(|e| panic!("{name}: the imported registry loads: {e}"));
        let want = shiryo::registry::load(&handmade(&format!("{name}.expected.yaml"))).unwrap();
        // Hand-made workbooks carry no author or date; compare the table.
        assert_same_registry(
            &got,
            &Registry {
                author: got.author.clone(),
                meeting: got.meeting.clone(),
                timestamp: got.timestamp,
                ..want
            },
        );
        assert_eq!(
            got.author, None,
            "{name}: a person's name is not the author"
        );
        let check = shiryo(dir.path(), &["check", "r.yaml"]);
        assert!(check.status.success(), "{name}: {}", stderr(&check));
    }
}

#[test]
fn what_was_guessed_is_reported_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(dir.path(), &handmade("guesses.xlsx"), "r.yaml");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "資料2!C7: project 「健診」 has no number; numbered 2",
        "資料2!F7: 丙村 is not in the workbook's list of member towns",
        "資料2!E9: summary continues the project merged above",
    ] {
        assert!(err.contains(expected), "{expected:?} in\n{err}");
    }
    let r = shiryo::registry::load(&dir.path().join("r.yaml")).unwrap();
    let names: Vec<&str> = r.towns.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["甲市", "乙町", "丙村"]);
    let p: Vec<_> = r.rows().map(|(_, _, p)| p).collect();
    assert_eq!(p[1].number, 2);
    assert_eq!(p[2].summary, "一行目\n二行目");
}

#[test]
fn a_row_that_cannot_be_read_fails_the_import_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(dir.path(), &handmade("unreadable.xlsx"), "r.yaml");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("資料2!C4: this row has project data but no project name"),
        "{err}"
    );
    assert!(
        err.contains("資料2!D5: project 「相談」 has no 取組状況"),
        "{err}"
    );
    assert!(!dir.path().join("r.yaml").exists());
}

/// Registries of the kinds the tests build, with the awkward values of real tables.
fn registries() -> Vec<(&'static str, String)> {
    let seed = std::fs::read_to_string(seed_registry_path()).unwrap();
    let awkward = r#"title: "十勝定住自立圏: 連携事業 #1"
label: 資料3
meeting: 第3回懇談会
towns: [帯広市, 音更町, 士幌町, 上士幌町, 鹿追町, 中札内村, 更別村, 'yes']
statuses: [計画中, 実施中, 完了]
areas:
  - name: "1.生活機能"
    categories:
      - name: 1.医療
        projects:
          - number: 7
            name: "24時間 相談"
            status: 計画中
            summary: |-
              一行目: 「括弧」
              二行目 #記号

              四行目
            towns: [帯広市, 中札内村, 'yes']
          - number: 3
            name: '"引用"の事業'
            status: 完了
            towns: [音更町]
      - name: 2.福祉
        projects:
          - number: 10
            name: 'no'
            status: 実施中
            summary: ""
            towns: [帯広市, 音更町, 士幌町, 上士幌町, 鹿追町, 中札内村, 更別村, 'yes']
"#;
    let read = |path: PathBuf| std::fs::read_to_string(path).unwrap();
    let kamikawa = read(root().join("data/kamikawa-2025.yaml"));
    vec![
        ("seed", seed),
        ("kamikawa", kamikawa),
        (
            "beyond_seed",
            read(root().join("tests/fixtures/beyond_seed.yaml")),
        ),
        ("rich", read(super::survey::rich_registry_path())),
        ("big", big_registry(300)),
        ("awkward", awkward.to_string()),
    ]
}

#[test]
fn shiryo_workbooks_round_trip_field_for_field_and_byte_for_byte() {
    for (name, yaml) in registries() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.yaml"), &yaml).unwrap();
        let run = |args: &[&str]| {
            let out = shiryo(d, args);
            assert!(out.status.success(), "{name}: {args:?}: {}", stderr(&out));
            out
        };
        run(&["xlsx", "a.yaml", "-o", "a.xlsx"]);
        let imported = run(&["import", "a.xlsx", "-o", "b.yaml"]);
        assert!(
            !stderr(&imported).contains("guessed"),
            "{name}: nothing to guess in shiryo's own workbook: {}",
            stderr(&imported)
        );
        let a = shiryo::registry::load(&d.join("a.yaml")).unwrap();
        let b = shiryo::registry::load(&d.join("b.yaml")).unwrap();
        assert_same_registry(&b, &a);
        run(&["xlsx", "b.yaml", "-o", "b.xlsx"]);
        assert!(
            std::fs::read(d.join("a.xlsx")).unwrap() == std::fs::read(d.join("b.xlsx")).unwrap(),
            "{name}: the workbook of the imported registry is byte for byte the original"
        );
    }
}

#[test]
fn a_data_sheet_with_the_fields_beyond_the_seed_gives_back_the_same_table() {
    // The sphere's データ sheet carries ID, 主担当, 評価, 成果指標1 … after its town
    // columns: import reads the table from it and takes none of them for a town.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let registry = root().join("data/kamikawa-2025.yaml");
    let out = shiryo(d, &["xlsx", registry.to_str().unwrap(), "-o", "a.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = import(d, &d.join("a.xlsx"), "b.yaml");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("guessed"), "{}", stderr(&out));
    let a = shiryo::registry::load(&registry).unwrap();
    let b = shiryo::registry::load(&d.join("b.yaml")).unwrap();
    assert_same_registry(&b, &a);
}

#[test]
fn without_o_the_registry_goes_beside_the_workbook_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("old.xlsx");
    std::fs::copy(handmade("split_number.xlsx"), &book).unwrap();
    let first = shiryo(dir.path(), &["import", "old.xlsx"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(dir.path().join("old.yaml").exists());
    std::fs::write(dir.path().join("old.yaml"), "# edited by hand\n").unwrap();
    let second = shiryo(dir.path(), &["import", "old.xlsx"]);
    assert!(!second.status.success());
    assert!(stderr(&second).contains("-o"), "{}", stderr(&second));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("old.yaml")).unwrap(),
        "# edited by hand\n"
    );
}

/// Sets the uncompressed size every header of entry `name` declares.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    for (sig, size_at, name_at) in [
        ([0x50, 0x4b, 0x03, 0x04], 22, 30),
        ([0x50, 0x4b, 0x01, 0x02], 24, 46),
    ] {
        let mut i = 0;
        while i + name_at + name.len() <= zip.len() {
            if zip[i..i + 4] == sig && &zip[i + name_at..i + name_at + name.len()] == name {
                zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i += 1;
        }
    }
}

#[test]
fn files_that_are_not_sane_workbooks_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read(handmade("split_number.xlsx")).unwrap();
    // Not a workbook at all.
    std::fs::write(d.join("text.xlsx"), "title: これはYAML\n").unwrap();
    // A damaged zip: cut in half.
    std::fs::write(d.join("cut.xlsx"), &good[..good.len() / 2]).unwrap();
    // Entries that inflate to more than they declare.
    let mut lying = good.clone();
    declare_size(&mut lying, "xl/worksheets/sheet1.xml", 100);
    std::fs::write(d.join("lying.xlsx"), &lying).unwrap();
    // Declared sizes past the limit (a zip bomb's central directory).
    let mut huge = good.clone();
    declare_size(&mut huge, "xl/worksheets/sheet1.xml", 4_000_000_000);
    std::fs::write(d.join("huge.xlsx"), &huge).unwrap();
    for (file, expected) in [
        ("text.xlsx", "not a zip file"),
        ("cut.xlsx", "not a readable Excel workbook"),
        ("lying.xlsx", "more than the 100 bytes it declares"),
        ("huge.xlsx", "zip bomb"),
    ] {
        let out = import(d, &d.join(file), "r.yaml");
        assert!(!out.status.success(), "{file}");
        let err = stderr(&out);
        assert!(
            err.contains(file) && err.contains(expected),
            "{file}: {err}"
        );
        assert!(!d.join("r.yaml").exists());
    }
}

/// `xlsx` without its データ sheet, as a workbook of an older shiryo (or the printed
/// sheet copied into a file of one's own): only the 資料2 sheet, whose cells carry the
/// handout's line breaks.
fn without_data_sheet(path: &Path) {
    edit_workbook(path, |name, data| {
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(data.clone()).unwrap();
            let at = xml.find(r#"<sheet name="データ""#).expect("a データ sheet");
            let end = at + xml[at..].find("/>").unwrap() + 2;
            *data = format!("{}{}", &xml[..at], &xml[end..]).into_bytes();
        }
    });
}

#[test]
fn the_printed_sheet_gives_back_the_registry_without_the_layouts_breaks_or_page_splits() {
    // (registries() has kamikawa and rich: rich.yaml's soudan summary has a break of its
    // own, after a line with room left.)
    // big: 300 projects over many printed pages, where the sheet splits a group's
    // merged 政策分野 and category cells at each page break and repeats their text.
    for (name, yaml) in registries() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.yaml"), &yaml).unwrap();
        let out = shiryo(d, &["xlsx", "a.yaml", "-o", "a.xlsx"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        without_data_sheet(&d.join("a.xlsx"));
        let out = import(d, &d.join("a.xlsx"), "b.yaml");
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let a = shiryo::registry::load(&d.join("a.yaml")).unwrap();
        let b = shiryo::registry::load(&d.join("b.yaml")).unwrap();
        let broken = a
            .rows()
            .filter(|(_, _, p)| p.summary.contains('\n') || p.name.contains('\n'))
            .count();
        let text = |r: &Registry| -> Vec<(String, String, String)> {
            r.rows()
                .map(|(_, _, p)| (p.name.clone(), p.status.clone(), p.summary.clone()))
                .collect()
        };
        assert_eq!(text(&b), text(&a), "{name}");
        // Without the データ sheet, ID, 主担当, 担当課, 評価 and 今後の方向性 are not in
        // the workbook; the rest is (KPIs and budgets on their sheets, the sphere's
        // legend and roles in the properties).
        assert_same_fields(&b, &a, false);
        if name == "rich" {
            assert_eq!(broken, 1, "the test keeps a person's break");
        }
    }
}

#[test]
fn all_towns_written_as_zenshicho_is_one_guess_naming_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(dir.path(), &handmade("label_in_cell.xlsx"), "r.yaml");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("全市町")).collect();
    assert_eq!(
        lines,
        ["guessed: Sheet1!F6: 全市町 read as all 8 member towns in 9 rows (F6, F7, F8, F10, F13, F17, F19, F22, F23)"]
            .map(|l| format!("{}: {l}", handmade("label_in_cell.xlsx").display())),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(1 guess to check)"));
}

#[test]
fn a_missing_kpi_sheet_or_an_unreadable_year_fails_at_its_cell_in_both_languages() {
    let registry = root().join("data/kamikawa-2025.yaml");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = shiryo(d, &["xlsx", registry.to_str().unwrap(), "-o", "a.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let original = std::fs::read(d.join("a.xlsx")).unwrap();
    // The 成果指標 sheet dropped from the workbook: データ's 成果指標1 column (T: six
    // columns, eight towns, five fields) names it.
    edit_workbook(&d.join("a.xlsx"), |name, data| {
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(data.clone()).unwrap();
            let at = xml.find(r#"<sheet name="成果指標""#).unwrap();
            let end = at + xml[at..].find("/>").unwrap() + 2;
            *data = format!("{}{}", &xml[..at], &xml[end..]).into_bytes();
        }
    });
    let a = d.join("a.xlsx");
    let args = ["import", a.to_str().unwrap(), "-o", "r.yaml"];
    for (lang, expected) in [
        ("C", "データ!T1: column 成果指標1 needs the sheet 成果指標"),
        (
            "ja_JP.UTF-8",
            "データ!T1: 列 成果指標1 の値はシート 成果指標 から読みます",
        ),
    ] {
        let out = shiryo_in(lang, d, &args);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{lang}: {}", stderr(&out));
        assert!(!d.join("r.yaml").exists());
    }
    // A KPI's 実績年度 that is not a fiscal year: the first KPI row is row 3, J.
    std::fs::write(&a, &original).unwrap();
    edit_workbook(&a, |_, data| {
        let xml = String::from_utf8_lossy(data).into_owned();
        if xml.contains("達成率") && xml.contains("実績年度") {
            let at = xml.find("令和6年度").unwrap();
            *data = format!("{}来年度{}", &xml[..at], &xml[at + "令和6年度".len()..]).into_bytes();
        }
    });
    for (lang, expected) in [
        ("C", "成果指標!J3: 「来年度」 is not a fiscal year"),
        (
            "ja_JP.UTF-8",
            "成果指標!J3: 「来年度」 は年度（令和7年度 か 2025）ではありません",
        ),
    ] {
        let out = shiryo_in(lang, d, &args);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{lang}: {}", stderr(&out));
        assert!(!d.join("r.yaml").exists());
    }
}
