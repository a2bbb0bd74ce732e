//! The serde Deserializer over the reader's events.

use std::fmt;

use serde::de::{self, DeserializeSeed, Expected, Unexpected, Visitor};
use yaml_rust2::parser::Event;
use yaml_rust2::scanner::TScalarStyle;

use super::reader::{Marked, Reader};
use super::scalar::{is_empty_plain, is_plain, kind, parse_unsigned, plain_kind};
use super::split::PROBE;
use super::synthetic::{Context, EmptySeq, Missing, Synthetic, SyntheticMap};
use super::{Error, IgnoredKey, Located, Result, Stop};
use crate::error::Location;

/// Path to the current value, like serde_yaml's: `areas[0].categories[1].name`.
#[derive(Clone, Copy)]
pub(super) enum Path<'a> {
    Root,
    Seq { parent: &'a Path<'a>, index: usize },
    Map { parent: &'a Path<'a>, key: &'a str },
    Unknown { parent: &'a Path<'a> },
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parent = |f: &mut fmt::Formatter<'_>, p: &Path| match p {
            Path::Root => Ok(()),
            p => write!(f, "{p}."),
        };
        match self {
            Path::Root => Ok(()),
            Path::Seq { parent, index } => write!(f, "{parent}[{index}]"),
            Path::Map { parent: p, key } => {
                parent(f, p)?;
                f.write_str(key)
            }
            Path::Unknown { parent: p } => {
                parent(f, p)?;
                f.write_str("?")
            }
        }
    }
}

pub(super) struct De<'r, 'a, 'p> {
    pub r: &'r mut Reader<'a>,
    pub path: Path<'p>,
}

impl De<'_, '_, '_> {
    /// Reports that the node at `m` is not what `exp` wanted, and skips it.
    fn wrong_type(&mut self, m: &Marked, exp: &dyn Expected) -> Result<()> {
        let message = match de::Error::invalid_type(kind(&m.event), exp) {
            Error::Message(message) => message,
            other => return Err(other),
        };
        self.report(m.at, m.replayed, message);
        self.r.skip_rest(&m.event)
    }

    fn report(&mut self, at: Location, replayed: bool, message: String) {
        let problem = Located {
            at,
            path: self.path.to_string(),
            message,
        };
        self.r.report(problem, replayed);
    }

    /// A visitor's own refusal stops the reading, at its node: the registry's types
    /// have none (every shape rule is checked here), so this is a safety net.
    fn fatal<T>(&self, at: Location, result: Result<T>) -> Result<T> {
        result.map_err(|e| match e {
            Error::Message(message) => Error::Stop(Stop::Fatal(Located {
                at,
                path: self.path.to_string(),
                message,
            })),
            other => other,
        })
    }

    fn unsigned<'de, V: Visitor<'de>>(&mut self, max: u64, visitor: V) -> Result<V::Value> {
        let m = self.r.next()?;
        if let Event::Scalar(v, style, _, tag) = &m.event {
            if is_plain(*style, tag) {
                if let Some(n) = parse_unsigned(v) {
                    if n <= max {
                        return self.fatal(m.at, visitor.visit_u64(n));
                    }
                    let message = match de::Error::invalid_value(Unexpected::Unsigned(n), &visitor)
                    {
                        Error::Message(message) => message,
                        other => return Err(other),
                    };
                    self.report(m.at, m.replayed, message);
                    return self.fatal(m.at, visitor.visit_u64(0));
                }
            }
        }
        self.wrong_type(&m, &visitor)?;
        self.fatal(m.at, visitor.visit_u64(0))
    }

    fn sequence<'de, V: Visitor<'de>>(&mut self, start: Marked, visitor: V) -> Result<V::Value> {
        let mut access = SeqAccess {
            de: self,
            len: 0,
            ended: false,
        };
        let value = visitor.visit_seq(&mut access);
        let ended = access.ended;
        let value = self.fatal(start.at, value)?;
        if !ended {
            // The visitor stopped before the end (a fixed-size type).
            self.r.skip_open(1)?;
        }
        Ok(value)
    }

    fn map_or_struct<'de, V: Visitor<'de>>(
        &mut self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        let m = self.r.next()?;
        match &m.event {
            Event::MappingStart(..) => self.mapping(m, fields, visitor),
            e if is_empty_plain(e) => {
                // Nothing given: each field the type needs is missing.
                let context = Context {
                    at: m.at,
                    path: self.path.to_string(),
                    replayed: m.replayed,
                };
                let value = visitor.visit_map(SyntheticMap::new(self.r, fields, Some(context)));
                self.fatal(m.at, value)
            }
            _ => {
                self.wrong_type(&m, &visitor)?;
                // Read as a mapping of empty values, without more problems.
                let value = visitor.visit_map(SyntheticMap::new(self.r, fields, None));
                self.fatal(m.at, value)
            }
        }
    }

    fn mapping<'de, V: Visitor<'de>>(
        &mut self,
        start: Marked,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        // A block mapping's start is marked after its first key; where the mapping
        // starts, for a missing field, is its first key.
        let mut at = start.at;
        let first = self.r.peek()?;
        if !matches!(first.event, Event::MappingEnd) {
            at = at.min(first.at);
        }
        let mut access = MapAccess {
            de: self,
            at,
            replayed: start.replayed,
            fields,
            seen: Vec::new(),
            key: None,
            missing: None,
            unknown: false,
            ended: false,
        };
        let value = visitor.visit_map(&mut access);
        let ended = access.ended;
        let value = self.fatal(at, value)?;
        if !ended {
            self.r.skip_open(1)?;
        }
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut De<'_, '_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.r.next()?;
        match &m.event {
            Event::Scalar(v, style, _, tag) if is_plain(*style, tag) => {
                let result = match plain_kind(v) {
                    Unexpected::Unit => visitor.visit_unit(),
                    Unexpected::Bool(b) => visitor.visit_bool(b),
                    Unexpected::Unsigned(n) => visitor.visit_u64(n),
                    Unexpected::Signed(n) => visitor.visit_i64(n),
                    Unexpected::Float(f) => visitor.visit_f64(f),
                    _ => visitor.visit_str(v),
                };
                self.fatal(m.at, result)
            }
            Event::Scalar(v, ..) => self.fatal(m.at, visitor.visit_str(v)),
            Event::SequenceStart(..) => self.sequence(m, visitor),
            Event::MappingStart(..) => self.mapping(m, None, visitor),
            _ => Err(Error::Stop(Stop::Syntax(
                m.at,
                "unexpected end of node".into(),
            ))),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.unsigned(u64::MAX, visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.unsigned(u32::MAX.into(), visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.r.next()?;
        if let Event::Scalar(v, ..) = &m.event {
            return self.fatal(m.at, visitor.visit_str(v));
        }
        self.wrong_type(&m, &visitor)?;
        self.fatal(m.at, visitor.visit_str(""))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.r.next()?;
        if let Event::Scalar(v, ..) = m.event {
            return self.fatal(m.at, visitor.visit_string(v));
        }
        self.wrong_type(&m, &visitor)?;
        self.fatal(m.at, visitor.visit_string(String::new()))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let null = match &self.r.peek()?.event {
            Event::Scalar(v, style, _, tag) if is_plain(*style, tag) => {
                matches!(plain_kind(v), Unexpected::Unit)
            }
            _ => false,
        };
        if null {
            self.r.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.r.next()?;
        match &m.event {
            Event::SequenceStart(..) => self.sequence(m, visitor),
            e if is_empty_plain(e) => self.fatal(m.at, visitor.visit_seq(EmptySeq)),
            _ => {
                self.wrong_type(&m, &visitor)?;
                self.fatal(m.at, visitor.visit_seq(EmptySeq))
            }
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.map_or_struct(None, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.map_or_struct(Some(fields), visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.r.next()?;
        self.r.skip_rest(&m.event)?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct enum
    }
}

struct SeqAccess<'s, 'r, 'a, 'p> {
    de: &'s mut De<'r, 'a, 'p>,
    len: usize,
    ended: bool,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_, '_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.ended {
            return Ok(None);
        }
        if self.de.r.probe.is_some() {
            self.take_probe()?;
        }
        if let Event::SequenceEnd = self.de.r.peek()?.event {
            self.de.r.next()?;
            self.ended = true;
            return Ok(None);
        }
        let mut element = De {
            r: &mut *self.de.r,
            path: Path::Seq {
                parent: &self.de.path,
                index: self.len,
            },
        };
        self.len += 1;
        seed.deserialize(&mut element).map(Some)
    }
}

impl SeqAccess<'_, '_, '_, '_> {
    /// Takes the split reading's probe item (see [`super::split`]) if it comes next, as
    /// a direct item of the top-level `areas` list, where it was put.
    fn take_probe(&mut self) -> Result<()> {
        let areas = matches!(
            self.de.path,
            Path::Map {
                parent: Path::Root,
                key: "areas"
            }
        );
        let at = self.de.r.probe;
        let m = self.de.r.peek()?;
        let probe = areas
            && !m.replayed
            && Some(m.at) == at
            && matches!(&m.event, Event::Scalar(v, TScalarStyle::Plain, 0, None) if v == PROBE);
        if probe {
            self.de.r.next()?;
            self.de.r.probe = None;
            self.de.r.probe_seen = true;
        }
        Ok(())
    }
}

/// A mapping being read. For a struct (`fields` known) the keys are checked here:
/// unknown or repeated keys are reported and skipped with their values, and the
/// fields never given are offered last with a [`Synthetic`] value, which reports
/// them as missing if the type needs them.
struct MapAccess<'s, 'r, 'a, 'p> {
    de: &'s mut De<'r, 'a, 'p>,
    /// Where the mapping starts.
    at: Location,
    replayed: bool,
    fields: Option<&'static [&'static str]>,
    seen: Vec<&'static str>,
    /// The key whose value comes next (`None`: not a plain key).
    key: Option<String>,
    /// Fields not given, once the mapping has ended.
    missing: Option<Vec<&'static str>>,
    /// An unknown key was reported: it is likely the missing field misspelled
    /// (`no:` for `number:`, `<<:` bringing the fields), so no field is reported
    /// missing besides.
    unknown: bool,
    ended: bool,
}

impl MapAccess<'_, '_, '_, '_> {
    /// At the root the registry may carry fields shiryo does not read.
    fn extras_allowed(&self) -> bool {
        matches!(self.de.path, Path::Root)
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_, '_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        loop {
            if let Some(missing) = &mut self.missing {
                let Some(field) = missing.pop() else {
                    return Ok(None);
                };
                self.key = Some(field.to_string());
                return seed
                    .deserialize(de::value::BorrowedStrDeserializer::new(field))
                    .map(Some);
            }
            let m = self.de.r.peek()?;
            let at = m.at;
            let replayed = m.replayed;
            match &m.event {
                Event::MappingEnd => {
                    self.de.r.next()?;
                    self.ended = true;
                    let Some(fields) = self.fields else {
                        return Ok(None);
                    };
                    // Offered in reverse, popped in declaration order.
                    let missing = fields
                        .iter()
                        .rev()
                        .filter(|f| !self.seen.contains(f))
                        .copied()
                        .collect();
                    self.missing = Some(missing);
                    continue;
                }
                Event::Scalar(..) => {}
                _ => {
                    // A complex key (a list or mapping as a key): read by the type.
                    self.key = None;
                    let mut key = De {
                        r: &mut *self.de.r,
                        path: self.de.path,
                    };
                    return seed.deserialize(&mut key).map(Some);
                }
            }
            let Event::Scalar(key, ..) = self.de.r.next()?.event else {
                unreachable!("peeked a scalar")
            };
            let Some(fields) = self.fields else {
                let value = seed.deserialize(de::value::StrDeserializer::new(&key));
                self.key = Some(key);
                return self.de.fatal(at, value).map(Some);
            };
            match fields.iter().find(|f| **f == key) {
                Some(field) if !self.seen.contains(field) => {
                    self.seen.push(field);
                    self.key = Some(key);
                    let value = seed.deserialize(de::value::BorrowedStrDeserializer::new(field));
                    return self.de.fatal(at, value).map(Some);
                }
                Some(field) => {
                    let message = format!("duplicate field `{field}`");
                    self.de.report(at, replayed, message);
                }
                None if self.extras_allowed() => {
                    let anchored = matches!(
                        self.de.r.peek()?.event,
                        Event::Scalar(_, _, a, _) | Event::SequenceStart(a, _)
                            | Event::MappingStart(a, _) if a > 0
                    );
                    self.de.r.ignored.push(IgnoredKey { key, at, anchored });
                }
                None => {
                    self.unknown = true;
                    let message = match de::Error::unknown_field(&key, fields) {
                        Error::Message(message) => message,
                        other => return Err(other),
                    };
                    self.de.report(at, replayed, message);
                }
            }
            // Skip the value of a key that was reported or set aside.
            let m = self.de.r.pull()?;
            self.de.r.skip_rest(&m.event)?;
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let key = self.key.take();
        let path = match &key {
            Some(key) => Path::Map {
                parent: &self.de.path,
                key,
            },
            None => Path::Unknown {
                parent: &self.de.path,
            },
        };
        if self.missing.is_some() {
            let missing = (!self.unknown).then(|| Missing {
                field: key.unwrap_or_default(),
                context: Context {
                    at: self.at,
                    path: self.de.path.to_string(),
                    replayed: self.replayed,
                },
            });
            return seed.deserialize(Synthetic {
                r: &mut *self.de.r,
                missing,
            });
        }
        let mut value = De {
            r: &mut *self.de.r,
            path,
        };
        seed.deserialize(&mut value)
    }
}
