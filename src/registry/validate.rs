//! Raw registry → model: the meaning checks, all problems collected in one pass.

use std::collections::HashMap;

use super::figures;
use super::findings::{Dotted, Findings};
use super::halves;
use super::names::{check_name, suggest};
use super::raw::{RawArea, RawProject, RawRegistry, TOP_LEVEL};
use super::sphere::{self, Sphere};
use super::stream::IgnoredKey;
use crate::error::{Problem, Result};
use crate::model::{Category, PolicyArea, Project, Registry, Source, Town, TownId};
use crate::tr;

/// The statuses of a 定住自立圏 progress table when the registry declares none.
pub const DEFAULT_STATUSES: [&str; 3] = ["実施中", "一部実施中", "準備中"];

/// Excel's limit on sheet names; towns name sheets and files.
pub const MAX_NAME_CHARS: usize = 31;

/// What projects are checked against, from the registry's top level.
pub(super) struct Context<'a> {
    /// Member towns in print order.
    pub towns: &'a [String],
    pub statuses: &'a [String],
    pub sphere: &'a Sphere,
}

/// Values that must be unique over all projects, with the project (its path) that
/// first had each.
#[derive(Default)]
pub(super) struct Seen {
    pub numbers: HashMap<u32, String>,
    pub ids: HashMap<String, String>,
}

/// Warnings for the top-level keys shiryo does not read: most are extras a registry may
/// carry (`author`, notes for people), some are typos (`data:` for `date:`). A key
/// whose value defines an anchor (`x: &x …`) is a place for what aliases use: no warning.
pub(super) fn ignored_keys(keys: Vec<IgnoredKey>) -> Vec<Problem> {
    keys.into_iter()
        .filter(|k| !k.anchored)
        .map(|IgnoredKey { key, at, .. }| {
            let help = match suggest(&key, TOP_LEVEL.iter().copied()) {
                Some(s) => tr!("did you mean `{s}`?", "`{s}` のことですか？"),
                None => {
                    let names = TOP_LEVEL.join(", ");
                    tr!(
                        "registries may carry fields of their own; the ones shiryo reads are {names}",
                        "台帳には独自の項目を書けます。shiryo が読む項目は {names} です"
                    )
                }
            };
            Problem::new(
                at,
                tr!(
                    "top-level key `{key}` is not one shiryo reads; it is ignored",
                    "最上位の項目 `{key}` は shiryo が読まない項目のため、無視します"
                ),
            )
            .with_help(help)
        })
        .collect()
}

/// The model of `raw`, or every problem found. With `two_threads`, the second half of
/// the areas is checked on another thread; `None` when that half holds a problem (or
/// shares a number or id with the first): ask again on one thread, which finds every
/// problem in its order. Without `two_threads`, never `None`.
pub(super) fn validate(
    mut raw: RawRegistry,
    source: Source,
    ignored: Vec<Problem>,
    two_threads: bool,
) -> Option<Result<Registry>> {
    let mut found = Findings::default();
    found.non_empty("title", &tr!("title", "表題（title）"), &raw.title);
    // The title is printed on one line; an escaped "\n" would print as an empty box.
    if let Some(c) = raw.title.chars().find(|c| c.is_control()) {
        let code = c as u32;
        found.add(
            "title",
            tr!(
                "the title holds the control character U+{code:04X}; it is printed on one line",
                "表題に制御文字 U+{code:04X} が含まれています。表題は一行で印刷されます"
            ),
            Some(tr!(
                "write the title on one line, without \\n or \\r",
                "表題は \\n や \\r を使わず一行で書いてください"
            )),
        );
    }
    found.non_empty("label", &tr!("label", "ラベル（label）"), &raw.label);
    check_name(&mut found, "label", &tr!("label", "ラベル"), &raw.label);

    let towns = member_towns(&mut found, &raw);
    let statuses: Vec<String> = match raw.statuses.take() {
        Some(list) => {
            if list.is_empty() {
                found.add(
                    "statuses",
                    tr!("statuses is an empty list", "statuses が空のリストです"),
                    Some(tr!(
                        "list the statuses projects may have, or remove the field",
                        "事業がとりうる取組状況を並べるか、この項目を削除してください"
                    )),
                );
            }
            let mut seen = HashMap::new();
            for (i, s) in list.iter().enumerate() {
                let path = format!("statuses[{i}]");
                found.non_empty(&path, &tr!("status", "取組状況"), s);
                if seen.insert(s.as_str(), i).is_some() {
                    found.add(
                        path,
                        tr!(
                            "status {s} is listed twice",
                            "取組状況 {s} が2回書かれています"
                        ),
                        None,
                    );
                }
            }
            list
        }
        None => DEFAULT_STATUSES.iter().map(|s| s.to_string()).collect(),
    };

    let sphere = sphere::top_level(&mut found, &mut raw, &towns);

    if raw.areas.is_empty() {
        found.add(
            "areas",
            tr!(
                "the registry has no policy areas",
                "政策分野（areas）が一つもありません"
            ),
            None,
        );
    }
    let context = Context {
        towns: &towns,
        statuses: &statuses,
        sphere: &sphere,
    };
    let raw_areas = std::mem::take(&mut raw.areas);
    let areas = if two_threads {
        halves::two_halves(&mut found, raw_areas, &context)?
    } else {
        halves::areas(&mut found, 0, raw_areas, &context, &mut Seen::default())
    };

    let date = raw.date.as_deref().and_then(|date| {
        let parsed = calendar_date(date);
        if parsed.is_none() {
            found.add(
                "date",
                tr!(
                    "date {date} is not a calendar date from 1900 to 9999",
                    "日付 {date} は1900年から9999年までの暦の日付ではありません"
                ),
                Some(tr!(
                    "write it as YYYY-MM-DD, e.g. 2024-11-25, or in 和暦: 令和6年11月25日",
                    "YYYY-MM-DD の形（例: 2024-11-25）か和暦（例: 令和6年11月25日）で書いてください"
                )),
            );
        }
        parsed
    });
    let timestamp = match date {
        Some(d) => d.midnight().assume_utc().unix_timestamp(),
        None => source_date_epoch(),
    };

    if !found.0.is_empty() {
        return Some(Err(found.into_error_with(&source, ignored)));
    }
    Some(Ok(Registry {
        source,
        title: raw.title,
        label: raw.label,
        author: raw.author,
        meeting: sphere.meeting,
        timestamp,
        date,
        fiscal_year: sphere.fiscal_year,
        revision: sphere.revision,
        unit: sphere.unit,
        towns: towns
            .into_iter()
            .zip(sphere.roles)
            .map(|(name, role)| Town { name, role })
            .collect(),
        statuses,
        grades: sphere.grades,
        directions: sphere.directions,
        notes: sphere.notes,
        areas,
        warnings: ignored,
    }))
}

fn member_towns(found: &mut Findings, raw: &RawRegistry) -> Vec<String> {
    if raw.towns.is_empty() {
        found.add(
            "towns",
            tr!(
                "the registry lists no member towns",
                "構成市町村（towns）が一つもありません"
            ),
            None,
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, town) in raw.towns.iter().enumerate() {
        let path = format!("towns[{i}]");
        found.non_empty(&path, &tr!("town name", "市町村名"), town);
        check_name(found, &path, &tr!("town name", "市町村名"), town);
        // Town lists are printed joined by 、: a name holding one reads as two towns.
        if let Some(sep) = town.chars().find(|c| matches!(c, '、' | '，' | ',')) {
            found.add(
                path.clone(),
                tr!(
                    "town name {town:?} contains {sep:?}, which separates towns in the printed lists",
                    "市町村名 {town:?} に、一覧で市町村を区切る {sep:?} が含まれています"
                ),
                Some(tr!(
                    "list each town as its own item: towns: [旭川市, 鷹栖町]",
                    "市町村は一つずつ項目にしてください（towns: [旭川市, 鷹栖町]）"
                )),
            );
        }
        // Excel compares sheet names case-insensitively.
        if let Some(first) = seen.insert(town.to_lowercase(), i) {
            found.add(
                path,
                tr!(
                    "member town {town} is listed twice (also towns[{first}])",
                    "構成市町村 {town} が2回書かれています（towns[{first}] にも）"
                ),
                Some(tr!(
                    "list each member town once",
                    "構成市町村は一度だけ書いてください"
                )),
            );
        }
        if town.to_lowercase() == raw.label.to_lowercase() {
            found.add(
                format!("towns[{i}]"),
                tr!(
                    "town {town} has the same name as the label; both name a sheet",
                    "市町村 {town} がラベルと同じ名前です。どちらもシート名になります"
                ),
                Some(tr!("change the label", "ラベルを変えてください")),
            );
        }
    }
    raw.towns.clone()
}

pub(super) fn policy_area(
    found: &mut Findings,
    ai: usize,
    area: RawArea,
    context: &Context,
    seen: &mut Seen,
) -> PolicyArea {
    let at = format!("areas[{ai}]");
    let what = || tr!("policy area name", "政策分野名");
    found.non_empty_with(Dotted(&at, "name"), what, &area.name);
    if area.categories.is_empty() {
        let name = &area.name;
        found.add(
            format!("{at}.categories"),
            tr!(
                "policy area {name} has no categories",
                "政策分野 {name} に分類（categories）がありません"
            ),
            Some(tr!(
                "add its categories or remove the area",
                "分類を加えるか、この政策分野を削除してください"
            )),
        );
    }
    let categories = area
        .categories
        .into_iter()
        .enumerate()
        .map(|(ci, cat)| {
            let cat_at = format!("{at}.categories[{ci}]");
            let what = || tr!("category name", "分類名");
            found.non_empty_with(Dotted(&cat_at, "name"), what, &cat.name);
            if cat.projects.is_empty() {
                let name = &cat.name;
                found.add(
                    format!("{cat_at}.projects"),
                    tr!(
                        "category {name} has no projects",
                        "分類 {name} に事業（projects）がありません"
                    ),
                    Some(tr!(
                        "add its projects or remove the category",
                        "事業を加えるか、この分類を削除してください"
                    )),
                );
            }
            let projects = cat
                .projects
                .into_iter()
                .enumerate()
                .map(|(pi, p)| project(found, format!("{cat_at}.projects[{pi}]"), p, context, seen))
                .collect();
            Category {
                name: cat.name,
                projects,
                at: cat_at,
            }
        })
        .collect();
    PolicyArea {
        name: area.name,
        categories,
        at,
    }
}

fn project(
    found: &mut Findings,
    at: String,
    mut p: RawProject,
    context: &Context,
    seen: &mut Seen,
) -> Project {
    let (towns, statuses) = (context.towns, context.statuses);
    let numbers = &mut seen.numbers;
    let number = p.number;
    if let Some(first) = numbers.get(&number) {
        found.add_with_other(
            format!("{at}.number"),
            tr!(
                "project number {number} is used twice",
                "事業番号 {number} が2回使われています"
            ),
            tr!(
                "give each project its own number",
                "事業ごとに別の番号を付けてください"
            ),
            format!("{first}.number"),
        );
    } else {
        numbers.insert(p.number, at.clone());
    }
    found.non_empty_with(
        Dotted(&at, "name"),
        || tr!("project name", "事業名"),
        &p.name,
    );
    // A summary keeps its line breaks (\n); any other control character (an escaped
    // \r, \t, \x07) would print as an empty box.
    let number = p.number;
    let texts = [
        ("name", &p.name),
        ("summary", p.summary.as_ref().unwrap_or(&p.name)),
    ];
    for (field, text) in texts {
        if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
            let code = c as u32;
            found.add(
                format!("{at}.{field}"),
                tr!(
                    "project {number} {field} holds the control character U+{code:04X}",
                    "事業 {number} の {field} に制御文字 U+{code:04X} が含まれています"
                ),
                Some(tr!(
                    "delete it; for a line break in a summary write it as a block (summary: |)",
                    "削除してください。事業概要の改行はブロック形式（summary: |）で書きます"
                )),
            );
        }
    }
    // With no statuses declared, that one problem is reported, not one per project.
    if !statuses.is_empty() && !statuses.contains(&p.status) {
        let (en, ja) = (statuses.join(", "), statuses.join("、"));
        let hint = match suggest(&p.status, statuses.iter().map(String::as_str)) {
            Some(s) => tr!(
                "did you mean {s}? The statuses are: {en}",
                "{s} のことですか？ 取組状況は {ja} です"
            ),
            None => tr!(
                "use one of: {en} (or declare it under `statuses:`)",
                "{ja} のいずれかにしてください（または `statuses:` に加えてください）"
            ),
        };
        let status = &p.status;
        found.add(
            format!("{at}.status"),
            tr!(
                "status {status} is not declared",
                "取組状況 {status} は宣言されていません"
            ),
            Some(hint),
        );
    }
    if p.towns.is_empty() {
        found.add(
            format!("{at}.towns"),
            tr!(
                "project {number} lists no towns",
                "事業 {number} に関係市町（towns）がありません"
            ),
            Some(tr!(
                "list the member towns that take part",
                "参加する構成市町村を書いてください"
            )),
        );
    }
    let mut ids = Vec::with_capacity(p.towns.len());
    for (ti, town) in p.towns.iter().enumerate() {
        let path = || format!("{at}.towns[{ti}]");
        match towns.iter().position(|t| t == town) {
            Some(i) if ids.contains(&TownId(i)) => found.add(
                path(),
                tr!(
                    "town {town} is listed twice in project {number}",
                    "市町村 {town} が事業 {number} に2回書かれています"
                ),
                None,
            ),
            Some(i) => ids.push(TownId(i)),
            None => {
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
                found.add(
                    path(),
                    tr!(
                        "{town} is not a member town",
                        "{town} は構成市町村ではありません"
                    ),
                    Some(hint),
                );
            }
        }
    }
    ids.sort();
    if let Some(id) = &p.id {
        found.non_empty_with(Dotted(&at, "id"), || tr!("id", "id"), id);
        match seen.ids.get(id) {
            Some(first) => found.add_with_other(
                format!("{at}.id"),
                tr!(
                    "project id {id} is used twice",
                    "事業 id {id} が2回使われています"
                ),
                tr!(
                    "give each project its own id (it matches projects across years)",
                    "事業ごとに別の id を付けてください（年度をまたいで事業を対応づけます）"
                ),
                format!("{first}.id"),
            ),
            None => {
                seen.ids.insert(id.clone(), at.clone());
            }
        }
    }
    let labels = sphere::project_labels(found, &at, &p, &ids, context);
    let kpis = figures::kpis(found, &at, p.kpis.take().unwrap_or_default());
    let budget = figures::budget(found, &at, p.budget.take(), &ids, context);
    Project {
        number: p.number,
        name: p.name,
        status: p.status,
        summary: p.summary.unwrap_or_default(),
        towns: ids,
        at,
        id: p.id,
        lead: labels.lead,
        department: p.department,
        grade: p.grade,
        direction: p.direction,
        kpis,
        budget,
    }
}

/// The dates both outputs can hold: Excel's calendar runs from 1900 to 9999.
const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// The calendar date `YYYY-MM-DD` (or in 和暦, 令和7年11月20日) of [`DATE_YEARS`].
fn calendar_date(date: &str) -> Option<time::Date> {
    if let Some(day) = crate::wareki::parse_date(date) {
        return DATE_YEARS.contains(&day.year()).then_some(day);
    }
    let mut parts = date.trim().splitn(3, '-');
    let year: i32 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| DATE_YEARS.contains(y))?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    time::Date::from_calendar_date(year, month, day).ok()
}

/// The reproducible-builds convention for a fixed build date; 0 (1970-01-01) when
/// unset, invalid or past 9999.
fn source_date_epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .filter(|t| (0..=253_402_300_799).contains(t))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_timestamp(text: &str) -> Option<i64> {
        calendar_date(text).map(|d| d.midnight().assume_utc().unix_timestamp())
    }

    #[test]
    fn dates_become_midnight_utc() {
        assert_eq!(date_timestamp("1970-01-02"), Some(86_400));
        assert_eq!(date_timestamp("2011-11-01"), Some(1_320_105_600));
        assert_eq!(date_timestamp("2011-02-30"), None);
        assert_eq!(date_timestamp("令和6年"), None);
        assert_eq!(
            date_timestamp("令和元年5月1日"),
            date_timestamp("2019-05-01")
        );
        assert_eq!(date_timestamp("平成31年5月1日"), None);
        // Found by fuzzing: Excel cannot hold the year 1005.
        assert_eq!(date_timestamp("1005-11-01"), None);
        assert_eq!(date_timestamp("9999-12-31"), Some(253_402_214_400));
    }
}
