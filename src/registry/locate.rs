//! Line and column of YAML nodes, by their path in the tree.
//!
//! The reader ([`super::stream`]) reports positions for shape and type errors only; the meaning checks
//! (unknown town, duplicate number, a glyph the font lacks) run on deserialised values
//! that have no spans. Rather than carrying spans through every value, the errors name
//! the node by path (`areas[0].categories[1].projects[2].towns[3]`) and this module
//! walks yaml-rust2's marked events once, only when there is an error to report.
//!
//! A mapping key is found at `path@` (`grades.A@`: the key `A`, where `grades.A` is
//! its value), and the n-th repeat of a key at `path#n` (`grades.A@#2`).
//!
//! A node brought by an alias (`towns: *all`, then `towns[3]`) is not in the text
//! where it is used: it is found at the alias, the place a reader must change.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::Location;

/// Where each of `paths` starts in `text`; unknown paths get an unknown location.
pub fn locate(text: &str, paths: &[&str]) -> Vec<Location> {
    let mut walker = Walker::default();
    // A document serde_yaml accepted parses here too; if yaml-rust2 disagrees we
    // still report the problems, without positions.
    let _ = Parser::new_from_str(text).load(&mut walker, false);
    paths
        .iter()
        .map(|p| {
            walker
                .found
                .get(*p)
                .copied()
                .or_else(|| walker.in_alias(p))
                .unwrap_or_default()
        })
        .collect()
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    found: HashMap<String, Location>,
    /// Where each alias stands, by the path of the node it brings.
    aliases: HashMap<String, Location>,
}

impl Walker {
    /// The path of the node that starts now, or `None` when it is a mapping key.
    fn next_path(&mut self, key_text: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) if path.is_empty() => Some(k),
                Some(k) => Some(format!("{path}.{k}")),
                None => {
                    // Complex keys (a mapping as a key) do not occur in registries; they
                    // get an empty name and are never looked up.
                    *key = Some(key_text.unwrap_or_default().to_string());
                    None
                }
            },
        }
    }
}

impl Walker {
    /// The alias that brings the node at `path`, if one of its ancestors is an alias.
    fn in_alias(&self, path: &str) -> Option<Location> {
        let mut path = path;
        while let Some(i) = path.rfind(['.', '[']) {
            path = &path[..i];
            if let Some(at) = self.aliases.get(path) {
                return Some(*at);
            }
        }
        None
    }

    /// Each node is visited once, so a path seen before comes from a repeated mapping
    /// key: the n-th repeat is recorded as `path#n` (n from 2), so that validation can
    /// point at the repeat itself.
    fn record(&mut self, path: String, location: Location) {
        let path = match self.found.entry(path) {
            Entry::Vacant(v) => {
                v.insert(location);
                return;
            }
            Entry::Occupied(o) => o.key().clone(),
        };
        let mut n = 2;
        while self.found.contains_key(&format!("{path}#{n}")) {
            n += 1;
        }
        self.found.insert(format!("{path}#{n}"), location);
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let location = Location::new(mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, ..) => {
                match self.next_path(Some(&text)) {
                    Some(p) => self.record(p, location),
                    // A mapping key: recorded as `path.key@`, for problems with the
                    // key itself (an unknown town as a budget key, a repeated grade).
                    None => {
                        if let Some(Frame::Map { path, .. }) = self.stack.last() {
                            let key = if path.is_empty() {
                                format!("{text}@")
                            } else {
                                format!("{path}.{text}@")
                            };
                            self.record(key, location);
                        }
                    }
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None) {
                    self.aliases.insert(p.clone(), location);
                    self.record(p, location);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let path = self.next_path(None).unwrap_or_default();
                self.record(path.clone(), location);
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { path, next: 0 }
                } else {
                    Frame::Map { path, key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let text = "title: T\nareas:\n  - name: A\n    towns: [x, yy]\n";
        let at = locate(
            text,
            &[
                "title",
                "areas[0].name",
                "areas[0].towns[1]",
                "areas[0]",
                "nope",
            ],
        );
        assert_eq!(at[0], Location::new(1, 8));
        assert_eq!(at[1], Location::new(3, 11));
        assert_eq!(at[2], Location::new(4, 16));
        // yaml-rust2 marks a block mapping after its first key; the line is what matters.
        assert_eq!(at[3].line, 3);
        assert!(!at[4].is_known());
    }

    #[test]
    fn nodes_an_alias_brings_are_at_the_alias() {
        let text = "all: &all [a, b]\nx:\n  towns: *all\n  y: [*all]\n";
        let at = locate(
            text,
            &["x.towns[1]", "x.y[0][1]", "x.towns", "all[1]", "z[0]"],
        );
        assert_eq!(at[0], Location::new(3, 10));
        assert_eq!(at[1], Location::new(4, 7));
        assert_eq!(at[2], Location::new(3, 10));
        assert_eq!(
            at[3],
            Location::new(1, 15),
            "the anchored node itself is in the text"
        );
        assert!(!at[4].is_known(), "no alias, no place");
    }

    #[test]
    fn repeated_keys_are_numbered() {
        let text = "grades:\n  A: x\n  B: y\n  A: z\n";
        let at = locate(
            text,
            &[
                "grades.A",
                "grades.A#2",
                "grades.B#2",
                "grades.A@",
                "grades.A@#2",
            ],
        );
        assert_eq!(at[0], Location::new(2, 6));
        assert_eq!(at[1], Location::new(4, 6));
        assert!(!at[2].is_known());
        assert_eq!(at[3], Location::new(2, 3));
        assert_eq!(at[4], Location::new(4, 3));
    }
}
