//! Raw registry → model: the meaning checks, all problems collected in one pass.

use std::collections::HashMap;

use super::findings::Findings;
use super::raw::{RawArea, RawProject, RawRegistry};
use crate::error::Result;
use crate::i18n::Text;
use crate::model::{Category, PolicyArea, Project, Registry, Source, Town, TownId};
use crate::tr;

/// The statuses of a 定住自立圏 progress table when the registry declares none.
pub const DEFAULT_STATUSES: [&str; 3] = ["実施中", "一部実施中", "準備中"];

/// Excel's limit on sheet names; towns name sheets and files.
pub const MAX_NAME_CHARS: usize = 31;

pub(super) fn validate(raw: RawRegistry, source: Source) -> Result<Registry> {
    let mut found = Findings::default();
    found.non_empty("title", &tr!("title", "表題（title）"), &raw.title);
    found.non_empty("label", &tr!("label", "ラベル（label）"), &raw.label);
    check_name(&mut found, "label", &tr!("label", "ラベル"), &raw.label);

    let towns = member_towns(&mut found, &raw);
    let statuses: Vec<String> = match raw.statuses {
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
    let mut numbers: HashMap<u32, String> = HashMap::new();
    let areas: Vec<PolicyArea> = raw
        .areas
        .into_iter()
        .enumerate()
        .map(|(ai, area)| policy_area(&mut found, ai, area, &towns, &statuses, &mut numbers))
        .collect();

    let timestamp = match &raw.date {
        Some(date) => date_timestamp(date).unwrap_or_else(|| {
            found.add(
                "date",
                tr!(
                    "date {date} is not a calendar date from 1900 to 9999",
                    "日付 {date} は1900年から9999年までの暦の日付ではありません"
                ),
                Some(tr!(
                    "write it as YYYY-MM-DD, e.g. 2024-11-25",
                    "YYYY-MM-DD の形で書いてください（例: 2024-11-25）"
                )),
            );
            0
        }),
        None => source_date_epoch(),
    };

    if !found.0.is_empty() {
        return Err(found.into_error(&source));
    }
    Ok(Registry {
        source,
        title: raw.title,
        label: raw.label,
        author: raw.author,
        meeting: raw.meeting,
        timestamp,
        towns: towns.into_iter().map(|name| Town { name }).collect(),
        statuses,
        areas,
    })
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

fn policy_area(
    found: &mut Findings,
    ai: usize,
    area: RawArea,
    towns: &[String],
    statuses: &[String],
    numbers: &mut HashMap<u32, String>,
) -> PolicyArea {
    let at = format!("areas[{ai}]");
    let what = tr!("policy area name", "政策分野名");
    found.non_empty(&format!("{at}.name"), &what, &area.name);
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
            let what = tr!("category name", "分類名");
            found.non_empty(&format!("{cat_at}.name"), &what, &cat.name);
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
                .map(|(pi, p)| {
                    project(
                        found,
                        format!("{cat_at}.projects[{pi}]"),
                        p,
                        towns,
                        statuses,
                        numbers,
                    )
                })
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
    p: RawProject,
    towns: &[String],
    statuses: &[String],
    numbers: &mut HashMap<u32, String>,
) -> Project {
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
            first.clone(),
        );
    } else {
        numbers.insert(p.number, format!("{at}.number"));
    }
    found.non_empty(
        &format!("{at}.name"),
        &tr!("project name", "事業名"),
        &p.name,
    );
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
        let path = format!("{at}.towns[{ti}]");
        match towns.iter().position(|t| t == town) {
            Some(i) if ids.contains(&TownId(i)) => found.add(
                path,
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
                    path,
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
    Project {
        number: p.number,
        name: p.name,
        status: p.status,
        summary: p.summary.unwrap_or_default(),
        towns: ids,
        at,
    }
}

/// Refuses names that cannot be a file name in `towns/` and a sheet name at once,
/// rather than silently renaming: the user sees exactly which name to change.
fn check_name(found: &mut Findings, path: &str, what: &Text, name: &str) {
    if let Err(reason) = is_safe_name(name) {
        let (what_en, what_ja, en, ja) = (&what.en, &what.ja, &reason.en, &reason.ja);
        found.add(
            path,
            tr!("{what_en} {name:?} {en}", "{what_ja} {name:?} は{ja}"),
            Some(tr!(
                "names become sheet names and file names: use the plain name (e.g. 旭川市)",
                "名前はシート名とファイル名になります。記号のない名前にしてください（例: 旭川市）"
            )),
        );
    }
}

/// Whether `name` can name a file in one folder and an Excel sheet, and why not.
///
/// ```
/// assert!(shiryo::registry::is_safe_name("東神楽町").is_ok());
/// assert!(shiryo::registry::is_safe_name("../x").is_err());
/// assert!(shiryo::registry::is_safe_name("[資料]").is_err());
/// ```
pub fn is_safe_name(name: &str) -> std::result::Result<(), Text> {
    const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|', '[', ']'];
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || c.is_control())
    {
        return Err(tr!(
            "contains {c:?}, which file and sheet names cannot hold",
            "ファイル名やシート名に使えない {c:?} を含んでいます"
        ));
    }
    if name.starts_with('.') || name.starts_with('\'') || name.ends_with('\'') {
        return Err(tr!(
            "starts with a dot or begins or ends with an apostrophe",
            "点で始まるか、アポストロフィで始まるか終わっています"
        ));
    }
    if name != name.trim() {
        return Err(tr!(
            "begins or ends with a space",
            "空白で始まるか終わっています"
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(tr!(
            "is {chars} characters long; Excel sheet names hold at most {MAX_NAME_CHARS}",
            "長さが {chars} 文字です。Excel のシート名は {MAX_NAME_CHARS} 文字までです"
        ));
    }
    Ok(())
}

/// The candidate closest to `word`, if close enough to be what was meant.
///
/// ```
/// let towns = ["旭川市", "鷹栖町", "東神楽町"];
/// assert_eq!(shiryo::registry::suggest("旭川", towns), Some("旭川市"));
/// assert_eq!(shiryo::registry::suggest("札幌市", towns), None);
/// ```
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|&(d, c)| {
            let longest = len.max(c.chars().count());
            d <= (longest / 2).max(1)
                || (!word.is_empty() && (c.contains(word) || word.contains(c)))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The dates both outputs can hold: Excel's calendar runs from 1900 to 9999.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// Seconds since 1970 of midnight UTC on `YYYY-MM-DD`, a date of [`YEARS`].
fn date_timestamp(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok().filter(|y| YEARS.contains(y))?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
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

    #[test]
    fn dates_become_midnight_utc() {
        assert_eq!(date_timestamp("1970-01-02"), Some(86_400));
        assert_eq!(date_timestamp("2011-11-01"), Some(1_320_105_600));
        assert_eq!(date_timestamp("2011-02-30"), None);
        assert_eq!(date_timestamp("令和6年"), None);
        // Found by fuzzing: Excel cannot hold the year 1005.
        assert_eq!(date_timestamp("1005-11-01"), None);
        assert_eq!(date_timestamp("9999-12-31"), Some(253_402_214_400));
    }

    #[test]
    fn unsafe_names_are_refused() {
        for bad in [
            "../x",
            "a/b",
            "[資料]",
            "*",
            ".",
            "..",
            " 旭川市",
            "a\tb",
            "'x'",
        ] {
            assert!(is_safe_name(bad).is_err(), "{bad:?}");
        }
        assert!(is_safe_name(&"町".repeat(32)).is_err());
        assert!(is_safe_name(&"町".repeat(31)).is_ok());
    }

    #[test]
    fn suggestions_need_a_close_name() {
        let statuses = DEFAULT_STATUSES;
        assert_eq!(suggest("実施", statuses), Some("実施中"));
        assert_eq!(suggest("一部実施", statuses), Some("一部実施中"));
        assert_eq!(suggest("完了", statuses), None);
    }
}
