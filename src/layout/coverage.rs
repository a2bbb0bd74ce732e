//! Refuses text the bundled font cannot draw, before anything is laid out: a missing
//! glyph would print as an empty box in an official document.

use super::font::{Fonts, Style};
use crate::error::Result;
use crate::model::Registry;
use crate::registry::findings::Findings;
use crate::template::Template;

/// Checks that every character of the registry (and the template's headers) has a
/// glyph in the face it is printed in.
///
/// # Errors
/// [`crate::Error::Invalid`] naming, for each missing character, the project (or
/// other node), the field, the character and its code point, at the node's line.
pub fn check_glyphs(registry: &Registry, tpl: &Template, fonts: &Fonts) -> Result<()> {
    let mut found = Findings::default();
    let mut check = |path: String, what: String, text: &str, style: Style| {
        let face = fonts.face(style);
        let mut seen = Vec::new();
        for c in text.chars().filter(|c| *c != '\n' && *c != '\r') {
            if face.glyph(c).is_none() && !seen.contains(&c) {
                seen.push(c);
                found.add(
                    path.clone(),
                    format!(
                        "{what}: the font BIZ UDGothic has no glyph for {c:?} (U+{:04X})",
                        c as u32
                    ),
                    Some("replace the character (e.g. a variant kanji by its common form)".into()),
                );
            }
        }
    };
    check("title".into(), "title".into(), &registry.title, Style::Bold);
    check(
        "label".into(),
        "label".into(),
        &registry.label,
        Style::Regular,
    );
    for (i, town) in registry.towns.iter().enumerate() {
        check(
            format!("towns[{i}]"),
            format!("town {}", town.name),
            &town.name,
            Style::Regular,
        );
    }
    for area in &registry.areas {
        check(
            format!("{}.name", area.at),
            "policy area name".into(),
            &area.name,
            Style::Regular,
        );
        for cat in &area.categories {
            check(
                format!("{}.name", cat.at),
                "category name".into(),
                &cat.name,
                Style::Regular,
            );
            for p in &cat.projects {
                let fields = [
                    ("name", &p.name),
                    ("status", &p.status),
                    ("summary", &p.summary),
                ];
                for (field, text) in fields {
                    check(
                        format!("{}.{field}", p.at),
                        format!("project {} {field}", p.number),
                        text,
                        Style::Regular,
                    );
                }
            }
        }
    }
    let c = &tpl.columns;
    for header in [
        &c.area.header,
        &c.project.header,
        &c.status.header,
        &c.summary.header,
        &c.towns.header,
    ] {
        check(
            String::new(),
            format!("template header {header}"),
            header,
            Style::Bold,
        );
    }
    if found.0.is_empty() {
        Ok(())
    } else {
        Err(found.into_error(&registry.source))
    }
}
