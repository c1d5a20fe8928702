//! The baseline format: a released surface, committed under `compat/baselines/<version>/`.
//!
//! - `methods.json` — `{ format, version, source, methods: [...] }`, one entry per method of
//!   the table in table order: `method`, `direction` (`clientToServer` / `serverToClient`),
//!   `kind` (`request` / `notification`), `api`, `stability`, `aliases`, `deprecated`, and per
//!   payload the type name (`paramsType`, `resultType`) and the payload schema (`params`,
//!   `result`: a `$ref` into the schema file of the payload's flow, or `null` when absent).
//! - `server-receives.schema.json` — `{ $schema, $defs }`: every type the server *decodes*
//!   (input: params of client requests and notifications, results of server requests), in the
//!   deserialize contract (a key is `required` when it must be present).
//! - `server-sends.schema.json` — every type the server *encodes* (output), in the serialize
//!   contract (a key is `required` when it is always written; nullable fields stay listed).
//!
//! Types reached from both flows are in both files, each in its own contract. Documentation
//! (`description`, `title`, `examples`) is left out: it is not the wire. Only types reached
//! from a payload are kept. Everything is pretty JSON with sorted keys and a final newline.

use std::path::Path;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use super::rules::Flow;
use crate::codegen::{Surface, pretty_json};

/// The version of this file format.
pub const FORMAT: u64 = 1;

/// The file names of a baseline folder.
pub const METHODS_FILE: &str = "methods.json";
pub const INPUT_FILE: &str = "server-receives.schema.json";
pub const OUTPUT_FILE: &str = "server-sends.schema.json";

/// One method of a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodEntry {
    pub name: String,
    pub direction: Direction,
    pub kind: MessageKind,
    pub api: String,
    pub stability: String,
    pub aliases: Vec<String>,
    pub deprecated: Option<String>,
    pub params_type: Option<String>,
    pub result_type: Option<String>,
    pub params: Option<Value>,
    pub result: Option<Value>,
}

impl MethodEntry {
    /// The flow of the params: what their sender is to the server.
    pub fn params_flow(&self) -> Flow {
        match self.direction {
            Direction::ClientToServer => Flow::Input,
            Direction::ServerToClient => Flow::Output,
        }
    }

    /// The flow of the result: the other way round.
    pub fn result_flow(&self) -> Flow {
        match self.params_flow() {
            Flow::Input => Flow::Output,
            Flow::Output => Flow::Input,
        }
    }

    /// `client → server request` …
    pub fn describe(&self) -> String {
        let direction = match self.direction {
            Direction::ClientToServer => "client → server",
            Direction::ServerToClient => "server → client",
        };
        let kind = match self.kind {
            MessageKind::Request => "request",
            MessageKind::Notification => "notification",
        };
        format!("{direction} {kind}")
    }
}

/// A surface to compare: the method table and the `$defs` of each flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub version: String,
    pub source: String,
    pub methods: Vec<MethodEntry>,
    pub input: Map<String, Value>,
    pub output: Map<String, Value>,
}

impl Baseline {
    /// The `$defs` of a flow.
    pub fn defs(&self, flow: Flow) -> &Map<String, Value> {
        match flow {
            Flow::Input => &self.input,
            Flow::Output => &self.output,
        }
    }

    /// The current surface, as a baseline.
    pub fn from_surface(surface: &Surface, version: &str, source: &str) -> Baseline {
        let flow = |contract: Direction| match contract {
            Direction::ClientToServer => Flow::Input,
            Direction::ServerToClient => Flow::Output,
        };
        let mut methods = Vec::new();
        for method in &surface.methods {
            let meta = method.meta;
            methods.push(MethodEntry {
                name: meta.wire_name.to_owned(),
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
            input: Map::new(),
            output: Map::new(),
        };
        for (contract, defs) in &surface.schema_defs {
            let target = match flow(*contract) {
                Flow::Input => &mut baseline.input,
                Flow::Output => &mut baseline.output,
            };
            *target =
                defs.iter().map(|(name, schema)| (name.clone(), strip_docs(schema))).collect();
        }
        baseline.prune();
        baseline
    }

    /// Keeps only the definitions some payload of their flow reaches.
    pub fn prune(&mut self) {
        for flow in [Flow::Input, Flow::Output] {
            let mut reached = std::collections::BTreeSet::new();
            let mut todo: Vec<String> = Vec::new();
            for method in &self.methods {
                for (schema, payload_flow) in
                    [(&method.params, method.params_flow()), (&method.result, method.result_flow())]
                {
                    if let (Some(schema), true) = (schema, payload_flow == flow) {
                        refs(schema, &mut todo);
                    }
                }
            }
            let defs = match flow {
                Flow::Input => &mut self.input,
                Flow::Output => &mut self.output,
            };
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
                INPUT_FILE,
                json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": self.input }),
            ),
            (
                OUTPUT_FILE,
                json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": self.output }),
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
        for name in [INPUT_FILE, OUTPUT_FILE] {
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
        let output = defs.pop().expect("two files");
        let input = defs.pop().expect("two files");
        for (index, method) in entries.iter().enumerate() {
            for (role, schema, flow) in [
                ("params", &method.params, method.params_flow()),
                ("result", &method.result, method.result_flow()),
            ] {
                let (shown, map) = if flow == Flow::Input { &input } else { &output };
                if let Some(schema) = schema {
                    check_refs(schema, &format!("methods[{index}].{role}"), map)
                        .map_err(|err| format!("{methods_file}: {err} (in {shown})"))?;
                }
            }
        }
        Ok(Baseline { version, source, methods: entries, input: input.1, output: output.1 })
    }
}

fn method_json(method: &MethodEntry) -> Value {
    json!({
        "method": method.name,
        "direction": match method.direction {
            Direction::ClientToServer => "clientToServer",
            Direction::ServerToClient => "serverToClient",
        },
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
    let direction = match text("direction")?.as_str() {
        "clientToServer" => Direction::ClientToServer,
        "serverToClient" => Direction::ServerToClient,
        other => {
            return Err(at(
                &format!("{path}.direction"),
                &format!("`{other}`: expected `clientToServer` or `serverToClient`"),
            ));
        }
    };
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
