//! A table as a grid of cells, free of any document's meaning.
//!
//! A document (`documents::progress` for 資料2, a 新旧対照表 next) resolves its data
//! into a [`CellGrid`]: column widths, header rows, and cells with their row and column
//! spans, kind and alignment. The grid is then
//! - measured once ([`measure`]: every cell broken into lines, row heights, merged
//!   cells made to fit their text; the workbook may read the same lines),
//! - paginated ([`paginate`]: the header repeated on every page, rows kept whole unless
//!   taller than a page, merged cells cut by a page break repeated with their text),
//! - drawn ([`draw`]: text runs and boxes with their [`Role`](super::Role)s, in reading
//!   order).

pub mod draw;
pub mod measure;
pub mod paginate;

use std::ops::Range;

use super::font::Style;
use super::handout::{CellKind, DecorationKind};
use super::linebreak::BreakRule;

pub use measure::{GridMetrics, MeasuredGrid};
pub use paginate::{paginate, Placed};

/// Horizontal or vertical placement of a cell's text in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left, or top.
    Start,
    Center,
    /// Right (figures), or bottom.
    End,
}

/// One cell: where it is, what it says and how it is set.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    /// Top grid row (header rows first, then body rows).
    pub row: usize,
    /// Left grid column.
    pub column: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub kind: CellKind,
    pub text: String,
    pub style: Style,
    /// How the text may be broken (a list of names is never broken inside a name).
    pub rule: BreakRule,
    pub align: Align,
    pub valign: Align,
    /// The document's key of the body row (a project's index), for roles and for
    /// the rows each page lists; `None` for header cells and cells over several rows.
    pub key: Option<usize>,
    /// Lines drawn under or through characters of `text` (char index ranges, in
    /// order, not overlapping): the changed characters of a 新旧対照表 or 見え消し.
    pub decorations: Vec<(Range<usize>, DecorationKind)>,
}

impl GridCell {
    /// A one-by-one body data cell of body row `row` (0-based, below the header).
    pub fn new(row: usize, column: usize, text: impl Into<String>) -> GridCell {
        GridCell {
            row,
            column,
            rowspan: 1,
            colspan: 1,
            kind: CellKind::Data,
            text: text.into(),
            style: Style::Regular,
            rule: BreakRule::Prose,
            align: Align::Start,
            valign: Align::Start,
            key: None,
            decorations: Vec::new(),
        }
    }

    pub fn rows(&self) -> Range<usize> {
        self.row..self.row + self.rowspan
    }

    pub fn columns(&self) -> Range<usize> {
        self.column..self.column + self.colspan
    }

    /// A merged cell's treatment: its whole text is drawn over each run of its rows
    /// on a page (printed again after a page break), placed as `valign` says. Row headers
    /// get it even over one row, so that a split row repeats its category.
    pub fn is_merged(&self) -> bool {
        self.rowspan > 1 || self.kind == CellKind::RowHeader
    }
}

/// A resolved table: columns, header rows and body cells.
///
/// Rows count from the top: `0..header_rows` are the header (repeated on every page),
/// then `body_rows` body rows. Every grid position is covered by exactly one cell
/// (checked by [`CellGrid::new`]).
#[derive(Debug, Clone)]
pub struct CellGrid {
    /// Column widths in points, left to right.
    pub widths: Vec<f32>,
    pub header_rows: usize,
    pub body_rows: usize,
    /// All cells, ordered by top row, then left column.
    pub cells: Vec<GridCell>,
    /// Names never broken inside (member towns).
    pub keep_whole: Vec<String>,
    /// For each grid row, the cells whose top row it is (a range of `cells`).
    starts: Vec<Range<usize>>,
}

impl CellGrid {
    /// A grid of `widths.len()` columns and `header_rows + body_rows` rows.
    ///
    /// # Panics
    /// If a cell leaves the grid, or a position is covered by no cell or by more than
    /// one: documents build grids from validated data, so this is a bug in the
    /// document's code, never a user's input.
    pub fn new(
        widths: Vec<f32>,
        header_rows: usize,
        body_rows: usize,
        mut cells: Vec<GridCell>,
        keep_whole: Vec<String>,
    ) -> CellGrid {
        let columns = widths.len();
        let rows = header_rows + body_rows;
        let mut covered = vec![0usize; rows * columns];
        for c in &cells {
            assert!(
                c.rowspan > 0
                    && c.colspan > 0
                    && c.rows().end <= rows
                    && c.columns().end <= columns,
                "cell at row {}, column {} leaves the {rows}×{columns} grid",
                c.row,
                c.column
            );
            for r in c.rows() {
                for k in c.columns() {
                    covered[r * columns + k] += 1;
                }
            }
        }
        if let Some(i) = covered.iter().position(|&n| n != 1) {
            panic!(
                "grid position row {}, column {} is covered by {} cells",
                i / columns,
                i % columns,
                covered[i]
            );
        }
        cells.sort_by_key(|c| (c.row, c.column));
        let mut starts = Vec::with_capacity(rows);
        let mut i = 0;
        for r in 0..rows {
            let first = i;
            while i < cells.len() && cells[i].row == r {
                i += 1;
            }
            starts.push(first..i);
        }
        CellGrid {
            widths,
            header_rows,
            body_rows,
            cells,
            keep_whole,
            starts,
        }
    }

    pub fn columns(&self) -> usize {
        self.widths.len()
    }

    /// Indices (into `cells`) of the cells whose top row is grid row `row`.
    pub fn starting_at(&self, row: usize) -> Range<usize> {
        self.starts[row].clone()
    }

    /// Width in points of the columns `cols`.
    pub fn width(&self, cols: Range<usize>) -> f32 {
        self.widths[cols].iter().sum()
    }

    /// Left edge of column `col`, from the table's left edge.
    pub fn x(&self, col: usize) -> f32 {
        self.widths[..col].iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(c: usize) -> GridCell {
        GridCell {
            kind: CellKind::ColumnHeader,
            ..GridCell::new(0, c, "h")
        }
    }

    /// Two columns: a header row, a cell over body rows 1 and 2 beside two cells.
    fn cells() -> Vec<GridCell> {
        vec![
            GridCell::new(2, 1, "c"),
            header(0),
            header(1),
            GridCell {
                rowspan: 2,
                ..GridCell::new(1, 0, "a")
            },
            GridCell::new(1, 1, "b"),
        ]
    }

    #[test]
    fn cells_are_ordered_and_found_by_their_top_row() {
        let grid = CellGrid::new(vec![10.0, 20.0], 1, 2, cells(), vec![]);
        let texts: Vec<&str> = grid.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["h", "h", "a", "b", "c"]);
        assert_eq!(grid.starting_at(1), 2..4);
        assert_eq!(grid.starting_at(2), 4..5);
        assert_eq!(grid.x(1), 10.0);
        assert_eq!(grid.width(0..2), 30.0);
    }

    #[test]
    #[should_panic(expected = "row 2, column 1 is covered by 0 cells")]
    fn a_gap_is_a_bug() {
        let mut gap = cells();
        gap.remove(0);
        CellGrid::new(vec![10.0, 20.0], 1, 2, gap, vec![]);
    }

    #[test]
    #[should_panic(expected = "covered by 2 cells")]
    fn an_overlap_is_a_bug() {
        let mut twice = cells();
        twice.push(GridCell::new(2, 0, "x"));
        CellGrid::new(vec![10.0, 20.0], 1, 2, twice, vec![]);
    }

    #[test]
    #[should_panic(expected = "leaves the 3×2 grid")]
    fn a_cell_outside_is_a_bug() {
        let mut outside = cells();
        outside.push(GridCell::new(3, 0, "x"));
        CellGrid::new(vec![10.0, 20.0], 1, 2, outside, vec![]);
    }
}
