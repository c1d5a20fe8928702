//! Judging one line by its sender's contract, without a JSON Schema engine: the line is
//! decoded by the protocol crate's decoder of its receiver ([`TranscriptDecoder`], which types
//! an answer by the request it answers), then the typed message is encoded again and the two
//! JSON trees are compared member by member.
//!
//! The encoder is strict and the decoder lenient (ARCHITECTURE.md, "Invariants"), so the
//! comparison says exactly what the strict contract says:
//! - what the **server** sends must be what the encoder writes: a member the encoding has and
//!   the line lacks is missing (outputs carry every member, `null` when absent); a value that
//!   differs is a legacy or alias form the contract accepts on input only;
//! - what a **client** sends only has to decode (the input contract is what the decoder
//!   accepts, absent members and legacy forms included).
//!
//! Both sides: a member the line has and the encoding lacks is unknown — a snake_case leak
//! when its camelCase twin is a member there (a breach: the contract spells it otherwise),
//! else a warning (a newer peer may add members; its receiver ignores them). A notification
//! no table knows is information (a newer server's; a client passes it through). That is the
//! strictness of `cargo xtask validate`: the kit fails only on what the contract says a peer
//! must or must not send.
//!
//! A member whose value is `null` and that the encoding leaves out is not reported: `null`
//! reads as absent. (`cargo xtask validate` judges transcripts with the generated JSON
//! Schemas instead; the kit cannot depend on xtask. Both follow from the same Rust types.)

use app_server_protocol::transcript::{Decoded, TranscriptDecoder};
use app_server_protocol::{Direction, PendingRequests, ServerMessage, decode_client_message};
use serde_json::{Map, Value};

/// How bad one difference from the contract is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The line breaks the sender's contract.
    Breach,
    /// Allowed but not as the contract writes it (a `jsonrpc` member on output, a member the
    /// contract does not know): a warning.
    Doubt,
    /// What a newer peer may send and the receiver passes over (a notification the contract
    /// does not know): information.
    Note,
}

/// One difference between a line and its sender's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong where, and what the contract expects, in wire spelling.
    pub message: String,
    /// The path of the member, when the problem is a member the contract does not know
    /// and no camelCase twin of it was found yet.
    pub unknown_member: Option<String>,
}

/// What judging one line found.
#[derive(Debug)]
pub struct Judged {
    /// The line as JSON, when it is JSON.
    pub value: Option<Value>,
    /// The wire method the line is about (a request's or notification's method, or the
    /// method of the request an answer answers), when the decoder could type it.
    pub method: Option<&'static str>,
    /// Why the receiver's decoder refused the line, when it did (the first of
    /// [`Self::problems`] then says the same).
    pub decode_error: Option<String>,
    /// The differences from the contract; empty when the line keeps it.
    pub problems: Vec<Problem>,
}

/// Records each of `problems` under `check` by its severity: a breach fails, a doubt warns, a
/// note informs.
pub fn record(
    recorder: &mut super::check::Recorder,
    check: &'static str,
    scenario: &'static str,
    problems: Vec<Problem>,
    line: &str,
) {
    for problem in problems {
        match problem.severity {
            Severity::Breach => recorder.fail(check, scenario, problem.message, Some(line)),
            Severity::Doubt => recorder.warn(check, scenario, problem.message, Some(line)),
            Severity::Note => recorder.inform(check, scenario, problem.message, Some(line)),
        }
    }
}

/// Decodes `line`, sent by `sender`, with `transcript` (so that the requests of both sides
/// stay registered and answers are typed by their method) and judges it by `sender`'s
/// contract.
pub fn judge(transcript: &mut TranscriptDecoder, sender: Direction, line: &str) -> Judged {
    let value = serde_json::from_str::<Value>(line).ok();
    let decoded = match transcript.decode(sender, line) {
        Ok(decoded) => decoded,
        Err(err) => {
            let mut message = err.to_string();
            if let (Some(value), Some(path)) = (&value, &err.path) {
                message.push_str(&snake_case_twin(value, path));
            }
            let problem = Problem {
                severity: Severity::Breach,
                message: message.clone(),
                unknown_member: None,
            };
            return Judged {
                value,
                method: None,
                decode_error: Some(message),
                problems: vec![problem],
            };
        }
    };
    let method = decoded.method_name();
    if let Decoded::ServerToClient(ServerMessage::UnknownNotification(unknown)) = &decoded {
        let message = format!(
            "`{}` is a notification the contract does not know (a newer server's); a client passes it through",
            unknown.method
        );
        let problem = Problem { severity: Severity::Note, message, unknown_member: None };
        return Judged { value, method, decode_error: None, problems: vec![problem] };
    }
    let (Some(original), Ok(canonical)) = (&value, decoded.to_value()) else {
        return Judged { value, method, decode_error: None, problems: Vec::new() };
    };
    let mut problems = Vec::new();
    compare(sender, original, &canonical, &mut String::new(), &mut problems);
    if sender == Direction::ClientToServer {
        for problem in &mut problems {
            let twin =
                problem.unknown_member.as_deref().and_then(|path| camel_twin(original, path));
            if let (Some(twin), Some(path)) = (twin, &problem.unknown_member) {
                problem.message = format!(
                    "`{path}` is not a member the contract knows (snake_case: the contract spells it `{twin}`)"
                );
                problem.severity = Severity::Breach;
            }
        }
    }
    Judged { value, method, decode_error: None, problems }
}

/// Compares `original` (what was sent) with `canonical` (its strict encoding) at `path`.
fn compare(
    sender: Direction,
    original: &Value,
    canonical: &Value,
    path: &mut String,
    out: &mut Vec<Problem>,
) {
    match (original, canonical) {
        (Value::Object(sent), Value::Object(expected)) => {
            compare_members(sender, sent, expected, path, out);
        }
        (Value::Array(sent), Value::Array(expected)) if sent.len() == expected.len() => {
            for (index, (sent, expected)) in sent.iter().zip(expected).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                compare(sender, sent, expected, path, out);
                path.truncate(len);
            }
        }
        (Value::Number(sent), Value::Number(expected)) if sent.as_f64() == expected.as_f64() => {}
        (sent, expected) if sent == expected => {}
        (sent, expected) if sender == Direction::ServerToClient => out.push(Problem {
            severity: Severity::Breach,
            unknown_member: None,
            message: format!(
                "`{}` is {}, which the contract accepts on input only: a server writes {}",
                display_path(path),
                short(sent),
                short(expected)
            ),
        }),
        _ => {}
    }
}

/// Compares the members of two objects: unknown members (both senders), missing members
/// (the server only), and each shared member in turn.
fn compare_members(
    sender: Direction,
    sent: &Map<String, Value>,
    expected: &Map<String, Value>,
    path: &mut String,
    out: &mut Vec<Problem>,
) {
    for (name, value) in sent {
        let len = path.len();
        push_member(path, name);
        match expected.get(name) {
            Some(canonical) => compare(sender, value, canonical, path, out),
            None if value.is_null() => {}
            None if path.as_str() == "jsonrpc" => {
                if sender == Direction::ServerToClient {
                    out.push(Problem {
                        severity: Severity::Doubt,
                        unknown_member: None,
                        message: "`jsonrpc` is accepted on input but never sent on this wire"
                            .to_owned(),
                    });
                }
            }
            None => out.push(unknown_member(path, name, expected)),
        }
        path.truncate(len);
    }
    if sender == Direction::ClientToServer {
        return;
    }
    for name in expected.keys().filter(|name| !sent.contains_key(*name)) {
        let len = path.len();
        push_member(path, name);
        out.push(Problem {
            severity: Severity::Breach,
            unknown_member: None,
            message: format!(
                "`{path}` is missing: a server writes every member of its messages (`null` when absent)"
            ),
        });
        path.truncate(len);
    }
}

/// The problem of a member the contract does not know: a breach when it is the snake_case
/// spelling of a member the contract knows there, else a warning.
fn unknown_member(path: &str, name: &str, expected: &Map<String, Value>) -> Problem {
    let camel = camel_case(name);
    let message = format!("`{path}` is not a member the contract knows");
    if camel != name && expected.contains_key(&camel) {
        let message = format!("{message} (snake_case: the contract spells it `{camel}`)");
        return Problem { severity: Severity::Breach, message, unknown_member: None };
    }
    let message = format!("{message} (a receiver ignores it; a newer peer may add members)");
    Problem { severity: Severity::Doubt, message, unknown_member: Some(path.to_owned()) }
}

/// When the member at `path` (`result.modelProvider`) is missing and its parent object has
/// its snake_case twin (`model_provider`), says so; else nothing.
fn snake_case_twin(value: &Value, path: &str) -> String {
    let (parent, member) = path.rsplit_once('.').unwrap_or(("", path));
    let snake = snake_case(member);
    let twin = value_at(value, parent).is_some_and(|at| at.get(&snake).is_some());
    if snake != member && twin {
        format!(" (the line has `{snake}`: snake_case; the contract spells it `{member}`)")
    } else {
        String::new()
    }
}

/// The camelCase twin of the unknown member at `path` of a client's request or
/// notification, when the contract knows it: the message with the member renamed decodes and
/// its strict encoding keeps the renamed member. (A client leaves absent members out, so the
/// encoding of the message as sent cannot tell.)
fn camel_twin(original: &Value, path: &str) -> Option<String> {
    let (parent, name) = path.rsplit_once('.').unwrap_or(("", path));
    let camel = camel_case(name);
    if camel == name {
        return None;
    }
    let mut probe = original.clone();
    let object = value_at_mut(&mut probe, parent)?.as_object_mut()?;
    let member = object.remove(name)?;
    object.insert(camel.clone(), member);
    let decoded = decode_client_message(&probe.to_string(), &mut PendingRequests::new()).ok()?;
    let canonical = serde_json::to_value(&decoded).ok()?;
    value_at(&canonical, parent)?.get(&camel).is_some().then_some(camel)
}

/// The segments of a path as the kit writes it: `params.input[0].text`.
fn segments(path: &str) -> impl Iterator<Item = Result<&str, usize>> {
    path.split('.').filter(|s| !s.is_empty()).flat_map(|segment| {
        let (name, indices) = segment.split_once('[').unwrap_or((segment, ""));
        let indices = indices.split('[').filter_map(|i| i.trim_end_matches(']').parse().ok());
        std::iter::once(Ok(name)).chain(indices.map(Err))
    })
}

/// The value at `path`.
fn value_at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    segments(path).try_fold(value, |at, segment| match segment {
        Ok(name) => at.get(name),
        Err(index) => at.get(index),
    })
}

/// The value at `path`, to change.
fn value_at_mut<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    segments(path).try_fold(value, |at, segment| match segment {
        Ok(name) => at.get_mut(name),
        Err(index) => at.get_mut(index),
    })
}

/// `modelProvider` → `model_provider`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for ch in name.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// `thread_id` → `threadId`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        match ch {
            '_' => upper = !out.is_empty(),
            ch if upper => {
                out.extend(ch.to_uppercase());
                upper = false;
            }
            ch => out.push(ch),
        }
    }
    out
}

fn push_member(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "the message" } else { path }
}

/// A value for a message: short values whole, long ones by their kind.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() <= 80 { text } else { format!("a {}-byte {}", text.len(), kind(value)) }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Direction = Direction::ServerToClient;
    const CLIENT: Direction = Direction::ClientToServer;

    fn problems(sender: Direction, lines: &[&str]) -> Vec<String> {
        let mut transcript = TranscriptDecoder::new();
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let from = if i % 2 == 0 { sender } else { sender.reverse() };
            out.extend(judge(&mut transcript, from, line).problems.into_iter().map(|p| p.message));
        }
        out
    }

    #[test]
    fn a_strict_turn_passes_and_a_turn_without_error_is_missing_a_member() {
        let good = r#"{"method":"turn/started","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"inProgress","error":null}}}"#;
        assert_eq!(problems(SERVER, &[good]), Vec::<String>::new());
        let bad = good.replace(r#","error":null"#, "");
        assert_eq!(
            problems(SERVER, &[&bad]),
            [
                "`params.turn.error` is missing: a server writes every member of its messages (`null` when absent)"
            ]
        );
    }

    #[test]
    fn snake_case_and_unknown_members_are_named() {
        let bad = r#"{"method":"turn/diff/updated","params":{"threadId":"t","turn_id":"u","turnId":"u","diff":"","extra":1}}"#;
        assert_eq!(
            problems(SERVER, &[bad]),
            [
                "`params.extra` is not a member the contract knows (a receiver ignores it; a newer peer may add members)",
                "`params.turn_id` is not a member the contract knows (snake_case: the contract spells it `turnId`)",
            ]
        );
    }

    #[test]
    fn a_client_may_leave_members_out_but_not_misspell_them() {
        let ok =
            r#"{"id":1,"method":"thread/list","params":{"limit":5,"cursor":null,"jsonrpc":null}}"#;
        assert_eq!(problems(CLIENT, &[ok]), Vec::<String>::new());
        let bad = r#"{"id":1,"method":"thread/archive","params":{"threadId":"t","thread_id":"t"}}"#;
        assert_eq!(
            problems(CLIENT, &[bad]),
            [
                "`params.thread_id` is not a member the contract knows (snake_case: the contract spells it `threadId`)"
            ]
        );
    }

    #[test]
    fn a_client_snake_case_member_is_named_only_when_its_twin_exists() {
        let line =
            r#"{"id":1,"method":"thread/start","params":{"model_provider":"x","no_such_thing":1}}"#;
        assert_eq!(
            problems(CLIENT, &[line]),
            [
                "`params.model_provider` is not a member the contract knows (snake_case: the contract spells it `modelProvider`)",
                "`params.no_such_thing` is not a member the contract knows (a receiver ignores it; a newer peer may add members)",
            ]
        );
    }

    #[test]
    fn an_answer_is_judged_by_the_method_it_answers() {
        let request = r#"{"id":1,"method":"thread/archive","params":{"threadId":"t"}}"#;
        let wrong = r#"{"id":1,"result":{"data":[],"nextCursor":"c2"}}"#;
        assert_eq!(
            problems(CLIENT, &[request, wrong]),
            [
                "`result.data` is not a member the contract knows (a receiver ignores it; a newer peer may add members)",
                "`result.nextCursor` is not a member the contract knows (a receiver ignores it; a newer peer may add members)"
            ]
        );
        let unknown = r#"{"id":9,"result":{}}"#;
        let found = problems(SERVER, &[unknown]);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("id 9"), "{found:?}");
    }

    #[test]
    fn a_missing_member_with_a_snake_case_twin_is_named() {
        let request = r#"{"id":1,"method":"turn/start","params":{"threadId":"t","input":[]}}"#;
        let answer = r#"{"id":1,"result":{"turn":{"id":"u","items":[],"status":"inProgress","error":null,"turn_id":1}}}"#;
        assert_eq!(problems(CLIENT, &[request, answer]).len(), 1);
        let diff =
            r#"{"method":"turn/diff/updated","params":{"threadId":"t","turn_id":"u","diff":""}}"#;
        let found = problems(SERVER, &[diff]);
        assert!(
            found[0]
                .ends_with("(the line has `turn_id`: snake_case; the contract spells it `turnId`)"),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_members_warn_snake_case_fails_and_unknown_notifications_inform() {
        let mut transcript = TranscriptDecoder::new();
        let line = r#"{"method":"turn/diff/updated","params":{"threadId":"t","turnId":"u","diff":"","extra":1}}"#;
        let severities: Vec<Severity> =
            judge(&mut transcript, SERVER, line).problems.iter().map(|p| p.severity).collect();
        assert_eq!(severities, [Severity::Doubt]);
        let snake = r#"{"id":1,"method":"thread/archive","params":{"thread_id":"t"}}"#;
        let judged = judge(&mut transcript, CLIENT, snake);
        assert!(
            judged.problems.iter().all(|p| p.severity == Severity::Breach),
            "{:?}",
            judged.problems
        );
        let newer = r#"{"method":"thread/tokenUsage/updated","params":{"threadId":"t"}}"#;
        let judged = judge(&mut transcript, SERVER, newer);
        assert_eq!(judged.problems.len(), 1);
        assert_eq!(judged.problems[0].severity, Severity::Note);
        assert!(judged.problems[0].message.contains("a client passes it through"));
    }

    #[test]
    fn camel_case_of_snake_case() {
        assert_eq!(snake_case("modelProvider"), "model_provider");
        assert_eq!(camel_case("thread_id"), "threadId");
        assert_eq!(camel_case("next_cursor_x"), "nextCursorX");
        assert_eq!(camel_case("plain"), "plain");
    }
}
