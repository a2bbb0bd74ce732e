//! Property tests (the CI-sized part of fuzzing; `fuzz/` holds the cargo-fuzz targets):
//! arbitrary input never panics, and line breaking keeps its promises.

use proptest::prelude::*;
use shiryo::layout::{break_lines, BreakRule, Fonts, Measure, NO_LINE_END, NO_LINE_START};

use super::common::*;

/// Characters of the kinds registries hold, rules' edge cases included.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("圏域内の夜間及び休日等旭川市東神楽町".chars().collect::<Vec<_>>()),
        2 => prop::sample::select(NO_LINE_START.chars().collect::<Vec<_>>()),
        2 => prop::sample::select(NO_LINE_END.chars().collect::<Vec<_>>()),
        2 => prop::sample::select("HNPO24. 1月".chars().collect::<Vec<_>>()),
        1 => Just(' '),
        1 => Just('\n'),
        1 => any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn line_breaking_never_loses_text_or_overflows(
        chars in prop::collection::vec(text_char(), 0..200),
        width in 0.5f32..40.0,
        list in any::<bool>(),
    ) {
        let text: String = chars.into_iter().collect();
        let fonts = Fonts::bundled().unwrap();
        let rule = if list { BreakRule::List { sep: '、' } } else { BreakRule::Prose };
        let keep = ["旭川市".to_string(), "東神楽町".to_string()];
        let lines = break_lines(&text, width, &fonts.regular, rule, &keep);
        let squeeze = |s: &str| s.chars().filter(|c| !matches!(c, ' ' | '\u{3000}' | '\n' | '\r')).collect::<String>();
        prop_assert_eq!(squeeze(&lines.concat()), squeeze(&text));
        for line in &lines {
            let first = line.chars().next().map_or(0.0, |c| fonts.regular.advance(c));
            // At most two closing marks may hang past the edge.
            prop_assert!(fonts.regular.width(line) <= width.max(first) + 2.0 + 1e-3, "{:?}", line);
        }
    }

    #[test]
    fn well_formed_japanese_obeys_kinsoku_at_every_width(
        tokens in prop::collection::vec((0usize..3, 1usize..4, 0usize..3), 1..40),
        width in 4u32..40,
    ) {
        // Tokens like 「漢字」、: kanji runs with an optional opening bracket before and
        // closing mark after; a line of 4 or more always has a legal break.
        let text: String = tokens
            .iter()
            .map(|&(open, n, close)| {
                let o = ["", "「", "（"][open];
                let c = ["", "、", "）。"][close];
                format!("{o}{}{c}", "漢".repeat(n))
            })
            .collect();
        let fonts = Fonts::bundled().unwrap();
        let lines = break_lines(&text, width as f32, &fonts.regular, BreakRule::Prose, &[]);
        for line in &lines {
            let (first, last) = (line.chars().next().unwrap(), line.chars().last().unwrap());
            prop_assert!(!NO_LINE_START.contains(first), "starts with {}: {:?}", first, lines);
            prop_assert!(!NO_LINE_END.contains(last), "ends with {}: {:?}", last, lines);
        }
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in ".{0,400}") {
        let _ = shiryo::registry::parse("fuzz.yaml".as_ref(), &text);
    }

    #[test]
    fn edits_of_the_seed_registry_are_loaded_or_refused_with_a_position(
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec![
            "", ":", "-", " ", "\n", "\t", "[", "]", "{", "&a", "*a", "#", "'", "\"", "旭川", "no", "99", "~",
        ])), 1..6),
    ) {
        let mut text = std::fs::read_to_string(seed_registry_path()).unwrap();
        for (at, insert) in edits {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let i = boundaries[at.index(boundaries.len())];
            text.insert_str(i, insert);
        }
        match shiryo::registry::parse("edited.yaml".as_ref(), &text) {
            Ok(registry) => {
                // A registry that loads also renders (after the glyph check).
                let job = shiryo::Job::new(Default::default()).unwrap();
                if job.check(&registry).is_ok() {
                    prop_assert!(job.pdf(&registry).is_ok());
                    let xlsx = job.xlsx(&registry);
                    prop_assert!(xlsx.is_ok());
                    let problems = xlsx_check::xlsx_problems(&xlsx.unwrap_or_default());
                    prop_assert!(problems.is_empty(), "{:?}", problems);
                }
            }
            Err(e) => {
                prop_assert!(!e.problems().is_empty(), "{}", e);
                prop_assert!(e.to_string().starts_with("edited.yaml"), "{}", e);
            }
        }
    }
}
