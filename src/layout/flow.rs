//! Blocks down a page: the label (and revision stamp) top right, the title (wrapped,
//! kinsoku applied, inside the margins at any length), the meeting line, the table
//! (its header on every page), then 凡例 and 注記 kept together under the table, and
//! the page number.

use super::font::{FontFace, Fonts, Measure, Style};
use super::grid::draw::Origin;
use super::grid::{paginate, CellGrid, GridMetrics, MeasuredGrid};
use super::handout::{
    Artifact, CellBox, Extraction, Handout, Page, Pagination, Role, TableShape, TextRun,
};
use super::linebreak::{break_lines, BreakRule};
use crate::template::PdfStyle;
use crate::units::Pt;

/// A document ready to be set: what the layout is given. It knows nothing of
/// registries; `documents::progress` (and the 新旧対照表) build one.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Top right on every page (資料2).
    pub label: String,
    /// A stamp beside the label (差し替え).
    pub revision: Option<String>,
    pub title: String,
    /// Under the title: the meeting and its date.
    pub meeting: Option<String>,
    pub grid: CellGrid,
    /// Paragraphs under the table (凡例, then each ※ note), kept together.
    pub under: Vec<(Role, String)>,
}

/// The sizes a table is measured at under `style`.
pub fn grid_metrics(style: &PdfStyle) -> GridMetrics {
    GridMetrics {
        pad: Pt::from(style.cell_padding).0,
        line_height: style.line_height,
        header_size: style.font_size.header,
        body_size: style.font_size.body,
    }
}

/// The top of the table: below the label, the title's and the meeting's lines.
fn table_top(title_lines: usize, meeting_lines: usize, style: &PdfStyle) -> f32 {
    let sizes = &style.font_size;
    let lh = style.line_height;
    Pt::from(style.margins.top).0
        + sizes.label * lh
        + sizes.title * 1.8
        + (title_lines.max(1) - 1) as f32 * sizes.title * lh
        + meeting_lines as f32 * sizes.label * lh
}

/// The body rows on each page as [`layout`] cuts the table, without drawing anything:
/// `grid` is `sheet.grid` measured at [`grid_metrics`]. The workbook breaks its
/// printed pages before the same rows. A row split between pages is on both; a page
/// holding only what stands under the table is not listed.
pub fn page_rows(
    sheet: &Sheet,
    style: &PdfStyle,
    fonts: &Fonts,
    grid: &mut MeasuredGrid,
) -> Vec<Vec<usize>> {
    let keep = &sheet.grid.keep_whole;
    let left = Pt::from(style.margins.left).0;
    let right = Pt::from(style.paper.width).0 - Pt::from(style.margins.right).0;
    let sizes = &style.font_size;
    let titles = title_lines(
        &sheet.title,
        (right - left) / sizes.title,
        &fonts.bold,
        keep,
    );
    let meetings = sheet.meeting.as_ref().map_or(0, |m| {
        let em = (right - left) / sizes.label;
        break_lines(m, em, fonts.face(Style::Regular), BreakRule::Prose, keep).len()
    });
    let body_top = table_top(titles.len(), meetings, style) + grid.header_height();
    let body_bottom = Pt::from(style.paper.height).0 - Pt::from(style.margins.bottom).0;
    let leading = grid.metrics.leading(sizes.body);
    paginate(&mut grid.body, body_bottom - body_top, leading)
        .iter()
        .map(|page| page.iter().map(|p| p.row).collect())
        .collect()
}

/// Sets `sheet` on pages of `style`'s paper.
pub fn layout(sheet: &Sheet, style: &PdfStyle, fonts: &Fonts) -> Handout {
    let width = Pt::from(style.paper.width).0;
    let height = Pt::from(style.paper.height).0;
    let left = Pt::from(style.margins.left).0;
    let right = width - Pt::from(style.margins.right).0;
    let top = Pt::from(style.margins.top).0;
    let body_bottom = height - Pt::from(style.margins.bottom).0;
    let lh = style.line_height;
    let sizes = &style.font_size;
    let keep = &sheet.grid.keep_whole;

    // The title wraps inside the margins; each line centred.
    let title_size = sizes.title;
    let title_lines = title_lines(&sheet.title, (right - left) / title_size, &fonts.bold, keep);
    let meeting_size = sizes.label;
    let meeting_lines = sheet.meeting.as_ref().map_or_else(Vec::new, |m| {
        break_lines(
            m,
            (right - left) / meeting_size,
            fonts.face(Style::Regular),
            BreakRule::Prose,
            keep,
        )
    });
    let title_top = top + sizes.label * lh;
    let table_top = table_top(title_lines.len(), meeting_lines.len(), style);

    let metrics = grid_metrics(style);
    let mut grid = MeasuredGrid::new(&sheet.grid, metrics, fonts);
    let body_top = table_top + grid.header_height();
    let capacity = body_bottom - body_top;
    let mut placed = paginate(&mut grid.body, capacity, metrics.leading(sizes.body));

    // Under the table: on the last page if it fits whole below the table, else on a
    // page of its own (never cut, unless it alone is taller than a page).
    let under_size = sizes.body;
    let under_lh = under_size * lh;
    let under: Vec<(Role, Vec<String>)> = sheet
        .under
        .iter()
        .map(|(role, text)| {
            let lines = break_lines(
                text,
                (right - left) / under_size,
                fonts.face(Style::Regular),
                BreakRule::Prose,
                keep,
            );
            (*role, lines)
        })
        .collect();
    let under_count: usize = under.iter().map(|(_, l)| l.len()).sum();
    let gap = under_size;
    let under_height = gap + under_count as f32 * under_lh;
    let used = |page: &[super::grid::Placed]| page.last().map_or(0.0, |p| p.y + p.height);
    let under_on_new_page = under_count > 0
        && placed
            .last()
            .is_some_and(|p| !p.is_empty() && used(p) + under_height > capacity + 1e-3);
    if under_on_new_page {
        placed.push(Vec::new());
    }

    let rule = Role::Artifact(Artifact::Layout);
    let last = placed.len() - 1;
    let pages = placed
        .iter()
        .enumerate()
        .map(|(i, on_page)| {
            let mut page = Page {
                rows: on_page.iter().map(|p| p.row).collect(),
                ..Page::default()
            };
            // Label top right, the revision stamp boxed to its left.
            let label_size = sizes.label;
            let label_width = fonts.regular.width(&sheet.label) * label_size;
            let label_x = right - label_width;
            let label_baseline = top + fonts.regular.ascender() * label_size;
            page.texts.push(TextRun {
                x: Pt(label_x),
                baseline: Pt(label_baseline),
                size: Pt(label_size),
                style: Style::Regular,
                text: sheet.label.clone(),
                role: Role::Artifact(Artifact::Pagination(Pagination::Label)),
                decoration: None,
                extraction: Extraction::AsDrawn,
            });
            if let Some(stamp) = &sheet.revision {
                let w = fonts.regular.width(stamp) * label_size;
                let pad = label_size * 0.25;
                let x = label_x - label_size * 0.75 - w - pad;
                page.boxes.push(CellBox {
                    x: Pt(x),
                    y: Pt(top - pad),
                    width: Pt(w + 2.0 * pad),
                    height: Pt(label_size + 2.0 * pad),
                    role: rule,
                });
                page.texts.push(TextRun {
                    x: Pt(x + pad),
                    baseline: Pt(label_baseline),
                    size: Pt(label_size),
                    style: Style::Regular,
                    text: stamp.clone(),
                    role: Role::Artifact(Artifact::Pagination(Pagination::Revision)),
                    decoration: None,
                    extraction: Extraction::AsDrawn,
                });
            }
            let title_role = if i == 0 {
                Role::Title
            } else {
                Role::Artifact(Artifact::Pagination(Pagination::Title))
            };
            for (k, line) in title_lines.iter().enumerate() {
                let w = fonts.bold.width(line) * title_size;
                page.texts.push(TextRun {
                    x: Pt((width - w) / 2.0),
                    baseline: Pt(title_top
                        + k as f32 * title_size * lh
                        + fonts.bold.ascender() * title_size),
                    size: Pt(title_size),
                    style: Style::Bold,
                    text: line.clone(),
                    role: title_role,
                    decoration: None,
                    extraction: Extraction::AsDrawn,
                });
            }
            let meeting_top = title_top + title_lines.len() as f32 * title_size * lh;
            for (k, line) in meeting_lines.iter().enumerate() {
                let w = fonts.regular.width(line) * meeting_size;
                page.texts.push(TextRun {
                    x: Pt((width - w) / 2.0),
                    baseline: Pt(meeting_top
                        + k as f32 * meeting_size * lh
                        + fonts.regular.ascender() * meeting_size),
                    size: Pt(meeting_size),
                    style: Style::Regular,
                    text: line.clone(),
                    role: if i == 0 {
                        Role::Meeting
                    } else {
                        Role::Artifact(Artifact::Pagination(Pagination::Title))
                    },
                    decoration: None,
                    extraction: Extraction::AsDrawn,
                });
            }
            if !on_page.is_empty() || i == 0 {
                grid.draw_header(
                    &mut page,
                    fonts,
                    Origin {
                        left,
                        top: table_top,
                    },
                    i > 0,
                );
                grid.draw_body(&mut page, fonts, on_page, left, body_top);
            }
            if i == last && under_count > 0 {
                let mut y = if under_on_new_page {
                    table_top
                } else {
                    body_top + used(on_page) + gap
                };
                let face = fonts.face(Style::Regular);
                for (role, lines) in &under {
                    for line in lines {
                        page.texts.push(TextRun {
                            x: Pt(left),
                            baseline: Pt(y
                                + (under_lh - under_size) / 2.0
                                + face.ascender() * under_size),
                            size: Pt(under_size),
                            style: Style::Regular,
                            text: line.clone(),
                            role: *role,
                            decoration: None,
                            extraction: Extraction::AsDrawn,
                        });
                        y += under_lh;
                    }
                }
            }
            let footer = format!("- {} -", i + 1);
            let footer_size = sizes.footer;
            page.texts.push(TextRun {
                x: Pt((width - fonts.regular.width(&footer) * footer_size) / 2.0),
                baseline: Pt(body_bottom + (height - body_bottom) / 2.0 + footer_size / 2.0),
                size: Pt(footer_size),
                style: Style::Regular,
                text: footer,
                role: Role::Artifact(Artifact::Pagination(Pagination::PageNumber)),
                decoration: None,
                extraction: Extraction::AsDrawn,
            });
            page
        })
        .collect();
    Handout {
        width: Pt(width),
        height: Pt(height),
        rule_width: Pt(style.rule_width),
        table: TableShape {
            columns: sheet.grid.columns(),
            header_rows: sheet.grid.header_rows,
            body_rows: sheet.grid.body_rows,
        },
        pages,
    }
}

/// The title broken into lines `em` wide. A title too long for one line is broken
/// before a parenthesis (（令和6年度第2回…懇談会）, （旭川市）) when that gives two lines
/// that fit, as such titles are usually set; otherwise line by line with the kinsoku
/// rules.
fn title_lines(title: &str, em: f32, face: &FontFace, keep: &[String]) -> Vec<String> {
    let greedy = break_lines(title, em, face, BreakRule::Prose, keep);
    if greedy.len() <= 1 {
        return greedy;
    }
    let split = title
        .char_indices()
        .filter(|&(i, c)| c == '（' && i > 0)
        .find(|&(i, _)| {
            face.width(&title[..i]) <= em + 1e-3 && face.width(&title[i..]) <= em + 1e-3
        });
    match split {
        Some((i, _)) => vec![title[..i].to_string(), title[i..].to_string()],
        None => greedy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::grid::GridCell;
    use crate::layout::handout::CellKind;

    /// A sheet of `rows` one-line rows in one column and notes under the table.
    fn sheet(rows: usize) -> Sheet {
        let mut cells = vec![GridCell {
            kind: CellKind::ColumnHeader,
            ..GridCell::new(0, 0, "見出し")
        }];
        cells.extend((1..=rows).map(|r| GridCell {
            key: Some(r - 1),
            ..GridCell::new(r, 0, format!("行{r}"))
        }));
        Sheet {
            label: "資料2".into(),
            revision: Some("差し替え".into()),
            title: "表題".into(),
            meeting: Some("第3回懇談会　令和7年11月20日".into()),
            grid: CellGrid::new(vec![500.0], 1, rows, cells, vec![]),
            under: vec![
                (
                    Role::Legend,
                    "凡例　A：目標を達成　B：目標の8割以上を達成".into(),
                ),
                (Role::Note, "※一つ目の注記。".into()),
                (Role::Note, "※二つ目の注記。".into()),
            ],
        }
    }

    #[test]
    fn legend_and_notes_stay_together_under_the_table_or_move_whole() {
        let tpl = crate::Template::default();
        let fonts = Fonts::bundled().unwrap();
        let bottom = Pt::from(tpl.pdf.paper.height).0 - Pt::from(tpl.pdf.margins.bottom).0;
        let mut moved = 0;
        for rows in 1..60 {
            let handout = layout(&sheet(rows), &tpl.pdf, &fonts);
            let under: Vec<(usize, &TextRun)> = handout
                .pages
                .iter()
                .enumerate()
                .flat_map(|(i, p)| p.texts.iter().map(move |t| (i, t)))
                .filter(|(_, t)| matches!(t.role, Role::Legend | Role::Note))
                .collect();
            assert_eq!(under.len(), 3, "{rows} rows");
            let page = under[0].0;
            assert!(under.iter().all(|(i, _)| *i == page), "{rows} rows: cut");
            assert_eq!(page, handout.pages.len() - 1, "on the last page");
            let table_bottom = handout.pages[page]
                .boxes
                .iter()
                .map(|b| b.y.0 + b.height.0)
                .fold(0.0, f32::max);
            for (_, t) in &under {
                assert!(
                    t.baseline.0 > table_bottom && t.baseline.0 <= bottom,
                    "{rows} rows"
                );
            }
            if handout.pages[page].rows.is_empty() {
                moved += 1;
                // Alone on its page: no header row drawn there.
                assert!(handout.pages[page]
                    .texts
                    .iter()
                    .all(|t| t.role.cell().is_none()));
            }
        }
        assert!(moved > 0, "some table left too little room below it");
    }

    #[test]
    fn the_meeting_line_and_stamp_have_their_roles() {
        let tpl = crate::Template::default();
        let fonts = Fonts::bundled().unwrap();
        let handout = layout(&sheet(1), &tpl.pdf, &fonts);
        let roles: Vec<Role> = handout.pages[0]
            .texts
            .iter()
            .map(|t| t.role)
            .take(4)
            .collect();
        assert_eq!(
            roles,
            [
                Role::Artifact(Artifact::Pagination(Pagination::Label)),
                Role::Artifact(Artifact::Pagination(Pagination::Revision)),
                Role::Title,
                Role::Meeting,
            ]
        );
        // The stamp stands left of the label, on its line.
        let t = &handout.pages[0].texts;
        assert!(t[1].x.0 + fonts.regular.width(&t[1].text) * t[1].size.0 < t[0].x.0);
        assert_eq!(t[1].baseline, t[0].baseline);
        // The meeting line is under the title, above the table.
        let table_top = handout.pages[0]
            .boxes
            .iter()
            .skip(1)
            .map(|b| b.y.0)
            .fold(f32::MAX, f32::min);
        assert!(t[3].baseline.0 > t[2].baseline.0 && t[3].baseline.0 < table_top);
    }

    #[test]
    fn a_long_title_breaks_before_its_parenthesis_when_both_parts_fit() {
        let fonts = Fonts::bundled().unwrap();
        let bold = &fonts.bold;
        let t = "上川中部定住自立圏連携事業の進捗状況等（令和6年度第2回懇談会）（旭川市）";
        assert_eq!(title_lines(t, 40.0, bold, &[]), [t]);
        assert_eq!(
            title_lines(t, 25.0, bold, &[]),
            [
                "上川中部定住自立圏連携事業の進捗状況等",
                "（令和6年度第2回懇談会）（旭川市）"
            ]
        );
        // Too narrow for either split: line by line, no line starting with 、 or ）.
        let lines = title_lines(t, 12.0, bold, &[]);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), t);
        for l in &lines {
            let first = l.chars().next().unwrap();
            assert!(!crate::layout::NO_LINE_START.contains(first), "{l}");
            assert!(bold.width(l) <= 12.0 + 1e-3, "{l}");
        }
    }
}
