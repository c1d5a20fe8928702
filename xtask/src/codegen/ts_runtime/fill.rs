//! What the decoders fill in: a member the receiver may go without but the sender always
//! writes (`Turn.error`, written `null` when there is none) is read by the Rust decoder as its
//! default — `None` for an `Option`, the `#[serde(default)]` value otherwise — so the decoded
//! Rust value always has it. The TypeScript types of what a sender writes say the member is
//! there (`error: TurnError | null`), so the TypeScript decoder fills it in too: each object
//! schema of the decode contract gets `x-fill`, the members to fill and their values, from a
//! walk of the decode and the serialize contract side by side.

use std::collections::HashSet;

use serde_json::{Map, Value};

/// Annotates every decode definition that has a serialize twin of the same name.
pub fn annotate(defs: &mut Map<String, Value>, canonical: &Map<String, Value>) {
    for (name, schema) in defs.iter_mut() {
        if let Some(written) = canonical.get(name) {
            annotate_schema(schema, written);
        }
    }
}

/// Annotates `decode` (and what it holds) from `written`, the same place of the serialize
/// contract.
fn annotate_schema(decode: &mut Value, written: &Value) {
    let (Value::Object(decode), Value::Object(written)) = (decode, written) else { return };
    let fills = fills(decode, written);
    if !fills.is_empty() {
        decode.insert("x-fill".to_owned(), Value::Object(fills));
    }
    if let (Some(Value::Object(members)), Some(Value::Object(written_members))) =
        (decode.get_mut("properties"), written.get("properties"))
    {
        for (name, member) in members.iter_mut() {
            if let Some(written_member) = written_members.get(name) {
                annotate_schema(member, written_member);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let (Some(inner), Some(written_inner)) = (decode.get_mut(key), written.get(key)) {
            annotate_schema(inner, written_inner);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        let (Some(Value::Array(variants)), Some(Value::Array(written_variants))) =
            (decode.get_mut(key), written.get(key))
        else {
            continue;
        };
        // Variant by variant, where both list the same variants (a leniency may add some).
        if variants.len() == written_variants.len() {
            for (variant, written_variant) in variants.iter_mut().zip(written_variants) {
                annotate_schema(variant, written_variant);
            }
        }
    }
}

/// The members `written` requires that `decode` does not, with the value the Rust decoder
/// reads for each when it is left out. A member with neither a default nor `null` among its
/// values is left alone (the decoder would not accept it absent).
fn fills(decode: &Map<String, Value>, written: &Map<String, Value>) -> Map<String, Value> {
    let required = |schema: &Map<String, Value>| -> HashSet<String> {
        let names = schema.get("required").and_then(Value::as_array);
        names.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    let (always_written, always_read) = (required(written), required(decode));
    let Some(Value::Object(members)) = decode.get("properties") else { return Map::new() };
    let mut fills = Map::new();
    for name in always_written.difference(&always_read) {
        let Some(member) = members.get(name) else { continue };
        if let Some(default) = member.get("default") {
            fills.insert(name.clone(), default.clone());
        } else if allows_null(member) {
            fills.insert(name.clone(), Value::Null);
        }
    }
    fills
}

/// Whether a member's schema takes `null` (`Option<T>`: `type: [T, "null"]`, or a union
/// with a `null` variant).
fn allows_null(schema: &Value) -> bool {
    let is_null = |t: &Value| t == "null";
    match schema.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(types)) if types.iter().any(is_null) => return true,
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|key| {
        schema.get(key).and_then(Value::as_array).is_some_and(|variants| {
            variants.iter().any(|variant| variant.get("type").is_some_and(is_null))
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn members_always_written_but_optional_on_input_are_filled_with_their_default_or_null() {
        let mut defs = Map::new();
        defs.insert(
            "Turn".to_owned(),
            json!({
                "type": "object",
                "properties": {
                    "id": { "type": "string" },
                    "error": { "anyOf": [{ "$ref": "#/$defs/TurnError" }, { "type": "null" }] },
                    "note": { "type": ["string", "null"] },
                    "items": { "type": "array", "default": [] },
                    "hint": { "type": "string" },
                    "skipped": { "type": ["string", "null"] }
                },
                "required": ["id"]
            }),
        );
        let mut canonical = Map::new();
        canonical.insert(
            "Turn".to_owned(),
            json!({
                "type": "object",
                "properties": {},
                "required": ["id", "error", "note", "items", "hint"]
            }),
        );
        annotate(&mut defs, &canonical);
        // `hint` takes neither null nor a default: the decoder cannot have read it absent.
        // `skipped` is not always written: nothing to fill.
        assert_eq!(defs["Turn"]["x-fill"], json!({ "error": null, "note": null, "items": [] }));
    }
}
