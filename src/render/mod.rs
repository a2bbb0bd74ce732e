//! Stage 3: the outputs. [`pdf`] draws a laid-out [`Handout`](crate::layout::Handout);
//! [`xlsx`] writes the workbook from the model, sizing rows with the layout's metrics;
//! [`html`] (a web page of the table) and [`csv`] (one row per project) write from the
//! model alone.

pub mod csv;
pub mod fields;
pub mod html;
pub mod limits;
pub mod pdf;
pub mod xlsx;

pub use csv::write_csv;
pub use html::write_html;
pub use pdf::{write_pdf, PdfInfo};
pub use xlsx::write_xlsx;

/// Text escaped for XML and HTML content and attribute values: one function for the
/// web page and the PDF's XMP (`&#39;` rather than `&apos;`, which HTML 4 readers lack).
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
