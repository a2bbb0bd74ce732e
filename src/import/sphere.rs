//! The registry's fields beyond the seed that no sheet shows (fiscal year, revision,
//! unit, roles, the grade legend, the directions, the notes): shiryo's workbooks carry
//! each in a custom document property as a one-line YAML flow value, as they carry the
//! declared statuses, so that `shiryo import` gives them back. Written only when the
//! registry has the field, so a seed-shaped registry's workbook is unchanged.

use std::collections::HashMap;

use super::emit::{flow_list, scalar};
use crate::model::{Registry, DEFAULT_ROLE, DEFAULT_UNIT};

/// The prefix of every property shiryo adds.
const PREFIX: &str = "shiryo.";

/// The registry keys carried, in the order they are written back.
const KEYS: [&str; 7] = [
    "fiscal_year",
    "revision",
    "unit",
    "roles",
    "grades",
    "directions",
    "notes",
];

fn flow_map<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let items: Vec<String> = entries
        .into_iter()
        .map(|(k, v)| format!("{}: {}", scalar(k, true), scalar(v, true)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// The properties `registry` needs: (name, one-line YAML value).
pub fn properties(registry: &Registry) -> Vec<(String, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    if let Some(y) = registry.fiscal_year {
        out.push(("fiscal_year", y.to_string()));
    }
    if let Some(r) = &registry.revision {
        out.push(("revision", scalar(r, true)));
    }
    if registry.unit != DEFAULT_UNIT {
        out.push(("unit", scalar(&registry.unit, true)));
    }
    let roles: Vec<(&str, &str)> = registry
        .towns
        .iter()
        .filter(|t| t.role != DEFAULT_ROLE)
        .map(|t| (t.name.as_str(), t.role.as_str()))
        .collect();
    if !roles.is_empty() {
        out.push(("roles", flow_map(roles)));
    }
    if !registry.grades.is_empty() {
        let grades = registry
            .grades
            .iter()
            .map(|g| (g.key.as_str(), g.meaning.as_str()));
        out.push(("grades", flow_map(grades)));
    }
    if !registry.directions.is_empty() {
        let list = registry.directions.iter().map(String::as_str);
        out.push(("directions", flow_list(list)));
    }
    if !registry.notes.is_empty() {
        out.push((
            "notes",
            flow_list(registry.notes.iter().map(String::as_str)),
        ));
    }
    out.into_iter()
        .map(|(k, v)| (format!("{PREFIX}{k}"), v))
        .collect()
}

/// The registry lines (`grades: {A: …}`) for the properties found; a value that is
/// not one line of YAML is left out (the registry is validated after).
pub fn lines(custom: &HashMap<String, String>) -> String {
    let mut y = String::new();
    for key in KEYS {
        let Some(value) = custom.get(&format!("{PREFIX}{key}")) else {
            continue;
        };
        if value.contains(['\n', '\r']) || serde_yaml::from_str::<serde_yaml::Value>(value).is_err()
        {
            continue;
        }
        y += &format!("{key}: {value}\n");
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sphere_gives_its_lines_back_and_the_seed_has_none() {
        let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/data/registry.yaml");
        let seed = crate::registry::load(seed.as_ref()).unwrap();
        assert!(properties(&seed).is_empty());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kamikawa-2025.yaml");
        let r = crate::registry::load(path.as_ref()).unwrap();
        let custom: HashMap<String, String> = properties(&r).into_iter().collect();
        let y = lines(&custom);
        assert!(
            y.starts_with("fiscal_year: 2025\nrevision: 差し替え\n"),
            "{y}"
        );
        assert!(y.contains("roles: {旭川市: 中心市}\n"), "{y}");
        assert!(y.contains("grades: {A: 目標を達成,"), "{y}");
        let mut bad = custom.clone();
        bad.insert("shiryo.notes".into(), "[a]\nareas: []".into());
        assert!(!lines(&bad).contains("notes"));
    }
}
