//! Lowering one definition into the shapes code generators handle: every inline object,
//! union and enum becomes a definition of its own with a name derived from where it is
//! (`<Parent><Member>`, `<Union><Tag>`), an enum of strings is an `enum`, a tagged union is a
//! `oneOf` of `$ref`s with a `discriminator` that has a `mapping`.

use serde_json::{Map, Value, json};

/// The definitions lowering produced, and what went wrong.
#[derive(Default)]
pub struct Lowered {
    /// New definitions, by name.
    pub defs: Map<String, Value>,
    /// Names wanted twice, unsupported shapes.
    pub errors: Vec<String>,
}

/// PascalCase of a member name or tag value.
pub fn pascal(text: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

fn nested(parent: &str, member: &str) -> String {
    let member = pascal(member);
    if parent.ends_with(&member) { format!("{parent}Body") } else { format!("{parent}{member}") }
}

fn union_list(schema: &Value) -> Option<&'static str> {
    ["oneOf", "anyOf"].into_iter().find(|k| schema.get(*k).is_some_and(Value::is_array))
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

/// `anyOf: [X, {type: null}]`: an optional value, not a union to name.
fn nullable_inner(schema: &Value) -> Option<usize> {
    let list = schema.get("anyOf")?.as_array()?;
    match list.as_slice() {
        [a, b] if is_null(b) && !is_null(a) => Some(0),
        [a, b] if is_null(a) && !is_null(b) => Some(1),
        _ => None,
    }
}

fn string_const(schema: &Value) -> Option<&Value> {
    schema.get("const").filter(|c| c.is_string() && schema.get("properties").is_none())
}

/// Whether an inline schema gets a definition of its own.
fn hoisted(schema: &Value) -> bool {
    schema.get("properties").is_some()
        || (union_list(schema).is_some() && nullable_inner(schema).is_none())
}

impl Lowered {
    /// Lowers a definition in place (it keeps its name).
    pub fn definition(&mut self, name: &str, schema: &mut Value) {
        self.lower(name, schema);
    }

    fn add(&mut self, name: String, schema: Value) -> Value {
        if self.defs.contains_key(&name) {
            self.errors.push(format!("generator bundle: `{name}` is wanted twice"));
        }
        self.defs.insert(name.clone(), schema);
        json!({ "$ref": format!("#/$defs/{name}") })
    }

    /// Replaces an inline schema by a `$ref` to a new definition named `name` when it is an
    /// object, a union or an enum; lowers it in place otherwise.
    fn child(&mut self, name: String, schema: &mut Value) {
        if hoisted(schema) && schema.get("$ref").is_none() {
            let mut own = std::mem::take(schema);
            let description = own.get("description").cloned();
            self.lower(&name, &mut own);
            *schema = self.add(name, own);
            if let Some(description) = description {
                schema["description"] = description;
            }
        } else {
            self.lower(&name, schema);
        }
    }

    fn lower(&mut self, name: &str, schema: &mut Value) {
        if let Some(index) = nullable_inner(schema) {
            if let Some(inner) = schema.pointer_mut(&format!("/anyOf/{index}")) {
                self.child(name.to_owned(), inner);
            }
            return;
        }
        if let Some(key) = union_list(schema) {
            self.union(name, schema, key);
            return;
        }
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            for (member, value) in properties.iter_mut() {
                self.child(nested(name, member), value);
            }
        }
        if let Some(items) = schema.get_mut("items").filter(|i| i.is_object()) {
            self.child(format!("{name}Item"), items);
        }
        if let Some(values) = schema.get_mut("additionalProperties").filter(|v| v.is_object()) {
            self.child(format!("{name}Value"), values);
        }
    }

    fn union(&mut self, name: &str, schema: &mut Value, key: &str) {
        let list = schema[key].as_array_mut().expect("checked");
        if !list.is_empty() && list.iter().all(|v| string_const(v).is_some()) {
            let values: Vec<Value> = list.iter().filter_map(string_const).cloned().collect();
            schema.as_object_mut().expect("an object").remove(key);
            schema["type"] = json!("string");
            schema["enum"] = Value::Array(values);
            return;
        }
        let tag = tag_of(list);
        let mut mapping = Map::new();
        for variant in list.iter_mut() {
            if string_const(variant).is_some()
                || (variant.get("$ref").is_some() && variant.get("properties").is_none())
            {
                continue;
            }
            let variant_name = match (&tag, variant.get("properties").and_then(Value::as_object)) {
                (Some(tag), Some(p)) => {
                    format!("{name}{}", pascal(p[tag]["const"].as_str().unwrap_or_default()))
                }
                (None, Some(_)) => {
                    let first =
                        variant.pointer("/required/0").and_then(Value::as_str).unwrap_or_default();
                    format!("{name}{}", pascal(first))
                }
                _ => {
                    self.lower(name, variant);
                    continue;
                }
            };
            let mut own = std::mem::take(variant);
            if let Some(target) = own.as_object_mut().and_then(|o| o.remove("$ref")) {
                // A tagged newtype variant: the wrapped struct plus the tag.
                let description = own.as_object_mut().and_then(|o| o.remove("description"));
                own = json!({ "allOf": [{ "$ref": target }, own] });
                if let Some(description) = description {
                    own["description"] = description;
                }
            }
            self.lower(&variant_name, &mut own);
            if let Some(value) = tag.as_deref().and_then(|tag| tag_value(&own, tag)) {
                mapping.insert(value, json!(format!("#/$defs/{variant_name}")));
            }
            *variant = self.add(variant_name, own);
        }
        if let Some(tag) = tag {
            if key == "anyOf" {
                let list = schema.as_object_mut().expect("an object").remove("anyOf");
                schema["oneOf"] = list.unwrap_or_default();
            }
            schema["discriminator"] = json!({ "propertyName": tag, "mapping": mapping });
        }
    }
}

fn tag_value(variant: &Value, tag: &str) -> Option<String> {
    let direct = variant.pointer(&format!("/properties/{tag}/const"));
    let inherited = variant.pointer(&format!("/allOf/1/properties/{tag}/const"));
    direct.or(inherited).and_then(Value::as_str).map(str::to_owned)
}

/// The member every variant carries with a constant string value (`type`), when every variant
/// is an object.
fn tag_of(list: &[Value]) -> Option<String> {
    let first = list.first()?.get("properties")?.as_object()?;
    let all = |key: &str| {
        list.iter().all(|variant| {
            variant.pointer(&format!("/properties/{key}/const")).is_some_and(Value::is_string)
                && variant
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|m| m == key))
        })
    };
    first.keys().filter(|k| all(k)).min_by_key(|k| *k != "type").cloned()
}
