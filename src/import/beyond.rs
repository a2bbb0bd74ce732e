//! The project fields beyond the seed, read back from shiryo's sheets:
//!
//! ```text
//! データ    ID | 主担当 | 担当課 | 評価 | 今後の方向性       columns found by their labels
//! 成果指標  番号 | 連携事業名 | 成果指標 | 単位 | 基準値 | 基準年度 | … one row per KPI
//! 事業費    令和7年度（単位：千円） / 番号 | 連携事業名 | 旭川市 | … | 計   per year
//! ```
//! Every value is the cell's stored value (a formula's cached result is never used:
//! the totals and 達成率 are left out, since the registry does not hold them). A KPI
//! row or budget row is matched to its project by the number in its 番号 column.
//! The データ sheet's 成果指標1 and 事業費…年度 columns say a sheet is expected: when
//! it is missing, the import fails at that header cell rather than drop the figures.

use std::collections::HashMap;

use super::emit::{self, scalar};
use super::header::fold;
use crate::error::{Problem, Result};
use crate::tr;
use crate::workbook_in::{cell_problem, Book, Sheet};

/// The labels of the データ sheet's project fields (render/fields.rs), in YAML order.
const FIELDS: [(&str, &str); 5] = [
    ("ID", "id"),
    ("主担当", "lead"),
    ("担当課", "department"),
    ("評価", "grade"),
    ("今後の方向性", "direction"),
];

const KPI_SHEET: &str = crate::render::xlsx::kpi::SHEET;
const BUDGET_SHEET: &str = crate::render::xlsx::budget::SHEET;

/// A KPI's point: (fiscal year, value as written).
type Point = Option<(i32, String)>;

pub struct KpiRow {
    indicator: String,
    unit: String,
    points: [Point; 3],
}

/// What one project has beyond the seed.
#[derive(Default)]
pub struct Extra {
    /// (YAML key, value) of the データ sheet's fields.
    fields: Vec<(&'static str, String)>,
    kpis: Vec<KpiRow>,
    /// Fiscal year → (town, amount as written).
    budget: Vec<(i32, Vec<(String, String)>)>,
}

/// The extras of each project, in `rows` order (`rows`: each project's sheet row and
/// number). Problems go to `errors`, each at its cell.
pub fn read(
    book: &mut Book,
    sheet: &Sheet,
    header_row: usize,
    rows: &[(usize, u32)],
    members: &[String],
    errors: &mut Vec<Problem>,
) -> Result<Vec<Extra>> {
    let mut extras: Vec<Extra> = rows.iter().map(|_| Extra::default()).collect();
    let label = |c: usize| fold(sheet.text(header_row, c).trim());
    let width = sheet.row_width(header_row);
    for (text, key) in FIELDS {
        let Some(col) = (0..width).find(|&c| label(c) == fold(text)) else {
            continue;
        };
        for (extra, &(row, _)) in extras.iter_mut().zip(rows) {
            let value = sheet.text(row, col).trim();
            if !value.is_empty() {
                extra.fields.push((key, value.to_string()));
            }
        }
    }
    let index: HashMap<u32, usize> = rows.iter().enumerate().map(|(i, r)| (r.1, i)).collect();
    let names = book.sheet_names();
    let has = |name: &str| names.iter().any(|(n, _)| n == name);
    let expects = |prefix: &str| (0..width).find(|&c| label(c).starts_with(prefix));
    for (sheet_name, prefix) in [(KPI_SHEET, "成果指標"), (BUDGET_SHEET, "事業費")] {
        if has(sheet_name) {
            let other = book.sheet(sheet_name)?;
            if sheet_name == KPI_SHEET {
                kpis(&other, &index, &mut extras, errors);
            } else {
                budgets(&other, &index, members, &mut extras, errors);
            }
        } else if let Some(col) = expects(prefix) {
            let what = sheet.text(header_row, col).trim().to_string();
            errors.push(cell_problem(
                &sheet.name,
                header_row,
                col,
                tr!(
                    "column {what} needs the sheet {sheet_name}, which the workbook does not have",
                    "列 {what} の値はシート {sheet_name} から読みますが、ワークブックにそのシートがありません"
                ),
            ));
        }
    }
    Ok(extras)
}

/// The row and column of each label of a header row within the first rows.
fn header_of(sheet: &Sheet, first: &str, within: usize) -> Option<(usize, Vec<String>)> {
    (0..within.min(sheet.cells.len())).find_map(|r| {
        (fold(sheet.text(r, 0).trim()) == fold(first)).then(|| {
            let labels = (0..sheet.row_width(r))
                .map(|c| fold(sheet.text(r, c).trim()))
                .collect();
            (r, labels)
        })
    })
}

/// The project a row's 番号 cell names, or a problem at it.
fn project_of(
    sheet: &Sheet,
    row: usize,
    index: &HashMap<u32, usize>,
    errors: &mut Vec<Problem>,
) -> Option<usize> {
    let text = sheet.text(row, 0).trim();
    let found = text
        .parse::<u32>()
        .ok()
        .and_then(|n| index.get(&n).copied());
    if found.is_none() {
        errors.push(cell_problem(
            &sheet.name,
            row,
            0,
            tr!(
                "「{text}」 is not the number of a project of the table",
                "「{text}」 は表の事業の番号ではありません"
            ),
        ));
    }
    found
}

/// A fiscal year as the sheets write it: 令和7年度, 令和7年度（2025年度）, 2025.
fn fiscal_year(text: &str) -> Option<i32> {
    let text = text.trim();
    crate::wareki::parse_fiscal_year(text).or_else(|| {
        let digits = text.strip_suffix("年度").unwrap_or(text);
        (!digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

fn kpis(
    sheet: &Sheet,
    index: &HashMap<u32, usize>,
    extras: &mut [Extra],
    errors: &mut Vec<Problem>,
) {
    let Some((header, labels)) = header_of(sheet, "番号", 5) else {
        errors.push(cell_problem(
            &sheet.name,
            0,
            0,
            tr!(
                "no header row starting with 番号 in the first rows",
                "最初の数行に 番号 で始まる見出しの行がありません"
            ),
        ));
        return;
    };
    let col = |name: &str| labels.iter().position(|l| *l == fold(name));
    let Some(indicator) = col("成果指標") else {
        errors.push(cell_problem(
            &sheet.name,
            header,
            0,
            tr!(
                "the header has no column 成果指標",
                "見出しに 成果指標 の列がありません"
            ),
        ));
        return;
    };
    let unit = col("単位");
    let points = [
        (col("基準値"), col("基準年度")),
        (col("目標値"), col("目標年度")),
        (col("実績値"), col("実績年度")),
    ];
    for row in header + 1..sheet.cells.len() {
        if sheet.row_width(row) == 0
            || (0..sheet.row_width(row)).all(|c| sheet.text(row, c).trim().is_empty())
        {
            continue;
        }
        let Some(p) = project_of(sheet, row, index, errors) else {
            continue;
        };
        let mut kpi = KpiRow {
            indicator: sheet.text(row, indicator).trim().to_string(),
            unit: unit.map_or("", |c| sheet.text(row, c).trim()).to_string(),
            points: [None, None, None],
        };
        if kpi.indicator.is_empty() {
            errors.push(cell_problem(
                &sheet.name,
                row,
                indicator,
                tr!("the KPI has no name", "成果指標の名前が空です"),
            ));
        }
        for (slot, (value, year)) in kpi.points.iter_mut().zip(points) {
            let (Some(vc), Some(yc)) = (value, year) else {
                continue;
            };
            let v = sheet.text(row, vc).trim();
            if v.is_empty() {
                continue;
            }
            let y = sheet.text(row, yc).trim();
            match fiscal_year(y) {
                Some(y) => *slot = Some((y, v.to_string())),
                None => errors.push(cell_problem(
                    &sheet.name,
                    row,
                    yc,
                    tr!(
                        "「{y}」 is not a fiscal year (令和7年度 or 2025)",
                        "「{y}」 は年度（令和7年度 か 2025）ではありません"
                    ),
                )),
            }
        }
        extras[p].kpis.push(kpi);
    }
}

fn budgets(
    sheet: &Sheet,
    index: &HashMap<u32, usize>,
    members: &[String],
    extras: &mut [Extra],
    errors: &mut Vec<Problem>,
) {
    // (year, the header row's town columns) of the block being read.
    let mut block: Option<(i32, Vec<(usize, String)>)> = None;
    let mut row = 0;
    while row < sheet.cells.len() {
        let first = sheet.text(row, 0).trim();
        if first.is_empty() || fold(first) == fold("計") {
            row += 1;
            continue;
        }
        // A caption: 令和7年度（単位：千円）, then the block's header row.
        // (A project's number is a number cell; a caption is text.)
        let caption = first.split("（単位").next().unwrap_or(first);
        if let Some(year) = fiscal_year(caption).filter(|_| !sheet.is_number(row, 0)) {
            let head = row + 1;
            let towns: Vec<(usize, String)> = (2..sheet.row_width(head))
                .map(|c| (c, sheet.text(head, c).trim().to_string()))
                .take_while(|(_, t)| !t.is_empty() && fold(t) != fold("計"))
                .collect();
            for (c, t) in &towns {
                if !members.contains(t) {
                    errors.push(cell_problem(
                        &sheet.name,
                        head,
                        *c,
                        tr!("{t} is not a member town", "{t} は構成市町村ではありません"),
                    ));
                }
            }
            block = Some((year, towns));
            row = head + 1;
            continue;
        }
        let Some((year, towns)) = &block else {
            // The title row above the first block.
            row += 1;
            continue;
        };
        if let Some(p) = project_of(sheet, row, index, errors) {
            let mut amounts = Vec::new();
            for (c, town) in towns {
                let text = sheet.text(row, *c).trim();
                if text.is_empty() {
                    continue;
                }
                if !sheet.is_number(row, *c) {
                    errors.push(cell_problem(
                        &sheet.name,
                        row,
                        *c,
                        tr!(
                            "「{text}」 is not an amount",
                            "「{text}」 は金額ではありません"
                        ),
                    ));
                    continue;
                }
                amounts.push((town.clone(), text.to_string()));
            }
            extras[p].budget.push((*year, amounts));
        }
        row += 1;
    }
}

/// Writes a project's extras as YAML at the project's key indent (12).
pub fn emit(y: &mut String, extra: &Extra) {
    for (key, value) in &extra.fields {
        if *key != "id" {
            emit::field(y, 12, key, value);
        }
    }
    if !extra.kpis.is_empty() {
        *y += "            kpis:\n";
        for k in &extra.kpis {
            emit::field(y, 14, "- indicator", &k.indicator);
            if !k.unit.is_empty() {
                emit::field(y, 16, "unit", &k.unit);
            }
            for (name, point) in ["baseline", "target", "actual"].iter().zip(&k.points) {
                if let Some((year, value)) = point {
                    *y += &format!(
                        "                {name}: {{year: {year}, value: {}}}\n",
                        scalar(value, true)
                    );
                }
            }
        }
    }
    if !extra.budget.is_empty() {
        *y += "            budget:\n";
        for (year, amounts) in &extra.budget {
            let items: Vec<String> = amounts
                .iter()
                .map(|(t, a)| format!("{}: {a}", scalar(t, true)))
                .collect();
            *y += &format!("              {year}: {{{}}}\n", items.join(", "));
        }
    }
}

/// The project's ID (written right after its number).
pub fn id(extra: &Extra) -> Option<&str> {
    extra
        .fields
        .iter()
        .find(|(k, _)| *k == "id")
        .map(|(_, v)| v.as_str())
}

/// The registry's lines beyond the seed: those carried in shiryo's properties, and
/// for a workbook without them (typed by hand) the grades and directions its projects
/// use, declared in the order met (a grade's meaning is then its own name).
pub fn top_lines(custom: Option<&HashMap<String, String>>, extras: &[Extra]) -> String {
    let mut y = custom.map(super::sphere::lines).unwrap_or_default();
    for (key, top) in [("grade", "grades"), ("direction", "directions")] {
        if y.lines().any(|l| l.starts_with(&format!("{top}:"))) {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for e in extras {
            for (k, v) in &e.fields {
                if *k == key && !seen.contains(&v.as_str()) {
                    seen.push(v);
                }
            }
        }
        if seen.is_empty() {
            continue;
        }
        if key == "grade" {
            let items: Vec<String> = seen
                .iter()
                .map(|g| format!("{}: {}", scalar(g, true), scalar(g, true)))
                .collect();
            y += &format!("grades: {{{}}}\n", items.join(", "));
        } else {
            y += &format!("directions: {}\n", super::emit::flow_list(seen));
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        // Digits are number cells, as calamine gives shiryo's numbers.
        let numeric = cells
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
                    .collect()
            })
            .collect();
        Sheet {
            name: name.into(),
            cells,
            numeric,
            merges: Default::default(),
            hidden_columns: Vec::new(),
            column_widths: Vec::new(),
            font_size: None,
            page_starts: Vec::new(),
        }
    }

    #[test]
    fn fiscal_years_in_wareki_or_digits() {
        assert_eq!(fiscal_year("令和7年度"), Some(2025));
        assert_eq!(fiscal_year("令和7年度（2025年度）"), Some(2025));
        assert_eq!(fiscal_year("2025"), Some(2025));
        assert_eq!(fiscal_year("来年度"), None);
        assert_eq!(fiscal_year(""), None);
    }

    #[test]
    fn budget_blocks_skip_totals_and_take_numbers_only() {
        let s = sheet(
            "事業費",
            &[
                &["表題（事業費）"],
                &[],
                &["令和6年度（単位：千円）"],
                &["番号", "連携事業名", "甲市", "乙町", "計"],
                &["7", "救急", "100", "", "100"],
                &["計", "", "100", "", "100"],
                &[],
                &["令和7年度（単位：千円）"],
                &["番号", "連携事業名", "甲市", "乙町", "計"],
                &["7", "救急", "110", "5", "115"],
                &["3", "福祉", "多い", "2", "2"],
                &["計", "", "110", "7", "117"],
            ],
        );
        let index: HashMap<u32, usize> = [(3, 0), (7, 1)].into_iter().collect();
        let members = ["甲市".to_string(), "乙町".to_string()];
        let mut extras = vec![Extra::default(), Extra::default()];
        let mut errors = Vec::new();
        budgets(&s, &index, &members, &mut extras, &mut errors);
        let budget = |e: &Extra| format!("{:?}", e.budget);
        assert_eq!(
            budget(&extras[1]),
            r#"[(2024, [("甲市", "100")]), (2025, [("甲市", "110"), ("乙町", "5")])]"#
        );
        assert_eq!(budget(&extras[0]), r#"[(2025, [("乙町", "2")])]"#);
        let errors: Vec<String> = errors.iter().map(|p| p.message.en.clone()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("事業費!C11"), "{errors:?}");
    }

    #[test]
    fn a_hand_made_workbook_declares_the_grades_and_directions_it_uses() {
        let extra = |g: &str, d: &str| Extra {
            fields: vec![("grade", g.into()), ("direction", d.into())],
            ..Extra::default()
        };
        let y = top_lines(None, &[extra("B", "継続"), extra("A", "継続")]);
        assert_eq!(y, "grades: {B: B, A: A}\ndirections: [継続]\n");
        let custom: HashMap<String, String> =
            [("shiryo.grades".to_string(), "{A: 達成}".to_string())].into();
        let y = top_lines(Some(&custom), &[extra("A", "継続")]);
        assert_eq!(y, "grades: {A: 達成}\ndirections: [継続]\n");
    }
}
