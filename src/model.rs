//! The validated registry: what layout and rendering trust.
//!
//! Built only by [`crate::registry`]; every invariant below holds for any value of
//! these types: project numbers are unique, every project town is a member town
//! (stored as an index into [`Registry::towns`], sorted in member order), every status
//! is one of [`Registry::statuses`], no area or category is empty.

use std::path::PathBuf;
use std::sync::Arc;

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
    pub meeting: Option<String>,
    /// Seconds since 1970 (UTC) written into the outputs' metadata: the registry's
    /// `date`, else `SOURCE_DATE_EPOCH`, else 0, never the wall clock.
    pub timestamp: i64,
    /// Member towns in print order.
    pub towns: Vec<Town>,
    /// The statuses a project may have (取組状況).
    pub statuses: Vec<String>,
    pub areas: Vec<PolicyArea>,
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
    /// dropped (so merges are recomputed), the title marked with the town.
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
            towns: self.towns.clone(),
            statuses: self.statuses.clone(),
            areas,
        }
    }

    pub fn town_ids(&self) -> impl Iterator<Item = TownId> {
        (0..self.towns.len()).map(TownId)
    }
}
