//! What serde accepts: the registry's YAML shape, before any cross-checks.
//!
//! Nested levels deny unknown fields, so a typo such as `sumary` is an error rather than
//! a silently empty cell. The top level accepts extra fields (the contract lets
//! registries carry more than shiryo needs), each with a warning, since `data:` for
//! `date:` would otherwise vanish silently. The reader ([`super::stream`]) applies
//! these rules itself, so that it can report every problem and go on.
//!
//! Scalars whose meaning is checked later (years, amounts, KPI values) are taken as
//! text: [`super::validate`] reports every bad year or amount of the file in one run,
//! each at its line and column, with messages that say what a year or amount is.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The top-level fields [`RawRegistry`] reads, in its order (a test keeps the two
/// together): any other top-level key is ignored with a warning.
pub const TOP_LEVEL: &[&str] = &[
    "title",
    "label",
    "towns",
    "statuses",
    "areas",
    "date",
    "author",
    "meeting",
    "fiscal_year",
    "revision",
    "unit",
    "roles",
    "grades",
    "directions",
    "notes",
];

#[derive(Debug, Deserialize)]
pub struct RawRegistry {
    pub title: String,
    pub label: String,
    pub towns: Vec<String>,
    #[serde(default)]
    pub statuses: Option<Vec<String>>,
    pub areas: Vec<RawArea>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub meeting: Option<String>,
    /// The 年度 the figures are for: `2025` or `令和7年度`.
    #[serde(default)]
    pub fiscal_year: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub roles: Option<OrderedMap<String>>,
    #[serde(default)]
    pub grades: Option<OrderedMap<String>>,
    #[serde(default)]
    pub directions: Option<Vec<String>>,
    #[serde(default)]
    pub notes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArea {
    pub name: String,
    pub categories: Vec<RawCategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub name: String,
    pub projects: Vec<RawProject>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProject {
    pub number: u32,
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub towns: Vec<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub lead: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub kpis: Option<Vec<RawKpi>>,
    /// Fiscal year → town → amount.
    #[serde(default)]
    pub budget: Option<OrderedMap<OrderedMap<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKpi {
    pub indicator: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub baseline: Option<RawKpiPoint>,
    #[serde(default)]
    pub target: Option<RawKpiPoint>,
    #[serde(default)]
    pub actual: Option<RawKpiPoint>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKpiPoint {
    pub year: String,
    pub value: String,
}

/// A YAML mapping in document order, keys as text. Repeated keys are kept (serde_yaml
/// only refuses them in its own `Mapping`), so that validation reports each repeat
/// at its own position.
#[derive(Debug)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping (key: value lines)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, V>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}
