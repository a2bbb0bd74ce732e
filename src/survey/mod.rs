//! `shiryo survey`: registry → one 照会 workbook per member town.
//!
//! ```text
//! <town>.xlsx
//! ├── 記入要領   instructions in Japanese (what to fill, the allowed values)
//! ├── 回答       one row per value the town answers: 番号 | 連携事業名 | 項目 |
//! │             登録内容 (locked) | 回答 (unlocked, shaded, validated); column A (hidden)
//! │             holds each row's key, so answers are matched by key, not position
//! └── _shiryo    very hidden: format, registry digest, town, the lists the drop-downs
//!                use, and each key with the value it had when the survey was made
//! ```
//! Sheets are protected without a password (a town may still unprotect them; collect
//! checks every value it takes). No wall-clock time is written: same registry, same bytes.

pub mod items;

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

use crate::error::Result;
use crate::layout::{BreakRule, Fonts};
use crate::model::{Registry, TownId};
use crate::render::xlsx::sizer::Sizer;
use crate::render::xlsx::FONT_NAME;
use crate::units::Mm;

pub use items::{digest, items_for, lead, project_key, Field, Item};

/// Sheet names and the format mark collect looks for.
pub const ANSWER_SHEET: &str = "回答";
pub const GUIDE_SHEET: &str = "記入要領";
pub const DATA_SHEET: &str = "_shiryo";
pub const FORMAT: &str = "shiryo-survey-1";
/// First row (zero-based) of the keyed values on the data sheet.
pub const DATA_FIRST_ROW: u32 = 10;
/// The header row (zero-based) of the answer sheet; answers start below it.
pub const ANSWER_HEADER_ROW: u32 = 2;
/// Columns of the answer sheet.
pub const COL_KEY: u16 = 0;
pub const COL_ANSWER: u16 = 5;

/// Every member town's survey, as (path under `out_dir`, bytes).
///
/// # Errors
/// [`crate::Error::Xlsx`] if rust_xlsxwriter refuses a value; [`crate::Error::Font`]
/// if the bundled font is damaged.
pub fn surveys(registry: &Registry, out_dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let digest = digest(registry);
    // One parse of the font for every town's workbook (its glyph cache is shared too).
    let fonts = Fonts::bundled()?;
    registry
        .town_ids()
        .map(|town| {
            let name = &registry.town(town).name;
            Ok((
                out_dir.join(format!("{name}.xlsx")),
                survey(registry, town, &digest, &fonts)?,
            ))
        })
        .collect()
}

/// The survey workbook of one town; `fonts` measure the locked columns' lines.
///
/// # Errors
/// [`crate::Error::Xlsx`] if rust_xlsxwriter refuses a value.
pub fn survey(registry: &Registry, town: TownId, digest: &str, fonts: &Fonts) -> Result<Vec<u8>> {
    let town_name = &registry.town(town).name;
    let items = items_for(registry, town);
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_timestamp(registry.timestamp)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}（照会：{town_name}）", registry.title))
            .set_subject(&registry.label)
            .set_author(registry.author.as_deref().unwrap_or(""))
            .set_creation_datetime(&date),
    );
    let base = Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE);
    let title = base.clone().set_bold().set_font_size(14);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let header = cell
        .clone()
        .set_bold()
        .set_background_color(0xD9D9D9)
        .set_align(FormatAlign::Center);
    let answer = cell.clone().set_unlocked().set_background_color(0xFFF2CC);
    let wrap = base.clone().set_text_wrap().set_align(FormatAlign::Top);

    guide(
        wb.add_worksheet(),
        registry,
        town_name,
        &items,
        &title,
        &wrap,
    )?;
    let rows = registry.rows().collect::<Vec<_>>();
    let sheet = wb.add_worksheet();
    sheet.set_name(ANSWER_SHEET)?;
    for (col, width) in [
        (0, 4.0),
        (1, 6.0),
        (2, WIDTH_NAME),
        (3, WIDTH_LABEL),
        (4, WIDTH_VALUE),
        (5, WIDTH_VALUE),
    ] {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_column_hidden(COL_KEY)?;
    sheet.write_string_with_format(0, 1, format!("{}（照会）", registry.title), &title)?;
    sheet.write_string_with_format(1, 1, format!("回答する市町村: {town_name}"), &base)?;
    let h = ANSWER_HEADER_ROW;
    for (col, text) in [
        (1, "番号"),
        (2, "連携事業名"),
        (3, "項目"),
        (4, "登録内容（照会時）"),
        (5, "回答（変更があれば書き換え）"),
    ] {
        sheet.write_string_with_format(h, col, text, &header)?;
    }
    let list =
        |col: &str, n: usize| Formula::new(format!("={DATA_SHEET}!${col}$1:${col}${}", n.max(1)));
    // The locked columns hold shiryo's own lines (JIS X 4051, town names whole), as the
    // handout workbook's cells do: left to wrap, Excel and LibreOffice break Japanese
    // anywhere (a line starting with 、). Rows are as tall as those lines.
    let sizer = Sizer {
        fonts,
        size: FONT_SIZE,
        towns: registry.towns.iter().map(|t| t.name.clone()).collect(),
    };
    let wrapped = |text: &str, chars: f64| sizer.wrap(text, column_mm(chars), BreakRule::Prose);
    for (i, item) in items.iter().enumerate() {
        let r = h + 1 + i as u32;
        let (_, _, p) = rows[item.project];
        let name = wrapped(&p.name, WIDTH_NAME);
        let label = wrapped(&item.label, WIDTH_LABEL);
        let value = wrapped(&item.value, WIDTH_VALUE);
        sheet.write_string(r, COL_KEY, &item.key)?;
        sheet.write_number_with_format(r, 1, p.number, &cell)?;
        sheet.write_string_with_format(r, 2, &name.text, &cell)?;
        sheet.write_string_with_format(r, 3, &label.text, &cell)?;
        sheet.write_string_with_format(r, 4, &value.text, &cell)?;
        match (item.numeric, item.value.parse::<f64>()) {
            (true, Ok(n)) => sheet.write_number_with_format(r, COL_ANSWER, n, &answer)?,
            _ => sheet.write_string_with_format(r, COL_ANSWER, &item.value, &answer)?,
        };
        // The answer column is as wide as the registered value's and starts as it.
        let lines = name.lines.max(label.lines).max(value.lines);
        sheet.set_row_height(r, sizer.height(lines))?;
        let validation = match &item.field {
            Field::Status => {
                Some(DataValidation::new().allow_list_formula(list("D", registry.statuses.len())))
            }
            Field::Grade => {
                Some(DataValidation::new().allow_list_formula(list("E", registry.grades.len())))
            }
            Field::Direction => {
                Some(DataValidation::new().allow_list_formula(list("F", registry.directions.len())))
            }
            Field::Budget(_) => Some(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                    .set_error_title("数値を入力してください")?
                    .set_error_message(
                        "事業費は 0 以上の数値で入力してください（単位は項目の欄のとおり）。",
                    )?,
            ),
            Field::Summary | Field::KpiActual(_) => None,
        };
        if let Some(v) = validation {
            let v = v.set_error_style(DataValidationErrorStyle::Stop);
            sheet.add_data_validation(r, COL_ANSWER, r, COL_ANSWER, &v)?;
        }
    }
    let last = h + items.len() as u32;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3)
        .set_footer(format!("&L{town_name}&C- &P / &N -"));
    sheet.set_repeat_rows(h, h)?;
    sheet.set_print_area(0, 1, last.max(h), COL_ANSWER)?;
    sheet.set_freeze_panes(h + 1, 0)?;
    sheet.protect();

    let data = wb.add_worksheet();
    data.set_name(DATA_SHEET)?;
    data.write_string(0, 0, FORMAT)?;
    data.write_string(1, 0, "registry")?;
    data.write_string(1, 1, digest)?;
    data.write_string(2, 0, "town")?;
    data.write_string(2, 1, town_name)?;
    for (i, s) in registry.statuses.iter().enumerate() {
        data.write_string(i as u32, 3, s)?;
    }
    for (i, g) in registry.grades.iter().enumerate() {
        data.write_string(i as u32, 4, &g.key)?;
    }
    for (i, d) in registry.directions.iter().enumerate() {
        data.write_string(i as u32, 5, d)?;
    }
    for (i, item) in items.iter().enumerate() {
        let r = DATA_FIRST_ROW + i as u32;
        data.write_string(r, 0, &item.key)?;
        data.write_string(r, 1, &item.value)?;
    }
    data.protect();
    data.set_very_hidden(true);
    crate::render::xlsx::save(&mut wb)
}

/// Column widths of the answer sheet (Excel's units: characters of the default font).
const WIDTH_NAME: f64 = 32.0;
const WIDTH_LABEL: f64 = 26.0;
const WIDTH_VALUE: f64 = 45.0;
/// The cells' font size in points.
const FONT_SIZE: f64 = 10.0;

/// A column `chars` wide (Excel's unit: characters of the Normal font, Calibri 11, 7
/// pixels each and 5 of padding) in millimetres.
fn column_mm(chars: f64) -> Mm {
    let pixels = chars * 7.0 + 5.0;
    Mm((pixels * 25.4 / 96.0) as f32)
}

fn guide(
    sheet: &mut Worksheet,
    registry: &Registry,
    town: &str,
    items: &[Item],
    title: &Format,
    wrap: &Format,
) -> Result<()> {
    sheet.set_name(GUIDE_SHEET)?;
    sheet.set_column_width(0, 110.0)?;
    let leads = items.iter().filter(|i| i.field == Field::Status).count();
    let budgets = items
        .iter()
        .filter(|i| matches!(i.field, Field::Budget(_)))
        .count();
    let mut lines = vec![
        format!("{}　照会", registry.title),
        String::new(),
        format!("{town} 御中"),
        String::new(),
        "連携事業の進捗状況について、「回答」シートの黄色のセルに御記入ください。".to_string(),
        String::new(),
        "1. 記入するところ".to_string(),
        format!("・主担当の事業（{leads} 事業）: 取組状況、取組内容・事業概要、評価、今後の方向性、成果指標の実績値。"),
        format!("・参加しているすべての事業（{budgets} 件）: 貴市町村の事業費。"),
        "・回答欄には照会時の登録内容が入っています。変更がなければそのままにしてください。".to_string(),
        String::new(),
        "2. 選べる値".to_string(),
        format!("・取組状況: {}（一覧から選択）", registry.statuses.join("、")),
    ];
    if !registry.grades.is_empty() {
        let legend: Vec<String> = registry
            .grades
            .iter()
            .map(|g| format!("{}＝{}", g.key, g.meaning))
            .collect();
        lines.push(format!("・評価: {}（一覧から選択）", legend.join("、")));
    }
    if !registry.directions.is_empty() {
        lines.push(format!(
            "・今後の方向性: {}（一覧から選択）",
            registry.directions.join("、")
        ));
    }
    lines.push(format!("・事業費: 数値（単位: {}）。", registry.unit));
    lines.push("・成果指標の実績値: 数値、または 検討中 などの語。".to_string());
    lines.extend([
        String::new(),
        "3. お願い".to_string(),
        "・行やシートの追加・削除・並べ替え、シート名の変更はしないでください（回答は各行の見えない番号で照合します）。".to_string(),
        "・保存は Excel ブック（.xlsx）形式で、ファイル名はそのままでお返しください。".to_string(),
        "・灰色や白のセルは保護されています。記入できるのは黄色のセルだけです。".to_string(),
    ]);
    for (i, line) in lines.iter().enumerate() {
        let format = if i == 0 { title } else { wrap };
        sheet.write_string_with_format(i as u32, 0, line, format)?;
    }
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 1);
    sheet.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_32_characters_is_229_pixels() {
        // Excel: 32 characters of Calibri 11 = 32 × 7 + 5 pixels, 96 a inch.
        let mm = column_mm(WIDTH_NAME);
        assert!((mm.0 - 229.0 * 25.4 / 96.0).abs() < 0.01, "{mm:?}");
    }
}
