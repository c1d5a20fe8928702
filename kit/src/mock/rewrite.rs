//! The output faults: how a line the server wrote is changed (or dropped) before it reaches
//! the client. See [`super::fault::Fault`] for each.

use serde_json::Value;

use super::connection::state::ConnectionState;
use super::fault::{Fault, Faults};

/// What becomes of one line the server wrote.
pub(crate) enum Output {
    /// Send this line.
    Send(String),
    /// Send nothing.
    Drop,
}

/// What the output faults remember from line to line.
#[derive(Debug, Default)]
pub(crate) struct OutputState {
    /// The answer to `initialize` went out (the `malformed-line` fault follows it).
    pub(crate) initialize_answered: bool,
    /// The `hang` fault: set with the answer to `initialize`; nothing is sent after it.
    hung: bool,
}

/// Applies the output faults to `line`.
pub(crate) fn rewrite(
    line: String,
    faults: &Faults,
    conn: &ConnectionState,
    state: &mut OutputState,
) -> Output {
    if state.hung {
        return Output::Drop;
    }
    let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(&line) else {
        return Output::Send(line);
    };
    let answered = match (message.contains_key("method"), message.get("id")) {
        (false, Some(id)) => conn.answered(&id.to_string()),
        _ => None,
    };
    if answered.as_deref() == Some("initialize") {
        state.initialize_answered = true;
        state.hung = faults.has(&Fault::Hang);
    }
    if answered.as_deref().is_some_and(|method| faults.drops(method)) {
        return Output::Drop;
    }
    let mut changed = false;
    if let Some(method) = &answered {
        changed |= rewrite_result(&mut message, method, faults);
    }
    if faults.has(&Fault::TurnWithoutError) {
        changed |= strip_turn_errors(&mut message);
    }
    if faults.has(&Fault::NotificationWithoutThreadId) && !message.contains_key("id") {
        let is_item =
            message.get("method").and_then(Value::as_str).is_some_and(|m| m.starts_with("item/"));
        if is_item && let Some(Value::Object(params)) = message.get_mut("params") {
            changed |= params.remove("threadId").is_some();
        }
    }
    if changed { Output::Send(Value::Object(message).to_string()) } else { Output::Send(line) }
}

/// `wrong-result-type` and `snake-case-key`, on the answer to `method`.
fn rewrite_result(
    message: &mut serde_json::Map<String, Value>,
    method: &str,
    faults: &Faults,
) -> bool {
    if method != "thread/start" {
        return false;
    }
    let Some(Value::Object(result)) = message.get_mut("result") else { return false };
    if faults.has(&Fault::WrongResultType) {
        *result = serde_json::from_str(r#"{"data":[],"nextCursor":null}"#).unwrap_or_default();
        return true;
    }
    if faults.has(&Fault::SnakeCaseKey)
        && let Some(provider) = result.remove("modelProvider")
    {
        result.insert("model_provider".to_owned(), provider);
        return true;
    }
    false
}

/// `turn-without-error`: removes `error` from every `Turn` of the message (`turn` of
/// `turn/*` notifications and `turn/start` results, `turns` of threads).
fn strip_turn_errors(message: &mut serde_json::Map<String, Value>) -> bool {
    let mut changed = false;
    for key in ["params", "result"] {
        let Some(Value::Object(body)) = message.get_mut(key) else { continue };
        if let Some(Value::Object(turn)) = body.get_mut("turn") {
            changed |= turn.remove("error").is_some();
        }
        if let Some(thread) = body.get_mut("thread") {
            changed |= strip_thread_turns(thread);
        }
        if let Some(Value::Array(threads)) = body.get_mut("data") {
            for thread in threads {
                changed |= strip_thread_turns(thread);
            }
        }
    }
    changed
}

fn strip_thread_turns(thread: &mut Value) -> bool {
    let mut changed = false;
    if let Some(Value::Array(turns)) = thread.get_mut("turns") {
        for turn in turns.iter_mut().filter_map(Value::as_object_mut) {
            changed |= turn.remove("error").is_some();
        }
    }
    changed
}
