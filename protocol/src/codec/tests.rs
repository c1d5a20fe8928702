//! The two decoder paths side by side, on hostile input: the fast path (`one_pass`) must give up
//! (never panic, never overflow the stack) wherever the diagnostic path reports an error, and
//! both must agree on every line the fast path accepts. The public-API table is in
//! `protocol/tests/hostile_input.rs`; this module reaches the private paths.

mod shapes;

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};

use super::{
    ClientToServer, DecodeError, DecodeErrorKind, PendingRequests, Sender, ServerToClient,
    diagnose, one_pass,
};
use crate::methods::{ClientRequestMethod, ServerRequestMethod};

/// Runs both paths on `line`; asserts that they agree and returns the diagnostic result.
fn both<S: Sender>(
    line: &str,
    pending: &PendingRequests<S::AnsweredMethod>,
) -> Result<S::Message, DecodeError>
where
    S::Message: PartialEq + std::fmt::Debug,
{
    let fast = fast_path::<S>(line, pending);
    let slow = diagnose::<S, ()>(line, &mut pending.clone());
    if let Some(fast) = &fast {
        assert_eq!(slow.as_ref(), Ok(fast), "the paths disagree on {}", preview(line));
    }
    slow
}

/// The fast path alone: the message it decodes, or `None` when it gives up.
fn fast_path<S: Sender>(
    line: &str,
    pending: &PendingRequests<S::AnsweredMethod>,
) -> Option<S::Message> {
    let mut slot = Err(DecodeError::new(DecodeErrorKind::InvalidMessage, String::new()));
    one_pass::decode::<S>(line, pending, &mut slot)?;
    slot.ok()
}

fn client(line: &str) -> Result<super::ClientMessage, DecodeError> {
    both::<ClientToServer>(line, &PendingRequests::<ServerRequestMethod>::new())
}

fn preview(line: &str) -> String {
    let cut: String = line.chars().take(200).collect();
    if cut.len() < line.len() { format!("{cut}… ({} bytes)", line.len()) } else { cut }
}

fn nested(open: &str, close: &str, depth: usize, core: &str) -> String {
    format!("{}{core}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_is_a_typed_error_on_both_paths() {
    let deep_array = nested("[", "]", 100_000, "");
    let deep_object = nested("{\"a\":", "}", 100_000, "1");
    // Inside a typed value (config/value/write takes any JSON as `value`): serde_json stops at
    // 128 levels; the fast path gives up, the diagnostic path names the limit.
    for value in [&deep_array, &deep_object] {
        let line = format!(
            r#"{{"id":1,"method":"config/value/write","params":{{"keyPath":"model","mergeStrategy":"replace","value":{value}}}}}"#
        );
        let err = client(&line).unwrap_err();
        assert_eq!((err.kind, err.code().0), (DecodeErrorKind::InvalidParams, -32602), "{err}");
        assert_eq!(
            err.message,
            "nested too deeply: more than 128 levels of arrays and objects (the decoder's limit)"
        );
        assert!(
            err.path.as_deref().is_some_and(|p| p.starts_with("params.value")),
            "{:?}",
            err.path
        );
    }
    // As the params themselves, the id, the whole line: refused by shape, without recursing.
    let cases = [
        (format!(r#"{{"id":1,"method":"thread/archive","params":{deep_array}}}"#), -32602),
        (format!(r#"{{"id":{deep_array},"method":"account/logout"}}"#), -32600),
        (deep_array.clone(), -32600),
        (nested("[", "", 100_000, ""), -32700),
        (
            format!(
                r#"{{"id":1,"method":"config/value/write","params":{{"value":{}"#,
                "[".repeat(100_000)
            ),
            -32700,
        ),
    ];
    for (line, code) in &cases {
        let err = client(line).unwrap_err();
        assert_eq!(err.code().0, *code, "{}: {err}", preview(line));
    }
    // A member nobody reads is skipped by serde_json without recursion, whatever its depth.
    let ignored = format!(r#"{{"id":1,"method":"account/logout","x-trace":{deep_object}}}"#);
    assert!(client(&ignored).is_ok());
}

#[test]
fn nesting_just_under_the_limit_decodes_on_both_paths_within_a_test_thread_stack() {
    // 127 levels inside `value` (the line itself adds one): the deepest accepted value, decoded
    // through serde_path_to_error on the diagnostic path, on a default 2 MiB test thread.
    let value = nested("[", "]", 126, "");
    let line = format!(
        r#"{{"id":1,"method":"config/value/write","params":{{"keyPath":"k","mergeStrategy":"replace","value":{value}}}}}"#
    );
    let message = client(&line).unwrap();
    let canonical = format!(
        r#"{{"id":1,"method":"config/value/write","params":{{"keyPath":"k","value":{value},"mergeStrategy":"replace"}}}}"#
    );
    assert_eq!(message.to_line().unwrap(), canonical);
    // Params before method: the fast path keeps them raw and decodes them at the end.
    let reordered = format!(
        r#"{{"params":{{"keyPath":"k","mergeStrategy":"replace","value":{value}}},"id":1,"method":"config/value/write"}}"#
    );
    assert_eq!(client(&reordered).unwrap(), message);
}

#[test]
fn duplicate_members_are_refused_by_both_paths_alike() {
    let cases: [(&str, i64, Option<&str>, &str); 7] = [
        (
            r#"{"jsonrpc":"2.0","method":"initialized","jsonrpc":"2.0"}"#,
            -32600,
            Some("jsonrpc"),
            "duplicate member `jsonrpc`",
        ),
        (
            r#"{"id":1,"id":2,"method":"account/logout"}"#,
            -32600,
            Some("id"),
            "duplicate member `id`",
        ),
        (
            r#"{"id":1,"method":"account/logout","method":"account/logout"}"#,
            -32600,
            Some("method"),
            "duplicate member `method`",
        ),
        (
            r#"{"id":1,"method":"thread/archive","params":{"threadId":"a"},"params":{"threadId":"b"}}"#,
            -32600,
            Some("params"),
            "duplicate member `params`",
        ),
        (
            r#"{"id":1,"method":"thread/archive","params":{"threadId":"a","threadId":"b"}}"#,
            -32602,
            Some("params.threadId"),
            "duplicate member `threadId`",
        ),
        (
            r#"{"params":{"threadId":"a","threadId":"b"},"id":1,"method":"thread/archive"}"#,
            -32602,
            Some("params.threadId"),
            "duplicate member `threadId`",
        ),
        (
            r#"{"method":"account/login/start","id":1,"params":{"type":"apiKey","apiKey":"sk-1","apiKey":"sk-2"}}"#,
            -32602,
            Some("params.apiKey"),
            "duplicate member `apiKey`",
        ),
    ];
    for (line, code, path, message) in cases {
        let err = client(line).unwrap_err();
        assert_eq!((err.code().0, err.path.as_deref()), (code, path), "{line}: {err}");
        assert!(err.message.starts_with(message), "{line}: {err}");
    }
}

#[test]
fn a_secret_in_a_malformed_shape_never_reaches_an_error_on_either_path() {
    let key = "sk-proj-4Qm8xT2vN7bR1kW9zL3cH6yJ0pD5sF8a";
    let lines = [
        format!(r#"{{"id":1,"method":"loginApiKey","params":{{"apiKey":["{key}"]}}}}"#),
        format!(
            r#"{{"id":1,"method":"account/login/start","params":{{"type":"apiKey","apiKey":{{"value":"{key}"}}}}}}"#
        ),
        format!(
            r#"{{"id":1,"method":"account/login/start","params":{{"type":"{key}","apiKey":"{key}"}}}}"#
        ),
        format!(r#"{{"id":{{"apiKey":"{key}"}},"method":"loginApiKey"}}"#),
        format!(r#"{{"id":1,"method":"{key}","params":{{"apiKey":"{key}"}}}}"#),
    ];
    for line in &lines {
        assert!(fast_path::<ClientToServer>(line, &PendingRequests::new()).is_none(), "{line}");
        let err = super::decode_client_message(line, &mut PendingRequests::new()).unwrap_err();
        let shown = format!("{err} {err:?} {:?}", err.to_error_response());
        assert!(!shown.contains("sk-proj"), "{line}\n{shown}");
    }
}

/// A fixture line: sent by the client?, the line, and the request (id, method) it answers.
type FixtureLine = (bool, String, Option<(crate::RequestId, String)>);

/// Every message line of the fixtures, with the pending table it needs.
fn fixture_lines() -> Vec<FixtureLine> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    let mut stack = vec![root.join("v1"), root.join("v2")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        let mut request: Option<(crate::RequestId, String)> = None;
        for text in std::fs::read_to_string(&file).unwrap().lines().filter(|l| !l.trim().is_empty())
        {
            let entry: serde_json::Value = serde_json::from_str(text).unwrap();
            let from_client = entry["from"] == "client";
            let message = &entry["message"];
            let answered = if message.get("method").is_none() { request.clone() } else { None };
            if let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) {
                request = Some((serde_json::from_value(id.clone()).unwrap(), method.to_owned()));
            }
            lines.push((from_client, message.to_string(), answered));
        }
    }
    lines
}

/// Runs both paths on a fixture line (with the request it answers pending); returns the
/// re-encoding of the message when it decodes.
fn agree(
    from_client: bool,
    line: &str,
    answered: &Option<(crate::RequestId, String)>,
) -> Option<String> {
    if from_client {
        let mut pending = PendingRequests::<ServerRequestMethod>::new();
        if let Some((id, method)) = answered {
            pending.insert(id.clone(), ServerRequestMethod::from_wire(method).unwrap());
        }
        both::<ClientToServer>(line, &pending).ok().map(|m| m.to_line().unwrap())
    } else {
        let mut pending = PendingRequests::<ClientRequestMethod>::new();
        if let Some((id, method)) = answered {
            pending.insert(id.clone(), ClientRequestMethod::from_wire(method).unwrap());
        }
        both::<ServerToClient>(line, &pending).ok().map(|m| m.to_line().unwrap())
    }
}

#[test]
fn every_fixture_decodes_the_same_on_both_paths() {
    let lines = fixture_lines();
    assert!(lines.len() > 400, "{}", lines.len());
    for (from_client, line, answered) in &lines {
        agree(*from_client, line, answered);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1500,
        rng_seed: RngSeed::Fixed(0x0008_c0de),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Byte-level mutations of fixture lines (cut, insert, overwrite): whatever the fast path
    /// accepts, the diagnostic path decodes to the same message.
    #[test]
    fn mutated_fixtures_decode_the_same_on_both_paths(
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        edit in 0u8..4,
        insert in prop::sample::select(vec!["", "\"", "{", "}", "[", "]", ",", ":", "null", "0", "-0", "1e400", "\"x\"", "\\u0000", "{\"a\":1}"]),
    ) {
        let lines = fixture_lines_cached();
        let (from_client, line, answered) = &lines[pick.index(lines.len())];
        let mut cut = at.index(line.len() + 1);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let mutated = match edit {
            0 => line[..cut].to_owned(),
            1 => format!("{}{insert}{}", &line[..cut], &line[cut..]),
            2 => {
                let mut end = (cut + insert.len().max(1)).min(line.len());
                while !line.is_char_boundary(end) {
                    end += 1;
                }
                format!("{}{insert}{}", &line[..cut], &line[end..])
            }
            _ => format!("{}{}", &line[cut..], &line[..cut]),
        };
        agree(*from_client, &mutated, answered);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        rng_seed: RngSeed::Fixed(0x0008_b1a3),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Structure-aware: one object of a fixture line (the params, the result, any struct
    /// inside them, the message itself) replaced by the array of its values, its positional
    /// form. Members are passed by name, so both paths refuse it (or, where any JSON is
    /// allowed, decode it alike).
    #[test]
    fn positional_forms_of_fixtures_decode_the_same_on_both_paths(
        pick in any::<prop::sample::Index>(),
        object in any::<prop::sample::Index>(),
    ) {
        let lines = fixture_lines_cached();
        let (from_client, line, answered) = &lines[pick.index(lines.len())];
        let mut message: serde_json::Value = serde_json::from_str(line).unwrap();
        let count = count_objects(&message);
        positional(&mut message, &mut object.index(count));
        let line = message.to_string();
        if let Some(encoded) = agree(*from_client, &line, answered) {
            // Decoded: only where any JSON is allowed (`config/value/write`'s `value`, a
            // `config` map …); then the array comes back as an array, never as an object.
            let encoded: serde_json::Value = serde_json::from_str(&encoded).unwrap();
            prop_assert!(!array_became_object(&message, &encoded), "{line}\n{encoded}");
        }
    }
}

/// Whether an array of `input` is an object at the same place in `output`.
fn array_became_object(input: &serde_json::Value, output: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (input, output) {
        (Value::Array(_), Value::Object(_)) => true,
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .any(|(key, value)| b.get(key).is_some_and(|other| array_became_object(value, other))),
        (Value::Array(a), Value::Array(b)) => {
            a.iter().zip(b).any(|(value, other)| array_became_object(value, other))
        }
        _ => false,
    }
}

fn count_objects(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    match value {
        Value::Object(map) => 1 + map.values().map(count_objects).sum::<usize>(),
        Value::Array(items) => items.iter().map(count_objects).sum(),
        _ => 0,
    }
}

/// Replaces the `n`-th object (in pre-order) by the array of its values.
fn positional(value: &mut serde_json::Value, n: &mut usize) -> bool {
    use serde_json::Value;
    if let Value::Object(map) = value {
        if *n == 0 {
            let values = std::mem::take(map).into_iter().map(|(_, v)| v).collect();
            *value = Value::Array(values);
            return true;
        }
        *n -= 1;
        return map.values_mut().any(|v| positional(v, n));
    }
    if let Value::Array(items) = value {
        return items.iter_mut().any(|v| positional(v, n));
    }
    false
}

fn fixture_lines_cached() -> &'static [FixtureLine] {
    static LINES: std::sync::OnceLock<Vec<FixtureLine>> = std::sync::OnceLock::new();
    LINES.get_or_init(fixture_lines)
}

#[test]
fn an_escaped_jsonrpc_version_is_2_0_on_both_paths() {
    let line = r#"{"jsonrpc":"2\u002e0","id":1,"method":"account/logout"}"#;
    let message = client(line).expect("\"2\\u002e0\" is the string 2.0");
    assert_eq!(serde_json::to_string(&message).unwrap(), r#"{"id":1,"method":"account/logout"}"#);
    let err = client(r#"{"jsonrpc":"2\u002e1","id":1,"method":"account/logout"}"#).unwrap_err();
    assert_eq!(err.code().0, -32600);
}
