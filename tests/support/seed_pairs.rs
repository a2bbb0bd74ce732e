//! Pairs of registries made from the seed for the 新旧対照表 tests: each kind of
//! change alone, and all of them at once, as edits of the seed's YAML text (shared by
//! the unit tests in src/compare and the integration tests via `#[path]`).

#![allow(dead_code)]

use std::ops::Range;

/// One kind of change made to the seed, with the 備考 it must produce.
pub struct Edit {
    pub name: &'static str,
    pub apply: fn(&str) -> String,
    /// The 備考 expected on the changed row (first line), and that row's new number
    /// (or old number when removed).
    pub remark: &'static str,
    pub number: u32,
    /// The characters marked (underlined) in the 新 and 旧 cards; `None` when the
    /// whole card is (an added or removed project).
    pub new_marked: Option<&'static str>,
    pub old_marked: Option<&'static str>,
}

/// The lines of project `number`'s mapping.
fn block(yaml: &str, number: u32) -> Range<usize> {
    let head = format!("          - number: {number}\n");
    let start = yaml.find(&head).expect("the project exists");
    let rest = &yaml[start + head.len()..];
    let len = rest
        .find("\n          - number: ")
        .map(|i| i + 1)
        .or_else(|| rest.find("\n      - name: ").map(|i| i + 1))
        .or_else(|| rest.find("\n  - name: ").map(|i| i + 1))
        .unwrap_or(rest.len());
    start..start + head.len() + len
}

/// Replaces the value of `field` in project `number`.
pub fn set_field(yaml: &str, number: u32, field: &str, value: &str) -> String {
    let b = block(yaml, number);
    let key = format!("            {field}: ");
    let text = &yaml[b.clone()];
    let at = text.find(&key).expect("the field exists") + key.len();
    let end = at + text[at..].find('\n').expect("one line");
    let mut out = yaml.to_string();
    out.replace_range(b.start + at..b.start + end, value);
    out
}

pub fn renumber(yaml: &str, from: u32, to: u32) -> String {
    yaml.replace(
        &format!("          - number: {from}\n"),
        &format!("          - number: {to}\n"),
    )
}

pub fn remove(yaml: &str, number: u32) -> String {
    let mut out = yaml.to_string();
    out.replace_range(block(yaml, number), "");
    out
}

/// Inserts `project` (a YAML mapping at the projects' indentation) after project `after`.
pub fn insert_after(yaml: &str, after: u32, project: &str) -> String {
    let b = block(yaml, after);
    let mut out = yaml.to_string();
    out.insert_str(b.end, project);
    out
}

pub const NEW_PROJECT: &str = "          - number: 19
            name: 地域公共交通の連携
            status: 準備中
            summary: 圏域内の路線バスの維持に向けて、運行経費の一部を共同で負担する。
            towns: [旭川市, 鷹栖町, 当麻町]
";

fn added(y: &str) -> String {
    insert_after(y, 17, NEW_PROJECT)
}
fn removed(y: &str) -> String {
    remove(y, 7)
}
fn renamed(y: &str) -> String {
    set_field(y, 5, "name", "消費生活相談・啓発事業")
}
fn renumbered(y: &str) -> String {
    renumber(y, 18, 20)
}
fn moved(y: &str) -> String {
    y.replace(
        "      - name: エ、産業振興\n",
        "      - name: エ、産業振興・観光\n",
    )
}
fn status(y: &str) -> String {
    set_field(y, 6, "status", "実施中")
}
fn summary(y: &str) -> String {
    let b = block(y, 2);
    let mut out = y.to_string();
    let text = y[b.clone()].replace("公的医療機関に対し", "公的医療機関等に対し");
    out.replace_range(b, &text);
    out
}
fn towns_joined(y: &str) -> String {
    set_field(
        y,
        4,
        "towns",
        "[旭川市, 鷹栖町, 東神楽町, 当麻町, 比布町, 愛別町, 上川町, 東川町]",
    )
}
fn towns_left(y: &str) -> String {
    set_field(
        y,
        1,
        "towns",
        "[旭川市, 鷹栖町, 東神楽町, 当麻町, 比布町, 上川町, 東川町]",
    )
}

/// Each kind of change alone.
pub const EDITS: [Edit; 9] = [
    Edit {
        name: "added",
        apply: added,
        remark: "追加",
        number: 19,
        new_marked: None,
        old_marked: Some(""),
    },
    Edit {
        name: "removed",
        apply: removed,
        remark: "削除",
        number: 7,
        new_marked: Some(""),
        old_marked: None,
    },
    Edit {
        name: "renamed",
        apply: renamed,
        remark: "名称変更",
        number: 5,
        new_marked: Some("・啓発"),
        old_marked: Some(""),
    },
    Edit {
        name: "renumbered",
        apply: renumbered,
        remark: "番号変更（18→20）",
        number: 20,
        new_marked: Some("20"),
        old_marked: Some("18"),
    },
    Edit {
        name: "moved",
        apply: moved,
        remark: "分野・区分の変更",
        number: 9,
        new_marked: Some("・観光"),
        old_marked: Some(""),
    },
    Edit {
        name: "status",
        apply: status,
        remark: "取組状況の変更（一部実施中→実施中）",
        number: 6,
        new_marked: Some(""),
        old_marked: Some("一部"),
    },
    Edit {
        name: "summary",
        apply: summary,
        remark: "概要の変更",
        number: 2,
        new_marked: Some("等"),
        old_marked: Some(""),
    },
    Edit {
        name: "towns_joined",
        apply: towns_joined,
        remark: "関係市町の追加（当麻町）",
        number: 4,
        new_marked: Some("当麻町"),
        old_marked: Some(""),
    },
    Edit {
        name: "towns_left",
        apply: towns_left,
        remark: "関係市町の脱退（愛別町）",
        number: 1,
        new_marked: Some(""),
        old_marked: Some("愛別町"),
    },
];

/// Every edit applied in turn.
pub fn all_at_once(seed: &str) -> String {
    EDITS.iter().fold(seed.to_string(), |y, e| (e.apply)(&y))
}
