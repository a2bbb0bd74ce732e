//! Stage 2: registry + template → [`Handout`], the 資料2 table set on pages.
//!
//! Rows are measured (every cell broken into lines), merged 政策分野 and category cells
//! are made to fit their text, then rows are paginated:
//! - the header row is repeated on every page;
//! - a row is never cut by a page break unless it alone is taller than a page, in which
//!   case it is split between lines;
//! - a merged cell cut by a page break is drawn again, with its text, on the next page,
//!   and the rows there are made tall enough to hold that text.
//!
//! Coordinates are in points from the top-left corner of the page; the PDF renderer
//! flips them. The renderer never measures text: everything it draws is here.

use std::ops::Range;

use super::font::{Fonts, Measure, Style};
use super::handout::{
    Artifact, CellBox, CellKind, CellRef, Handout, Page, Pagination, Role, TableShape, TextRun,
};
use super::linebreak::{break_lines, BreakRule};
use crate::model::Registry;
use crate::template::Template;
use crate::units::Pt;

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Start,
    Center,
}

/// Text broken into lines for one cell.
#[derive(Debug, Clone)]
struct Cell {
    lines: Vec<String>,
}

/// A project row, measured.
struct Row {
    /// Index of its policy area's and its category's [`Group`] (area 0, category 1).
    groups: [usize; 2],
    /// Project, status, summary, towns.
    cells: [Cell; 4],
    height: f32,
}

/// A merged cell (policy area or category) over the rows `rows`.
struct Group {
    rows: Range<usize>,
    cell: Cell,
    /// Height its text needs.
    need: f32,
}

/// Vertical metrics of table cells at one font size.
#[derive(Clone, Copy)]
struct Leading {
    /// Padding above and below the text.
    pad: f32,
    /// Baseline-to-baseline distance.
    line: f32,
}

impl Leading {
    fn height(self, lines: usize) -> f32 {
        lines as f32 * self.line + 2.0 * self.pad
    }
}

/// A row (or, for a row taller than a page, a band of its lines) placed on a page.
#[derive(Debug, Clone)]
struct Placed {
    row: usize,
    /// From the top of the table body.
    y: f32,
    height: f32,
    /// The lines of each cell drawn here; all of them unless the row was split.
    lines: Range<usize>,
}

/// Shared measurements for one handout.
struct Metrics<'a> {
    fonts: &'a Fonts,
    tpl: &'a Template,
    pad: f32,
    line_height: f32,
    /// Left edge of each column, and the right edge of the table last.
    col_x: [f32; 7],
    /// Member town names, kept whole wherever they occur.
    towns: Vec<String>,
}

impl Metrics<'_> {
    fn col_width(&self, i: usize) -> f32 {
        self.col_x[i + 1] - self.col_x[i]
    }

    fn lh(&self, size: f32) -> f32 {
        size * self.line_height
    }

    /// Breaks `text` for a cell `width` points wide.
    fn cell(&self, text: &str, width: f32, size: f32, style: Style, rule: BreakRule) -> Cell {
        let em = (width - 2.0 * self.pad) / size;
        Cell {
            lines: break_lines(text, em, self.fonts.face(style), rule, &self.towns),
        }
    }

    fn leading(&self, size: f32) -> Leading {
        Leading {
            pad: self.pad,
            line: self.lh(size),
        }
    }

    fn height(&self, lines: usize, size: f32) -> f32 {
        self.leading(size).height(lines)
    }

    /// Appends the runs of `lines` inside a box, centred vertically for `Center`.
    #[allow(clippy::too_many_arguments)]
    fn draw_lines(
        &self,
        page: &mut Page,
        lines: &[String],
        bx: CellBox,
        size: f32,
        style: Style,
        align: Align,
        valign: Align,
        role: Role,
    ) {
        let lh = self.lh(size);
        let face = self.fonts.face(style);
        // Only the lines that fit: a merged cell's continuation is made tall enough by
        // pagination, this only guards against a template with absurd sizes.
        let room = ((bx.height.0 - 2.0 * self.pad) / lh + 1e-3)
            .floor()
            .max(0.0) as usize;
        let lines = &lines[..lines.len().min(room.max(1))];
        let block = lines.len() as f32 * lh;
        let top = match valign {
            Align::Start => bx.y.0 + self.pad,
            Align::Center => bx.y.0 + (bx.height.0 - block) / 2.0,
        };
        for (k, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            let x = match align {
                Align::Start => bx.x.0 + self.pad,
                Align::Center => bx.x.0 + (bx.width.0 - face.width(line) * size) / 2.0,
            };
            let baseline = top + k as f32 * lh + (lh - size) / 2.0 + face.ascender() * size;
            page.texts.push(TextRun {
                x: Pt(x),
                baseline: Pt(baseline),
                size: Pt(size),
                style,
                text: line.clone(),
                role,
            });
        }
    }
}

/// Lays out the 資料2 table of `registry` with `tpl`'s paper, columns and sizes.
///
/// ```
/// # let yaml = "title: T\nlabel: 資料2\ntowns: [旭川市]\nareas:\n  - name: A\n    categories:\n      - name: C\n        projects:\n          - {number: 1, name: P, status: 実施中, towns: [旭川市]}\n";
/// # let registry = shiryo::registry::parse("r.yaml".as_ref(), yaml).unwrap();
/// let fonts = shiryo::layout::Fonts::bundled().unwrap();
/// let handout = shiryo::layout::layout_handout(&registry, &Default::default(), &fonts);
/// assert_eq!(handout.pages.len(), 1);
/// ```
pub fn layout_handout(registry: &Registry, tpl: &Template, fonts: &Fonts) -> Handout {
    let style = &tpl.pdf;
    let width = Pt::from(style.paper.width).0;
    let height = Pt::from(style.paper.height).0;
    let left = Pt::from(style.margins.left).0;
    let mut col_x = [left; 7];
    for (i, w) in tpl.columns.widths().iter().enumerate() {
        col_x[i + 1] = col_x[i] + Pt::from(*w).0;
    }
    let m = Metrics {
        fonts,
        tpl,
        pad: Pt::from(style.cell_padding).0,
        line_height: style.line_height,
        col_x,
        towns: registry.towns.iter().map(|t| t.name.clone()).collect(),
    };
    let size = style.font_size.body;

    let rows = measure_rows(registry, &m, size);
    let (areas, categories) = measure_groups(registry, &m, size);
    let mut heights: Vec<f32> = rows.iter().map(|r| r.height).collect();
    // Categories first: growing one can only help its area.
    for g in categories.iter().chain(&areas) {
        let total: f32 = heights[g.rows.clone()].iter().sum();
        if total < g.need {
            heights[g.rows.end - 1] += g.need - total;
        }
    }

    let header = header_cells(registry, &m);
    let header_size = style.font_size.header;
    let header_height = header
        .iter()
        .map(|(_, c)| m.height(c.lines.len(), header_size))
        .fold(0.0, f32::max);
    let top = Pt::from(style.margins.top).0;
    let title_top = top + style.font_size.label * m.line_height;
    let table_top = title_top + style.font_size.title * 1.8;
    let body_top = table_top + header_height;
    let body_bottom = height - Pt::from(style.margins.bottom).0;
    let capacity = body_bottom - body_top;

    let placed = paginate(
        &rows,
        &mut heights,
        [&areas, &categories],
        capacity,
        m.leading(size),
    );

    let rule = Role::Artifact(Artifact::Layout);
    let pages = placed
        .iter()
        .enumerate()
        .map(|(i, on_page)| {
            let mut page = Page {
                rows: on_page.iter().map(|p| p.row).collect(),
                ..Page::default()
            };
            let label_size = style.font_size.label;
            let label_width = fonts.regular.width(&registry.label) * label_size;
            page.texts.push(TextRun {
                x: Pt(width - Pt::from(style.margins.right).0 - label_width),
                baseline: Pt(top + fonts.regular.ascender() * label_size),
                size: Pt(label_size),
                style: Style::Regular,
                text: registry.label.clone(),
                role: Role::Artifact(Artifact::Pagination(Pagination::Label)),
            });
            let title_size = style.font_size.title;
            let title_width = fonts.bold.width(&registry.title) * title_size;
            page.texts.push(TextRun {
                x: Pt((width - title_width) / 2.0),
                baseline: Pt(title_top + fonts.bold.ascender() * title_size),
                size: Pt(title_size),
                style: Style::Bold,
                text: registry.title.clone(),
                role: if i == 0 {
                    Role::Title
                } else {
                    Role::Artifact(Artifact::Pagination(Pagination::Title))
                },
            });
            for (cols, cell) in &header {
                let bx = CellBox {
                    x: Pt(m.col_x[cols.start]),
                    y: Pt(table_top),
                    width: Pt(m.col_x[cols.end] - m.col_x[cols.start]),
                    height: Pt(header_height),
                    role: rule,
                };
                page.boxes.push(bx);
                let cell_ref = CellRef {
                    row: 0,
                    column: cols.start,
                    rowspan: 1,
                    colspan: cols.len(),
                    kind: CellKind::ColumnHeader,
                    project: None,
                };
                m.draw_lines(
                    &mut page,
                    &cell.lines,
                    bx,
                    header_size,
                    Style::Bold,
                    Align::Center,
                    Align::Center,
                    if i == 0 {
                        Role::Cell(cell_ref)
                    } else {
                        Role::Artifact(Artifact::Pagination(Pagination::HeaderCell(cell_ref)))
                    },
                );
            }
            draw_body(
                &mut page,
                on_page,
                &rows,
                [&areas, &categories],
                body_top,
                &m,
                size,
            );
            let footer = format!("- {} -", i + 1);
            let footer_size = style.font_size.footer;
            page.texts.push(TextRun {
                x: Pt((width - fonts.regular.width(&footer) * footer_size) / 2.0),
                baseline: Pt(body_bottom + (height - body_bottom) / 2.0 + footer_size / 2.0),
                size: Pt(footer_size),
                style: Style::Regular,
                text: footer,
                role: Role::Artifact(Artifact::Pagination(Pagination::PageNumber)),
            });
            page
        })
        .collect();
    Handout {
        width: Pt(width),
        height: Pt(height),
        rule_width: Pt(style.rule_width),
        table: TableShape {
            columns: 6,
            header_rows: HEADER_ROWS,
            body_rows: rows.len(),
        },
        pages,
    }
}

/// Grid rows above the body: the one header row.
const HEADER_ROWS: usize = 1;

/// The header row: (columns spanned, text).
fn header_cells(registry: &Registry, m: &Metrics) -> Vec<(Range<usize>, Cell)> {
    let c = &m.tpl.columns;
    let size = m.tpl.pdf.font_size.header;
    let project = c.project_header(registry.project_count());
    [
        (0..1, c.area.header.as_str()),
        (1..3, project.as_str()),
        (3..4, c.status.header.as_str()),
        (4..5, c.summary.header.as_str()),
        (5..6, c.towns.header.as_str()),
    ]
    .into_iter()
    .map(|(cols, text)| {
        let width = m.col_x[cols.end] - m.col_x[cols.start];
        let cell = m.cell(text, width, size, Style::Bold, BreakRule::Prose);
        (cols, cell)
    })
    .collect()
}

fn measure_rows(registry: &Registry, m: &Metrics, size: f32) -> Vec<Row> {
    let mut rows = Vec::with_capacity(registry.project_count());
    let mut category = 0;
    for (ai, area) in registry.areas.iter().enumerate() {
        for cat in &area.categories {
            for p in &cat.projects {
                let prose = BreakRule::Prose;
                let cells = [
                    m.cell(&p.label(), m.col_width(2), size, Style::Regular, prose),
                    m.cell(&p.status, m.col_width(3), size, Style::Regular, prose),
                    m.cell(&p.summary, m.col_width(4), size, Style::Regular, prose),
                    m.cell(
                        &registry.town_list(p),
                        m.col_width(5),
                        size,
                        Style::Regular,
                        BreakRule::List { sep: '、' },
                    ),
                ];
                let lines = cells.iter().map(|c| c.lines.len()).max().unwrap_or(1);
                rows.push(Row {
                    groups: [ai, category],
                    cells,
                    height: m.height(lines, size),
                });
            }
            category += 1;
        }
    }
    rows
}

fn measure_groups(registry: &Registry, m: &Metrics, size: f32) -> (Vec<Group>, Vec<Group>) {
    let (mut areas, mut categories) = (Vec::new(), Vec::new());
    let mut row = 0;
    for area in &registry.areas {
        let area_start = row;
        for cat in &area.categories {
            let cell = m.cell(
                &cat.name,
                m.col_width(1),
                size,
                Style::Regular,
                BreakRule::Prose,
            );
            let need = m.height(cell.lines.len(), size);
            categories.push(Group {
                rows: row..row + cat.projects.len(),
                cell,
                need,
            });
            row += cat.projects.len();
        }
        let cell = m.cell(
            &area.name,
            m.col_width(0),
            size,
            Style::Regular,
            BreakRule::Prose,
        );
        let need = m.height(cell.lines.len(), size);
        areas.push(Group {
            rows: area_start..row,
            cell,
            need,
        });
    }
    (areas, categories)
}

/// Places rows on pages of `capacity` points of table body. May grow `heights` so that
/// merged cells continued on a new page have room for their text there.
fn paginate(
    rows: &[Row],
    heights: &mut [f32],
    groups: [&[Group]; 2],
    capacity: f32,
    body: Leading,
) -> Vec<Vec<Placed>> {
    let eps = 1e-3;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = 0.0;
    let containing = |r: usize| (0..2).map(move |kind| &groups[kind][rows[r].groups[kind]]);
    for r in 0..rows.len() {
        let starts: f32 = containing(r)
            .filter(|g| g.rows.start == r)
            .map(|g| g.need)
            .fold(0.0, f32::max);
        let page_empty = pages.last().is_some_and(Vec::is_empty);
        // A new page when the row does not fit, or a merged cell would start with too
        // little room below it for its own text.
        if !page_empty && (y + heights[r] > capacity + eps || y + starts > capacity + eps) {
            // Merged cells cut here keep their text whole on this page: grow their
            // last row here (there is room, as a merged cell only starts with room
            // for its text below it).
            let page = pages.last_mut().expect("one page at least");
            let mut grow = 0.0f32;
            for g in containing(r).filter(|g| g.rows.start < r) {
                let fragment: f32 = page
                    .iter()
                    .filter(|p| g.rows.contains(&p.row))
                    .map(|p| p.height)
                    .sum();
                grow = grow.max(g.need - fragment);
            }
            if grow > 0.0 && y + grow <= capacity + eps {
                if let Some(last) = page.last_mut() {
                    last.height += grow;
                    heights[last.row] += grow;
                }
            }
            pages.push(Vec::new());
            y = 0.0;
        }
        if pages.last().is_some_and(Vec::is_empty) {
            // Continued merged cells repeat their text here: their rows on this page
            // must be tall enough for it.
            for g in containing(r).filter(|g| g.rows.start < r) {
                let rest: f32 = heights[r..g.rows.end].iter().sum();
                if rest < g.need {
                    heights[g.rows.end - 1] += g.need - rest;
                }
            }
        }
        let lines = rows[r]
            .cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(1);
        if heights[r] <= capacity + eps {
            pages.last_mut().expect("one page at least").push(Placed {
                row: r,
                y,
                height: heights[r],
                lines: 0..lines,
            });
            y += heights[r];
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

/// Draws the placed rows of one page, row by row in reading order: a merged cell's
/// text comes before the first of its rows on the page.
fn draw_body(
    page: &mut Page,
    placed: &[Placed],
    rows: &[Row],
    groups: [&[Group]; 2],
    body_top: f32,
    m: &Metrics,
    size: f32,
) {
    let rule = Role::Artifact(Artifact::Layout);
    for (i, p) in placed.iter().enumerate() {
        // Merged cells (area, then category) that start their run of rows here: one
        // box over the run, the text printed as content where the cell begins and as
        // an artifact where a page break cut it.
        for (col, list) in groups.into_iter().enumerate() {
            let key = |p: &Placed| rows[p.row].groups[col];
            let k = key(p);
            if i > 0 && key(&placed[i - 1]) == k {
                continue;
            }
            let mut j = i;
            while j + 1 < placed.len() && key(&placed[j + 1]) == k {
                j += 1;
            }
            let group = &list[k];
            let y = p.y;
            let height = placed[j].y + placed[j].height - y;
            let bx = CellBox {
                x: Pt(m.col_x[col]),
                y: Pt(body_top + y),
                width: Pt(m.col_width(col)),
                height: Pt(height),
                role: rule,
            };
            page.boxes.push(bx);
            let cell = CellRef {
                row: HEADER_ROWS + group.rows.start,
                column: col,
                rowspan: group.rows.len(),
                colspan: 1,
                kind: CellKind::RowHeader,
                project: (group.rows.len() == 1).then_some(group.rows.start),
            };
            let first_print = p.row == group.rows.start && p.lines.start == 0;
            m.draw_lines(
                page,
                &group.cell.lines,
                bx,
                size,
                Style::Regular,
                Align::Start,
                Align::Center,
                if first_print {
                    Role::Cell(cell)
                } else {
                    Role::Artifact(Artifact::Pagination(Pagination::ContinuedCell(cell)))
                },
            );
        }
        let row = &rows[p.row];
        for (k, cell) in row.cells.iter().enumerate() {
            let col = k + 2;
            let bx = CellBox {
                x: Pt(m.col_x[col]),
                y: Pt(body_top + p.y),
                width: Pt(m.col_width(col)),
                height: Pt(p.height),
                role: rule,
            };
            page.boxes.push(bx);
            let end = p.lines.end.min(cell.lines.len());
            let start = p.lines.start.min(end);
            let (align, valign) = if col == 3 {
                (Align::Center, Align::Center)
            } else {
                (Align::Start, Align::Start)
            };
            let cell_ref = CellRef {
                row: HEADER_ROWS + p.row,
                column: col,
                rowspan: 1,
                colspan: 1,
                kind: CellKind::Data,
                project: Some(p.row),
            };
            m.draw_lines(
                page,
                &cell.lines[start..end],
                bx,
                size,
                Style::Regular,
                align,
                valign,
                Role::Cell(cell_ref),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Leading = Leading {
        pad: 2.0,
        line: 10.0,
    };

    /// A row whose tallest cell has `lines` lines, in area `area` and category `cat`.
    fn row(lines: usize, area: usize, cat: usize) -> Row {
        let cell = |n: usize| Cell {
            lines: vec!["x".to_string(); n],
        };
        Row {
            groups: [area, cat],
            cells: [cell(1), cell(1), cell(lines), cell(1)],
            height: BODY.height(lines),
        }
    }

    fn group(rows: Range<usize>, lines: usize) -> Group {
        Group {
            rows,
            cell: Cell {
                lines: vec!["x".to_string(); lines],
            },
            need: BODY.height(lines),
        }
    }

    fn run(rows: &[Row], groups: [&[Group]; 2], capacity: f32) -> (Vec<Vec<Placed>>, Vec<f32>) {
        let mut heights: Vec<f32> = rows.iter().map(|r| r.height).collect();
        let pages = paginate(rows, &mut heights, groups, capacity, BODY);
        (pages, heights)
    }

    #[test]
    fn pages_never_overflow_and_rows_stay_whole() {
        let lines = [3, 1, 7, 2, 9, 4, 4, 1, 8, 2, 5, 3];
        let rows: Vec<Row> = lines
            .iter()
            .enumerate()
            .map(|(i, &n)| row(n, 0, i))
            .collect();
        let cats: Vec<Group> = (0..rows.len()).map(|i| group(i..i + 1, 1)).collect();
        let areas = [group(0..rows.len(), 1)];
        let (pages, _) = run(&rows, [&areas, &cats], 100.0);
        assert!(pages.len() > 1);
        let mut seen = Vec::new();
        for page in &pages {
            let used: f32 = page.iter().map(|p| p.height).sum();
            assert!(used <= 100.0 + 1e-3, "page overflows: {used}");
            for p in page {
                assert_eq!(p.lines, 0..lines[p.row], "row {} is whole", p.row);
                seen.push(p.row);
            }
        }
        assert_eq!(seen, (0..rows.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines() {
        let rows = [row(2, 0, 0), row(25, 0, 1), row(2, 0, 2)];
        let cats = [group(0..1, 1), group(1..2, 1), group(2..3, 1)];
        let areas = [group(0..3, 1)];
        let (pages, _) = run(&rows, [&areas, &cats], 100.0);
        let bands: Vec<Range<usize>> = pages
            .iter()
            .flatten()
            .filter(|p| p.row == 1)
            .map(|p| p.lines.clone())
            .collect();
        // 9 lines fit in 100 pt (2 × 2 pt padding + 9 × 10 pt).
        assert_eq!(bands, [0..9, 9..18, 18..25]);
        for page in &pages {
            assert!(page.iter().map(|p| p.height).sum::<f32>() <= 100.0 + 1e-3);
        }
    }

    #[test]
    fn a_merged_cell_continued_on_a_new_page_gets_room_for_its_text() {
        // Category over rows 1..4, its text 6 lines (64 pt); rows 3 lines (34 pt).
        let rows = [row(5, 0, 0), row(3, 0, 1), row(3, 0, 1), row(3, 0, 1)];
        let cats = [group(0..1, 1), group(1..4, 6)];
        let areas = [group(0..4, 1)];
        let (pages, heights) = run(&rows, [&areas, &cats], 100.0);
        // Page 1: row 0 (54 pt) and row 1 would leave the category 46 pt < 64 pt: row 1
        // starts page 2. Rows 1 and 2 (68 pt) fill page 2; row 3 alone continues the
        // category on page 3, and grows from 34 pt to the category's 64 pt.
        let on_pages: Vec<Vec<usize>> = pages
            .iter()
            .map(|p| p.iter().map(|p| p.row).collect())
            .collect();
        assert_eq!(on_pages, [vec![0], vec![1, 2], vec![3]]);
        assert_eq!(heights[..3], [54.0, 34.0, 34.0]);
        assert!((heights[3] - cats[1].need).abs() < 1e-3, "{heights:?}");
        assert_fragments_fit(&pages, &cats);
    }

    /// Every run of a merged cell's rows on a page is tall enough for its text.
    fn assert_fragments_fit(pages: &[Vec<Placed>], groups: &[Group]) {
        for (i, page) in pages.iter().enumerate() {
            for g in groups {
                let fragment: f32 = page
                    .iter()
                    .filter(|p| g.rows.contains(&p.row))
                    .map(|p| p.height)
                    .sum();
                assert!(
                    fragment == 0.0 || fragment >= g.need - 1e-3,
                    "page {i}: {fragment} < {}",
                    g.need
                );
            }
        }
    }

    #[test]
    fn merged_cells_cut_by_a_page_break_fit_their_text_on_both_pages() {
        // An area's text of 4 lines (44 pt) over six 1-line rows (14 pt), pages of 50
        // pt: three rows (42 pt) fit on page 1, two pt short of the text.
        let rows: Vec<Row> = (0..6).map(|i| row(1, 0, i)).collect();
        let cats: Vec<Group> = (0..6).map(|i| group(i..i + 1, 1)).collect();
        let areas = [group(0..6, 4)];
        let (pages, _) = run(&rows, [&areas, &cats], 50.0);
        assert!(pages.len() >= 2);
        assert_fragments_fit(&pages, &areas);
        for page in &pages {
            assert!(page.iter().map(|p| p.height).sum::<f32>() <= 50.0 + 1e-3);
        }
    }

    #[test]
    fn fragments_fit_for_many_shapes() {
        // Deterministic variety: row heights and group sizes cycle through primes.
        for capacity in [60.0, 80.0, 130.0] {
            let rows: Vec<Row> = (0..40)
                .map(|i| row(1 + (i * 7) % 5, i / 10, i / 3))
                .collect();
            let cats: Vec<Group> = (0..14)
                .map(|c| group(c * 3..(c * 3 + 3).min(40), 1 + c % 4))
                .collect();
            let areas: Vec<Group> = (0..4).map(|a| group(a * 10..a * 10 + 10, 2 + a)).collect();
            let (pages, _) = run(&rows, [&areas, &cats], capacity);
            assert_fragments_fit(&pages, &areas);
            assert_fragments_fit(&pages, &cats);
            for page in &pages {
                assert!(page.iter().map(|p| p.height).sum::<f32>() <= capacity + 1e-3);
            }
        }
    }
}
