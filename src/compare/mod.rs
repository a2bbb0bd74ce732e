//! Two registries compared: which projects were added, removed or changed, and how.
//!
//! In: an old and a new validated [`Registry`]. Out: a [`Comparison`], one [`Row`] per
//! changed project in the new table's order (a removed project after the row of the
//! old project that preceded it), each naming its [`Change`]s and, when the pairing
//! was a guess, the [`Assumption`] made. [`table`] turns it into the 新旧対照表's
//! cells, [`text`] holds the character-level diff both use.

pub mod matching;
pub mod outputs;
pub mod table;
pub mod text;

use std::collections::BTreeSet;

use crate::model::{Project, Registry};
pub use matching::{Basis, Item};
pub use outputs::{load_pair, DiffOutputs};
pub use table::{DiffCell, DiffTable};
pub use text::{redline, side_by_side, Mark, Marked, SideBySide, Span};

/// One kind of change, as named in the 備考 column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// 追加: only in the new registry.
    Added,
    /// 削除: only in the old registry.
    Removed,
    /// 名称変更.
    Renamed,
    /// 番号変更.
    Renumbered { old: u32, new: u32 },
    /// 分野・区分の変更: another policy area or category (or it was renamed).
    Moved,
    /// 取組状況の変更.
    Status { old: String, new: String },
    /// 概要の変更.
    Summary,
    /// 関係市町の追加: towns that joined the project.
    TownsJoined(Vec<String>),
    /// 関係市町の脱退: towns that left it.
    TownsLeft(Vec<String>),
    /// A field beyond the seed (主担当, 担当課, 評価, 今後の方向性, 成果指標, 事業費):
    /// its name, and for a one-word field the old and new word.
    Field {
        name: &'static str,
        words: Option<(String, String)>,
    },
}

impl Change {
    /// The name printed in 備考, e.g. 取組状況の変更（準備中→実施中）.
    pub fn label(&self) -> String {
        match self {
            Change::Added => "追加".into(),
            Change::Removed => "削除".into(),
            Change::Renamed => "名称変更".into(),
            Change::Renumbered { old, new } => format!("番号変更（{old}→{new}）"),
            Change::Moved => "分野・区分の変更".into(),
            Change::Status { old, new } => format!("取組状況の変更（{old}→{new}）"),
            Change::Summary => "概要の変更".into(),
            Change::TownsJoined(t) => format!("関係市町の追加（{}）", t.join("、")),
            Change::TownsLeft(t) => format!("関係市町の脱退（{}）", t.join("、")),
            Change::Field { name, words: None } => format!("{name}の変更"),
            Change::Field {
                name,
                words: Some((old, new)),
            } => format!("{name}の変更（{old}→{new}）"),
        }
    }
}

/// A pairing that was not certain, stated in the output and on the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    pub old_number: u32,
    pub new_number: u32,
    pub basis: Basis,
}

impl Assumption {
    /// For the terminal, in both languages (the Japanese as in the document).
    pub fn message(&self) -> crate::i18n::Text {
        let (o, n) = (self.old_number, self.new_number);
        let en = match self.basis {
            Basis::Name => format!("{o} → {n}: taken as renumbered (the same name)"),
            Basis::Number { percent } => format!(
                "{n}: taken as renamed (the same number, name and summary {percent}% alike)"
            ),
            Basis::Similar { percent } => {
                format!("{o} → {n}: taken as the same project (name and summary {percent}% alike)")
            }
            Basis::Id | Basis::NumberAndName => format!("{o} → {n}"),
        };
        crate::i18n::Text::new(en, self.statement())
    }

    /// e.g. `7 → 8: 番号変更とみなしました`.
    pub fn statement(&self) -> String {
        let (o, n) = (self.old_number, self.new_number);
        match self.basis {
            Basis::Name => format!("{o} → {n}: 名称が同じため番号変更とみなしました"),
            Basis::Number { percent } => format!(
                "{n}: 番号が同じで名称・概要が似ているため（類似度{percent}%）名称変更とみなしました"
            ),
            Basis::Similar { percent } => format!(
                "{o} → {n}: 名称・概要が似ているため（類似度{percent}%）同じ事業とみなしました"
            ),
            Basis::Id | Basis::NumberAndName => format!("{o} → {n}"),
        }
    }
}

/// One changed project: indices into [`Comparison::old`] / [`Comparison::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub changes: Vec<Change>,
    pub assumption: Option<Assumption>,
}

/// A project with the names of its area and category and its towns, in table order.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub project: &'a Project,
    pub area: &'a str,
    pub category: &'a str,
    /// Town names, in the registry's member order.
    pub towns: Vec<&'a str>,
    /// The fields beyond the seed, as printed (see [`EXTRAS`]); `None` when absent.
    pub extras: [Option<String>; 6],
}

/// The fields beyond the seed a card shows when either version has them: (name in
/// 備考 and on the card, whether a change is shown as old→new).
pub const EXTRAS: [(&str, bool); 6] = [
    ("主担当", true),
    ("担当課", true),
    ("評価", true),
    ("今後の方向性", true),
    ("成果指標", false),
    ("事業費", false),
];

/// The fields beyond the seed of `p`, printed.
fn extras(registry: &Registry, p: &Project) -> [Option<String>; 6] {
    let town = |t: crate::model::TownId| registry.town(t).name.clone();
    let point = |pt: &Option<crate::model::KpiPoint>| {
        pt.as_ref().map_or_else(
            || "―".to_string(),
            |pt| format!("{}（{}年度）", pt.value, pt.year),
        )
    };
    let kpis: Vec<String> = p
        .kpis
        .iter()
        .map(|k| {
            let unit = if k.unit.is_empty() {
                String::new()
            } else {
                format!("（{}）", k.unit)
            };
            format!(
                "{}{unit} 基準 {} 目標 {} 実績 {}",
                k.indicator,
                point(&k.baseline),
                point(&k.target),
                point(&k.actual)
            )
        })
        .collect();
    let budget: Vec<String> = p
        .budget
        .years
        .iter()
        .map(|y| {
            let towns: Vec<String> = y
                .amounts
                .iter()
                .map(|&(t, a)| format!("{} {}", town(t), a.grouped()))
                .collect();
            format!(
                "{}年度 {}{}（{}）",
                y.year,
                y.total().grouped(),
                registry.unit,
                towns.join("、")
            )
        })
        .collect();
    [
        p.lead.map(town),
        p.department.clone(),
        p.grade.clone(),
        p.direction.clone(),
        (!kpis.is_empty()).then(|| kpis.join("；")),
        (!budget.is_empty()).then(|| budget.join("；")),
    ]
}

impl<'a> Entry<'a> {
    fn all(registry: &'a Registry) -> Vec<Entry<'a>> {
        registry
            .rows()
            .map(|(a, c, p)| Entry {
                project: p,
                area: &a.name,
                category: &c.name,
                towns: p
                    .towns
                    .iter()
                    .map(|&t| registry.town(t).name.as_str())
                    .collect(),
                extras: extras(registry, p),
            })
            .collect()
    }

    fn item(&self) -> Item<'a> {
        Item {
            id: self.project.id.as_deref(),
            number: self.project.number,
            name: &self.project.name,
            summary: &self.project.summary,
        }
    }
}

/// The comparison of two registries.
#[derive(Debug, Clone)]
pub struct Comparison<'a> {
    pub old: Vec<Entry<'a>>,
    pub new: Vec<Entry<'a>>,
    /// Changed projects, in the new table's order.
    pub rows: Vec<Row>,
    /// Projects in both registries with nothing changed.
    pub unchanged: usize,
}

impl Comparison<'_> {
    pub fn added(&self) -> usize {
        self.rows.iter().filter(|r| r.old.is_none()).count()
    }

    pub fn removed(&self) -> usize {
        self.rows.iter().filter(|r| r.new.is_none()).count()
    }

    /// Changed projects present on both sides.
    pub fn changed(&self) -> usize {
        self.rows.len() - self.added() - self.removed()
    }

    /// Every assumption made, in row order.
    pub fn assumptions(&self) -> impl Iterator<Item = &Assumption> {
        self.rows.iter().filter_map(|r| r.assumption.as_ref())
    }

    /// The counts for the terminal, in both languages.
    pub fn summary_message(&self) -> crate::i18n::Text {
        let en = if self.rows.is_empty() {
            format!("no changes ({} projects, all unchanged)", self.unchanged)
        } else {
            format!(
                "{} projects changed ({} added, {} removed, {} changed), {} unchanged",
                self.rows.len(),
                self.added(),
                self.removed(),
                self.changed(),
                self.unchanged
            )
        };
        crate::i18n::Text::new(en, self.summary_line())
    }

    /// One line: 変更 3 事業（追加 1、削除 1、変更 1）、変更なし 16 事業.
    pub fn summary_line(&self) -> String {
        if self.rows.is_empty() {
            return format!("変更はありません（{} 事業すべて変更なし）", self.unchanged);
        }
        format!(
            "変更 {} 事業（追加 {}、削除 {}、変更 {}）、変更なし {} 事業",
            self.rows.len(),
            self.added(),
            self.removed(),
            self.changed(),
            self.unchanged
        )
    }
}

/// Compares `old` with `new`.
///
/// ```
/// # let yaml = "title: T\nlabel: 資料2\ntowns: [旭川市]\nareas:\n  - name: A\n    categories:\n      - name: C\n        projects:\n          - {number: 1, name: P, status: 準備中, towns: [旭川市]}\n";
/// let old = shiryo::registry::parse("old.yaml".as_ref(), yaml).unwrap();
/// let new = shiryo::registry::parse("new.yaml".as_ref(), &yaml.replace("準備中", "実施中")).unwrap();
/// let c = shiryo::compare::compare(&old, &new);
/// assert_eq!(c.rows[0].changes[0].label(), "取組状況の変更（準備中→実施中）");
/// ```
pub fn compare<'a>(old: &'a Registry, new: &'a Registry) -> Comparison<'a> {
    let (olds, news) = (Entry::all(old), Entry::all(new));
    let old_items: Vec<Item> = olds.iter().map(Entry::item).collect();
    let new_items: Vec<Item> = news.iter().map(Entry::item).collect();
    let m = matching::match_projects(&old_items, &new_items);

    // Rows keyed by their place: (1, new index, 0) for a project in the new table;
    // (1, new index of the project it followed, 1 + old index) for a removed one, or
    // (0, 0, old index) when no earlier old project is still there.
    let mut keyed: Vec<((u8, usize, usize), Row)> = Vec::new();
    let mut unchanged = 0;
    // The new index of each paired old project, to place removed ones.
    let mut new_of_old: Vec<Option<usize>> = vec![None; olds.len()];
    for p in &m.pairs {
        new_of_old[p.old] = Some(p.new);
        let changes = classify(&olds[p.old], &news[p.new]);
        if changes.is_empty() {
            unchanged += 1;
            continue;
        }
        let assumption = (!p.basis.is_certain()).then(|| Assumption {
            old_number: olds[p.old].project.number,
            new_number: news[p.new].project.number,
            basis: p.basis,
        });
        let row = Row {
            old: Some(p.old),
            new: Some(p.new),
            changes,
            assumption,
        };
        keyed.push(((1, p.new, 0), row));
    }
    for &n in &m.added {
        let row = Row {
            old: None,
            new: Some(n),
            changes: vec![Change::Added],
            assumption: None,
        };
        keyed.push(((1, n, 0), row));
    }
    for &o in &m.removed {
        // After the nearest earlier old project that is still there; first if none.
        let after = (0..o).rev().find_map(|k| new_of_old[k]);
        let key = match after {
            Some(n) => (1, n, 1 + o),
            None => (0, 0, o),
        };
        let row = Row {
            old: Some(o),
            new: None,
            changes: vec![Change::Removed],
            assumption: None,
        };
        keyed.push((key, row));
    }
    keyed.sort_by_key(|(key, _)| *key);
    Comparison {
        old: olds,
        new: news,
        rows: keyed.into_iter().map(|(_, r)| r).collect(),
        unchanged,
    }
}

/// What changed between two versions of one project, in 備考 order.
pub fn classify(old: &Entry, new: &Entry) -> Vec<Change> {
    let (o, n) = (old.project, new.project);
    let mut changes = Vec::new();
    if o.number != n.number {
        changes.push(Change::Renumbered {
            old: o.number,
            new: n.number,
        });
    }
    if o.name != n.name {
        changes.push(Change::Renamed);
    }
    if old.area != new.area || old.category != new.category {
        changes.push(Change::Moved);
    }
    if o.status != n.status {
        changes.push(Change::Status {
            old: o.status.clone(),
            new: n.status.clone(),
        });
    }
    if o.summary != n.summary {
        changes.push(Change::Summary);
    }
    let before: BTreeSet<&str> = old.towns.iter().copied().collect();
    let after: BTreeSet<&str> = new.towns.iter().copied().collect();
    let joined: Vec<String> = new
        .towns
        .iter()
        .filter(|t| !before.contains(*t))
        .map(|t| t.to_string())
        .collect();
    let left: Vec<String> = old
        .towns
        .iter()
        .filter(|t| !after.contains(*t))
        .map(|t| t.to_string())
        .collect();
    if !joined.is_empty() {
        changes.push(Change::TownsJoined(joined));
    }
    if !left.is_empty() {
        changes.push(Change::TownsLeft(left));
    }
    for ((name, words), (o, n)) in EXTRAS.iter().zip(old.extras.iter().zip(&new.extras)) {
        if o != n {
            let word = |w: &Option<String>| w.clone().unwrap_or_else(|| "なし".into());
            changes.push(Change::Field {
                name,
                words: words.then(|| (word(o), word(n))),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests;
