//! Scenario `methods`: every v2 method a client calls, with valid params, answered with a
//! result that fits it.
//!
//! The methods run in one thread's life: `thread/start` first (its thread is used by the
//! others), `turn/start` then `turn/interrupt` of that turn, `thread/archive` last. Note that
//! this calls every method for real, writes included (`config/value/write`,
//! `account/login/start` with a made-up API key, `feedback/upload`): run it against a server
//! with a throwaway home.

use app_server_protocol::MethodMeta;
use app_server_protocol::method::Request;
use app_server_protocol::method::{ThreadArchive, ThreadStart, TurnInterrupt, TurnStart};
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

/// Valid params of `method`, naming `ids`: its row's example (`MethodMeta::example_params`),
/// with the ids of the scenario's thread and turn in its `threadId` / `turnId` members. `None`
/// for a method without params. A method with params and no example is refused by the
/// protocol crate's tests (`method_table.rs`), so the fallback `{}` never goes out unnoticed.
pub fn params(method: &MethodMeta, ids: &Ids) -> Option<Value> {
    method.params_type?;
    let mut params = method
        .example_params
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .unwrap_or_else(|| json!({}));
    if let Some(members) = params.as_object_mut() {
        for (member, id) in [("threadId", &ids.thread), ("turnId", &ids.turn)] {
            if let Some(value) = members.get_mut(member) {
                *value = Value::String(id.clone());
            }
        }
    }
    Some(params)
}

/// Valid params of the method an alias names (aliases are called outside any thread).
pub fn alias_params(method: &MethodMeta) -> Value {
    let ids = Ids { thread: MISSING.to_owned(), turn: MISSING.to_owned() };
    params(method, &ids).unwrap_or_else(|| json!({}))
}

/// The order the methods are called in: `thread/start` first (its thread is used by the
/// others), `turn/interrupt` right after `turn/start`, `thread/archive` last, the others in
/// table order.
fn order() -> Vec<&'static MethodMeta> {
    let rank = |meta: &MethodMeta| match meta.wire_name {
        ThreadStart::METHOD => 0,
        TurnStart::METHOD | TurnInterrupt::METHOD => 2,
        ThreadArchive::METHOD => 3,
        _ => 1,
    };
    let mut methods: Vec<&'static MethodMeta> = v2_methods().collect();
    methods.sort_by_key(|meta| rank(meta));
    methods
}

/// Scenario `methods`.
pub async fn methods_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let mut ids = Ids { thread: MISSING.to_owned(), turn: MISSING.to_owned() };
    for meta in order() {
        let method = meta.wire_name;
        let check = method_check_id(method);
        let answer = session.request(method, params(meta, &ids)).await.during(check)?;
        judge_answer(session, check, method, &answer);
        check_turns_in_answer(session, &answer);
        let result = answer.result();
        if method == ThreadStart::METHOD
            && let Some(id) = result.and_then(|r| r.pointer("/thread/id")).and_then(Value::as_str)
        {
            ids.thread = id.to_owned();
        }
        if method == TurnStart::METHOD
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
        for (i, meta) in order().into_iter().enumerate() {
            let mut message = json!({ "id": i, "method": meta.wire_name });
            if let Some(params) = params(meta, &ids) {
                message["params"] = params;
            }
            let decoded = decode_client_message(&message.to_string(), &mut PendingRequests::new());
            assert!(matches!(decoded, Ok(ClientMessage::Request(_))), "{meta:?}: {decoded:?}");
        }
    }

    #[test]
    fn the_live_ids_replace_the_examples_placeholders() {
        let ids = Ids { thread: "thr_live".into(), turn: "turn_live".into() };
        let interrupt = TurnInterrupt::meta();
        let params = params(interrupt, &ids).unwrap();
        assert_eq!(params, json!({ "threadId": "thr_live", "turnId": "turn_live" }));
    }

    #[test]
    fn every_v2_method_is_called_once_thread_start_first_and_archive_last() {
        let order: Vec<&str> = order().iter().map(|meta| meta.wire_name).collect();
        assert_eq!(order.len(), v2_methods().count());
        assert_eq!(
            (order[0], *order.last().unwrap()),
            (ThreadStart::METHOD, ThreadArchive::METHOD)
        );
        let turn = order.iter().position(|m| *m == TurnStart::METHOD).unwrap();
        assert_eq!(order[turn + 1], TurnInterrupt::METHOD);
    }
}
