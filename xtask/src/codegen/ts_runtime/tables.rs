//! What the decoders look up: per sender, every wire name (aliases included) → the canonical
//! name and the schema of its params, the result schema of every answered method, and the
//! decode contract as one JSON Schema bundle.

use std::fmt::Write as _;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use super::super::collect::{Method, Payload, Surface};
use super::super::{GENERATED_HEADER, leniency};

/// The `$id` of the runtime's bundle.
pub const BUNDLE_ID: &str = "urn:app-server-protocol:typescript-runtime:decode";

/// Members of a schema that only document it: dropped from the runtime's bundle.
const DOC_KEYS: [&str; 4] = ["description", "title", "$comment", "examples"];

/// The definition name of one payload of a method (`ClientRequest.ThreadStart.params`).
fn payload_def(method: &Method, role: &str) -> String {
    let group = match (method.meta.direction, method.meta.kind) {
        (Direction::ClientToServer, MessageKind::Request) => "ClientRequest",
        (Direction::ServerToClient, MessageKind::Request) => "ServerRequest",
        (Direction::ServerToClient, MessageKind::Notification) => "ServerNotification",
        (Direction::ClientToServer, MessageKind::Notification) => "ClientNotification",
    };
    format!("{group}.{}.{role}", method.meta.variant)
}

/// The decode contract: the decode definitions with the receive contract's leniencies, one
/// definition per method payload, the JSON-RPC error object; documentation dropped. Tagged
/// unions whose every variant names its tag get a `discriminator`, so that Ajv reports what
/// is wrong inside the variant the tag names.
pub fn bundle(surface: &Surface) -> Value {
    let mut defs = surface.decode_defs.clone();
    super::fill::annotate(&mut defs, &surface.canonical_defs);
    // The same patches as `server-receives.schema.json`; they are found by name there, and
    // these definitions carry the same names.
    if let Err(err) = leniency::apply(&mut defs).and_then(|()| decoder_rules(&mut defs)) {
        panic!("the runtime's bundle: {err}");
    }
    open_enums(&mut defs);
    for method in &surface.methods {
        let payloads = [("params", &method.params), ("result", &method.result)];
        for (role, payload) in payloads {
            if let Some(Payload { decode_ref, .. }) = payload {
                defs.insert(payload_def(method, role), decode_ref.clone());
            }
        }
    }
    defs.insert(
        "JsonRpcError".to_owned(),
        json!({
            "type": "object",
            "properties": {
                "code": { "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX },
                "message": { "type": "string" },
                "data": true,
            },
            "required": ["code", "message"],
        }),
    );
    let mut bundle = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BUNDLE_ID,
        "$defs": defs,
    });
    strip_docs(&mut bundle);
    add_discriminators(&mut bundle);
    if let Some(defs) = bundle.get_mut("$defs").and_then(Value::as_object_mut) {
        defs.values_mut().for_each(mark_lexical);
        hoist_variants(defs);
    }
    bundle
}

/// Marks where a type reads what `JSON.parse` hides (see `lexical.js`): `x-integer` on integer
/// schemas (written as an integer), `x-string` on string schemas (no lone surrogate),
/// `x-struct` on objects with members (none it knows written twice), and `x-any` where any
/// JSON value is read (no nesting past the limit).
fn mark_lexical(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    for (kind, keyword) in [("integer", "x-integer"), ("string", "x-string")] {
        if types.iter().any(|t| t == kind) {
            map.insert(keyword.to_owned(), json!(true));
        }
    }
    let has_members = map.contains_key("properties");
    if has_members {
        map.insert("x-struct".to_owned(), json!(true));
    }
    let any = |value: &Value| *value == json!(true) || *value == json!({});
    if let Some(Value::Object(members)) = map.get_mut("properties") {
        for member in members.values_mut() {
            if any(member) {
                *member = json!({ "x-any": true });
            }
            mark_lexical(member);
        }
    }
    for key in ["items", "additionalProperties", "not", "if", "then", "else"] {
        let Some(sub) = map.get_mut(key) else { continue };
        // Members a struct does not know are skipped, not read.
        if any(sub) && (key == "items" || (key == "additionalProperties" && !has_members)) {
            *sub = json!({ "x-any": true });
        }
        mark_lexical(sub);
    }
    for key in ["oneOf", "anyOf", "allOf", "prefixItems"] {
        if let Some(Value::Array(subs)) = map.get_mut(key) {
            subs.iter_mut().for_each(mark_lexical);
        }
    }
}

/// Moves every variant of a union without a discriminator that is not a `$ref` into a
/// definition of its own (`<Name>.variant<N>`), so that the decoder can try each variant
/// alone to find which one applies (Ajv reports errors inside a `$ref` at the referenced
/// schema, not at the union).
fn hoist_variants(defs: &mut Map<String, Value>) {
    let mut todo: Vec<String> = defs.keys().cloned().collect();
    while let Some(name) = todo.pop() {
        let Some(mut schema) = defs.remove(&name) else { continue };
        let mut hoisted = Vec::new();
        hoist_in(&mut schema, &name, &mut hoisted);
        defs.insert(name, schema);
        for (new_name, variant) in hoisted {
            todo.push(new_name.clone());
            defs.insert(new_name, variant);
        }
    }
}

fn hoist_in(value: &mut Value, name: &str, hoisted: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            let discriminated = map.contains_key("discriminator");
            for keyword in ["oneOf", "anyOf"] {
                let Some(Value::Array(variants)) = map.get_mut(keyword) else { continue };
                for variant in variants.iter_mut().filter(|_| !discriminated) {
                    let is_ref =
                        variant.as_object().is_some_and(|v| v.len() == 1 && v.contains_key("$ref"));
                    if !is_ref {
                        let new_name = format!("{name}.variant{}", hoisted.len());
                        let schema = std::mem::replace(
                            variant,
                            json!({ "$ref": format!("#/$defs/{new_name}") }),
                        );
                        hoisted.push((new_name, schema));
                    }
                }
            }
            for child in map.values_mut() {
                hoist_in(child, name, hoisted);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| hoist_in(item, name, hoisted)),
        _ => {}
    }
}

/// Open enums and unions (`x-open-enum`): the Rust decoder takes a value it does not know
/// instead of refusing it — the older ones (`PlanType`, `SessionSource`, `ResponseItem`,
/// `WebSearchAction`) read it as their fallback (`"unknown"`, `{"type":"other"}`), the newer
/// ones keep it (`ReasoningEffort::Unknown(String)`, `ThreadItem::Unknown(UnknownVariant)`).
/// The TypeScript decoder returns what it validated as it came either way, so the contract
/// only has to accept the same: the string variants become one that accepts any string (a
/// union of strings only, that string), and a union tagged by a member that keeps its
/// unknown variants gets one more: an object whose tag is a string none of the others has
/// ([`unknown_variant`]). A known tag is still held to its variant. The older open tagged
/// unions are the leniency module's (their catch-all variant `other` takes the unknown tags).
fn open_enums(defs: &mut Map<String, Value>) {
    for def in defs.values_mut() {
        if def.get("x-open-enum").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        if def.get("enum").is_some() {
            *def = json!({ "type": "string", "x-open-enum": true });
            continue;
        }
        let keyword = if def.get("oneOf").is_some() { "oneOf" } else { "anyOf" };
        let Some(variants) = def.get_mut(keyword).and_then(Value::as_array_mut) else { continue };
        let is_string = |v: &Value| v.get("const").is_some_and(Value::is_string);
        if variants.iter().any(is_string) {
            variants.retain(|v| !is_string(v));
            if variants.is_empty() {
                *def = json!({ "type": "string", "x-open-enum": true });
                continue;
            }
            variants.push(json!({ "type": "string" }));
        }
        // `{ "<name>": … }` variants: an object without a key this version knows decodes to
        // the fallback too, so the key becomes optional and other keys are allowed.
        for variant in variants.iter_mut() {
            if let Some(object) = variant.as_object_mut()
                && object.get("additionalProperties") == Some(&json!(false))
            {
                object.remove("additionalProperties");
                object.remove("required");
            }
        }
        if let Some(unknown) = unknown_variant(variants) {
            variants.push(unknown);
        }
    }
}

/// The variant that takes what a newer peer adds to a union tagged by a member whose every
/// variant fixes it (`None` for any other union, e.g. one whose catch-all already takes
/// unknown tags): an object whose tag is a string that names no known variant, with any
/// other members. The Rust decoder keeps such an object whole as JSON values, so every value
/// in it is read (`x-any`: nesting limit, lone surrogates).
fn unknown_variant(variants: &[Value]) -> Option<Value> {
    let tag = tag_of(variants)?;
    let known: Vec<&Value> =
        variants.iter().filter_map(|v| v.pointer(&format!("/properties/{tag}/const"))).collect();
    Some(json!({
        "type": "object",
        "properties": { tag.clone(): { "type": "string", "not": { "enum": known } } },
        "required": [tag],
        "x-any": true,
    }))
}

/// What the Rust decoder does beyond the types' shape (each rule names its type; a type no
/// longer found is an error): the approval answer's legacy `acceptSettings` must not
/// contradict its `decision`; an MCP content block is read as the variant its `type` names
/// when there is one (`ContentBlock`'s `Deserialize`), which the decoder's error follows.
fn decoder_rules(defs: &mut Map<String, Value>) -> Result<(), String> {
    content_block_by_type(defs)?;
    approval_contradictions(defs)
}

/// `ContentBlock`: its variants, in order, are the ones `type` names (`x-variant-by`, an
/// annotation the decoder reads to explain an error; acceptance is the `anyOf`'s).
fn content_block_by_type(defs: &mut Map<String, Value>) -> Result<(), String> {
    const NAME: &str = "ContentBlock";
    const TYPES: [&str; 5] = ["text", "image", "audio", "resource_link", "resource"];
    let def = defs
        .get_mut(NAME)
        .and_then(Value::as_object_mut)
        .filter(|d| {
            d.get("anyOf").and_then(Value::as_array).is_some_and(|v| v.len() == TYPES.len())
        })
        .ok_or_else(|| format!("decoder rules: no `{NAME}` with {} variants", TYPES.len()))?;
    def.insert("x-variant-by".to_owned(), json!({ "member": "type", "values": TYPES }));
    Ok(())
}

/// `v2::CommandExecutionRequestApprovalResponse`: the legacy `acceptSettings` must not
/// contradict the `decision`.
fn approval_contradictions(defs: &mut Map<String, Value>) -> Result<(), String> {
    const NAME: &str = "v2.CommandExecutionRequestApprovalResponse";
    let def = defs
        .get_mut(NAME)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("decoder rules: no `{NAME}` among the decode definitions"))?;
    let properties = def
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("decoder rules: `{NAME}` has no properties"))?;
    properties.insert(
        "acceptSettings".to_owned(),
        json!({
            "type": ["object", "null"],
            "properties": { "forSession": { "type": ["boolean", "null"] } },
        }),
    );
    // `forSession` absent or `null` reads as `false`.
    let not_for_session = json!({ "type": "object", "not": { "properties": { "forSession": { "const": true } }, "required": ["forSession"] } });
    let for_session = json!({ "type": "object", "properties": { "forSession": { "const": true } }, "required": ["forSession"] });
    let contradiction = |decision: Value, settings: Value| {
        json!({
            "if": { "properties": { "decision": decision, "acceptSettings": settings }, "required": ["decision", "acceptSettings"] },
            "then": false,
        })
    };
    def.insert(
        "allOf".to_owned(),
        json!([
            contradiction(json!({ "const": "acceptForSession" }), not_for_session),
            contradiction(
                json!({ "type": "object", "required": ["acceptWithExecpolicyAmendment"] }),
                for_session
            ),
        ]),
    );
    Ok(())
}

/// Drops the documentation members, at any depth (not inside `properties`, where they may be
/// member names).
fn strip_docs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in DOC_KEYS {
                if !matches!(map.get(key), Some(Value::Object(_))) {
                    map.remove(key);
                }
            }
            for child in map.values_mut() {
                strip_docs(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_docs),
        _ => {}
    }
}

/// The member every variant of a `oneOf` requires and fixes with a `const`, if there is one.
pub fn tag_of(variants: &[Value]) -> Option<String> {
    let first = variants.first()?.get("properties")?.as_object()?;
    first
        .keys()
        .find(|key| {
            variants.iter().all(|variant| {
                variant.pointer(&format!("/properties/{key}/const")).is_some()
                    && variant
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| r.iter().any(|k| k.as_str() == Some(key.as_str())))
            })
        })
        .cloned()
}

/// Adds `discriminator: { propertyName }` to every `oneOf` tagged that way, at any depth, and
/// `type: object`: Ajv applies the discriminator to objects only, and skips the `oneOf` it
/// replaces, so without it an array would pass.
fn add_discriminators(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let tag = map.get("oneOf").and_then(Value::as_array).and_then(|v| tag_of(v));
            if let Some(tag) = tag {
                map.insert("discriminator".to_owned(), json!({ "propertyName": tag }));
                map.entry("type").or_insert(json!("object"));
            }
            map.values_mut().for_each(add_discriminators);
        }
        Value::Array(items) => items.iter_mut().for_each(add_discriminators),
        _ => {}
    }
}

/// `runtime/schema.js`: the bundle as the module's default export, on one line.
pub fn schema_js(bundle: &Value) -> String {
    let text = serde_json::to_string(bundle).expect("a JSON value always serializes");
    format!(
        "{GENERATED_HEADER}/** The decode contract of every payload (see schema.d.ts). */\nexport default {text};\n"
    )
}

/// `runtime/tables.js`: per sender, requests and notifications by wire name (aliases
/// included) → `[canonical name, params definition or null]`, the method families of each
/// kind (`[prefix, params definition, suffix path in the params]`, see `MethodMeta::family`),
/// and the result definition of every request it answers.
pub fn tables_js(surface: &Surface) -> String {
    let mut out = String::from(GENERATED_HEADER);
    for (name, sender) in
        [("CLIENT_SENDS", Direction::ClientToServer), ("SERVER_SENDS", Direction::ServerToClient)]
    {
        let table = json!({
            "requests": calls(surface, sender, MessageKind::Request),
            "notifications": calls(surface, sender, MessageKind::Notification),
            "requestFamilies": families(surface, sender, MessageKind::Request),
            "notificationFamilies": families(surface, sender, MessageKind::Notification),
            "answers": answers(surface, sender.reverse()),
        });
        let text = serde_json::to_string_pretty(&table).expect("a JSON value always serializes");
        let _ = writeln!(
            out,
            "/** What {sender} sends: its calls by wire name, and the results of the requests it answers. */\nexport const {name} = {text};\n"
        );
    }
    out
}

/// The methods of one sender and kind by wire name; a family's row names no method by itself
/// (see [`families`]).
fn calls(surface: &Surface, sender: Direction, kind: MessageKind) -> Map<String, Value> {
    let mut out = Map::new();
    for method in surface
        .methods
        .iter()
        .filter(|m| m.meta.direction == sender && m.meta.kind == kind && m.meta.family.is_none())
    {
        let params = method.params.as_ref().map(|_| payload_def(method, "params"));
        let entry = json!([method.meta.wire_name, params]);
        out.insert(method.meta.wire_name.to_owned(), entry.clone());
        for alias in method.meta.aliases {
            out.insert((*alias).to_owned(), entry.clone());
        }
    }
    out
}

/// The method families of one sender and kind: `[prefix, params definition or null, the
/// path in the params of the member whose value is the suffix]`.
fn families(surface: &Surface, sender: Direction, kind: MessageKind) -> Vec<Value> {
    surface
        .methods
        .iter()
        .filter(|m| m.meta.direction == sender && m.meta.kind == kind)
        .filter_map(|method| {
            let path = method.meta.family?;
            let params = method.params.as_ref().map(|_| payload_def(method, "params"));
            Some(json!([method.meta.wire_name, params, path]))
        })
        .collect()
}

fn answers(surface: &Surface, requester: Direction) -> Map<String, Value> {
    surface
        .methods
        .iter()
        .filter(|m| m.meta.direction == requester && m.meta.kind == MessageKind::Request)
        .filter(|m| m.result.is_some())
        .map(|m| (m.meta.wire_name.to_owned(), json!(payload_def(m, "result"))))
        .collect()
}
