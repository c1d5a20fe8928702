//! Render: `generated/openrpc.json`, an OpenRPC 1.3 document of every method.
//!
//! Client → server requests are plain OpenRPC methods. Notifications are methods without
//! `result`. Server → client requests and notifications carry `"x-direction":
//! "serverToClient"`. Deprecated methods and aliases, stability and API generation are
//! `deprecated` / `x-` fields. Schemas are the canonical encodings (how the sender of each
//! payload writes it), under `components.schemas`; a params member is `required` as the
//! receiver's decoder has it. `errors` lists what each request can be answered with (its
//! `message` says when), as API.md does.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use app_server_protocol::{Direction, MessageKind};

use super::collect::{Method, Payload, Surface};
use super::{OutputFiles, pretty_json};

/// The OpenRPC version the document follows.
pub const OPENRPC_VERSION: &str = "1.3.2";

/// Renders `openrpc.json` into `files`; returns the document too.
pub fn render(
    surface: &Surface,
    examples: &super::examples::Examples,
    files: &mut OutputFiles,
) -> Value {
    let methods: Vec<Value> =
        surface.methods.iter().map(|m| method(m, surface, examples)).collect();
    let schemas: Map<String, Value> = surface
        .canonical_defs
        .iter()
        .map(|(name, schema)| (name.clone(), rewrite_refs(schema)))
        .collect();
    let document = json!({
        "openrpc": OPENRPC_VERSION,
        "info": {
            "title": "App-server protocol",
            "version": app_server_protocol::VERSION,
            "description": "JSON-RPC 2.0 (without the `jsonrpc` member) over JSON Lines on stdio, between the coding agent's app server and its clients. Methods marked `x-direction: serverToClient` are sent by the server to the client; methods without `result` are notifications.",
        },
        "methods": methods,
        "components": { "schemas": schemas },
    });
    files.insert(PathBuf::from("openrpc.json"), pretty_json(&document));
    document
}

/// Points `#/$defs/X` references at `#/components/schemas/X`.
fn rewrite_refs(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let inner = match (key.as_str(), inner) {
                        ("$ref", Value::String(target)) => {
                            Value::String(target.replacen("#/$defs/", "#/components/schemas/", 1))
                        }
                        _ => rewrite_refs(inner),
                    };
                    (key.clone(), inner)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(rewrite_refs).collect()),
        other => other.clone(),
    }
}

fn summary(doc: &str) -> String {
    doc.trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn definition<'a>(surface: &'a Surface, payload: &Payload) -> Option<(&'a str, &'a Value)> {
    let name = payload.canonical_ref.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
    surface.canonical_defs.get_key_value(name).map(|(k, v)| (k.as_str(), v))
}

/// The params as OpenRPC content descriptors: one per member of the params object (by name).
/// A params type that is a union of object shapes is described whole, as one descriptor
/// named `params`. A member is `required` as the receiver's decoder has it: what a client
/// sends may leave out every member the server accepts absent.
fn params(surface: &Surface, payload: &Payload, direction: Direction) -> Vec<Value> {
    let whole = || {
        vec![
            json!({ "name": "params", "required": true, "schema": rewrite_refs(&payload.canonical_ref) }),
        ]
    };
    let Some((name, def)) = definition(surface, payload) else {
        return whole();
    };
    let Some(properties) =
        def.get("properties").and_then(Value::as_object).filter(|_| def.get("oneOf").is_none())
    else {
        return whole();
    };
    let received = surface.schema_defs.get(&direction).and_then(|defs| defs.get(name));
    let required: Vec<&str> = received
        .filter(|_| direction == Direction::ClientToServer)
        .unwrap_or(def)
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    properties
        .iter()
        .map(|(name, schema)| {
            let mut descriptor = json!({
                "name": name,
                "required": required.contains(&name.as_str()),
                "schema": rewrite_refs(schema),
            });
            if let Some(description) = schema.get("description") {
                descriptor["description"] = description.clone();
            }
            descriptor
        })
        .collect()
}

fn method(method: &Method, surface: &Surface, examples: &super::examples::Examples) -> Value {
    let meta = method.meta;
    // A method family is named by its pattern (`codex/event/{type}`) and says what fills it in.
    let mut description = super::method_doc(meta);
    if let Some(family) = super::family::description(meta) {
        description = format!("{description}\n\n{family}");
    }
    let mut entry = json!({
        "name": meta.display_name(),
        "summary": summary(&super::method_doc(meta)),
        "description": description,
        "paramStructure": "by-name",
        "params": method.params.as_ref().map(|p| params(surface, p, meta.params_direction())).unwrap_or_default(),
        "x-direction": match meta.direction { Direction::ClientToServer => "clientToServer", Direction::ServerToClient => "serverToClient" },
        "x-kind": match meta.kind { MessageKind::Request => "request", MessageKind::Notification => "notification" },
        "x-api": meta.api.as_str(),
        "x-stability": meta.stability.as_str(),
    });
    if let Some(result) = &method.result {
        entry["result"] =
            json!({ "name": result.ts_name, "schema": rewrite_refs(&result.canonical_ref) });
    }
    if let Some(payload) = &method.params {
        entry["x-params-type"] = json!(payload.ts_name);
    }
    if !meta.aliases.is_empty() {
        entry["x-deprecated-aliases"] = json!(meta.aliases);
    }
    if let Some(note) = super::deprecation(meta) {
        entry["deprecated"] = json!(true);
        entry["x-deprecation-note"] = json!(note);
    }
    let errors: Vec<Value> = super::errors::errors_of(method, &surface.canonical_defs)
        .into_iter()
        .map(|error| json!({ "code": error.code, "message": error.when }))
        .collect();
    if !errors.is_empty() {
        entry["errors"] = Value::Array(errors);
    }
    if let (Some(pattern), Some(path)) =
        (super::family::pattern(meta), super::family::suffix_path(meta))
    {
        entry["x-method-family"] =
            json!({ "prefix": meta.wire_name, "pattern": pattern, "suffixFrom": path });
    }
    let method_examples = examples.openrpc_examples(meta);
    if !method_examples.is_empty() {
        entry["examples"] = Value::Array(method_examples);
    }
    entry
}
