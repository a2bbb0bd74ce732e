//! Raw registry → model: the meaning checks, all problems collected in one pass.

use std::collections::HashMap;

use super::findings::Findings;
use super::raw::{RawArea, RawProject, RawRegistry};
use crate::error::Result;
use crate::model::{Category, PolicyArea, Project, Registry, Source, Town, TownId};

/// The statuses of a 定住自立圏 progress table when the registry declares none.
pub const DEFAULT_STATUSES: [&str; 3] = ["実施中", "一部実施中", "準備中"];

/// Excel's limit on sheet names; towns name sheets and files.
pub const MAX_NAME_CHARS: usize = 31;

pub(super) fn validate(raw: RawRegistry, source: Source) -> Result<Registry> {
    let mut found = Findings::default();
    found.non_empty("title", "title", &raw.title);
    found.non_empty("label", "label", &raw.label);
    check_name(&mut found, "label", "label", &raw.label);

    let towns = member_towns(&mut found, &raw);
    let statuses: Vec<String> = match raw.statuses {
        Some(list) => {
            if list.is_empty() {
                found.add(
                    "statuses",
                    "statuses is an empty list",
                    Some("list the statuses projects may have, or remove the field".into()),
                );
            }
            let mut seen = HashMap::new();
            for (i, s) in list.iter().enumerate() {
                let path = format!("statuses[{i}]");
                found.non_empty(&path, "status", s);
                if seen.insert(s.as_str(), i).is_some() {
                    found.add(path, format!("status {s} is listed twice"), None);
                }
            }
            list
        }
        None => DEFAULT_STATUSES.iter().map(|s| s.to_string()).collect(),
    };

    if raw.areas.is_empty() {
        found.add("areas", "the registry has no policy areas", None);
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
                format!("date {date} is not a calendar date from 1900 to 9999"),
                Some("write it as YYYY-MM-DD, e.g. 2024-11-25".into()),
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
        found.add("towns", "the registry lists no member towns", None);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, town) in raw.towns.iter().enumerate() {
        let path = format!("towns[{i}]");
        found.non_empty(&path, "town name", town);
        check_name(found, &path, "town name", town);
        // Excel compares sheet names case-insensitively.
        if let Some(first) = seen.insert(town.to_lowercase(), i) {
            found.add(
                path,
                format!("member town {town} is listed twice (also towns[{first}])"),
                Some("list each member town once".into()),
            );
        }
        if town.to_lowercase() == raw.label.to_lowercase() {
            found.add(
                format!("towns[{i}]"),
                format!("town {town} has the same name as the label; both name a sheet"),
                Some("change the label".into()),
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
    found.non_empty(&format!("{at}.name"), "policy area name", &area.name);
    if area.categories.is_empty() {
        found.add(
            format!("{at}.categories"),
            format!("policy area {} has no categories", area.name),
            Some("add its categories or remove the area".into()),
        );
    }
    let categories = area
        .categories
        .into_iter()
        .enumerate()
        .map(|(ci, cat)| {
            let cat_at = format!("{at}.categories[{ci}]");
            found.non_empty(&format!("{cat_at}.name"), "category name", &cat.name);
            if cat.projects.is_empty() {
                found.add(
                    format!("{cat_at}.projects"),
                    format!("category {} has no projects", cat.name),
                    Some("add its projects or remove the category".into()),
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
    if let Some(first) = numbers.get(&p.number) {
        found.add_with_other(
            format!("{at}.number"),
            format!("project number {} is used twice", p.number),
            "give each project its own number".into(),
            first.clone(),
        );
    } else {
        numbers.insert(p.number, format!("{at}.number"));
    }
    found.non_empty(&format!("{at}.name"), "project name", &p.name);
    // With no statuses declared, that one problem is reported, not one per project.
    if !statuses.is_empty() && !statuses.contains(&p.status) {
        let hint = match suggest(&p.status, statuses.iter().map(String::as_str)) {
            Some(s) => format!(
                "did you mean {s}? The statuses are: {}",
                statuses.join(", ")
            ),
            None => format!(
                "use one of: {} (or declare it under `statuses:`)",
                statuses.join(", ")
            ),
        };
        found.add(
            format!("{at}.status"),
            format!("status {} is not declared", p.status),
            Some(hint),
        );
    }
    if p.towns.is_empty() {
        found.add(
            format!("{at}.towns"),
            format!("project {} lists no towns", p.number),
            Some("list the member towns that take part".into()),
        );
    }
    let mut ids = Vec::with_capacity(p.towns.len());
    for (ti, town) in p.towns.iter().enumerate() {
        let path = format!("{at}.towns[{ti}]");
        match towns.iter().position(|t| t == town) {
            Some(i) if ids.contains(&TownId(i)) => found.add(
                path,
                format!("town {town} is listed twice in project {}", p.number),
                None,
            ),
            Some(i) => ids.push(TownId(i)),
            None => {
                let hint = match suggest(town, towns.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean {s}?"),
                    None => format!("the member towns are: {}", towns.join("、")),
                };
                found.add(path, format!("{town} is not a member town"), Some(hint));
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
fn check_name(found: &mut Findings, path: &str, what: &str, name: &str) {
    if let Err(reason) = is_safe_name(name) {
        found.add(
            path,
            format!("{what} {name:?} {reason}"),
            Some(
                "names become sheet names and file names: use the plain name (e.g. 旭川市)".into(),
            ),
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
pub fn is_safe_name(name: &str) -> std::result::Result<(), String> {
    const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|', '[', ']'];
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || c.is_control())
    {
        return Err(format!(
            "contains {c:?}, which file and sheet names cannot hold"
        ));
    }
    if name.starts_with('.') || name.starts_with('\'') || name.ends_with('\'') {
        return Err("starts with a dot or begins or ends with an apostrophe".into());
    }
    if name != name.trim() {
        return Err("begins or ends with a space".into());
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "is {chars} characters long; Excel sheet names hold at most {MAX_NAME_CHARS}"
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
