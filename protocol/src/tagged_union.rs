//! Tag-first decoding of internally tagged unions (`#[serde(tag = "type")]` enums such as
//! [`crate::v2::ThreadItem`], [`crate::v2::UserInput`], [`crate::v2::SandboxPolicy`], v1's
//! `EventMsg`, and the open unions `ResponseItem` and `WebSearchAction`).
//!
//! serde's derived `Deserialize` for such an enum cannot know the variant until it has seen
//! the tag, which may come anywhere in the object, so it buffers every object into an
//! intermediate tree and decodes the variant from that tree: the whole item is copied once
//! more, and errors inside it lose their JSON path. Every encoder of this protocol writes the
//! tag first, so the enums derive `DeserializeTagFirst` (crate `app-server-protocol-derive`)
//! instead, which comes here:
//!
//! - when the tag is the object's first member, its value picks the variant and the other
//!   members are decoded straight from the input into the variant's fields (no buffering;
//!   errors keep their full path, e.g. `params.input[1].text`);
//! - otherwise the members are buffered into a `serde_json` object first, as serde does, and
//!   decoded from it; what is accepted and rejected is the same either way, and an error
//!   inside still names its place: its message starts with "in `member.path`: ", which the
//!   decoder appends to the union's path (`params.item.commandActions[0].command`).
//!
//! As with serde's derive, unknown members are ignored, a missing tag is ``missing field
//! `type` ``, a tag that names no variant is ``unknown variant …``, and a repeated tag is
//! ``duplicate field `type` ``. Unlike it, the tag must be a string (serde also took a variant
//! index, which no schema of this protocol allows).
//!
//! An open union (`ResponseItem`, `WebSearchAction`) marks its catch-all unit variant
//! `#[tag_first(other)]`: any tag that names no other variant decodes to it, and its other
//! members are ignored.
//!
//! Members are passed by name (see [`crate::by_name`]): the buffered members are decoded
//! through [`ByName`], so an array where a struct is expected is refused there too.
//!
//! The derive decodes a private, externally tagged twin of the enum (same variants, fields and
//! serde attributes) through [`deserialize`]: the twin's derived code asks for an enum, and is
//! handed the tag's value as the variant name and the remaining members as the variant's
//! content. A tag that names no variant is reported at the tag member (path `….type`).

use std::cell::RefCell;
use std::fmt;

use serde::de::value::{
    BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer, StringDeserializer,
};
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess,
    VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

use crate::by_name::ByName;

/// Decodes the externally tagged twin `T` of an internally tagged enum whose tag member is
/// named `tag`. `expecting` is what an error says was expected of a non-object
/// (`"internally tagged enum ThreadItem"`, as serde says it). Called by the code that
/// `DeserializeTagFirst` generates.
///
/// The twin is asked first, so that its variant names are known while the tag is read: a tag
/// that names no variant is reported at the tag member itself (path `….type`), unless the
/// union is `open` (the twin then maps it to its catch-all variant).
pub(crate) fn deserialize<'de, D, T>(
    deserializer: D,
    tag: &'static str,
    expecting: &'static str,
    open: bool,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    T::deserialize(Union { deserializer, tag, expecting, open, capture: None })
}

/// [`deserialize`] for an open union whose catch-all keeps what came: when the tag names no
/// variant, the twin decodes to its catch-all and the whole object (tag included) is returned
/// beside it.
pub(crate) fn deserialize_capturing<'de, D, T>(
    deserializer: D,
    tag: &'static str,
    expecting: &'static str,
) -> Result<Captured<T>, D::Error>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    let captured = RefCell::new(None);
    let capture = Some(&captured);
    let twin = T::deserialize(Union { deserializer, tag, expecting, open: true, capture })?;
    Ok((twin, captured.into_inner()))
}

/// The twin as decoded, and the whole object when its tag named no variant.
pub(crate) type Captured<T> = (T, Option<Map<String, Value>>);

/// Where an unknown variant's object goes, for a union that keeps it.
type Capture<'c> = Option<&'c RefCell<Option<Map<String, Value>>>>;

/// What the twin's derived `Deserialize` reads from: it asks for an enum, which is read from
/// the object the real deserializer holds.
struct Union<'c, D> {
    deserializer: D,
    tag: &'static str,
    expecting: &'static str,
    open: bool,
    capture: Capture<'c>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Union<'_, D> {
    type Error = D::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let Union { deserializer, tag, expecting, open, capture } = self;
        let tag = TagValue { tag, variants, open };
        deserializer.deserialize_map(TaggedVisitor { tag, expecting, twin: visitor, capture })
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, D::Error> {
        Err(de::Error::custom("a tag-first union decodes through `deserialize_enum` only"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// Reads the object: the tag, then the variant's content.
struct TaggedVisitor<'c, V> {
    tag: TagValue,
    expecting: &'static str,
    /// The twin's enum visitor.
    twin: V,
    /// Where an unknown variant's object goes, when the union keeps it.
    capture: Capture<'c>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TaggedVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V::Value, A::Error> {
        let tag = self.tag;
        match map.next_key_seed(FirstKeySeed { tag: tag.tag })? {
            None => Err(de::Error::missing_field(tag.tag)),
            Some(FirstKey::Tag) => {
                let variant = map.next_value_seed(tag)?;
                if let Some(capture) = self.capture
                    && !tag.names(&variant)
                {
                    let mut members = Map::new();
                    members.insert(tag.tag.to_owned(), Value::String(variant.name().to_owned()));
                    while let Some(key) = map.next_key::<String>()? {
                        let value = map.next_value::<Value>()?;
                        members.insert(key, value);
                    }
                    *capture.borrow_mut() = Some(members);
                }
                let rest = MapAccessDeserializer::new(AfterTag { map, tag: tag.tag });
                self.twin.visit_enum(Tagged { variant, rest })
            }
            Some(FirstKey::Other(first)) => buffered(first, map, tag, self.twin, self.capture),
        }
    }
}

/// The slow path: the tag is not the first member. Buffers the members (checking for
/// duplicates, as serde's derive does), then decodes the twin from the buffer, by name.
fn buffered<'de, A: MapAccess<'de>, V: Visitor<'de>>(
    first: String,
    mut map: A,
    tag: TagValue,
    twin: V,
    capture: Capture<'_>,
) -> Result<V::Value, A::Error> {
    let mut members = Map::new();
    members.insert(first, map.next_value::<Value>()?);
    let mut variant = None;
    while let Some(key) = map.next_key::<String>()? {
        if key == tag.tag {
            if variant.is_some() {
                return Err(de::Error::duplicate_field(tag.tag));
            }
            variant = Some(map.next_value_seed(tag)?.into_owned());
        } else if members.contains_key(&key) {
            return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
        } else {
            let value = map.next_value::<Value>()?;
            members.insert(key, value);
        }
    }
    let variant = variant.ok_or_else(|| de::Error::missing_field(tag.tag))?;
    if let Some(capture) = capture
        && !tag.names(&variant)
    {
        let mut whole = std::mem::take(&mut members);
        whole.insert(tag.tag.to_owned(), Value::String(variant.name().to_owned()));
        *capture.borrow_mut() = Some(whole);
    }
    let mut track = serde_path_to_error::Track::new();
    let rest =
        serde_path_to_error::Deserializer::new(ByName::payload(Value::Object(members)), &mut track);
    let decoded = twin.visit_enum(Tagged { variant, rest });
    decoded.map_err(|err| de::Error::custom(within(&track.path().to_string(), &err.to_string())))
}

/// The words of an error at `path` inside a buffered union's members, so that it keeps its
/// place: the members were decoded from a buffer, out of sight of the path tracking around the
/// union. The decoder's diagnostic path reads the place back ([`split_within`]) and appends it
/// to the union's path; anyone else reads "in `path`: …".
fn within(path: &str, message: &str) -> String {
    let (path, message) = match split_within(message) {
        Some((inner, message)) if path == "." => (inner.to_owned(), message),
        Some((inner, message)) => (join_path(path, inner), message),
        None if path == "." => return message.to_owned(),
        None => (path.to_owned(), message),
    };
    format!("in `{path}`: {message}")
}

/// The place and the rest of an error message written by [`within`].
pub(crate) fn split_within(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("in `")?;
    let (path, message) = rest.split_once("`: ")?;
    Some((path, message))
}

/// `outer` followed by `inner` (`a.b` + `c[0]` → `a.b.c[0]`; `a` + `[1].c` → `a[1].c`).
pub(crate) fn join_path(outer: &str, inner: &str) -> String {
    if inner.starts_with('[') { format!("{outer}{inner}") } else { format!("{outer}.{inner}") }
}

/// The first member's name: the tag, or another member (kept for the buffered path).
enum FirstKey {
    Tag,
    Other(String),
}

/// Reads the first member's name, comparing it with the tag without building a string.
struct FirstKeySeed {
    tag: &'static str,
}

impl<'de> DeserializeSeed<'de> for FirstKeySeed {
    type Value = FirstKey;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FirstKey, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FirstKeySeed {
    type Value = FirstKey;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<FirstKey, E> {
        Ok(if name == self.tag { FirstKey::Tag } else { FirstKey::Other(name.to_owned()) })
    }
}

/// The tag's value: the variant's name, borrowed from the input when it has no escapes.
enum Variant<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Variant<'_> {
    fn name(&self) -> &str {
        match self {
            Variant::Borrowed(name) => name,
            Variant::Owned(name) => name,
        }
    }

    fn into_owned(self) -> Variant<'static> {
        match self {
            Variant::Borrowed(name) => Variant::Owned(name.to_owned()),
            Variant::Owned(name) => Variant::Owned(name),
        }
    }
}

/// Reads the tag's value, which must be a string naming one of `variants` (any string, when
/// the union is `open`).
#[derive(Clone, Copy)]
struct TagValue {
    tag: &'static str,
    variants: &'static [&'static str],
    open: bool,
}

impl TagValue {
    /// Whether the tag's value names a variant of the union.
    fn names(&self, variant: &Variant<'_>) -> bool {
        self.variants.contains(&variant.name())
    }

    fn check<'a, E: de::Error>(&self, name: &'a str) -> Result<&'a str, E> {
        if self.open || self.variants.contains(&name) {
            Ok(name)
        } else {
            Err(E::unknown_variant(name, self.variants))
        }
    }
}

impl<'de> DeserializeSeed<'de> for TagValue {
    type Value = Variant<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Variant<'de>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TagValue {
    type Value = Variant<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string (the `{}` tag naming the variant)", self.tag)
    }
    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Variant<'de>, E> {
        self.check(name).map(Variant::Borrowed)
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<Variant<'de>, E> {
        self.check(name).map(|name| Variant::Owned(name.to_owned()))
    }
    fn visit_string<E: de::Error>(self, name: String) -> Result<Variant<'de>, E> {
        self.check(&name)?;
        Ok(Variant::Owned(name))
    }
}

/// The members after the tag, as the map the variant's content is read from. A second tag
/// member is refused (as serde's derive refuses it), not ignored as an unknown member.
struct AfterTag<A> {
    map: A,
    tag: &'static str,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for AfterTag<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.map.next_key_seed(NotTheTag { seed, tag: self.tag })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads a member name for the variant's field visitor, refusing the tag.
struct NotTheTag<K> {
    seed: K,
    tag: &'static str,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for NotTheTag<K> {
    type Value = K::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for NotTheTag<K> {
    type Value = K::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<K::Value, E> {
        self.refuse_tag(name)?;
        self.seed.deserialize(BorrowedStrDeserializer::new(name))
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<K::Value, E> {
        self.refuse_tag(name)?;
        self.seed.deserialize(StrDeserializer::new(name))
    }
    fn visit_string<E: de::Error>(self, name: String) -> Result<K::Value, E> {
        self.refuse_tag(&name)?;
        self.seed.deserialize(StringDeserializer::new(name))
    }
}

impl<K> NotTheTag<K> {
    fn refuse_tag<E: de::Error>(&self, name: &str) -> Result<(), E> {
        if name == self.tag { Err(E::duplicate_field(self.tag)) } else { Ok(()) }
    }
}

/// What the twin's enum visitor reads: the variant is the tag's value, its content `rest`
/// (the members after the tag, or the buffered members).
struct Tagged<'de, R> {
    variant: Variant<'de>,
    rest: R,
}

impl<'de, R: Deserializer<'de>> EnumAccess<'de> for Tagged<'de, R> {
    type Error = R::Error;
    type Variant = Content<R>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Content<R>), R::Error> {
        let variant = match self.variant {
            Variant::Borrowed(name) => seed.deserialize(BorrowedStrDeserializer::new(name))?,
            Variant::Owned(name) => seed.deserialize(StringDeserializer::new(name))?,
        };
        Ok((variant, Content(self.rest)))
    }
}

/// The content of the variant: the object's members other than the tag.
struct Content<R>(R);

impl<'de, R: Deserializer<'de>> VariantAccess<'de> for Content<R> {
    type Error = R::Error;

    fn unit_variant(self) -> Result<(), R::Error> {
        // Other members of a unit variant are ignored, as serde's derive ignores them.
        IgnoredAny::deserialize(self.0).map(|_| ())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, R::Error> {
        seed.deserialize(self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, R::Error> {
        Err(de::Error::custom("an internally tagged enum has no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, R::Error> {
        self.0.deserialize_map(visitor)
    }
}

#[cfg(test)]
mod tests {
    //! The derive on a union of every variant shape (the protocol's own unions have no newtype
    //! variant) and a container `rename`; `protocol/tests/tagged_unions.rs` covers the real ones.

    use app_server_protocol_derive::DeserializeTagFirst;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Point {
        x: i32,
        #[serde(default)]
        y: i32,
    }

    #[derive(Debug, PartialEq, DeserializeTagFirst)]
    #[serde(tag = "kind", rename = "Shape", rename_all = "snake_case")]
    enum Figure {
        Empty,
        Dot(Point),
        Segment {
            from: Point,
            #[serde(rename = "end")]
            to: Point,
        },
    }

    /// An open union: unknown tags decode to the catch-all.
    #[derive(Debug, PartialEq, DeserializeTagFirst)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Open {
        Dot(Point),
        #[tag_first(other)]
        Other,
    }

    #[test]
    fn an_open_union_maps_unknown_tags_to_its_catch_all() {
        let open = |text: &str| serde_json::from_str::<Open>(text).map_err(|err| err.to_string());
        assert_eq!(open(r#"{"kind":"dot","x":1}"#), Ok(Open::Dot(Point { x: 1, y: 0 })));
        for text in
            [r#"{"kind":"other"}"#, r#"{"kind":"circle","r":[1]}"#, r#"{"r":2,"kind":"circle"}"#]
        {
            assert_eq!(open(text), Ok(Open::Other), "{text}");
        }
        // A known tag is still decoded strictly; the tag must still be a string.
        assert!(open(r#"{"kind":"dot"}"#).unwrap_err().starts_with("missing field `x`"));
        assert!(open(r#"{"kind":1}"#).unwrap_err().starts_with("invalid type: integer `1`"));
    }

    #[test]
    fn a_buffered_union_reads_its_members_by_name() {
        // The tag after the content: the members are buffered, then decoded by name.
        assert!(
            decode(r#"{"from":[1,2],"end":{"x":3},"kind":"segment"}"#)
                .unwrap_err()
                .starts_with("in `from`: invalid type: sequence, expected struct Point")
        );
        assert!(decode(r#"["dot",1]"#).unwrap_err().starts_with("invalid type: sequence"));
    }

    fn decode(text: &str) -> Result<Figure, String> {
        serde_json::from_str(text).map_err(|err| err.to_string())
    }

    #[test]
    fn every_variant_shape_decodes_with_the_tag_first_or_later() {
        for text in [r#"{"kind":"empty"}"#, r#"{"x":1,"kind":"empty"}"#] {
            assert_eq!(decode(text), Ok(Figure::Empty), "{text}");
        }
        for text in [r#"{"kind":"dot","x":3}"#, r#"{"x":3,"kind":"dot"}"#] {
            assert_eq!(decode(text), Ok(Figure::Dot(Point { x: 3, y: 0 })), "{text}");
        }
        let segment = Figure::Segment { from: Point { x: 1, y: 2 }, to: Point { x: 3, y: 4 } };
        for text in [
            r#"{"kind":"segment","from":{"x":1,"y":2},"end":{"x":3,"y":4}}"#,
            r#"{"from":{"x":1,"y":2},"end":{"x":3,"y":4},"kind":"segment"}"#,
        ] {
            assert_eq!(decode(text).as_ref(), Ok(&segment), "{text}");
        }
    }

    #[test]
    fn errors_name_the_container_by_its_serde_name() {
        assert!(
            decode("1")
                .unwrap_err()
                .starts_with("invalid type: integer `1`, expected internally tagged enum Shape")
        );
        assert!(
            decode(r#"{"kind":"dot","x":"3"}"#)
                .unwrap_err()
                .starts_with("invalid type: string \"3\", expected i32")
        );
        assert!(decode(r#"{"kind":"dot"}"#).unwrap_err().starts_with("missing field `x`"));
        assert!(
            decode(r#"{"kind":"circle"}"#)
                .unwrap_err()
                .starts_with("unknown variant `circle`, expected one of `empty`, `dot`, `segment`")
        );
        assert!(
            decode(r#"{"kind":"dot","x":1,"kind":"dot"}"#)
                .unwrap_err()
                .starts_with("duplicate field `kind`")
        );
    }
}
