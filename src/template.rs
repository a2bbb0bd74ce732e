//! Layout choices that staff may change without touching code (templates/*.yaml).
//!
//! The bundled templates are compiled in, so the binary works from any folder:
//! `shiryo2` (the default, the 資料2 progress table) and `seika` (the 成果指標 table).
//! `--template NAME` picks one of them, `--template FILE` reads another file of the
//! same shape.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Problem, Result};
use crate::tr;
use crate::units::Mm;

/// The default bundled template's text.
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/shiryo2.yaml");

/// The bundled templates: (name, text).
pub const BUNDLED: [(&str, &str); 2] = [
    ("shiryo2", DEFAULT_TEMPLATE),
    ("seika", include_str!("../templates/seika.yaml")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub pdf: PdfStyle,
    /// The handout's columns, left to right.
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
    /// The typeface of the handout's text; headings are always BIZ UDゴシック Bold.
    #[serde(default)]
    pub font: FontFamily,
    /// Dates and 年度 in 和暦 followed by the Western year: 令和7年度（2025年度）.
    #[serde(default)]
    pub western_year: bool,
    /// The title printed: `{title}` is the registry's (`{title}（成果指標）`).
    #[serde(default = "registry_title")]
    pub title: String,
}

fn registry_title() -> String {
    "{title}".into()
}

/// The bundled typefaces (both SIL OFL 1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FontFamily {
    /// BIZ UDゴシック.
    #[default]
    Gothic,
    /// BIZ UD明朝 (Regular only: headings stay BIZ UDゴシック Bold).
    Mincho,
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

/// What a handout column shows, from the spec's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKey {
    /// 政策分野, merged over its projects.
    Area,
    /// The category (ア、医療), merged over its projects.
    Category,
    /// `<no> <name>`.
    Project,
    /// 取組状況.
    Status,
    /// 取組内容・事業概要.
    Summary,
    /// 関係市町, never broken inside a name.
    Towns,
    /// 主担当 (the lead town).
    Lead,
    /// 担当課.
    Department,
    /// The evaluation grade (a key of the 凡例, which is printed under the table).
    Grade,
    /// 今後の方向性.
    Direction,
    /// 成果指標: per KPI its indicator and unit, then baseline, target and actual with
    /// their 年度.
    Kpi,
    /// 事業費 of the registry's `fiscal_year` (else its latest budget year), all towns
    /// together, in the registry's unit.
    Budget,
}

/// One column of the handout's table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableColumn {
    pub key: ColumnKey,
    /// The header text. `{count}` is the number of projects, `{year}` the budget's
    /// 年度 (令和7年度), `{unit}` the budget's unit (千円). A column without a header
    /// shares the header cell of the column to its right (連携事業名 spans the category
    /// and project columns).
    #[serde(default)]
    pub header: Option<String>,
    pub width: Mm,
}

/// The handout's columns, left to right.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Columns(pub Vec<TableColumn>);

impl Columns {
    /// Widths left to right.
    pub fn widths(&self) -> Vec<Mm> {
        self.0.iter().map(|c| c.width).collect()
    }

    /// The header cells: (columns spanned, text with `{name}` replaced by the value
    /// of `vars` named so), left to right. A column without a header joins the next
    /// one's cell; trailing columns without a header share an empty cell.
    pub fn header_cells(&self, vars: &[(&str, &str)]) -> Vec<(std::ops::Range<usize>, String)> {
        let mut cells = Vec::new();
        let mut start = 0;
        for (i, c) in self.0.iter().enumerate() {
            if let Some(h) = &c.header {
                let mut text = h.clone();
                for (name, value) in vars {
                    text = text.replace(&format!("{{{name}}}"), value);
                }
                cells.push((start..i + 1, text));
                start = i + 1;
            }
        }
        if start < self.0.len() {
            cells.push((start..self.0.len(), String::new()));
        }
        cells
    }

    /// The column showing `key`, if the template has one.
    pub fn get(&self, key: ColumnKey) -> Option<&TableColumn> {
        self.0.iter().find(|c| c.key == key)
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
    /// The machine-readable sheet (one row per project, one value per cell).
    #[serde(default)]
    pub data_sheet: DataSheet,
}

/// The data sheet's name and column headers; the member towns follow as columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataSheet {
    pub name: String,
    pub area: String,
    pub category: String,
    pub number: String,
    pub project: String,
    pub status: String,
    pub summary: String,
}

impl Default for DataSheet {
    fn default() -> Self {
        let s = |t: &str| t.to_string();
        DataSheet {
            name: s("データ"),
            area: s("政策分野"),
            category: s("区分"),
            number: s("番号"),
            project: s("連携事業名"),
            status: s("取組状況"),
            summary: s("取組内容・事業概要"),
        }
    }
}

impl DataSheet {
    /// The headers of the fixed columns, left to right.
    pub fn headers(&self) -> [&str; 6] {
        [
            &self.area,
            &self.category,
            &self.number,
            &self.project,
            &self.status,
            &self.summary,
        ]
    }
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
        Template::bundled("shiryo2").expect("the bundled template is valid (tested)")
    }
}

impl Template {
    /// A bundled template by name (`shiryo2`, `seika`); `None` for another name.
    pub fn bundled(name: &str) -> Option<Template> {
        let (name, text) = BUNDLED.iter().find(|(n, _)| *n == name)?;
        let path = format!("templates/{name}.yaml");
        Some(
            Template::parse(Path::new(&path), text)
                .expect("the bundled templates are valid (tested)"),
        )
    }

    /// A bundled template when `name_or_path` is one's name, else the file.
    ///
    /// # Errors
    /// As [`Template::load`].
    pub fn find(name_or_path: &Path) -> Result<Template> {
        match name_or_path.to_str().and_then(Template::bundled) {
            Some(t) => Ok(t),
            None => Template::load(name_or_path),
        }
    }

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
        if widths.is_empty() {
            problems.push(Problem::new(
                Location::default(),
                tr!(
                    "the template has no columns",
                    "テンプレートに列がありません"
                ),
            ));
        }
        for (i, c) in t.columns.0.iter().enumerate() {
            if t.columns.0[..i].iter().any(|o| o.key == c.key) {
                let key = format!("{:?}", c.key).to_lowercase();
                problems.push(Problem::new(
                    Location::default(),
                    tr!(
                        "the column {key} is listed twice",
                        "列 {key} が二度指定されています"
                    ),
                ));
            }
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
    fn bundled_templates_are_valid_and_fill_a4_landscape() {
        for (name, _) in BUNDLED {
            let t = Template::bundled(name).unwrap();
            let table: f32 = t.columns.widths().iter().map(|w| w.0).sum();
            assert!((table - (297.0 - 20.0)).abs() < 0.01, "{name}: {table}");
        }
        assert!(Template::bundled("nope").is_none());
    }

    #[test]
    fn a_column_without_a_header_shares_the_next_ones_cell() {
        let t = Template::default();
        let keys: Vec<ColumnKey> = t.columns.0.iter().map(|c| c.key).collect();
        use ColumnKey::*;
        assert_eq!(keys, [Area, Category, Project, Status, Summary, Towns]);
        let cells = t.columns.header_cells(&[("count", "18")]);
        assert_eq!(cells[1], (1..3, "連携事業名（18事業）".to_string()));
        assert_eq!(cells.len(), 5);
        let text = "pdf: {}\n";
        let _ = text;
        let trailing = Columns(vec![
            TableColumn {
                key: Project,
                header: Some("P".into()),
                width: Mm(10.0),
            },
            TableColumn {
                key: Status,
                header: None,
                width: Mm(10.0),
            },
        ]);
        assert_eq!(
            trailing.header_cells(&[]),
            [(0..1, "P".to_string()), (1..2, String::new())]
        );
    }

    #[test]
    fn too_wide_columns_are_refused() {
        let text = DEFAULT_TEMPLATE.replace(
            "{key: summary,  header: 取組内容・事業概要, width: 108}",
            "{key: summary,  header: 取組内容・事業概要, width: 300}",
        );
        assert_ne!(text, DEFAULT_TEMPLATE);
        let err = Template::parse(Path::new("t.yaml"), &text).unwrap_err();
        assert!(err.to_string().contains("mm wide"), "{err}");
    }

    #[test]
    fn unknown_and_repeated_columns_are_refused() {
        let text = DEFAULT_TEMPLATE.replace("{key: status,", "{key: colour,");
        let err = Template::parse(Path::new("t.yaml"), &text).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        let text = DEFAULT_TEMPLATE.replace("{key: status,", "{key: towns,");
        let err = Template::parse(Path::new("t.yaml"), &text).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
    }
}
