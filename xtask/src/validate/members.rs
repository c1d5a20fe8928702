//! Members the contract does not know, in a message that keeps it.
//!
//! The bundles leave objects open (no `additionalProperties: false`): a newer server may add
//! members, which the compat rules call safe, and a receiver ignores them. So a member no
//! schema names passes validation, and is looked for here, to be reported as a warning.
//!
//! The walk follows the message and the schema together, like `unevaluatedProperties`: at
//! each value it gathers every schema that applies — through `$ref`, `allOf`, the branch of an
//! `if` the value takes and the alternatives of an `anyOf`/`oneOf` it fits — then names the
//! members none of them lists. The value is valid there, so an alternative is found cheaply:
//! those that a wrong type, tag, constant or missing required member rules out are dropped,
//! and when one is left it is the one; only otherwise is each tried with its own validator.
//! An object the schemas say nothing about (`true`, a map with `additionalProperties`) is
//! open: any member is known there.

use serde_json::{Map, Value};

use super::explain::{push_index, push_member};

/// What the walk asks of a sender's compiled bundle (the contract's `Bundle`): its subschemas
/// by pointer, and whether a value fits an alternative or condition of it.
pub(super) trait Schemas {
    /// The subschema at a URI-fragment pointer (`#/$defs/v2.Turn`).
    fn resolve(&self, pointer: &str) -> Option<&Value>;
    /// Whether `value` fits `schema`, an alternative of a union or an `if` condition of the
    /// bundle; `None` when it is none of those or does not compile.
    fn fits(&self, schema: &Value, value: &Value) -> Option<bool>;
}

/// The paths of the members of `message` that no schema of the contract names, and the
/// values of open types the contract does not know (path, type: see [`super::open`]);
/// `message` must be valid under `entry`, a schema of `bundle`.
pub(super) fn unknown(
    bundle: &dyn Schemas,
    entry: &Value,
    message: &Value,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut walk = Walk { bundle, found: Vec::new(), open: Vec::new() };
    walk.value(entry, message, &mut String::new());
    (walk.found, walk.open)
}

/// How deep `$ref`s and applicators may nest at one place of the message before the walk
/// gives up on it (and calls it open); the bundles nest a few levels.
const MAX_SCHEMA_DEPTH: usize = 32;

struct Walk<'a> {
    bundle: &'a dyn Schemas,
    found: Vec<String>,
    open: Vec<(String, String)>,
}

/// The schemas that apply to one value; `open` when any member is known there (or when the
/// walk cannot tell).
#[derive(Default)]
struct Applied<'a> {
    schemas: Vec<&'a Value>,
    open: bool,
}

impl<'a> Walk<'a> {
    /// Walks `value`, which `schema` describes.
    fn value(&mut self, schema: &'a Value, value: &Value, path: &mut String) {
        let mut applied = Applied::default();
        self.gather(schema, value, &mut applied, 0);
        let open = applied.schemas.iter().find_map(|s| s.get(super::open::MARK)?.as_str());
        if let Some(name) = open {
            self.open.push((path.clone(), name.to_owned()));
        }
        match value {
            Value::Object(members) => self.members(&applied, members, path),
            Value::Array(items) => self.items(&applied, items, path),
            _ => {}
        }
    }

    /// Adds `schema` and every schema it applies to `value` in place.
    fn gather(&self, schema: &'a Value, value: &Value, applied: &mut Applied<'a>, depth: usize) {
        if schema == &Value::Bool(false) {
            return;
        }
        if !schema.is_object() || depth >= MAX_SCHEMA_DEPTH {
            applied.open = true;
            return;
        }
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            match self.bundle.resolve(target) {
                Some(target) => self.gather(target, value, applied, depth + 1),
                None => applied.open = true,
            }
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.gather(part, value, applied, depth + 1);
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(alternatives) = schema.get(keyword).and_then(Value::as_array) {
                self.alternatives(alternatives, value, applied, depth);
            }
        }
        if let Some(condition) = schema.get("if") {
            let branch = match self.bundle.fits(condition, value) {
                Some(true) => schema.get("then"),
                Some(false) => schema.get("else"),
                None => {
                    applied.open = true;
                    None
                }
            };
            if let Some(branch) = branch {
                self.gather(branch, value, applied, depth + 1);
            }
        }
        applied.schemas.push(schema);
    }

    /// Gathers the alternatives `value` fits: the one left when the others are ruled out,
    /// else each that its validator accepts.
    fn alternatives(
        &self,
        alternatives: &'a [Value],
        value: &Value,
        applied: &mut Applied<'a>,
        depth: usize,
    ) {
        let left: Vec<&'a Value> =
            alternatives.iter().filter(|a| !self.rules_out(a, value, depth)).collect();
        match left.as_slice() {
            [] => return applied.open = true,
            [only] => return self.gather(only, value, applied, depth + 1),
            _ => {}
        }
        for alternative in left {
            match self.bundle.fits(alternative, value) {
                Some(true) => self.gather(alternative, value, applied, depth + 1),
                Some(false) => {}
                None => applied.open = true,
            }
        }
    }

    /// Whether `value` certainly does not fit `schema`: its own type or constant is wrong,
    /// a required member is missing, a member's type or constant is wrong (a tag), or every
    /// alternative is ruled out. Never wrong when it says so.
    fn rules_out(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        if depth >= MAX_SCHEMA_DEPTH {
            return false;
        }
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let target = self.bundle.resolve(target);
            if target.is_some_and(|target| self.rules_out(target, value, depth + 1)) {
                return true;
            }
        }
        let all_ruled_out = |keyword: &str| {
            schema.get(keyword).and_then(Value::as_array).is_some_and(|alternatives| {
                alternatives.iter().all(|a| self.rules_out(a, value, depth + 1))
            })
        };
        if clashes(schema, value) || all_ruled_out("anyOf") || all_ruled_out("oneOf") {
            return true;
        }
        let Value::Object(members) = value else { return false };
        let required = schema.get("required").and_then(Value::as_array).into_iter().flatten();
        if required.filter_map(Value::as_str).any(|name| !members.contains_key(name)) {
            return true;
        }
        let properties = schema.get("properties").and_then(Value::as_object).into_iter().flatten();
        properties.filter_map(|(name, property)| Some((property, members.get(name)?))).any(
            |(property, member)| {
                let property = match property.get("$ref").and_then(Value::as_str) {
                    Some(target) => self.bundle.resolve(target).unwrap_or(property),
                    None => property,
                };
                clashes(property, member)
            },
        )
    }

    /// Walks each member of an object into the schema that names it, and reports the
    /// members no schema names (unless the object is open).
    fn members(&mut self, applied: &Applied<'a>, members: &Map<String, Value>, path: &mut String) {
        let described =
            applied.schemas.iter().any(|s| s.get("properties").is_some() || is_object_type(s));
        let extra = applied.schemas.iter().find_map(|schema| {
            schema.get("additionalProperties").filter(|extra| *extra != &Value::Bool(false))
        });
        let open = applied.open
            || applied.schemas.iter().any(|s| {
                s.get("patternProperties").is_some()
                    || s.get("unevaluatedProperties").is_some_and(|u| u != &Value::Bool(false))
            });
        for (name, member) in members {
            let len = path.len();
            push_member(path, name);
            let named =
                applied.schemas.iter().find_map(|schema| schema.get("properties")?.get(name));
            match named.or(extra) {
                Some(schema) => self.value(schema, member, path),
                None if described && !open => self.found.push(path.clone()),
                None => {}
            }
            path.truncate(len);
        }
    }

    /// Walks each item of an array into the `items` schema.
    fn items(&mut self, applied: &Applied<'a>, items: &[Value], path: &mut String) {
        let Some(schema) = applied.schemas.iter().find_map(|s| s.get("items")) else { return };
        for (index, item) in items.iter().enumerate() {
            let len = path.len();
            push_index(path, index);
            self.value(schema, item, path);
            path.truncate(len);
        }
    }
}

/// Whether `value` has one of the JSON types of a `type` keyword.
fn has_type(kinds: &Value, value: &Value) -> bool {
    let fits = |kind: &Value| match (kind.as_str(), value) {
        (Some("null"), Value::Null)
        | (Some("boolean"), Value::Bool(_))
        | (Some("string"), Value::String(_))
        | (Some("number"), Value::Number(_))
        | (Some("array"), Value::Array(_))
        | (Some("object"), Value::Object(_)) => true,
        (Some("integer"), Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        (Some(_), _) => false,
        (None, _) => true,
    };
    match kinds {
        Value::Array(kinds) => kinds.iter().any(fits),
        kind => fits(kind),
    }
}

/// Whether `value` certainly clashes with the keywords of `schema` itself: `type`, `const`,
/// `enum`, `not: {enum}`. Only strings, booleans and `null` are compared with constants:
/// `1` and `1.0` are the same to JSON Schema, not to `serde_json`.
fn clashes(schema: &Value, value: &Value) -> bool {
    let comparable = matches!(value, Value::String(_) | Value::Bool(_) | Value::Null);
    let listed = |list: Option<&Value>| list.and_then(Value::as_array).map(|l| l.contains(value));
    schema.get("type").is_some_and(|kinds| !has_type(kinds, value))
        || (comparable && schema.get("const").is_some_and(|constant| constant != value))
        || (comparable && listed(schema.get("enum")) == Some(false))
        || (comparable && listed(schema.get("not").and_then(|not| not.get("enum"))) == Some(true))
}

/// Whether a schema's `type` is or includes `object` (an object shape, closed when it names
/// no members: an empty struct).
fn is_object_type(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(kind)) => kind == "object",
        Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "object"),
        _ => false,
    }
}
