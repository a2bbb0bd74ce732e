//! A grid measured once: every cell broken into lines, every row's height, merged cells
//! made to fit their text. Pagination and drawing read it; so may the workbook (the
//! same lines, at the sizes it was measured for).

use super::paginate::{BodyRows, Span};
use super::CellGrid;
use crate::layout::font::Fonts;
use crate::layout::linebreak::break_lines;

/// Sizes a grid is measured at.
#[derive(Debug, Clone, Copy)]
pub struct GridMetrics {
    /// Padding inside a cell, on every side, in points.
    pub pad: f32,
    /// Baseline-to-baseline distance as a multiple of the font size.
    pub line_height: f32,
    /// Font size of header rows, in points.
    pub header_size: f32,
    /// Font size of body rows, in points.
    pub body_size: f32,
}

/// Vertical metrics of cells at one font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leading {
    /// Padding above and below the text.
    pub pad: f32,
    /// Baseline-to-baseline distance.
    pub line: f32,
}

impl Leading {
    /// The height of a cell of `lines` lines.
    pub fn height(self, lines: usize) -> f32 {
        lines as f32 * self.line + 2.0 * self.pad
    }
}

impl GridMetrics {
    pub fn leading(&self, size: f32) -> Leading {
        Leading {
            pad: self.pad,
            line: size * self.line_height,
        }
    }
}

/// The grid with its cells broken into lines and its rows sized.
#[derive(Debug, Clone)]
pub struct MeasuredGrid<'g> {
    pub grid: &'g CellGrid,
    pub metrics: GridMetrics,
    /// The lines of each cell of `grid.cells`, same index.
    pub lines: Vec<Vec<String>>,
    /// The height of each header row.
    pub header_heights: Vec<f32>,
    /// Body rows: heights (merged cells fitted), lines, merged cells as spans.
    pub body: BodyRows,
    /// For each span of `body.spans`, its cell (index into `grid.cells`).
    pub span_cells: Vec<usize>,
}

impl<'g> MeasuredGrid<'g> {
    /// Breaks every cell into lines with `fonts` and sizes the rows.
    pub fn new(grid: &'g CellGrid, metrics: GridMetrics, fonts: &Fonts) -> MeasuredGrid<'g> {
        let rows = grid.header_rows + grid.body_rows;
        let mut lines = Vec::with_capacity(grid.cells.len());
        let mut needs = Vec::with_capacity(grid.cells.len());
        // Natural heights: the tallest one-row cell that is not merged.
        let mut heights = vec![0.0f32; rows];
        let mut row_lines = vec![1usize; grid.body_rows];
        for c in &grid.cells {
            let size = metrics.size(grid, c.row);
            let width = grid.width(c.columns()) - 2.0 * metrics.pad;
            let face = fonts.face(c.style);
            let broken = break_lines(&c.text, width / size, face, c.rule, &grid.keep_whole);
            let need = metrics.leading(size).height(broken.len());
            if !c.is_merged() && c.rowspan == 1 {
                heights[c.row] = heights[c.row].max(need);
                if c.row >= grid.header_rows {
                    let r = c.row - grid.header_rows;
                    row_lines[r] = row_lines[r].max(broken.len());
                }
            }
            lines.push(broken);
            needs.push(need);
        }
        for (r, h) in heights.iter_mut().enumerate() {
            if *h == 0.0 {
                *h = metrics.leading(metrics.size(grid, r)).height(1);
            }
        }
        // Merged cells, the narrower (fewer rows) first: growing one can only help
        // the cells that contain it. Each grows the last of its rows.
        let mut merged: Vec<usize> = (0..grid.cells.len())
            .filter(|&i| grid.cells[i].is_merged())
            .collect();
        merged.sort_by_key(|&i| {
            (
                grid.cells[i].rowspan,
                std::cmp::Reverse(grid.cells[i].column),
            )
        });
        for &i in &merged {
            let c = &grid.cells[i];
            let total: f32 = heights[c.rows()].iter().sum();
            if total < needs[i] {
                heights[c.rows().end - 1] += needs[i] - total;
            }
        }

        let h = grid.header_rows;
        let mut span_cells: Vec<usize> = merged
            .into_iter()
            .filter(|&i| grid.cells[i].row >= h)
            .collect();
        span_cells.sort_unstable();
        let spans = span_cells
            .iter()
            .map(|&i| Span {
                rows: grid.cells[i].row - h..grid.cells[i].rows().end - h,
                need: needs[i],
            })
            .collect();
        let header_heights = heights[..h].to_vec();
        let body = BodyRows::new(heights.split_off(h), row_lines, spans);
        MeasuredGrid {
            grid,
            metrics,
            lines,
            header_heights,
            body,
            span_cells,
        }
    }

    /// The height of the header rows together.
    pub fn header_height(&self) -> f32 {
        self.header_heights.iter().sum()
    }
}

impl GridMetrics {
    /// The font size of grid row `row`.
    pub fn size(&self, grid: &CellGrid, row: usize) -> f32 {
        if row < grid.header_rows {
            self.header_size
        } else {
            self.body_size
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Align, GridCell};
    use super::*;
    use crate::layout::handout::CellKind;

    #[test]
    fn merged_cells_grow_their_last_row_and_nested_ones_count_first() {
        let fonts = Fonts::bundled().unwrap();
        let metrics = GridMetrics {
            pad: 2.0,
            line_height: 1.25,
            header_size: 8.0,
            body_size: 8.0,
        };
        // 8 pt text in columns 20 pt wide (16 pt of text: two characters a line).
        let merged = |row, rowspan, column, text: &str| GridCell {
            rowspan,
            kind: CellKind::RowHeader,
            valign: Align::Center,
            ..GridCell::new(row, column, text)
        };
        let cells = vec![
            GridCell {
                colspan: 3,
                kind: CellKind::ColumnHeader,
                ..GridCell::new(0, 0, "見出")
            },
            // Outer: 8 lines (84 pt); inner: 6 lines (64 pt), over rows 1 and 2.
            merged(1, 3, 0, &"あ".repeat(16)),
            merged(1, 2, 1, &"い".repeat(12)),
            merged(3, 1, 1, "う"),
            GridCell::new(1, 2, "え"),
            GridCell::new(2, 2, "おおおお"),
            GridCell::new(3, 2, "か"),
        ];
        let grid = CellGrid::new(vec![20.0; 3], 1, 3, cells, vec![]);
        let m = MeasuredGrid::new(&grid, metrics, &fonts);
        let o = grid
            .cells
            .iter()
            .position(|c| c.text == "おおおお")
            .unwrap();
        assert_eq!(m.lines[o], ["おお", "おお"]);
        assert_eq!(m.header_heights, [14.0]);
        // Natural: 14, 24, 14. The inner cell makes row 2 64 - 14 = 50; the outer one
        // then needs 84 - 14 - 50 - 14 = 6 more in row 3.
        assert_eq!(m.body.heights, [14.0, 50.0, 20.0]);
        assert_eq!(m.body.lines, [1, 2, 1]);
        let spans: Vec<_> = m
            .body
            .spans
            .iter()
            .map(|s| (s.rows.clone(), s.need))
            .collect();
        assert_eq!(spans, [(0..3, 84.0), (0..2, 64.0), (2..3, 14.0)]);
    }
}
