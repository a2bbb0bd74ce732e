//! Documents: what a registry means, resolved into something the layout sets.
//!
//! Each document turns validated data and a template into a [`Sheet`](crate::layout::Sheet)
//! (a title, a label, a [`CellGrid`](crate::layout::grid::CellGrid), notes): the layout
//! never sees projects or towns, only cells.
//!
//! - [`progress`]: the 資料2 progress table (or the 成果指標 table), columns from the
//!   template.
//! - [`comparison`]: the 新旧対照表 of two registries (新 | 旧 | 備考).
//! - [`redline`]: the handout in 見え消し against an older registry.

pub mod comparison;
pub mod progress;
pub mod redline;
