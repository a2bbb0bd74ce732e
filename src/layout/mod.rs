//! Stage 2: text measurement, Japanese line breaking, tables and pages.
//!
//! In: a [`Sheet`] (a title, a label, a [`grid::CellGrid`], notes), which a document
//! resolves from the registry ([`crate::documents`]), and the template's page style.
//! Out: a [`Handout`] (positioned text runs and boxes per page, each with its [`Role`])
//! for the PDF renderer; the workbook uses [`break_lines`] and [`Fonts`] to size its
//! rows (or a [`grid::MeasuredGrid`]'s lines), and [`Page::rows`] to break its pages
//! where the handout does.
//!
//! ```text
//! handout.rs   Handout, Page, TextRun, CellBox, Role: what is drawn and what it is
//! flow.rs      blocks down a page: label, title (wraps), table, 凡例/注記, page number
//! grid/        CellGrid (cells, spans, kinds) → measure → paginate → draw
//! ```

mod coverage;
pub mod flow;
mod font;
pub mod grid;
mod handout;
mod linebreak;

pub use crate::documents::progress::layout_handout;
pub use coverage::check_glyphs;
pub use flow::Sheet;
pub use font::{FontFace, Fonts, Measure, Style};
pub use handout::{
    Artifact, CellBox, CellKind, CellRef, Decoration, DecorationKind, Extraction, Handout, Page,
    Pagination, Role, TableShape, TextRun,
};
pub use linebreak::{break_lines, count_lines, BreakRule, NO_LINE_END, NO_LINE_START};
