//! The laid-out handout: what the renderers draw, page by page, and what each drawn
//! item *is*.
//!
//! Every [`TextRun`] and [`CellBox`] carries a [`Role`], so that a writer never guesses:
//! the PDF writer tags from it (PDF/UA: a heading, a table of TH/TD cells, artifacts),
//! the workbook reads [`Page::rows`] to break its pages at the same project rows.
//!
//! Text runs of a page come in reading order: the page furniture first (label, title,
//! meeting line), then the header row, then the body row by row (policy area, category,
//! project, status, summary, towns, or whatever columns the template gives, left to
//! right), then what stands under the table (凡例, 注記), the page number last.
//!
//! Coordinates are in points from the top-left corner of the page; the PDF renderer
//! flips them. The renderer never measures text: everything it draws is here.

use super::font::Style;
use crate::units::Pt;

/// The laid-out handout.
#[derive(Debug, Clone)]
pub struct Handout {
    pub width: Pt,
    pub height: Pt,
    /// Thickness of the cell borders.
    pub rule_width: Pt,
    /// The table's shape: the numbers [`CellRef`]s count in.
    pub table: TableShape,
    pub pages: Vec<Page>,
}

/// The size of the table as a grid, whatever pages it is cut into.
///
/// Grid rows count from the top of the table: first the `header_rows`, then one
/// body row per project. A header row repeated on a later page is still grid row 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableShape {
    pub columns: usize,
    pub header_rows: usize,
    pub body_rows: usize,
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Text runs in reading order (see the module documentation).
    pub texts: Vec<TextRun>,
    /// Cell borders (always [`Role::Artifact`] with [`Artifact::Layout`]).
    pub boxes: Vec<CellBox>,
    /// The projects whose body row is (wholly or partly) on this page, as indices in
    /// [`Registry::rows`](crate::model::Registry::rows) order, top to bottom. A row
    /// taller than a page is split between lines and listed on each page it spans.
    pub rows: Vec<usize>,
}

/// One line of text in one font and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub x: Pt,
    /// The baseline, from the top of the page.
    pub baseline: Pt,
    pub size: Pt,
    pub style: Style,
    pub text: String,
    /// What this line is part of. The lines of one cell share one role.
    pub role: Role,
    /// A line drawn with the run (the changed characters of a 新旧対照表, 見え消し).
    pub decoration: Option<Decoration>,
    /// How text extraction is to take the run (the page looks the same either way).
    pub extraction: Extraction,
}

/// How a text run is given to text extraction that orders text by its position on the
/// page, as poppler's `pdftotext` does (see `layout::grid::draw`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Extraction {
    /// As drawn: extraction splits it into words at white space.
    #[default]
    AsDrawn,
    /// As one word, white space and all (its text as the ActualText of its glyphs),
    /// whose extent ends before its last `tail` characters (drawn with an empty
    /// ActualText, so that they add nothing): the word then ends at least 1 em short of
    /// the next column's text. With `from`, the extent starts there, left of the run
    /// (its first glyph put there first, unseen): a right-aligned cell's word then
    /// starts where the cells above and below it start theirs.
    OneWord { from: Option<Pt>, tail: usize },
    /// As a zero-width space (U+200B, its ActualText): an empty cell's unseen
    /// stand-in, a word where poppler's table detection looks for one in each cell (an
    /// empty cell in a short table leaves the columns right of it out of the table, read
    /// after the rest of the page).
    Placeholder,
}

/// A line under or through a run of text, measured by the layout so that the
/// renderer draws it without measuring: from the run's `x`, `width` long, `offset`
/// below the baseline (negative: above), `thickness` thick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decoration {
    pub kind: DecorationKind,
    pub width: Pt,
    pub offset: Pt,
    pub thickness: Pt,
}

/// Which line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecorationKind {
    /// Under the text: added or changed characters (下線).
    Underline,
    /// Through the middle of the text: removed characters in 見え消し (取消線).
    Strike,
}

impl DecorationKind {
    /// The line for a run `width` wide at `size` in a face whose em box rises
    /// `ascender` em above the baseline: an underline just below the em box, a strike
    /// through its middle, both a twentieth of an em thick.
    pub fn at(self, width: f32, size: f32, ascender: f32) -> Decoration {
        let offset = match self {
            DecorationKind::Underline => (1.0 - ascender + 0.06) * size,
            DecorationKind::Strike => (0.5 - ascender) * size,
        };
        Decoration {
            kind: self,
            width: Pt(width),
            offset: Pt(offset),
            thickness: Pt(size / 20.0),
        }
    }
}

/// A stroked rectangle, from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellBox {
    pub x: Pt,
    pub y: Pt,
    pub width: Pt,
    pub height: Pt,
    /// Always [`Role::Artifact`]`(`[`Artifact::Layout`]`)` today: rules carry no content.
    pub role: Role,
}

/// What a drawn item is, for tagging (PDF/UA) and for readers of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The document's title, on the first page (a heading, H1). On later pages the
    /// repeated title is [`Pagination::Title`].
    Title,
    /// The meeting name and its date, near the title (a paragraph).
    Meeting,
    /// The 凡例 under the table: the grades and their meaning (a paragraph).
    Legend,
    /// A ※ note under the table (a paragraph).
    Note,
    /// Content of one table cell, where the cell is (first) printed.
    Cell(CellRef),
    /// Not content: page furniture, rules, and cells printed again.
    Artifact(Artifact),
}

/// What kind of artifact (ISO 32000-1 §14.8.2.2: /Type /Pagination or /Layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Artifact {
    /// Repeated on pages or added by pagination: /Type /Pagination.
    Pagination(Pagination),
    /// Rules and boxes: /Type /Layout.
    Layout,
    /// A merged cell's text put again, not shown (text render mode 3), at the top of a
    /// later row the cell spans on the page, for text extraction that orders by position
    /// (see `layout::grid::draw`): /Type /Layout. Readers and screen readers skip it; the
    /// cell's content is where it is printed.
    Spanned(CellRef),
    /// An empty body cell's stand-in for the same text extraction: a blank glyph, not
    /// shown, given as a zero-width space (see [`Extraction::Placeholder`]): /Type
    /// /Layout.
    EmptyCell(CellRef),
}

/// What pagination added or repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pagination {
    /// The document label top right (資料2), on every page (/Subtype /Header).
    Label,
    /// The revision stamp beside the label (差し替え) (/Subtype /Header).
    Revision,
    /// The title printed again on a page after the first (/Subtype /Header).
    Title,
    /// The page number (- 1 -) (/Subtype /Footer).
    PageNumber,
    /// A header cell printed again on a page after the first.
    HeaderCell(CellRef),
    /// A merged body cell cut by a page break: its text printed again on the page
    /// where the cell continues. The cell's content is where it was first printed.
    ContinuedCell(CellRef),
}

/// One cell of the table, as the structure of the table sees it (not as a page cuts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellRef {
    /// The cell's top grid row (see [`TableShape`]).
    pub row: usize,
    /// The cell's left grid column, 0-based.
    pub column: usize,
    /// Grid rows the cell covers (merged 政策分野 and category cells cover several).
    pub rowspan: usize,
    /// Grid columns the cell covers (連携事業名 spans the category and project columns).
    pub colspan: usize,
    pub kind: CellKind,
    /// The project of a body row (index in `Registry::rows()` order); `None` for header
    /// cells and merged cells that cover several projects. For a merged cell over one
    /// project, that project.
    pub project: Option<usize>,
}

/// The part a cell plays in the table (PDF: TH with /Scope, or TD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    /// A header-row cell: names a column (TH, /Scope /Column).
    ColumnHeader,
    /// A body cell that names its rows: 政策分野 and category (TH, /Scope /Row).
    RowHeader,
    /// A body cell with data (TD).
    Data,
}

impl Role {
    /// Whether a tagged PDF marks this as an artifact rather than content.
    pub fn is_artifact(self) -> bool {
        matches!(self, Role::Artifact(_))
    }

    /// Whether the item is drawn unseen (text render mode 3): it is there for text
    /// extraction only.
    pub fn is_hidden(self) -> bool {
        matches!(
            self,
            Role::Artifact(Artifact::Spanned(_) | Artifact::EmptyCell(_))
        )
    }

    /// The cell this item belongs to, whether printed as content or repeated.
    pub fn cell(self) -> Option<CellRef> {
        match self {
            Role::Cell(c)
            | Role::Artifact(
                Artifact::Pagination(Pagination::HeaderCell(c) | Pagination::ContinuedCell(c))
                | Artifact::Spanned(c)
                | Artifact::EmptyCell(c),
            ) => Some(c),
            _ => None,
        }
    }

    /// A short tag for the readable dump.
    fn tag(self) -> String {
        let cell = |c: CellRef| {
            let kind = match c.kind {
                CellKind::ColumnHeader => "th-col",
                CellKind::RowHeader => "th-row",
                CellKind::Data => "td",
            };
            let mut s = format!("{kind} r{}c{}", c.row, c.column);
            if c.rowspan != 1 || c.colspan != 1 {
                s += &format!(" {}x{}", c.rowspan, c.colspan);
            }
            if let Some(p) = c.project {
                s += &format!(" p{p}");
            }
            s
        };
        match self {
            Role::Title => "title".into(),
            Role::Meeting => "meeting".into(),
            Role::Legend => "legend".into(),
            Role::Note => "note".into(),
            Role::Cell(c) => cell(c),
            Role::Artifact(Artifact::Layout) => "rule".into(),
            Role::Artifact(Artifact::Pagination(p)) => match p {
                Pagination::Label => "art label".into(),
                Pagination::Revision => "art revision".into(),
                Pagination::Title => "art title".into(),
                Pagination::PageNumber => "art page".into(),
                Pagination::HeaderCell(c) => format!("art {}", cell(c)),
                Pagination::ContinuedCell(c) => format!("art {}", cell(c)),
            },
            Role::Artifact(Artifact::Spanned(c)) => format!("hidden {}", cell(c)),
            Role::Artifact(Artifact::EmptyCell(c)) => format!("empty {}", cell(c)),
        }
    }
}

impl Handout {
    /// A readable dump of everything drawn: one line per text run and box, for golden
    /// files and for eyes. Positions in points from the top-left, to 0.1 pt; each text
    /// run's role in brackets; the project rows of each page after its header line.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for (i, page) in self.pages.iter().enumerate() {
            out += &format!("page {} {:.1}x{:.1}\n", i + 1, self.width.0, self.height.0);
            out += &format!("  rows {:?}\n", page.rows);
            for b in &page.boxes {
                out += &format!(
                    "  box {:.1} {:.1} {:.1} {:.1}\n",
                    b.x.0, b.y.0, b.width.0, b.height.0
                );
            }
            for t in &page.texts {
                let style = if t.style == Style::Bold { "B" } else { "R" };
                let line = match t.decoration.map(|d| d.kind) {
                    None => "",
                    Some(DecorationKind::Underline) => " _",
                    Some(DecorationKind::Strike) => " -",
                };
                let line = match t.extraction {
                    Extraction::AsDrawn => line.to_string(),
                    Extraction::OneWord { from, tail } => {
                        let from = from.map_or_else(String::new, |x| format!(" from {:.1}", x.0));
                        let tail = if tail > 0 {
                            format!(" -{tail}")
                        } else {
                            String::new()
                        };
                        format!("{line} {{word{from}{tail}}}")
                    }
                    Extraction::Placeholder => format!("{line} {{zwsp}}"),
                };
                out += &format!(
                    "  text {:.1} {:.1} {}{} [{}]{line} {}\n",
                    t.x.0,
                    t.baseline.0,
                    style,
                    t.size.0,
                    t.role.tag(),
                    t.text
                );
            }
        }
        out
    }
}
