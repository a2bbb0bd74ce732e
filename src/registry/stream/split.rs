//! A large registry read on two threads, with the result of the one-thread reading.
//!
//! Reading a 10,000-project registry is mostly yaml-rust2's scanner and parser, which
//! work on one thread. The `areas:` list is cut at an area's first line near the middle
//! of the file: the first part (everything before the cut, then everything after the
//! list) is read as today on this thread, while another thread reads the areas from the
//! cut to the end of the list as a document of its own; the two lists are joined.
//!
//! The cut is found by looking at lines (`areas:` at column 0, items `- ` at one
//! column), which a block scalar, quoted text or flow collection can fool. What makes
//! the result that of the one-thread reading is checked, not assumed:
//! - the first part carries, where the cut is, a probe item (`- shiryo-split-probe` at
//!   the items' column) in place of the rest of the list, with blank lines so that
//!   every later line keeps its number. The reader must meet the probe as a plain
//!   item of the top-level `areas` list, at its line and column: then the scanner
//!   stood there, in both readings, between two areas of that list (inside text or a
//!   flow collection the probe would be swallowed or refused);
//! - the second part is read one level deep (its nesting counted as in the whole
//!   file) and must define no anchor and use no alias (an alias in either part to an
//!   anchor in the other reads differently or not at all);
//! - both parts must read without any problem or warning of their own.
//!
//! Otherwise the registry is read again on one thread, so every message, its place
//! and its order are exactly those of the one-thread reading.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use super::reader::Reader;
use super::{from_str, read, Read, Stop};
use crate::error::Location;
use crate::registry::raw::{RawArea, RawRegistry};

/// The probe item's text (see the module's documentation).
pub(super) const PROBE: &str = "shiryo-split-probe";

/// The stack of the thread reading the second part, as the main thread's on Linux.
const STACK_BYTES: usize = 8 << 20;

/// Smaller registries are read (and validated) on one thread: a thread and a copy of
/// the first part cost more than they save (a few dozen projects take about a
/// millisecond).
pub(crate) const TWO_THREADS_BYTES: usize = 256 * 1024;

/// Reads a registry, on two threads when it is large and can be cut (see the module).
pub(crate) fn read_registry(text: &str) -> Result<Read<RawRegistry>, Stop> {
    if text.len() >= TWO_THREADS_BYTES {
        if let Some(read) = AreaLines::find(text).and_then(|a| read_cut(text, &a, a.middle())) {
            return Ok(read);
        }
    }
    from_str(text)
}

/// The lines that look like the items of the top-level `areas` list, by their text
/// only (see the module's documentation).
struct AreaLines {
    /// Where each item's first line starts.
    items: Vec<usize>,
    /// Where the list looks to end: the first line after it, or the end of the text.
    end: usize,
    /// The column of the items' `-`.
    column: usize,
}

impl AreaLines {
    fn find(text: &str) -> Option<AreaLines> {
        let mut lines = lines(text).skip_while(|(_, l)| l.trim_end() != "areas:");
        lines.next()?;
        let mut column = None;
        let mut items = Vec::new();
        for (at, line) in lines {
            let content = line.trim_start_matches(' ');
            if content.trim().is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            let item = content.starts_with("- ") || content.trim_end() == "-";
            let column = *column.get_or_insert(indent);
            if indent > column {
                continue;
            }
            if indent == column && item {
                items.push(at);
            } else if indent == 0 {
                return Some(AreaLines {
                    items,
                    end: at,
                    column,
                });
            } else {
                // A line neither the list nor the top level can hold.
                return None;
            }
        }
        Some(AreaLines {
            items,
            end: text.len(),
            column: column?,
        })
    }

    /// The item nearest the middle of the list (not the first).
    fn middle(&self) -> usize {
        let first = self.items.first().copied().unwrap_or(self.end);
        let middle = first + (self.end - first) / 2;
        self.items
            .iter()
            .skip(1)
            .copied()
            .min_by_key(|&at| at.abs_diff(middle))
            .unwrap_or(self.end)
    }
}

/// Lines with where each starts, line breaks kept.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i + 1);
        let line = (start, &text[start..end]);
        start = end;
        Some(line)
    })
}

/// Reads `text` cut at the item line starting at `cut`: the one-thread reading's
/// result, or `None` when the two parts cannot show it is (see the module).
fn read_cut(text: &str, areas: &AreaLines, cut: usize) -> Option<Read<RawRegistry>> {
    let count = |bytes: &[u8]| memchr::memchr_iter(b'\n', bytes).count();
    let rest = text.get(cut..areas.end)?;
    let breaks = count(rest.as_bytes());
    if breaks == 0 || !areas.items.contains(&cut) {
        return None;
    }
    let line = count(&text.as_bytes()[..cut]) + 1;
    let probe = Location::new(line, areas.column + 3);
    let mut first = String::with_capacity(text.len() - rest.len() + areas.column + 64 + breaks);
    first.push_str(&text[..cut]);
    first.extend(std::iter::repeat_n(' ', areas.column));
    first.push_str("- ");
    first.push_str(PROBE);
    first.extend(std::iter::repeat_n('\n', breaks));
    first.push_str(&text[areas.end..]);

    // Either part that cannot be used stops both: the one-thread reading follows.
    let give_up = AtomicBool::new(false);
    let ((first, probed), (rest, anchors)) = thread::scope(|s| {
        // The reading recurses once per level (aliases replayed included): the main
        // thread's stack, not a spawned thread's 2 MiB.
        let spawned = thread::Builder::new().stack_size(STACK_BYTES);
        let rest = spawned.spawn_scoped(s, || {
            let mut reader = Reader::new(rest);
            // Inside the top-level mapping, as in the whole file.
            reader.depth = 1;
            reader.give_up = Some(&give_up);
            let read = read::<Vec<RawArea>>(&mut reader);
            let anchors = reader.used_anchors();
            if anchors || read.as_ref().map_or(true, |r| !r.errors.is_empty()) {
                give_up.store(true, Ordering::Relaxed);
            }
            (read, anchors)
        });
        let mut reader = Reader::new(&first);
        reader.probe = Some(probe);
        reader.give_up = Some(&give_up);
        let read = read::<RawRegistry>(&mut reader);
        if !reader.probe_seen || read.as_ref().map_or(true, |r| !r.errors.is_empty()) {
            give_up.store(true, Ordering::Relaxed);
        }
        let first = (read, reader.probe_seen);
        let rest = match rest {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            // No thread to be had: the one-thread reading.
            Err(_) => (Err(Stop::Syntax(Location::default(), String::new())), true),
        };
        (first, rest)
    });
    let (Ok(first), Ok(rest)) = (first, rest) else {
        return None;
    };
    if !probed || anchors || !first.errors.is_empty() || !rest.errors.is_empty() {
        return None;
    }
    let (mut registry, areas) = (first.value?, rest.value?);
    if !rest.ignored.is_empty() {
        return None;
    }
    registry.areas.extend(areas);
    Some(Read {
        value: Some(registry),
        errors: Vec::new(),
        ignored: first.ignored,
    })
}

#[cfg(test)]
mod tests;
