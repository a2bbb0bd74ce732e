//! Line breaks, row heights and column widths of the workbook, from the font's metrics.
//!
//! Excel and LibreOffice wrap Japanese between any two characters: left to themselves
//! they split town names (上|川町) and start lines with 、. So every wrapped cell is
//! written with explicit line breaks where shiryo's JIS X 4051 breaker breaks, measured
//! [`SLACK`] narrower than the room in the cell, so that the application never needs a
//! break of its own; rows are as tall as those lines at the font's real line pitch.

use crate::layout::{break_lines, count_lines, BreakRule, Fonts, Measure};
use crate::units::{Mm, Pt};

/// Excel's largest row height, in points.
pub(super) const MAX_ROW_HEIGHT: f64 = 409.0;
/// Room an application leaves between a cell's border and its text, each side, in
/// points (LibreOffice about 1 pt, Excel 2 to 3 pixels).
pub(super) const CELL_PAD: f64 = 3.0;
/// Text is broken this much narrower than the room in its cell: an application's
/// widths differ a little from the font's (hinting at screen sizes, zoom).
pub(super) const SLACK: f64 = 0.06;
/// Above and below a cell's lines, in points: LibreOffice sets the first line's em box
/// 1 pt below the cell's top; the rest is room for Excel's rounding to pixels.
const ROW_PAD: f64 = 4.0;
/// Excel's limits for one cell.
const MAX_LINE_FEEDS: usize = 253;
const MAX_CELL_CHARS: usize = 32_767;

/// A cell's text as written: its lines joined by line feeds.
#[derive(Debug, Clone)]
pub(crate) struct Wrapped {
    pub text: String,
    pub lines: usize,
}

/// Breaks and measures text at the workbook's cell font size.
pub(crate) struct Sizer<'a> {
    pub fonts: &'a Fonts,
    /// The cells' font size in points.
    pub size: f64,
    /// Names never broken inside (the member towns).
    pub towns: Vec<String>,
}

impl Sizer<'_> {
    /// The em a line may fill in a column `width` points wide, at `size`.
    pub fn text_em(&self, width: f64, size: f64) -> f32 {
        (((width - 2.0 * CELL_PAD) / size) / (1.0 + SLACK)).max(1.0) as f32
    }

    /// The width in points of a column whose lines are `em` wide at the cell size.
    pub fn column_width(&self, em: f64) -> f64 {
        em * self.size * (1.0 + SLACK) + 2.0 * CELL_PAD
    }

    /// How many lines [`Sizer::wrap`] makes of `text`, without building them.
    pub fn lines(&self, text: &str, width: Mm, rule: BreakRule) -> usize {
        let em = self.text_em(f64::from(Pt::from(width).0), self.size);
        count_lines(text, em, &self.fonts.regular, rule, &self.towns)
    }

    /// `text` broken for a column `width` wide (cell size, regular).
    pub fn wrap(&self, text: &str, width: Mm, rule: BreakRule) -> Wrapped {
        let em = self.text_em(f64::from(Pt::from(width).0), self.size);
        let lines = break_lines(text, em, &self.fonts.regular, rule, &self.towns);
        join(&lines, text)
    }

    /// `text` in bold at `size`, broken for `width` points.
    pub fn wrap_bold(&self, text: &str, width: f64, size: f64) -> Wrapped {
        let em = self.text_em(width, size);
        let lines = break_lines(text, em, &self.fonts.bold, BreakRule::Prose, &self.towns);
        join(&lines, text)
    }

    /// The width in em of the widest of `texts` in bold.
    pub fn widest_bold<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> f64 {
        texts
            .into_iter()
            .map(|t| f64::from(self.fonts.bold.width(t)))
            .fold(0.0, f64::max)
    }

    /// The height of a row of `lines` lines at the cell size.
    pub fn height(&self, lines: usize) -> f64 {
        self.height_at(lines, self.size)
    }

    /// The height of a row of `lines` lines at `size`.
    pub fn height_at(&self, lines: usize, size: f64) -> f64 {
        let pitch = f64::from(self.fonts.regular.line_pitch());
        (lines.max(1) as f64 * size * pitch + ROW_PAD).min(MAX_ROW_HEIGHT)
    }
}

/// `lines` joined by line feeds; `original` itself when that would pass Excel's limits
/// (more than 253 line feeds or 32,767 characters in a cell): then the application
/// wraps it, but the cell still holds the whole text.
pub(super) fn join(lines: &[String], original: &str) -> Wrapped {
    let text = lines.join("\n");
    if lines.len() > MAX_LINE_FEEDS + 1 || text.encode_utf16().count() > MAX_CELL_CHARS {
        return Wrapped {
            text: original.to_string(),
            lines: lines.len(),
        };
    }
    Wrapped {
        text,
        lines: lines.len(),
    }
}

/// Points as Excel's column pixels (96 per inch).
pub(super) fn pixels_of_points(width: f64) -> u32 {
    (width * 96.0 / 72.0).round() as u32
}

/// A width in millimetres as Excel's column pixels (96 per inch).
pub(super) fn pixels(width: Mm) -> u32 {
    (f64::from(width.0) / 25.4 * 96.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizer(fonts: &Fonts) -> Sizer<'_> {
        Sizer {
            fonts,
            size: 10.0,
            towns: vec!["上川町".into(), "東神楽町".into()],
        }
    }

    #[test]
    fn lines_fit_their_column_with_slack_and_keep_names_whole() {
        let fonts = Fonts::bundled().unwrap();
        let s = sizer(&fonts);
        // 20 mm = 56.7 pt: (56.7 - 6) / 10 / 1.06 = 4.78 em, so four characters a line.
        let w = s.wrap(
            "旭川市、鷹栖町、上川町、東神楽町",
            Mm(20.0),
            BreakRule::List { sep: '、' },
        );
        assert_eq!(w.text, "旭川市、\n鷹栖町、\n上川町、\n東神楽町");
        assert_eq!(w.lines, 4);
        let w = s.wrap("負担金を、支出する。", Mm(20.0), BreakRule::Prose);
        for line in w.text.lines() {
            assert!(!line.starts_with('、') && !line.starts_with('。'), "{w:?}");
        }
        assert_eq!(s.column_width(4.0), 4.0 * 10.0 * 1.06 + 6.0);
    }

    #[test]
    fn rows_are_as_tall_as_their_lines_at_the_fonts_pitch() {
        let fonts = Fonts::bundled().unwrap();
        let s = sizer(&fonts);
        // BIZ UDGothic's pitch is 1 em: 10 pt a line, 3 pt to spare (less than a line).
        assert_eq!(s.height(1), 14.0);
        assert_eq!(s.height(3), 34.0);
        assert_eq!(s.height(100), MAX_ROW_HEIGHT);
    }

    #[test]
    fn text_beyond_excels_limits_is_left_to_the_application() {
        let lines: Vec<String> = (0..300).map(|i| i.to_string()).collect();
        let original = lines.concat();
        assert_eq!(join(&lines, &original).text, original);
        let lines: Vec<String> = (0..254).map(|i| i.to_string()).collect();
        assert_eq!(join(&lines, "x").text.matches('\n').count(), 253);
    }
}
