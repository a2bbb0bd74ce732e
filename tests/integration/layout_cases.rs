//! Golden layout cases: each `tests/layout/<case>.yaml` against its reviewed
//! `<case>.layout.txt` (see tests/layout/README.md). `UPDATE=1` rewrites the dumps.

use std::path::Path;

use serde::Deserialize;
use shiryo::layout::{layout_handout, Fonts, Measure, Role, TextRun, NO_LINE_START};
use shiryo::template::FontFamily;
use shiryo::units::Pt;
use shiryo::Template;

use super::common::*;

/// What a case file says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The registry, relative to the case file.
    registry: String,
    /// A bundled template's name or a file relative to the case file; shiryo2 if absent.
    template: Option<String>,
    font: Option<FontFamily>,
    /// That member town's handout instead of the whole table.
    town: Option<String>,
}

/// The layout dump of the case at `path`.
fn dump(path: &Path) -> String {
    let dir = path.parent().unwrap();
    let case: Case = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut registry = shiryo::registry::load(&dir.join(&case.registry))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // A bundled name, else a file beside the case.
    let mut tpl = match &case.template {
        None => Template::default(),
        Some(name) => match Template::bundled(name) {
            Some(t) => t,
            None => Template::load(&dir.join(name))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        },
    };
    if let Some(font) = case.font {
        tpl.pdf.font = font;
    }
    if let Some(town) = &case.town {
        let id = registry
            .town_ids()
            .find(|&t| registry.town(t).name == *town)
            .unwrap_or_else(|| panic!("{}: no town {town}", path.display()));
        registry = registry.for_town(id);
    }
    let fonts = Fonts::family(tpl.pdf.font).unwrap();
    shiryo::Job::new(tpl.clone())
        .unwrap()
        .check(&registry)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    layout_handout(&registry, &tpl, &fonts).dump()
}

#[test]
fn every_case_matches_its_reviewed_dump() {
    let cases = yaml_cases("tests/layout", 5);
    let update = std::env::var_os("UPDATE").is_some();
    let mut changed = Vec::new();
    for case in &cases {
        let dump = dump(case);
        let golden = case.with_extension("layout.txt");
        if update {
            std::fs::write(&golden, &dump).unwrap();
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if dump != want {
            let line = dump.lines().zip(want.lines()).position(|(a, b)| a != b);
            changed.push(format!("{} (first at line {line:?})", case.display()));
        }
    }
    assert!(
        changed.is_empty(),
        "layout changed; review and rerun with UPDATE=1:\n{}",
        changed.join("\n")
    );
}

#[test]
fn a_long_title_wraps_inside_the_margins() {
    let path = root().join("tests/layout/registries/long-title.yaml");
    for case in ["long-title", "long-title-town"] {
        let fonts = Fonts::bundled().unwrap();
        let registry = shiryo::registry::load(&path).unwrap();
        let registry = if case.ends_with("town") {
            registry.for_town(registry.town_ids().nth(2).unwrap())
        } else {
            registry
        };
        let tpl = Template::default();
        let handout = layout_handout(&registry, &tpl, &fonts);
        assert_eq!(
            registry.title.chars().count(),
            if case == "long-title" { 61 } else { 67 }
        );
        let title: Vec<&TextRun> = handout.pages[0]
            .texts
            .iter()
            .filter(|t| t.role == Role::Title)
            .collect();
        assert!(title.len() >= 2, "{case}: the title wraps");
        let joined: String = title.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(joined, registry.title, "{case}: no character lost");
        let left = Pt::from(tpl.pdf.margins.left).0;
        let right = handout.width.0 - Pt::from(tpl.pdf.margins.right).0;
        for t in &title {
            let w = fonts.bold.width(&t.text) * t.size.0;
            assert!(
                t.x.0 >= left - 0.01 && t.x.0 + w <= right + 0.01,
                "{case}: {} leaves the margins",
                t.text
            );
            let first = t.text.chars().next().unwrap();
            assert!(!NO_LINE_START.contains(first), "{case}: {}", t.text);
        }
        // The table starts below the last title line.
        let last = title.last().unwrap().baseline.0;
        let table_top = handout.pages[0]
            .boxes
            .iter()
            .map(|b| b.y.0)
            .fold(f32::MAX, f32::min);
        assert!(table_top > last, "{case}: {table_top} <= {last}");
    }
}
