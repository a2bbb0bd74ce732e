//! The fields beyond the seed that name things: the meeting, roles, the grade legend,
//! the allowed directions and notes at the top; lead, department, grade and direction
//! on each project.

use std::collections::HashMap;
use std::fmt::Display;

use super::figures::year;
use super::findings::{Dotted, Findings};
use super::names::suggest;
use super::raw::{OrderedMap, RawProject, RawRegistry};
use super::validate::Context;
use crate::i18n::{list, Text};
use crate::model::{FiscalYear, Grade, TownId, DEFAULT_ROLE, DEFAULT_UNIT};
use crate::tr;

/// The validated top-level fields beyond the seed.
pub(super) struct Sphere {
    pub meeting: Option<String>,
    pub fiscal_year: Option<FiscalYear>,
    pub revision: Option<String>,
    pub unit: String,
    /// One role per member town, in member order.
    pub roles: Vec<String>,
    pub grades: Vec<Grade>,
    pub directions: Vec<String>,
    pub notes: Vec<String>,
}

pub(super) fn top_level(found: &mut Findings, raw: &mut RawRegistry, towns: &[String]) -> Sphere {
    for (path, what, value) in [
        ("meeting", tr!("meeting", "会議名（meeting）"), &raw.meeting),
        (
            "revision",
            tr!("revision", "差し替え表示（revision）"),
            &raw.revision,
        ),
        ("unit", tr!("unit", "単位（unit）"), &raw.unit),
    ] {
        if let Some(text) = value {
            found.non_empty(path, &what, text);
        }
    }
    let fiscal_year = raw.fiscal_year.as_deref().and_then(|text| {
        let what = || tr!("fiscal_year", "年度（fiscal_year）");
        year(found, "fiscal_year", what, text)
    });

    let mut roles = vec![DEFAULT_ROLE.to_string(); towns.len()];
    if let Some(map) = raw.roles.take() {
        for (town, role) in entries(found, "roles", || tr!("town", "市町村"), map) {
            let path = format!("roles.{town}");
            found.non_empty(&path, &tr!("role", "役割"), &role);
            match towns.iter().position(|t| *t == town) {
                Some(i) => roles[i] = role,
                None => not_a_member(found, format!("{path}@"), &town, towns),
            }
        }
    }

    let grades = match raw.grades.take() {
        Some(map) => {
            if map.0.is_empty() {
                found.add(
                    "grades",
                    tr!("grades is empty", "評価の凡例（grades）が空です"),
                    Some(tr!(
                        "list each grade and its meaning (A: 目標を達成), or remove the field",
                        "評価とその意味（A: 目標を達成）を並べるか、この項目を削除してください"
                    )),
                );
            }
            let meaning_of = tr!("grade meaning", "評価の意味");
            entries(found, "grades", || tr!("grade", "評価"), map)
                .map(|(key, meaning)| {
                    found.non_empty(&format!("grades.{key}"), &meaning_of, &meaning);
                    Grade { key, meaning }
                })
                .collect()
        }
        None => Vec::new(),
    };

    let directions = match raw.directions.take() {
        Some(list) => {
            if list.is_empty() {
                found.add(
                    "directions",
                    tr!(
                        "directions is an empty list",
                        "今後の方向性（directions）が空のリストです"
                    ),
                    Some(tr!(
                        "list the allowed 今後の方向性 (拡大, 継続, …), or remove the field",
                        "選べる今後の方向性（拡大、継続、…）を並べるか、この項目を削除してください"
                    )),
                );
            }
            let mut seen = HashMap::new();
            for (i, d) in list.iter().enumerate() {
                let path = format!("directions[{i}]");
                found.non_empty(&path, &tr!("direction", "今後の方向性"), d);
                if let Some(first) = seen.insert(d.as_str(), i) {
                    found.add(
                        path,
                        tr!(
                            "direction {d} is listed twice (also directions[{first}])",
                            "今後の方向性 {d} が2回書かれています（directions[{first}] にも）"
                        ),
                        None,
                    );
                }
            }
            list
        }
        None => Vec::new(),
    };

    let notes = raw.notes.take().unwrap_or_default();
    for (i, note) in notes.iter().enumerate() {
        found.non_empty(&format!("notes[{i}]"), &tr!("note", "注記"), note);
    }

    Sphere {
        meeting: raw.meeting.take(),
        fiscal_year,
        revision: raw.revision.take(),
        unit: raw.unit.take().unwrap_or_else(|| DEFAULT_UNIT.into()),
        roles,
        grades,
        directions,
        notes,
    }
}

/// A mapping's entries (the value of `key` is at `{at}.{key}`, the key at
/// `{at}.{key}@`), each repeated key reported at the repeat and left out.
pub(super) fn entries<V>(
    found: &mut Findings,
    at: &(impl Display + ?Sized),
    what: impl Fn() -> Text,
    map: OrderedMap<V>,
) -> impl Iterator<Item = (String, V)> {
    // How many times each key came before (most mappings hold a few keys: comparing
    // them costs less than hashing them).
    let keys = &map.0;
    let repeats: Vec<usize> = if keys.len() <= 16 {
        (0..keys.len())
            .map(|i| keys[..i].iter().filter(|(k, _)| *k == keys[i].0).count())
            .collect()
    } else {
        let mut count: HashMap<&str, usize> = HashMap::new();
        keys.iter()
            .map(|(k, _)| {
                let n = count.entry(k.as_str()).or_insert(0);
                *n += 1;
                *n - 1
            })
            .collect()
    };
    let mut out = Vec::with_capacity(map.0.len());
    for ((key, value), before) in map.0.into_iter().zip(repeats) {
        if before > 0 {
            let (path, n) = (Dotted(at, &key), before + 1);
            let what = what();
            let (en, ja) = (&what.en, &what.ja);
            found.add_with_other(
                format!("{path}@#{n}"),
                tr!(
                    "{en} {key} is given twice",
                    "{ja} {key} が2回書かれています"
                ),
                tr!(
                    "give each once; merge the two lines",
                    "一度だけ書いてください。2行をまとめてください"
                ),
                format!("{path}@"),
            );
            continue;
        }
        out.push((key, value));
    }
    out.into_iter()
}

pub(super) fn not_a_member(found: &mut Findings, path: String, town: &str, towns: &[String]) {
    let hint = match suggest(town, towns.iter().map(String::as_str)) {
        Some(s) => tr!("did you mean {s}?", "{s} のことですか？"),
        None => {
            let members = towns.join("、");
            tr!(
                "the member towns are: {members}",
                "構成市町村は {members} です"
            )
        }
    };
    let message = tr!(
        "{town} is not a member town",
        "{town} は構成市町村ではありません"
    );
    found.add(path, message, Some(hint));
}

/// A member town that must also be one of the project's `ids`: its index, or a problem.
pub(super) fn project_town(
    found: &mut Findings,
    path: impl Display,
    what: impl FnOnce() -> Text,
    town: &str,
    ids: &[TownId],
    context: &Context,
) -> Option<TownId> {
    let towns = context.towns;
    match towns.iter().position(|t| t == town) {
        Some(i) if ids.contains(&TownId(i)) => Some(TownId(i)),
        Some(_) => {
            let names: Vec<&str> = ids.iter().map(|t| towns[t.0].as_str()).collect();
            let what = what();
            let (en, ja, names) = (&what.en, &what.ja, names.join("、"));
            found.add(
                path.to_string(),
                tr!(
                    "{en} {town} is not one of the project's towns",
                    "{ja} {town} はこの事業の関係市町ではありません"
                ),
                Some(tr!(
                    "use one of {names}, or add {town} to the project's towns",
                    "{names} のいずれかにするか、{town} を事業の関係市町に加えてください"
                )),
            );
            None
        }
        None => {
            not_a_member(found, path.to_string(), town, towns);
            None
        }
    }
}

/// The checked project fields that change type (the lead town becomes a [`TownId`]).
pub(super) struct Labels {
    pub lead: Option<TownId>,
}

/// Checks lead, department, grade and direction of the project at `at`.
pub(super) fn project_labels(
    found: &mut Findings,
    at: &str,
    p: &RawProject,
    ids: &[TownId],
    context: &Context,
) -> Labels {
    let lead = p.lead.as_deref().and_then(|town| {
        let what = || tr!("lead", "主担当（lead）");
        project_town(found, Dotted(at, "lead"), what, town, ids, context)
    });
    if let Some(d) = &p.department {
        let what = || tr!("department", "担当課（department）");
        found.non_empty_with(Dotted(at, "department"), what, d);
    }
    let sphere = context.sphere;
    // The declared values are listed (and the paths written) for a problem only.
    if let Some(grade) = p
        .grade
        .as_ref()
        .filter(|g| !sphere.grades.iter().any(|d| d.key == **g))
    {
        let keys: Vec<&str> = sphere.grades.iter().map(|g| g.key.as_str()).collect();
        let what = tr!("grade", "評価");
        one_of(found, format!("{at}.grade"), &what, grade, &keys, "grades");
    }
    let declared = |d: &&String| sphere.directions.contains(d);
    if let Some(direction) = p.direction.as_ref().filter(|d| !declared(d)) {
        let allowed: Vec<&str> = sphere.directions.iter().map(String::as_str).collect();
        let what = tr!("direction", "今後の方向性");
        let path = format!("{at}.direction");
        one_of(found, path, &what, direction, &allowed, "directions");
    }
    Labels { lead }
}

/// Requires `value` to be one of `allowed`, declared at the top under `field`.
fn one_of(
    found: &mut Findings,
    path: String,
    what: &Text,
    value: &str,
    allowed: &[&str],
    field: &str,
) {
    if allowed.contains(&value) {
        return;
    }
    let (en, ja) = (&what.en, &what.ja);
    if allowed.is_empty() {
        found.add(
            path,
            tr!(
                "{en} {value} is given, but the registry declares no {field}",
                "{ja} {value} が書かれていますが、台帳に `{field}:` がありません"
            ),
            Some(tr!(
                "declare `{field}:` at the top of the registry",
                "台帳の先頭に `{field}:` を書いてください"
            )),
        );
        return;
    }
    let names = list(allowed);
    let (all_en, all_ja) = (&names.en, &names.ja);
    let hint = match suggest(value, allowed.iter().copied()) {
        Some(s) => tr!(
            "did you mean {s}? The {field} are: {all_en}",
            "{s} のことですか？ {ja}は {all_ja} です"
        ),
        None => tr!(
            "use one of: {all_en} (or declare it under `{field}:`)",
            "{all_ja} のいずれかにしてください（または `{field}:` に加えてください）"
        ),
    };
    found.add(
        path,
        tr!(
            "{en} {value} is not declared",
            "{ja} {value} は宣言されていません"
        ),
        Some(hint),
    );
}
