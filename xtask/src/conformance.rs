//! Conformance with the published 0.63.0 baseline (`spec/baseline-0.63.0/schema.json`): every
//! baseline type that CHANGES.md does not touch must have the same keys, the same required
//! keys, the same enum values and the same union tags in our schema (deserialize contract, the
//! contract the baseline was published with). v1 and core types compare with ours of the same
//! name; baseline v2 types with our `v2.` types.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

/// Baseline types CHANGES.md changes on purpose, with the item that changes them.
pub const CHANGED_ON_PURPOSE: &[(&str, &str)] = &[
    ("v2.CancelLoginAccountResponse", "C1: `{ status }`"),
    ("v2.Turn", "C10: `status` is a plain string, `error` always present"),
    ("v2.ErrorNotification", "C7/C12: `willRetry`, `threadId`, `turnId`"),
    ("v2.ItemStartedNotification", "C12: `threadId`, `turnId`"),
    ("v2.ItemCompletedNotification", "C12: `threadId`, `turnId`"),
    ("v2.TurnStartedNotification", "C12: `threadId`"),
    ("v2.TurnCompletedNotification", "C12: `threadId`"),
    (
        "v2.CommandExecutionRequestApprovalParams",
        "C8: `proposedExecpolicyAmendment`, `command`, `cwd`",
    ),
    (
        "v2.CommandExecutionRequestApprovalResponse",
        "C8: `{ decision }` replaces decision + acceptSettings",
    ),
    ("v2.FileChangeRequestApprovalResponse", "C8: `decision` is FileChangeApprovalDecision"),
    (
        "ApprovalDecision",
        "C8: replaced by CommandExecutionApprovalDecision / FileChangeApprovalDecision",
    ),
    ("CommandExecutionRequestAcceptSettings", "C8: folded into the decision"),
];

/// Baseline types whose published schema does not describe their own wire (wire-notes.md §4):
/// ours describes the wire, so their schemas differ while the JSON is the same.
pub const BASELINE_SCHEMA_NOT_ITS_WIRE: &[(&str, &str)] = &[(
    "FunctionCallOutputPayload",
    "wire-notes §4: a string or an array of content items on the wire; the baseline schema shows the Rust struct",
)];

/// The baseline's message-level and envelope definitions: not types of ours (the method
/// table and the codec stand for them; `tests/method_table.rs` checks the table).
const ENVELOPE: &[&str] = &[
    "ClientRequest",
    "ServerRequest",
    "ServerNotification",
    "ClientNotification",
    "JSONRPCMessage",
    "JSONRPCRequest",
    "JSONRPCNotification",
    "JSONRPCResponse",
    "JSONRPCError",
    "JSONRPCErrorError",
    "RequestId",
    "EventMsg_",
];

/// Every baseline definition: (our expected name, schema). Each baseline type schema is
/// self-contained with its own `$defs`; all are flattened here, first definition wins.
pub fn baseline_types(baseline: &Value) -> BTreeMap<String, Value> {
    let mut types = BTreeMap::new();
    let definitions =
        baseline.get("definitions").and_then(Value::as_object).cloned().unwrap_or_default();
    let v2 = definitions.get("v2").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut add = |prefix: &str, name: &str, schema: &Value| {
        let defs = schema.get("$defs").cloned().unwrap_or_default();
        types.entry(format!("{prefix}{name}")).or_insert_with(|| with_defs(schema, &defs));
        for (inner, inner_schema) in defs.as_object().into_iter().flatten() {
            types
                .entry(format!("{prefix}{inner}"))
                .or_insert_with(|| with_defs(inner_schema, &defs));
        }
    };
    for (name, schema) in &v2 {
        add("v2.", name, schema);
    }
    for (name, schema) in definitions.iter().filter(|(n, _)| *n != "v2") {
        add("", name, schema);
    }
    types
}

/// A baseline type schema with the `$defs` its references resolve against.
fn with_defs(schema: &Value, defs: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(map) = schema.as_object_mut() {
        map.insert("$defs".to_owned(), defs.clone());
        map.remove("$schema");
        map.remove("title");
    }
    schema
}

/// The shape facts compared: keys, required keys, enum values, union tags.
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    keys: BTreeSet<String>,
    required: BTreeSet<String>,
    values: BTreeSet<String>,
    variants: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
}

fn strings(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn keys(schema: &Value) -> BTreeSet<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A union variant's tag: the `const` of a property (internally tagged), or the single key of
/// an externally tagged object.
fn tag(variant: &Value) -> Option<String> {
    let properties = variant.get("properties").and_then(Value::as_object)?;
    if let Some((key, value)) = properties.iter().find_map(|(k, p)| p.get("const").map(|c| (k, c)))
    {
        return Some(format!("{key}={value}"));
    }
    let required = strings(variant.get("required"));
    (properties.len() == 1 && required.len() == 1)
        .then(|| format!("{{{}}}", required.iter().next().cloned().unwrap_or_default()))
}

/// Follows `$ref`s into `defs` (and single-`$ref` `allOf`s), so that a union variant that
/// references a struct for its fields compares by those fields.
fn resolve<'a>(schema: &'a Value, defs: &'a Map<String, Value>) -> Vec<&'a Value> {
    let mut parts = vec![schema];
    let refs = schema.get("$ref").into_iter().chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("$ref")),
    );
    for reference in refs.filter_map(Value::as_str) {
        if let Some(target) = reference.strip_prefix("#/$defs/").and_then(|name| defs.get(name)) {
            parts.push(target);
        }
    }
    parts
}

fn variant_facts(
    variant: &Value,
    defs: &Map<String, Value>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let parts = resolve(variant, defs);
    (
        parts.iter().flat_map(|p| keys(p)).collect(),
        parts.iter().flat_map(|p| strings(p.get("required"))).collect(),
    )
}

fn shape(schema: &Value, defs: &Map<String, Value>) -> Shape {
    let mut shape =
        Shape { keys: keys(schema), required: strings(schema.get("required")), ..Shape::default() };
    shape.values.extend(strings(schema.get("enum")));
    if let Some(value) = schema.get("const").and_then(Value::as_str) {
        shape.values.insert(value.to_owned());
    }
    for variant in ["oneOf", "anyOf"].iter().filter_map(|k| schema.get(*k)?.as_array()).flatten() {
        shape.values.extend(strings(variant.get("enum")));
        if let Some(value) = variant.get("const").and_then(Value::as_str) {
            shape.values.insert(value.to_owned());
        }
        if let Some(tag) = tag(variant) {
            shape.variants.insert(tag, variant_facts(variant, defs));
        } else if let Some(reference) = variant.get("$ref").and_then(Value::as_str) {
            shape
                .values
                .insert(format!("$ref {}", reference.rsplit('/').next().unwrap_or_default()));
        }
    }
    shape
}

fn describe(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "none".to_owned()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn compare(name: &str, ours: &Value, theirs: &Value, our_defs: &Map<String, Value>) -> Vec<String> {
    let their_defs = theirs.get("$defs").and_then(Value::as_object).cloned().unwrap_or_default();
    let (ours, theirs) = (shape(ours, our_defs), shape(theirs, &their_defs));
    let mut differences = Vec::new();
    let mut set = |what: &str, ours: &BTreeSet<String>, theirs: &BTreeSet<String>| {
        if ours != theirs {
            let extra: BTreeSet<_> = ours.difference(theirs).cloned().collect();
            let missing: BTreeSet<_> = theirs.difference(ours).cloned().collect();
            differences.push(format!(
                "{name}: {what} differ: ours adds [{}], lacks [{}]",
                describe(&extra),
                describe(&missing)
            ));
        }
    };
    set("keys", &ours.keys, &theirs.keys);
    set("required keys", &ours.required, &theirs.required);
    set("enum values", &ours.values, &theirs.values);
    let our_tags: BTreeSet<String> = ours.variants.keys().cloned().collect();
    let their_tags: BTreeSet<String> = theirs.variants.keys().cloned().collect();
    set("union variants", &our_tags, &their_tags);
    for (tag, (their_keys, their_required)) in &theirs.variants {
        if let Some((our_keys, our_required)) = ours.variants.get(tag) {
            set(&format!("keys of variant {tag}"), our_keys, their_keys);
            set(&format!("required keys of variant {tag}"), our_required, their_required);
        }
    }
    differences
}

/// Our name for a baseline name. The baseline numbers the second of two same-named types
/// (`SandboxPolicy2`); which of ours it is depends on which the baseline met first, so both
/// twins are candidates and the closer one (by keys and values) is compared.
fn candidates(name: &str) -> Vec<String> {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let bare = base.trim_start_matches("v2.");
    let mut names = vec![name.to_owned()];
    if base != name || !name.starts_with("v2.") {
        names.push(format!("v2.{bare}"));
    }
    names.push(bare.to_owned());
    names.dedup();
    names
}

/// Compares every baseline type with ours; returns the differences (empty when conformant)
/// and how many types were compared.
pub fn check(baseline: &Value, ours: &Map<String, Value>) -> (Vec<String>, usize) {
    let mut differences = Vec::new();
    let mut compared = 0;
    for (name, theirs) in baseline_types(baseline) {
        let bare = name.trim_start_matches("v2.");
        let excused = |candidate: &String| {
            CHANGED_ON_PURPOSE
                .iter()
                .chain(BASELINE_SCHEMA_NOT_ITS_WIRE)
                .any(|(n, _)| n == candidate)
        };
        if ENVELOPE.contains(&bare) || candidates(&name).iter().any(excused) {
            continue;
        }
        let options: Vec<(String, Vec<String>)> = candidates(&name)
            .into_iter()
            .filter_map(|candidate| {
                ours.get(&candidate)
                    .map(|schema| (candidate.clone(), compare(&candidate, schema, &theirs, ours)))
            })
            .collect();
        compared += 1;
        match options.into_iter().min_by_key(|(_, d)| d.len()) {
            None => {
                differences.push(format!("{name}: baseline type has no counterpart in our schema"))
            }
            Some((_, found)) => differences
                .extend(found.into_iter().map(|d| format!("baseline {name} vs ours {d}"))),
        }
    }
    (differences, compared)
}

/// The baseline schema, beside the checkout: `../shared/spec/baseline-0.63.0/schema.json`.
pub fn load_baseline(root: &Path) -> Result<Value, String> {
    let path = root.join("compat/baselines/0.63.0/published/schema.json");
    let text =
        std::fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
    serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::workspace_root;

    #[test]
    fn every_untouched_baseline_type_keeps_its_keys_required_keys_and_values() {
        let root = workspace_root();
        let baseline = load_baseline(&root).unwrap();
        let surface = crate::codegen::collect().unwrap();
        let (differences, compared) = check(&baseline, &surface.decode_defs);
        assert!(compared > 200, "only {compared} baseline types compared");
        assert!(
            differences.is_empty(),
            "{} differences from the 0.63.0 baseline:\n{}",
            differences.len(),
            differences.join("\n")
        );
    }

    #[test]
    fn the_comparison_catches_a_missing_key_a_required_change_and_a_new_enum_value() {
        let theirs = serde_json::json!({ "type": "object", "properties": { "a": {}, "b": {} }, "required": ["a"] });
        let ours =
            serde_json::json!({ "type": "object", "properties": { "a": {} }, "required": [] });
        let none = Map::new();
        let found = compare("T", &ours, &theirs, &none);
        assert_eq!(found.len(), 2, "{found:?}");
        let theirs = serde_json::json!({ "enum": ["x", "y"] });
        let ours =
            serde_json::json!({ "oneOf": [{ "const": "x" }, { "const": "y" }, { "const": "z" }] });
        assert_eq!(
            compare("E", &ours, &theirs, &none),
            vec!["E: enum values differ: ours adds [z], lacks [none]".to_owned()]
        );
        let theirs = serde_json::json!({ "oneOf": [{ "properties": { "type": { "const": "a" }, "x": {} }, "required": ["type"] }] });
        let ours = serde_json::json!({ "oneOf": [{ "properties": { "type": { "const": "a" }, "y": {} }, "required": ["type"] }] });
        assert_eq!(compare("U", &ours, &theirs, &none).len(), 1);
    }
}
