//! Stage 2: text measurement, Japanese line breaking and table pagination.
//!
//! In: a validated [`Registry`](crate::model::Registry) and a [`Template`](crate::template::Template).
//! Out: a [`Handout`] (positioned text runs and boxes per page, each with its [`Role`])
//! for the PDF renderer; the workbook renderer uses [`break_lines`] and [`Fonts`] to
//! size its rows, and [`Page::rows`] to break its pages where the handout does.

mod coverage;
mod font;
mod handout;
mod linebreak;
mod table;

pub use coverage::check_glyphs;
pub use font::{FontFace, Fonts, Measure, Style};
pub use handout::{
    Artifact, CellBox, CellKind, CellRef, Handout, Page, Pagination, Role, TableShape, TextRun,
};
pub use linebreak::{break_lines, count_lines, BreakRule, NO_LINE_END, NO_LINE_START};
pub use table::layout_handout;
