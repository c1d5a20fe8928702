//! The baseline format: a released surface, committed under `compat/baselines/<version>/`.
//!
//! - `methods.json` — `{ format, version, source, methods: [...] }`, one entry per method of
//!   the table in table order: `method`, `direction` (`clientToServer` / `serverToClient`),
//!   `kind` (`request` / `notification`), `api`, `stability`, `aliases`, `deprecated`, and per
//!   payload the type name (`paramsType`, `resultType`) and the payload schema (`params`,
//!   `result`: a `$ref` into the schema file of the payload's direction, or `null` when
//!   absent).
//! - `server-receives.schema.json` — `{ $schema, $defs }`: every type the server *decodes*
//!   (client → server: params of client requests and notifications, results of server
//!   requests), as the decoder accepts it (a key is `required` when it must be present).
//! - `server-sends.schema.json` — every type the server *encodes* (server → client), as the
//!   encoder writes it (a key is `required` when it is always written; nullable fields stay
//!   listed).
//!
//! Types reached in both directions are in both files, each as its direction has it. Documentation
//! (`description`, `title`, `examples`) is left out: it is not the wire. Only types reached
//! from a payload are kept. Everything is pretty JSON with sorted keys and a final newline.

use std::path::Path;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use crate::codegen::{Surface, pretty_json};

/// The version of this file format.
pub const FORMAT: u64 = 1;

/// The method table of a baseline folder.
pub const METHODS_FILE: &str = "methods.json";
/// The `$defs` of what the server receives (client → server).
pub const RECEIVES_FILE: &str = "server-receives.schema.json";
/// The `$defs` of what the server sends (server → client).
pub const SENDS_FILE: &str = "server-sends.schema.json";

/// The schema file of a direction.
pub fn schema_file(direction: Direction) -> &'static str {
    match direction {
        Direction::ClientToServer => RECEIVES_FILE,
        Direction::ServerToClient => SENDS_FILE,
    }
}

/// One method of a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodEntry {
    /// The wire name.
    pub name: String,
    /// Who sends the request or notification.
    pub direction: Direction,
    /// Request or notification.
    pub kind: MessageKind,
    /// `shared`, `v1` or `v2`.
    pub api: String,
    /// `stable` or `experimental`.
    pub stability: String,
    /// Other names the receiver accepts.
    pub aliases: Vec<String>,
    /// The deprecation note, if deprecated.
    pub deprecated: Option<String>,
    /// The params type's name.
    pub params_type: Option<String>,
    /// The result type's name.
    pub result_type: Option<String>,
    /// The params schema (a `$ref` into the defs of the params direction).
    pub params: Option<Value>,
    /// The result schema (a `$ref` into the defs of the result direction).
    pub result: Option<Value>,
}

impl MethodEntry {
    /// The direction of the params: the method's.
    pub fn params_direction(&self) -> Direction {
        self.direction
    }

    /// The direction of the result: the other way round.
    pub fn result_direction(&self) -> Direction {
        self.direction.reverse()
    }

    /// Whether the baseline marks the method experimental.
    pub fn is_experimental(&self) -> bool {
        self.stability == "experimental"
    }

    /// `client → server request` …
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            MessageKind::Request => "request",
            MessageKind::Notification => "notification",
        };
        format!("{} {kind}", self.direction)
    }
}

/// A surface to compare: the method table and the `$defs` of each direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The released version (`current` for the Rust types).
    pub version: String,
    /// Where it came from, for the report.
    pub source: String,
    /// The method table, in table order.
    pub methods: Vec<MethodEntry>,
    /// What the server receives.
    pub client_to_server: Map<String, Value>,
    /// What the server sends.
    pub server_to_client: Map<String, Value>,
}

impl Baseline {
    /// The `$defs` of a direction.
    pub fn defs(&self, direction: Direction) -> &Map<String, Value> {
        match direction {
            Direction::ClientToServer => &self.client_to_server,
            Direction::ServerToClient => &self.server_to_client,
        }
    }

    /// The `$defs` of a direction, to change.
    pub fn defs_mut(&mut self, direction: Direction) -> &mut Map<String, Value> {
        match direction {
            Direction::ClientToServer => &mut self.client_to_server,
            Direction::ServerToClient => &mut self.server_to_client,
        }
    }

    /// The current surface, as a baseline.
    pub fn from_surface(surface: &Surface, version: &str, source: &str) -> Baseline {
        let mut methods = Vec::new();
        for method in &surface.methods {
            let meta = method.meta;
            methods.push(MethodEntry {
                // A method family by its pattern (`codex/event/{type}`): its prefix is no method.
                name: meta.display_name(),
                direction: meta.direction,
                kind: meta.kind,
                api: meta.api.as_str().to_owned(),
                stability: meta.stability.as_str().to_owned(),
                aliases: meta.aliases.iter().map(|a| (*a).to_owned()).collect(),
                deprecated: meta.deprecated.map(str::to_owned),
                params_type: meta.params_type.map(str::to_owned),
                result_type: meta.result_type.map(str::to_owned),
                params: method.params.as_ref().map(|p| strip_docs(&p.schema_ref)),
                result: method.result.as_ref().map(|p| strip_docs(&p.schema_ref)),
            });
        }
        let mut baseline = Baseline {
            version: version.to_owned(),
            source: source.to_owned(),
            methods,
            client_to_server: Map::new(),
            server_to_client: Map::new(),
        };
        for (direction, defs) in &surface.schema_defs {
            *baseline.defs_mut(*direction) =
                defs.iter().map(|(name, schema)| (name.clone(), strip_docs(schema))).collect();
        }
        baseline.prune();
        baseline
    }

    /// Keeps only the definitions some payload of their direction reaches.
    pub fn prune(&mut self) {
        for direction in Direction::ALL {
            let mut reached = std::collections::BTreeSet::new();
            let mut todo: Vec<String> = Vec::new();
            for method in &self.methods {
                for (schema, payload) in [
                    (&method.params, method.params_direction()),
                    (&method.result, method.result_direction()),
                ] {
                    if let (Some(schema), true) = (schema, payload == direction) {
                        refs(schema, &mut todo);
                    }
                }
            }
            let defs = self.defs_mut(direction);
            while let Some(name) = todo.pop() {
                if !reached.insert(name.clone()) {
                    continue;
                }
                if let Some(schema) = defs.get(&name) {
                    refs(schema, &mut todo);
                }
            }
            defs.retain(|name, _| reached.contains(name));
        }
    }

    /// Writes the three files into `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        let methods: Vec<Value> = self.methods.iter().map(method_json).collect();
        let files = [
            (
                METHODS_FILE,
                json!({ "format": FORMAT, "version": self.version, "source": self.source, "methods": methods }),
            ),
            (
                RECEIVES_FILE,
                json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": self.client_to_server }),
            ),
            (
                SENDS_FILE,
                json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": self.server_to_client }),
            ),
        ];
        for (name, value) in files {
            let path = dir.join(name);
            std::fs::write(&path, pretty_json(&value))
                .map_err(|err| format!("{}: {err}", path.display()))?;
        }
        Ok(())
    }

    /// Reads a baseline folder, checking its shape and that every `$ref` resolves; errors name
    /// the file and the JSON path.
    pub fn read(dir: &Path) -> Result<Baseline, String> {
        let load = |name: &str| -> Result<(String, Value), String> {
            let path = dir.join(name);
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|err| format!("{shown}: {err}"))?;
            let value =
                serde_json::from_str(&text).map_err(|err| format!("{shown}: not JSON: {err}"))?;
            Ok((shown, value))
        };
        let (methods_file, methods) = load(METHODS_FILE)?;
        let at = |path: &str, what: &str| format!("{methods_file}: `{path}`: {what}");
        let format = methods
            .get("format")
            .and_then(Value::as_u64)
            .ok_or_else(|| at("format", "expected an integer"))?;
        if format != FORMAT {
            return Err(at(
                "format",
                &format!("format {format} is not supported (this xtask reads format {FORMAT})"),
            ));
        }
        let text = |value: &Value, path: &str| {
            value.as_str().map(str::to_owned).ok_or_else(|| at(path, "expected a string"))
        };
        let version = text(methods.get("version").unwrap_or(&Value::Null), "version")?;
        let source = text(methods.get("source").unwrap_or(&Value::Null), "source")?;
        let list = methods
            .get("methods")
            .and_then(Value::as_array)
            .ok_or_else(|| at("methods", "expected an array"))?;
        let mut entries = Vec::new();
        for (index, entry) in list.iter().enumerate() {
            entries.push(parse_method(entry, &format!("methods[{index}]"), &at)?);
        }
        let mut defs = Vec::new();
        for name in Direction::ALL.map(schema_file) {
            let (shown, value) = load(name)?;
            let map = value
                .get("$defs")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| format!("{shown}: `$defs`: expected an object"))?;
            for (def, schema) in &map {
                check_refs(schema, &format!("$defs.{def}"), &map)
                    .map_err(|err| format!("{shown}: {err}"))?;
            }
            defs.push((shown, map));
        }
        let sends = defs.pop().expect("two files");
        let receives = defs.pop().expect("two files");
        for (index, method) in entries.iter().enumerate() {
            for (role, schema, direction) in [
                ("params", &method.params, method.params_direction()),
                ("result", &method.result, method.result_direction()),
            ] {
                let (shown, map) =
                    if direction == Direction::ClientToServer { &receives } else { &sends };
                if let Some(schema) = schema {
                    check_refs(schema, &format!("methods[{index}].{role}"), map)
                        .map_err(|err| format!("{methods_file}: {err} (in {shown})"))?;
                }
            }
        }
        Ok(Baseline {
            version,
            source,
            methods: entries,
            client_to_server: receives.1,
            server_to_client: sends.1,
        })
    }
}

fn method_json(method: &MethodEntry) -> Value {
    json!({
        "method": method.name,
        "direction": method.direction.as_str(),
        "kind": match method.kind {
            MessageKind::Request => "request",
            MessageKind::Notification => "notification",
        },
        "api": method.api,
        "stability": method.stability,
        "aliases": method.aliases,
        "deprecated": method.deprecated,
        "paramsType": method.params_type,
        "params": method.params,
        "resultType": method.result_type,
        "result": method.result,
    })
}

fn parse_method(
    entry: &Value,
    path: &str,
    at: &dyn Fn(&str, &str) -> String,
) -> Result<MethodEntry, String> {
    let field = |key: &str| entry.get(key).unwrap_or(&Value::Null);
    let text = |key: &str| {
        field(key)
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| at(&format!("{path}.{key}"), "expected a string"))
    };
    let optional_text = |key: &str| match field(key) {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(at(&format!("{path}.{key}"), "expected a string or null")),
    };
    let optional_schema = |key: &str| match field(key) {
        Value::Null => Ok(None),
        schema @ (Value::Object(_) | Value::Bool(_)) => Ok(Some(schema.clone())),
        _ => Err(at(&format!("{path}.{key}"), "expected a schema or null")),
    };
    let direction_text = text("direction")?;
    let direction = Direction::parse(&direction_text).ok_or_else(|| {
        at(
            &format!("{path}.direction"),
            &format!("`{direction_text}`: expected `clientToServer` or `serverToClient`"),
        )
    })?;
    let kind = match text("kind")?.as_str() {
        "request" => MessageKind::Request,
        "notification" => MessageKind::Notification,
        other => {
            return Err(at(
                &format!("{path}.kind"),
                &format!("`{other}`: expected `request` or `notification`"),
            ));
        }
    };
    let aliases = field("aliases")
        .as_array()
        .ok_or_else(|| at(&format!("{path}.aliases"), "expected an array"))?
        .iter()
        .enumerate()
        .map(|(i, a)| {
            a.as_str()
                .map(str::to_owned)
                .ok_or_else(|| at(&format!("{path}.aliases[{i}]"), "expected a string"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MethodEntry {
        name: text("method")?,
        direction,
        kind,
        api: text("api")?,
        stability: text("stability")?,
        aliases,
        deprecated: optional_text("deprecated")?,
        params_type: optional_text("paramsType")?,
        result_type: optional_text("resultType")?,
        params: optional_schema("params")?,
        result: optional_schema("result")?,
    })
}

/// Every definition name a schema references (`#/$defs/Name`).
pub fn refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        out.extend(r.strip_prefix("#/$defs/").map(str::to_owned))
                    }
                    ("properties" | "$defs", Value::Object(props)) => {
                        props.values().for_each(|v| refs(v, out))
                    }
                    _ => refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// Every `$ref` of `schema` names a definition of `defs`.
fn check_refs(schema: &Value, path: &str, defs: &Map<String, Value>) -> Result<(), String> {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                let inner = format!("{path}.{key}");
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        let name = r.strip_prefix("#/$defs/").ok_or_else(|| {
                            format!("`{inner}`: `{r}` is not a `#/$defs/` reference")
                        })?;
                        if !defs.contains_key(name) {
                            return Err(format!("`{inner}`: `{r}` names no definition"));
                        }
                    }
                    ("$ref", _) => return Err(format!("`{inner}`: expected a string")),
                    ("enum" | "const" | "default" | "examples" | "required", _) => {}
                    ("properties" | "patternProperties" | "$defs", Value::Object(props)) => {
                        for (name, prop) in props {
                            check_refs(prop, &format!("{inner}.{name}"), defs)?;
                        }
                    }
                    _ => check_refs(value, &inner, defs)?,
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_refs(v, &format!("{path}[{i}]"), defs)),
        _ => Ok(()),
    }
}

/// A schema without documentation keywords (`description`, `title`, `examples`). Property
/// *names* are data and stay, even when a property is called `title`.
pub fn strip_docs(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| {
                    !matches!(key.as_str(), "description" | "title" | "examples" | "$schema")
                })
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        (
                            "properties" | "$defs" | "patternProperties" | "dependentSchemas",
                            Value::Object(props),
                        ) => Value::Object(
                            props.iter().map(|(k, v)| (k.clone(), strip_docs(v))).collect(),
                        ),
                        ("enum" | "const" | "default" | "required", value) => value.clone(),
                        (_, value) => strip_docs(value),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}
