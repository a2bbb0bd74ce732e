//! Plain scalars as serde_yaml (YAML 1.2's core schema) reads them.

use serde::de::Unexpected;
use yaml_rust2::parser::{Event, Tag};
use yaml_rust2::scanner::TScalarStyle;

/// serde_yaml's reading of a plain scalar: null, bool, integer, float or string.
pub(super) fn plain_kind(v: &str) -> Unexpected<'_> {
    if v.is_empty() || matches!(v, "~" | "null" | "Null" | "NULL") {
        return Unexpected::Unit;
    }
    match v {
        "true" | "True" | "TRUE" => return Unexpected::Bool(true),
        "false" | "False" | "FALSE" => return Unexpected::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_unsigned(v) {
        return Unexpected::Unsigned(n);
    }
    if let Some(n) = parse_negative(v) {
        return Unexpected::Signed(n);
    }
    if !digits_but_not_number(v) {
        if let Some(f) = parse_float(v) {
            return Unexpected::Float(f);
        }
    }
    Unexpected::Str(v)
}

/// Leading zeros then digits are a string in YAML 1.2 (`007`).
fn digits_but_not_number(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    v.len() > 1 && v.starts_with('0') && v[1..].bytes().all(|b| b.is_ascii_digit())
}

fn radix(v: &str) -> (u32, &str) {
    if let Some(r) = v.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = v.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = v.strip_prefix("0b") {
        (2, r)
    } else {
        (10, v)
    }
}

/// An unsigned integer as serde_yaml reads one (`3`, `+3`, `0x1F`, `0o17`, `0b101`).
pub(super) fn parse_unsigned(v: &str) -> Option<u64> {
    let unsigned = v.strip_prefix('+').unwrap_or(v);
    let (base, digits) = radix(unsigned);
    if digits.starts_with(['+', '-']) {
        return None;
    }
    if base == 10 && digits_but_not_number(v) {
        return None;
    }
    u64::from_str_radix(digits, base).ok()
}

fn parse_negative(v: &str) -> Option<i64> {
    let rest = v.strip_prefix('-')?;
    let (base, digits) = radix(rest);
    if digits.starts_with(['+', '-']) || (base == 10 && digits_but_not_number(v)) {
        return None;
    }
    i64::from_str_radix(&format!("-{digits}"), base).ok()
}

fn parse_float(v: &str) -> Option<f64> {
    let unsigned = match v.strip_prefix('+') {
        Some(u) if u.starts_with(['+', '-']) => return None,
        Some(u) => u,
        None => v,
    };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Whether a scalar is read by the core schema: plain and untagged, or tagged with a
/// core type other than `!!str` (`number: !!int 3`, `!!int "3"`), as YAML 1.2 and
/// serde_yaml read it. Quoted, block and `!!str` scalars are strings.
pub(super) fn is_plain(style: TScalarStyle, tag: &Option<Tag>) -> bool {
    match tag {
        None => style == TScalarStyle::Plain,
        Some(tag) => {
            tag.handle == "tag:yaml.org,2002:"
                && matches!(tag.suffix.as_str(), "int" | "float" | "bool" | "null")
        }
    }
}

/// What a node is, in serde's words, for "invalid type" messages.
pub(super) fn kind(event: &Event) -> Unexpected<'_> {
    match event {
        Event::Scalar(v, style, _, tag) if is_plain(*style, tag) => plain_kind(v),
        Event::Scalar(v, ..) => Unexpected::Str(v),
        Event::SequenceStart(..) => Unexpected::Seq,
        Event::MappingStart(..) => Unexpected::Map,
        _ => Unexpected::Other("end of node"),
    }
}

/// A plain empty scalar (`key:` with nothing after it), read as an empty list or map.
pub(super) fn is_empty_plain(event: &Event) -> bool {
    matches!(event, Event::Scalar(v, TScalarStyle::Plain, _, None) if v.is_empty())
}
