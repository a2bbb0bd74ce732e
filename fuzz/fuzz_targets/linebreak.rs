//! Arbitrary text and widths through Japanese line breaking: no panic, no hang, no
//! character lost.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiryo::layout::{break_lines, BreakRule, Fonts};

fuzz_target!(|input: (&str, u8, bool)| {
    let (text, width, list) = input;
    let fonts = Fonts::bundled().unwrap();
    let rule = if list { BreakRule::List { sep: '、' } } else { BreakRule::Prose };
    let width = f32::from(width) / 4.0;
    let lines = break_lines(text, width, &fonts.regular, rule, &["旭川市".to_string()]);
    let keep = |s: &str| s.chars().filter(|c| !matches!(c, ' ' | '\u{3000}' | '\n' | '\r')).collect::<String>();
    assert_eq!(keep(&lines.concat()), keep(text));
});
