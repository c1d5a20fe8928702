//! Render: the JSON Schema bundles under `generated/schema/`, one per direction contract.
//!
//! `server-receives.schema.json` describes what the server accepts from a client (requests,
//! notifications, answers to server requests), with the lenient decoding contract: optional
//! members may be left out, deprecated method aliases are accepted. `server-sends.schema.json`
//! describes what the server sends (responses, notifications, server requests), with the strict
//! encoding contract: every member is present, `null` when absent. Each bundle is draft 2020-12,
//! has `$defs` for every type it reaches plus message-level entries, and validates one message
//! as a whole through its top-level `$ref`.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use app_server_protocol::{Direction, MessageKind};

use super::OutputFiles;

use super::collect::{Method, Surface};

/// The 2020-12 meta-schema URI.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Facts of one contract's bundle.
pub struct BundleSpec {
    /// The contract.
    pub direction: Direction,
    /// File name under `schema/`.
    pub file: &'static str,
    /// Who sends the messages this bundle validates.
    pub sender: Direction,
    /// The name of the message-level entry (`ClientMessage` / `ServerMessage`).
    pub message: &'static str,
    title: &'static str,
    description: &'static str,
}

/// Both bundles.
pub const BUNDLES: [BundleSpec; 2] = [
    BundleSpec {
        direction: Direction::ClientToServer,
        file: "server-receives.schema.json",
        sender: Direction::ClientToServer,
        message: "ClientMessage",
        title: "App-server protocol: messages the server receives (client → server)",
        description: "One JSON-RPC message a client sends: a request, a notification, or the answer to a server request. Decoding contract: optional members may be left out, deprecated method aliases are accepted, a `jsonrpc: \"2.0\"` member is allowed.",
    },
    BundleSpec {
        direction: Direction::ServerToClient,
        file: "server-sends.schema.json",
        sender: Direction::ServerToClient,
        message: "ServerMessage",
        title: "App-server protocol: messages the server sends (server → client)",
        description: "One JSON-RPC message the server sends: a response, a notification, or a request to the client. Encoding contract: every member is present (`null` when absent), method names are canonical.",
    },
];

/// The `$id` of a bundle.
pub fn bundle_id(spec: &BundleSpec) -> String {
    format!(
        "urn:app-server-protocol:{}:schema:{}",
        app_server_protocol::VERSION,
        spec.file.trim_end_matches(".schema.json")
    )
}

/// The JSON Schema of the shell tool's call arguments (change C5): what the model
/// is given as the tool's parameter schema. Deserialize contract: what the tool accepts.
pub fn shell_tool_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(schemars::transform::RecursiveTransform(super::collect::plain_descriptions))
        .for_deserialize()
        .into_generator();
    let mut schema = generator
        .into_root_schema_for::<app_server_protocol::core_types::ShellToolCallParams>()
        .to_value();
    if let Some(map) = schema.as_object_mut() {
        map.insert(
            "$id".to_owned(),
            json!(format!(
                "urn:app-server-protocol:{}:schema:shell-tool-call-params",
                app_server_protocol::VERSION
            )),
        );
    }
    schema
}

/// Where the crate embeds the shell tool's schema (`ShellToolCallParams::PARAMETERS_SCHEMA`),
/// relative to the workspace root. Written and checked by codegen like `generated/`.
pub const EMBEDDED_SHELL_TOOL_SCHEMA: &str =
    "protocol/src/core_types/shell_tool_call_params.schema.json";

/// Renders both bundles into `files`, under `schema/`. Returns them too, for the checks that
/// run on them.
pub fn render(surface: &Surface, files: &mut OutputFiles) -> Vec<(PathBuf, Value)> {
    files.insert(
        PathBuf::from("schema/shell-tool-call-params.schema.json"),
        super::pretty_json(&shell_tool_schema()),
    );
    BUNDLES
        .iter()
        .map(|spec| {
            let bundle = bundle(surface, spec);
            let path = PathBuf::from("schema").join(spec.file);
            files.insert(path.clone(), super::pretty_json(&bundle));
            (path, bundle)
        })
        .collect()
}

/// The names of the message-level definitions of one sender's bundle.
struct MessageNames {
    request: &'static str,
    notification: &'static str,
    response: &'static str,
}

impl MessageNames {
    fn of(sender: Direction) -> MessageNames {
        match sender {
            Direction::ClientToServer => MessageNames {
                request: "ClientRequest",
                notification: "ClientNotification",
                response: "ServerRequestResponse",
            },
            Direction::ServerToClient => MessageNames {
                request: "ServerRequest",
                notification: "ServerNotification",
                response: "ClientRequestResponse",
            },
        }
    }
}

/// One direction's bundle: the payload definitions of its contract, one definition per
/// message shape, and the top-level message that dispatches to them.
fn bundle(surface: &Surface, spec: &BundleSpec) -> Value {
    let mut defs = surface.schema_defs.get(&spec.direction).cloned().unwrap_or_default();
    let receiving = spec.direction == Direction::ClientToServer;
    let names = MessageNames::of(spec.sender);
    for (name, kind) in
        [(names.request, MessageKind::Request), (names.notification, MessageKind::Notification)]
    {
        let group = message_group(surface, &mut defs, name, spec.sender, kind, receiving);
        defs.insert(name.to_owned(), group);
    }
    answer_definitions(surface, &mut defs, spec, &names);
    defs.insert(spec.message.to_owned(), message_definition(spec, &names));
    json!({
        "$schema": DRAFT_2020_12,
        "$id": bundle_id(spec),
        "title": spec.title,
        "description": spec.description,
        "$ref": format!("#/$defs/{}", spec.message),
        "$defs": defs,
    })
}

/// The answers to the requests the other side sent: the successful response (its result is
/// any answered method's), the error response and the JSON-RPC error object. The receiving
/// bundle also allows the ignored `jsonrpc` member.
fn answer_definitions(
    surface: &Surface,
    defs: &mut Map<String, Value>,
    spec: &BundleSpec,
    names: &MessageNames,
) {
    let answered = spec.sender.reverse();
    let results: Vec<Value> = surface
        .methods
        .iter()
        .filter(|m| m.meta.direction == answered && m.meta.kind == MessageKind::Request)
        .filter_map(|m| m.result.as_ref().map(|r| r.schema_ref.clone()))
        .collect();
    let mut envelope = Map::new();
    if spec.direction == Direction::ClientToServer {
        envelope.insert(
            "jsonrpc".to_owned(),
            json!({ "const": "2.0", "description": "Ignored when present; never sent." }),
        );
    }
    let mut response = envelope.clone();
    response.insert("id".to_owned(), json!({ "$ref": "#/$defs/RequestId" }));
    response.insert("result".to_owned(), json!({ "anyOf": results }));
    response.insert("method".to_owned(), json!(false));
    response.insert("error".to_owned(), json!(false));
    defs.insert(names.response.to_owned(), json!({
        "description": format!("The successful answer to a request sent {answered}; the result's type is the answered method's."),
        "type": "object",
        "properties": response,
        "required": ["id", "result"],
    }));
    let mut error = envelope;
    error.insert("id".to_owned(), json!({ "$ref": "#/$defs/RequestId" }));
    error.insert("error".to_owned(), json!({ "$ref": "#/$defs/JsonRpcError" }));
    error.insert("method".to_owned(), json!(false));
    error.insert("result".to_owned(), json!(false));
    defs.insert(
        "ErrorResponse".to_owned(),
        json!({
            "description": "The failed answer to a request.",
            "type": "object",
            "properties": error,
            "required": ["id", "error"],
        }),
    );
    defs.insert("JsonRpcError".to_owned(), json!({
        "description": "The `error` member of an error response.",
        "type": "object",
        "properties": {
            "code": { "type": "integer", "description": "The JSON-RPC error code, e.g. -32602 for invalid params." },
            "message": { "type": "string", "description": "A human-readable description of the error." },
            "data": { "description": "Structured detail defined by the method; omitted when there is none. The errors of the decoder (a request that does not fit: -32600, -32601, -32602) carry a `DecodeErrorData` (`#/$defs/DecodeErrorData`), e.g. `{\"path\": \"params.limit\", \"expected\": \"an integer from 1 to 4294967295\"}`." },
        },
        "required": ["code", "message"],
    }));
}

/// The top-level message of a bundle. It dispatches on the members present (`if`/`then`), so
/// that a validator reports what is wrong inside the one shape that applies instead of one
/// vague `anyOf` failure.
fn message_definition(spec: &BundleSpec, names: &MessageNames) -> Value {
    let dispatch = |required: &[&str], absent: Option<&str>, target: &str| {
        let mut condition = requires(required);
        if let Some(member) = absent {
            condition["not"] = requires(&[member]);
        }
        json!({ "if": condition, "then": { "$ref": format!("#/$defs/{target}") } })
    };
    json!({
        "description": spec.description,
        "type": "object",
        "anyOf": [requires(&["method"]), requires(&["result"]), requires(&["error"])],
        "allOf": [
            dispatch(&["method", "id"], None, names.request),
            dispatch(&["method"], Some("id"), names.notification),
            dispatch(&["result"], Some("method"), names.response),
            dispatch(&["error"], Some("method"), "ErrorResponse"),
        ],
    })
}

/// The requests or notifications one side sends: one definition per method, named
/// `<Group>.<Variant>` (e.g. `ClientRequest.ThreadStart`), and the group's definition, which
/// dispatches on `method` to the one that applies. Returns the group's definition.
fn message_group(
    surface: &Surface,
    defs: &mut Map<String, Value>,
    group: &str,
    sender: Direction,
    kind: MessageKind,
    receiving: bool,
) -> Value {
    let mut names = Vec::new();
    let mut patterns = Vec::new();
    let mut branches = Vec::new();
    for method in
        surface.methods.iter().filter(|m| m.meta.direction == sender && m.meta.kind == kind)
    {
        let entry = message_entry(method, defs, kind, receiving);
        let name = format!("{group}.{}", method.meta.variant);
        // A method family is every name its pattern matches (`^codex/event/.+`).
        let selects = match super::family::pattern(method.meta) {
            Some(pattern) => {
                patterns.push(json!({ "type": "string", "pattern": pattern }));
                json!({ "type": "string", "pattern": pattern })
            }
            None => {
                let mut wire_names = vec![method.meta.wire_name];
                if receiving {
                    wire_names.extend(method.meta.aliases);
                }
                names.extend(wire_names.iter().copied());
                json!({ "enum": wire_names })
            }
        };
        branches.push(json!({
            "if": { "properties": { "method": selects }, "required": ["method"] },
            "then": { "$ref": format!("#/$defs/{name}") },
        }));
        defs.insert(name, entry);
    }
    let method = if patterns.is_empty() {
        json!({ "enum": names })
    } else {
        patterns.insert(0, json!({ "enum": names }));
        json!({ "anyOf": patterns })
    };
    json!({
        "description": format!("Every {} sent {sender}; `method` selects the shape.", if kind == MessageKind::Request { "request" } else { "notification" }),
        "type": "object",
        "properties": { "method": method },
        "required": ["method"],
        "allOf": branches,
    })
}

fn message_entry(
    method: &Method,
    defs: &Map<String, Value>,
    kind: MessageKind,
    receiving: bool,
) -> Value {
    let meta = method.meta;
    let mut properties = Map::new();
    let mut required = Vec::new();
    if kind == MessageKind::Request {
        properties.insert("id".to_owned(), json!({ "$ref": "#/$defs/RequestId" }));
        required.push("id");
    }
    let method_schema = if let Some(pattern) = super::family::pattern(meta) {
        json!({
            "type": "string",
            "pattern": pattern,
            "description": super::family::description(meta),
        })
    } else if receiving && !meta.aliases.is_empty() {
        let mut names = vec![meta.wire_name];
        names.extend(meta.aliases);
        json!({ "enum": names, "description": format!("`{}`; deprecated aliases accepted: {}.", meta.wire_name, meta.aliases.join(", ")) })
    } else {
        json!({ "const": meta.wire_name })
    };
    properties.insert("method".to_owned(), method_schema);
    required.push("method");
    match &method.params {
        Some(params) => {
            properties.insert("params".to_owned(), params.schema_ref.clone());
            if !receiving || !may_be_left_out(&params.schema_ref, defs) {
                required.push("params");
            }
        }
        None if receiving => {
            properties.insert("params".to_owned(), json!({ "type": ["object", "null"], "description": "This method takes no params; the member is normally left out." }));
        }
        None => {
            properties.insert("params".to_owned(), json!(false));
        }
    }
    if receiving {
        properties.insert("jsonrpc".to_owned(), json!({ "const": "2.0" }));
    }
    // A request or notification carries neither `result` nor `error`.
    properties.insert("result".to_owned(), json!(false));
    properties.insert("error".to_owned(), json!(false));
    let mut entry = json!({
        "title": format!("{} {}", meta.display_name(), if kind == MessageKind::Request { "request" } else { "notification" }),
        "description": super::method_doc(meta),
        "type": "object",
        "properties": properties,
        "required": required,
    });
    // A family's name must end with the value its params name.
    if let Some(names) = method
        .params
        .as_ref()
        .and_then(|p| super::family::names_follow_params(meta, &p.schema_ref, defs))
    {
        entry["allOf"] = names;
    }
    if let Some(note) = super::deprecation(meta) {
        entry["deprecated"] = json!(true);
        entry["description"] = json!(format!("{}\n\nDeprecated: {note}", super::method_doc(meta)));
    }
    entry
}

/// Whether params of this type may be left out on input: an object type with no required
/// member decodes from `{}`, which is what an absent `params` reads as.
fn may_be_left_out(schema_ref: &Value, defs: &Map<String, Value>) -> bool {
    let Some(name) =
        schema_ref.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/"))
    else {
        return false;
    };
    let Some(def) = defs.get(&name.replace("~1", "/").replace("~0", "~")) else { return false };
    let is_object = def.get("type").and_then(Value::as_str) == Some("object");
    let no_required = def.get("required").and_then(Value::as_array).is_none_or(Vec::is_empty);
    let no_union = def.get("oneOf").is_none() && def.get("anyOf").is_none();
    is_object && no_required && no_union
}

/// A schema requiring `members` (each also named in `properties`, so that strict validators
/// such as Ajv's `strictRequired` accept it).
fn requires(members: &[&str]) -> Value {
    let properties: Map<String, Value> =
        members.iter().map(|m| ((*m).to_owned(), json!(true))).collect();
    json!({ "properties": properties, "required": members })
}
