//! Render: `generated/schema/generator.schema.json`, the bundle shaped for code generators
//! (issue 18 §2), beside the two contract bundles (which are for validation).
//!
//! The contract bundles say exactly what each receiver accepts; their shapes (`if`/`then`
//! dispatch, dotted names such as `v2.Thread`, inline variants) are what validators read
//! best and what generators such as datamodel-code-generator or quicktype cannot use. This
//! bundle describes every type once, as its sender writes it (the serialize contract), with:
//!
//! - flat names that are identifiers in common languages and unique: `v2.Thread` → `Thread`,
//!   `V2AskForApproval` where the v1 `AskForApproval` takes the plain name;
//! - every inline object, union and enum as a definition named after where it is
//!   (`ThreadItemAgentMessage`, `CodexErrorInfoHttpConnectionFailed`), enums as `enum`;
//! - tagged unions as `oneOf` of `$ref`s with `const` tags and a `discriminator` with a
//!   `mapping`, no `if`/`then`;
//! - one root per direction listing its messages (`ClientMessage`, `ServerMessage`), each
//!   request and notification a definition with its `method` as a `const`.

mod lower;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::PathBuf;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use super::OutputFiles;
use super::collect::Surface;
use super::schema::DRAFT_2020_12;
use lower::Lowered;

/// Where the bundle is written, under the output folder.
pub const FILE: &str = "schema/generator.schema.json";

/// Renders the generator bundle into `files`.
pub fn render(surface: &Surface, files: &mut OutputFiles) -> Result<(), String> {
    let bundle = bundle(surface)?;
    files.insert(PathBuf::from(FILE), super::pretty_json(&bundle));
    Ok(())
}

/// The bundle as a JSON value.
pub fn bundle(surface: &Surface) -> Result<Value, String> {
    let names = flat_names(&surface.canonical_defs)?;
    let mut lowered = Lowered::default();
    let mut defs = Map::new();
    for (name, schema) in &surface.canonical_defs {
        let mut schema = schema.clone();
        rename_refs(&mut schema, &names);
        let flat = names[name].clone();
        lowered.definition(&flat, &mut schema);
        defs.insert(flat, schema);
    }
    for (name, schema) in std::mem::take(&mut lowered.defs) {
        if defs.insert(name.clone(), schema).is_some() {
            lowered
                .errors
                .push(format!("generator bundle: `{name}` names a type and a part of another"));
        }
    }
    messages(surface, &names, &mut defs, &mut lowered.errors);
    if !lowered.errors.is_empty() {
        return Err(lowered.errors.join("\n"));
    }
    Ok(json!({
        "$schema": DRAFT_2020_12,
        "$id": format!("urn:app-server-protocol:{}:schema:generator", app_server_protocol::VERSION),
        "title": "AppServerMessage",
        "description": "Every message of the app-server protocol, for code generators: each type once, as its sender writes it, with flat unique names; tagged unions are `oneOf` with a `discriminator`. `ClientMessage` is what a client sends, `ServerMessage` what the server sends. For validating what a peer sent, use server-receives.schema.json / server-sends.schema.json instead.",
        "anyOf": [{ "$ref": "#/$defs/ClientMessage" }, { "$ref": "#/$defs/ServerMessage" }],
        "$defs": defs,
    }))
}

/// Flat names: `v2.` dropped, or replaced by `V2` where the plain name is a root type's.
fn flat_names(defs: &Map<String, Value>) -> Result<BTreeMap<String, String>, String> {
    let mut names = BTreeMap::new();
    for name in defs.keys() {
        let flat = match name.strip_prefix("v2.") {
            Some(rest) if defs.contains_key(rest) => format!("V2{rest}"),
            Some(rest) => rest.to_owned(),
            None => name.clone(),
        };
        // A generic instance (`Result_of_CallToolResult_or_string`): its words joined.
        let flat = if flat.contains('_') { lower::pascal(&flat) } else { flat };
        if !flat.chars().all(|c| c.is_ascii_alphanumeric())
            || !flat.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return Err(format!("generator bundle: `{name}` gives no identifier (`{flat}`)"));
        }
        names.insert(name.clone(), flat);
    }
    Ok(names)
}

fn rename_refs(value: &mut Value, names: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref"
                    && let Some(target) = child.as_str().and_then(|r| r.strip_prefix("#/$defs/"))
                    && let Some(flat) = names.get(target)
                {
                    *child = json!(format!("#/$defs/{flat}"));
                } else {
                    rename_refs(child, names);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename_refs(item, names)),
        _ => {}
    }
}

fn flat_ref(schema_ref: &Value, names: &BTreeMap<String, String>) -> Value {
    let mut value = schema_ref.clone();
    rename_refs(&mut value, names);
    value
}

/// The message definitions of both directions and their roots.
fn messages(
    surface: &Surface,
    names: &BTreeMap<String, String>,
    defs: &mut Map<String, Value>,
    errors: &mut Vec<String>,
) {
    let mut insert = |defs: &mut Map<String, Value>, name: String, schema: Value| {
        if defs.insert(name.clone(), schema).is_some() {
            errors.push(format!("generator bundle: the message `{name}` has the name of a type"));
        }
    };
    for (side, sender) in
        [("Client", Direction::ClientToServer), ("Server", Direction::ServerToClient)]
    {
        for (kind, group) in
            [(MessageKind::Request, "Request"), (MessageKind::Notification, "Notification")]
        {
            let mut refs = Vec::new();
            let mut mapping = Map::new();
            for method in
                surface.methods.iter().filter(|m| m.meta.direction == sender && m.meta.kind == kind)
            {
                let name = format!("{side}{group}{}", method.meta.variant);
                let mut properties = Map::new();
                let mut required = vec![json!("method")];
                if kind == MessageKind::Request {
                    properties.insert("id".to_owned(), json!({ "$ref": "#/$defs/RequestId" }));
                    required.insert(0, json!("id"));
                }
                properties.insert(
                    "method".to_owned(),
                    json!({ "type": "string", "const": method.meta.wire_name }),
                );
                if let Some(params) = &method.params {
                    properties.insert("params".to_owned(), flat_ref(&params.canonical_ref, names));
                    required.push(json!("params"));
                }
                let mut entry = json!({
                    "description": super::method_doc(method.meta),
                    "type": "object",
                    "properties": properties,
                    "required": required,
                });
                if let Some(note) = super::deprecation(method.meta) {
                    entry["deprecated"] = json!(true);
                    entry["description"] =
                        json!(format!("{}\n\nDeprecated: {note}", super::method_doc(method.meta)));
                }
                mapping.insert(method.meta.wire_name.to_owned(), json!(format!("#/$defs/{name}")));
                refs.push(json!({ "$ref": format!("#/$defs/{name}") }));
                insert(defs, name, entry);
            }
            let description = format!(
                "Every {} a {} sends; `method` selects the shape.",
                group.to_lowercase(),
                side.to_lowercase()
            );
            insert(
                defs,
                format!("{side}{group}"),
                json!({
                    "description": description,
                    "oneOf": refs,
                    "discriminator": { "propertyName": "method", "mapping": mapping },
                }),
            );
        }
        let answered = sender.reverse();
        let results: Vec<Value> = surface
            .methods
            .iter()
            .filter(|m| m.meta.direction == answered && m.meta.kind == MessageKind::Request)
            .filter_map(|m| m.result.as_ref().map(|r| flat_ref(&r.canonical_ref, names)))
            .collect();
        insert(
            defs,
            format!("{side}Response"),
            json!({
                "description": format!("The successful answer a {} sends to a request; the result's type is the answered method's.", side.to_lowercase()),
                "type": "object",
                "properties": { "id": { "$ref": "#/$defs/RequestId" }, "result": { "anyOf": results } },
                "required": ["id", "result"],
            }),
        );
        insert(
            defs,
            format!("{side}Message"),
            json!({
                "description": format!("One JSON-RPC message a {} sends.", side.to_lowercase()),
                "anyOf": [
                    { "$ref": format!("#/$defs/{side}Request") },
                    { "$ref": format!("#/$defs/{side}Notification") },
                    { "$ref": format!("#/$defs/{side}Response") },
                    { "$ref": "#/$defs/ErrorResponse" },
                ],
            }),
        );
    }
    insert(
        defs,
        "ErrorResponse".to_owned(),
        json!({
            "description": "The failed answer to a request.",
            "type": "object",
            "properties": { "id": { "$ref": "#/$defs/RequestId" }, "error": { "$ref": "#/$defs/JsonRpcError" } },
            "required": ["id", "error"],
        }),
    );
    insert(
        defs,
        "JsonRpcError".to_owned(),
        json!({
            "description": "The `error` member of an error response.",
            "type": "object",
            "properties": {
                "code": { "type": "integer", "description": "The JSON-RPC error code, e.g. -32602 for invalid params." },
                "message": { "type": "string", "description": "A human-readable description of the error." },
                "data": { "description": "Structured detail defined by the method; omitted when there is none." },
            },
            "required": ["code", "message"],
        }),
    );
}
