//! Members are passed by name: a deserializer adapter that refuses a JSON array where the
//! decoded type asks for an object.
//!
//! serde's derived `Deserialize` of a struct also accepts a sequence, read field by field in
//! declaration order, and `serde_json` hands it one when the input holds an array: so
//! `{"method":"turn/interrupt","params":["thr_1","turn_2"]}` would decode as if the params had
//! been `{"threadId":"thr_1","turnId":"turn_2"}`. The contract has no positional form (params
//! and results are objects; so is every struct inside them), so the decoder reads payloads
//! through [`ByName`], which
//!
//! - asks the input for a struct (and a struct variant) as usual, but refuses the array if the
//!   input holds one, with serde's own `invalid type: sequence, expected struct …` error at the
//!   value's path;
//! - wraps every nested deserializer the same way (map values, sequence elements, `Option`
//!   contents, newtypes, enum variants), so that a struct at any depth is covered;
//! - for a payload ([`ByName::payload`]): refuses an array as the payload itself, whatever its
//!   type asks for (a method without params, or params decoded through a buffering untagged
//!   union, would read one otherwise).
//!
//! Everything else is forwarded untouched (borrowed strings stay borrowed; `serde_json`'s own
//! tricks such as `RawValue` pass through), so the adapter costs the fast path nothing
//! measurable. Types that buffer their input into a `serde_json::Value` before decoding it
//! ([`crate::core_types::ContentBlock`], the buffered path of the tag-first unions) decode the
//! buffer through [`ByName`] too (see [`from_value`]).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

/// A deserializer that refuses an array where a struct is expected, at any depth. See the
/// module docs.
///
/// `PAYLOAD` says whether the value is a payload (`params`, `result`, `error`): an array is
/// then refused whatever the type asks for. (A const parameter rather than a field, so that
/// the check costs nothing at run time.)
pub(crate) struct ByName<D, const PAYLOAD: bool = false> {
    de: D,
}

impl<D> ByName<D, true> {
    /// Wraps the deserializer of a payload: an array is refused as the value itself too.
    pub(crate) fn payload(de: D) -> Self {
        ByName { de }
    }
}

impl<D> ByName<D> {
    /// Wraps the deserializer of a nested value.
    fn nested(de: D) -> Self {
        ByName { de }
    }
}

/// Decodes `T` from a buffered JSON value, by name: an array is refused as the value itself
/// and wherever a struct is expected inside it.
pub(crate) fn from_value<T: de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, serde_json::Error> {
    T::deserialize(ByName::payload(value))
}

/// A seed that decodes a payload of type `T` by name (see [`ByName::payload`]).
pub(crate) struct Payload<T>(PhantomData<T>);

impl<T> Payload<T> {
    /// The seed of a `T` payload.
    pub(crate) fn new() -> Self {
        Payload(PhantomData)
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Payload<T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<T, D::Error> {
        T::deserialize(ByName::payload(de))
    }
}

/// Forwards `deserialize_*` methods that take only a visitor, wrapping the visitor.
macro_rules! forward {
    ($($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method(Wrap::<V, PAYLOAD> { visitor })
        }
    )*};
}

/// Forwards `deserialize_*` methods of scalars as they are: the input is asked for a scalar,
/// so it never hands the visitor an array or an object (it reports an invalid type instead).
macro_rules! forward_scalars {
    ($($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method(visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>, const PAYLOAD: bool> Deserializer<'de> for ByName<D, PAYLOAD> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_seq deserialize_map
    }

    forward_scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    #[inline]
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_unit_struct(name, Wrap::<V, PAYLOAD> { visitor })
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_newtype_struct(name, Wrap::<V, PAYLOAD> { visitor })
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_tuple(len, Wrap::<V, PAYLOAD> { visitor })
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_tuple_struct(name, len, Wrap::<V, PAYLOAD> { visitor })
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_struct(name, fields, Wrap::<V, true> { visitor })
    }

    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_enum(name, variants, Wrap::<V, PAYLOAD> { visitor })
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// A visitor that hands the visited value's parts on wrapped, and refuses an array when
/// `OBJECTS_ONLY` is set.
struct Wrap<V, const OBJECTS_ONLY: bool> {
    visitor: V,
}

/// Forwards `visit_*` methods of scalar values.
macro_rules! visit_scalars {
    ($($method:ident($ty:ty))*) => {$(
        #[inline]
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.visitor.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>, const OBJECTS_ONLY: bool> Visitor<'de> for Wrap<V, OBJECTS_ONLY> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    visit_scalars! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str)
        visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(ByName::nested(de))
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        // The newtype is the same JSON value: a payload stays a payload.
        self.visitor.visit_newtype_struct(ByName::<D, OBJECTS_ONLY> { de })
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if OBJECTS_ONLY {
            return Err(de::Error::invalid_type(Unexpected::Seq, &self));
        }
        self.visitor.visit_seq(Seq(seq))
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Map(map))
    }

    #[inline]
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(Enum(data))
    }
}

/// A seed whose deserializer is wrapped.
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(ByName::nested(de))
    }
}

/// The elements of an array, each wrapped.
struct Seq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<A> {
    type Error = A::Error;
    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// The members of an object: names as they are (a name is a string), values wrapped.
struct Map<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<A> {
    type Error = A::Error;
    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }
    #[inline]
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// An externally tagged enum value: the variant's name as it is, its content wrapped.
struct Enum<A>(A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<A> {
    type Error = A::Error;
    type Variant = Variant<A::Variant>;
    #[inline]
    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (name, variant) = self.0.variant_seed(seed)?;
        Ok((name, Variant(variant)))
    }
}

/// The content of an enum variant; a struct variant refuses an array like a struct.
struct Variant<A>(A);

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;
    #[inline]
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    #[inline]
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }
    #[inline]
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap::<V, false> { visitor })
    }
    #[inline]
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap::<V, true> { visitor })
    }
}
