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
pub mod locate;
mod names;
pub mod raw;
mod scan;
mod sphere;
mod stream;
mod validate;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Location, Problem, Result};
use crate::i18n::Text;
use crate::model::{Registry, Source};
use crate::tr;

pub use figures::{parse_amount, parse_kpi_value, parse_year, AmountError, YEARS};
pub use names::{is_safe_name, suggest};
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
    let text = &*shared;
    let read = match stream::read_registry(text) {
        Ok(read) => read,
        Err(stream::Stop::Syntax(at, message)) => {
            // libyaml's words and places for syntax errors, as shiryo always gave them
            // (with serde_yaml's first type error when it comes before the syntax
            // error); yaml-rust2's own if the two parsers disagree.
            return Err(match from_yaml::<raw::RawRegistry>(path, text) {
                Err(e) => e,
                Ok(_) => Error::invalid(path, vec![message_problem(at, &message, text)]),
            });
        }
        Err(stream::Stop::Fatal(l)) => {
            let problem = message_problem(l.at, &plain_message(&l.text()), text);
            return Err(Error::invalid(path, vec![problem]));
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
        return Err(Error::invalid(path, problems));
    };
    let source = Source {
        path: path.to_path_buf(),
        text: Arc::clone(&shared),
    };
    validate::validate(raw, source, ignored)
}

/// Reads a UTF-8 text file of at most `limit` bytes, without a byte order mark.
///
/// # Errors
/// [`Error::Io`] when unreadable, [`Error::Invalid`] when too large, empty or not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let fail = |message: Text, location: Location, help: Text| {
        Error::invalid(path, vec![Problem::new(location, message).with_help(help)])
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    // A FIFO would block, /dev/zero or an endless pipe would never end: only regular
    // files are read, and never more than `limit` + 1 bytes of them (a file may grow
    // between the size check and the read).
    if !meta.is_file() {
        return Err(fail(
            tr!(
                "is not a regular file (a pipe, device or folder)",
                "通常のファイルではありません（パイプ、デバイス、フォルダー）"
            ),
            Location::default(),
            tr!(
                "save the registry to a file and give its name",
                "台帳をファイルに保存して、そのファイル名を指定してください"
            ),
        ));
    }
    let size = meta.len();
    if size > limit {
        return Err(fail(
            tr!(
                "the file is {size} bytes; the limit is {limit}",
                "ファイルが {size} バイトあります。上限は {limit} バイトです"
            ),
            Location::default(),
            tr!(
                "is this the right file? Registries are a few kilobytes of YAML",
                "正しいファイルですか？ 台帳は数キロバイトの YAML です"
            ),
        ));
    }
    // Room for the whole file and the byte that tells it grew: no doubling on the way.
    let mut bytes = Vec::with_capacity(usize::try_from(size).map_or(0, |s| s + 1));
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, limit + 1), &mut bytes)
        })
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        let size = bytes.len();
        return Err(fail(
            tr!(
                "the file is more than {limit} bytes (it grew while being read)",
                "ファイルが {limit} バイトを超えています（読んでいる間に大きくなりました）"
            ),
            Location::default(),
            tr!(
                "is this the right file? Registries are a few kilobytes of YAML ({size} bytes read)",
                "正しいファイルですか？ 台帳は数キロバイトの YAML です（{size} バイト読みました）"
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or_default();
        fail(
            tr!(
                "the file is not UTF-8 text",
                "ファイルが UTF-8 のテキストではありません"
            ),
            position_of(good, good.len()),
            tr!(
                "save the file as UTF-8 (in Excel or Notepad: 「UTF-8」, not Shift_JIS)",
                "UTF-8 で保存し直してください（Excel やメモ帳で Shift_JIS ではなく「UTF-8」を選びます）"
            ),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let scan = scan::scan(&text);
    // Control characters YAML refuses, reported where they are (the parser's own
    // message points at the start of the scalar, or at 1:1), looked for only when the
    // scan found one.
    let bad: Vec<Problem> = (if scan.control { text.as_str() } else { "" })
        .char_indices()
        .filter(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .map(|(at, c)| {
            let code = c as u32;
            Problem::new(
                position_of(&text, at),
                tr!(
                    "control character U+{code:04X} in the text",
                    "制御文字 U+{code:04X} が含まれています"
                ),
            )
            .with_help(tr!(
                "delete it (it prints as nothing or an empty box); for a line break inside a summary use a block scalar (summary: |)",
                "削除してください（印刷されないか空の四角になります）。事業概要の中の改行はブロック形式（summary: |）で書きます"
            ))
        })
        .collect();
    if !bad.is_empty() {
        return Err(Error::invalid(path, bad));
    }
    // Names that differ only by Unicode normalisation (が as か + ゛) are one name to
    // a reader: the registry is read in NFC, so they are one name to shiryo too.
    let text = if scan.nfc {
        text
    } else {
        unicode_normalization::UnicodeNormalization::nfc(text.as_str()).collect()
    };
    let blank = text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    });
    if blank {
        return Err(fail(
            tr!(
                "the file is empty (nothing but blank lines and comments)",
                "ファイルが空です（空行とコメントしかありません）"
            ),
            Location::default(),
            tr!(
                "a registry needs at least title, label, towns and areas",
                "台帳には少なくとも title、label、towns、areas が必要です"
            ),
        ));
    }
    Ok(text)
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

/// One-based line and column (in characters) of byte offset `at` in `text`.
fn position_of(text: &str, at: usize) -> Location {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Location::new(line, column)
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
