//! The default template as the source of every value a template file leaves out.

use std::cell::Cell;
use std::path::Path;
use std::sync::OnceLock;

use super::*;

/// The default template, parsed once; the fields a template file leaves out are taken
/// from it. It states every field itself, so parsing it never asks for a default.
pub(super) fn default_template() -> &'static Template {
    static BASE: OnceLock<Template> = OnceLock::new();
    thread_local!(static PARSING: Cell<bool> = const { Cell::new(false) });
    if let Some(t) = BASE.get() {
        return t;
    }
    // A field missing from shiryo2.yaml would otherwise wait on itself for ever.
    assert!(
        !PARSING.get(),
        "templates/shiryo2.yaml must state every field"
    );
    PARSING.set(true);
    let t = BASE.get_or_init(|| {
        Template::parse(Path::new("templates/shiryo2.yaml"), DEFAULT_TEMPLATE)
            .expect("the bundled templates are valid (tested)")
    });
    PARSING.set(false);
    t
}

/// Serde's defaults for the fields a template file leaves out: the default template's.
macro_rules! defaults_from_shiryo2 {
    ($($name:ident: $ty:ty = $($field:ident).+;)*) => {
        pub(in crate::template) mod shiryo2 {
            use super::*;
            $(pub(in crate::template) fn $name() -> $ty { default_template().$($field).+.clone() })*
        }
    };
}

defaults_from_shiryo2! {
    pdf: PdfStyle = pdf;
    columns: Columns = columns;
    xlsx: XlsxStyle = xlsx;
    paper: Paper = pdf.paper;
    paper_width: Mm = pdf.paper.width;
    paper_height: Mm = pdf.paper.height;
    margins: Margins = pdf.margins;
    margin_top: Mm = pdf.margins.top;
    margin_right: Mm = pdf.margins.right;
    margin_bottom: Mm = pdf.margins.bottom;
    margin_left: Mm = pdf.margins.left;
    font_size: FontSizes = pdf.font_size;
    label_size: f32 = pdf.font_size.label;
    title_size: f32 = pdf.font_size.title;
    header_size: f32 = pdf.font_size.header;
    body_size: f32 = pdf.font_size.body;
    footer_size: f32 = pdf.font_size.footer;
    line_height: f32 = pdf.line_height;
    cell_padding: Mm = pdf.cell_padding;
    rule_width: f32 = pdf.rule_width;
    xlsx_font_size: f64 = xlsx.font_size;
    xlsx_title_font_size: f64 = xlsx.title_font_size;
    participation_sheet: String = xlsx.participation_sheet;
    town_columns: TownColumns = xlsx.town_columns;
    town_number: Column = xlsx.town_columns.number;
    town_area: Column = xlsx.town_columns.area;
    town_project: Column = xlsx.town_columns.project;
    town_status: Column = xlsx.town_columns.status;
    town_summary: Column = xlsx.town_columns.summary;
    town_count_label: String = xlsx.town_count_label;
    participation_mark: String = xlsx.participation_mark;
    total_label: String = xlsx.total_label;
    data_sheet: DataSheet = xlsx.data_sheet;
    data_name: String = xlsx.data_sheet.name;
    data_area: String = xlsx.data_sheet.area;
    data_category: String = xlsx.data_sheet.category;
    data_number: String = xlsx.data_sheet.number;
    data_project: String = xlsx.data_sheet.project;
    data_status: String = xlsx.data_sheet.status;
    data_summary: String = xlsx.data_sheet.summary;
}
