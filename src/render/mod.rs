//! Stage 3: the outputs. [`pdf`] draws a laid-out [`Handout`](crate::layout::Handout);
//! [`xlsx`] writes the workbook from the model, sizing rows with the layout's metrics;
//! [`html`] (a web page of the table) and [`csv`] (one row per project) write from the
//! model alone.

pub mod csv;
pub mod html;
pub mod limits;
pub mod pdf;
pub mod xlsx;

pub use csv::write_csv;
pub use html::write_html;
pub use pdf::{write_pdf, PdfInfo};
pub use xlsx::write_xlsx;
