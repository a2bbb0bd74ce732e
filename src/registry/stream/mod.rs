//! The registry's YAML read straight from yaml-rust2's event stream into serde types.
//!
//! serde_yaml 0.9 first loads every event of the document (with its marks) into a
//! vector, then deserialises; on a 10,000-project registry that vector alone held more
//! than the finished model. Here each event is parsed, used and dropped: only the
//! events of anchored nodes (`&x`) are kept, to replay them where an alias (`*x`)
//! stands.
//!
//! The reader also owns the shape rules, so that every problem of the file is found
//! in one run rather than the first one only:
//! - a value of the wrong type is reported at its line and column, then read as an
//!   empty value (0, "", an empty list or entry), and reading goes on;
//! - an unknown key is reported (nested levels) or set aside for a warning (the top
//!   level, which may carry extra fields) before serde sees it; a repeated key is
//!   reported at the repeat;
//! - every missing required field is reported at its mapping.
//!
//! Values from an alias are reported at the alias (where the value is used), once per
//! use. Messages and paths read as serde_yaml's did (`areas[0].categories[0]
//! .projects[1].number: invalid type: …`). A syntax error stops the reading: the caller
//! asks serde_yaml (libyaml) for its message, as before.

mod de;
mod reader;
mod scalar;
mod split;
mod synthetic;

use std::fmt;

use serde::de::DeserializeOwned;

use self::de::{De, Path};
use self::reader::Reader;
use crate::error::Location;

/// A problem with the place and path of its node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    pub at: Location,
    /// The node's path, `areas[0].categories[1]`; empty for the root.
    pub path: String,
    pub message: String,
}

impl Located {
    /// The message as serde_yaml printed it: the path, then the message.
    pub fn text(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

/// A top-level key shiryo does not read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IgnoredKey {
    pub key: String,
    pub at: Location,
    /// Its value carries an anchor (`x: &x …`): a place to define what aliases use.
    pub anchored: bool,
}

/// Why reading stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Not YAML, or not one document.
    Syntax(Location, String),
    /// Aliases expand too far, or a value no serde type takes.
    Fatal(Located),
}

/// What the file holds: the value when it has the registry's shape, else `errors`.
pub(crate) struct Read<T> {
    pub value: Option<T>,
    pub errors: Vec<Located>,
    pub ignored: Vec<IgnoredKey>,
}

pub(crate) use split::{read_registry, TWO_THREADS_BYTES};

/// Reads one YAML document into `T`.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<Read<T>, Stop> {
    read(&mut Reader::new(text))
}

/// Reads the document of `reader` into `T`.
fn read<T: DeserializeOwned>(reader: &mut Reader) -> Result<Read<T>, Stop> {
    reader.start()?;
    let value = {
        let mut de = De {
            r: &mut *reader,
            path: Path::Root,
        };
        T::deserialize(&mut de)
    };
    let value = match value {
        Ok(v) => v,
        Err(Error::Stop(stop)) => return Err(stop),
        // The reader records every problem itself; anything else is a bug in this
        // module, reported rather than hidden.
        Err(Error::Message(m)) => {
            reader.errors.push(Located {
                at: Location::default(),
                path: String::new(),
                message: m,
            });
            return Ok(Read {
                value: None,
                errors: std::mem::take(&mut reader.errors),
                ignored: std::mem::take(&mut reader.ignored),
            });
        }
    };
    reader.finish()?;
    let errors = std::mem::take(&mut reader.errors);
    Ok(Read {
        value: errors.is_empty().then_some(value),
        errors,
        ignored: std::mem::take(&mut reader.ignored),
    })
}

#[derive(Debug)]
pub(super) enum Error {
    /// From serde (a visitor's own message); given a place by the node that read it.
    Message(String),
    Stop(Stop),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Message(m) => f.write_str(m),
            Error::Stop(Stop::Syntax(_, m)) => f.write_str(m),
            Error::Stop(Stop::Fatal(l)) => f.write_str(&l.message),
        }
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Message(msg.to_string())
    }
}

pub(super) type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::raw::{RawRegistry, TOP_LEVEL};

    const HEAD: &str = "title: T\nlabel: L\ntowns: [a, b]\nareas:\n  - name: A\n    categories:\n      - name: C\n        projects:\n";

    fn errors(text: &str) -> Vec<(usize, usize, String)> {
        let read = from_str::<RawRegistry>(text).expect("readable");
        assert!(read.value.is_none() || read.errors.is_empty());
        read.errors
            .iter()
            .map(|e| (e.at.line, e.at.column, e.text()))
            .collect()
    }

    #[test]
    fn every_value_of_the_wrong_type_is_reported() {
        let text = format!(
            "{HEAD}          - {{number: abc, name: P, status: s, towns: [a]}}\n          - {{number: 2, name: [P], status: s, towns: a}}\n          - {{number: 5000000000, name: P, status: s, towns: [a]}}\n"
        );
        let p = "areas[0].categories[0].projects";
        assert_eq!(
            errors(&text),
            [
                (
                    9,
                    22,
                    format!("{p}[0].number: invalid type: string \"abc\", expected u32")
                ),
                (
                    10,
                    31,
                    format!("{p}[1].name: invalid type: sequence, expected a string")
                ),
                (
                    10,
                    54,
                    format!("{p}[1].towns: invalid type: string \"a\", expected a sequence")
                ),
                (
                    11,
                    22,
                    format!("{p}[2].number: invalid value: integer `5000000000`, expected u32")
                ),
            ]
        );
    }

    #[test]
    fn core_tags_are_read_as_yaml_reads_them() {
        let text = format!(
            "{HEAD}          - {{number: !!int 1, name: !!str 2, status: s, towns: [a]}}\n          - {{number: !!int \"2\", name: P, status: s, towns: [a]}}\n          - {{number: !!str 3, name: P, status: s, towns: [a]}}\n"
        );
        let read = from_str::<RawRegistry>(&text).expect("readable");
        let p = "areas[0].categories[0].projects";
        let errors: Vec<String> = read.errors.iter().map(|e| e.text()).collect();
        assert_eq!(
            errors,
            [format!(
                "{p}[2].number: invalid type: string \"3\", expected u32"
            )]
        );
        let text = text.replace("!!str 3", "3");
        let registry = from_str::<RawRegistry>(&text).unwrap().value.unwrap();
        let projects = &registry.areas[0].categories[0].projects;
        assert_eq!(projects[0].number, 1);
        assert_eq!(projects[0].name, "2");
        assert_eq!(projects[1].number, 2);
    }

    #[test]
    fn every_missing_field_is_reported_unless_a_key_is_unknown() {
        let text = format!(
            "{HEAD}          - name: P\n          - {{number: 2, name: P, stats: s, towns: [a]}}\n"
        );
        let p = "areas[0].categories[0].projects";
        let found = errors(&text);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0], (9, 13, format!("{p}[0]: missing field `number`")));
        assert_eq!(found[1].2, format!("{p}[0]: missing field `status`"));
        assert_eq!(found[2].2, format!("{p}[0]: missing field `towns`"));
        // `stats` is likely `status` misspelled: that one problem, not two.
        assert!(found[3]
            .2
            .starts_with(&format!("{p}[1]: unknown field `stats`")));
    }

    #[test]
    fn top_level_fields_are_the_raw_registrys() {
        let mut text = String::from("title: T\nlabel: L\ntowns: [a]\nareas: []\n");
        for key in &TOP_LEVEL[5..] {
            text += &format!("{key}:\n");
        }
        text += "data: 2025-11-20\nx: &x [a]\n";
        let read = from_str::<RawRegistry>(&text).unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let ignored: Vec<_> = read
            .ignored
            .iter()
            .map(|k| (k.key.as_str(), k.at.line, k.anchored))
            .collect();
        assert_eq!(ignored, [("data", 15, false), ("x", 16, true)]);
    }

    #[test]
    fn aliases_bring_their_values_and_are_blamed_for_their_problems() {
        let text = format!(
            "all: &all [a, b]\nbad: &bad [[a]]\n{HEAD}          - {{number: 1, name: P, status: s, towns: *all}}\n          - {{number: 2, name: P, status: s, towns: *bad}}\n          - {{number: 3, name: P, status: s, towns: *bad}}\n"
        );
        let read = from_str::<RawRegistry>(&text).unwrap();
        let e: Vec<_> = read
            .errors
            .iter()
            .map(|e| (e.at.line, e.at.column))
            .collect();
        // Once per use, at the alias.
        assert_eq!(e, [(12, 52), (13, 52)]);
        let good = text.replace("*bad", "*all");
        let raw = from_str::<RawRegistry>(&good).unwrap().value.unwrap();
        let towns = &raw.areas[0].categories[0].projects[2].towns;
        assert_eq!(towns, &["a", "b"]);
    }

    #[test]
    fn aliases_expand_only_so_far() {
        let mut text = String::from("x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n");
        for i in 1..8 {
            let list = vec![format!("*x{}", i - 1); 10].join(", ");
            text += &format!("x{i}: &x{i} [{list}]\n");
        }
        text += "y: *x7\n";
        type Deep = Vec<Vec<Vec<Vec<Vec<Vec<Vec<Vec<String>>>>>>>>;
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            y: Deep,
        }
        match from_str::<T>(&text) {
            Err(Stop::Fatal(l)) => {
                assert_eq!(l.message, "repetition limit exceeded");
                assert_eq!((l.at.line, l.at.column), (9, 4));
            }
            _ => panic!("10^8 values were read"),
        }
    }

    #[test]
    fn nesting_deeper_than_the_limit_stops_where_it_is_found() {
        let refused_at_line = |text: &str| match from_str::<RawRegistry>(text) {
            Err(Stop::Fatal(l)) => {
                assert!(
                    l.message.starts_with("nesting limit exceeded"),
                    "{}",
                    l.message
                );
                l.at.line
            }
            _ => panic!("{} bytes of nesting were read", text.len()),
        };
        // Block nesting reaches the parser level by level: refused at the 129th.
        let mut text = String::from("title:\n");
        for level in 0..200 {
            text += &" ".repeat(level);
            text += "a:\n";
        }
        assert_eq!(refused_at_line(&text), 130);
        // A run of 100,000 `[`: the scanner's own limit, the same refusal, not a
        // syntax error to be read again by serde_yaml.
        let text = format!("title: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(refused_at_line(&text), 1);
    }

    #[test]
    fn syntax_errors_and_second_documents_stop() {
        assert!(matches!(
            from_str::<RawRegistry>("title: [T\n"),
            Err(Stop::Syntax(..))
        ));
        assert!(matches!(
            from_str::<RawRegistry>("title: T\n---\ntitle: U\n"),
            Err(Stop::Syntax(..))
        ));
    }
}
