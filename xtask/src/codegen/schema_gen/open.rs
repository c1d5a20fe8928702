//! What the generator bundle says past lowering, so that generated code reads what real
//! servers send: open enums and unions (`x-open-enum`) stay open, a member a receiver may go
//! without is not required, and integer formats are the ones generators know.

use serde_json::{Map, Value, json};

/// Formats generators understand; any other on an integer (`uint32`, `uint`) is dropped (its
/// `minimum`/`maximum` stay), which datamodel-code-generator otherwise warns about.
const KNOWN_INTEGER_FORMATS: &[&str] = &["int32", "int64"];

/// Every open definition (`x-open-enum`) as `anyOf` of what this version knows
/// (`Known<Name>`) and what a newer version may send: any string for an enum, and for a union
/// of objects any object with a string tag (`Unknown<Name>`).
pub fn open_types(defs: &mut Map<String, Value>, errors: &mut Vec<String>) {
    let open: Vec<String> = defs
        .iter()
        .filter(|(_, d)| d.get("x-open-enum").and_then(Value::as_bool) == Some(true))
        .map(|(name, _)| name.clone())
        .collect();
    for name in open {
        let mut known = defs.remove(&name).unwrap_or_default();
        let object = known.as_object_mut().expect("a definition is an object");
        let description = object.remove("description").unwrap_or_else(|| json!(""));
        object.remove("x-open-enum");
        let mut any_of = vec![reference(&format!("Known{name}"))];
        let strings = object.contains_key("enum")
            || object.get("oneOf").and_then(Value::as_array).is_some_and(|list| {
                list.iter().any(|v| v.get("const").is_some_and(Value::is_string))
            });
        if strings {
            any_of
                .push(json!({ "type": "string", "description": "A value a newer version added." }));
        }
        if let Some(tag) = known.pointer("/discriminator/propertyName").and_then(Value::as_str) {
            let unknown = json!({
                "description": format!("A variant of `{name}` a newer version added: its `{tag}` and every other member as they came."),
                "type": "object",
                "properties": { tag: { "type": "string" } },
                "required": [tag],
                "additionalProperties": true,
            });
            insert(defs, format!("Unknown{name}"), unknown, errors);
            any_of.push(reference(&format!("Unknown{name}")));
        }
        if any_of.len() == 1 {
            errors.push(format!(
                "generator bundle: the open type `{name}` has no shape to stay open with"
            ));
        }
        known["description"] = json!(format!("The values of `{name}` this version knows."));
        insert(defs, format!("Known{name}"), known, errors);
        let open = json!({ "description": description, "anyOf": any_of, "x-open-enum": true });
        insert(defs, name, open, errors);
    }
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

fn insert(defs: &mut Map<String, Value>, name: String, schema: Value, errors: &mut Vec<String>) {
    if defs.insert(name.clone(), schema).is_some() {
        errors.push(format!("generator bundle: `{name}` names a type and an open type's part"));
    }
}

/// Leaves in `required` (of `sent`, the sender's schema) only the members the receiver's
/// schema (`read`) requires too, walking both side by side (members by name, union variants
/// by position when both list as many).
pub fn relax_required(sent: &mut Value, read: &Value) {
    let Some(object) = sent.as_object_mut() else { return };
    if object.contains_key("properties") {
        let wanted = read.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(Value::Array(required)) = object.get_mut("required") {
            required.retain(|member| wanted.contains(member));
            if required.is_empty() {
                object.remove("required");
            }
        }
    }
    if let (Some(Value::Object(properties)), Some(Value::Object(read_properties))) =
        (object.get_mut("properties"), read.get("properties"))
    {
        for (member, schema) in properties.iter_mut() {
            if let Some(read_schema) = read_properties.get(member) {
                relax_required(schema, read_schema);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let (Some(schema), Some(read_schema)) = (object.get_mut(key), read.get(key)) {
            relax_required(schema, read_schema);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let (Some(Value::Array(list)), Some(Value::Array(read_list))) =
            (object.get_mut(key), read.get(key))
            && list.len() == read_list.len()
        {
            for (schema, read_schema) in list.iter_mut().zip(read_list) {
                relax_required(schema, read_schema);
            }
        }
    }
}

/// Drops the integer formats generators do not know (see [`KNOWN_INTEGER_FORMATS`]).
pub fn known_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let integer = map.get("type").and_then(Value::as_str) == Some("integer")
                || map
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.iter().any(|t| t == "integer"));
            let unknown = map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| !KNOWN_INTEGER_FORMATS.contains(&f));
            if integer && unknown {
                map.remove("format");
            }
            map.values_mut().for_each(known_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(known_formats),
        _ => {}
    }
}
