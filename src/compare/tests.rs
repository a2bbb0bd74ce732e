//! Comparisons of the seed with edited copies of itself.

use super::*;

#[path = "../../tests/support/seed_pairs.rs"]
mod seed_pairs;

use seed_pairs::{all_at_once, EDITS};

const SEED: &str = include_str!("../../data/registry.yaml");

fn registry(name: &str, yaml: &str) -> Registry {
    crate::registry::parse(name.as_ref(), yaml).expect("a valid edited seed")
}

#[test]
fn the_same_registry_has_no_changes() {
    let (old, new) = (registry("old.yaml", SEED), registry("new.yaml", SEED));
    let c = compare(&old, &new);
    assert!(c.rows.is_empty());
    assert_eq!(c.unchanged, 18);
    assert_eq!(
        c.summary_line(),
        "変更はありません（18 事業すべて変更なし）"
    );
    let t = DiffTable::new(&c, &old, &new);
    assert!(t.rows.is_empty());
}

#[test]
fn each_kind_of_change_alone_is_named() {
    let old = registry("old.yaml", SEED);
    for edit in &EDITS {
        let new = registry("new.yaml", &(edit.apply)(SEED));
        let c = compare(&old, &new);
        assert_eq!(c.rows.len(), 1, "{}: {:?}", edit.name, c.rows);
        let t = DiffTable::new(&c, &old, &new);
        let first = t.rows[0].remarks.lines().next().unwrap();
        assert_eq!(first, edit.remark, "{}", edit.name);
        assert_eq!(t.rows[0].number, edit.number, "{}", edit.name);
        let row = &t.rows[0];
        if let Some(marked) = edit.new_marked {
            assert_eq!(row.new.marked_text(Mark::Inserted), marked, "{}", edit.name);
        }
        if let Some(marked) = edit.old_marked {
            assert_eq!(row.old.marked_text(Mark::Deleted), marked, "{}", edit.name);
        }
        let expected_unchanged = if edit.name == "added" { 18 } else { 17 };
        assert_eq!(c.unchanged, expected_unchanged, "{}", edit.name);
    }
}

#[test]
fn uncertain_matches_are_stated() {
    let old = registry("old.yaml", SEED);
    let renumbered = registry("new.yaml", &(EDITS[3].apply)(SEED));
    let c = compare(&old, &renumbered);
    let a = c.rows[0].assumption.as_ref().expect("stated");
    assert_eq!(
        a.statement(),
        "18 → 20: 名称が同じため番号変更とみなしました"
    );
    let renamed = registry("new.yaml", &(EDITS[2].apply)(SEED));
    let c = compare(&old, &renamed);
    let a = c.rows[0].assumption.as_ref().expect("stated");
    assert!(
        a.statement()
            .starts_with("5: 番号が同じで名称・概要が似ている"),
        "{}",
        a.statement()
    );
    let t = DiffTable::new(&c, &old, &renamed);
    assert!(
        t.rows[0].remarks.contains("\n※5: "),
        "{}",
        t.rows[0].remarks
    );
    // Certain matches state nothing.
    let status = registry("new.yaml", &(EDITS[5].apply)(SEED));
    assert!(compare(&old, &status).assumptions().next().is_none());
}

#[test]
fn renamed_and_renumbered_at_once_is_matched_by_similarity() {
    let yaml = seed_pairs::set_field(
        &seed_pairs::renumber(SEED, 18, 30),
        30,
        "name",
        "職員の相互人事交流・合同研修",
    );
    let (old, new) = (registry("old.yaml", SEED), registry("new.yaml", &yaml));
    let c = compare(&old, &new);
    assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
    let labels: Vec<String> = c.rows[0].changes.iter().map(Change::label).collect();
    assert_eq!(labels, ["番号変更（18→30）", "名称変更"]);
    let a = c.rows[0].assumption.as_ref().unwrap();
    assert!(a
        .statement()
        .starts_with("18 → 30: 名称・概要が似ているため"));
}

#[test]
fn all_changes_at_once_in_the_new_tables_order() {
    let old = registry("old.yaml", SEED);
    let new = registry("new.yaml", &all_at_once(SEED));
    let c = compare(&old, &new);
    let t = DiffTable::new(&c, &old, &new);
    let got: Vec<(u32, &str)> = t
        .rows
        .iter()
        .map(|r| (r.number, r.remarks.lines().next().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "関係市町の脱退（愛別町）"),
            (2, "概要の変更"),
            (4, "関係市町の追加（当麻町）"),
            (5, "名称変更"),
            (6, "取組状況の変更（一部実施中→実施中）"),
            (7, "削除"),
            (9, "分野・区分の変更"),
            (19, "追加"),
            (20, "番号変更（18→20）"),
        ]
    );
    assert_eq!(
        (c.added(), c.removed(), c.changed(), c.unchanged),
        (1, 1, 7, 10)
    );
    assert_eq!(
        c.summary_line(),
        "変更 9 事業（追加 1、削除 1、変更 7）、変更なし 10 事業"
    );
}

#[test]
fn the_cards_mark_exactly_the_changed_characters() {
    let old = registry("old.yaml", SEED);
    let new = registry("new.yaml", &all_at_once(SEED));
    let t = DiffTable::new(&compare(&old, &new), &old, &new);
    let row = |n: u32| t.rows.iter().find(|r| r.number == n).unwrap();
    assert_eq!(row(2).new.marked_text(Mark::Inserted), "等");
    assert_eq!(row(2).old.marked_text(Mark::Deleted), "");
    assert_eq!(row(6).new.marked_text(Mark::Inserted), "");
    assert_eq!(row(6).old.marked_text(Mark::Deleted), "一部");
    assert_eq!(row(1).old.marked_text(Mark::Deleted), "愛別町");
    assert_eq!(row(4).new.marked_text(Mark::Inserted), "当麻町");
    assert_eq!(row(9).new.marked_text(Mark::Inserted), "・観光");
    assert_eq!(row(20).new.marked_text(Mark::Inserted), "20");
    assert_eq!(row(20).old.marked_text(Mark::Deleted), "18");
    assert_eq!(row(5).new.marked_text(Mark::Inserted), "・啓発");
    // A removed project: the whole old card marked, the new cell says so.
    assert_eq!(row(7).new.text(), table::REMOVED_MARK);
    assert!(row(7)
        .old
        .marked_text(Mark::Deleted)
        .starts_with("7 不登校児童生徒"));
    let added = row(19);
    assert_eq!(added.old.text(), table::ADDED_MARK);
    assert!(added
        .new
        .text()
        .starts_with("19 地域公共交通の連携\n分野："));
    // Labels stay unmarked; every line of the card is there.
    assert_eq!(added.new.text().lines().count(), 5);
    assert!(!added.new.marked_text(Mark::Inserted).contains("取組状況："));
}

#[test]
fn unchanged_projects_are_counted_not_listed() {
    let old = registry("old.yaml", SEED);
    let new = registry("new.yaml", &(EDITS[6].apply)(SEED));
    let c = compare(&old, &new);
    assert_eq!(c.rows.len() + c.unchanged, 18);
}

const BEYOND: &str = include_str!("../../tests/fixtures/beyond_seed.yaml");

#[test]
fn ids_match_certainly_and_fields_beyond_the_seed_are_compared() {
    let old = registry("old.yaml", BEYOND);
    // Project 1 renumbered and renamed: its id says it is the same project.
    let edited = BEYOND
        .replace("          - number: 1\n", "          - number: 5\n")
        .replace("name: 二次救急医療の連携", "name: 救急医療体制の確保")
        .replace(
            "actual: {year: 2024, value: 1430}",
            "actual: {year: 2024, value: 1480}",
        )
        .replace(
            "2025: {旭川市: 12500, 鷹栖町: 310}",
            "2025: {旭川市: 12600, 鷹栖町: 310}",
        )
        .replace("grade: A", "grade: B")
        .replace("department: 保健所保健総務課", "department: 保健所総務課");
    let new = registry("new.yaml", &edited);
    let c = compare(&old, &new);
    assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
    let row = &c.rows[0];
    assert!(row.assumption.is_none(), "an id match is certain");
    let labels: Vec<String> = row.changes.iter().map(Change::label).collect();
    assert_eq!(
        labels,
        [
            "番号変更（1→5）",
            "名称変更",
            "担当課の変更（保健所保健総務課→保健所総務課）",
            "評価の変更（A→B）",
            "成果指標の変更",
            "事業費の変更"
        ]
    );
    let t = DiffTable::new(&c, &old, &new);
    let r = &t.rows[0];
    assert_eq!(r.new.marked_text(Mark::Inserted), "5 体制の確保B896");
    assert!(
        r.new.text().contains(
            "\n事業費：2024年度 12,300千円（旭川市 12,000、鷹栖町 300）；2025年度 12,910千円"
        ),
        "{}",
        r.new.text()
    );
    assert!(r.old.text().contains("\n成果指標：二次救急の受入患者数（人） 基準 1200（2019年度） 目標 1500（2025年度） 実績 1430（2024年度）"), "{}", r.old.text());
}

#[test]
fn different_ids_are_different_projects_whatever_the_names() {
    let old = registry("old.yaml", BEYOND);
    let new = registry(
        "new.yaml",
        &BEYOND.replace("id: niji-kyukyu", "id: niji-kyukyu-2"),
    );
    let c = compare(&old, &new);
    let labels: Vec<String> = c
        .rows
        .iter()
        .flat_map(|r| r.changes.iter().map(Change::label))
        .collect();
    assert_eq!(labels, ["削除", "追加"]);
}
