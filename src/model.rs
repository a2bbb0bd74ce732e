//! The validated registry: what layout and rendering trust.
//!
//! Built only by [`crate::registry`]; every invariant below holds for any value of
//! these types: project numbers are unique, every project town is a member town
//! (stored as an index into [`Registry::towns`], sorted in member order), every status
//! is one of [`Registry::statuses`], no area or category is empty.
//!
//! The fields beyond the seed (see "Beyond the seed" in the spec) are all optional:
//! project `id`s are unique; a project's `lead` and budget towns are towns of the
//! project; its `grade` is a key of [`Registry::grades`], its `direction` one of
//! [`Registry::directions`]; every year is a fiscal year of [`crate::registry::YEARS`];
//! amounts are not negative.

mod budget;
mod kpi;

use std::path::PathBuf;
use std::sync::Arc;

pub use budget::{Amount, Budget, BudgetYear};
pub use kpi::{Kpi, KpiPoint, KpiValue};

/// A fiscal year (年度, April to March), named by the calendar year it starts in:
/// 2025 is 令和7年度.
pub type FiscalYear = i32;

/// The role of a town the registry's `roles` does not name.
pub const DEFAULT_ROLE: &str = "連携市町";

/// The unit of budget amounts when the registry gives none.
pub const DEFAULT_UNIT: &str = "千円";

/// The YAML file a registry came from, kept so that later stages (a glyph the font
/// lacks) can still point the user at a line.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// Where a node sits in the YAML tree, e.g. `areas[0].categories[1].projects[2].summary`.
/// Resolved to a line and column by [`crate::registry::locate`] only when an error needs it.
pub type NodePath = String;

/// A member town (市町村) of the 定住自立圏, e.g. 旭川市.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Town {
    pub name: String,
    /// 中心市, 連携市町, …: from the registry's `roles`, else [`DEFAULT_ROLE`].
    pub role: String,
}

/// One grade of the evaluation legend (凡例), e.g. `A`: 目標を達成.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    /// What a project's `grade` names; unique, not blank.
    pub key: String,
    /// What it means, printed in the legend; not blank.
    pub meaning: String,
}

/// Index of a town in [`Registry::towns`]; ordering by it is the print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TownId(pub usize);

/// One cooperation project (連携事業): one row of the table.
#[derive(Debug, Clone)]
pub struct Project {
    /// The number printed before the name, unique in the registry.
    pub number: u32,
    pub name: String,
    /// One of [`Registry::statuses`] (取組状況).
    pub status: String,
    /// 取組内容・事業概要; may be empty. `\n` is a forced line break.
    pub summary: String,
    /// Participating towns (関係市町), in member order, without duplicates.
    pub towns: Vec<TownId>,
    /// Where the project's mapping is in the YAML.
    pub at: NodePath,
    /// Stable across years, for matching projects between two registries (diff,
    /// collect); unique in the registry, not blank.
    pub id: Option<String>,
    /// 主担当: the town that answers for the project, one of [`Project::towns`].
    pub lead: Option<TownId>,
    /// 担当課 of the lead town; not blank.
    pub department: Option<String>,
    /// The evaluation: a key of [`Registry::grades`].
    pub grade: Option<String>,
    /// 今後の方向性: one of [`Registry::directions`].
    pub direction: Option<String>,
    /// 成果指標, in the registry's order.
    pub kpis: Vec<Kpi>,
    /// 事業費 per fiscal year and town; empty when the registry gives none.
    pub budget: Budget,
}

impl Project {
    /// The project cell as printed: `<no> <name>`.
    pub fn label(&self) -> String {
        format!("{} {}", self.number, self.name)
    }

    pub fn has_town(&self, town: TownId) -> bool {
        self.towns.binary_search(&town).is_ok()
    }
}

/// A category within a policy area (e.g. ア、医療), merged over its projects.
#[derive(Debug, Clone)]
pub struct Category {
    pub name: String,
    pub projects: Vec<Project>,
    pub at: NodePath,
}

/// A policy area (政策分野, e.g. 生活機能の強化), merged over its categories.
#[derive(Debug, Clone)]
pub struct PolicyArea {
    pub name: String,
    pub categories: Vec<Category>,
    pub at: NodePath,
}

impl PolicyArea {
    pub fn project_count(&self) -> usize {
        self.categories.iter().map(|c| c.projects.len()).sum()
    }
}

/// A whole validated registry.
#[derive(Debug, Clone)]
pub struct Registry {
    pub source: Source,
    /// The table's title, e.g. 上川中部定住自立圏連携事業の進捗状況等.
    pub title: String,
    /// The document label printed top right and used as the main sheet name (資料2).
    pub label: String,
    pub author: Option<String>,
    /// The meeting the handout is for, e.g. 第3回上川中部定住自立圏共生ビジョン懇談会.
    pub meeting: Option<String>,
    /// Seconds since 1970 (UTC) written into the outputs' metadata: the registry's
    /// `date`, else `SOURCE_DATE_EPOCH`, else 0, never the wall clock.
    pub timestamp: i64,
    /// The meeting date (`date`), printed in 和暦; a date from 1900 to 9999.
    pub date: Option<time::Date>,
    /// The 年度 the figures are for (printed 令和7年度); the budget column's year.
    pub fiscal_year: Option<FiscalYear>,
    /// A stamp beside the label, e.g. 差し替え; not blank.
    pub revision: Option<String>,
    /// The unit of budget amounts: [`DEFAULT_UNIT`] unless the registry says otherwise.
    pub unit: String,
    /// Member towns in print order.
    pub towns: Vec<Town>,
    /// The statuses a project may have (取組状況).
    pub statuses: Vec<String>,
    /// The evaluation legend (凡例) in the registry's order, which is print order.
    pub grades: Vec<Grade>,
    /// The allowed 今後の方向性, in the registry's order; unique, not blank.
    pub directions: Vec<String>,
    /// Notes printed under the table, each as `※ …`; not blank.
    pub notes: Vec<String>,
    pub areas: Vec<PolicyArea>,
    /// What the registry holds that shiryo ignores (an unknown top-level key), at its
    /// place: printed as warnings, the build goes on.
    pub warnings: Vec<crate::error::Problem>,
}

impl Registry {
    /// Every project in table order, with its area and category.
    pub fn rows(&self) -> impl Iterator<Item = (&PolicyArea, &Category, &Project)> {
        self.areas.iter().flat_map(|a| {
            a.categories
                .iter()
                .flat_map(move |c| c.projects.iter().map(move |p| (a, c, p)))
        })
    }

    pub fn project_count(&self) -> usize {
        self.areas.iter().map(PolicyArea::project_count).sum()
    }

    /// Every project in table order.
    pub fn projects(&self) -> impl Iterator<Item = &Project> {
        self.rows().map(|(_, _, p)| p)
    }

    /// The legend entry of `key`.
    pub fn grade(&self, key: &str) -> Option<&Grade> {
        self.grades.iter().find(|g| g.key == key)
    }

    /// Every fiscal year some project has a budget for, ascending.
    pub fn budget_years(&self) -> Vec<FiscalYear> {
        let mut years: Vec<FiscalYear> = self
            .projects()
            .flat_map(|p| p.budget.years.iter().map(|y| y.year))
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The sphere's total for `year`: every project, every town.
    pub fn budget_total(&self, year: FiscalYear) -> Amount {
        self.projects().filter_map(|p| p.budget.total(year)).sum()
    }

    /// `town`'s share of `year` over all projects (its column total in 事業費).
    pub fn budget_town_total(&self, year: FiscalYear, town: TownId) -> Amount {
        self.projects()
            .filter_map(|p| p.budget.amount(year, town))
            .sum()
    }

    /// Whether any project carries a KPI (the 成果指標 sheet is then written).
    pub fn has_kpis(&self) -> bool {
        self.projects().any(|p| !p.kpis.is_empty())
    }

    pub fn town(&self, id: TownId) -> &Town {
        &self.towns[id.0]
    }

    /// The 関係市町 cell: the project's towns joined by `、`.
    pub fn town_list(&self, project: &Project) -> String {
        let names: Vec<&str> = project
            .towns
            .iter()
            .map(|&t| self.town(t).name.as_str())
            .collect();
        names.join("、")
    }

    /// The handout of one member town: only its projects, empty categories and areas
    /// dropped (so merges are recomputed), the title marked with the town. Projects
    /// keep all their fields (the whole budget, not only the town's share: a budget
    /// column prints the project's total).
    pub fn for_town(&self, town: TownId) -> Registry {
        let areas = self
            .areas
            .iter()
            .filter_map(|a| {
                let categories: Vec<Category> = a
                    .categories
                    .iter()
                    .filter_map(|c| {
                        let projects: Vec<Project> = c
                            .projects
                            .iter()
                            .filter(|p| p.has_town(town))
                            .cloned()
                            .collect();
                        (!projects.is_empty()).then(|| Category {
                            name: c.name.clone(),
                            projects,
                            at: c.at.clone(),
                        })
                    })
                    .collect();
                (!categories.is_empty()).then(|| PolicyArea {
                    name: a.name.clone(),
                    categories,
                    at: a.at.clone(),
                })
            })
            .collect();
        Registry {
            source: self.source.clone(),
            title: format!("{}（{}）", self.title, self.town(town).name),
            label: self.label.clone(),
            author: self.author.clone(),
            meeting: self.meeting.clone(),
            timestamp: self.timestamp,
            date: self.date,
            fiscal_year: self.fiscal_year,
            revision: self.revision.clone(),
            unit: self.unit.clone(),
            towns: self.towns.clone(),
            statuses: self.statuses.clone(),
            grades: self.grades.clone(),
            directions: self.directions.clone(),
            notes: self.notes.clone(),
            areas,
            // Reported once, for the registry.
            warnings: Vec::new(),
        }
    }

    pub fn town_ids(&self) -> impl Iterator<Item = TownId> {
        (0..self.towns.len()).map(TownId)
    }
}
