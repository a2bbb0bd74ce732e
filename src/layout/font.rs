//! The bundled BIZ UDGothic faces and text measurement with ttf-parser.
//!
//! Both renderers measure with the same advances the PDF embeds (`hmtx`), so a line
//! that fits here fits on paper.

use std::cell::Cell;

use ttf_parser::{Face, GlyphId};

use crate::error::{Error, Result};
use crate::template::FontFamily;

static REGULAR: &[u8] = include_bytes!("../../fonts/BIZUDGothic-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/BIZUDGothic-Bold.ttf");
/// BIZ UD明朝 has no bold: a template that chooses it keeps BIZ UDゴシック Bold for the
/// title and headers, as Japanese documents commonly do.
static MINCHO: &[u8] = include_bytes!("../../fonts/BIZUDMincho-Regular.ttf");

/// Anything that can tell how wide a character is. Line breaking and pagination take
/// this trait so that they are testable with a fixed-width fake.
pub trait Measure {
    /// Advance width of `c` in em (1.0 = the font size).
    fn advance(&self, c: char) -> f32;

    /// Width of `text` in em.
    fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.advance(c)).sum()
    }
}

/// Regular or bold; the title and header rows are bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    Regular,
    Bold,
}

/// One parsed face of the bundled font.
pub struct FontFace {
    /// PostScript-style name used in the PDF (`BIZUDGothic-Regular`).
    pub name: &'static str,
    /// The whole TrueType file.
    pub data: &'static [u8],
    face: Face<'static>,
    units_per_em: f32,
    /// Glyph id and advance of each BMP character once looked up: a 10,000-project
    /// registry measures millions of characters from a few hundred distinct ones, and
    /// a cmap lookup costs more than the rest of line breaking together.
    bmp: Box<[Cell<Option<GlyphMetric>>]>,
}

/// Glyph id (0 when missing) and advance in font units.
type GlyphMetric = (u16, u16);

impl FontFace {
    fn parse(name: &'static str, data: &'static [u8]) -> Result<FontFace> {
        let face = Face::parse(data, 0).map_err(|e| Error::Font {
            name: name.into(),
            message: e.to_string(),
        })?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(FontFace {
            name,
            data,
            face,
            units_per_em,
            bmp: (0..=u16::MAX).map(|_| Cell::new(None)).collect(),
        })
    }

    fn lookup(&self, c: char) -> GlyphMetric {
        let find = || {
            let glyph = self.face.glyph_index(c).unwrap_or(GlyphId(0));
            (glyph.0, self.face.glyph_hor_advance(glyph).unwrap_or(0))
        };
        match self.bmp.get(c as usize) {
            Some(cell) => cell.get().unwrap_or_else(|| {
                let found = find();
                cell.set(Some(found));
                found
            }),
            None => find(),
        }
    }

    /// The glyph drawing `c`, or `None` when the font lacks it.
    pub fn glyph(&self, c: char) -> Option<GlyphId> {
        Some(GlyphId(self.lookup(c).0)).filter(|g| g.0 != 0)
    }

    /// The family's name in English and Japanese, for messages (BIZ UDGothic, BIZ UDゴシック).
    pub fn family(&self) -> (&'static str, &'static str) {
        if self.name.starts_with("BIZUDMincho") {
            ("BIZ UDMincho", "BIZ UD明朝")
        } else {
            ("BIZ UDGothic", "BIZ UDゴシック")
        }
    }

    /// Distance from the baseline to the top of the em box, in em.
    pub fn ascender(&self) -> f32 {
        f32::from(self.face.ascender()) / self.units_per_em
    }

    /// Baseline-to-baseline distance that applications use for this font (ascender,
    /// descender and line gap of `hhea`), in em: LibreOffice and Excel set a cell's
    /// lines this far apart (1.0 for BIZ UDGothic).
    pub fn line_pitch(&self) -> f32 {
        let f = &self.face;
        f32::from(f.ascender() - f.descender() + f.line_gap()) / self.units_per_em
    }
}

impl Measure for FontFace {
    fn advance(&self, c: char) -> f32 {
        // A missing glyph is refused before layout (see `coverage`); .notdef's advance
        // keeps measuring total anyway.
        f32::from(self.lookup(c).1) / self.units_per_em
    }
}

/// The two faces a handout is set in: text and headings.
pub struct Fonts {
    pub regular: FontFace,
    pub bold: FontFace,
}

impl Fonts {
    /// Parses the bundled BIZ UDGothic Regular and Bold (cheap: ttf-parser reads tables lazily).
    ///
    /// # Errors
    /// [`Error::Font`] if the bundled files are damaged.
    pub fn bundled() -> Result<Fonts> {
        Fonts::family(FontFamily::Gothic)
    }

    /// The faces of `family`: its regular for text, BIZ UDゴシック Bold for headings.
    ///
    /// # Errors
    /// [`Error::Font`] if the bundled files are damaged.
    pub fn family(family: FontFamily) -> Result<Fonts> {
        let regular = match family {
            FontFamily::Gothic => FontFace::parse("BIZUDGothic-Regular", REGULAR)?,
            FontFamily::Mincho => FontFace::parse("BIZUDMincho-Regular", MINCHO)?,
        };
        Ok(Fonts {
            regular,
            bold: FontFace::parse("BIZUDGothic-Bold", BOLD)?,
        })
    }

    /// The same faces parsed again, for another thread: a face caches advances in
    /// cells, so it stays on the thread that made it.
    ///
    /// # Errors
    /// [`Error::Font`] if the bundled files are damaged.
    pub fn reparsed(&self) -> Result<Fonts> {
        Ok(Fonts {
            regular: FontFace::parse(self.regular.name, self.regular.data)?,
            bold: FontFace::parse(self.bold.name, self.bold.data)?,
        })
    }

    pub fn face(&self, style: Style) -> &FontFace {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kanji_are_full_width_and_latin_half() {
        let fonts = Fonts::bundled().unwrap();
        assert_eq!(fonts.regular.advance('旭'), 1.0);
        assert_eq!(fonts.regular.advance('、'), 1.0);
        assert_eq!(fonts.regular.advance('H'), 0.5);
        assert_eq!(fonts.bold.width("資料2"), 2.5);
        assert!(fonts.regular.glyph('\u{10FFFD}').is_none());
        // hhea: ascender 1802, descender -246, no line gap, 2048 units per em.
        assert_eq!(fonts.regular.line_pitch(), 1.0);
    }

    #[test]
    fn mincho_sets_text_and_keeps_gothic_bold_headings() {
        let fonts = Fonts::family(FontFamily::Mincho).unwrap();
        assert_eq!(fonts.regular.name, "BIZUDMincho-Regular");
        assert_eq!(fonts.bold.name, "BIZUDGothic-Bold");
        assert_eq!(fonts.regular.advance('旭'), 1.0);
        assert!(fonts.regular.glyph('鷹').is_some());
        assert_ne!(
            fonts.regular.data.len(),
            Fonts::bundled().unwrap().regular.data.len()
        );
    }
}
