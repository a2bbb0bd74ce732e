//! Layout choices that staff may change without touching code (templates/*.yaml).
//!
//! The bundled templates are compiled in, so the binary works from any folder:
//! `shiryo2` (the default, the 資料2 progress table) and `seika` (the 成果指標 table).
//! `--template NAME` picks one of them, `--template FILE` reads another file of the
//! same shape.

mod check;
mod defaults;

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Problem, Result};
use crate::tr;
use crate::units::Mm;
use defaults::shiryo2;

/// The default bundled template's text.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/shiryo2.yaml");

/// The bundled templates: (name, text).
pub const BUNDLED: [(&str, &str); 2] = [
    ("shiryo2", DEFAULT_TEMPLATE),
    ("seika", include_str!("../../templates/seika.yaml")),
];

/// A template file states what it changes: every field it leaves out (a whole section,
/// or one margin) is the default template's (`templates/shiryo2.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    #[serde(default = "shiryo2::pdf")]
    pub pdf: PdfStyle,
    /// The handout's columns, left to right.
    #[serde(default = "shiryo2::columns")]
    pub columns: Columns,
    #[serde(default = "shiryo2::xlsx")]
    pub xlsx: XlsxStyle,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfStyle {
    #[serde(default = "shiryo2::paper")]
    pub paper: Paper,
    #[serde(default = "shiryo2::margins")]
    pub margins: Margins,
    #[serde(default = "shiryo2::font_size")]
    pub font_size: FontSizes,
    /// Baseline-to-baseline distance as a multiple of the font size.
    #[serde(default = "shiryo2::line_height")]
    pub line_height: f32,
    #[serde(default = "shiryo2::cell_padding")]
    pub cell_padding: Mm,
    /// Thickness of the table rules, in points.
    #[serde(default = "shiryo2::rule_width")]
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
    #[serde(default = "shiryo2::paper_width")]
    pub width: Mm,
    #[serde(default = "shiryo2::paper_height")]
    pub height: Mm,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    #[serde(default = "shiryo2::margin_top")]
    pub top: Mm,
    #[serde(default = "shiryo2::margin_right")]
    pub right: Mm,
    #[serde(default = "shiryo2::margin_bottom")]
    pub bottom: Mm,
    #[serde(default = "shiryo2::margin_left")]
    pub left: Mm,
}

/// Font sizes in points.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSizes {
    #[serde(default = "shiryo2::label_size")]
    pub label: f32,
    #[serde(default = "shiryo2::title_size")]
    pub title: f32,
    #[serde(default = "shiryo2::header_size")]
    pub header: f32,
    #[serde(default = "shiryo2::body_size")]
    pub body: f32,
    #[serde(default = "shiryo2::footer_size")]
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
    #[serde(default = "shiryo2::xlsx_font_size")]
    pub font_size: f64,
    #[serde(default = "shiryo2::xlsx_title_font_size")]
    pub title_font_size: f64,
    #[serde(default = "shiryo2::participation_sheet")]
    pub participation_sheet: String,
    #[serde(default = "shiryo2::town_columns")]
    pub town_columns: TownColumns,
    #[serde(default = "shiryo2::town_count_label")]
    pub town_count_label: String,
    #[serde(default = "shiryo2::participation_mark")]
    pub participation_mark: String,
    #[serde(default = "shiryo2::total_label")]
    pub total_label: String,
    /// The machine-readable sheet (one row per project, one value per cell).
    #[serde(default = "shiryo2::data_sheet")]
    pub data_sheet: DataSheet,
}

/// The data sheet's name and column headers; the member towns follow as columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSheet {
    #[serde(default = "shiryo2::data_name")]
    pub name: String,
    #[serde(default = "shiryo2::data_area")]
    pub area: String,
    #[serde(default = "shiryo2::data_category")]
    pub category: String,
    #[serde(default = "shiryo2::data_number")]
    pub number: String,
    #[serde(default = "shiryo2::data_project")]
    pub project: String,
    #[serde(default = "shiryo2::data_status")]
    pub status: String,
    #[serde(default = "shiryo2::data_summary")]
    pub summary: String,
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
    #[serde(default = "shiryo2::town_number")]
    pub number: Column,
    #[serde(default = "shiryo2::town_area")]
    pub area: Column,
    #[serde(default = "shiryo2::town_project")]
    pub project: Column,
    #[serde(default = "shiryo2::town_status")]
    pub status: Column,
    #[serde(default = "shiryo2::town_summary")]
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
        defaults::default_template().clone()
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
        let found = t.problems();
        if found.is_empty() {
            return Ok(t);
        }
        // Each problem at the first of its places that the file states (a value left
        // out comes from the default template and has no place in this file).
        let paths: Vec<&str> = found
            .iter()
            .flat_map(|f| f.at.iter().map(String::as_str))
            .collect();
        let mut places = crate::registry::locate::locate(text, &paths).into_iter();
        let problems = found
            .into_iter()
            .map(|f| {
                let at: Vec<Location> = places.by_ref().take(f.at.len()).collect();
                let at = at.into_iter().find(Location::is_known).unwrap_or_default();
                let problem = Problem::new(at, f.message);
                match f.help {
                    Some(help) => problem.with_help(help),
                    None => problem,
                }
            })
            .collect();
        Err(Error::invalid(path, problems))
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

    #[test]
    fn a_template_states_only_what_it_changes() {
        let text = "pdf:\n  margins: {top: 15}\n  font: mincho\ncolumns:\n  - {key: project, header: 事業, width: 100}\n  - {key: kpi, header: 成果指標, width: 177}\n";
        let t = Template::parse(Path::new("t.yaml"), text).unwrap();
        let base = Template::default();
        assert_eq!(t.pdf.margins.top.0, 15.0);
        assert_eq!(t.pdf.margins.bottom.0, base.pdf.margins.bottom.0);
        assert_eq!(t.pdf.font, FontFamily::Mincho);
        assert_eq!(t.pdf.font_size.body, base.pdf.font_size.body);
        assert_eq!(t.pdf.paper.width.0, 297.0);
        let keys: Vec<ColumnKey> = t.columns.0.iter().map(|c| c.key).collect();
        assert_eq!(keys, [ColumnKey::Project, ColumnKey::Kpi]);
        assert_eq!(t.xlsx.participation_sheet, base.xlsx.participation_sheet);
        assert_eq!(t.xlsx.data_sheet.name, "データ");
        assert_eq!(t.xlsx.town_columns.summary.width.0, 150.0);
        // An empty mapping is the default template.
        let empty = Template::parse(Path::new("t.yaml"), "{}").unwrap();
        assert_eq!(empty.columns.widths(), base.columns.widths());
    }

    #[test]
    fn value_problems_are_located_where_the_file_states_them() {
        let text = "pdf:\n  margins: {top: 100, bottom: 80}\n  font_size: {body: -1}\ncolumns:\n  - {key: summary, header: 概要, width: 100}\n  - {key: towns, header: 関係市町, width: 0}\n  - {key: summary, header: x, width: 10}\n";
        let err = Template::parse(Path::new("t.yaml"), text).unwrap_err();
        let at: Vec<(usize, usize)> = err
            .problems()
            .iter()
            .map(|p| (p.location.line, p.location.column))
            .collect();
        // margins (key), font_size.body (value), columns[1].width, columns[2].key
        assert_eq!(at, [(2, 3), (3, 21), (6, 39), (7, 11)], "{err}");
        // Too wide for paper the file does not change: at the columns key.
        let text = "columns:\n  - {key: summary, header: 概要, width: 300}\n";
        let err = Template::parse(Path::new("t.yaml"), text).unwrap_err();
        assert_eq!(err.problems()[0].location, Location::new(1, 1), "{err}");
    }
}
