//! `shiryo import`: a workbook laid out like 資料2 (shiryo's own, or typed by hand) →
//! registry YAML.
//!
//! ```text
//! xlsx ─ workbook_in (checked zip, cells, merges, hidden columns)
//!      ─ header   (the header row found by its labels; what each column holds)
//!      ─ rows     (areas, categories, projects; merged or first-row-only labels)
//!      ─ members  (the member list: 参加状況 / town sheets / a 構成市町 line / the cells)
//!      ─ numbers  (each project's number and towns)
//!      ─ beyond   (ID, 主担当, … from データ; KPIs from 成果指標; budgets from 事業費)
//!      ─ sphere   (fiscal year, roles, grade legend, … from the document properties)
//!      ─ emit     (YAML text) ─ registry::parse (the result must pass `shiryo check`)
//! ```
//! What had to be guessed is reported at its cell (`資料2!C7: …`) and the import goes
//! on; a row that cannot be read fails the import, so no project is dropped silently.

mod beyond;
mod emit;
pub mod header;
mod numbers;
pub mod rows;
pub mod sphere;
pub mod unwrap;

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::i18n::Text;
use crate::model::Registry;
use crate::registry::{self, is_safe_name};
use crate::tr;
use crate::workbook_in::{cell_problem, file_error, Book, Sheet};

use header::{fold, Header};
use rows::{RowProject, Table};

pub use emit::{flow_list, quoted, scalar};

/// The custom document property in which shiryo's workbooks carry the declared
/// statuses (a YAML flow list), which no sheet shows when some are unused.
pub const STATUSES_PROPERTY: &str = "shiryo.statuses";

/// A registry made from a workbook.
pub struct Imported {
    /// The registry's YAML text, as written to the output file.
    pub yaml: String,
    /// The same, validated.
    pub registry: Registry,
    /// What was guessed, each at its cell.
    pub guesses: Vec<Problem>,
}

/// Reads `workbook` and makes a registry; `out` names the YAML file in the
/// registry's source (for messages).
///
/// # Errors
/// [`Error::Invalid`] naming every cell that could not be read, or the workbook
/// problem; [`Error::Io`] when the file cannot be read.
pub fn import(workbook: &Path, out: &Path) -> Result<Imported> {
    let mut book = Book::open(workbook)?;
    let (mut sheet, header, printed) = main_sheet(&mut book)?;
    let Some(cols) = rows::columns(&sheet, &header) else {
        return Err(file_error(
            workbook,
            {
                let name = &sheet.name;
                tr!(
                    "sheet {name}: no column of project names under the header",
                    "シート {name}: 見出しの下に事業名の列がありません"
                )
            },
            tr!(
                "name the column 連携事業名 or 事業名",
                "列の見出しを 連携事業名 か 事業名 にしてください"
            ),
        ));
    };
    // The printed table's cells carry the layout's line breaks; a sheet laid out one
    // value per cell (shiryo's データ) has none added (see unwrap).
    let tabular = header.roles.contains(&Some(header::Role::TownMark))
        && header.roles.contains(&Some(header::Role::Number));
    if !tabular {
        let wrapped = [
            cols.area,
            cols.category,
            Some(cols.name),
            cols.status,
            cols.summary,
        ];
        let wrapped: Vec<usize> = wrapped.into_iter().flatten().collect();
        // The names the layout keeps whole: the towns the table names.
        let mut towns: Vec<String> = cols.town_marks.iter().map(|(_, t)| t.clone()).collect();
        for r in header.last_row + 1..sheet.cells.len() {
            let cell = cols.towns.map_or("", |c| sheet.text(r, c));
            for t in rows::split_towns(cell).unwrap_or_default() {
                if !towns.contains(&t) {
                    towns.push(t);
                }
            }
        }
        unwrap::columns(&mut sheet, header.last_row + 1, &wrapped, &towns)?;
    }
    let mut table = rows::read(&sheet, &header, &cols);
    let mut top = above_header(&sheet, &header);
    if let Some(p) = &printed {
        if let Some(h) = header::find(p) {
            let above = above_header(p, &h);
            if top.title.is_none() && top.label.is_none() {
                top = above;
            }
        }
    }
    let mut guesses = std::mem::take(&mut table.guesses);
    guesses.extend(top.guesses.iter().cloned());
    let mut errors = std::mem::take(&mut table.errors);
    if table.areas.is_empty() && errors.is_empty() {
        errors.push(cell_problem(
            &sheet.name,
            header.last_row + 1,
            cols.name,
            tr!(
                "no project rows under the header",
                "見出しの下に事業の行がありません"
            ),
        ));
    }

    let members = member_towns(
        &mut book,
        &sheet,
        &header,
        &cols,
        &table,
        &top,
        &mut guesses,
    )?;
    let numbers = numbers::numbering(&sheet, &cols, &table, &mut guesses, &mut errors);
    let mut members = members;
    let towns = numbers::project_towns(
        &sheet,
        &cols,
        &table,
        &mut members,
        &mut guesses,
        &mut errors,
    );
    let rows: Vec<(usize, u32)> = all_projects(&table)
        .zip(&numbers)
        .map(|((_, _, p), &n)| (p.row, n))
        .collect();
    let extras = beyond::read(
        &mut book,
        &sheet,
        header.last_row,
        &rows,
        &members,
        &mut errors,
    )?;
    if !errors.is_empty() {
        return Err(Error::invalid(workbook, errors));
    }

    let props = book.properties().clone();
    let title = top
        .title
        .clone()
        .or_else(|| props.title.clone())
        .unwrap_or_else(|| {
            guesses.push(cell_problem(
                &sheet.name,
                0,
                0,
                tr!(
                    "no title above the header; the sheet name is used",
                    "見出しの上に表題がないため、シート名を使いました"
                ),
            ));
            sheet.name.clone()
        });
    let label = top.label.clone().unwrap_or_else(|| {
        let name = sheet.name.clone();
        guesses.push(cell_problem(
            &sheet.name,
            0,
            0,
            tr!(
                "no label (資料N) above the header; the sheet name {name} is used",
                "見出しの上に資料番号（資料N）がないため、シート名 {name} を使いました"
            ),
        ));
        name
    });
    // Only a workbook shiryo wrote carries the registry's author, meeting and date in
    // its properties; a person's workbook has their own name and the day they saved it.
    let ours = props.title.as_deref() == Some(title.as_str())
        && props.subject.as_deref() == Some(label.as_str());

    let mut statuses: Vec<String> = Vec::new();
    for (_, _, p) in all_projects(&table) {
        if !statuses.contains(&p.status) {
            statuses.push(p.status.clone());
        }
    }
    let declared: Option<Vec<String>> = props
        .custom
        .get(STATUSES_PROPERTY)
        .and_then(|list| serde_yaml::from_str(list).ok())
        .filter(|list: &Vec<String>| statuses.iter().all(|s| list.contains(s)));
    let defaults = registry::DEFAULT_STATUSES;
    if let Some(list) = declared {
        statuses = list;
    } else if statuses.iter().all(|s| defaults.contains(&s.as_str())) {
        statuses = defaults.iter().map(|s| s.to_string()).collect();
    }

    let mut y = String::new();
    y += &format!(
        "# Made by `shiryo import` from {}; check it, then `shiryo check`.\n",
        workbook
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    y += &format!("title: {}\n", scalar(&title, false));
    y += &format!("label: {}\n", scalar(&label, false));
    if ours {
        if let Some(a) = props.creator.as_deref().filter(|a| !a.is_empty()) {
            y += &format!("author: {}\n", scalar(a, false));
        }
        if let Some(m) = props.description.as_deref().filter(|m| !m.is_empty()) {
            y += &format!("meeting: {}\n", scalar(m, false));
        }
        if let Some(date) = props.created.as_deref().and_then(midnight_date) {
            y += &format!("date: {date}\n");
        }
    }
    y += &format!("towns: {}\n", flow_list(members.iter().map(String::as_str)));
    y += &format!(
        "statuses: {}\n",
        flow_list(statuses.iter().map(String::as_str))
    );
    y += &beyond::top_lines(ours.then_some(&props.custom), &extras);
    y += "areas:\n";
    let mut i = 0;
    for area in &table.areas {
        emit::field(&mut y, 2, "- name", &area.name);
        y += "    categories:\n";
        for cat in &area.categories {
            emit::field(&mut y, 6, "- name", &cat.name);
            y += "        projects:\n";
            for p in &cat.projects {
                y += &format!("          - number: {}\n", numbers[i]);
                if let Some(id) = beyond::id(&extras[i]) {
                    emit::field(&mut y, 12, "id", id);
                }
                emit::field(&mut y, 12, "name", &p.name);
                emit::field(&mut y, 12, "status", &p.status);
                emit::field(&mut y, 12, "summary", &p.summary);
                y += &format!(
                    "            towns: {}\n",
                    flow_list(towns[i].iter().map(|&t| members[t].as_str()))
                );
                beyond::emit(&mut y, &extras[i]);
                i += 1;
            }
        }
    }
    let registry = registry::parse(out, &y).map_err(|e| {
        file_error(
            workbook,
            tr!(
                "the registry made from the workbook is not valid:
{e}",
                "ワークブックから作った台帳が正しくありません:
{e}"
            ),
            tr!(
                "fix the cells named above in the workbook and import again",
                "ワークブックの該当セルを直して、もう一度取り込んでください"
            ),
        )
    })?;
    Ok(Imported {
        yaml: y,
        registry,
        guesses,
    })
}

/// `2011-11-01` from `2011-11-01T00:00:00Z`; `None` for 1970-01-01 (no date) or a
/// time of day (a date saved by an application, not a registry's).
fn midnight_date(created: &str) -> Option<String> {
    let date = created.strip_suffix("T00:00:00Z")?;
    (date != "1970-01-01" && date.len() == 10).then(|| date.to_string())
}

fn all_projects(table: &Table) -> impl Iterator<Item = (usize, usize, &RowProject)> {
    table.areas.iter().enumerate().flat_map(|(ai, a)| {
        a.categories
            .iter()
            .enumerate()
            .flat_map(move |(ci, c)| c.projects.iter().map(move |p| (ai, ci, p)))
    })
}

/// The sheet to read: among the visible sheets with a 資料2 header (looked for in
/// their first rows only), one laid out one value per cell (a number column and a
/// column per town, as shiryo's データ sheet), where text has no line breaks added for
/// print; else the first.
fn main_sheet(book: &mut Book) -> Result<(Sheet, Header, Option<Sheet>)> {
    let names = book.sheet_names();
    let mut first: Option<String> = None;
    let mut best: Option<String> = None;
    for (name, visible) in &names {
        if !visible {
            continue;
        }
        let head = book.head(name, header::HEADER_SEARCH_ROWS as u32)?;
        let probe = Sheet {
            name: name.clone(),
            numeric: Vec::new(),
            cells: head,
            merges: Default::default(),
            hidden_columns: Vec::new(),
            column_widths: Vec::new(),
            font_size: None,
            page_starts: Vec::new(),
        };
        if let Some(h) = header::find(&probe) {
            first.get_or_insert_with(|| name.clone());
            let tabular = h.roles.contains(&Some(header::Role::TownMark))
                && h.roles.contains(&Some(header::Role::Number));
            if tabular && best.is_none() {
                best = Some(name.clone());
            }
        }
    }
    // The title and label stand above the printed table, not above the data.
    let printed = match (&best, &first) {
        (Some(b), Some(f)) if b != f => Some(book.sheet(f)?),
        _ => None,
    };
    if let Some(name) = best.or(first) {
        let sheet = book.sheet(&name)?;
        if let Some(h) = header::find(&sheet) {
            return Ok((sheet, h, printed));
        }
    }
    let list: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    Err(file_error(
        &book.path,
        {
            let sheets = crate::i18n::list(&list);
            Text::new(
                format!("no sheet has a 資料2 header (sheets: {}); looked for 政策分野, 連携事業名, 取組状況, 取組内容・事業概要, 関係市町", sheets.en),
                format!("資料2 の見出しのあるシートがありません（シート: {}）。政策分野、連携事業名、取組状況、取組内容・事業概要、関係市町 を探しました", sheets.ja),
            )
        },
        tr!(
            "the header row needs 連携事業名 (or 事業名) and at least two of the others",
            "見出しの行には 連携事業名（か 事業名）と、ほかに二つ以上が要ります"
        ),
    ))
}

/// What is above the header: the title, the label (資料2) and maybe a member list.
#[derive(Default)]
struct Top {
    title: Option<String>,
    label: Option<String>,
    members: Option<(Vec<String>, String)>,
    guesses: Vec<Problem>,
}

fn is_label(text: &str) -> bool {
    let f = fold(text);
    (f.starts_with("資料") || f.starts_with("参考資料") || f.starts_with("別紙"))
        && f.chars().count() <= 12
}

fn above_header(sheet: &Sheet, header: &Header) -> Top {
    let mut top = Top::default();
    for r in 0..header.first_row {
        for c in 0..sheet.row_width(r) {
            let text = sheet.text(r, c).trim();
            if text.is_empty() {
                continue;
            }
            let f = fold(text);
            if top.label.is_none() && is_label(text) {
                top.label = Some(text.to_string());
            } else if let Some(list) = ["構成市町村", "構成市町", "関係市町村", "関係市町"]
                .iter()
                .find_map(|k| f.strip_prefix(k))
                .and_then(|rest| rest.strip_prefix([':', '：']))
            {
                if let Some(towns) = rows::split_towns(list) {
                    top.members = Some((
                        towns,
                        format!("{}!{}", sheet.name, crate::workbook_in::cell_name(r, c)),
                    ));
                }
            } else if top.title.is_none() && !text.contains('\n') {
                top.title = Some(text.to_string());
            } else {
                top.guesses.push(cell_problem(&sheet.name, r, c, {
                    let t: String = text.chars().take(24).collect();
                    tr!(
                        "「{t}」 above the header is not kept",
                        "見出しの上の「{t}」 は台帳に入れていません"
                    )
                }));
            }
        }
    }
    top
}

/// Member towns in print order: from a declared list when the workbook has one (a
/// 構成市町 line, a 参加状況 sheet, one sheet per town), else from the 関係市町 cells.
fn member_towns(
    book: &mut Book,
    sheet: &Sheet,
    _header: &Header,
    cols: &rows::Columns,
    table: &Table,
    top: &Top,
    guesses: &mut Vec<Problem>,
) -> Result<Vec<String>> {
    let named: Vec<&Vec<String>> = all_projects(table)
        .filter_map(|(_, _, p)| p.towns.as_ref())
        .collect();
    let mut seen: HashSet<&str> = HashSet::new();
    for list in &named {
        seen.extend(list.iter().map(String::as_str));
    }
    if let Some((list, _)) = &top.members {
        return Ok(list.clone());
    }
    if !cols.town_marks.is_empty() {
        return Ok(cols.town_marks.iter().map(|(_, t)| t.clone()).collect());
    }
    // A run of town names along a header row of another sheet (参加状況: 番号, 連携事業名,
    // 旭川市, 鷹栖町, …, 計).
    let townish = |t: &str| {
        t.ends_with(['市', '町', '村']) && t.chars().count() <= 12 && is_safe_name(t).is_ok()
    };
    let sheets = book.sheet_names();
    for (name, _) in &sheets {
        if *name == sheet.name || seen.contains(name.as_str()) {
            continue;
        }
        let head = book.head(name, 10)?;
        for row in &head {
            let mut best: Vec<String> = Vec::new();
            let mut run: Vec<String> = Vec::new();
            for cell in row.iter().chain([&String::new()]) {
                let t = cell.trim();
                if townish(t) {
                    run.push(t.to_string());
                } else {
                    if run.len() > best.len() {
                        best = std::mem::take(&mut run);
                    }
                    run.clear();
                }
            }
            if !best.is_empty() && seen.iter().all(|t| best.iter().any(|b| b == t)) {
                return Ok(best);
            }
        }
    }
    // One sheet per member town, in member order.
    let town_sheets: Vec<String> = sheets
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| *n != sheet.name && (seen.contains(n.as_str()) || townish(n)))
        .collect();
    if !town_sheets.is_empty() && seen.iter().all(|t| town_sheets.iter().any(|s| s == t)) {
        return Ok(town_sheets);
    }
    // The cells: each lists its towns in member order; merge those orders.
    let mut members: Vec<String> = Vec::new();
    for list in &named {
        let mut at = 0;
        for t in list.iter() {
            match members.iter().position(|m| m == t) {
                Some(i) => at = i + 1,
                None => {
                    members.insert(at, t.clone());
                    at += 1;
                }
            }
        }
    }
    if !members.is_empty() {
        let col = cols.towns.unwrap_or(0);
        guesses.push(cell_problem(
            &sheet.name,
            _header.first_row,
            col,
            {
                let list = members.join("、");
                tr!(
                    "the workbook lists no member towns; taken from the 関係市町 cells in this order: {list}",
                    "ワークブックに構成市町村の一覧がないため、関係市町のセルからこの順に取りました: {list}"
                )
            },
        ));
    }
    Ok(members)
}
