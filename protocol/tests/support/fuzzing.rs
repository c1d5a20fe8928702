//! What the fuzz targets (`fuzz/`) and the bounded property tests (`tests/decode_properties.rs`)
//! share: the fixture corpus, structure-aware mutations of fixture messages, and the checks
//! every decoded line must pass. Included by path from both, so that they test one thing.
//!
//! Checks: decoding never panics; a decoded message re-encodes, and once re-encoded it is a
//! fixed point (decoding the re-encoding and encoding again gives the same JSON, and decoding
//! that gives the same message); members are passed by name (no array of the input comes back
//! as an object: nothing was read positionally); an error has a standard JSON-RPC code and
//! displays, and an answerable one (a request with a readable id) gives an error response whose
//! `data` carries its path.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use app_server_protocol::{
    ClientMessage, ClientRequestMethod, DecodeError, DecodeLimits, PendingRequests, RequestId,
    ServerMessage, ServerRequestMethod, decode_client_message_bytes, decode_server_message_bytes,
};
use serde_json::{Map, Number, Value};

/// One message of the fixtures: who sent it, the message, and for an answer the method of the
/// request it answers (from the same file).
#[derive(Debug, Clone)]
pub struct FixtureMessage {
    pub from_client: bool,
    pub message: Value,
    pub answers: Option<String>,
}

/// Every message of `fixtures/v1` and `fixtures/v2`, in a stable order; `root` is the
/// repository root.
pub fn fixture_messages(root: &Path) -> Vec<FixtureMessage> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.join("fixtures/v1"), root.join("fixtures/v2")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut messages = Vec::new();
    for file in files {
        let mut requested: Option<String> = None;
        for line in std::fs::read_to_string(&file).unwrap().lines().filter(|l| !l.trim().is_empty())
        {
            let entry: Value = serde_json::from_str(line).unwrap();
            let message = entry["message"].clone();
            let answers = if message.get("method").is_none() { requested.clone() } else { None };
            if message.get("id").is_some()
                && let Some(method) = message["method"].as_str()
            {
                requested = Some(method.to_owned());
            }
            messages.push(FixtureMessage {
                from_client: entry["from"] == "client",
                message,
                answers,
            });
        }
    }
    messages
}

/// Values a mutation puts in place: the hostile numbers, wrong types, and strings.
fn replacement(arg: u32, strings: &[String]) -> Value {
    match arg % 16 {
        0 => Value::Null,
        1 => Value::Bool(arg & 0x100 != 0),
        2 => Value::from(0),
        3 => Value::from(-1),
        4 => Value::from(i64::MAX),
        5 => Value::from(u64::MAX),
        6 => Value::Number(Number::from_f64(-0.0).unwrap()),
        7 => Value::Number(Number::from_f64(1e300).unwrap()),
        8 => Value::Number(Number::from_f64(0.5).unwrap()),
        9 => Value::String(String::new()),
        10 => Value::Array(Vec::new()),
        11 => Value::Object(Map::new()),
        12 => Value::from(u64::from(u32::MAX) + 1),
        13 => Value::String("\u{0}\u{feff}é\u{10ffff}".to_owned()),
        _ if strings.is_empty() => Value::Null,
        _ => Value::String(strings[(arg as usize >> 4) % strings.len()].clone()),
    }
}

/// One structure-aware mutation: `kind` says what to do, `pick` which node of the message
/// (in pre-order), `arg` with what.
#[derive(Debug, Clone, Copy)]
pub struct Mutation {
    pub kind: u8,
    pub pick: u32,
    pub arg: u32,
}

/// Applies a mutation to a message: replace a node's value, remove a member or element, add a
/// member, rename a member (camelCase ↔ snake_case, or another known name), wrap a value in an
/// array, copy one node over another, or turn an object into the array of its values (the
/// positional form of the same members: params, a result, an approval answer, any struct).
/// Every node may be picked, the message itself included, so arrays appear in every position.
pub fn mutate(message: &mut Value, mutation: Mutation, strings: &[String]) {
    let count = count_nodes(message);
    let target = mutation.pick as usize % count;
    let donor = if mutation.kind % 8 == 6 {
        nth(message, mutation.arg as usize % count).cloned()
    } else {
        None
    };
    let Some(node) = nth_mut(message, target) else { return };
    match mutation.kind % 8 {
        0 => *node = replacement(mutation.arg, strings),
        1 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(mutation.arg as usize % map.len()).cloned().unwrap();
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(mutation.arg as usize % items.len());
            }
            _ => *node = Value::Null,
        },
        2 => {
            if let Value::Object(map) = node {
                let key = strings
                    .get(mutation.arg as usize % strings.len().max(1))
                    .cloned()
                    .unwrap_or_default();
                map.insert(key, replacement(mutation.arg >> 8, strings));
            }
        }
        3 => {
            if let Value::Object(map) = node
                && !map.is_empty()
            {
                let key = map.keys().nth(mutation.arg as usize % map.len()).cloned().unwrap();
                let value = map.remove(&key).unwrap();
                map.insert(rename(&key, mutation.arg >> 8, strings), value);
            }
        }
        4 => *node = Value::Array(vec![node.take()]),
        5 => {
            if let Value::String(text) = node {
                let cut = (mutation.arg as usize) % (text.len() + 1);
                let cut = (0..=cut).rev().find(|at| text.is_char_boundary(*at)).unwrap_or(0);
                text.truncate(cut);
            } else {
                *node = replacement(mutation.arg, strings);
            }
        }
        6 => *node = donor.unwrap_or(Value::Null),
        _ => {
            *node = match node.take() {
                Value::Object(map) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
                other => Value::Array(vec![other]),
            }
        }
    }
}

fn rename(key: &str, arg: u32, strings: &[String]) -> String {
    match arg % 3 {
        0 => key
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }
            })
            .collect(),
        1 => {
            let mut out = String::new();
            let mut upper = false;
            for c in key.chars() {
                if c == '_' {
                    upper = true;
                } else {
                    out.push(if upper { c.to_ascii_uppercase() } else { c });
                    upper = false;
                }
            }
            out
        }
        _ => strings.get((arg as usize >> 2) % strings.len().max(1)).cloned().unwrap_or_default(),
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn nth(value: &Value, n: usize) -> Option<&Value> {
    fn walk<'a>(value: &'a Value, n: &mut usize) -> Option<&'a Value> {
        if *n == 0 {
            return Some(value);
        }
        *n -= 1;
        match value {
            Value::Array(items) => items.iter().find_map(|v| walk(v, n)),
            Value::Object(map) => map.values().find_map(|v| walk(v, n)),
            _ => None,
        }
    }
    walk(value, &mut { n })
}

fn nth_mut(value: &mut Value, n: usize) -> Option<&mut Value> {
    fn walk<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
        if *n == 0 {
            return Some(value);
        }
        *n -= 1;
        match value {
            Value::Array(items) => items.iter_mut().find_map(|v| walk(v, n)),
            Value::Object(map) => map.values_mut().find_map(|v| walk(v, n)),
            _ => None,
        }
    }
    walk(value, &mut { n })
}

/// Every string of the fixtures (member names and values), sorted: what renames and inserted
/// strings draw from, so that mutations hit real method names, tags and enum values.
pub fn corpus_strings(messages: &[FixtureMessage]) -> Vec<String> {
    fn collect(value: &Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::String(s) if s.len() <= 64 => {
                out.insert(s.clone());
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.insert(k.clone());
                collect(v, out);
            }),
            _ => {}
        }
    }
    let mut set = std::collections::BTreeSet::new();
    messages.iter().for_each(|m| collect(&m.message, &mut set));
    set.into_iter().collect()
}

/// Splits a fuzz input into the method of the request the line answers (a first line of at
/// most 64 bytes, possibly empty) and the line itself. Input without a newline is all line.
pub fn split_input(data: &[u8]) -> (Option<&str>, &[u8]) {
    match data.iter().position(|b| *b == b'\n') {
        Some(at) if at <= 64 => {
            (std::str::from_utf8(&data[..at]).ok().filter(|m| !m.is_empty()), &data[at + 1..])
        }
        _ => (None, data),
    }
}

/// The id of a line, if it has a readable one.
fn probe_id(line: &[u8]) -> Option<RequestId> {
    #[derive(serde::Deserialize)]
    struct Probe {
        id: Option<RequestId>,
    }
    serde_json::from_slice::<Probe>(line).ok()?.id
}

/// Decodes `line` as sent by the client (`from_client`) or the server, with the request it
/// answers pending under its id (when `answers` names a request method of the other side),
/// and checks the decoder's contract. Returns a description of the first violation.
pub fn check_line(from_client: bool, line: &[u8], answers: Option<&str>) -> Result<(), String> {
    let limits = DecodeLimits::default();
    let id = answers.and_then(|_| probe_id(line));
    if from_client {
        let pending = || {
            let mut pending = PendingRequests::<ServerRequestMethod>::new();
            if let (Some(id), Some(method)) =
                (&id, answers.and_then(ServerRequestMethod::from_wire))
            {
                pending.insert(id.clone(), method);
            }
            pending
        };
        let decoded = decode_client_message_bytes(line, &mut pending(), &limits);
        check_by_name(line, decoded.as_ref().ok().map(ClientMessage::to_line))?;
        check_fixed_point(
            decoded,
            |text| decode_client_message_bytes(text.as_bytes(), &mut pending(), &limits),
            ClientMessage::to_line,
        )
    } else {
        let pending = || {
            let mut pending = PendingRequests::<ClientRequestMethod>::new();
            if let (Some(id), Some(method)) =
                (&id, answers.and_then(ClientRequestMethod::from_wire))
            {
                pending.insert(id.clone(), method);
            }
            pending
        };
        let decoded = decode_server_message_bytes(line, &mut pending(), &limits);
        check_by_name(line, decoded.as_ref().ok().map(ServerMessage::to_line))?;
        check_fixed_point(
            decoded,
            |text| decode_server_message_bytes(text.as_bytes(), &mut pending(), &limits),
            ServerMessage::to_line,
        )
    }
}

/// decode → encode → decode …: the encoding must settle within [`ROUNDS`] rounds, and the
/// message it settles on decodes to itself. (The first decode may drop what is read but never
/// written — a response item's provider `id`, input-only legacy shapes; and the frozen v1 wire
/// of `ResponseItem::Reasoning` writes no `content` for a list without `reasoning_text`
/// parts, which reads back as `null` and is then written as `null`: two rounds.)
fn check_fixed_point<M: PartialEq + std::fmt::Debug>(
    decoded: Result<M, DecodeError>,
    decode: impl Fn(&str) -> Result<M, DecodeError>,
    encode: impl Fn(&M) -> Result<String, serde_json::Error>,
) -> Result<(), String> {
    const ROUNDS: usize = 3;
    let mut message = match decoded {
        Ok(message) => message,
        Err(err) => return check_error(&err),
    };
    let mut line = encode(&message)
        .map_err(|err| format!("a decoded message does not encode: {err}: {message:?}"))?;
    for _ in 0..ROUNDS {
        let next = decode(&line)
            .map_err(|err| format!("a re-encoding does not decode: {err}\n  line: {line}"))?;
        let next_line = encode(&next)
            .map_err(|err| format!("a decoded message does not encode: {err}: {next:?}"))?;
        let (a, b): (Value, Value) =
            (serde_json::from_str(&line).unwrap(), serde_json::from_str(&next_line).unwrap());
        if a == b {
            let again = decode(&next_line).map_err(|err| {
                format!("a re-encoding does not decode: {err}\n  line: {next_line}")
            })?;
            if again != next {
                return Err(format!(
                    "decode → encode → decode is not a fixed point\n  line: {next_line}\n  before: {next:?}\n  after: {again:?}"
                ));
            }
            return Ok(());
        }
        (message, line) = (next, next_line);
    }
    Err(format!(
        "the encoding does not settle in {ROUNDS} rounds\n  last: {line}\n  message: {message:?}"
    ))
}

fn check_error(err: &DecodeError) -> Result<(), String> {
    if !matches!(err.code().0, -32700 | -32600 | -32601 | -32602 | -32603) {
        return Err(format!("non-standard code: {err}"));
    }
    let _ = err.to_string();
    if err.to_error_response().is_some() != err.is_answerable() {
        return Err(format!(
            "answerable is {} but the response is not: {err}",
            err.is_answerable()
        ));
    }
    if let Some(response) = err.to_error_response() {
        serde_json::to_string(&response)
            .map_err(|e| format!("the error response does not encode: {e}"))?;
        let path = response.error.data.as_ref().and_then(|data| data.get("path"));
        if path.and_then(Value::as_str) != err.path.as_deref() {
            return Err(format!("error.data.path is {path:?}, the error's path {:?}", err.path));
        }
    }
    Ok(())
}

/// Members are passed by name: when a line decodes, no array of it may come back as an object
/// in the re-encoding (the decoder would have read it positionally).
fn check_by_name(
    line: &[u8],
    encoded: Option<Result<String, serde_json::Error>>,
) -> Result<(), String> {
    let (Ok(input), Some(Ok(output))) = (serde_json::from_slice::<Value>(line), encoded) else {
        return Ok(());
    };
    let output: Value = serde_json::from_str(&output).unwrap();
    fn walk(input: &Value, output: &Value, path: &mut String) -> Result<(), String> {
        match (input, output) {
            (Value::Array(_), Value::Object(_)) => {
                Err(format!("an array was read as an object at `{path}`"))
            }
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a {
                    if let Some(other) = b.get(key) {
                        let len = path.len();
                        path.push('.');
                        path.push_str(key);
                        walk(value, other, path)?;
                        path.truncate(len);
                    }
                }
                Ok(())
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (index, (value, other)) in a.iter().zip(b).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{index}]"));
                    walk(value, other, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(&input, &output, &mut String::new())
        .map_err(|problem| format!("{problem}\n  line: {}", String::from_utf8_lossy(line)))
}
