//! Normalizing a JSON Schema into the alternatives it accepts, so that two schemas written
//! differently for the same wire compare equal: `$ref`s are followed, `allOf` parts merged,
//! `anyOf`/`oneOf` unions and `type` lists split, a flattened enum beside a struct's own
//! properties (`{ properties, oneOf }`) distributed into one object per variant, and `null`
//! becomes an alternative of its own (so nullability is compared separately from the type).
//!
//! Each alternative has a key that matches it with its counterpart on the other side:
//! `="value"` for an enum value, `variant:name` for a union variant (internally tagged by a
//! `const` property, or externally tagged by its single key), and the JSON type (`object`,
//! `string`, `integer`, `array`, …) for everything else.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::bounds::Range;

/// The schema keywords the comparison understands (or deliberately ignores, like docs).
/// Any other keyword is kept verbatim and compared by value (a difference is `unknown`).
const KNOWN: &[&str] = &[
    "$ref",
    "$defs",
    "$schema",
    "$id",
    "$comment",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "anyOf",
    "oneOf",
    "allOf",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "description",
    "title",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    OPEN_ENUM,
    EXPERIMENTAL,
];

/// The marker of an open enum or union: `#[schemars(extend("x-open-enum" = true))]` on the
/// Rust type. Receivers map a value they do not know to a fallback instead of failing.
pub const OPEN_ENUM: &str = "x-open-enum";

/// The marker of something experimental: `"x-experimental": true` on a definition, a
/// property or a union variant (`#[schemars(extend("x-experimental" = true))]` in Rust). What
/// is experimental may change or disappear in any release (README, "Compatibility").
pub const EXPERIMENTAL: &str = "x-experimental";

/// Whether a schema carries [`EXPERIMENTAL`].
pub fn is_experimental(schema: &Value) -> bool {
    schema.get(EXPERIMENTAL) == Some(&Value::Bool(true))
}

/// The tag value of a catch-all variant (see [`Object::tag`]).
pub const CATCH_ALL: &str = "*";

/// The `$defs` one side's references resolve against.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// The definitions, by name.
    pub defs: &'a Map<String, Value>,
}

impl<'a> Side<'a> {
    /// The definition a `$ref` names (`#/$defs/Name`).
    pub fn resolve(&self, reference: &str) -> Option<(&'a str, &'a Value)> {
        let name = reference.strip_prefix("#/$defs/")?;
        self.defs.get_key_value(name).map(|(name, schema)| (name.as_str(), schema))
    }
}

/// A schema at a position of one side; `id` names the position (definition and JSON
/// pointer), which is what the comparison remembers to stay cycle-safe.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The schema.
    pub schema: Cow<'a, Value>,
    /// Where it is: `Name/properties/key/items` …
    pub id: String,
}

impl<'a> Node<'a> {
    /// A schema borrowed from a side.
    pub fn new(schema: &'a Value, id: impl Into<String>) -> Self {
        Node { schema: Cow::Borrowed(schema), id: id.into() }
    }

    /// A schema made up by the comparison.
    pub fn owned(schema: Value, id: impl Into<String>) -> Self {
        Node { schema: Cow::Owned(schema), id: id.into() }
    }

    fn sub(
        &self,
        segment: &str,
        get: impl for<'v> Fn(&'v Value) -> Option<&'v Value>,
    ) -> Option<Node<'a>> {
        let schema = match &self.schema {
            Cow::Borrowed(value) => Cow::Borrowed(get(value)?),
            Cow::Owned(value) => Cow::Owned(get(value)?.clone()),
        };
        Some(Node { schema, id: format!("{}/{segment}", self.id) })
    }

    fn keyword(&self, keyword: &str) -> Option<&Value> {
        self.schema.get(keyword)
    }
}

/// What an object accepts beyond its named properties.
#[derive(Debug, Clone)]
pub enum Additional<'a> {
    /// Anything (`additionalProperties` absent or `true`).
    Open,
    /// Nothing (`additionalProperties: false`).
    Closed,
    /// A map: every other key's value follows this schema.
    Schema(Node<'a>),
}

/// A named property of an object.
#[derive(Debug, Clone)]
pub struct Prop<'a> {
    /// The property's schema.
    pub node: Node<'a>,
    /// Listed in `required`.
    pub required: bool,
}

/// An object alternative.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    /// The named properties.
    pub props: BTreeMap<String, Prop<'a>>,
    /// What other keys may hold.
    pub additional: Additional<'a>,
}

impl Object<'_> {
    /// The `(key, value)` of an internally tagged variant: a required property whose schema
    /// is a single string constant (`type` preferred when there are several). A catch-all
    /// variant — the tag is any string but the listed ones (`{ "not": { "enum": […] } }`, what
    /// an open union decodes unknown tags to) — has the value `*`.
    pub fn tag(&self) -> Option<(String, String)> {
        let constant = |prop: &Prop<'_>| -> Option<String> {
            let schema = prop.node.schema.as_ref();
            let single = schema
                .get("enum")
                .and_then(Value::as_array)
                .filter(|v| v.len() == 1)
                .and_then(|v| v.first());
            if let Some(value) = schema.get("const").or(single) {
                return value.as_str().map(str::to_owned);
            }
            let other_strings = schema.get("type").and_then(Value::as_str) == Some("string")
                && schema.get("not").and_then(|n| n.get("enum")).is_some_and(Value::is_array);
            other_strings.then(|| CATCH_ALL.to_owned())
        };
        let tags: Vec<(String, String)> = self
            .props
            .iter()
            .filter(|(_, p)| p.required)
            .filter_map(|(k, p)| constant(p).map(|v| (k.clone(), v)))
            .collect();
        tags.iter().find(|(key, _)| key == "type").or(tags.first()).cloned()
    }

    /// The tag values a catch-all variant leaves to the other variants.
    pub fn catch_all_excludes(&self) -> Vec<String> {
        let Some((key, _)) = self.tag() else { return Vec::new() };
        let schema = self.props[&key].node.schema.as_ref();
        schema
            .get("not")
            .and_then(|n| n.get("enum"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    }

    /// The single key of an externally tagged variant (`{ "name": … }`, closed).
    pub fn external(&self) -> Option<&str> {
        let closed = matches!(self.additional, Additional::Closed);
        match (closed, self.props.len(), self.props.iter().next()) {
            (true, 1, Some((key, prop))) if prop.required => Some(key),
            _ => None,
        }
    }
}

/// One alternative of a schema.
#[derive(Debug, Clone)]
pub enum AltKind<'a> {
    /// Any JSON value.
    Any,
    /// `null`.
    Null,
    /// One value (`const`, or a value of an `enum`).
    Value(Value),
    /// `true` or `false`.
    Boolean,
    /// An integer within the range.
    Integer(Range),
    /// A number within the range.
    Number(Range),
    /// A string.
    String {
        /// Its `format`, if any.
        format: Option<String>,
        /// Its `pattern`, if any.
        pattern: Option<String>,
        /// Its `minLength`/`maxLength`.
        length: Range,
    },
    /// An array.
    Array {
        /// The schema of its items (`None`: anything).
        items: Option<Node<'a>>,
        /// Its `minItems`/`maxItems`.
        length: Range,
    },
    /// An object.
    Object(Object<'a>),
}

/// An alternative with where it came from.
#[derive(Debug, Clone)]
pub struct Alt<'a> {
    /// What it accepts.
    pub kind: AltKind<'a>,
    /// The named definition that defines this alternative's structure (where changes inside
    /// it are located).
    pub def: Option<String>,
    /// Keywords the comparison does not model, compared by value.
    pub extra: BTreeMap<String, Value>,
    /// The only (non-null) alternative of its schema: an object is then a plain object even
    /// when a property is a constant (no union, so no variant to match).
    pub lone: bool,
    /// A union variant marked [`EXPERIMENTAL`] (on the variant or the definition it names).
    pub experimental: bool,
}

impl Alt<'_> {
    /// The key that matches this alternative with its counterpart.
    pub fn key(&self) -> String {
        match &self.kind {
            AltKind::Any => "any".to_owned(),
            AltKind::Null => "null".to_owned(),
            AltKind::Value(value) => format!("={value}"),
            AltKind::Boolean => "boolean".to_owned(),
            AltKind::Integer(_) => "integer".to_owned(),
            AltKind::Number(_) => "number".to_owned(),
            AltKind::String { .. } => "string".to_owned(),
            AltKind::Array { .. } => "array".to_owned(),
            AltKind::Object(_) if self.lone => "object".to_owned(),
            AltKind::Object(object) => match (object.tag(), object.external()) {
                (Some((_, value)), _) => format!("variant:{value}"),
                (None, Some(key)) => format!("variant:{key}"),
                (None, None) => "object".to_owned(),
            },
        }
    }

    /// How the alternative reads in a report: ``value `x` ``, ``variant `x` ``, `string` …
    pub fn label(&self) -> String {
        let key = self.key();
        if let AltKind::Value(Value::String(value)) = &self.kind {
            return format!("value `{value}`");
        }
        match key.strip_prefix("variant:") {
            Some(CATCH_ALL) => "catch-all variant (any other tag)".to_owned(),
            Some(name) => format!("variant `{name}`"),
            None => key.trim_start_matches('=').to_owned(),
        }
    }

    fn plain(kind: AltKind<'_>) -> Alt<'_> {
        Alt { kind, def: None, extra: BTreeMap::new(), lone: false, experimental: false }
    }
}

/// Everything a schema accepts.
#[derive(Debug, Clone, Default)]
pub struct Alts<'a> {
    /// The alternatives.
    pub alts: Vec<Alt<'a>>,
    /// The definition the schema is a reference to, if it is one.
    pub def: Option<String>,
    /// Declared open (`x-open-enum`) on the way.
    pub open: bool,
    /// References that name no definition.
    pub unresolved: Vec<String>,
}

/// Expands a schema into its alternatives.
pub fn expand<'a>(node: &Node<'a>, side: Side<'a>) -> Alts<'a> {
    expand_in(node, side, &mut Vec::new())
}

fn expand_in<'a>(node: &Node<'a>, side: Side<'a>, seen: &mut Vec<String>) -> Alts<'a> {
    let schema = node.schema.as_ref();
    let mut result = match schema {
        Value::Bool(true) => {
            return Alts { alts: vec![Alt::plain(AltKind::Any)], ..Alts::default() };
        }
        Value::Bool(false) => return Alts::default(),
        Value::Object(_) => Alts { alts: base(node), ..Alts::default() },
        _ => {
            return Alts {
                alts: vec![Alt::plain(AltKind::Any)],
                unresolved: vec![format!("{} is not a schema", node.id)],
                ..Alts::default()
            };
        }
    };
    result.open = schema.get(OPEN_ENUM) == Some(&Value::Bool(true));
    if let Some(reference) = node.keyword("$ref").and_then(Value::as_str) {
        match side.resolve(reference) {
            Some((name, target)) if !seen.iter().any(|s| s == name) => {
                seen.push(name.to_owned());
                let mut inner = expand_in(&Node::new(target, name), side, seen);
                seen.pop();
                for alt in &mut inner.alts {
                    alt.def.get_or_insert_with(|| name.to_owned());
                }
                result = product(result, inner);
                result.def = Some(name.to_owned());
            }
            Some((name, _)) => result.def = Some(name.to_owned()),
            None => result.unresolved.push(format!("{reference} (at {})", node.id)),
        }
    }
    if let Some(parts) = node.keyword("allOf").and_then(Value::as_array) {
        for index in 0..parts.len() {
            let part = node
                .sub(&format!("allOf/{index}"), |v| v.get("allOf")?.get(index))
                .expect("index in range");
            let inner = expand_in(&part, side, seen);
            result = product(result, inner);
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        let Some(variants) = node.keyword(keyword).and_then(Value::as_array) else { continue };
        let mut union = Alts::default();
        for index in 0..variants.len() {
            let variant = node
                .sub(&format!("{keyword}/{index}"), |v| v.get(keyword)?.get(index))
                .expect("index in range");
            let mut inner = expand_in(&variant, side, seen);
            let named = inner.def.as_deref().and_then(|name| side.defs.get(name));
            if is_experimental(&variant.schema) || named.is_some_and(is_experimental) {
                inner.alts.iter_mut().for_each(|alt| alt.experimental = true);
            }
            union.alts.extend(inner.alts);
            union.open |= inner.open;
            union.unresolved.extend(inner.unresolved);
        }
        result = product(result, union);
    }
    result
}

/// The alternatives of a schema's own keywords (without `$ref` and combinators).
fn base<'a>(node: &Node<'a>) -> Vec<Alt<'a>> {
    let schema = node.schema.as_ref();
    let extra: BTreeMap<String, Value> = schema
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let with_extra =
        |kind| Alt { kind, def: None, extra: extra.clone(), lone: false, experimental: false };
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .map(|v| {
                with_extra(if v.is_null() { AltKind::Null } else { AltKind::Value(v.clone()) })
            })
            .collect();
    }
    if let Some(value) = schema.get("const") {
        return vec![with_extra(if value.is_null() {
            AltKind::Null
        } else {
            AltKind::Value(value.clone())
        })];
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ if ["properties", "additionalProperties", "required"]
            .iter()
            .any(|k| schema.get(*k).is_some()) =>
        {
            vec!["object"]
        }
        _ if schema.get("items").is_some() => vec!["array"],
        _ => vec![],
    };
    if types.is_empty() {
        return vec![with_extra(AltKind::Any)];
    }
    types
        .into_iter()
        .map(|t| {
            with_extra(match t {
                "null" => AltKind::Null,
                "boolean" => AltKind::Boolean,
                "integer" => AltKind::Integer(Range::of_integer(schema)),
                "number" => AltKind::Number(Range::of_number(schema)),
                "string" => AltKind::String {
                    format: schema.get("format").and_then(Value::as_str).map(str::to_owned),
                    pattern: schema.get("pattern").and_then(Value::as_str).map(str::to_owned),
                    length: Range::of_length(schema, "minLength", "maxLength"),
                },
                "array" => AltKind::Array {
                    items: node.sub("items", |v| v.get("items")),
                    length: Range::of_length(schema, "minItems", "maxItems"),
                },
                "object" => AltKind::Object(object(node)),
                _ => AltKind::Any,
            })
        })
        .collect()
}

fn object<'a>(node: &Node<'a>) -> Object<'a> {
    let schema = node.schema.as_ref();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut props = BTreeMap::new();
    for key in
        schema.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.keys())
    {
        let prop = node
            .sub(&format!("properties/{key}"), |v| v.get("properties")?.get(key))
            .expect("key present");
        props.insert(key.clone(), Prop { node: prop, required: required.contains(&key.as_str()) });
    }
    // `required` without the property (`oneOf: [{ "required": ["a"] }, …]` beside shared
    // properties): any value, required; merging keeps the property's own schema.
    let missing: Vec<&str> = required.iter().copied().filter(|k| !props.contains_key(*k)).collect();
    for key in missing {
        let node = Node::owned(Value::Bool(true), format!("{}/required/{key}", node.id));
        props.insert(key.to_owned(), Prop { node, required: true });
    }
    let additional = match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Additional::Open,
        Some(Value::Bool(false)) => Additional::Closed,
        Some(_) => Additional::Schema(
            node.sub("additionalProperties", |v| v.get("additionalProperties")).expect("present"),
        ),
    };
    Object { props, additional }
}

/// Every combination of one alternative of `a` with one of `b` that can hold at once (the
/// meaning of a schema's keywords side by side, or of `allOf`).
fn product<'a>(a: Alts<'a>, b: Alts<'a>) -> Alts<'a> {
    let mut alts = Vec::new();
    for left in &a.alts {
        for right in &b.alts {
            if let Some(merged) = merge(left, right) {
                alts.push(merged);
            }
        }
    }
    let mut unresolved = a.unresolved;
    unresolved.extend(b.unresolved);
    Alts { alts, def: a.def.or(b.def), open: a.open || b.open, unresolved }
}

fn merge<'a>(a: &Alt<'a>, b: &Alt<'a>) -> Option<Alt<'a>> {
    use AltKind::*;
    let kind = match (&a.kind, &b.kind) {
        (Any, other) | (other, Any) => other.clone(),
        (Null, Null) => Null,
        (Value(v), Value(w)) if v == w => Value(v.clone()),
        (Value(v), String { .. }) | (String { .. }, Value(v)) if v.is_string() => Value(v.clone()),
        (Value(v), Integer(_) | Number(_)) | (Integer(_) | Number(_), Value(v))
            if v.is_number() =>
        {
            Value(v.clone())
        }
        (Value(v), Boolean) | (Boolean, Value(v)) if v.is_boolean() => Value(v.clone()),
        (Boolean, Boolean) => Boolean,
        (Number(r), Number(s)) => Number(r.intersect(*s)),
        (Integer(r), Integer(s)) | (Integer(r), Number(s)) | (Number(s), Integer(r)) => {
            Integer(r.intersect(*s))
        }
        (
            String { format: f, pattern: p, length: l },
            String { format: g, pattern: q, length: m },
        ) => String {
            format: f.clone().or_else(|| g.clone()),
            pattern: p.clone().or_else(|| q.clone()),
            length: l.intersect(*m),
        },
        (Array { items, length: l }, Array { items: other, length: m }) => {
            Array { items: items.clone().or_else(|| other.clone()), length: l.intersect(*m) }
        }
        (Object(x), Object(y)) => {
            let mut props = x.props.clone();
            for (key, prop) in &y.props {
                // The later part is the more specific one (a variant beside the shared fields),
                // unless it only says the property is required.
                let earlier = props.get(key).cloned();
                let required = prop.required || earlier.as_ref().is_some_and(|p| p.required);
                let node = match earlier {
                    Some(p) if prop.node.schema.as_ref() == &serde_json::Value::Bool(true) => {
                        p.node
                    }
                    _ => prop.node.clone(),
                };
                props.insert(key.clone(), Prop { node, required });
            }
            let additional = match (&x.additional, &y.additional) {
                (Additional::Schema(s), _) | (_, Additional::Schema(s)) => {
                    Additional::Schema(s.clone())
                }
                (Additional::Closed, _) | (_, Additional::Closed) => Additional::Closed,
                _ => Additional::Open,
            };
            Object(self::Object { props, additional })
        }
        _ => return None,
    };
    let mut extra = a.extra.clone();
    extra.extend(b.extra.clone());
    Some(Alt {
        kind,
        def: b.def.clone().or_else(|| a.def.clone()),
        extra,
        lone: false,
        experimental: a.experimental || b.experimental,
    })
}
