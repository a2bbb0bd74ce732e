//! Line breaks that a layout put into cells, taken out again.
//!
//! shiryo's printed 資料2 sheet holds the handout's lines, joined by line feeds (so that
//! Excel and LibreOffice break where the handout breaks). Importing such a sheet must
//! not bring those breaks back into names and summaries, yet a break a person typed
//! (Alt+Enter after a sentence) is part of the text. The rule:
//!
//! > A line break is the layout's when the line before it is full: shiryo's own line
//! > breaker (JIS X 4051 rules, BIZ UDゴシック's widths, town names kept whole), given
//! > the text joined again, breaks it at exactly the same places, at the column's
//! > measure: the room in the column (its width less padding, at the Normal font's
//! > size, less shiryo's 6 % slack and a 0.1 em margin for rounding to pixels), or the
//! > widest line anywhere in the column if that is wider (by at most 10 %: a column
//! > with lines wider still, or without a width, was not laid out by shiryo and keeps
//! > every break).
//!
//! A layout fills each line up to the column's measure, so its lines re-break the same
//! way; a person's break after a line with room left on it is kept (the joined text
//! would run on). A break typed right after a line that fills the column cannot be
//! told from the layout's and is taken out (Excel would wrap there anyway). A break at a space (between
//! Latin words) is joined with that space. Sheets laid out one value per cell (a
//! number column and a column per town, as shiryo's データ sheet) are not touched.

use crate::error::Result;
use crate::layout::{break_lines, BreakRule, Fonts, Measure};
use crate::workbook_in::Sheet;

/// How much wider than the column's room a layout's widest line can measure here (the
/// program that saved the workbook may round the width to whole pixels).
const LAYOUT_OVERRUN: f32 = 1.1;

/// Takes the layout's breaks out of `columns` of `sheet`, in rows from `first_row`.
/// `towns`: the names the layout never breaks inside (the member towns).
///
/// # Errors
/// [`crate::Error::Font`] if the bundled font is damaged.
pub fn columns(
    sheet: &mut Sheet,
    first_row: usize,
    columns: &[usize],
    towns: &[String],
) -> Result<()> {
    let fonts = Fonts::bundled()?;
    let font = &fonts.regular;
    let rows = first_row..sheet.cells.len();
    for &col in columns {
        let broken = |r: &usize| sheet.cells[*r].get(col).is_some_and(|t| t.contains('\n'));
        if !rows.clone().any(|r| broken(&r)) {
            continue;
        }
        let widest = rows
            .clone()
            .filter_map(|r| sheet.cells[r].get(col))
            .flat_map(|text| text.split('\n'))
            .map(|line| font.width(line.trim_end_matches('\r')))
            .fold(0.0_f32, f32::max);
        // The room the column has, as shiryo sized it (render::xlsx::sizer: slack 6 %).
        let room = sheet
            .text_points(col)
            .zip(sheet.font_size)
            .map(|(points, size)| (points / (size * 1.06) - 0.1) as f32);
        // A layout's lines fit the column it sized (up to rounding to pixels); a
        // column with no width, or lines far wider than it, was typed by a person,
        // whose breaks are all kept.
        let Some(room) = room else { continue };
        if widest > room * LAYOUT_OVERRUN {
            continue;
        }
        let measure = room.max(widest);
        for r in rows.clone() {
            if let Some(cell) = sheet.cells[r].get_mut(col) {
                if cell.contains('\n') {
                    *cell = unwrap(cell, measure, font, towns);
                }
            }
        }
    }
    Ok(())
}

/// `text` with the breaks that re-breaking at `measure` reproduces taken out.
pub fn unwrap(text: &str, measure: f32, font: &impl Measure, towns: &[String]) -> String {
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let first = lines.next().unwrap_or_default();
    let mut out = String::from(first);
    // The paragraph being rebuilt: its lines, and the text they join to.
    let mut para: Vec<&str> = vec![first];
    let mut joined = String::from(first);
    for line in lines {
        let ends_full = !line.is_empty() && !para.last().is_some_and(|l| l.is_empty());
        let mut candidate = para.clone();
        candidate.push(line);
        let rebreaks = |sep: &str| {
            let text = format!("{joined}{sep}{line}");
            (break_lines(&text, measure, font, BreakRule::Prose, towns) == candidate)
                .then_some(text)
        };
        match ends_full
            .then(|| rebreaks("").or_else(|| rebreaks(" ")))
            .flatten()
        {
            Some(text) => {
                out.push_str(&text[joined.len()..]);
                joined = text;
                para = candidate;
            }
            None => {
                out.push('\n');
                out.push_str(line);
                para = vec![line];
                joined = line.to_string();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Fonts {
        Fonts::bundled().unwrap()
    }

    #[test]
    fn the_layouts_breaks_are_taken_out() {
        let fonts = font();
        let text = "圏域内の夜間及び休日等における重症救急患者の診療体制を確保するため、二次診療を実施する。";
        let lines = break_lines(text, 10.0, &fonts.regular, BreakRule::Prose, &[]);
        assert!(lines.len() > 2, "{lines:?}");
        // The measure as import finds it: the widest line, not the layout's width.
        let measure = lines
            .iter()
            .map(|l| fonts.regular.width(l))
            .fold(0.0, f32::max);
        assert!(measure <= 10.0);
        let cell = lines.join("\n");
        assert_eq!(unwrap(&cell, measure, &fonts.regular, &[]), text);
    }

    #[test]
    fn a_persons_break_after_a_line_with_room_left_is_kept() {
        let fonts = font();
        let text = "相談員を共同で配置する。\n巡回相談も行う。";
        assert_eq!(unwrap(text, 20.0, &fonts.regular, &[]), text);
        // Both at once: a typed break between two paragraphs the layout broke.
        let first = "相談員を共同で配置し、圏域内の障害者等からの困難事案の相談に応じる。";
        let second = "巡回相談も圏域の全市町で月に一度行い、その結果を共有する。";
        let wrapped = |t| break_lines(t, 10.0, &fonts.regular, BreakRule::Prose, &[]).join("\n");
        let cell = format!("{}\n{}", wrapped(first), wrapped(second));
        assert_eq!(
            unwrap(&cell, 10.0, &fonts.regular, &[]),
            format!("{first}\n{second}")
        );
    }

    #[test]
    fn a_town_name_the_layout_kept_whole_is_joined_without_a_space() {
        let fonts = font();
        let towns = ["旭川市".to_string()];
        let text = "二次診療を実施する旭川市にある公的医療機関に対し、負担金を支出。";
        // 9 em: 旭 would fit after 実施する, but the layout keeps 旭川市 whole.
        let lines = break_lines(text, 10.0, &fonts.regular, BreakRule::Prose, &towns);
        assert_eq!(lines[0], "二次診療を実施する");
        let measure = lines
            .iter()
            .map(|l| fonts.regular.width(l))
            .fold(0.0, f32::max);
        let cell = lines.join("\n");
        assert_eq!(unwrap(&cell, measure, &fonts.regular, &towns), text);
    }

    #[test]
    fn a_break_at_a_space_gets_its_space_back() {
        let fonts = font();
        let text = "Hokkaido Kamikawa central area joint research on online procedures";
        let lines = break_lines(text, 12.0, &fonts.regular, BreakRule::Prose, &[]);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(unwrap(&lines.join("\n"), 12.0, &fonts.regular, &[]), text);
    }

    #[test]
    fn empty_lines_and_short_cells_stay() {
        let fonts = font();
        assert_eq!(unwrap("a\n\nb", 20.0, &fonts.regular, &[]), "a\n\nb");
        assert_eq!(unwrap("", 20.0, &fonts.regular, &[]), "");
        assert_eq!(
            unwrap("旭川市\n鷹栖町", 20.0, &fonts.regular, &[]),
            "旭川市\n鷹栖町"
        );
    }
}
