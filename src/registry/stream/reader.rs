//! Events from yaml-rust2's parser, one at a time; anchored nodes kept for aliases.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::ScanError;

use super::{Error, IgnoredKey, Located, Result, Stop};
use crate::error::Location;

/// Events replayed for aliases, at most: a registry using `towns: *all` in each of
/// 10,000 projects replays 100,000; "billion laughs" would replay 10^10.
const MAX_REPLAYED: usize = 2_000_000;

/// Lists and mappings inside each other, at most: a registry needs about a dozen
/// levels. Without a bound, 100,000 `[` take yaml-rust2's scanner over a minute
/// (its work per token grows with the depth); serde_yaml stopped at the same 128.
const MAX_DEPTH: usize = 128;

/// An event, where it is, and whether it comes from replaying an alias.
pub(super) struct Marked {
    pub event: Event,
    pub at: Location,
    pub replayed: bool,
}

struct Replay {
    events: Rc<[(Event, Location)]>,
    next: usize,
}

struct Recording {
    anchor: usize,
    open: usize,
    events: Vec<(Event, Location)>,
}

pub(super) struct Reader<'a> {
    parser: Parser<std::str::Chars<'a>>,
    peeked: Option<Marked>,
    anchors: HashMap<usize, Rc<[(Event, Location)]>>,
    recording: Vec<Recording>,
    replay: Vec<Replay>,
    /// Where the outermost alias being replayed stands.
    alias_at: Location,
    /// Counts alias uses, so that one use reports one problem.
    alias_use: u64,
    reported_use: u64,
    replayed: usize,
    /// Containers open in the text (replays not counted: their anchors were bounded).
    pub(super) depth: usize,
    /// Where the split reading's probe item stands (see [`super::split`]), until read.
    pub(super) probe: Option<Location>,
    pub(super) probe_seen: bool,
    /// Set by either part of a split reading when its result cannot be used: both
    /// stop, and the file is read on one thread (see [`super::split`]).
    pub(super) give_up: Option<&'a AtomicBool>,
    pub errors: Vec<Located>,
    pub ignored: Vec<IgnoredKey>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Reader {
            parser: Parser::new_from_str(text),
            peeked: None,
            anchors: HashMap::new(),
            recording: Vec::new(),
            replay: Vec::new(),
            alias_at: Location::default(),
            alias_use: 0,
            reported_use: 0,
            replayed: 0,
            depth: 0,
            probe: None,
            probe_seen: false,
            give_up: None,
            errors: Vec::new(),
            ignored: Vec::new(),
        }
    }

    fn parse(&mut self) -> Result<(Event, Location), Stop> {
        let (event, mark) = self.parser.next_token().map_err(syntax)?;
        Ok((event, Location::new(mark.line(), mark.col() + 1)))
    }

    /// Up to the root node: stream and document start.
    pub(super) fn start(&mut self) -> Result<(), Stop> {
        loop {
            match self.parse()? {
                (Event::StreamStart, _) => {}
                (Event::DocumentStart, _) => return Ok(()),
                (_, at) => return Err(Stop::Syntax(at, "expected a document".into())),
            }
        }
    }

    /// After the root node: one document only.
    pub(super) fn finish(&mut self) -> Result<(), Stop> {
        loop {
            match self.parse()? {
                (Event::DocumentEnd, _) => {}
                (Event::StreamEnd, _) => return Ok(()),
                (_, at) => return Err(Stop::Syntax(
                    at,
                    "deserializing from YAML containing more than one document is not supported"
                        .into(),
                )),
            }
        }
    }

    /// The next event, aliases not expanded.
    pub(super) fn pull(&mut self) -> Result<Marked> {
        if let Some(m) = self.peeked.take() {
            return Ok(m);
        }
        while let Some(r) = self.replay.last_mut() {
            if let Some((event, _)) = r.events.get(r.next) {
                r.next += 1;
                self.replayed += 1;
                if self.replayed > MAX_REPLAYED {
                    return Err(Error::Stop(Stop::Fatal(Located {
                        at: self.alias_at,
                        path: String::new(),
                        message: "repetition limit exceeded".into(),
                    })));
                }
                return Ok(Marked {
                    event: event.clone(),
                    at: self.alias_at,
                    replayed: true,
                });
            }
            self.replay.pop();
        }
        if self.give_up.is_some_and(|g| g.load(Ordering::Relaxed)) {
            return Err(Error::Stop(Stop::Syntax(
                Location::default(),
                "given up".into(),
            )));
        }
        let (event, at) = self.parse().map_err(Error::Stop)?;
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Error::Stop(Stop::Fatal(nesting_limit(at))));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.record(&event, at);
        Ok(Marked {
            event,
            at,
            replayed: false,
        })
    }

    /// Keeps the events of anchored nodes for their aliases.
    fn record(&mut self, event: &Event, at: Location) {
        match event {
            Event::Scalar(_, _, anchor, _) if *anchor > 0 => {
                self.anchors
                    .insert(*anchor, Rc::from(vec![(event.clone(), at)]));
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) if *anchor > 0 => {
                self.recording.push(Recording {
                    anchor: *anchor,
                    open: 0,
                    events: Vec::new(),
                });
            }
            _ => {}
        }
        if self.recording.is_empty() {
            return;
        }
        let delta: isize = match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => 1,
            Event::SequenceEnd | Event::MappingEnd => -1,
            _ => 0,
        };
        for r in &mut self.recording {
            r.events.push((event.clone(), at));
            r.open = r.open.saturating_add_signed(delta);
        }
        while self.recording.last().is_some_and(|r| r.open == 0) {
            let done = self.recording.pop().expect("checked");
            self.anchors.insert(done.anchor, Rc::from(done.events));
        }
    }

    /// Replays the anchored node of an alias from here.
    fn expand(&mut self, anchor: usize, at: Location) -> Result<()> {
        let events = self.anchors.get(&anchor).cloned().ok_or_else(|| {
            // yaml-rust2 refuses unknown anchors itself; an alias to a node still
            // being read (`&a [*a]`) has no events yet.
            Error::Stop(Stop::Syntax(at, "unknown anchor".into()))
        })?;
        if self.replay.is_empty() {
            self.alias_at = at;
            self.alias_use += 1;
        }
        self.replay.push(Replay { events, next: 0 });
        Ok(())
    }

    /// The next event, an alias replaced by its node.
    pub(super) fn next(&mut self) -> Result<Marked> {
        loop {
            let m = self.pull()?;
            match m.event {
                Event::Alias(anchor) => self.expand(anchor, m.at)?,
                _ => return Ok(m),
            }
        }
    }

    /// The next event without taking it (an alias expanded).
    pub(super) fn peek(&mut self) -> Result<&Marked> {
        loop {
            let m = self.pull()?;
            match m.event {
                Event::Alias(anchor) => self.expand(anchor, m.at)?,
                _ => {
                    return Ok(self.peeked.insert(m));
                }
            }
        }
    }

    /// Skips the rest of a node whose start was taken (`open` containers deep).
    pub(super) fn skip_open(&mut self, mut open: usize) -> Result<()> {
        while open > 0 {
            // Aliases inside a skipped node are skipped unexpanded.
            match self.pull()?.event {
                Event::SequenceStart(..) | Event::MappingStart(..) => open += 1,
                Event::SequenceEnd | Event::MappingEnd => open -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// Skips the rest of the node that starts with `event`.
    pub(super) fn skip_rest(&mut self, event: &Event) -> Result<()> {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => self.skip_open(1),
            _ => Ok(()),
        }
    }

    /// Whether any anchor was defined or alias used: the split reading (see
    /// [`super::split`]) gives way to one thread for such a part.
    pub(super) fn used_anchors(&self) -> bool {
        self.replayed > 0 || !self.anchors.is_empty() || !self.recording.is_empty()
    }

    /// Reports a problem, once per use of an alias.
    pub(super) fn report(&mut self, problem: Located, replayed: bool) {
        if replayed {
            if self.reported_use == self.alias_use {
                return;
            }
            self.reported_use = self.alias_use;
        }
        if let Some(give_up) = self.give_up {
            give_up.store(true, Ordering::Relaxed);
        }
        self.errors.push(problem);
    }
}

fn syntax(e: ScanError) -> Stop {
    let m = e.marker();
    let at = Location::new(m.line(), m.col() + 1);
    // The scanner reads a run of `[` or `{` ahead to its 256th level before the
    // parser sees any of it: the same refusal as MAX_DEPTH, not a syntax error (whose
    // second reading by serde_yaml would take minutes on such a run).
    if e.info() == "recursion limit exceeded" {
        return Stop::Fatal(nesting_limit(at));
    }
    Stop::Syntax(at, e.info().to_string())
}

fn nesting_limit(at: Location) -> Located {
    Located {
        at,
        path: String::new(),
        message: format!(
            "nesting limit exceeded: more than {MAX_DEPTH} levels of lists and mappings"
        ),
    }
}
