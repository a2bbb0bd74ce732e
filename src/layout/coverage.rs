//! Refuses text the bundled font cannot draw, before anything is laid out: a missing
//! glyph would print as an empty box in an official document.

use super::font::{Fonts, Style};
use crate::error::Result;
use crate::i18n::Text;
use crate::model::Registry;
use crate::registry::findings::Findings;
use crate::template::Template;
use crate::tr;

/// Checks that every character of the registry (and the template's headers) has a
/// glyph in the face it is printed in.
///
/// # Errors
/// [`crate::Error::Invalid`] naming, for each missing character, the project (or
/// other node), the field, the character and its code point, at the node's line.
pub fn check_glyphs(registry: &Registry, tpl: &Template, fonts: &Fonts) -> Result<()> {
    let mut found = Findings::default();
    let mut check = |path: String, what: Text, text: &str, style: Style| {
        let face = fonts.face(style);
        let mut seen = Vec::new();
        for c in text.chars().filter(|c| *c != '\n' && *c != '\r') {
            if face.glyph(c).is_none() && !seen.contains(&c) {
                seen.push(c);
                let (en, ja, code) = (&what.en, &what.ja, c as u32);
                let (font_en, font_ja) = face.family();
                found.add(
                    path.clone(),
                    tr!(
                        "{en}: the font {font_en} has no glyph for {c:?} (U+{code:04X})",
                        "{ja}: フォント {font_ja}に {c:?}（U+{code:04X}）の字形がありません"
                    ),
                    Some(tr!(
                        "replace the character (e.g. a variant kanji by its common form)",
                        "この文字を置き換えてください（異体字なら通常の字体に）"
                    )),
                );
            }
        }
    };
    check(
        "title".into(),
        tr!("title", "表題"),
        &registry.title,
        Style::Bold,
    );
    check(
        "label".into(),
        tr!("label", "ラベル"),
        &registry.label,
        Style::Regular,
    );
    for (i, town) in registry.towns.iter().enumerate() {
        check(
            format!("towns[{i}]"),
            tr!("town {}", "市町村 {}", town.name),
            &town.name,
            Style::Regular,
        );
    }
    for area in &registry.areas {
        check(
            format!("{}.name", area.at),
            tr!("policy area name", "政策分野名"),
            &area.name,
            Style::Regular,
        );
        for cat in &area.categories {
            check(
                format!("{}.name", cat.at),
                tr!("category name", "分類名"),
                &cat.name,
                Style::Regular,
            );
            for p in &cat.projects {
                let fields = [
                    ("name", "事業名", &p.name),
                    ("status", "取組状況", &p.status),
                    ("summary", "事業概要", &p.summary),
                ];
                for (field, field_ja, text) in fields {
                    let number = p.number;
                    check(
                        format!("{}.{field}", p.at),
                        tr!("project {number} {field}", "事業 {number} の{field_ja}"),
                        text,
                        Style::Regular,
                    );
                }
            }
        }
    }
    // The fields beyond the seed are printed by templates that choose them, and in
    // the workbook: checked whether or not this template prints them, so that a
    // registry valid for one template is valid for all.
    let texts = [
        (
            "meeting",
            tr!("meeting", "会議名"),
            registry.meeting.as_deref(),
        ),
        (
            "revision",
            tr!("revision", "差し替え表示"),
            registry.revision.as_deref(),
        ),
        ("unit", tr!("unit", "単位"), Some(registry.unit.as_str())),
    ];
    for (field, what, text) in texts {
        if let Some(text) = text {
            check(field.into(), what, text, Style::Regular);
        }
    }
    for (i, note) in registry.notes.iter().enumerate() {
        check(
            format!("notes[{i}]"),
            tr!("note", "注記"),
            note,
            Style::Regular,
        );
    }
    for (i, d) in registry.directions.iter().enumerate() {
        check(
            format!("directions[{i}]"),
            tr!("direction", "今後の方向性"),
            d,
            Style::Regular,
        );
    }
    for g in &registry.grades {
        let (key, text) = (&g.key, format!("{}{}", g.key, g.meaning));
        check(
            format!("grades.{key}"),
            tr!("grade {key}", "評価 {key}"),
            &text,
            Style::Regular,
        );
    }
    for town in &registry.towns {
        let name = &town.name;
        check(
            format!("roles.{name}"),
            tr!("role of {name}", "{name} の役割"),
            &town.role,
            Style::Regular,
        );
    }
    for p in registry.projects() {
        let number = p.number;
        if let Some(d) = &p.department {
            let what = tr!("project {number} department", "事業 {number} の担当課");
            check(format!("{}.department", p.at), what, d, Style::Regular);
        }
        for k in &p.kpis {
            let words = [&k.baseline, &k.target, &k.actual]
                .into_iter()
                .flatten()
                .map(|point| point.value.to_string());
            let text: String = [k.indicator.clone(), k.unit.clone()]
                .into_iter()
                .chain(words)
                .collect();
            let what = tr!("project {number} KPI", "事業 {number} の成果指標");
            check(format!("{}.indicator", k.at), what, &text, Style::Regular);
        }
    }
    for header in tpl.columns.0.iter().filter_map(|c| c.header.as_ref()) {
        check(
            String::new(),
            tr!("template header {header}", "テンプレートの見出し {header}"),
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
