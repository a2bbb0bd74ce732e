//! `shiryo collect` and the whole cycle: survey → answers typed into the workbooks
//! (here by rewriting the answer cells' XML, as a spreadsheet application saves them)
//! → collect → build, and the refusals.

use std::path::{Path, PathBuf};

use super::common::*;
use super::survey::rich_registry_path;

/// Sets answer cells of `回答` (sheet2.xml) to `values`: (cell, text, is_number).
fn fill(path: &Path, values: &[(&str, &str, bool)]) {
    edit_workbook(path, |name, data| {
        if name == "xl/worksheets/sheet2.xml" {
            let mut xml = String::from_utf8(std::mem::take(data)).unwrap();
            for (cell, text, number) in values {
                let open = format!(r#"<c r="{cell}""#);
                let at = xml
                    .find(&open)
                    .unwrap_or_else(|| panic!("{cell} in the sheet"));
                let end = if xml[at..].find("/>").unwrap() < xml[at..].find('>').unwrap() {
                    at + xml[at..].find("/>").unwrap() + 2
                } else {
                    at + xml[at..].find("</c>").unwrap() + 4
                };
                let tag = &xml[at..end];
                let style = tag
                    .find(" s=\"")
                    .map(|i| {
                        let rest = &tag[i + 1..];
                        let close = rest[3..].find('"').unwrap() + 4;
                        rest[..close].to_string()
                    })
                    .unwrap_or_default();
                let new = if *number {
                    format!(r#"<c r="{cell}" {style}><v>{text}</v></c>"#)
                } else {
                    format!(
                        r#"<c r="{cell}" {style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>"#
                    )
                };
                xml.replace_range(at..end, &new);
            }
            *data = xml.into_bytes();
        }
    });
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("rich.yaml");
    std::fs::copy(rich_registry_path(), &reg).unwrap();
    let out = shiryo(dir.path(), &["survey", "rich.yaml", "-o", "s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, reg)
}

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = shiryo(dir, args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Lines of `new` that differ from `old` (same number of lines expected unless added).
fn changed_lines(old: &str, new: &str) -> Vec<String> {
    let old: Vec<&str> = old.lines().collect();
    new.lines()
        .filter(|l| !old.contains(l))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_whole_cycle_changes_only_the_answered_values() {
    let (dir, reg) = setup();
    let d = dir.path();
    let before = std::fs::read_to_string(&reg).unwrap();
    // 甲市 (rows from 4): status of kyukyu, its KPI actual, its budget; grade of soudan.
    fill(
        &d.join("s/甲市.xlsx"),
        &[
            ("F4", "一部実施中", false),
            ("F8", "1510", false),
            ("F9", "13000", true),
            ("F12", "A", false),
        ],
    );
    // 乙町: its budget for project 2.
    fill(&d.join("s/乙町.xlsx"), &[("F5", "150", true)]);
    // 丙村 leads project 2: a summary and a grade it had not (keys added), and its
    // budget, a new amount in an existing year.
    fill(
        &d.join("s/丙村.xlsx"),
        &[
            ("F6", "病児保育室を開設する。", false),
            ("F7", "C", false),
            ("F9", "120", true),
        ],
    );

    let files = ["s/甲市.xlsx", "s/乙町.xlsx", "s/丙村.xlsx"];
    let mut args = vec!["collect", "rich.yaml"];
    args.extend(files);
    let (ok, stdout, stderr) = run(d, &[args.clone(), vec!["--dry-run"]].concat());
    assert!(ok, "{stderr}");
    assert!(stdout.contains("取組状況: 実施中 → 一部実施中"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&reg).unwrap(),
        before,
        "--dry-run writes nothing"
    );

    let (ok, stdout, stderr) = run(d, &args);
    assert!(ok, "{stderr}");
    for line in [
        "1 二次救急医療の連携",
        "取組状況: 実施中 → 一部実施中",
        "実績値（2024年度、人）: 1430 → 1510",
        "事業費（2025年度、千円）: 12500 → 13000",
        "2 病児保育",
        "事業費（2025年度、千円）: 100 → 150",
        "事業費（2025年度、千円）:  → 120",
        "評価:  → C",
        "取組内容・事業概要:  → 病児保育室を開設する。",
        "評価: B → A",
    ] {
        assert!(stdout.contains(line), "{line:?} in\n{stdout}");
    }
    let after = std::fs::read_to_string(&reg).unwrap();
    assert_eq!(
        std::fs::read_to_string(d.join("rich.yaml.bak")).unwrap(),
        before
    );
    let changed = changed_lines(&before, &after);
    assert_eq!(
        changed,
        [
            "            status: 一部実施中   # checked 2025-04",
            "                actual: {year: 2024, value: 1510}",
            "              2025: {甲市: 13000, 乙町: 310, 丙村: 210}",
            "              2025: {乙町: 150, 丙村: 120}",
            // Added keys in the answer sheet's order.
            "            summary: 病児保育室を開設する。",
            "            grade: C",
        ],
        "only the answered values changed:\n{after}"
    );
    assert_eq!(
        after.lines().count(),
        before.lines().count() + 2,
        "two keys added"
    );
    // soudan's `grade: B` became `grade: A`, a line the file already had elsewhere.
    assert_eq!(before.matches("grade: B").count(), 1);
    assert_eq!(after.matches("grade: B").count(), 0);
    assert_eq!(after.matches("grade: A").count(), 2);
    let r = shiryo::registry::load(&reg).unwrap();
    let p: Vec<_> = r.rows().map(|(_, _, p)| p).collect();
    assert_eq!(p[0].status, "一部実施中");
    assert_eq!(p[2].grade.as_deref(), Some("A"));
    assert_eq!(p[1].grade.as_deref(), Some("C"));

    // Collecting the same answers again changes nothing.
    let (ok, stdout, _) = run(d, &args);
    assert!(ok);
    assert!(stdout.contains("no value changed"), "{stdout}");

    // The handout shows the answers.
    let (ok, _, stderr) = run(d, &["build", "rich.yaml", "-o", "out"]);
    assert!(ok, "{stderr}");
    let text = squeeze(&pdf_pages_text(&d.join("out/rich.pdf")).concat());
    assert!(text.contains("一部実施中"), "{text}");
    assert!(text.contains("病児保育室を開設する。"), "{text}");
}

#[test]
fn bad_answers_are_refused_and_the_registry_is_untouched() {
    let (dir, reg) = setup();
    let d = dir.path();
    let before = std::fs::read_to_string(&reg).unwrap();
    let copy = |name: &str| {
        let p = d.join(name);
        std::fs::copy(d.join("s/甲市.xlsx"), &p).unwrap();
        p
    };
    fill(&copy("status.xlsx"), &[("F4", "完了", false)]);
    fill(&copy("text.xlsx"), &[("F9", "未定", false)]);
    fill(&copy("a.xlsx"), &[("F4", "準備中", false)]);
    fill(&copy("b.xlsx"), &[("F4", "一部実施中", false)]);
    std::fs::write(d.join("not.xlsx"), "これは表ではない").unwrap();
    let good = std::fs::read(d.join("s/甲市.xlsx")).unwrap();
    std::fs::write(d.join("cut.xlsx"), &good[..good.len() / 3]).unwrap();
    // A survey of another registry: the seed's.
    let seed = seed_registry_path();
    assert!(shiryo(d, &["survey", seed.to_str().unwrap(), "-o", "seed"])
        .status
        .success());
    for (files, expected) in [
        (
            vec!["status.xlsx"],
            "回答!F4: 「完了」 is not a declared status",
        ),
        (vec!["text.xlsx"], "回答!F9: 「未定」 is not a number"),
        (
            vec!["a.xlsx", "b.xlsx"],
            "a second answer for the same value",
        ),
        (vec!["not.xlsx"], "not a zip file"),
        (vec!["cut.xlsx"], "not a readable Excel workbook"),
        (
            vec!["seed/旭川市.xlsx"],
            "this answers another registry, or an older version",
        ),
        (vec!["rich.yaml"], "not a zip file"),
    ] {
        let mut args = vec!["collect", "rich.yaml"];
        args.extend(files.iter().copied());
        let (ok, _, stderr) = run(d, &args);
        assert!(!ok, "{files:?} refused");
        assert!(
            stderr.contains(expected),
            "{files:?}: {expected:?} in\n{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&reg).unwrap(), before, "{files:?}");
        assert!(!d.join("rich.yaml.bak").exists());
    }
}

#[test]
fn an_older_version_of_the_registry_is_refused() {
    let (dir, reg) = setup();
    let d = dir.path();
    fill(&d.join("s/甲市.xlsx"), &[("F4", "準備中", false)]);
    // A project renamed after the survey was sent.
    let text = std::fs::read_to_string(&reg)
        .unwrap()
        .replace("name: 障害者相談", "name: 障害者相談支援");
    std::fs::write(&reg, &text).unwrap();
    let (ok, _, stderr) = run(d, &["collect", "rich.yaml", "s/甲市.xlsx"]);
    assert!(!ok);
    assert!(
        stderr.contains("_shiryo!B2") && stderr.contains("older version"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&reg).unwrap(), text);
}
