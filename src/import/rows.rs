//! The table's rows → areas, categories and projects, with what had to be guessed.

use super::header::{fold, role_of, Header, Role};
use crate::error::Problem;
use crate::tr;
use crate::workbook_in::{cell_problem, Sheet};

/// Where each kind of value is, after resolving spans such as 連携事業名 over
/// category + project, or over number + name.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub area: Option<usize>,
    pub category: Option<usize>,
    pub number: Option<usize>,
    /// The name column; holds `<no> <name>` when `number` is `None`.
    pub name: usize,
    pub status: Option<usize>,
    pub summary: Option<usize>,
    pub towns: Option<usize>,
    /// Columns headed by a town, marking participation; used when `towns` is `None`.
    pub town_marks: Vec<(usize, String)>,
}

/// A project row as read.
#[derive(Debug, Clone)]
pub struct RowProject {
    pub row: usize,
    pub number: Option<u32>,
    pub name: String,
    pub status: String,
    pub summary: String,
    /// Town names as written; `None` for 全市町 (all member towns).
    pub towns: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct RowCategory {
    pub name: String,
    pub row: usize,
    pub projects: Vec<RowProject>,
}

#[derive(Debug, Clone)]
pub struct RowArea {
    pub name: String,
    pub categories: Vec<RowCategory>,
}

/// What reading the rows found.
#[derive(Debug, Default)]
pub struct Table {
    pub areas: Vec<RowArea>,
    /// Rows that could not be read: the import fails.
    pub errors: Vec<Problem>,
    /// What was guessed: reported, the import goes on.
    pub guesses: Vec<Problem>,
}

/// Resolves the header's roles into columns, looking at the data where a span
/// (連携事業名 over two columns) leaves it open.
pub fn columns(sheet: &Sheet, header: &Header) -> Option<Columns> {
    let roles = &header.roles;
    let of = |role: Role| -> Vec<usize> {
        (0..roles.len())
            .filter(|&c| roles[c] == Some(role))
            .collect()
    };
    let mut cols = Columns {
        status: of(Role::Status).first().copied(),
        summary: of(Role::Summary).first().copied(),
        towns: of(Role::Towns).first().copied(),
        category: of(Role::Category).first().copied(),
        number: of(Role::Number).first().copied(),
        ..Columns::default()
    };
    cols.town_marks = of(Role::TownMark)
        .into_iter()
        .map(|c| (c, sheet.text(header.first_row, c).trim().to_string()))
        .collect();
    let areas = of(Role::Area);
    cols.area = areas.first().copied();
    if areas.len() >= 2 && cols.category.is_none() {
        // 政策分野 merged over two columns: area, then category.
        cols.category = Some(areas[1]);
    }
    let span = of(Role::Project);
    let data = header.last_row + 1..sheet.cells.len();
    let name = of(Role::Name).first().copied();
    cols.name = if let Some(name) = name {
        if cols.category.is_none() {
            cols.category = span.iter().copied().find(|&c| c < name);
        }
        name
    } else if span.len() <= 1 {
        *span.first()?
    } else {
        let count = |c: usize, f: &dyn Fn(&str) -> bool| {
            data.clone()
                .filter(|&r| {
                    let t = sheet.text(r, c);
                    !t.is_empty() && f(t)
                })
                .count()
        };
        let filled = |c: usize| count(c, &|_| true);
        let number_col = span.iter().copied().find(|&c| {
            let n = filled(c);
            n > 0 && count(c, &|t| parse_number(t).is_some()) * 10 >= n * 6
        });
        match number_col {
            Some(n) if cols.number.is_none() => {
                cols.number = Some(n);
                let name = span.iter().copied().find(|&c| c > n)?;
                if cols.category.is_none() {
                    cols.category = span.iter().copied().find(|&c| c < n);
                }
                name
            }
            _ => {
                let combined = *span
                    .iter()
                    .max_by_key(|&&c| (count(c, &|t| split_label(t).is_some()), c))?;
                if cols.category.is_none() {
                    cols.category = span.iter().copied().find(|&c| c < combined);
                }
                combined
            }
        }
    };
    Some(cols)
}

/// A project number as people write it: `1`, `１`, `1.`, `(1)`, `①`.
pub fn parse_number(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(c) = t.chars().next().filter(|_| t.chars().count() == 1) {
        if ('①'..='⑳').contains(&c) {
            return Some(c as u32 - '①' as u32 + 1);
        }
    }
    let t: String = t
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '(' | '（' | ')' | '）' | '.' | '．' | '、' | ' ' | '\u{3000}' => None,
            c => Some(c),
        })
        .collect();
    if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// `<no> <name>` → (number, name). The number must be followed by a separator
/// (space, `.`, `)`, `、`), so a name such as 3市町連携事業 is not cut.
pub fn split_label(text: &str) -> Option<(u32, String)> {
    let t = text.trim();
    let mut chars = t.char_indices().peekable();
    if let Some(&(_, c)) = chars.peek() {
        if ('①'..='⑳').contains(&c) {
            let rest = t[c.len_utf8()..].trim();
            return (!rest.is_empty()).then(|| (c as u32 - '①' as u32 + 1, rest.to_string()));
        }
    }
    let open = matches!(chars.peek(), Some(&(_, '(' | '（')));
    if open {
        chars.next();
    }
    let start = chars.peek()?.0;
    let mut end = start;
    let mut digits = String::new();
    while let Some(&(i, c)) = chars.peek() {
        let d = match c {
            '0'..='9' => c,
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
            _ => break,
        };
        digits.push(d);
        end = i + c.len_utf8();
        chars.next();
    }
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let rest = &t[end..];
    let sep = rest.trim_start_matches([' ', '\u{3000}', '.', '．', ')', '）', '、', ':', '：']);
    let closed = !open || rest.starts_with([')', '）']);
    if sep.len() == rest.len() || sep.trim().is_empty() || !closed {
        return None;
    }
    Some((digits.parse().ok()?, sep.trim().to_string()))
}

/// The towns of a 関係市町 cell, split at 、，,・ and line breaks; `None` for 全市町.
pub fn split_towns(text: &str) -> Option<Vec<String>> {
    let all = [
        "全市町",
        "全市町村",
        "全構成市町",
        "全構成市町村",
        "圏域全体",
        "全域",
    ];
    let names: Vec<String> = text
        .split([
            '、', '，', ',', '､', '・', '\n', '\r', '/', '／', ' ', '\u{3000}',
        ])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if names.len() == 1 && all.contains(&fold(&names[0]).as_str()) {
        return None;
    }
    Some(names)
}

/// Reads every row under the header.
pub fn read(sheet: &Sheet, header: &Header, cols: &Columns) -> Table {
    let mut table = Table::default();
    let s = &sheet.name;
    let own = |r: usize, c: Option<usize>| c.map_or("", |c| sheet.text(r, c).trim());
    // A cell that starts a merged range over more than one row opens a new group
    // even when its text equals the group before; except at the top of a printed
    // page, where shiryo's sheet splits a group's merged cell and repeats its text.
    let starts_merge = |r: usize, c: usize| {
        sheet
            .merge_at(r, c)
            .is_some_and(|d| d.start.0 as usize == r && d.end.0 > d.start.0)
            && sheet.page_starts.binary_search(&r).is_err()
    };
    let data_cols: Vec<usize> = [
        cols.number,
        Some(cols.name),
        cols.status,
        cols.summary,
        cols.towns,
    ]
    .into_iter()
    .flatten()
    .collect();
    let no_category = cols.category.is_none();
    let mut warned_no_category = false;
    for r in header.last_row + 1..sheet.cells.len() {
        // A project cell merged down from the row above: this row continues that project.
        if let Some(d) = sheet.merge_at(r, cols.name) {
            if (d.start.0 as usize) < r {
                let extra = own(r, cols.summary);
                if let Some(p) = last_project(&mut table) {
                    if !extra.is_empty() {
                        p.summary = format!("{}\n{extra}", p.summary);
                        table.guesses.push(cell_problem(
                            s,
                            r,
                            cols.summary.unwrap_or(0),
                            tr!(
                                "summary continues the project merged above; joined with a line break",
                                "上の行と結合された事業の概要の続きです。改行でつなぎました"
                            ),
                        ));
                    }
                }
                continue;
            }
        }
        let area_text = own(r, cols.area);
        let cat_text = own(r, cols.category);
        let data_text: Vec<&str> = data_cols
            .iter()
            .map(|&c| sheet.text(r, c).trim())
            .filter(|t| !t.is_empty())
            .collect();
        // The row's own width: Sheet::width scans every row (quadratic in a loop).
        let first_text = (0..sheet.row_width(r))
            .map(|c| sheet.text(r, c).trim())
            .find(|t| !t.is_empty());
        let Some(first_text) = first_text else {
            continue; // blank row
        };
        let is_header = (0..sheet.row_width(r))
            .filter(|&c| !sheet.text(r, c).trim().is_empty())
            .all(|c| role_of(sheet.text(r, c)).is_some());
        if is_header {
            continue; // the header repeated (a printed page's copy)
        }
        if first_text.starts_with(['※', '注', '＊', '*']) || first_text.starts_with("（注") {
            table.guesses.push(cell_problem(s, r, first_col(sheet, r), {
                let t = short(first_text);
                tr!(
                    "「{t}」 read as a note under the table, not a project",
                    "「{t}」 は表の下の注記とみなし、事業として読みません"
                )
            }));
            continue;
        }

        // Area and category: a new group where the cell has its own text.
        if !area_text.is_empty() {
            let col = cols.area.unwrap_or(0);
            let same = table.areas.last().is_some_and(|a| a.name == area_text);
            if !same || starts_merge(r, col) {
                table.areas.push(RowArea {
                    name: area_text.to_string(),
                    categories: Vec::new(),
                });
            }
        }
        let category_name = if no_category {
            table
                .areas
                .last()
                .map(|a| a.name.clone())
                .unwrap_or_default()
        } else {
            cat_text.to_string()
        };
        if data_text.is_empty() {
            // A row with only area or category text: their label before the projects.
            if !cat_text.is_empty() {
                if let Some(area) = table.areas.last_mut() {
                    area.categories.push(RowCategory {
                        name: category_name,
                        row: r,
                        projects: Vec::new(),
                    });
                }
            } else if area_text.is_empty() {
                table.guesses.push(cell_problem(s, r, first_col(sheet, r), {
                    let t = short(first_text);
                    tr!(
                        "「{t}」 is outside the table's columns; not read",
                        "「{t}」 は表の列の外にあるため読みません"
                    )
                }));
            }
            continue;
        }
        let Some(area) = table.areas.last_mut() else {
            table.errors.push(cell_problem(
                s,
                r,
                cols.area.unwrap_or(0),
                tr!(
                    "this project has no 政策分野 (policy area): the cell and those above are empty",
                    "この事業には政策分野がありません（このセルも上のセルも空です）"
                ),
            ));
            continue;
        };
        let new_category = !category_name.is_empty()
            && (area
                .categories
                .last()
                .is_none_or(|c| c.name != category_name)
                || cols.category.is_some_and(|c| starts_merge(r, c)));
        if new_category {
            area.categories.push(RowCategory {
                name: category_name.clone(),
                row: r,
                projects: Vec::new(),
            });
        }
        if no_category && !warned_no_category {
            warned_no_category = true;
            table.guesses.push(cell_problem(
                s,
                r,
                cols.area.unwrap_or(0),
                tr!(
                    "the table has no category column: each policy area becomes one category of the same name",
                    "表に区分の列がないため、政策分野ごとに同じ名前の区分を一つ作りました"
                ),
            ));
        }
        let Some(category) = area.categories.last_mut() else {
            table.errors.push(cell_problem(
                s,
                r,
                cols.category.unwrap_or(0),
                tr!(
                    "this project has no category: the cell and those above it in this policy area are empty",
                    "この事業には区分がありません（この政策分野でこのセルも上のセルも空です）"
                ),
            ));
            continue;
        };
        match project(sheet, r, cols, &mut table.errors) {
            Some(p) => category.projects.push(p),
            None => continue,
        }
    }
    // Empty categories (a label row with no projects under it) are dropped.
    for area in &mut table.areas {
        for c in area.categories.iter().filter(|c| c.projects.is_empty()) {
            table
                .guesses
                .push(cell_problem(s, c.row, cols.category.unwrap_or(0), {
                    let name = &c.name;
                    tr!(
                        "category 「{name}」 has no projects under it; left out",
                        "区分「{name}」 の下に事業がないため、入れていません"
                    )
                }));
        }
        area.categories.retain(|c| !c.projects.is_empty());
    }
    table.areas.retain(|a| !a.categories.is_empty());
    table
}

fn last_project(table: &mut Table) -> Option<&mut RowProject> {
    table
        .areas
        .last_mut()?
        .categories
        .last_mut()?
        .projects
        .last_mut()
}

fn first_col(sheet: &Sheet, r: usize) -> usize {
    (0..sheet.row_width(r))
        .find(|&c| !sheet.text(r, c).trim().is_empty())
        .unwrap_or(0)
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(24).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else {
        t
    }
}

/// One project row; `None` (with an error) when it cannot be read.
fn project(
    sheet: &Sheet,
    r: usize,
    cols: &Columns,
    errors: &mut Vec<Problem>,
) -> Option<RowProject> {
    let s = &sheet.name;
    let raw_name = sheet.text(r, cols.name).trim();
    let (number, name) = match cols.number {
        Some(n) => {
            let text = sheet.text(r, n).trim();
            let number = parse_number(text);
            if number.is_none() && !text.is_empty() {
                errors.push(cell_problem(s, r, n, {
                    let t = short(text);
                    tr!(
                        "「{t}」 is not a project number",
                        "「{t}」 は事業番号ではありません"
                    )
                }));
                return None;
            }
            (number, raw_name.to_string())
        }
        None => match split_label(raw_name) {
            Some((n, name)) => (Some(n), name),
            None => (None, raw_name.to_string()),
        },
    };
    if name.is_empty() {
        errors.push(cell_problem(
            s,
            r,
            cols.name,
            tr!(
                "this row has project data but no project name",
                "この行には事業の内容がありますが、事業名がありません"
            ),
        ));
        return None;
    }
    let status = cols
        .status
        .map_or(String::new(), |c| sheet.text(r, c).trim().to_string());
    if status.is_empty() {
        errors.push(cell_problem(s, r, cols.status.unwrap_or(cols.name), {
            let n = short(&name);
            tr!(
                "project 「{n}」 has no 取組状況 (status)",
                "事業「{n}」 に取組状況がありません"
            )
        }));
        return None;
    }
    let towns = if cols.towns.is_none() && !cols.town_marks.is_empty() {
        let marked = |t: &str| !t.is_empty() && !matches!(t, "×" | "-" | "－" | "―" | "0");
        Some(
            cols.town_marks
                .iter()
                .filter(|(c, _)| marked(sheet.text(r, *c).trim()))
                .map(|(_, name)| name.clone())
                .collect(),
        )
    } else {
        split_towns(cols.towns.map_or("", |c| sheet.text(r, c)))
    };
    if towns.as_ref().is_some_and(Vec::is_empty) {
        errors.push(cell_problem(s, r, cols.towns.unwrap_or(cols.name), {
            let n = short(&name);
            tr!(
                "project 「{n}」 has no 関係市町 (towns)",
                "事業「{n}」 に関係市町がありません"
            )
        }));
        return None;
    }
    Some(RowProject {
        row: r,
        number,
        name,
        status,
        summary: cols
            .summary
            .map_or(String::new(), |c| trim_lines(sheet.text(r, c))),
        towns,
    })
}

/// Text without white space around it (a cell's trailing line break is a typing slip).
fn trim_lines(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_write_them() {
        assert_eq!(parse_number("1"), Some(1));
        assert_eq!(parse_number("１２"), Some(12));
        assert_eq!(parse_number("3."), Some(3));
        assert_eq!(parse_number("(4)"), Some(4));
        assert_eq!(parse_number("⑤"), Some(5));
        assert_eq!(parse_number("一"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn labels_split_at_a_separator_only() {
        assert_eq!(
            split_label("1 二次救急医療の連携"),
            Some((1, "二次救急医療の連携".into()))
        );
        assert_eq!(
            split_label("１２　消費生活相談"),
            Some((12, "消費生活相談".into()))
        );
        assert_eq!(split_label("3. 相談"), Some((3, "相談".into())));
        assert_eq!(split_label("(4) 相談"), Some((4, "相談".into())));
        assert_eq!(split_label("⑤相談"), Some((5, "相談".into())));
        assert_eq!(split_label("3市町連携事業"), None);
        assert_eq!(split_label("二次救急"), None);
        assert_eq!(split_label("7 "), None);
    }

    #[test]
    fn towns_split_at_every_separator() {
        let t = split_towns("旭川市、鷹栖町，東神楽町・当麻町\n比布町,愛別町\r\n上川町").unwrap();
        assert_eq!(
            t,
            [
                "旭川市",
                "鷹栖町",
                "東神楽町",
                "当麻町",
                "比布町",
                "愛別町",
                "上川町"
            ]
        );
        assert_eq!(split_towns("全市町"), None);
        assert_eq!(split_towns(""), Some(vec![]));
    }
}
