//! A measured, paginated grid drawn onto a page: boxes and text runs with their roles,
//! in reading order (row by row, left to right; a merged cell before the first of its
//! rows on the page).

use super::measure::MeasuredGrid;
use super::paginate::Placed;
use super::{Align, GridCell};
use crate::layout::font::{Fonts, Measure};
use crate::layout::handout::{
    Artifact, CellBox, CellRef, DecorationKind, Extraction, Page, Pagination, Role, TextRun,
};
use crate::units::Pt;

/// Where the table stands on the page, in points from the top-left corner.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    /// The table's left edge.
    pub left: f32,
    /// The top of the header rows.
    pub top: f32,
}

impl GridCell {
    /// The cell as the handout's roles name it.
    pub fn cell_ref(&self) -> CellRef {
        CellRef {
            row: self.row,
            column: self.column,
            rowspan: self.rowspan,
            colspan: self.colspan,
            kind: self.kind,
            project: self.key,
        }
    }
}

const RULE: Role = Role::Artifact(Artifact::Layout);

impl MeasuredGrid<'_> {
    /// Draws the header rows at `at`; on a page after the first (`repeated`) they are
    /// artifacts.
    pub fn draw_header(&self, page: &mut Page, fonts: &Fonts, at: Origin, repeated: bool) {
        let grid = self.grid;
        for r in 0..grid.header_rows {
            for i in grid.starting_at(r) {
                let c = &grid.cells[i];
                let y: f32 = self.header_heights[..c.row].iter().sum();
                let height: f32 = self.header_heights[c.rows()].iter().sum();
                let bx = self.cell_box(c, at.left, at.top + y, height);
                page.boxes.push(bx);
                let cell = c.cell_ref();
                let role = if repeated {
                    Role::Artifact(Artifact::Pagination(Pagination::HeaderCell(cell)))
                } else {
                    Role::Cell(cell)
                };
                self.draw_lines(page, fonts, &self.lines[i], None, bx, c, role);
            }
        }
    }

    /// Draws the body rows `placed` of one page, the body's top at `body_top`.
    ///
    /// A merged cell set at the top (政策分野, category) is printed once, over the run of
    /// its rows on the page. Its text is also put, not shown (an artifact in text render
    /// mode 3), at the top of each later row of the run that its text does not reach:
    /// poppler's `pdftotext` (see `tests/integration/reading_order.rs`) takes a block
    /// into a table only when the block under it lines up with the block under its right
    /// neighbour, which for a cell over several rows is the next row's. Without these a
    /// merged label is left out of the table and read after the whole page.
    pub fn draw_body(
        &self,
        page: &mut Page,
        fonts: &Fonts,
        placed: &[Placed],
        left: f32,
        body_top: f32,
    ) {
        let grid = self.grid;
        let h = grid.header_rows;
        let mut here: Vec<usize> = Vec::new();
        // The merged cells drawn on this page and the bottom of their text so far.
        let mut reach: Vec<(usize, f32)> = Vec::new();
        for (i, p) in placed.iter().enumerate() {
            here.clear();
            // Merged cells begun above: on the page's first row they continue (printed
            // again); below it, they may be put again unseen.
            here.extend(
                self.body
                    .covering(p.row)
                    .filter(|(_, s)| s.rows.start < p.row)
                    .map(|(s, _)| self.span_cells[s]),
            );
            here.extend(grid.starting_at(h + p.row));
            here.sort_by_key(|&c| grid.cells[c].column);
            for &ci in &here {
                let c = &grid.cells[ci];
                if c.is_merged() {
                    // One box over the run of its rows on this page, its whole text
                    // inside: content where the cell begins, an artifact after a break.
                    let rows = c.rows();
                    let last = placed[i..]
                        .iter()
                        .take_while(|q| rows.contains(&(h + q.row)))
                        .last()
                        .unwrap_or(p);
                    let bx = self.cell_box(c, left, body_top + p.y, last.y + last.height - p.y);
                    let begins = h + p.row == c.row;
                    if i > 0 && !begins {
                        let Some(at) = reach.iter_mut().find(|(k, _)| *k == ci) else {
                            continue;
                        };
                        // The top line of the row, as its other cells set it.
                        if c.valign != Align::Start || bx.y.0 + self.metrics.pad < at.1 {
                            continue;
                        }
                        let role = Role::Artifact(Artifact::Spanned(c.cell_ref()));
                        at.1 = self.draw_lines(page, fonts, &self.lines[ci], None, bx, c, role);
                        continue;
                    }
                    page.boxes.push(bx);
                    let first_print = begins && p.lines.start == 0;
                    let role = if first_print {
                        Role::Cell(c.cell_ref())
                    } else {
                        Role::Artifact(Artifact::Pagination(Pagination::ContinuedCell(
                            c.cell_ref(),
                        )))
                    };
                    let bottom = self.draw_lines(page, fonts, &self.lines[ci], None, bx, c, role);
                    reach.push((ci, bottom));
                } else {
                    let bx = self.cell_box(c, left, body_top + p.y, p.height);
                    page.boxes.push(bx);
                    let lines = &self.lines[ci];
                    let end = p.lines.end.min(lines.len());
                    let start = p.lines.start.min(end);
                    if c.text.trim().is_empty() {
                        // Where the row starts: the rest of a row split by a page break
                        // is a summary's lines alone, as the cells that have ended
                        // leave it.
                        if p.lines.start == 0 {
                            self.draw_placeholder(page, fonts, bx, c);
                        }
                        continue;
                    }
                    self.draw_lines(
                        page,
                        fonts,
                        lines,
                        Some(start..end),
                        bx,
                        c,
                        Role::Cell(c.cell_ref()),
                    );
                }
            }
        }
    }

    fn cell_box(&self, c: &GridCell, left: f32, y: f32, height: f32) -> CellBox {
        CellBox {
            x: Pt(left + self.grid.x(c.column)),
            y: Pt(y),
            width: Pt(self.grid.width(c.columns())),
            height: Pt(height),
            role: RULE,
        }
    }

    /// An empty cell's unseen stand-in for extraction: a blank glyph (U+3000, which every
    /// bundled face has) where the cell's first line would start, given as a
    /// zero-width space ([`Extraction::Placeholder`]).
    fn draw_placeholder(&self, page: &mut Page, fonts: &Fonts, bx: CellBox, c: &GridCell) {
        let blank = GridCell {
            text: "\u{3000}".into(),
            ..c.clone()
        };
        let role = Role::Artifact(Artifact::EmptyCell(c.cell_ref()));
        let lines = [blank.text.clone()];
        self.draw_lines(page, fonts, &lines, None, bx, &blank, role);
        if let Some(t) = page.texts.last_mut() {
            t.extraction = Extraction::Placeholder;
        }
    }

    /// Appends the runs of the cell's `lines` (only those in `shown`, when given: a
    /// row split by a page break) inside a box, placed as the cell asks. Returns the
    /// bottom of the lines drawn.
    #[allow(clippy::too_many_arguments)]
    fn draw_lines(
        &self,
        page: &mut Page,
        fonts: &Fonts,
        all: &[String],
        shown: Option<std::ops::Range<usize>>,
        bx: CellBox,
        c: &GridCell,
        role: Role,
    ) -> f32 {
        let size = self.metrics.size(self.grid, c.row);
        let pad = self.metrics.pad;
        let lh = size * self.metrics.line_height;
        let face = fonts.face(c.style);
        // Only the lines that fit: a merged cell's continuation is made tall enough by
        // pagination, this only guards against a template with absurd sizes.
        let room = ((bx.height.0 - 2.0 * pad) / lh + 1e-3).floor().max(0.0) as usize;
        let first = shown.as_ref().map_or(0, |r| r.start);
        let lines = &all[shown.unwrap_or(0..all.len())];
        let lines = &lines[..lines.len().min(room.max(1))];
        // Where each line starts in the cell's text, when there is something to draw
        // under or through it.
        let starts = if c.decorations.is_empty() {
            None
        } else {
            line_starts(&c.text, all)
        };
        // Where the text of a line must end for extraction: 1 em short of where the next
        // column's text can start (see [`extraction`]); a right-aligned cell's word
        // starts where the text area does.
        let last_column = c.column + c.colspan >= self.grid.widths.len();
        let limit = if last_column {
            f32::INFINITY
        } else {
            bx.x.0 + bx.width.0 + pad - size - 0.01
        };
        let from = (c.align == Align::End).then_some(Pt(bx.x.0 + pad));
        let block = lines.len() as f32 * lh;
        let top = match c.valign {
            Align::Start => bx.y.0 + pad,
            Align::Center => bx.y.0 + (bx.height.0 - block) / 2.0,
            Align::End => bx.y.0 + bx.height.0 - pad - block,
        };
        for (k, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            let x = match c.align {
                Align::Start => bx.x.0 + pad,
                Align::Center => bx.x.0 + (bx.width.0 - face.width(line) * size) / 2.0,
                Align::End => bx.x.0 + bx.width.0 - pad - face.width(line) * size,
            };
            let baseline = top + k as f32 * lh + (lh - size) / 2.0 + face.ascender() * size;
            let runs = match &starts {
                Some(starts) => decorated_runs(line, starts[first + k], &c.decorations),
                None => vec![(line.clone(), None)],
            };
            let mut x = x;
            for (text, kind) in runs {
                let width = face.width(&text) * size;
                let extraction = extraction(face, &text, x, size, limit, from);
                page.texts.push(TextRun {
                    x: Pt(x),
                    baseline: Pt(baseline),
                    size: Pt(size),
                    style: c.style,
                    decoration: kind.map(|k| k.at(width, size, face.ascender())),
                    text,
                    role,
                    extraction,
                });
                x += width;
            }
        }
        top + block
    }
}

/// How extraction is to take a run of a cell's line set at `x`, `size` points, whose
/// text should end by `limit`.
///
/// poppler's `pdftotext` (TextPage::coalesce) builds its text blocks from words split
/// at white space: a word joins the block on its line only when it starts within
/// 0.3 em of the block, or within 1 em when at most three lines have such a word. So a
/// cell's line with a wide space (a KPI's 基準値　目標値) falls apart into two blocks,
/// one read after the row, and a line reaching the column's edge (the padding on both
/// sides is under 1 em) takes the next column's text on its line into its block,
/// interleaving the two cells' lines. Such a run is given to extraction as one word:
/// its own text, white space included, as ActualText (the words of pdftotext's output
/// are unchanged), its extent ending before the characters past `limit`.
///
/// A right-aligned cell's numbers (事業費) of different lengths start at different
/// places, which poppler's table detection does not take for one column next to a
/// left-aligned one: their word is made to start at the text area's left, `from`.
fn extraction(
    face: &impl Measure,
    text: &str,
    x: f32,
    size: f32,
    limit: f32,
    from: Option<Pt>,
) -> Extraction {
    let chars: Vec<char> = text.chars().collect();
    let wide_space = chars
        .iter()
        .any(|&c| c.is_whitespace() && face.advance(c) >= MIN_COLUMN_GAP);
    let mut end = x;
    let mut within = 0;
    for (k, &c) in chars.iter().enumerate() {
        end += face.advance(c) * size;
        if end <= limit {
            within = k + 1;
        }
    }
    // A run past the limit from its first character keeps that one in its extent.
    let tail = chars.len() - within.max(1).min(chars.len());
    let from = from.filter(|f| f.0 < x);
    if wide_space || tail > 0 || from.is_some() {
        Extraction::OneWord { from, tail }
    } else {
        Extraction::AsDrawn
    }
}

/// poppler's minColSpacing1: a gap (in em) from which words on one line may be taken
/// for two columns.
const MIN_COLUMN_GAP: f32 = 0.3;

/// The char index in `text` where each of its `lines` (as line breaking made them)
/// starts: breaking drops only white space (spaces at a break, forced breaks), so each
/// line is found after skipping white space. `None` if a line is not where expected.
fn line_starts(text: &str, lines: &[String]) -> Option<Vec<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let mut starts = Vec::with_capacity(lines.len());
    for line in lines {
        let l: Vec<char> = line.chars().collect();
        if let Some(&first) = l.first() {
            while at < chars.len() && chars[at] != first && chars[at].is_whitespace() {
                at += 1;
            }
            if chars.get(at..at + l.len()) != Some(&l[..]) {
                return None;
            }
        }
        starts.push(at);
        at += l.len();
    }
    Some(starts)
}

/// `line` (starting at char `start` of its cell's text) cut where its decorations
/// begin and end.
fn decorated_runs(
    line: &str,
    start: usize,
    decorations: &[(std::ops::Range<usize>, DecorationKind)],
) -> Vec<(String, Option<DecorationKind>)> {
    let kind_at = |i: usize| {
        decorations
            .iter()
            .find(|(r, _)| r.contains(&i))
            .map(|(_, k)| *k)
    };
    let mut runs: Vec<(String, Option<DecorationKind>)> = Vec::new();
    for (k, ch) in line.chars().enumerate() {
        let kind = kind_at(start + k);
        match runs.last_mut() {
            Some((text, last)) if *last == kind => text.push(ch),
            _ => runs.push((ch.to_string(), kind)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::grid::measure::GridMetrics;
    use crate::layout::grid::CellGrid;
    use crate::layout::CellKind;

    #[test]
    fn a_merged_label_is_put_again_unseen_on_each_later_row_its_text_does_not_reach() {
        let fonts = Fonts::bundled().unwrap();
        let metrics = GridMetrics {
            pad: 2.0,
            line_height: 1.25,
            header_size: 8.0,
            body_size: 8.0,
        };
        // A label of two lines (16 pt of text a line) over four rows of one line: its
        // text reaches into the second row's top line, its copy on the third row into
        // the fourth's.
        let mut cells = vec![
            GridCell {
                kind: CellKind::ColumnHeader,
                ..GridCell::new(0, 0, "区分")
            },
            GridCell {
                kind: CellKind::ColumnHeader,
                ..GridCell::new(0, 1, "事業")
            },
            GridCell {
                rowspan: 4,
                kind: CellKind::RowHeader,
                ..GridCell::new(1, 0, "福祉医療")
            },
        ];
        cells.extend((1..5).map(|r| GridCell::new(r, 1, format!("事業{r}"))));
        let grid = CellGrid::new(vec![20.0, 60.0], 1, 4, cells, vec![]);
        let m = MeasuredGrid::new(&grid, metrics, &fonts);
        assert_eq!(m.body.heights, [14.0; 4]);
        let mut y = 0.0;
        let placed: Vec<Placed> = (0..4)
            .map(|row| {
                let p = Placed {
                    row,
                    y,
                    height: 14.0,
                    lines: 0..1,
                };
                y += 14.0;
                p
            })
            .collect();
        let mut page = Page::default();
        m.draw_body(&mut page, &fonts, &placed, 0.0, 0.0);
        let label = |hidden: bool| {
            page.texts
                .iter()
                .filter(|t| t.role.is_hidden() == hidden && t.text.starts_with('福'))
                .map(|t| t.baseline.0)
                .collect::<Vec<_>>()
        };
        let first = |row: f32| label(false)[0] + 14.0 * row;
        assert_eq!(label(false).len(), 1, "printed once");
        // Row 1 starts under the label's first line: its second line covers it.
        assert_eq!(label(true), [first(2.0)]);
        let copy = page.texts.iter().find(|t| t.role.is_hidden()).unwrap();
        assert_eq!(copy.role.cell(), Some(grid.cells[2].cell_ref()));
        // In reading order, before the row's own cell; no box of its own.
        let order: Vec<(&str, bool)> = page
            .texts
            .iter()
            .map(|t| (t.text.as_str(), t.role.is_hidden()))
            .collect();
        assert_eq!(
            order,
            [
                ("福祉", false),
                ("医療", false),
                ("事業1", false),
                ("事業2", false),
                ("福祉", true),
                ("医療", true),
                ("事業3", false),
                ("事業4", false)
            ]
        );
        assert_eq!(page.boxes.len(), 5);
    }

    #[test]
    fn a_run_is_one_word_for_extraction_where_poppler_would_split_or_join_its_block() {
        let fonts = Fonts::bundled().unwrap();
        let face = &fonts.regular;
        let plain = |text: &str, limit: f32, from: Option<Pt>| {
            extraction(face, text, 0.0, 10.0, limit, from)
        };
        assert_eq!(plain("事業", f32::INFINITY, None), Extraction::AsDrawn);
        // A full-width space (1 em) between a KPI's values.
        assert_eq!(
            plain(
                "基準値：1（令和元年度）　目標値：2（令和7年度）",
                f32::INFINITY,
                None
            ),
            Extraction::OneWord {
                from: None,
                tail: 0
            }
        );
        // 事 ends at 10 pt, 業 at 20: past a limit of 15, 業 is left out of the extent,
        // and a first character past the limit stays in.
        assert_eq!(
            plain("事業", 15.0, None),
            Extraction::OneWord {
                from: None,
                tail: 1
            }
        );
        assert_eq!(
            plain("事業", 5.0, None),
            Extraction::OneWord {
                from: None,
                tail: 1
            }
        );
        // A right-aligned amount's word starts at the text area's left.
        assert_eq!(
            plain("1,500", f32::INFINITY, Some(Pt(-20.0))),
            Extraction::OneWord {
                from: Some(Pt(-20.0)),
                tail: 0
            }
        );
        assert_eq!(
            plain("1,500", f32::INFINITY, Some(Pt(0.0))),
            Extraction::AsDrawn
        );
    }

    #[test]
    fn lines_are_found_in_the_text_past_dropped_white_space() {
        let lines: Vec<String> = ["一行目", "二行", "目", "", "四"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            line_starts("一行目\n二行 目\n\n四", &lines),
            Some(vec![0, 4, 7, 8, 10])
        );
        assert_eq!(line_starts("別の文", &lines[..1]), None);
    }

    #[test]
    fn runs_are_cut_at_decoration_edges() {
        let d = [(2..4, DecorationKind::Underline)];
        let runs = decorated_runs("公的医療機関等", 3, &d);
        assert_eq!(
            runs,
            [
                ("公".to_string(), Some(DecorationKind::Underline)),
                ("的医療機関等".to_string(), None)
            ]
        );
    }
}
