//! Scenarios `turn` and `interrupt`, what every scenario that plays turns uses, and the rules every turn-related message keeps in every
//! scenario: `Turn.error` (C10), the ids on `item/*`, `turn/*` and `error` notifications
//! (C12), `willRetry` on `error` (C7).

use serde_json::{Value, json};

use super::{Abort, During, start};
use crate::conform::session::{Answer, Approvals, Received, Session};

const LIFECYCLE: &str = "turn.lifecycle";
const ITEM_ORDER: &str = "turn.item-order";
const TURN_ERROR: &str = "turn.error-member";
const ITEM_IDS: &str = "notify.item-ids";
const TURN_IDS: &str = "notify.turn-thread-id";
const ERROR_IDS: &str = "notify.error-ids";
const WILL_RETRY: &str = "notify.error-will-retry";
const INTERRUPT: &str = "turn.interrupt";

/// The prompts the scenarios send. The words in capitals are those the stand-in model API
/// (`app-server-kit model`, `--model stand-in`) acts on: `RUN` asks to run a command that needs
/// approval, `PATCH FILE` to add a file, `FAIL` makes every model request fail, `SLOW`
/// streams an answer slowly; a prompt without them gets a plain answer.
pub mod prompts {
    /// A plain turn: reasoning and a text answer.
    pub const PLAIN: &str = "conform: say hello";
    /// A command that asks for approval.
    pub const RUN: &str = "RUN";
    /// A file change that asks for approval.
    pub const PATCH: &str = "PATCH conform-patch.txt";
    /// A model that fails: retried, then the turn fails.
    pub const FAIL: &str = "FAIL";
    /// A slow answer, to interrupt.
    pub const SLOW: &str = "SLOW";
}

/// Starts a thread; returns its id.
pub async fn start_thread(session: &mut Session, check: &'static str) -> Result<String, Abort> {
    let thread = session.request("thread/start", Some(json!({}))).await.during(check)?;
    check_turns_in_answer(session, &thread);
    string_at(thread.result(), "/thread/id")
        .ok_or_else(|| Abort::skip("`thread/start` gave no thread id"))
}

/// Starts a turn with `prompt` on `thread_id`; returns the turn's id and the index of
/// [`Session::seen`] from which the turn's messages arrive.
pub async fn start_turn_on(
    session: &mut Session,
    check: &'static str,
    thread_id: &str,
    prompt: &str,
) -> Result<(String, usize), Abort> {
    let from = session.seen.len();
    let params = json!({
        "threadId": thread_id,
        "input": [{ "type": "text", "text": prompt }],
    });
    let turn = session.request("turn/start", Some(params)).await.during(check)?;
    check_turns_in_answer(session, &turn);
    let Some(turn_id) = string_at(turn.result(), "/turn/id") else {
        return Err(Abort::skip("`turn/start` gave no turn id"));
    };
    Ok((turn_id, from))
}

/// Plays a whole turn with `prompt` on `thread_id`: returns the turn's id, the index of
/// [`Session::seen`] its messages start at and the index of its `turn/completed`.
pub async fn play_turn(
    session: &mut Session,
    check: &'static str,
    thread_id: &str,
    prompt: &str,
) -> Result<(String, usize, usize), Abort> {
    let (turn_id, from) = start_turn_on(session, check, thread_id, prompt).await?;
    let what = format!("`turn/completed` of turn `{turn_id}` (prompt {prompt:?})");
    let completed =
        session.wait_for(from, &what, |r| is_turn_event(r, "turn/completed", &turn_id)).await;
    Ok((turn_id, from, completed.during(check)?))
}

/// Starts a thread and a turn on it; returns the thread's id, the turn's id and the index
/// of [`Session::seen`] from which the turn's messages arrive.
async fn start_turn(
    session: &mut Session,
    check: &'static str,
    prompt: &str,
) -> Result<(String, String, usize), Abort> {
    let thread_id = start_thread(session, check).await?;
    let (turn_id, from) = start_turn_on(session, check, &thread_id, prompt).await?;
    Ok((thread_id, turn_id, from))
}

/// Scenario `turn`: a whole turn, approvals accepted, then the thread resumed.
pub async fn turn_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let (thread_id, turn_id, from) = start_turn(session, LIFECYCLE, prompts::PLAIN).await?;
    let what = format!("`turn/completed` of turn `{turn_id}`");
    let completed =
        session.wait_for(from, &what, |r| is_turn_event(r, "turn/completed", &turn_id)).await;
    let completed = completed.during(LIFECYCLE)?;
    check_lifecycle(session, &turn_id, from, completed);
    check_item_order(session, from, completed);
    let params = json!({ "threadId": thread_id });
    let resumed = session.request("thread/resume", Some(params)).await.during(TURN_ERROR)?;
    check_turns_in_answer(session, &resumed);
    Ok(())
}

/// `turn/started` comes before any item of the turn.
fn check_lifecycle(session: &mut Session, turn_id: &str, from: usize, completed: usize) {
    let scenario = session.scenario;
    let ours =
        |r: &Received| string_at(Some(&r.value), "/params/turnId").as_deref() == Some(turn_id);
    let started = session.seen[from..completed]
        .iter()
        .position(|r| is_turn_event(r, "turn/started", turn_id));
    let first_item =
        session.seen[from..completed].iter().position(|r| r.method.starts_with("item/") && ours(r));
    match (started, first_item) {
        (None, _) => session.recorder.fail(
            LIFECYCLE,
            scenario,
            format!("no `turn/started` for turn `{turn_id}` before its `turn/completed`"),
            Some(&session.seen[completed].line.clone()),
        ),
        (Some(started), Some(item)) if item < started => {
            let line = session.seen[from + item].line.clone();
            let message = "an item of the turn came before `turn/started`";
            session.recorder.fail(LIFECYCLE, scenario, message, Some(&line));
        }
        _ => session.recorder.pass(LIFECYCLE),
    }
}

/// Each item's deltas come after its `item/started` and before its `item/completed`, in the
/// messages from `from` to `completed` (one turn on this connection: a delta names its item
/// only).
fn check_item_order(session: &mut Session, from: usize, completed: usize) {
    let mut started: Vec<String> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for received in &session.seen[from..=completed] {
        let item_of = |pointer| string_at(Some(&received.value), pointer).unwrap_or_default();
        let problem = match received.method.as_str() {
            "item/started" => {
                started.push(item_of("/params/item/id"));
                None
            }
            "item/completed" => {
                let id = item_of("/params/item/id");
                let problem =
                    (!started.contains(&id)).then_some("`item/completed` without `item/started`");
                done.push(id);
                problem
            }
            method if method.starts_with("item/") && !method.ends_with("/requestApproval") => {
                let id = item_of("/params/itemId");
                if done.contains(&id) {
                    Some("a delta after its item's `item/completed`")
                } else if !started.contains(&id) {
                    Some("a delta before its item's `item/started`")
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(problem) = problem {
            problems.push((problem, received.line.clone()));
        }
    }
    session.recorder.pass(ITEM_ORDER);
    for (problem, line) in problems {
        session.recorder.fail(ITEM_ORDER, session.scenario, problem, Some(&line));
    }
}

/// Scenario `interrupt`: a slow turn (`SLOW`) interrupted once it started (an approval it asks
/// for meanwhile is held, so that a server without the stand-in is still mid-turn).
pub async fn interrupt_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    session.approvals = Approvals::Hold;
    let (thread_id, turn_id, from) = start_turn(session, INTERRUPT, prompts::SLOW).await?;
    let what = format!("`turn/started` of turn `{turn_id}`");
    session
        .wait_for(from, &what, |r| is_turn_event(r, "turn/started", &turn_id))
        .await
        .during(INTERRUPT)?;
    let sent_at = session.seen.len();
    if session.seen[from..].iter().any(|r| is_turn_event(r, "turn/completed", &turn_id)) {
        return Err(Abort::skip("the turn ended before it could be interrupted"));
    }
    let params = json!({ "threadId": thread_id, "turnId": turn_id });
    let answer = session.request("turn/interrupt", Some(params)).await.during(INTERRUPT)?;
    if answer.result() != Some(&json!({})) {
        let message = "expected `turn/interrupt` to answer `{}`";
        session.recorder.fail(INTERRUPT, session.scenario, message, Some(&answer.line));
    }
    session.approvals = Approvals::Decline;
    session.answer_held("decline").await.during(INTERRUPT)?;
    let what = format!("`turn/completed` of the interrupted turn `{turn_id}`");
    let done =
        session.wait_for(from, &what, |r| is_turn_event(r, "turn/completed", &turn_id)).await;
    let done = done.during(INTERRUPT)?;
    let status = string_at(Some(&session.seen[done].value), "/params/turn/status");
    match status.as_deref() {
        Some("interrupted") => session.recorder.pass(INTERRUPT),
        Some("completed") if done < sent_at => {}
        _ => {
            let line = session.seen[done].line.clone();
            let message = "expected the interrupted turn to complete with status `interrupted`";
            session.recorder.fail(INTERRUPT, session.scenario, message, Some(&line));
        }
    }
    Ok(())
}

/// Whether `received` is the `method` notification (`turn/started`, `turn/completed`) of
/// turn `turn_id`.
pub fn is_turn_event(received: &Received, method: &str, turn_id: &str) -> bool {
    received.method == method
        && string_at(Some(&received.value), "/params/turn/id").as_deref() == Some(turn_id)
}

/// Checks the `Turn`s an answer carries (`turn/start`, `review/start`: `result.turn`;
/// `thread/start`, `thread/resume`: `result.thread.turns`).
pub fn check_turns_in_answer(session: &mut Session, answer: &Answer) {
    let Some(result) = answer.result() else { return };
    if let Some(turn) = result.get("turn") {
        check_turn(session, turn, "result.turn", &answer.line);
    }
    let turns = result.pointer("/thread/turns").and_then(Value::as_array);
    for (index, turn) in turns.into_iter().flatten().enumerate() {
        check_turn(session, turn, &format!("result.thread.turns[{index}]"), &answer.line);
    }
}

/// `error` is present, and non-null exactly when `status` is `failed`; `path` says where the
/// turn is in the message.
fn check_turn(session: &mut Session, turn: &Value, path: &str, line: &str) {
    let failed = turn.get("status").and_then(Value::as_str) == Some("failed");
    let problem = match turn.get("error") {
        None => "has no `error` member (it is always present, `null` unless the turn failed)",
        Some(Value::Null) if failed => "failed with `error: null`",
        Some(error) if !error.is_null() && !failed => "did not fail but has a non-null `error`",
        Some(_) => return session.recorder.pass(TURN_ERROR),
    };
    let message = format!("the `Turn` at `{path}` {problem}");
    session.recorder.fail(TURN_ERROR, session.scenario, message, Some(line));
}

/// Checks every notification and request a scenario received against the id rules, and
/// the `Turn`s they carry. The ids are required on `item/started`, `item/completed` and the
/// approval requests (the deltas name their item only), on every `turn/*` notification, and
/// on `error` (CHANGELOG, C12).
pub fn inspect_received(session: &mut Session) {
    let seen = std::mem::take(&mut session.seen);
    for received in &seen {
        inspect(session, received);
    }
    session.seen = seen;
}

fn inspect(session: &mut Session, received: &Received) {
    let params = received.value.get("params");
    let has = |member: &str| params.and_then(|p| p.get(member)).is_some_and(Value::is_string);
    let method = received.method.as_str();
    if matches!(method, "item/started" | "item/completed") || method.ends_with("/requestApproval") {
        require(
            session,
            ITEM_IDS,
            received,
            &[("threadId", has("threadId")), ("turnId", has("turnId"))],
        );
    } else if method.starts_with("turn/") {
        require(session, TURN_IDS, received, &[("threadId", has("threadId"))]);
    } else if method == "error" {
        require(
            session,
            ERROR_IDS,
            received,
            &[("threadId", has("threadId")), ("turnId", has("turnId"))],
        );
        let retry = params.and_then(|p| p.get("willRetry")).is_some_and(Value::is_boolean);
        require(session, WILL_RETRY, received, &[("willRetry", retry)]);
    }
    if let Some(turn) = params.and_then(|p| p.get("turn")) {
        check_turn(session, turn, "params.turn", &received.line);
    }
    let turns = params.and_then(|p| p.pointer("/thread/turns")).and_then(Value::as_array);
    for (index, turn) in turns.into_iter().flatten().enumerate() {
        check_turn(session, turn, &format!("params.thread.turns[{index}]"), &received.line);
    }
}

/// Records `check` as failing for each member of `members` that is not there as it should
/// be, passing when all are.
fn require(
    session: &mut Session,
    check: &'static str,
    received: &Received,
    members: &[(&str, bool)],
) {
    let missing: Vec<&str> = members.iter().filter(|(_, ok)| !ok).map(|(name, _)| *name).collect();
    if missing.is_empty() {
        return session.recorder.pass(check);
    }
    let message = format!("`{}` without {}", received.method, names(&missing));
    session.recorder.fail(check, session.scenario, message, Some(&received.line));
}

fn names(members: &[&str]) -> String {
    members.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")
}

/// The string at JSON `pointer` of `value`.
pub fn string_at(value: Option<&Value>, pointer: &str) -> Option<String> {
    value?.pointer(pointer)?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::prompts;
    use crate::model::Turn;
    use crate::model::script::builtin;

    #[test]
    fn each_prompt_is_the_stand_in_s_answer_it_is_meant_to_bring() {
        for (prompt, rule) in [
            (prompts::PLAIN, "default:text"),
            (prompts::RUN, "default:run"),
            (prompts::PATCH, "default:patch"),
            (prompts::FAIL, "default:fail"),
            (prompts::SLOW, "default:slow"),
            (super::super::pagination::PROMPT, "default:text"),
        ] {
            let turn = Turn::First { text: prompt.to_owned() };
            assert_eq!(builtin(&turn, Duration::ZERO).1, rule, "{prompt:?}");
        }
    }
}
