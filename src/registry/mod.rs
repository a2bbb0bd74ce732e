//! Stage 1: registry YAML → validated [`Registry`](crate::model::Registry).
//!
//! [`load`] reads the file, [`parse`] turns text into the model in two steps:
//! serde_yaml into [`raw`] structs (syntax, shape and types, with serde_yaml's
//! positions), then [`validate`] (meaning: members, statuses, unique numbers, names
//! that are safe as file and sheet names), which collects every problem it finds.

pub(crate) mod findings;
pub mod locate;
pub mod raw;
mod validate;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Location, Problem, Result};
use crate::model::{Registry, Source};

pub use validate::{is_safe_name, suggest};

/// Larger registries are refused before parsing: the biggest real 資料2 tables hold a
/// few dozen projects (a few KB); 10,000 projects take about 5 MB.
pub const MAX_REGISTRY_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and validates a registry file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Invalid`] with every problem
/// found (each with line and column) when it is not a valid registry.
pub fn load(path: &Path) -> Result<Registry> {
    let text = read_text(path, MAX_REGISTRY_BYTES)?;
    parse(path, &text)
}

/// Validates registry text; `path` is used in messages only.
///
/// ```
/// let yaml = "title: T\nlabel: 資料2\ntowns: [旭川市]\nareas:\n  - name: A\n    categories:\n      - name: C\n        projects:\n          - {number: 1, name: P, status: 実施中, towns: [旭川市]}\n";
/// let registry = shiryo::registry::parse("r.yaml".as_ref(), yaml).unwrap();
/// assert_eq!(registry.project_count(), 1);
/// assert_eq!(registry.statuses, ["実施中", "一部実施中", "準備中"]);
/// ```
///
/// # Errors
/// [`Error::Invalid`] listing every problem.
pub fn parse(path: &Path, text: &str) -> Result<Registry> {
    let raw = from_yaml::<raw::RawRegistry>(path, text)?;
    let source = Source {
        path: path.to_path_buf(),
        text: Arc::from(text),
    };
    validate::validate(raw, source)
}

/// Reads a UTF-8 text file of at most `limit` bytes, without a byte order mark.
///
/// # Errors
/// [`Error::Io`] when unreadable, [`Error::Invalid`] when too large, empty or not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let fail = |message: String, location: Location, help: &str| {
        Error::invalid(path, vec![Problem::new(location, message).with_help(help)])
    };
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > limit {
        return Err(fail(
            format!("the file is {size} bytes; the limit is {limit}"),
            Location::default(),
            "is this the right file? Registries are a few kilobytes of YAML",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or_default();
        fail(
            "the file is not UTF-8 text".into(),
            position_of(good, good.len()),
            "save the file as UTF-8 (in Excel or Notepad: 「UTF-8」, not Shift_JIS)",
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let blank = text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    });
    if blank {
        return Err(fail(
            "the file is empty (nothing but blank lines and comments)".into(),
            Location::default(),
            "a registry needs at least title, label, towns and areas",
        ));
    }
    Ok(text)
}

/// Deserialises YAML, turning serde_yaml's errors into located [`Problem`]s.
pub(crate) fn from_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|e| Error::invalid(path, vec![yaml_problem(&e, text)]))
}

fn yaml_problem(e: &serde_yaml::Error, text: &str) -> Problem {
    let location = e
        .location()
        .map(|l| Location::new(l.line(), l.column()))
        .unwrap_or_default();
    let message = plain_message(&e.to_string());
    let line_text = text
        .lines()
        .nth(location.line.saturating_sub(1))
        .unwrap_or("");
    let help = if line_text.contains('\t') {
        Some("indent with spaces: YAML does not allow tabs for indentation".to_string())
    } else if message.contains("unknown field `no`") {
        Some("the project number is written `number:` (a bare `no` means false in YAML 1.1)".into())
    } else if message.contains("unknown field") {
        Some("check the spelling of the field name; the allowed names are listed".into())
    } else if message.contains("missing field") {
        Some("add the field; see README.md for the registry format".into())
    } else if message.contains("duplicate") {
        Some("each field may appear once; remove or merge the repeated one".into())
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        Some(
            "the document expands anchors and aliases (&a / *a) too far; write the values out"
                .into(),
        )
    } else if message.contains("expected a whole number") {
        Some("write the number in plain digits, e.g. `number: 3`".into())
    } else if message.contains("expected a string") {
        Some("write text here; quote it (\"…\") if it starts with * & [ { or holds `: `".into())
    } else if message.contains("invalid type") {
        Some("see README.md for the shape of a registry".into())
    } else {
        None
    };
    let problem = Problem::new(location, message);
    match help {
        Some(h) => problem.with_help(h),
        None => problem,
    }
}

/// serde_yaml's message without the position (printed up front) and with the raw
/// structs' names replaced by what a user calls them.
fn plain_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out += &rest[..i];
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_end = digits(after);
        match after[line_end..].strip_prefix(" column ") {
            Some(col) if line_end > 0 => rest = &col[digits(col)..],
            _ => {
                out += " at line ";
                rest = after;
            }
        }
    }
    out += rest;
    [
        (
            "struct RawRegistry",
            "a registry (title, label, towns, areas)",
        ),
        ("struct RawArea", "a policy area (name, categories)"),
        ("struct RawCategory", "a category (name, projects)"),
        (
            "struct RawProject",
            "a project (number, name, status, summary, towns)",
        ),
        ("expected u32", "expected a whole number from 0"),
    ]
    .iter()
    .fold(out, |m, (from, to)| m.replace(from, to))
}

/// One-based line and column (in characters) of byte offset `at` in `text`.
fn position_of(text: &str, at: usize) -> Location {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Location::new(line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_taken_out_of_serde_yaml_messages() {
        assert_eq!(
            plain_message("did not find expected ',' at line 4 column 6, while parsing"),
            "did not find expected ',', while parsing"
        );
        assert_eq!(
            plain_message("x: missing field `towns` at line 9 column 13"),
            "x: missing field `towns`"
        );
        assert_eq!(plain_message("at line end"), "at line end");
        assert_eq!(
            plain_message("invalid type: string \"二\", expected u32"),
            "invalid type: string \"二\", expected a whole number from 0"
        );
    }
}
