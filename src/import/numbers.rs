//! Each project's number and towns, from the cells as read (rows.rs): numbers as
//! written or the next free one, towns as indices into the member list.

use std::collections::HashMap;

use super::all_projects;
use super::rows::{self, Table};
use crate::error::Problem;
use crate::i18n::Text;
use crate::registry::is_safe_name;
use crate::tr;
use crate::workbook_in::{cell_problem, Sheet};

/// Each project's number: as written, or the one after the previous project's.
pub(super) fn numbering(
    sheet: &Sheet,
    cols: &rows::Columns,
    table: &Table,
    guesses: &mut Vec<Problem>,
    errors: &mut Vec<Problem>,
) -> Vec<u32> {
    let mut used: HashMap<u32, usize> = HashMap::new();
    for (_, _, p) in all_projects(table) {
        if let Some(n) = p.number {
            let col = cols.number.unwrap_or(cols.name);
            if let Some(first) = used.insert(n, p.row) {
                errors.push(cell_problem(&sheet.name, p.row, col, {
                    let other = crate::workbook_in::cell_name(first, col);
                    tr!(
                        "project number {n} is used twice (also {other})",
                        "事業番号 {n} が二度使われています（{other} にも）"
                    )
                }));
            }
        }
    }
    let mut prev = 0;
    all_projects(table)
        .map(|(_, _, p)| {
            let n = match p.number {
                Some(n) => n,
                None => {
                    let mut n = prev + 1;
                    while used.contains_key(&n) {
                        n += 1;
                    }
                    used.insert(n, p.row);
                    guesses.push(cell_problem(
                        &sheet.name,
                        p.row,
                        cols.number.unwrap_or(cols.name),
                        {
                            let name = &p.name;
                            tr!(
                                "project 「{name}」 has no number; numbered {n}",
                                "事業「{name}」 に番号がないため、{n} としました"
                            )
                        },
                    ));
                    n
                }
            };
            prev = n;
            n
        })
        .collect()
}

/// Each project's towns as indices into `members`, in member order. A town not in
/// the workbook's member list is added to it (and reported).
pub(super) fn project_towns(
    sheet: &Sheet,
    cols: &rows::Columns,
    table: &Table,
    members: &mut Vec<String>,
    guesses: &mut Vec<Problem>,
    errors: &mut Vec<Problem>,
) -> Vec<Vec<usize>> {
    let col = cols.towns.unwrap_or(0);
    let mut out = Vec::new();
    // Rows that say 全市町: one reading, so one guess (at the first, naming the others),
    // placed where the first was met.
    let mut all_rows: Vec<usize> = Vec::new();
    let mut all_at = guesses.len();
    for (_, _, p) in all_projects(table) {
        let mut ids: Vec<usize> = match &p.towns {
            None => {
                if all_rows.is_empty() {
                    all_at = guesses.len();
                }
                all_rows.push(p.row);
                (0..members.len()).collect()
            }
            Some(list) => {
                let mut ids = Vec::new();
                for t in list {
                    if let Err(why) = is_safe_name(t) {
                        errors.push(cell_problem(
                            &sheet.name,
                            p.row,
                            col,
                            Text::new(
                                format!("town {t:?} {}", why.en),
                                format!("市町村名 {t:?} は{}", why.ja),
                            ),
                        ));
                        continue;
                    }
                    let id = match members.iter().position(|m| m == t) {
                        Some(i) => i,
                        None => {
                            guesses.push(cell_problem(
                                &sheet.name,
                                p.row,
                                col,
                                tr!(
                                    "{t} is not in the workbook's list of member towns; added as a member",
                                    "{t} はワークブックの構成市町村の一覧にないため、構成市町村に加えました"
                                ),
                            ));
                            members.push(t.clone());
                            members.len() - 1
                        }
                    };
                    if ids.contains(&id) {
                        guesses.push(cell_problem(
                            &sheet.name,
                            p.row,
                            col,
                            tr!(
                                "{t} is listed twice; kept once",
                                "{t} が二度書かれているため、一つにしました"
                            ),
                        ));
                    } else {
                        ids.push(id);
                    }
                }
                ids
            }
        };
        ids.sort_unstable();
        out.push(ids);
    }
    if let Some(&first) = all_rows.first() {
        let n = members.len();
        let message = if all_rows.len() == 1 {
            tr!(
                "全市町 read as all {n} member towns",
                "全市町 を構成市町村 {n} すべてとみなしました"
            )
        } else {
            // Up to ten cells named; the count says how many in all.
            let k = all_rows.len();
            let mut cells: Vec<String> = all_rows
                .iter()
                .take(10)
                .map(|&r| crate::workbook_in::cell_name(r, col))
                .collect();
            if k > 10 {
                cells.push("…".to_string());
            }
            let (en, ja) = (cells.join(", "), cells.join("、"));
            tr!(
                "全市町 read as all {n} member towns in {k} rows ({en})",
                "全市町 を構成市町村 {n} すべてとみなしました（{k} 行: {ja}）"
            )
        };
        guesses.insert(all_at, cell_problem(&sheet.name, first, col, message));
    }
    out
}
