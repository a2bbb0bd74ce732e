//! What serde accepts: the registry's YAML shape, before any cross-checks.
//!
//! Nested levels deny unknown fields, so a typo such as `sumary` is an error rather than
//! a silently empty cell. The top level accepts extra fields (`meeting`, `author`, …):
//! the contract lets registries carry more than shiryo needs.

use serde::Deserialize;

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
}
