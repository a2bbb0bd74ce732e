//! Stage 1: registry YAML → validated [`Registry`](crate::model::Registry).
//!
//! [`load`] reads the file, [`parse`] turns text into the model in two steps:
//! [`stream`] reads yaml-rust2's events one by one into [`raw`] structs (shape and
//! types, every problem at its position; serde_yaml only words syntax errors), then
//! [`validate`] (meaning: members, statuses, unique numbers and ids, names that are
//! safe as file and sheet names, grades, directions, years, amounts), which collects
//! every problem it finds. Unknown top-level keys become the registry's warnings.

mod figures;
pub(crate) mod findings;
mod halves;
pub mod locate;
mod names;
pub mod raw;
mod sphere;
mod stream;
mod text;
mod validate;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Location, Problem, Result};
use crate::i18n::Text;
use crate::model::{Registry, Source};
use crate::tr;

pub use figures::{parse_amount, parse_kpi_value, parse_year, AmountError, YEARS};
pub use names::{is_safe_name, suggest};
pub use text::read_text;
pub use validate::DEFAULT_STATUSES;

/// Larger registries are refused before parsing: the biggest real 資料2 tables hold a
/// few dozen projects (a few KB); 10,000 projects take about 5 MB.
pub const MAX_REGISTRY_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and validates a registry file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Invalid`] with every problem
/// found (each with line and column) when it is not a valid registry.
pub fn load(path: &Path) -> Result<Registry> {
    // The text is kept (for messages that point at a line) in one copy, made before
    // parsing: a 14 MB registry is not held twice while it is read.
    let text: Arc<str> = Arc::from(read_text(path, MAX_REGISTRY_BYTES)?);
    parse_shared(path, text)
}

/// Validates registry text; `path` is used in messages only.
///
/// ```
/// let yaml = "title: T\nlabel: 資料2\ntowns: [旭川市]\nareas:\n  - name: A\n    categories:\n      - name: C\n        projects:\n          - {number: 1, name: P, status: 実施中, towns: [旭川市]}\n";
/// let registry = shiryo::registry::parse("r.yaml".as_ref(), yaml).unwrap();
/// assert_eq!(registry.project_count(), 1);
/// assert_eq!(registry.statuses, ["実施中", "一部実施中", "準備中"]);
/// ```
///
/// # Errors
/// [`Error::Invalid`] listing every problem.
pub fn parse(path: &Path, text: &str) -> Result<Registry> {
    parse_shared(path, Arc::from(text))
}

fn parse_shared(path: &Path, shared: Arc<str>) -> Result<Registry> {
    let large = shared.len() >= stream::TWO_THREADS_BYTES;
    if let Some(result) = parse_on(path, &shared, large) {
        return result;
    }
    // A problem found on the second thread: every problem again, in their order.
    parse_on(path, &shared, false).unwrap_or_else(|| Err(Error::invalid(path, Vec::new())))
}

/// Reads and validates, on two threads with `two_threads` (see [`validate::validate`]).
fn parse_on(path: &Path, shared: &Arc<str>, two_threads: bool) -> Option<Result<Registry>> {
    let text = &**shared;
    let read = if two_threads {
        stream::read_registry(text)
    } else {
        stream::from_str(text)
    };
    let read = match read {
        Ok(read) => read,
        Err(stream::Stop::Syntax(at, message)) => {
            // libyaml's words and places for syntax errors, as shiryo always gave them
            // (with serde_yaml's first type error when it comes before the syntax
            // error); yaml-rust2's own if the two parsers disagree.
            return Some(Err(match from_yaml::<raw::RawRegistry>(path, text) {
                Err(e) => e,
                Ok(_) => Error::invalid(path, vec![message_problem(at, &message, text)]),
            }));
        }
        Err(stream::Stop::Fatal(l)) => {
            let problem = message_problem(l.at, &plain_message(&l.text()), text);
            return Some(Err(Error::invalid(path, vec![problem])));
        }
    };
    let ignored = validate::ignored_keys(read.ignored);
    let Some(raw) = read.value else {
        let mut problems: Vec<Problem> = read
            .errors
            .iter()
            .map(|l| message_problem(l.at, &plain_message(&l.text()), text))
            .collect();
        problems.extend(ignored);
        return Some(Err(Error::invalid(path, problems)));
    };
    let source = Source {
        path: path.to_path_buf(),
        text: Arc::clone(shared),
    };
    validate::validate(raw, source, ignored, two_threads)
}

/// Deserialises YAML, turning serde_yaml's errors into located [`Problem`]s.
pub(crate) fn from_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|e| Error::invalid(path, vec![yaml_problem(&e, text)]))
}

fn yaml_problem(e: &serde_yaml::Error, text: &str) -> Problem {
    let location = e
        .location()
        .map(|l| Location::new(l.line(), l.column()))
        .unwrap_or_default();
    let message = plain_message(&e.to_string());
    if message.contains("more than one document") {
        // serde_yaml gives no place: the second document starts at a `---` line after
        // some content.
        let mut content = false;
        let line = text.lines().position(|l| {
            let starts = l.starts_with("---") && content;
            content |= !(l.trim().is_empty() || l.starts_with('#') || l.starts_with("---"));
            starts
        });
        let at = line.map_or_else(Location::default, |l| Location::new(l + 1, 1));
        return Problem::new(
            at,
            tr!(
                "a second YAML document starts here; a registry is one document",
                "ここから二つ目の YAML 文書が始まっています。台帳は一つの文書です"
            ),
        )
        .with_help(tr!(
            "remove this `---` line and what follows, or put the second registry in its own file",
            "この `---` の行から後を削除するか、二つ目の台帳を別のファイルにしてください"
        ));
    }
    message_problem(location, &message, text)
}

/// A parser's (English) message at `location`, in both languages, with a hint.
fn message_problem(location: Location, message: &str, text: &str) -> Problem {
    let message = message.to_string();
    let line_text = text
        .lines()
        .nth(location.line.saturating_sub(1))
        .unwrap_or("");
    let help = if line_text.contains('\t') {
        Some(tr!(
            "indent with spaces: YAML does not allow tabs for indentation",
            "字下げは空白で: YAML では字下げにタブを使えません"
        ))
    } else if message.contains("unknown field `<<`") {
        Some(tr!(
            "`<<` is YAML's merge key, which registries do not use: write the fields out in each entry",
            "`<<` は YAML のマージキーで、台帳では使えません。各項目に値をそのまま書いてください"
        ))
    } else if message.contains("unknown field `no`") {
        Some(tr!(
            "the project number is written `number:` (a bare `no` means false in YAML 1.1)",
            "事業番号は `number:` と書きます（YAML 1.1 では `no` だけだと false の意味です）"
        ))
    } else if message.contains("unknown field") {
        Some(tr!(
            "check the spelling of the field name; the allowed names are listed",
            "項目名のつづりを確かめてください。使える項目名を挙げています"
        ))
    } else if message.contains("missing field") {
        Some(tr!(
            "add the field; see README.md for the registry format",
            "この項目を加えてください。台帳の書き方は README.md にあります"
        ))
    } else if message.contains("duplicate") {
        Some(tr!(
            "each field may appear once; remove or merge the repeated one",
            "各項目は一度だけ書けます。重なった方を削除するかまとめてください"
        ))
    } else if message.contains("nesting limit") {
        Some(tr!(
            "a registry is nested about a dozen levels deep; check the indentation and that every [ and {{ is closed",
            "台帳の入れ子は十数段までです。字下げと、[ や {{ が閉じているかを確かめてください"
        ))
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        Some(tr!(
            "the document expands anchors and aliases (&a / *a) too far; write the values out",
            "アンカーとエイリアス（&a / *a）の展開が多すぎます。値をそのまま書いてください"
        ))
    } else if message.contains("expected a whole number") {
        Some(tr!(
            "write the number in plain digits, e.g. `number: 3`",
            "番号は半角数字で書いてください（例: `number: 3`）"
        ))
    } else if message.contains("expected a string") {
        Some(tr!(
            "write text here; quote it (\"…\") if it starts with * & [ {{ or holds `: `",
            "ここには文字列を書きます。* & [ {{ で始まるときや `: ` を含むときは \"…\" で囲んでください"
        ))
    } else if message.contains("expected a sequence") {
        Some(tr!(
            "write a list: [旭川市, 鷹栖町], or one `- item` per line below the key",
            "リストで書いてください: [旭川市, 鷹栖町]、またはキーの下に1行ずつ `- 項目`"
        ))
    } else if message.contains("invalid type") {
        Some(tr!(
            "see README.md for the shape of a registry",
            "台帳の形は README.md を見てください"
        ))
    } else {
        None
    };
    let message = Text::new(message.clone(), yaml_message_ja(&message));
    let problem = Problem::new(location, message);
    match help {
        Some(h) => problem.with_help(h),
        None => problem,
    }
}

/// serde_yaml's message without the position (printed up front) and with the raw
/// structs' names replaced by what a user calls them.
fn plain_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out += &rest[..i];
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_end = digits(after);
        match after[line_end..].strip_prefix(" column ") {
            Some(col) if line_end > 0 => rest = &col[digits(col)..],
            _ => {
                out += " at line ";
                rest = after;
            }
        }
    }
    out += rest;
    [
        (
            "struct RawRegistry",
            "a registry (title, label, towns, areas)",
        ),
        ("struct RawArea", "a policy area (name, categories)"),
        ("struct RawCategory", "a category (name, projects)"),
        (
            "struct RawProject",
            "a project (number, name, status, summary, towns, id, lead, department, grade, direction, kpis, budget)",
        ),
        (
            "struct RawKpiPoint",
            "a KPI value (year, value)",
        ),
        (
            "struct RawKpi",
            "a KPI (indicator, unit, baseline, target, actual)",
        ),
        ("expected u32", "expected a whole number from 0"),
    ]
    .iter()
    .fold(out, |m, (from, to)| m.replace(from, to))
}

/// serde_yaml's (English) message in Japanese: the shapes shiryo's registries meet are
/// translated; anything else keeps the parser's words after a Japanese lead.
fn yaml_message_ja(message: &str) -> String {
    // serde_yaml prefixes the node's path: `areas[0].categories[0].projects[1]: …`.
    let (path, rest) = match message.split_once(": ") {
        Some((p, r)) if !p.contains(' ') && !p.is_empty() => (format!("{p}: "), r),
        _ => (String::new(), message),
    };
    let field = |s: &str| s.split('`').nth(1).unwrap_or_default().to_string();
    let body = if let Some(r) = rest.strip_prefix("unknown field ") {
        match r.split_once(", expected ") {
            Some((_, allowed)) => {
                let allowed = allowed.trim_start_matches("one of ");
                format!("項目 `{}` は使えません（使える項目: {allowed}）", field(r))
            }
            None => format!("項目 `{}` は使えません", field(r)),
        }
    } else if rest.starts_with("missing field ") {
        format!("項目 `{}` がありません", field(rest))
    } else if rest.starts_with("duplicate field ") {
        format!("項目 `{}` が2回書かれています", field(rest))
    } else if let Some(key) = rest.strip_prefix("duplicate entry with key ") {
        format!("キー {key} が2回書かれています")
    } else if let Some(r) = rest.strip_prefix("invalid type: ") {
        match r.split_once(", expected ") {
            Some((found, expected)) => {
                format!(
                    "{} ではなく {} が必要です",
                    kind_ja(found),
                    kind_ja(expected)
                )
            }
            None => format!("型が違います: {r}"),
        }
    } else if rest.starts_with("nesting limit exceeded") {
        "リストとマッピングの入れ子が深すぎます（128 段を超えています）".to_string()
    } else if rest.contains("recursion limit") || rest.contains("repetition limit") {
        format!("アンカーとエイリアスの展開が上限を超えました（{rest}）")
    } else {
        format!("YAML として読めません（{rest}）")
    };
    path + &body
}

/// A value kind in serde's words (`string "二"`, `a whole number from 0`) in Japanese.
fn kind_ja(kind: &str) -> String {
    let kind = kind.trim();
    let table = [
        ("a whole number from 0", "0 以上の整数"),
        ("a string", "文字列"),
        ("a sequence", "リスト"),
        ("a registry", "台帳"),
        ("a policy area", "政策分野"),
        ("a category", "分類"),
        ("a project", "事業"),
        ("a KPI value", "成果指標の値"),
        ("a KPI", "成果指標"),
        (
            "a mapping (key: value lines)",
            "マッピング（キー: 値 の行）",
        ),
        ("string ", "文字列 "),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("boolean ", "真偽値 "),
        ("sequence", "リスト"),
        ("map", "マッピング"),
        ("unit value", "空の値"),
    ];
    for (en, ja) in table {
        if let Some(rest) = kind.strip_prefix(en) {
            return format!("{ja}{rest}");
        }
    }
    kind.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_yaml_messages_read_in_japanese() {
        assert_eq!(
            yaml_message_ja("areas[0].categories[0].projects[1]: unknown field `sumary`, expected one of `number`, `name`"),
            "areas[0].categories[0].projects[1]: 項目 `sumary` は使えません（使える項目: `number`, `name`）"
        );
        assert_eq!(
            yaml_message_ja(
                "x.number: invalid type: string \"二\", expected a whole number from 0"
            ),
            "x.number: 文字列 \"二\" ではなく 0 以上の整数 が必要です"
        );
        assert_eq!(
            yaml_message_ja("missing field `title`"),
            "項目 `title` がありません"
        );
    }

    #[test]
    fn positions_are_taken_out_of_serde_yaml_messages() {
        assert_eq!(
            plain_message("did not find expected ',' at line 4 column 6, while parsing"),
            "did not find expected ',', while parsing"
        );
        assert_eq!(
            plain_message("x: missing field `towns` at line 9 column 13"),
            "x: missing field `towns`"
        );
        assert_eq!(plain_message("at line end"), "at line end");
        assert_eq!(
            plain_message("invalid type: string \"二\", expected u32"),
            "invalid type: string \"二\", expected a whole number from 0"
        );
    }
}

#[cfg(test)]
mod beyond_the_seed {
    use crate::model::{Amount, KpiValue, TownId};

    #[test]
    fn every_field_reaches_the_model() {
        let text = include_str!("../../tests/fixtures/beyond_seed.yaml");
        let r = super::parse("beyond_seed.yaml".as_ref(), text).unwrap();
        assert_eq!(r.fiscal_year, Some(2025));
        assert_eq!(r.date.map(|d| d.to_string()).as_deref(), Some("2025-11-20"));
        assert_eq!(r.revision.as_deref(), Some("差し替え"));
        assert_eq!(r.unit, "千円");
        let roles: Vec<&str> = r.towns.iter().map(|t| t.role.as_str()).collect();
        assert_eq!(roles, ["中心市", "連携市町", "連携市町"]);
        let keys: Vec<&str> = r.grades.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["A", "B", "C"], "grades keep the registry's order");
        assert_eq!(r.grade("B").unwrap().meaning, "目標の8割以上を達成");
        assert_eq!(r.directions.len(), 4);
        assert_eq!(r.notes, ["事業費は当初予算額（単位：千円）。"]);

        let p: Vec<_> = r.projects().collect();
        assert_eq!(p[0].id.as_deref(), Some("niji-kyukyu"));
        assert_eq!(p[0].lead, Some(TownId(0)));
        assert_eq!(p[1].lead, Some(TownId(2)));
        assert_eq!(p[0].department.as_deref(), Some("保健所保健総務課"));
        assert_eq!(p[1].department, None);
        assert_eq!(p[0].grade.as_deref(), Some("A"));
        assert_eq!(p[1].direction.as_deref(), Some("改善して継続"));
        let kpi = &p[0].kpis[0];
        assert_eq!(kpi.unit, "人");
        assert_eq!(kpi.baseline.as_ref().unwrap().year, 2019);
        assert_eq!(kpi.actual.as_ref().unwrap().value, KpiValue::Number(1430.0));
        assert!((kpi.achievement().unwrap() - 1430.0 / 1500.0).abs() < 1e-12);
        let word = &p[1].kpis[0].target.as_ref().unwrap().value;
        assert_eq!(*word, KpiValue::Word("検討中".into()));
        assert_eq!(p[1].kpis[0].achievement(), None);

        let units = Amount::from_units;
        assert_eq!(p[0].budget.total(2024), Some(units(12300)));
        assert_eq!(p[0].budget.amount(2025, TownId(1)), Some(units(310)));
        assert_eq!(r.budget_years(), [2024, 2025]);
        assert_eq!(r.budget_total(2025), units(12500 + 310 + 800 + 40));
        assert_eq!(r.budget_town_total(2025, TownId(0)), units(12500 + 800));
        assert_eq!(r.budget_town_total(2024, TownId(2)), Amount::ZERO);

        // A town handout keeps the fields (and the project's whole budget).
        let town = r.for_town(TownId(2));
        assert_eq!(town.project_count(), 1);
        assert_eq!(town.grades, r.grades);
        assert_eq!(town.fiscal_year, Some(2025));
        assert_eq!(town.budget_total(2025), units(840));
        assert_eq!(town.projects().next().unwrap().kpis.len(), 1);
    }

    #[test]
    fn years_and_dates_may_be_written_in_wareki() {
        let text = include_str!("../../tests/fixtures/beyond_seed.yaml");
        let western = super::parse("a.yaml".as_ref(), text).unwrap();
        let wareki = text
            .replace("fiscal_year: 2025", "fiscal_year: 令和7年度（2025年度）")
            .replace("date: 2025-11-20", "date: 令和7年11月20日")
            .replace("2024: {", "令和6年度: {")
            .replace("year: 2019,", "year: 令和元年度,");
        assert_ne!(wareki, text);
        let wareki = super::parse("a.yaml".as_ref(), &wareki).unwrap();
        assert_eq!(wareki.fiscal_year, western.fiscal_year);
        assert_eq!(wareki.date, western.date);
        assert_eq!(wareki.timestamp, western.timestamp);
        let (a, b): (Vec<_>, Vec<_>) = (western.projects().collect(), wareki.projects().collect());
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(a.budget, b.budget);
            assert_eq!(a.kpis, b.kpis);
        }
    }

    #[test]
    fn the_seed_has_none_of_them() {
        let text = include_str!("../../data/registry.yaml");
        let r = super::parse("registry.yaml".as_ref(), text).unwrap();
        assert_eq!((r.fiscal_year, r.unit.as_str()), (None, "千円"));
        assert!(r.grades.is_empty() && r.directions.is_empty() && r.notes.is_empty());
        assert!(r.budget_years().is_empty() && !r.has_kpis());
        assert!(r.towns.iter().all(|t| t.role == crate::model::DEFAULT_ROLE));
    }
}

#[cfg(test)]
#[path = "../../tests/support/big_registry.rs"]
mod big_support;

#[cfg(test)]
mod two_threads {
    use super::*;

    use super::big_support as support;

    /// The registry on two threads (or again on one, as `parse` does) and on one,
    /// as text to compare; and whether two threads decided alone.
    fn both(text: &str) -> (String, String, bool) {
        let (path, shared): (&Path, Arc<str>) = ("r.yaml".as_ref(), Arc::from(text));
        let two = parse_on(path, &shared, true);
        let decided = two.is_some();
        let two = two.unwrap_or_else(|| parse_on(path, &shared, false).unwrap());
        let one = parse_on(path, &shared, false).unwrap();
        (format!("{two:?}"), format!("{one:?}"), decided)
    }

    #[test]
    fn every_problem_is_found_in_the_one_thread_order() {
        let seed = include_str!("../../data/registry.yaml");
        let text = support::big_sphere(seed, 400);
        let last = |what: &str| text.rfind(what).unwrap();
        let cases = [
            (text.clone(), true),
            // In the first half only: two threads find it.
            (
                text.replacen("    towns: [旭川市", "    towns: [旭川", 1),
                true,
            ),
            (text.replacen("title: ", "title: ~", 1), true),
            // In the second half, or across the halves: one thread again.
            (
                format!(
                    "{}towns: [旭川{}",
                    &text[..last("towns: [旭川市")],
                    &text[last("towns: [旭川市") + "towns: [旭川市".len()..]
                ),
                false,
            ),
            (text.replacen("number: 400\n", "number: 1\n", 1), false),
            (text.replacen("id: p400\n", "id: p1\n", 1), false),
            (text.replacen("number: 399\n", "number: 400\n", 1), false),
        ];
        for (i, (case, decided)) in cases.iter().enumerate() {
            let (two, one, alone) = both(case);
            assert_eq!(two, one, "case {i}");
            assert_eq!(alone, *decided, "case {i}");
        }
    }
}
