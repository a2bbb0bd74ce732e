//! Row heights and column widths from the font's metrics, measured the way the PDF
//! layout measures them.

use crate::layout::{count_lines, BreakRule, Fonts};
use crate::units::Mm;

/// Excel's largest row height, in points.
pub(super) const MAX_ROW_HEIGHT: f64 = 409.0;

/// Turns text into row heights the way the PDF layout does, at the sheet's font size.
pub(super) struct Sizer<'a> {
    pub fonts: &'a Fonts,
    pub size: f64,
    pub towns: Vec<String>,
}

impl Sizer<'_> {
    /// Lines `text` takes in a column `width` wide.
    pub fn lines(&self, text: &str, width: Mm, rule: BreakRule) -> usize {
        // Excel leaves about 3 px of padding each side of a wrapped cell and wraps by
        // its own rules: measure a little narrower so that its lines never outnumber ours.
        let points = f64::from(width.0) * 72.0 / 25.4 - 6.0;
        let em = (points / self.size * 0.95) as f32;
        count_lines(text, em.max(1.0), &self.fonts.regular, rule, &self.towns)
    }

    /// The height of a row with `lines` lines.
    pub fn height(&self, lines: usize) -> f64 {
        (lines as f64 * self.size * 1.3 + 5.0).min(MAX_ROW_HEIGHT)
    }
}

/// A width in millimetres as Excel's column pixels (96 per inch).
pub(super) fn pixels(width: Mm) -> u32 {
    (f64::from(width.0) / 25.4 * 96.0).round() as u32
}
