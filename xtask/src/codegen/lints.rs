//! Lints over the rendered output; any finding fails codegen with a message that says where
//! and what to do.
//!
//! - no `bigint` anywhere in the TypeScript (JSON never carries one);
//! - no snake_case key in a v2 type outside the explicit allow-list of change C13;
//! - no two types rendering to the same TypeScript file or schema name (`Foo2` duplicates);
//! - no v2 output type leaving an `Option` field out of `required` (the server sends every
//!   field of a v2 type, `null` when absent);
//! - no rustdoc link syntax (`` [`X`] ``, `[text](path::X)`) in any output: its readers are
//!   not rustdoc.

use serde_json::{Map, Value};

use super::OutputFiles;
use app_server_protocol::Direction;

use super::collect::Surface;

/// The v2 types allowed to keep snake_case keys (change C13), with the keys allowed.
/// `*` allows every key of the type: the config-file mirror keeps the file's spelling.
pub const SNAKE_CASE_ALLOWED: &[(&str, &[&str])] = &[
    // C4: `Config` mirrors the user's config file, whose keys are snake_case.
    ("v2.Config", &["*"]),
    ("v2.ConfigProfile", &["*"]),
    ("v2.SandboxWorkspaceWrite", &["*"]),
    ("v2.ToolsConfig", &["*"]),
    // C8: the inner key a known peer sends, accepted on input only (receive contract).
    ("v2.CommandExecutionApprovalDecision", &["execpolicy_amendment"]),
    // Baseline v2 already had it; renaming would break clients.
    ("v2.PatchChangeKind", &["move_path"]),
];

/// Runs every lint; returns the findings (empty when clean).
pub fn run(surface: &Surface, files: &OutputFiles) -> Vec<String> {
    let mut findings = bigint_findings(files);
    findings.extend(rustdoc_link_findings(files));
    findings.extend(surface.ts_collisions.iter().map(|c| format!("type name collision: {c}")));
    findings.extend(payload_name_collisions(surface));
    for (direction, defs) in &surface.schema_defs {
        findings.extend(schema_findings(defs, *direction == Direction::ServerToClient));
    }
    findings.sort();
    findings.dedup();
    findings
}

/// `methods.ts` imports every payload type by its bare name: two payload types of the same
/// name in different folders would clash there.
fn payload_name_collisions(surface: &Surface) -> Vec<String> {
    let mut paths: std::collections::BTreeMap<&str, std::collections::BTreeSet<&std::path::Path>> =
        Default::default();
    for payload in surface.methods.iter().flat_map(|m| m.params.iter().chain(&m.result)) {
        paths.entry(payload.ts_name.as_str()).or_default().insert(payload.ts_path.as_path());
    }
    paths
        .into_iter()
        .filter(|(_, found)| found.len() > 1)
        .map(|(name, found)| {
            let found: Vec<String> = found.iter().map(|p| format!("typescript/{}", p.display())).collect();
            format!("type name collision: payload type `{name}` is declared in {}; rename one (methods.ts imports payloads by name)", found.join(" and "))
        })
        .collect()
}

/// The schema lints over one bundle's definitions; `output` for what the server sends.
pub fn schema_findings(defs: &Map<String, Value>, output: bool) -> Vec<String> {
    let mut findings = Vec::new();
    numbered_duplicates(defs, &mut findings);
    for (name, schema) in defs.iter().filter(|(name, _)| name.starts_with("v2.")) {
        snake_case_keys(name, schema, &mut findings);
        if output {
            nullable_not_required(name, schema, &mut findings);
        }
    }
    findings
}

/// Every `bigint` in the TypeScript files, by file and line.
pub fn bigint_findings(files: &OutputFiles) -> Vec<String> {
    let mut findings = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "ts")) {
        for (number, line) in text.lines().enumerate() {
            if line.split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == "bigint") {
                findings.push(format!(
                    "generated/{}:{}: `bigint` in TypeScript (JSON.parse never produces one): render the integer as `number` (`#[ts(type = \"number\")]`)",
                    path.display(),
                    number + 1
                ));
            }
        }
    }
    findings
}

/// Every rustdoc link left in any output file, by file and line.
pub fn rustdoc_link_findings(files: &OutputFiles) -> Vec<String> {
    files
        .iter()
        .flat_map(|(path, text)| {
            super::rustdoc::leaks(text).into_iter().map(move |(line, link)| {
                format!(
                    "generated/{}:{line}: rustdoc link `{link}` in the output: docs must reach every renderer through `plain_docs`",
                    path.display()
                )
            })
        })
        .collect()
}

fn numbered_duplicates(defs: &Map<String, Value>, findings: &mut Vec<String>) {
    for name in defs.keys() {
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
        if base.len() < name.len() && defs.contains_key(base) {
            findings.push(format!(
                "type name collision: two types are named `{base}` (schemars numbered one `{name}`); namespace the v2 twin with `#[schemars(rename = \"v2.{base}\")]`"
            ));
        }
    }
}

/// Object schemas of a definition, without following `$ref`s into other definitions.
fn object_schemas<'a>(
    schema: &'a Value,
    path: String,
    out: &mut Vec<(String, &'a Map<String, Value>)>,
) {
    let Some(map) = schema.as_object() else { return };
    if map.contains_key("properties") {
        out.push((path.clone(), map));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(items) = map.get(key).and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                object_schemas(item, format!("{path}/{key}/{i}"), out);
            }
        }
    }
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        for (key, value) in properties {
            object_schemas(value, format!("{path}/properties/{key}"), out);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get(key) {
            object_schemas(inner, format!("{path}/{key}"), out);
        }
    }
}

fn snake_case_keys(name: &str, schema: &Value, findings: &mut Vec<String>) {
    let allowed =
        SNAKE_CASE_ALLOWED.iter().find(|(n, _)| *n == name).map(|(_, keys)| *keys).unwrap_or(&[]);
    if allowed.contains(&"*") {
        return;
    }
    let mut objects = Vec::new();
    object_schemas(schema, format!("#/$defs/{name}"), &mut objects);
    for (path, object) in objects {
        let Some(properties) = object.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for key in properties.keys() {
            if key.contains('_') && !allowed.contains(&key.as_str()) {
                findings.push(format!(
                    "{path}: snake_case key `{key}` in v2 type `{name}`: v2 fields are camelCase (change C13); only the keys listed in xtask/src/codegen/lints.rs SNAKE_CASE_ALLOWED may differ"
                ));
            }
        }
    }
}

fn allows_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(types)) if types.iter().any(|t| t == "null") => return true,
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|key| {
        schema
            .get(*key)
            .and_then(Value::as_array)
            .is_some_and(|items| items.iter().any(allows_null))
    })
}

fn nullable_not_required(name: &str, schema: &Value, findings: &mut Vec<String>) {
    let mut objects = Vec::new();
    object_schemas(schema, format!("#/$defs/{name}"), &mut objects);
    for (path, object) in objects {
        let Some(properties) = object.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (key, property) in properties {
            if allows_null(property) && !required.contains(&key.as_str()) {
                findings.push(format!(
                    "{path}: v2 output type `{name}` leaves nullable field `{key}` out of `required`: the server writes every v2 field (`null` when absent) — remove `skip_serializing_if` from it"
                ));
            }
        }
    }
}
