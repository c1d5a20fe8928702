//! JSON Schema definitions → Python declarations: a pydantic class per object type (and per
//! variant of a union), a type alias per union, enum and named scalar.
//!
//! Two schemas of every type are walked side by side: the deserialize contract (what a
//! receiver accepts: required members, defaults, which shapes) and the serialize contract (what
//! the sender writes: a member it may skip is left out when `None`, every other one is written,
//! `null` when absent).

use crate::codegen::naming;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::names;

/// When a rule a Rust type states in code runs (see `leniency.rs`, which attaches them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// On the input, before the model validates it (`__wire_before__`).
    Before,
    /// On the written JSON object, after the model serialized it (`__wire_after__`).
    After,
}

/// One Python module's declarations.
#[derive(Debug, Default)]
pub struct Module {
    /// Classes in an order where a base class comes before its subclasses.
    pub classes: Vec<Class>,
    /// Type aliases (unions, enums, named scalars), by name.
    pub aliases: BTreeMap<String, Alias>,
}

/// A pydantic model class.
#[derive(Debug)]
pub struct Class {
    /// The class name.
    pub name: String,
    /// Its base: `WireModel`, or the class a tagged variant extends.
    pub base: String,
    /// The class docstring.
    pub doc: String,
    /// `extra` of the model config when not the default (`"allow"`, `"forbid"`).
    pub extra: Option<&'static str>,
    /// Its members, in the schema's order.
    pub fields: Vec<Field>,
    /// The members the encoder leaves out when they hold one of some values: wire name →
    /// Python tuple of those values (`(None, [])`).
    pub omit: BTreeMap<String, String>,
    /// Rules the Rust type states in code (see `leniency.rs`).
    pub hooks: Vec<(Hook, &'static str)>,
}

/// A member of a class.
#[derive(Debug)]
pub struct Field {
    /// The attribute name.
    pub attr: String,
    /// The wire name.
    pub wire: String,
    /// The annotation.
    pub annotation: String,
    /// The default as Python source (`None`, `False`, `default_factory=list`), when optional.
    pub default: Option<String>,
    /// The member's docstring.
    pub doc: String,
    /// Read on input, never written (not in the serialize contract).
    pub exclude: bool,
}

/// A type alias.
#[derive(Debug)]
pub struct Alias {
    /// The aliased type expression.
    pub expr: String,
    /// Its docstring.
    pub doc: String,
    /// Other aliases of the same module it names (it must come after them).
    pub uses: BTreeSet<String>,
}

/// Builds the modules (`types`, `v2`) from the definitions of both contracts (the rules of
/// `leniency.rs` are attached after).
pub fn build(
    decode: &Map<String, Value>,
    encode: &Map<String, Value>,
) -> Result<BTreeMap<&'static str, Module>, String> {
    let mut builder = Builder { modules: BTreeMap::new(), errors: Vec::new(), module: "types" };
    for (name, schema) in decode {
        let (module, local) = names::split_def(name);
        builder.module = module;
        builder.definition(local, schema, encode.get(name));
    }
    if !builder.errors.is_empty() {
        return Err(format!("python: {}", builder.errors.join("\n  ")));
    }
    for module in builder.modules.values_mut() {
        module.classes = bases_first(std::mem::take(&mut module.classes));
    }
    check_unique(&builder.modules)?;
    Ok(builder.modules)
}

/// The runtime's base of the class that keeps an unknown variant of an open union whole.
pub(super) const UNKNOWN_VARIANT: &str = "UnknownVariant";

pub(super) struct Builder {
    pub(super) modules: BTreeMap<&'static str, Module>,
    pub(super) errors: Vec<String>,
    pub(super) module: &'static str,
}

pub(super) fn doc_of(schema: &Value) -> String {
    schema.get("description").and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn variants(schema: &Value) -> Option<(&Vec<Value>, bool)> {
    if let Some(list) = schema.get("oneOf").and_then(Value::as_array) {
        return Some((list, true));
    }
    schema.get("anyOf").and_then(Value::as_array).map(|list| (list, false))
}

fn is_object(schema: &Value) -> bool {
    schema.get("properties").is_some()
        || (schema.get("type").and_then(Value::as_str) == Some("object")
            && schema.get("additionalProperties").is_none_or(Value::is_boolean))
}

impl Builder {
    pub(super) fn module(&mut self) -> &mut Module {
        self.modules.entry(self.module).or_default()
    }

    fn definition(&mut self, name: &str, schema: &Value, encode: Option<&Value>) {
        if is_object(schema) && variants(schema).is_none() {
            self.class(name, "WireModel", schema, encode);
            return;
        }
        let mut uses = BTreeSet::new();
        let expr = self.expr(schema, encode, name, &mut uses);
        let alias = Alias { expr, doc: doc_of(schema), uses };
        self.module().aliases.insert(name.to_owned(), alias);
    }

    /// A class for an object schema; returns its name.
    pub(super) fn class(
        &mut self,
        name: &str,
        base: &str,
        schema: &Value,
        encode: Option<&Value>,
    ) -> String {
        let properties = schema.get("properties").and_then(Value::as_object);
        let required = string_set(schema.get("required"));
        let written = string_set(encode.and_then(|e| e.get("required")));
        let encoded_props = encode.and_then(|e| e.get("properties"));
        let mut fields = Vec::new();
        let mut omit = BTreeMap::new();
        for (wire, member) in declaration_order(properties, schema, encode) {
            let member_encode = encoded_props.and_then(|p| p.get(wire));
            let hint = nested_name(name, wire);
            let mut uses = BTreeSet::new();
            let mut annotation = self.expr(member, member_encode, &hint, &mut uses);
            let default = if required.contains(wire) {
                None
            } else {
                Some(default_of(member, &mut annotation))
            };
            let exclude = encoded_props.is_some_and(|p| p.get(wire).is_none());
            if encode.is_some() && !written.contains(wire) && !exclude {
                let skipped = skipped_values(default.as_deref(), &annotation, member_encode);
                omit.insert(wire.clone(), skipped);
            }
            let attr = names::attribute(wire);
            let doc = doc_of(member);
            fields.push(Field { attr, wire: wire.clone(), annotation, default, doc, exclude });
        }
        let extra = match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => Some("allow"),
            Some(Value::Bool(false)) => Some("forbid"),
            _ => None,
        };
        let class = Class {
            name: name.to_owned(),
            base: base.to_owned(),
            doc: doc_of(schema),
            extra,
            fields,
            omit,
            hooks: Vec::new(),
        };
        self.module().classes.push(class);
        name.to_owned()
    }

    /// The type expression of a schema, declaring the classes it needs (named from `hint`).
    pub(super) fn expr(
        &mut self,
        schema: &Value,
        encode: Option<&Value>,
        hint: &str,
        uses: &mut BTreeSet<String>,
    ) -> String {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.reference(reference, uses);
        }
        if let Some((list, one_of)) = variants(schema) {
            return self.union(schema, list, one_of, encode, hint, uses);
        }
        if let Some(Value::Array(types)) = schema.get("type") {
            let mut inner = schema.clone();
            let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
            inner["type"] = match non_null.as_slice() {
                [one] => (*one).clone(),
                _ => Value::Array(non_null.into_iter().cloned().collect()),
            };
            let expr = self.expr(&inner, encode, hint, uses);
            return if types.iter().any(|t| t == "null") { format!("{expr} | None") } else { expr };
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => string_expr(schema),
            Some("integer") => integer_expr(schema),
            Some("number") => "float".to_owned(),
            Some("boolean") => "bool".to_owned(),
            Some("null") => "None".to_owned(),
            Some("array") => {
                let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                let item_encode = encode.and_then(|e| e.get("items"));
                format!("list[{}]", self.expr(&items, item_encode, &format!("{hint}Item"), uses))
            }
            Some("object") if schema.get("properties").is_some() => {
                self.class(hint, "WireModel", schema, encode)
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(values) if values.is_object() => {
                    let value_encode = encode.and_then(|e| e.get("additionalProperties"));
                    format!("dict[str, {}]", self.expr(values, value_encode, hint, uses))
                }
                _ => "dict[str, JsonValue]".to_owned(),
            },
            _ => "JsonValue".to_owned(),
        }
    }

    pub(super) fn reference(&mut self, reference: &str, uses: &mut BTreeSet<String>) -> String {
        let Some(target) = reference.strip_prefix("#/$defs/") else {
            self.errors.push(format!("unsupported $ref `{reference}`"));
            return "JsonValue".to_owned();
        };
        let (module, local) = names::split_def(target);
        if module == self.module {
            uses.insert(local.to_owned());
            return local.to_owned();
        }
        if module == "v2" {
            self.errors.push(format!("`{target}` is named from the root module"));
        }
        format!("_root.{local}")
    }
}

/// The members in the order the Rust struct declares them, as far as the schemas tell (their
/// `properties` are sorted by name; their `required` lists keep the declaration order): the
/// members the encoder always writes, then those the decoder requires, then the rest by name.
/// The Rust decoder reports the first missing member in that order, and so does pydantic.
fn declaration_order<'a>(
    properties: Option<&'a Map<String, Value>>,
    schema: &Value,
    encode: Option<&Value>,
) -> Vec<(&'a String, &'a Value)> {
    let position = |list: Option<&Value>, wire: &str| {
        list.and_then(Value::as_array)
            .and_then(|l| l.iter().position(|m| m == wire))
            .unwrap_or(usize::MAX)
    };
    let mut members: Vec<(&String, &Value)> = properties.into_iter().flatten().collect();
    members.sort_by_key(|(wire, _)| {
        let written = position(encode.and_then(|e| e.get("required")), wire);
        (written, position(schema.get("required"), wire), (*wire).clone())
    });
    members
}

/// The values of a member the encoder may skip that it leaves out, as a Python tuple: `None`,
/// an empty list or map (serde's `is_empty`), and the member's default.
fn skipped_values(default: Option<&str>, annotation: &str, encode: Option<&Value>) -> String {
    let mut values = vec!["None".to_owned()];
    // What the sender writes as an `Option` (its schema allows `null`) is skipped when absent
    // only (`Option::is_none`): `Some(vec![])` is written `[]`.
    let container = |prefix: &str| annotation.starts_with(prefix) && !encode.is_some_and(nullable);
    if container("list[") || default == Some("default_factory=list") {
        values.push("[]".to_owned());
    }
    if container("dict[") || default == Some("default_factory=dict") {
        values.push("{}".to_owned());
    }
    if let Some(value) = default.filter(|d| !d.starts_with("default_factory") && *d != "None") {
        values.push(value.to_owned());
    }
    format!("({},)", values.join(", "))
}

/// Whether a schema admits `null` (an `Option` of its sender's).
fn nullable(schema: &Value) -> bool {
    let null = |t: &Value| t.as_str() == Some("null");
    match schema.get("type") {
        Some(Value::Array(types)) if types.iter().any(null) => return true,
        Some(t) if null(t) => return true,
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|keyword| {
        schema.get(*keyword).and_then(Value::as_array).is_some_and(|v| v.iter().any(nullable))
    })
}

/// The name of the class of an anonymous object inside `class`'s member `wire`:
/// `<Class><Member>`, or `<Class>Body` when the class is already named after the member (the
/// one member of an externally tagged variant).
fn nested_name(class: &str, wire: &str) -> String {
    let member = naming::pascal(wire);
    if class.ends_with(&member) { format!("{class}Body") } else { format!("{class}{member}") }
}

fn string_set(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The default of an optional member as Python source; makes the annotation nullable when the
/// default is `None`.
fn default_of(member: &Value, annotation: &mut String) -> String {
    match member.get("default") {
        Some(Value::Array(items)) if items.is_empty() => "default_factory=list".to_owned(),
        Some(Value::Object(map)) if map.is_empty() => "default_factory=dict".to_owned(),
        Some(value @ (Value::Array(_) | Value::Object(_))) => {
            format!("default_factory=lambda: {}", names::literal(value))
        }
        Some(value) if !value.is_null() => names::literal(value),
        _ => {
            if !annotation.ends_with("| None") && annotation != "JsonValue" {
                annotation.push_str(" | None");
            }
            "None".to_owned()
        }
    }
}

fn string_expr(schema: &Value) -> String {
    if let Some(value) = schema.get("const") {
        return format!("Literal[{}]", names::literal(value));
    }
    let mut metadata = Vec::new();
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        metadata.push(format!("StringConstraints(pattern={})", names::string(pattern)));
    }
    if schema.get("format").and_then(Value::as_str) == Some("uuid") {
        metadata.push("AfterValidator(lower_case)".to_owned());
    }
    if metadata.is_empty() {
        "str".to_owned()
    } else {
        format!("Annotated[str, {}]", metadata.join(", "))
    }
}

fn integer_expr(schema: &Value) -> String {
    let bound = |key: &str| schema.get(key).and_then(Value::as_number).map(ToString::to_string);
    match (bound("minimum"), bound("maximum")) {
        (None, None) => "int".to_owned(),
        (min, max) => {
            let mut args = Vec::new();
            args.extend(min.map(|m| format!("ge={m}")));
            args.extend(max.map(|m| format!("le={m}")));
            format!("Annotated[int, Field({})]", args.join(", "))
        }
    }
}

/// Orders classes so that a base class comes before the classes that extend it.
fn bases_first(classes: Vec<Class>) -> Vec<Class> {
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut pending = classes;
    let mut ordered = Vec::new();
    while !pending.is_empty() {
        let (ready, rest): (Vec<Class>, Vec<Class>) = pending.into_iter().partition(|c| {
            c.base.contains('.')
                || c.base == "WireModel"
                || c.base == UNKNOWN_VARIANT
                || done.contains(&c.base)
        });
        if ready.is_empty() {
            ordered.extend(rest);
            break;
        }
        done.extend(ready.iter().map(|c| c.name.clone()));
        ordered.extend(ready);
        pending = rest;
    }
    ordered
}

/// Every name of a module is declared once.
fn check_unique(modules: &BTreeMap<&'static str, Module>) -> Result<(), String> {
    let mut findings = Vec::new();
    for (module, declarations) in modules {
        let mut seen = BTreeSet::new();
        let names = declarations.classes.iter().map(|c| &c.name).chain(declarations.aliases.keys());
        for name in names {
            if !seen.insert(name) {
                findings.push(format!("`{module}.{name}` is declared twice"));
            }
        }
        for class in &declarations.classes {
            let mut attrs = BTreeSet::new();
            for field in &class.fields {
                if !attrs.insert(&field.attr) {
                    findings.push(format!(
                        "`{module}.{}.{}` names two members",
                        class.name, field.attr
                    ));
                }
            }
        }
    }
    if findings.is_empty() { Ok(()) } else { Err(format!("python: {}", findings.join("; "))) }
}
