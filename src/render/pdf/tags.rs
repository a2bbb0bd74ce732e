//! Tagged PDF (ISO 32000-1 §14.7–14.8, PDF/UA-1, PDF/A-2a): marked content in the
//! page streams and the structure tree that gives it meaning.
//!
//! printpdf writes the marked-content operators; it has no structure tree, so the tree
//! is written here through lopdf afterwards. Everything comes from the layout's
//! [`Role`]s: the writer never guesses what a drawn item is.
//!
//! ```text
//! StructTreeRoot ─ Document ─ H1 (the title)
//!                           ├ P (the meeting line)
//!                           ├ Table ─ THead ─ TR ─ TH /Scope /Column (/ColSpan 2 for 連携事業名)
//!                           │       └ TBody ─ TR × projects ─ TH /Scope /Row (/RowSpan) · TD …
//!                           └ P (凡例, notes)
//! ```
//! A cell's kids are marked-content references on each page it is printed on (a row
//! taller than a page is one TR with content on several pages). Rules, the label, the
//! page numbers, header rows repeated on later pages and merged cells printed again
//! after a page break are artifacts. Content order is the layout's reading order, and
//! so is the structure order: row by row, left to right.

use std::collections::HashMap;

use lopdf::{Dictionary, Object, ObjectId};

use super::content::Content;
use crate::error::{Error, Result};
use crate::layout::{Artifact, CellKind, CellRef, Pagination, Role, TableShape};

/// A structure element that holds content directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Leaf {
    Title,
    Meeting,
    Legend,
    Note,
    /// A table cell, by its top-left grid position.
    Cell {
        row: usize,
        column: usize,
    },
}

/// What a leaf is and where its content is.
struct LeafInfo {
    leaf: Leaf,
    /// Set for cells: kind and spans.
    cell: Option<CellRef>,
    /// (page index, MCID) of each marked-content sequence, in content order.
    content: Vec<(usize, i64)>,
}

/// Collects marked content while the pages are drawn, then writes the structure tree.
pub(super) struct Tagger {
    shape: TableShape,
    leaves: Vec<LeafInfo>,
    index: HashMap<Leaf, usize>,
    /// For each page, the leaf of each MCID (the page's ParentTree entry).
    pages: Vec<Vec<usize>>,
    /// The role of the marked-content sequence open on the current page.
    open: Option<Role>,
}

/// The structure type of content with `role`.
fn structure_type(role: Role) -> &'static str {
    match role {
        Role::Title => "H1",
        Role::Meeting | Role::Legend | Role::Note => "P",
        Role::Cell(c) => match c.kind {
            CellKind::ColumnHeader | CellKind::RowHeader => "TH",
            CellKind::Data => "TD",
        },
        Role::Artifact(_) => "Artifact",
    }
}

/// The type and subtype of an artifact (ISO 32000-1 §14.8.2.2.2).
fn artifact_properties(artifact: Artifact) -> (&'static str, Option<&'static str>) {
    match artifact {
        Artifact::Layout | Artifact::Spanned(_) | Artifact::EmptyCell(_) => ("Layout", None),
        Artifact::Pagination(p) => (
            "Pagination",
            match p {
                Pagination::Label | Pagination::Revision | Pagination::Title => Some("Header"),
                Pagination::PageNumber => Some("Footer"),
                Pagination::HeaderCell(_) | Pagination::ContinuedCell(_) => None,
            },
        ),
    }
}

impl Tagger {
    pub fn new(shape: TableShape) -> Tagger {
        Tagger {
            shape,
            leaves: Vec::new(),
            index: HashMap::new(),
            pages: Vec::new(),
            open: None,
        }
    }

    /// Starts the next page.
    pub fn begin_page(&mut self) {
        self.pages.push(Vec::new());
        self.open = None;
    }

    /// Puts what follows into the marked-content sequence for `role`: the open one if
    /// it has the same role (the lines of one cell), else a new one.
    pub fn mark(&mut self, content: &mut Content, role: Role) {
        if self.open == Some(role) {
            return;
        }
        self.close(content);
        self.open = Some(role);
        if let Role::Artifact(artifact) = role {
            let (kind, subtype) = artifact_properties(artifact);
            content.begin_artifact(kind, subtype);
            return;
        }
        let leaf = match role {
            Role::Title => Leaf::Title,
            Role::Meeting => Leaf::Meeting,
            Role::Legend => Leaf::Legend,
            Role::Note => Leaf::Note,
            Role::Cell(c) => Leaf::Cell {
                row: c.row,
                column: c.column,
            },
            Role::Artifact(_) => unreachable!("artifacts return above"),
        };
        let page = self.pages.len() - 1;
        let mcid = self.pages[page].len();
        let at = *self.index.entry(leaf).or_insert_with(|| {
            self.leaves.push(LeafInfo {
                leaf,
                cell: role.cell(),
                content: Vec::new(),
            });
            self.leaves.len() - 1
        });
        self.leaves[at].content.push((page, mcid as i64));
        self.pages[page].push(at);
        content.begin_tagged(structure_type(role), mcid);
    }

    /// Ends the open marked-content sequence, if any.
    pub fn close(&mut self, content: &mut Content) {
        if self.open.take().is_some() {
            content.end_marked();
        }
    }

    /// Writes the structure tree into `pdf` (whose pages are the pages tagged, in order)
    /// and marks the document as tagged.
    ///
    /// # Errors
    /// [`Error::Font`] if the document has no catalog or fewer pages than were tagged.
    pub fn write(self, pdf: &mut lopdf::Document) -> Result<()> {
        let fail = |message: String| Error::Font {
            name: "PDF structure".into(),
            message,
        };
        let page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
        if page_ids.len() != self.pages.len() {
            return Err(fail(format!(
                "{} pages written, {} tagged",
                page_ids.len(),
                self.pages.len()
            )));
        }
        let mut tree = Tree {
            pdf,
            page_ids: &page_ids,
        };
        let root_id = tree.pdf.new_object_id();
        let document = tree.pdf.new_object_id();

        // The table's cells, including those printed empty (no content, so no role
        // seen): every grid slot no cell covers is a 1×1 cell of its row's kind.
        let shape = self.shape;
        let rows = shape.header_rows + shape.body_rows;
        let mut covered = vec![false; rows * shape.columns];
        let mut by_row: Vec<Vec<(usize, Option<usize>, CellRef)>> = vec![Vec::new(); rows];
        for (i, info) in self.leaves.iter().enumerate() {
            if let Some(c) = info.cell {
                for r in c.row..(c.row + c.rowspan).min(rows) {
                    for k in c.column..(c.column + c.colspan).min(shape.columns) {
                        covered[r * shape.columns + k] = true;
                    }
                }
                if c.row < rows {
                    by_row[c.row].push((c.column, Some(i), c));
                }
            }
        }
        for (r, cells) in by_row.iter_mut().enumerate() {
            for column in 0..shape.columns {
                if !covered[r * shape.columns + column] {
                    let kind = if r < shape.header_rows {
                        CellKind::ColumnHeader
                    } else {
                        CellKind::Data
                    };
                    let empty = CellRef {
                        row: r,
                        column,
                        rowspan: 1,
                        colspan: 1,
                        kind,
                        project: None,
                    };
                    cells.push((column, None, empty));
                }
            }
            cells.sort_by_key(|&(column, _, _)| column);
        }

        // The document's children in reading order; the table where its first cell is.
        let mut leaf_ids: Vec<Option<ObjectId>> = vec![None; self.leaves.len()];
        let mut kids = Vec::new();
        let mut table = None;
        for (i, info) in self.leaves.iter().enumerate() {
            if info.cell.is_some() {
                if table.is_none() {
                    let id = tree.pdf.new_object_id();
                    table = Some(id);
                    kids.push(id);
                }
                continue;
            }
            let id = tree.pdf.new_object_id();
            leaf_ids[i] = Some(id);
            kids.push(id);
            let s = match info.leaf {
                Leaf::Title => "H1",
                _ => "P",
            };
            tree.element(id, s, document, &info.content, None);
        }
        if let Some(table_id) = table {
            let mut groups = Vec::new();
            for (s, range) in [
                ("THead", 0..shape.header_rows),
                ("TBody", shape.header_rows..rows),
            ] {
                if range.is_empty() {
                    continue;
                }
                let group = tree.pdf.new_object_id();
                groups.push(group);
                let mut trs = Vec::new();
                for r in range {
                    let tr = tree.pdf.new_object_id();
                    trs.push(tr);
                    let mut cells = Vec::new();
                    for &(_, leaf, c) in &by_row[r] {
                        let id = tree.pdf.new_object_id();
                        cells.push(id);
                        let content: &[(usize, i64)] =
                            leaf.map_or(&[], |i| &self.leaves[i].content);
                        let s = structure_type(Role::Cell(c));
                        tree.element(id, s, tr, content, table_attributes(c));
                        if let Some(i) = leaf {
                            leaf_ids[i] = Some(id);
                        }
                    }
                    tree.parent(tr, "TR", group, cells);
                }
                tree.parent(group, s, table_id, trs);
            }
            tree.parent(table_id, "Table", document, groups);
        }
        tree.parent(document, "Document", root_id, kids);

        // ParentTree: for each page, the element of each MCID.
        let mut nums = Vec::with_capacity(2 * self.pages.len());
        for (p, mcids) in self.pages.iter().enumerate() {
            let parents = mcids
                .iter()
                .map(|&leaf| {
                    leaf_ids[leaf]
                        .map(Object::Reference)
                        .ok_or_else(|| fail("a marked leaf has no element".into()))
                })
                .collect::<Result<Vec<_>>>()?;
            let array = tree.pdf.add_object(Object::Array(parents));
            nums.push(Object::Integer(p as i64));
            nums.push(Object::Reference(array));
        }
        let parent_tree = tree
            .pdf
            .add_object(Dictionary::from_iter([("Nums", Object::Array(nums))]));
        tree.pdf.objects.insert(
            root_id,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"StructTreeRoot".to_vec())),
                ("K", Object::Reference(document)),
                ("ParentTree", Object::Reference(parent_tree)),
                (
                    "ParentTreeNextKey",
                    Object::Integer(self.pages.len() as i64),
                ),
            ])),
        );
        for (p, &page) in page_ids.iter().enumerate() {
            if let Ok(Object::Dictionary(dict)) = tree.pdf.get_object_mut(page) {
                dict.set("StructParents", Object::Integer(p as i64));
                // PDF/UA: tab order follows the structure.
                dict.set("Tabs", Object::Name(b"S".to_vec()));
            }
        }
        let catalog = tree.pdf.catalog_mut().map_err(|e| fail(e.to_string()))?;
        catalog.set("StructTreeRoot", Object::Reference(root_id));
        catalog.set(
            "MarkInfo",
            Dictionary::from_iter([("Marked", Object::Boolean(true))]),
        );
        Ok(())
    }
}

/// The Table attributes of a cell (ISO 32000-1 §14.8.5.7): the scope of a header, and
/// spans other than 1. `None` for a plain data cell: an attribute object with no
/// attribute says nothing, and there is one per cell of a large handout.
fn table_attributes(c: CellRef) -> Option<Dictionary> {
    let mut a = Dictionary::from_iter([("O", Object::Name(b"Table".to_vec()))]);
    match c.kind {
        CellKind::ColumnHeader => a.set("Scope", Object::Name(b"Column".to_vec())),
        CellKind::RowHeader => a.set("Scope", Object::Name(b"Row".to_vec())),
        CellKind::Data => {}
    }
    if c.rowspan != 1 {
        a.set("RowSpan", Object::Integer(c.rowspan as i64));
    }
    if c.colspan != 1 {
        a.set("ColSpan", Object::Integer(c.colspan as i64));
    }
    a.as_hashmap_mut().shrink_to_fit();
    (a.len() > 1).then_some(a)
}

/// Writes structure elements into the document.
struct Tree<'a> {
    pdf: &'a mut lopdf::Document,
    page_ids: &'a [ObjectId],
}

impl Tree<'_> {
    /// A structure element holding marked content (`content`: page, MCID) directly.
    fn element(
        &mut self,
        id: ObjectId,
        s: &str,
        parent: ObjectId,
        content: &[(usize, i64)],
        attributes: Option<Dictionary>,
    ) {
        // /Type is optional for a structure element (ISO 32000-1 Table 323) and left
        // out: tens of thousands of elements in a large handout.
        let mut dict = Dictionary::from_iter([
            ("S", Object::Name(s.as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
        ]);
        if let Some(&(first, _)) = content.first() {
            let pg = self.page_ids[first];
            dict.set("Pg", Object::Reference(pg));
            let kids = content
                .iter()
                .map(|&(page, mcid)| {
                    if page == first {
                        Object::Integer(mcid)
                    } else {
                        Object::Dictionary(Dictionary::from_iter([
                            ("Type", Object::Name(b"MCR".to_vec())),
                            ("Pg", Object::Reference(self.page_ids[page])),
                            ("MCID", Object::Integer(mcid)),
                        ]))
                    }
                })
                .collect();
            dict.set("K", Object::Array(kids));
        }
        if let Some(a) = attributes {
            dict.set("A", Object::Dictionary(a));
        }
        // A dictionary grows by doubling: a four-entry element would hold room for
        // seven, and there are a hundred thousand or more in a large handout.
        dict.as_hashmap_mut().shrink_to_fit();
        self.pdf.objects.insert(id, Object::Dictionary(dict));
    }

    /// A grouping element whose kids are other elements.
    fn parent(&mut self, id: ObjectId, s: &str, parent: ObjectId, kids: Vec<ObjectId>) {
        let dict = Dictionary::from_iter([
            ("S", Object::Name(s.as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
            (
                "K",
                Object::Array(kids.into_iter().map(Object::Reference).collect()),
            ),
        ]);
        self.pdf.objects.insert(id, Object::Dictionary(dict));
    }
}
