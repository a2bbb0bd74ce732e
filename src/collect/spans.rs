//! Where each node of a YAML document is, as byte ranges of the text, so that a value
//! can be replaced (or a key added) without re-serialising the document: comments,
//! key order, quoting and every other byte stay.
//!
//! yaml-rust2's marked events give each node's start (a character index); a scalar's
//! end is found here from its style, a block mapping's from indentation.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A node of the document.
#[derive(Debug, Clone)]
pub enum Node {
    Scalar {
        /// Byte range of the scalar's source, quotes and block header included.
        start: usize,
        end: usize,
        style: TScalarStyle,
        /// Inside `[ … ]` or `{ … }`.
        flow: bool,
    },
    Mapping {
        start: usize,
        flow: bool,
        /// Byte offset of the first key (block mappings: its column is the indent).
        first_key: Option<usize>,
        keys: Vec<String>,
    },
    Sequence {
        start: usize,
    },
}

/// Every node by path (`areas[0].categories[1].projects[2].status`).
pub struct Spans {
    pub nodes: HashMap<String, Node>,
}

impl Spans {
    /// # Errors
    /// The parser's message when the text is not YAML.
    pub fn of(text: &str) -> Result<Spans, String> {
        let mut w = Walker {
            text,
            line_starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            stack: Vec::new(),
            nodes: HashMap::new(),
        };
        Parser::new_from_str(text)
            .load(&mut w, false)
            .map_err(|e| e.to_string())?;
        Ok(Spans { nodes: w.nodes })
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

struct Walker<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    stack: Vec<(Frame, bool)>,
    nodes: HashMap<String, Node>,
}

impl Walker<'_> {
    /// Byte offset of one-based `line`, zero-based character `col`.
    fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(col)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    fn in_flow(&self) -> bool {
        self.stack.last().is_some_and(|(_, flow)| *flow)
    }

    /// The path of the node starting now; `None` when it is a mapping key (recorded).
    fn next_path(&mut self, key_text: Option<&str>, at: usize) -> Option<String> {
        let (frame, _) = self.stack.last_mut()?;
        match frame {
            Frame::Seq { path, next } => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Frame::Map { path, key } => match key.take() {
                Some(k) if path.is_empty() => Some(k),
                Some(k) => Some(format!("{path}.{k}")),
                None => {
                    let k = key_text.unwrap_or_default().to_string();
                    let parent = path.clone();
                    *key = Some(k.clone());
                    if let Some(Node::Mapping {
                        keys, first_key, ..
                    }) = self.nodes.get_mut(&parent)
                    {
                        keys.push(k);
                        first_key.get_or_insert(at);
                    }
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Walker<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        // By line and column: yaml-rust2's character index drifts after block scalars.
        let at = self.offset(mark.line(), mark.col());
        match ev {
            Event::Scalar(text, style, ..) => {
                let flow = self.in_flow();
                let path = if self.stack.is_empty() {
                    Some(String::new())
                } else {
                    self.next_path(Some(&text), at)
                };
                if let Some(p) = path {
                    // A block scalar's mark is at its content; its source starts at `|`.
                    let at = match style {
                        TScalarStyle::Literal | TScalarStyle::Folded => {
                            block_header(self.text, at).unwrap_or(at)
                        }
                        _ => at,
                    };
                    let end = scalar_end(self.text, at, style, flow);
                    self.nodes.insert(
                        p,
                        Node::Scalar {
                            start: at,
                            end,
                            style,
                            flow,
                        },
                    );
                }
            }
            Event::Alias(_) => {
                let _ = self.next_path(None, at);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let path = if self.stack.is_empty() {
                    String::new()
                } else {
                    self.next_path(None, at).unwrap_or_default()
                };
                let flow = matches!(self.text.as_bytes().get(at), Some(b'[' | b'{'));
                let frame = if matches!(ev, Event::SequenceStart(..)) {
                    self.nodes
                        .insert(path.clone(), Node::Sequence { start: at });
                    Frame::Seq { path, next: 0 }
                } else {
                    self.nodes.insert(
                        path.clone(),
                        Node::Mapping {
                            start: at,
                            flow,
                            first_key: None,
                            keys: Vec::new(),
                        },
                    );
                    Frame::Map { path, key: None }
                };
                // Inside a flow collection everything is flow.
                let flow = flow || self.in_flow();
                self.stack.push((frame, flow));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Indentation (in bytes of spaces) of the line holding byte `at`, and the line's start.
pub fn line_indent(text: &str, at: usize) -> (usize, usize) {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..]
        .bytes()
        .take_while(|&b| b == b' ')
        .count();
    (indent, line_start)
}

/// The `|` or `>` of the block scalar whose content is at `content`: on the last
/// line before it that is not blank.
fn block_header(text: &str, content: usize) -> Option<usize> {
    let mut line_end = text[..content].rfind('\n')?;
    loop {
        let line_start = text[..line_end].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..line_end];
        if !line.trim().is_empty() {
            let code = match line.find(" #") {
                Some(i) => &line[..i],
                None => line,
            };
            let i = code.rfind(['|', '>'])?;
            return Some(line_start + i);
        }
        if line_start == 0 {
            return None;
        }
        line_end = line_start - 1;
    }
}

/// Where the scalar starting at `start` ends.
fn scalar_end(text: &str, start: usize, style: TScalarStyle, flow: bool) -> usize {
    let b = text.as_bytes();
    match style {
        TScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            b.len()
        }
        TScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            b.len()
        }
        TScalarStyle::Literal | TScalarStyle::Folded => {
            // Content lines are those indented past the key's line, and blank lines
            // between them.
            let (key_indent, _) = line_indent(text, start);
            let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let mut pos = end;
            while pos < text.len() {
                let line_start = pos + 1;
                let line_end = text[line_start..]
                    .find('\n')
                    .map_or(text.len(), |i| line_start + i);
                let line = &text[line_start..line_end];
                if line.trim().is_empty() {
                    pos = line_end;
                    if line_end >= text.len() {
                        break;
                    }
                    continue;
                }
                let indent = line.bytes().take_while(|&c| c == b' ').count();
                if indent <= key_indent {
                    break;
                }
                end = line_end;
                pos = line_end;
            }
            end
        }
        TScalarStyle::Plain => {
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let mut end = plain_line_end(text, start, line_end, flow);
            if flow || end < line_end {
                return end;
            }
            // Continuation lines of a multi-line plain scalar: indented past the key.
            let (key_indent, _) = line_indent(text, start);
            let mut pos = line_end;
            while pos < text.len() {
                let ls = pos + 1;
                let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
                let line = &text[ls..le];
                let trimmed = line.trim_start();
                let indent = line.len() - trimmed.len();
                if trimmed.is_empty() {
                    pos = le;
                    continue;
                }
                if indent <= key_indent || trimmed.starts_with('#') {
                    break;
                }
                let e = plain_line_end(text, ls + indent, le, false);
                end = e;
                pos = le;
                if e < le {
                    break;
                }
            }
            end
        }
    }
}

/// End of a plain scalar's text on one line: before ` #`, and in flow context before
/// `,`, `]`, `}`; trailing spaces excluded.
fn plain_line_end(text: &str, from: usize, line_end: usize, flow: bool) -> usize {
    let line = &text[from..line_end];
    let mut cut = line.len();
    let bytes = line.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'#' && i > 0 && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            cut = i;
            break;
        }
        if flow && matches!(c, b',' | b']' | b'}') {
            cut = i;
            break;
        }
    }
    from + line[..cut].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source<'a>(text: &'a str, spans: &Spans, path: &str) -> &'a str {
        match spans.get(path) {
            Some(Node::Scalar { start, end, .. }) => &text[*start..*end],
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn scalar_spans_in_every_style() {
        let text = "t: 上川 # 題\nl: '資''料'\nd: \"a\\\"b\"\ns: |-\n  一行\n\n  三行\n# c\nn: [旭川市, 'x', \"y\"]\nm: {a: 1, b: 二}\np: 長い\n  続き\nq: end\n";
        let s = Spans::of(text).unwrap();
        assert_eq!(source(text, &s, "t"), "上川");
        assert_eq!(source(text, &s, "l"), "'資''料'");
        assert_eq!(source(text, &s, "d"), "\"a\\\"b\"");
        assert_eq!(source(text, &s, "s"), "|-\n  一行\n\n  三行");
        assert_eq!(source(text, &s, "n[0]"), "旭川市");
        assert_eq!(source(text, &s, "n[1]"), "'x'");
        assert_eq!(source(text, &s, "m.b"), "二");
        assert_eq!(source(text, &s, "p"), "長い\n  続き");
        assert_eq!(source(text, &s, "q"), "end");
        match s.get("m") {
            Some(Node::Mapping { flow, keys, .. }) => {
                assert!(*flow);
                assert_eq!(keys, &["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
