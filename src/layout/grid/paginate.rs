//! Body rows onto pages.
//!
//! - a row is never cut by a page break unless it alone is taller than a page, in which
//!   case it is split between lines, a page-full at a time;
//! - a merged cell only starts with room below it for its whole text;
//! - a merged cell cut by a page break keeps its text whole on both sides: its rows on
//!   the first page grow (when there is room) and its rows on the next page are made
//!   tall enough to hold its text, which is printed there again.
//!
//! The header rows are repeated on every page by the caller: `capacity` is what is
//! left of a page below them.

use std::ops::Range;

use super::measure::Leading;

/// A merged cell as pagination sees it: the body rows it covers and the height its
/// text needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub rows: Range<usize>,
    pub need: f32,
}

/// The measured body rows of a grid.
#[derive(Debug, Clone)]
pub struct BodyRows {
    /// Height of each body row, merged cells fitted.
    pub heights: Vec<f32>,
    /// Lines of each row's tallest unmerged cell: where a row taller than a page splits.
    pub lines: Vec<usize>,
    /// The merged cells.
    pub spans: Vec<Span>,
    /// For each body row, the spans covering it (indices into `spans`).
    covering: Vec<Vec<usize>>,
}

impl BodyRows {
    pub fn new(heights: Vec<f32>, lines: Vec<usize>, spans: Vec<Span>) -> BodyRows {
        let mut covering = vec![Vec::new(); heights.len()];
        for (i, s) in spans.iter().enumerate() {
            for r in s.rows.clone() {
                covering[r].push(i);
            }
        }
        BodyRows {
            heights,
            lines,
            spans,
            covering,
        }
    }

    /// The spans covering body row `row`.
    pub fn covering(&self, row: usize) -> impl Iterator<Item = (usize, &Span)> {
        self.covering[row].iter().map(|&i| (i, &self.spans[i]))
    }
}

/// A body row (or, for a row taller than a page, a band of its lines) placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The body row (0 is the first row below the header).
    pub row: usize,
    /// From the top of the table body on this page.
    pub y: f32,
    pub height: f32,
    /// The lines of each cell drawn here; all of them unless the row was split.
    pub lines: Range<usize>,
}

/// Places body rows on pages of `capacity` points. May grow `rows.heights` so that
/// merged cells continued on a new page have room for their text there. Always at
/// least one page, empty when there are no rows.
pub fn paginate(rows: &mut BodyRows, capacity: f32, body: Leading) -> Vec<Vec<Placed>> {
    let eps = 1e-3;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = 0.0;
    for r in 0..rows.heights.len() {
        let starts: f32 = rows
            .covering(r)
            .filter(|(_, s)| s.rows.start == r)
            .map(|(_, s)| s.need)
            .fold(0.0, f32::max);
        let page_empty = pages.last().is_some_and(Vec::is_empty);
        // A new page when the row does not fit, or a merged cell would start with too
        // little room below it for its own text.
        if !page_empty && (y + rows.heights[r] > capacity + eps || y + starts > capacity + eps) {
            // Merged cells cut here keep their text whole on this page: grow their
            // last row here (there is room, as a merged cell only starts with room
            // for its text below it).
            let page = pages.last_mut().expect("one page at least");
            let mut grow = 0.0f32;
            for (_, s) in rows.covering(r).filter(|(_, s)| s.rows.start < r) {
                let fragment: f32 = page
                    .iter()
                    .filter(|p| s.rows.contains(&p.row))
                    .map(|p| p.height)
                    .sum();
                grow = grow.max(s.need - fragment);
            }
            if grow > 0.0 && y + grow <= capacity + eps {
                if let Some(last) = page.last_mut() {
                    last.height += grow;
                    rows.heights[last.row] += grow;
                }
            }
            pages.push(Vec::new());
            y = 0.0;
        }
        if pages.last().is_some_and(Vec::is_empty) {
            // Continued merged cells repeat their text here: their rows on this page
            // must be tall enough for it.
            let continued: Vec<Span> = rows
                .covering(r)
                .filter(|(_, s)| s.rows.start < r)
                .map(|(_, s)| s.clone())
                .collect();
            for s in continued {
                let rest: f32 = rows.heights[r..s.rows.end].iter().sum();
                if rest < s.need {
                    rows.heights[s.rows.end - 1] += s.need - rest;
                }
            }
        }
        let lines = rows.lines[r];
        let height = rows.heights[r];
        if height <= capacity + eps {
            pages.last_mut().expect("one page at least").push(Placed {
                row: r,
                y,
                height,
                lines: 0..lines,
            });
            y += height;
            continue;
        }
        // Taller than a page: split between lines, a page-full at a time.
        let per_page = (((capacity - 2.0 * body.pad) / body.line).floor() as usize).max(1);
        let mut first = 0;
        while first < lines {
            if !pages.last().is_some_and(Vec::is_empty) {
                pages.push(Vec::new());
            }
            let band = first..(first + per_page).min(lines);
            let height = if band.end == lines {
                body.height(band.len())
            } else {
                capacity
            };
            pages.last_mut().expect("one page at least").push(Placed {
                row: r,
                y: 0.0,
                height,
                lines: band.clone(),
            });
            y = height;
            first = band.end;
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Leading = Leading {
        pad: 2.0,
        line: 10.0,
    };

    /// Body rows of `lines` lines each, with merged cells over `spans` (rows, lines of
    /// text), fitted as measuring does (each grows the last of its rows).
    fn body(lines: &[usize], spans: &[(Range<usize>, usize)]) -> BodyRows {
        let mut heights: Vec<f32> = lines.iter().map(|&n| BODY.height(n)).collect();
        let mut spans: Vec<Span> = spans
            .iter()
            .map(|(rows, n)| Span {
                rows: rows.clone(),
                need: BODY.height(*n),
            })
            .collect();
        spans.sort_by_key(|s| s.rows.len());
        for s in &spans {
            let total: f32 = heights[s.rows.clone()].iter().sum();
            if total < s.need {
                heights[s.rows.end - 1] += s.need - total;
            }
        }
        BodyRows::new(heights, lines.to_vec(), spans)
    }

    fn rows_on_pages(pages: &[Vec<Placed>]) -> Vec<Vec<usize>> {
        pages
            .iter()
            .map(|p| p.iter().map(|p| p.row).collect())
            .collect()
    }

    fn assert_no_overflow(pages: &[Vec<Placed>], capacity: f32) {
        for (i, page) in pages.iter().enumerate() {
            let used: f32 = page.iter().map(|p| p.height).sum();
            assert!(used <= capacity + 1e-3, "page {i} overflows: {used}");
        }
    }

    /// Every run of a merged cell's rows on a page is tall enough for its text.
    fn assert_fragments_fit(pages: &[Vec<Placed>], spans: &[Span]) {
        for (i, page) in pages.iter().enumerate() {
            for s in spans {
                let fragment: f32 = page
                    .iter()
                    .filter(|p| s.rows.contains(&p.row))
                    .map(|p| p.height)
                    .sum();
                assert!(
                    fragment == 0.0 || fragment >= s.need - 1e-3,
                    "page {i}: {fragment} < {}",
                    s.need
                );
            }
        }
    }

    #[test]
    fn pages_never_overflow_and_rows_stay_whole() {
        let lines = [3, 1, 7, 2, 9, 4, 4, 1, 8, 2, 5, 3];
        let spans: Vec<(Range<usize>, usize)> = (0..lines.len())
            .map(|i| (i..i + 1, 1))
            .chain([(0..lines.len(), 1)])
            .collect();
        let mut rows = body(&lines, &spans);
        let pages = paginate(&mut rows, 100.0, BODY);
        // Greedy filling (rows of 34, 14, 74, 24, 94, 44, 44, 14, 84, 24, 54, 34 pt):
        // 34+14+74 > 100 breaks before row 2, 44+44+14 > 100 before row 7, and so on.
        assert_eq!(
            rows_on_pages(&pages),
            [
                vec![0, 1],
                vec![2, 3],
                vec![4],
                vec![5, 6],
                vec![7, 8],
                vec![9, 10],
                vec![11]
            ]
        );
        assert_no_overflow(&pages, 100.0);
        for p in pages.iter().flatten() {
            assert_eq!(p.lines, 0..lines[p.row], "row {} is whole", p.row);
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines() {
        let mut rows = body(&[2, 25, 2], &[(0..1, 1), (1..2, 1), (2..3, 1), (0..3, 1)]);
        let pages = paginate(&mut rows, 100.0, BODY);
        let bands: Vec<Range<usize>> = pages
            .iter()
            .flatten()
            .filter(|p| p.row == 1)
            .map(|p| p.lines.clone())
            .collect();
        // 9 lines fit in 100 pt (2 × 2 pt padding + 9 × 10 pt).
        assert_eq!(bands, [0..9, 9..18, 18..25]);
        // Row 0 alone on page 1, each band on its own page, row 2 after the last band.
        assert_eq!(
            rows_on_pages(&pages),
            [vec![0], vec![1], vec![1], vec![1, 2]]
        );
        assert_no_overflow(&pages, 100.0);
    }

    #[test]
    fn a_merged_cell_continued_on_a_new_page_gets_room_for_its_text() {
        // Category over rows 1..4, its text 6 lines (64 pt); rows 3 lines (34 pt).
        let mut rows = body(&[5, 3, 3, 3], &[(0..1, 1), (1..4, 6), (0..4, 1)]);
        let pages = paginate(&mut rows, 100.0, BODY);
        // Page 1: row 0 (54 pt) and row 1 would leave the category 46 pt < 64 pt: row 1
        // starts page 2. Rows 1 and 2 (68 pt) fill page 2; row 3 alone continues the
        // category on page 3, and grows from 34 pt to the category's 64 pt.
        assert_eq!(rows_on_pages(&pages), [vec![0], vec![1, 2], vec![3]]);
        assert_eq!(rows.heights[..3], [54.0, 34.0, 34.0]);
        assert!((rows.heights[3] - 64.0).abs() < 1e-3, "{:?}", rows.heights);
        assert_fragments_fit(&pages, &rows.spans);
    }

    #[test]
    fn merged_cells_cut_by_a_page_break_fit_their_text_on_both_pages() {
        // An area's text of 4 lines (44 pt) over six 1-line rows (14 pt), pages of 50
        // pt: three rows (42 pt) fit on page 1, two pt short of the text, so the third
        // row grows by 2 pt there.
        let spans: Vec<(Range<usize>, usize)> =
            (0..6).map(|i| (i..i + 1, 1)).chain([(0..6, 4)]).collect();
        let mut rows = body(&[1; 6], &spans);
        let pages = paginate(&mut rows, 50.0, BODY);
        assert_eq!(rows_on_pages(&pages), [vec![0, 1, 2], vec![3, 4, 5]]);
        assert_eq!(pages[0][2].height, 16.0);
        assert_fragments_fit(&pages, &rows.spans);
        assert_no_overflow(&pages, 50.0);
    }

    #[test]
    fn fragments_fit_for_many_shapes() {
        // Deterministic variety: row heights and span sizes cycle through primes.
        for capacity in [60.0, 80.0, 130.0] {
            let lines: Vec<usize> = (0..40).map(|i| 1 + (i * 7) % 5).collect();
            let spans: Vec<(Range<usize>, usize)> = (0..14)
                .map(|c| (c * 3..(c * 3 + 3).min(40), 1 + c % 4))
                .chain((0..4).map(|a| (a * 10..a * 10 + 10, 2 + a)))
                .collect();
            let mut rows = body(&lines, &spans);
            let pages = paginate(&mut rows, capacity, BODY);
            assert_fragments_fit(&pages, &rows.spans);
            assert_no_overflow(&pages, capacity);
            let order: Vec<usize> = pages.iter().flatten().map(|p| p.row).collect();
            assert_eq!(order, (0..40).collect::<Vec<_>>());
        }
    }
}
