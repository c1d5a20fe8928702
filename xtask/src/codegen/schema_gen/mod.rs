//! Render: `generated/schema/generator.schema.json`, the bundle shaped for code generators
//! (quicktype, datamodel-code-generator), beside the two contract bundles (which are for validation).
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
//!   request and notification a definition with its `method` as a `const`;
//! - a response definition per method (`ServerResponseThreadStart`): an answer carries no
//!   method, so its receiver picks the definition by the method of the request it sent — no
//!   union of every result type through which one result would absorb another's data;
//! - the receiver's `required` (a member a receiver may go without is not required), open enums
//!   and unions (`x-open-enum`) open, only integer formats generators know (`open.rs`).

mod lower;
mod messages;
mod open;
#[cfg(test)]
mod tests;

use crate::codegen::naming;
use std::collections::BTreeMap;
use std::path::PathBuf;

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
        if let Some(read) = surface.decode_defs.get(name) {
            open::relax_required(&mut schema, read);
        }
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
    messages::add(surface, &names, &mut defs, &mut lowered.errors);
    open::open_types(&mut defs, &mut lowered.errors);
    for schema in defs.values_mut() {
        open::known_formats(schema);
    }
    if !lowered.errors.is_empty() {
        return Err(lowered.errors.join("\n"));
    }
    Ok(json!({
        "$schema": DRAFT_2020_12,
        "$id": format!("urn:app-server-protocol:{}:schema:generator", app_server_protocol::VERSION),
        "title": "AppServerMessage",
        "description": "Every message of the app-server protocol, for code generators: each type once, as its sender writes it (members its receiver may go without not required), with flat unique names; tagged unions are `oneOf` with a `discriminator`; open enums and unions (`x-open-enum`) also take what a newer version adds. `ClientMessage` is what a client sends, `ServerMessage` what the server sends; an answer's result is typed by the answered method's response definition (`ServerResponseThreadStart`, `ClientResponseCommandExecutionRequestApproval`). For validating what a peer sent, use server-receives.schema.json / server-sends.schema.json instead.",
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
        let flat = if flat.contains('_') { naming::pascal(&flat) } else { flat };
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

pub(super) fn flat_ref(schema_ref: &Value, names: &BTreeMap<String, String>) -> Value {
    let mut value = schema_ref.clone();
    rename_refs(&mut value, names);
    value
}
