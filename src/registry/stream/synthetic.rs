//! Values for what the file does not give, or gives with the wrong type.

use serde::de::{self, DeserializeSeed, Visitor};

use super::reader::Reader;
use super::{Error, Located, Result};
use crate::error::Location;

/// A sequence with no elements (an empty plain value, or one of the wrong type).
pub(super) struct EmptySeq;

impl<'de> de::SeqAccess<'de> for EmptySeq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<Option<T::Value>> {
        Ok(None)
    }
}

/// Where a mapping with missing fields is.
#[derive(Clone)]
pub(super) struct Context {
    pub at: Location,
    pub path: String,
    pub replayed: bool,
}

pub(super) struct Missing {
    pub field: String,
    pub context: Context,
}

/// The value of a field the file does not give: none for an optional field; for a
/// required one, a problem ("missing field") and an empty value, so reading goes on.
pub(super) struct Synthetic<'r, 'a> {
    pub r: &'r mut Reader<'a>,
    /// `None`: an empty value standing for a node already reported.
    pub missing: Option<Missing>,
}

impl Synthetic<'_, '_> {
    fn report(&mut self) {
        if let Some(Missing { field, context }) = self.missing.take() {
            let problem = Located {
                at: context.at,
                path: context.path,
                message: format!("missing field `{field}`"),
            };
            self.r.report(problem, context.replayed);
        }
    }
}

impl<'de> de::Deserializer<'de> for Synthetic<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        self.report();
        visitor.visit_unit()
    }

    fn deserialize_u64<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        self.report();
        visitor.visit_u64(0)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        self.report();
        visitor.visit_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_none()
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        self.report();
        visitor.visit_seq(EmptySeq)
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        self.report();
        visitor.visit_map(SyntheticMap::new(self.r, None, None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.report();
        visitor.visit_map(SyntheticMap::new(self.r, Some(fields), None))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct enum identifier
    }
}

/// A mapping the file does not give: each field offered with a [`Synthetic`] value.
pub(super) struct SyntheticMap<'r, 'a> {
    r: &'r mut Reader<'a>,
    fields: Vec<&'static str>,
    context: Option<Context>,
    field: &'static str,
}

impl<'r, 'a> SyntheticMap<'r, 'a> {
    pub(super) fn new(
        r: &'r mut Reader<'a>,
        fields: Option<&'static [&'static str]>,
        context: Option<Context>,
    ) -> Self {
        let fields = fields.unwrap_or_default().iter().rev().copied().collect();
        SyntheticMap {
            r,
            fields,
            context,
            field: "",
        }
    }
}

impl<'de> de::MapAccess<'de> for SyntheticMap<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(field) = self.fields.pop() else {
            return Ok(None);
        };
        self.field = field;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(field))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let missing = self.context.clone().map(|context| Missing {
            field: self.field.to_string(),
            context,
        });
        seed.deserialize(Synthetic {
            r: &mut *self.r,
            missing,
        })
    }
}
