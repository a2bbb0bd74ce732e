//! Layout choices that staff may change without touching code (templates/shiryo2.yaml).
//!
//! The bundled template is compiled in, so the binary works from any folder;
//! `--template FILE` reads another file of the same shape.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Problem, Result};
use crate::tr;
use crate::units::Mm;

/// The bundled template's text.
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/shiryo2.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub pdf: PdfStyle,
    pub columns: Columns,
    pub xlsx: XlsxStyle,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfStyle {
    pub paper: Paper,
    pub margins: Margins,
    pub font_size: FontSizes,
    /// Baseline-to-baseline distance as a multiple of the font size.
    pub line_height: f32,
    pub cell_padding: Mm,
    /// Thickness of the table rules, in points.
    pub rule_width: f32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    pub width: Mm,
    pub height: Mm,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: Mm,
    pub right: Mm,
    pub bottom: Mm,
    pub left: Mm,
}

/// Font sizes in points.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSizes {
    pub label: f32,
    pub title: f32,
    pub header: f32,
    pub body: f32,
    pub footer: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    #[serde(default)]
    pub header: String,
    pub width: Mm,
}

/// The six columns of the 資料2 table, left to right.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub area: Column,
    pub category: Column,
    /// Its header holds `{count}`, the number of projects, and spans the category column.
    pub project: Column,
    pub status: Column,
    pub summary: Column,
    pub towns: Column,
}

impl Columns {
    /// Widths left to right.
    pub fn widths(&self) -> [Mm; 6] {
        [
            self.area.width,
            self.category.width,
            self.project.width,
            self.status.width,
            self.summary.width,
            self.towns.width,
        ]
    }

    /// The project header with its count, e.g. 連携事業名（18事業）.
    pub fn project_header(&self, count: usize) -> String {
        self.project.header.replace("{count}", &count.to_string())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XlsxStyle {
    pub font_size: f64,
    pub title_font_size: f64,
    pub participation_sheet: String,
    pub town_columns: TownColumns,
    pub town_count_label: String,
    pub participation_mark: String,
    pub total_label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownColumns {
    pub number: Column,
    pub area: Column,
    pub project: Column,
    pub status: Column,
    pub summary: Column,
}

impl TownColumns {
    pub fn all(&self) -> [&Column; 5] {
        [
            &self.number,
            &self.area,
            &self.project,
            &self.status,
            &self.summary,
        ]
    }
}

impl Default for Template {
    fn default() -> Self {
        Template::parse(Path::new("templates/shiryo2.yaml"), DEFAULT_TEMPLATE)
            .expect("the bundled template is valid (tested)")
    }
}

impl Template {
    /// Reads a template file.
    ///
    /// # Errors
    /// [`Error::Io`] when unreadable; [`Error::Invalid`] with line and column when malformed.
    pub fn load(path: &Path) -> Result<Template> {
        let text = crate::registry::read_text(path, 1024 * 1024)?;
        Template::parse(path, &text)
    }

    /// Parses template text; `path` is used in messages only.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the YAML is malformed or a size is out of range.
    pub fn parse(path: &Path, text: &str) -> Result<Template> {
        let t: Template = crate::registry::from_yaml(path, text)?;
        let mut problems = Vec::new();
        let mut bad = |what: &str| {
            problems.push(Problem::new(
                Location::default(),
                tr!(
                    "{what} must be a positive number",
                    "{what} は正の数にしてください"
                ),
            ))
        };
        let p = &t.pdf;
        let sizes = [
            p.font_size.label,
            p.font_size.title,
            p.font_size.header,
            p.font_size.body,
            p.font_size.footer,
            p.line_height,
            p.rule_width,
        ];
        if sizes.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
            bad("every pdf.font_size, pdf.line_height and pdf.rule_width");
        }
        if !(p.cell_padding.0 >= 0.0 && p.cell_padding.0 < 20.0) {
            bad("pdf.cell_padding (under 20 mm)");
        }
        let widths = t.columns.widths();
        if widths.iter().any(|w| !(w.0.is_finite() && w.0 > 0.0)) {
            bad("every column width");
        }
        if !(t.xlsx.font_size > 0.0 && t.xlsx.title_font_size > 0.0) {
            bad("xlsx.font_size and xlsx.title_font_size");
        }
        let table: f32 = widths.iter().map(|w| w.0).sum();
        let room = p.paper.width.0 - p.margins.left.0 - p.margins.right.0;
        if table > room + 0.01 {
            problems.push(
                Problem::new(
                    Location::default(),
                    tr!(
                        "the columns are {table} mm wide but the page has {room} mm between the margins",
                        "列幅の合計が {table} mm ですが、ページの左右の余白の間は {room} mm です"
                    ),
                )
                .with_help(tr!(
                    "narrow the columns or the margins",
                    "列か余白を狭くしてください"
                )),
            );
        }
        if p.paper.height.0 - p.margins.top.0 - p.margins.bottom.0 < 50.0 {
            problems.push(Problem::new(
                Location::default(),
                tr!(
                    "the page leaves less than 50 mm between the top and bottom margins",
                    "ページの上下の余白の間が 50 mm 未満です"
                ),
            ));
        }
        if problems.is_empty() {
            Ok(t)
        } else {
            Err(Error::invalid(path, problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_template_is_valid_and_fills_a4_landscape() {
        let t = Template::default();
        let table: f32 = t.columns.widths().iter().map(|w| w.0).sum();
        assert_eq!(table, 297.0 - 20.0);
        assert_eq!(t.columns.project_header(18), "連携事業名（18事業）");
    }

    #[test]
    fn too_wide_columns_are_refused() {
        let text = DEFAULT_TEMPLATE.replace(
            "summary:  {header: 取組内容・事業概要, width: 108}",
            "summary:  {header: 取組内容・事業概要, width: 300}",
        );
        let err = Template::parse(Path::new("t.yaml"), &text).unwrap_err();
        assert!(err.to_string().contains("mm wide"), "{err}");
    }
}
