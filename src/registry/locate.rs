//! Line and column of YAML nodes, by their path in the tree.
//!
//! serde_yaml reports positions for syntax and type errors only; the meaning checks
//! (unknown town, duplicate number, a glyph the font lacks) run on deserialised values
//! that have no spans. Rather than carrying spans through every value, the errors name
//! the node by path (`areas[0].categories[1].projects[2].towns[3]`) and this module
//! walks yaml-rust2's marked events once, only when there is an error to report.

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
        .map(|p| walker.found.get(*p).copied().unwrap_or_default())
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

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let location = Location::new(mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, ..) => {
                if let Some(p) = self.next_path(Some(&text)) {
                    self.found.entry(p).or_insert(location);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None) {
                    self.found.entry(p).or_insert(location);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let path = self.next_path(None).unwrap_or_default();
                self.found.entry(path.clone()).or_insert(location);
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
}
