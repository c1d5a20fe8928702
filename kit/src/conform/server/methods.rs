//! Scenario `methods`: every v2 method a client calls, with valid params, answered with a
//! result that fits it.
//!
//! The methods run in one thread's life: `thread/start` first (its thread is used by the
//! others), `turn/start` then `turn/interrupt` of that turn, `thread/archive` last. Note that
//! this calls every method for real, writes included (`config/value/write`,
//! `account/login/start` with a made-up API key, `feedback/upload`): run it against a server
//! with a throwaway home.

use serde_json::{Value, json};

use super::catalogue::{method_check_id, v2_methods};
use super::turn::check_turns_in_answer;
use super::{Abort, During, start};
use crate::conform::session::{Answer, Session};

/// The ids the params of later methods refer to.
#[derive(Debug, Clone)]
pub struct Ids {
    /// The thread `thread/start` created.
    pub thread: String,
    /// The turn `turn/start` started.
    pub turn: String,
}

/// The placeholder used when the server gave no thread or turn id.
const MISSING: &str = "conform-missing-id";

/// Valid params of v2 method `method`, naming `ids`; `None` for a method without params.
pub fn params(method: &str, ids: &Ids) -> Option<Value> {
    let thread = ids.thread.as_str();
    Some(match method {
        "thread/start" => json!({}),
        "thread/resume" | "thread/archive" | "thread/compact" => json!({ "threadId": thread }),
        "thread/list" | "model/list" | "mcpServerStatus/list" => json!({ "limit": 5 }),
        "turn/start" => json!({
            "threadId": thread,
            "input": [{ "type": "text", "text": "conform: list the files of this folder" }],
        }),
        "turn/interrupt" => json!({ "threadId": thread, "turnId": ids.turn }),
        "review/start" => json!({
            "threadId": thread,
            "target": { "type": "uncommittedChanges" },
            "appendToOriginalThread": false,
        }),
        "account/login/start" => json!({ "type": "apiKey", "apiKey": "sk-conform-not-a-real-key" }),
        "account/login/cancel" => json!({ "loginId": "conform-unknown-login" }),
        "account/logout" | "account/rateLimits/read" => return None,
        "account/read" => json!({ "refreshToken": false }),
        "feedback/upload" => json!({
            "classification": "bug",
            "reason": "app-server-kit conform: a test upload",
            "includeLogs": false,
        }),
        "config/read" => json!({ "includeLayers": false }),
        "config/value/write" => json!({
            "keyPath": "model",
            "value": "gpt-5.1-codex",
            "mergeStrategy": "replace",
        }),
        "config/batchWrite" => json!({
            "edits": [{ "keyPath": "model", "value": "gpt-5.1-codex", "mergeStrategy": "replace" }],
        }),
        "mcpServer/oauth/login" => json!({ "name": "conform" }),
        _ => json!({}),
    })
}

/// Valid params of the method an alias names (aliases are called outside any thread).
pub fn alias_params(method: &str) -> Value {
    let ids = Ids { thread: MISSING.to_owned(), turn: MISSING.to_owned() };
    params(method, &ids).unwrap_or_else(|| json!({}))
}

/// The order the methods are called in: `thread/start` first, `turn/interrupt` right after
/// `turn/start`, `thread/archive` last, the others in table order.
fn order() -> Vec<&'static str> {
    let rank = |name: &str| match name {
        "thread/start" => 0,
        "turn/start" | "turn/interrupt" => 2,
        "thread/archive" => 3,
        _ => 1,
    };
    let mut names: Vec<&'static str> = v2_methods().map(|meta| meta.wire_name).collect();
    names.sort_by_key(|name| rank(name));
    names
}

/// Scenario `methods`.
pub async fn methods_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let mut ids = Ids { thread: MISSING.to_owned(), turn: MISSING.to_owned() };
    for method in order() {
        let check = method_check_id(method);
        let answer = session.request(method, params(method, &ids)).await.during(check)?;
        judge_answer(session, check, method, &answer);
        check_turns_in_answer(session, &answer);
        let result = answer.result();
        if method == "thread/start"
            && let Some(id) = result.and_then(|r| r.pointer("/thread/id")).and_then(Value::as_str)
        {
            ids.thread = id.to_owned();
        }
        if method == "turn/start"
            && let Some(id) = result.and_then(|r| r.pointer("/turn/id")).and_then(Value::as_str)
        {
            ids.turn = id.to_owned();
        }
    }
    Ok(())
}

/// Records whether `answer` is what valid params deserve: a result (whose fit to the method
/// the output contract judges), or an error other than "no such method" / "bad params".
fn judge_answer(session: &mut Session, check: &'static str, method: &str, answer: &Answer) {
    let scenario = session.scenario;
    match answer.error_code() {
        Some(_) if answer.refuses_as_unknown(method) => session.recorder.fail(
            check,
            scenario,
            format!(
                "`{method}` is not served: the server answers that it does not know the method ({})",
                answer.error_words()
            ),
            Some(&answer.line),
        ),
        _ if answer.decode_error.is_some() => session.recorder.fail(
            check,
            scenario,
            format!(
                "the answer does not fit `{method}`: {}",
                answer.decode_error.as_deref().unwrap_or_default()
            ),
            Some(&answer.line),
        ),
        None if answer.result().is_some() => session.recorder.pass(check),
        None => session.recorder.fail(
            check,
            scenario,
            "neither a result nor an error",
            Some(&answer.line),
        ),
        Some(code @ (-32601 | -32602)) => session.recorder.fail(
            check,
            scenario,
            format!("valid params of `{method}` were answered {code}"),
            Some(&answer.line),
        ),
        Some(-32603) => session.recorder.warn(
            check,
            scenario,
            format!("`{method}` failed inside the server (-32603)"),
            Some(&answer.line),
        ),
        Some(_) => session.recorder.pass(check),
    }
}

#[cfg(test)]
mod tests {
    use app_server_protocol::{ClientMessage, PendingRequests, decode_client_message};

    use super::*;

    #[test]
    fn the_params_of_every_v2_method_decode() {
        let ids = Ids { thread: "thr_1".into(), turn: "turn_1".into() };
        for (i, method) in order().into_iter().enumerate() {
            let mut message = json!({ "id": i, "method": method });
            if let Some(params) = params(method, &ids) {
                message["params"] = params;
            }
            let decoded = decode_client_message(&message.to_string(), &mut PendingRequests::new());
            assert!(matches!(decoded, Ok(ClientMessage::Request(_))), "{method}: {decoded:?}");
        }
    }

    #[test]
    fn every_v2_method_is_called_once_thread_start_first_and_archive_last() {
        let order = order();
        assert_eq!(order.len(), v2_methods().count());
        assert_eq!((order[0], *order.last().unwrap()), ("thread/start", "thread/archive"));
        let turn = order.iter().position(|m| *m == "turn/start").unwrap();
        assert_eq!(order[turn + 1], "turn/interrupt");
    }
}
