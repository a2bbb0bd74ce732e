//! `shiryo collect`: the towns' answered 照会 workbooks → the registry, edited in place.
//!
//! ```text
//! answers ─ workbook_in (checked zip) ─ _shiryo (format, digest, town, keyed originals)
//!         ─ 回答 (keyed answers) ─ checks (member, lead, declared values, numbers,
//!           one answer per value, unchanged since the survey) ─ plan (old → new)
//!         ─ edit (the YAML text at the nodes' spans) ─ registry::parse (must pass, and
//!           read back every new value) ─ REGISTRY.bak + atomic write
//! ```
//! A value changes only where the town's answer differs from what the survey showed;
//! if the registry changed that value since, the answer is refused, not applied over it.

pub mod edit;
pub mod spans;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Problem, Result};
use crate::i18n::Text;
use crate::model::{KpiValue, Registry};
use crate::survey::{self, Field, Item};
use crate::tr;
use crate::workbook_in::{cell_problem, file_error, Book};

use edit::Edit;
use spans::Spans;

/// One value to change.
#[derive(Debug, Clone)]
pub struct Change {
    /// `<no> <name>` of the project.
    pub project: String,
    pub what: String,
    pub old: String,
    pub new: String,
    /// The answer file and cell it came from.
    pub from: String,
}

/// What collect found: the changes and the registry text with them applied.
pub struct Collected {
    pub changes: Vec<Change>,
    pub text: String,
}

struct Answer {
    item: Item,
    town: String,
    value: String,
    file: PathBuf,
    cell: String,
}

/// Reads `answers` against `registry` (loaded from `text`) and plans the changes.
///
/// # Errors
/// [`Error::Invalid`] naming each file and cell whose answer cannot be taken; the
/// registry is not touched.
pub fn collect(registry: &Registry, text: &str, answers: &[PathBuf]) -> Result<Collected> {
    let digest = survey::digest(registry);
    let mut all: Vec<Answer> = Vec::new();
    let mut problems: Vec<(PathBuf, Problem)> = Vec::new();
    for path in answers {
        match read_answers(registry, &digest, path) {
            Ok((mut a, p)) => {
                all.append(&mut a);
                problems.extend(p.into_iter().map(|p| (path.clone(), p)));
            }
            Err(e) => return Err(e),
        }
    }
    let rows: Vec<_> = registry.rows().collect();
    let mut changes = Vec::new();
    let mut edits: Vec<(Answer, String)> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for a in all {
        let (_, _, p) = rows[a.item.project];
        let current = current_value(registry, a.item.project, &a.item.field, &a.town);
        let original = &a.item.value;
        if a.value == *original {
            continue;
        }
        let whence = format!("{}: {}", a.file.display(), a.cell);
        if let Some(first) = seen.insert(format!("{}/{}", a.town, a.item.key), whence.clone()) {
            problems.push((
                a.file.clone(),
                cell_msg(
                    &a.cell,
                    tr!(
                        "a second answer for the same value (first: {first})",
                        "同じ値への二つ目の回答です（一つ目: {first}）"
                    ),
                ),
            ));
            continue;
        }
        if current == a.value {
            continue;
        }
        if current != *original {
            problems.push((
                a.file.clone(),
                cell_msg(
                    &a.cell,
                    tr!(
                        "the registry's value changed since the survey ({original} → {current}); the answer {} is not applied over it",
                        "照会の後に台帳の値が変わっています（{original} → {current}）。回答 {} では上書きしません",
                        a.value
                    ),
                ),
            ));
            continue;
        }
        changes.push(Change {
            project: p.label(),
            what: a.item.label.clone(),
            old: current.clone(),
            new: a.value.clone(),
            from: whence,
        });
        edits.push((a, current));
    }
    if !problems.is_empty() {
        return Err(grouped(problems));
    }
    let new_text = apply_answers(registry, text, &edits)?;
    // Reported in table order, whatever the order of the files.
    let order: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, _, p))| (p.label(), i))
        .collect();
    changes.sort_by_key(|c| order.get(&c.project).copied().unwrap_or(usize::MAX));
    verify(registry, &new_text, &edits)?;
    Ok(Collected {
        changes,
        text: new_text,
    })
}

fn cell_msg(cell: &str, message: Text) -> Problem {
    Problem::new(
        Location::default(),
        Text::new(
            format!("{cell}: {}", message.en),
            format!("{cell}: {}", message.ja),
        ),
    )
}

/// One error listing every refused answer, file by file.
fn grouped(problems: Vec<(PathBuf, Problem)>) -> Error {
    let file = problems[0].0.clone();
    let all = problems
        .into_iter()
        .map(|(f, p)| {
            if f == file {
                p
            } else {
                let shown = f.display().to_string();
                Problem::new(
                    p.location,
                    Text::new(
                        format!("{shown}: {}", p.message.en),
                        format!("{shown}: {}", p.message.ja),
                    ),
                )
            }
        })
        .collect();
    Error::invalid(file, all)
}

/// The value now in the registry for a field, as the survey writes it.
fn current_value(registry: &Registry, project: usize, field: &Field, town: &str) -> String {
    let (_, _, p) = registry.rows().nth(project).expect("item of a project");
    match field {
        Field::Status => p.status.clone(),
        Field::Summary => p.summary.clone(),
        Field::Grade => p.grade.clone().unwrap_or_default(),
        Field::Direction => p.direction.clone().unwrap_or_default(),
        Field::KpiActual(k) => p.kpis[*k]
            .actual
            .as_ref()
            .map(|a| match &a.value {
                KpiValue::Number(n) => format!("{n}"),
                KpiValue::Word(w) => w.clone(),
            })
            .unwrap_or_default(),
        Field::Budget(year) => {
            let t = registry.towns.iter().position(|t| t.name == town);
            t.and_then(|t| p.budget.amount(*year, crate::model::TownId(t)))
                .map(|a| a.to_string())
                .unwrap_or_default()
        }
    }
}

/// The registry text with every answer in it. Several towns answering a budget year
/// the registry does not have yet all add to one new mapping: the first creates it,
/// the others go into it in a second round (spans read again from the edited text).
fn apply_answers(registry: &Registry, text: &str, edits: &[(Answer, String)]) -> Result<String> {
    let town_order = |name: &str| registry.towns.iter().position(|t| t.name == name);
    let mut pending: Vec<&Answer> = edits.iter().map(|(a, _)| a).collect();
    // Towns in the registry's order, so that new amounts are written in that order.
    pending.sort_by_key(|a| (a.item.project, town_order(&a.town)));
    let mut text = text.to_string();
    while !pending.is_empty() {
        let spans = Spans::of(&text).map_err(|e| {
            file_error(
                &registry.source.path,
                tr!(
                    "the registry cannot be edited: {e}",
                    "台帳を編集できません: {e}"
                ),
                tr!(
                    "check it with shiryo check",
                    "shiryo check で確かめてください"
                ),
            )
        })?;
        let mut created = std::collections::HashSet::new();
        let mut text_edits = Vec::new();
        let mut later = Vec::new();
        for a in pending {
            match plan_edit(registry, &text, &spans, a, &mut created) {
                Plan::Edit(e) => text_edits.push(e),
                Plan::Later => later.push(a),
                Plan::NotFound => {
                    return Err(file_error(
                        &registry.source.path,
                        tr!(
                            "{}: the place of this value in the registry was not found",
                            "{}: この値の台帳での位置が見つかりません",
                            a.cell
                        ),
                        tr!(
                            "write the value in the registry by hand",
                            "台帳に手で書いてください"
                        ),
                    ))
                }
            }
        }
        if text_edits.is_empty() {
            // Cannot happen (each round plans at least the first answer); never loop.
            return Err(file_error(
                &registry.source.path,
                tr!(
                    "{}: the place of this value in the registry was not found",
                    "{}: この値の台帳での位置が見つかりません",
                    later[0].cell
                ),
                tr!(
                    "write the value in the registry by hand",
                    "台帳に手で書いてください"
                ),
            ));
        }
        text = edit::apply(&text, text_edits);
        pending = later;
    }
    Ok(text)
}

/// What one answer does to the registry text in this round.
enum Plan {
    Edit(Edit),
    /// It adds to a node another answer creates in this round: next round.
    Later,
    NotFound,
}

impl From<Option<Edit>> for Plan {
    fn from(edit: Option<Edit>) -> Plan {
        edit.map_or(Plan::NotFound, Plan::Edit)
    }
}

/// The text edit that makes the registry hold the answer. `created`: the nodes this
/// round's edits add; an answer that would add one of them again waits a round.
fn plan_edit(
    registry: &Registry,
    text: &str,
    spans: &Spans,
    a: &Answer,
    created: &mut std::collections::HashSet<String>,
) -> Plan {
    plan_edit_once(registry, text, spans, a, created).unwrap_or(Plan::NotFound)
}

fn plan_edit_once(
    registry: &Registry,
    text: &str,
    spans: &Spans,
    a: &Answer,
    created: &mut std::collections::HashSet<String>,
) -> Option<Plan> {
    let (_, _, p) = registry.rows().nth(a.item.project)?;
    let at = &p.at;
    let v = &a.value;
    let has = |path: &str| spans.get(path).is_some();
    let edit = match &a.item.field {
        Field::Status | Field::Summary | Field::Grade | Field::Direction => {
            let key = match a.item.field {
                Field::Status => "status",
                Field::Summary => "summary",
                Field::Grade => "grade",
                _ => "direction",
            };
            let path = format!("{at}.{key}");
            if has(&path) {
                edit::replace(text, spans, &path, v, false)
            } else {
                let value = crate::import::scalar(v, false);
                edit::insert(text, spans, at, key, &value)
            }
        }
        Field::KpiActual(k) => {
            let kpi = format!("{at}.kpis[{k}]");
            let number = v.parse::<f64>().is_ok();
            if has(&format!("{kpi}.actual.value")) {
                edit::replace(text, spans, &format!("{kpi}.actual.value"), v, number)
            } else {
                let year = registry.fiscal_year?;
                let value = if number {
                    v.clone()
                } else {
                    crate::import::scalar(v, true)
                };
                edit::insert(
                    text,
                    spans,
                    &kpi,
                    "actual",
                    &format!("{{year: {year}, value: {value}}}"),
                )
            }
        }
        Field::Budget(year) => {
            let budget = format!("{at}.budget");
            // The year's key as written (2025, or in 和暦).
            let year_key = match spans.get(&budget) {
                Some(spans::Node::Mapping { keys, .. }) => keys
                    .iter()
                    .find(|k| crate::registry::parse_year(k) == Some(*year))
                    .cloned(),
                _ => None,
            };
            let town = crate::import::scalar(&a.town, true);
            match year_key {
                Some(y) => {
                    let path = format!("{budget}.{y}.{}", a.town);
                    if has(&path) {
                        edit::replace(text, spans, &path, v, true)
                    } else {
                        edit::insert(text, spans, &format!("{budget}.{y}"), &a.town, v)
                    }
                }
                // A new year (or a new budget): the first town's answer adds it, the
                // others add themselves to it next round.
                None if !created.insert(budget.clone()) => return Some(Plan::Later),
                None if has(&budget) => edit::insert(
                    text,
                    spans,
                    &budget,
                    &year.to_string(),
                    &format!("{{{town}: {v}}}"),
                ),
                None => edit::insert(
                    text,
                    spans,
                    at,
                    "budget",
                    &format!("{{{year}: {{{town}: {v}}}}}"),
                ),
            }
        }
    };
    Some(edit.into())
}

/// The edited text must be a valid registry holding every new value.
fn verify(registry: &Registry, text: &str, edits: &[(Answer, String)]) -> Result<()> {
    let new = crate::registry::parse(&registry.source.path, text)?;
    for (a, _) in edits {
        let got = current_value(&new, a.item.project, &a.item.field, &a.town);
        let want = &a.value;
        let same = got == *want
            || matches!((got.parse::<f64>(), want.parse::<f64>()), (Ok(x), Ok(y)) if x == y);
        if !same {
            return Err(file_error(
                &registry.source.path,
                tr!(
                    "{}: after editing, the registry reads {got} instead of {want}; nothing was written",
                    "{}: 編集後の台帳が {want} ではなく {got} と読めます。書き込んでいません",
                    a.cell
                ),
                tr!("write the value in the registry by hand", "台帳に手で書いてください"),
            ));
        }
    }
    Ok(())
}

/// The answers of one file, checked against the registry.
fn read_answers(
    registry: &Registry,
    digest: &str,
    path: &Path,
) -> Result<(Vec<Answer>, Vec<Problem>)> {
    let mut book = Book::open(path)?;
    let names: Vec<String> = book.sheet_names().into_iter().map(|(n, _)| n).collect();
    let not_survey = || {
        file_error(
            path,
            tr!(
                "not a 照会 workbook written by shiryo survey (its hidden sheet {} is missing or changed)",
                "shiryo survey の照会ワークブックではありません（隠しシート {} がないか、変わっています）",
                survey::DATA_SHEET
            ),
            tr!(
                "collect the files the towns returned, saved as .xlsx",
                "市町村から返ってきた .xlsx のファイルを指定してください"
            ),
        )
    };
    if !names.iter().any(|n| n == survey::DATA_SHEET)
        || !names.iter().any(|n| n == survey::ANSWER_SHEET)
    {
        return Err(not_survey());
    }
    let data = book.sheet(survey::DATA_SHEET)?;
    if data.text(0, 0) != survey::FORMAT {
        return Err(not_survey());
    }
    let data_cell = |r: usize| format!("{}!B{}", survey::DATA_SHEET, r + 1);
    if data.text(1, 1) != digest {
        return Err(file_error(
            path,
            tr!(
                "{}: this answers another registry, or an older version of {} (projects, towns or lists changed since the survey)",
                "{}: 別の台帳か、{} の古い版への回答です（照会の後に事業、市町村、一覧が変わっています）",
                data_cell(1),
                registry.source.path.display()
            ),
            tr!(
                "send the town a new survey (shiryo survey) or collect into the registry it was made from",
                "新しい照会（shiryo survey）を送るか、照会を作った台帳に取り込んでください"
            ),
        ));
    }
    let town = data.text(2, 1).to_string();
    let Some(town_id) = registry.towns.iter().position(|t| t.name == town) else {
        return Err(file_error(
            path,
            tr!(
                "{}: {town} is not a member town of this registry",
                "{}: {town} はこの台帳の構成市町村ではありません",
                data_cell(2)
            ),
            tr!("check the file", "ファイルを確かめてください"),
        ));
    };
    let items: HashMap<String, Item> = survey::items_for(registry, crate::model::TownId(town_id))
        .into_iter()
        .map(|i| (i.key.clone(), i))
        .collect();
    // The values as the survey showed them, by key.
    let mut originals: HashMap<String, String> = HashMap::new();
    for r in survey::DATA_FIRST_ROW as usize..data.cells.len() {
        let key = data.text(r, 0);
        if !key.is_empty() {
            originals.insert(key.to_string(), data.text(r, 1).to_string());
        }
    }
    let sheet = book.sheet(survey::ANSWER_SHEET)?;
    let s = survey::ANSWER_SHEET;
    let col = survey::COL_ANSWER as usize;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for r in survey::ANSWER_HEADER_ROW as usize + 1..sheet.cells.len() {
        let key = sheet.text(r, survey::COL_KEY as usize);
        if key.is_empty() {
            continue;
        }
        let Some(item) = items.get(key) else {
            problems.push(cell_problem(
                s,
                r,
                col,
                tr!(
                    "{town} does not answer this value ({key}): not a project it leads or takes part in",
                    "{town} が回答する値ではありません（{key}）: 主担当でも参加でもない事業です"
                ),
            ));
            continue;
        };
        let Some(original) = originals.get(key) else {
            problems.push(cell_problem(
                s,
                r,
                col,
                tr!(
                    "the row's key {key} is not in the hidden sheet",
                    "行の番号 {key} が隠しシートにありません"
                ),
            ));
            continue;
        };
        let raw = sheet.text(r, col);
        let value = match item.field {
            Field::Summary => raw.trim_end().to_string(),
            Field::Budget(_) => raw.trim().replace([',', '，'], ""),
            _ => raw.trim().to_string(),
        };
        if let Some(problem) =
            check_value(registry, item, &value, original, sheet.is_number(r, col))
        {
            problems.push(cell_problem(s, r, col, problem));
            continue;
        }
        let mut item = item.clone();
        item.value = original.clone();
        out.push(Answer {
            item,
            town: town.clone(),
            value,
            file: path.to_path_buf(),
            cell: format!("{s}!{}", crate::workbook_in::cell_name(r, col)),
        });
    }
    Ok((out, problems))
}

/// Why the registry would reject `value` for `item`, if it would.
fn check_value(
    registry: &Registry,
    item: &Item,
    value: &str,
    original: &str,
    numeric_cell: bool,
) -> Option<Text> {
    if value == original {
        return None;
    }
    match &item.field {
        Field::Status if !registry.statuses.iter().any(|s| s == value) => {
            let list = registry.statuses.join("、");
            Some(tr!(
                "「{value}」 is not a declared status ({list})",
                "「{value}」 は宣言された取組状況ではありません（{list}）"
            ))
        }
        Field::Grade if !registry.grades.iter().any(|g| g.key == value) => Some(tr!(
            "「{value}」 is not a grade of the registry",
            "「{value}」 は台帳の評価にありません"
        )),
        Field::Direction if !registry.directions.iter().any(|d| d == value) => Some(tr!(
            "「{value}」 is not an allowed 今後の方向性",
            "「{value}」 は今後の方向性の選択肢にありません"
        )),
        Field::Budget(_) => {
            let n = value.replace([',', '，'], "");
            match n.parse::<f64>() {
                Ok(x) if x >= 0.0 && x.is_finite() => None,
                _ if value.is_empty() => Some(tr!(
                    "an amount cannot be cleared by a survey; write 0 or change the registry",
                    "照会では事業費を空にできません。0 を書くか、台帳を直してください"
                )),
                _ => {
                    let _ = numeric_cell;
                    Some(tr!(
                        "「{value}」 is not a number; the amount is a number ≥ 0",
                        "「{value}」 は数値ではありません。事業費は 0 以上の数値です"
                    ))
                }
            }
        }
        Field::KpiActual(_) if value.is_empty() => Some(tr!(
            "an actual value cannot be cleared by a survey",
            "照会では実績値を空にできません"
        )),
        _ => None,
    }
}
