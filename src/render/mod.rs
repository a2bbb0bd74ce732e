//! Stage 3: the outputs. [`pdf`] draws a laid-out [`Handout`](crate::layout::Handout);
//! [`xlsx`] writes the workbook from the model, sizing rows with the layout's metrics.

pub mod pdf;
pub mod xlsx;

pub use pdf::{write_pdf, PdfInfo};
pub use xlsx::write_xlsx;
