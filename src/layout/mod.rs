//! Stage 2: text measurement, Japanese line breaking and table pagination.
//!
//! In: a validated [`Registry`](crate::model::Registry) and a [`Template`](crate::template::Template).
//! Out: a [`Handout`] (positioned text runs and boxes per page) for the PDF renderer;
//! the workbook renderer uses [`break_lines`] and [`Fonts`] to size its rows.

mod coverage;
mod font;
mod linebreak;
mod table;

pub use coverage::check_glyphs;
pub use font::{FontFace, Fonts, Measure, Style};
pub use linebreak::{break_lines, count_lines, BreakRule, NO_LINE_END, NO_LINE_START};
pub use table::{layout_handout, CellBox, Handout, Page, TextRun};
