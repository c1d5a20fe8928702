//! Importing a published spec folder (`schema.json`, `methods.md`, `wire-notes.md`, as in
//! `compat/baselines/0.63.0/published/`) as a baseline.
//!
//! The published schema has another layout and no direction information:
//! - draft-07 at the top, `definitions` for v1/shared types and `definitions.v2` for v2 types
//!   (the v2 approval types sit at the root), each type a self-contained schema with its own
//!   `$defs`. They are flattened into one namespace with our naming (names only label the
//!   report; the comparison is structural): inside v1/shared payloads names stay bare; inside
//!   a payload of a v2 method a name `N` becomes `v2.N`, unless a v1/shared payload has an
//!   identical `N` — a core type both generations embed, such as `ResponseItem`. (The
//!   baseline's `Foo2` names only occur in its message-level unions, which are not imported.)
//!   Two different schemas landing on one name is an error.
//! - Directions come from `methods.md`: params of client requests and notifications and
//!   results of server requests travel client → server; results of client requests, params
//!   of server requests and server notifications travel server → client. Each direction gets
//!   the types its payloads reach; a type reached in both is in both.
//! - The schema says what a decoder accepts. What the server receives keeps it as is; what
//!   it sends is rewritten to what the encoder writes, from `wire-notes.md`: every property
//!   is written (`required`; optional ones as `null`) except the §1 fields omitted when
//!   empty (which stay optional when the decoder has them optional; plus the few fields the
//!   list misses, see [`OMITTED_BUT_UNLISTED`]) and the §2 fields never written (`writeOnly`
//!   in the schema: dropped).
//! - §3 catch-all enums are marked open (`x-open-enum`), in both directions.
//! - §4 custom encodings the schema does not show are corrected to the wire they describe:
//!   `FunctionCallOutputPayload` is a string or an array of content items, `ConversationId`
//!   a UUID string.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use super::baseline::{Baseline, MethodEntry, strip_docs};
use super::shape::OPEN_ENUM;

/// Fields wire-notes §1 misses although the 0.63.0 crate omits them too. Their serde
/// attribute (`rename = "…", default, skip_serializing_if = "Option::is_none"`) is longer than
/// rustfmt's 70 columns for attribute arguments, so the sources wrap it over several lines and
/// the mechanical reading the list comes from skipped it — every shorter attribute of the same
/// MCP types (`mimeType`, `isError`, `title` …) is listed. The notes' own caveat (where they
/// disagree with the crate, the crate is right) and C9 (the MCP types omit absent optional
/// members) apply. Remove an entry here and the report shows the field as made optional.
const OMITTED_BUT_UNLISTED: &[(&str, &str)] = &[
    ("Annotations", "lastModified"),
    ("CallToolResult", "structuredContent"),
    ("Tool", "outputSchema"),
    ("ToolAnnotations", "destructiveHint"),
    ("ToolAnnotations", "idempotentHint"),
    ("ToolAnnotations", "openWorldHint"),
    ("ToolAnnotations", "readOnlyHint"),
];

/// The UUID pattern of wire-notes §4 (`ConversationId`).
pub const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// One row of `methods.md`.
#[derive(Debug)]
struct Row {
    line: usize,
    method: String,
    direction: Direction,
    kind: MessageKind,
    api: String,
    params: Option<String>,
    result: Option<String>,
}

/// Imports the spec folder `dir` as baseline `version`.
pub fn import(dir: &Path, version: &str, source: &str) -> Result<Baseline, String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path)
            .map(|text| (path.display().to_string(), text))
            .map_err(|err| format!("{}: {err}", path.display()))
    };
    let (methods_path, methods_text) = read("methods.md")?;
    let (notes_path, notes_text) = read("wire-notes.md")?;
    let (schema_path, schema_text) = read("schema.json")?;
    let rows = parse_methods(&methods_text).map_err(|err| format!("{methods_path}: {err}"))?;
    let mut notes = parse_notes(&notes_text).map_err(|err| format!("{notes_path}: {err}"))?;
    notes
        .omitted
        .extend(OMITTED_BUT_UNLISTED.iter().map(|(t, f)| ((*t).to_owned(), (*f).to_owned())));
    let schema: Value = serde_json::from_str(&schema_text)
        .map_err(|err| format!("{schema_path}: not JSON: {err}"))?;
    let definitions = schema
        .get("definitions")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{schema_path}: `definitions`: expected an object"))?;
    let empty = Map::new();
    let published = Published {
        path: &schema_path,
        methods_path: &methods_path,
        definitions,
        v2: definitions.get("v2").and_then(Value::as_object).unwrap_or(&empty),
    };
    let shared = shared_types(&rows, &published)?;
    let mut defs = Defs::new();
    let mut methods = Vec::new();
    for row in &rows {
        methods.push(MethodEntry {
            name: row.method.clone(),
            direction: row.direction,
            kind: row.kind,
            api: row.api.clone(),
            stability: "stable".to_owned(),
            aliases: Vec::new(),
            deprecated: None,
            params_type: row.params.clone(),
            result_type: row.result.clone(),
            params: payload(&published, &shared, row, "params", &mut defs)?,
            result: payload(&published, &shared, row, "result", &mut defs)?,
        });
    }
    let mut receives: Map<String, Value> =
        defs.into_iter().map(|(name, (schema, _))| (name, schema)).collect();
    mark_open(&mut receives, &notes.open).map_err(|name| {
        format!("{notes_path}: §3 names `{name}`, which {schema_path} does not define")
    })?;
    correct_custom_encodings(&mut receives, &schema_path)?;
    let mut sends = receives.clone();
    for (name, schema) in sends.iter_mut() {
        as_encoded(schema, name.trim_start_matches("v2."), &notes.omitted);
    }
    let mut baseline = Baseline {
        version: version.to_owned(),
        source: source.to_owned(),
        methods,
        client_to_server: receives,
        server_to_client: sends,
    };
    baseline.prune();
    Ok(baseline)
}

/// The imported definitions by our name: the schema, and where it came from (a JSON path of
/// the published schema).
type Defs = BTreeMap<String, (Value, String)>;

/// The published schema's definitions: v1/shared ones at the root, v2 ones under `v2`.
struct Published<'s> {
    path: &'s str,
    methods_path: &'s str,
    definitions: &'s Map<String, Value>,
    v2: &'s Map<String, Value>,
}

impl<'s> Published<'s> {
    /// Where the payload type `type_name` (the `role` of `row`) is defined: a v2 method's
    /// under `v2` first, others at the root first.
    fn locate(
        &self,
        type_name: &str,
        row: &Row,
        role: &str,
    ) -> Result<(String, &'s Value), String> {
        match (self.v2.get(type_name), self.definitions.get(type_name)) {
            (Some(schema), _) if row.api == "v2" => {
                Ok((format!("definitions.v2.{type_name}"), schema))
            }
            (_, Some(schema)) => Ok((format!("definitions.{type_name}"), schema)),
            (Some(schema), None) => Ok((format!("definitions.v2.{type_name}"), schema)),
            (None, None) => Err(format!(
                "{}: no definition `{type_name}` (the {role} of `{}`, {}:{})",
                self.path, row.method, self.methods_path, row.line
            )),
        }
    }
}

/// Every type the v1/shared payloads reach: a v2 payload's type of the same name and schema
/// is that same (core) type.
fn shared_types(
    rows: &[Row],
    published: &Published<'_>,
) -> Result<BTreeMap<String, Value>, String> {
    let mut shared: BTreeMap<String, Value> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.api != "v2") {
        for (type_name, role) in [(&row.params, "params"), (&row.result, "result")] {
            let Some(type_name) = type_name else { continue };
            let (_, schema) = published.locate(type_name, row, role)?;
            for (name, schema) in with_local_defs(type_name, schema) {
                shared.entry(name).or_insert(schema);
            }
        }
    }
    Ok(shared)
}

/// Imports the `role` payload of `row` (its type and every local type it has) into `defs`;
/// returns the payload schema, a `$ref` to our name of its type.
fn payload(
    published: &Published<'_>,
    shared: &BTreeMap<String, Value>,
    row: &Row,
    role: &str,
    defs: &mut Defs,
) -> Result<Option<Value>, String> {
    let type_name = if role == "params" { &row.params } else { &row.result };
    let Some(type_name) = type_name else { return Ok(None) };
    let is_v2 = row.api == "v2";
    let (location, schema) = published.locate(type_name, row, role)?;
    let local = with_local_defs(type_name, schema);
    let names: BTreeMap<String, String> = local
        .iter()
        .map(|(name, _)| {
            let core = !is_v2 || is_shared(name, &local, shared, &mut Vec::new());
            (name.clone(), if core { name.clone() } else { format!("v2.{name}") })
        })
        .collect();
    let rename = |name: &str| -> String {
        names
            .get(name)
            .cloned()
            .unwrap_or_else(|| if is_v2 { format!("v2.{name}") } else { name.to_owned() })
    };
    for (index, (name, schema)) in local.iter().enumerate() {
        let json_path =
            if index == 0 { location.clone() } else { format!("{location}.$defs.{name}") };
        let schema = rewrite_refs(schema, &json_path, &rename)
            .map_err(|err| format!("{}: {err}", published.path))?;
        let name = rename(name);
        match defs.get(&name) {
            Some((existing, first)) if *existing != schema => {
                return Err(format!(
                    "{}: `{json_path}` and `{first}` both become `{name}` but differ",
                    published.path
                ));
            }
            Some(_) => {}
            None => {
                defs.insert(name, (schema, json_path));
            }
        }
    }
    Ok(Some(json!({ "$ref": format!("#/$defs/{}", rename(type_name)) })))
}

/// §3: marks the catch-all enums open; `Err(name)` for a name no definition has.
fn mark_open(defs: &mut Map<String, Value>, open: &[String]) -> Result<(), String> {
    for name in open {
        let mut found = false;
        for (_, schema) in defs.iter_mut().filter(|(k, _)| k.trim_start_matches("v2.") == name) {
            if let Some(map) = schema.as_object_mut() {
                map.insert(OPEN_ENUM.to_owned(), Value::Bool(true));
                found = true;
            }
        }
        if !found {
            return Err(name.clone());
        }
    }
    Ok(())
}

/// A payload type and its own `$defs`, each without documentation and `$defs`, by local
/// name; the payload type first.
fn with_local_defs(type_name: &str, schema: &Value) -> Vec<(String, Value)> {
    let bare = |schema: &Value| {
        let mut schema = strip_docs(schema);
        if let Some(map) = schema.as_object_mut() {
            map.remove("$defs");
        }
        schema
    };
    let mut types = vec![(type_name.to_owned(), bare(schema))];
    for (name, inner) in schema.get("$defs").and_then(Value::as_object).into_iter().flatten() {
        types.push((name.clone(), bare(inner)));
    }
    types
}

/// Whether the local type `name` is the type of that name the v1/shared payloads reach: the
/// same schema, and so is every local type it references (a v2 twin can look the same at
/// its top and differ below, e.g. `RateLimitSnapshot` → `RateLimitWindow`).
fn is_shared(
    name: &str,
    local: &[(String, Value)],
    shared: &BTreeMap<String, Value>,
    visiting: &mut Vec<String>,
) -> bool {
    if visiting.iter().any(|v| v == name) {
        return true;
    }
    let Some((_, schema)) = local.iter().find(|(n, _)| n == name) else { return false };
    if shared.get(name) != Some(schema) {
        return false;
    }
    visiting.push(name.to_owned());
    let mut referenced = Vec::new();
    super::baseline::refs(schema, &mut referenced);
    let all = referenced.iter().all(|r| is_shared(r, local, shared, visiting));
    visiting.pop();
    all
}

/// §4: the wire of the types whose published schema shows the Rust struct instead.
fn correct_custom_encodings(
    defs: &mut Map<String, Value>,
    schema_path: &str,
) -> Result<(), String> {
    if defs.contains_key("FunctionCallOutputPayload") {
        if !defs.contains_key("FunctionCallOutputContentItem") {
            return Err(format!(
                "{schema_path}: `FunctionCallOutputContentItem` (the items of `FunctionCallOutputPayload`) is not defined"
            ));
        }
        defs.insert(
            "FunctionCallOutputPayload".to_owned(),
            json!({ "anyOf": [{ "type": "string" }, { "type": "array", "items": { "$ref": "#/$defs/FunctionCallOutputContentItem" } }] }),
        );
    }
    if defs.contains_key("ConversationId") {
        defs.insert(
            "ConversationId".to_owned(),
            json!({ "type": "string", "format": "uuid", "pattern": UUID_PATTERN }),
        );
    }
    Ok(())
}

/// Rewrites every object schema of a definition (not through `$ref`s) to what the encoder
/// writes: see the module docs.
fn as_encoded(schema: &mut Value, type_name: &str, omitted: &BTreeSet<(String, String)>) {
    let Some(map) = schema.as_object_mut() else { return };
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        let write_only: Vec<String> = props
            .iter()
            .filter(|(_, p)| p.get("writeOnly") == Some(&Value::Bool(true)))
            .map(|(k, _)| k.clone())
            .collect();
        for key in &write_only {
            props.remove(key);
        }
        let required: BTreeSet<String> = map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let props = map.get("properties").and_then(Value::as_object).expect("checked above");
        let written: Vec<Value> = props
            .keys()
            .filter(|key| {
                required.contains(*key)
                    || !omitted.contains(&(type_name.to_owned(), (*key).clone()))
            })
            .map(|key| Value::String(key.clone()))
            .collect();
        if written.is_empty() {
            map.remove("required");
        } else {
            map.insert("required".to_owned(), Value::Array(written));
        }
    }
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(props)) => {
                props.values_mut().for_each(|p| as_encoded(p, type_name, omitted))
            }
            ("anyOf" | "oneOf" | "allOf", Value::Array(items)) => {
                items.iter_mut().for_each(|p| as_encoded(p, type_name, omitted))
            }
            ("items" | "additionalProperties", value) => as_encoded(value, type_name, omitted),
            _ => {}
        }
    }
}

/// `#/$defs/N` → `#/$defs/<our name of N>`; other reference forms are errors.
fn rewrite_refs(
    schema: &Value,
    path: &str,
    rename: &dyn Fn(&str) -> String,
) -> Result<Value, String> {
    Ok(match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let inner = format!("{path}.{key}");
                let value = match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        let name = r.strip_prefix("#/$defs/").ok_or_else(|| {
                            format!("`{inner}`: `{r}` is not a `#/$defs/` reference")
                        })?;
                        Value::String(format!("#/$defs/{}", rename(name)))
                    }
                    ("enum" | "const" | "default" | "required", value) => value.clone(),
                    ("properties", Value::Object(props)) => {
                        let mut out = Map::new();
                        for (name, prop) in props {
                            out.insert(
                                name.clone(),
                                rewrite_refs(prop, &format!("{inner}.{name}"), rename)?,
                            );
                        }
                        Value::Object(out)
                    }
                    (_, value) => rewrite_refs(value, &inner, rename)?,
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| rewrite_refs(v, &format!("{path}[{i}]"), rename))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// The cells of a Markdown table row, or `None` for other lines and separator rows.
fn cells(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_owned()).collect();
    if cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) {
        return None;
    }
    Some(cells)
}

fn unquote(cell: &str) -> &str {
    cell.trim().trim_matches('`')
}

/// The method tables: one per `## Client → server requests`-style section.
fn parse_methods(text: &str) -> Result<Vec<Row>, String> {
    let mut section: Option<(Direction, MessageKind)> = None;
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if let Some(heading) = line.strip_prefix("## ") {
            let heading = heading.to_lowercase();
            let direction = if heading.starts_with("client → server") {
                Some(Direction::ClientToServer)
            } else if heading.starts_with("server → client") {
                Some(Direction::ServerToClient)
            } else {
                None
            };
            let kind = if heading.contains("notification") {
                MessageKind::Notification
            } else {
                MessageKind::Request
            };
            section = direction.map(|d| (d, kind));
            continue;
        }
        let (Some((direction, kind)), Some(cells)) = (section, cells(line)) else { continue };
        if cells.first().map(String::as_str) == Some("method") {
            continue;
        }
        let expected = if kind == MessageKind::Request { 4 } else { 3 };
        if cells.len() != expected || !cells[0].starts_with('`') {
            return Err(format!(
                "line {line_no}: expected a row `| method | API | params |{}`",
                if expected == 4 { " result |" } else { "" }
            ));
        }
        let payload =
            |cell: &str| if cell == "(none)" { None } else { Some(unquote(cell).to_owned()) };
        let api = cells[1].split_whitespace().next().unwrap_or_default().to_lowercase();
        if !matches!(api.as_str(), "shared" | "v1" | "v2") {
            return Err(format!("line {line_no}: API `{}`: expected shared, v1 or v2", cells[1]));
        }
        rows.push(Row {
            line: line_no,
            method: unquote(&cells[0]).to_owned(),
            direction,
            kind,
            api,
            params: payload(&cells[2]),
            result: cells.get(3).and_then(|c| payload(c)),
        });
    }
    if rows.is_empty() {
        return Err(
            "no method rows found (expected `## Client → server requests` … tables)".to_owned()
        );
    }
    Ok(rows)
}

/// What the importer reads from `wire-notes.md`.
struct Notes {
    /// §1: (type, wire field) omitted instead of written as `null`.
    omitted: BTreeSet<(String, String)>,
    /// §3: catch-all (open) enums.
    open: Vec<String>,
}

fn parse_notes(text: &str) -> Result<Notes, String> {
    let mut section = 0;
    let mut notes = Notes { omitted: BTreeSet::new(), open: Vec::new() };
    for (index, line) in text.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.split('.').next().and_then(|n| n.trim().parse().ok()).unwrap_or(0);
            continue;
        }
        let Some(cells) = cells(line) else { continue };
        if cells.first().map(String::as_str) == Some("type") {
            continue;
        }
        match section {
            1 if cells.len() >= 2 => {
                notes
                    .omitted
                    .insert((unquote(&cells[0]).to_owned(), unquote(&cells[1]).to_owned()));
            }
            3 if !cells.is_empty() => {
                let name = unquote(&cells[0]);
                let name = name.split_whitespace().next().unwrap_or(name).trim_matches('`');
                notes.open.push(name.to_owned());
            }
            1 | 3 => return Err(format!("line {}: unexpected table row", index + 1)),
            _ => {}
        }
    }
    if notes.omitted.is_empty() || notes.open.is_empty() {
        return Err(
            "expected the tables of §1 (omitted fields) and §3 (catch-all values)".to_owned()
        );
    }
    Ok(notes)
}
