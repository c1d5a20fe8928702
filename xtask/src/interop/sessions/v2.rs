//! The v2 sessions: threads, turns, approvals, a failing model, an interrupt, thread
//! management and error codes.

use app_server_protocol::method::{ThreadArchive, ThreadList, ThreadResume, TurnInterrupt};
use serde_json::{Value, json};

use crate::interop::session::{Session, TURN};

/// The file the stand-in's patch adds (`PATCH <file>`).
pub const PATCHED: &str = "interop-patch.txt";

/// A plain turn: the agent answers with a message and the turn completes.
pub async fn turn(s: &mut Session) -> Result<(), String> {
    let thread = s.start_thread().await?;
    let completed = s.turn(&thread, "hello").await?;
    s.check_status(&completed, "completed");
    s.expect("item/completed", "an `agentMessage` item completed", |e| {
        e.str_at("/item/type") == Some("agentMessage")
    })
    .await;
    Ok(())
}

/// A command the agent wants to run, accepted or declined.
pub async fn command(s: &mut Session, accept: bool) -> Result<(), String> {
    let thread = s.start_thread().await?;
    s.approvals.accept(accept);
    let before = s.approvals.asked().len();
    // Bare `RUN`: the stand-in asks to run `echo hello 1>&2`, which needs an approval.
    let completed = s.turn(&thread, "RUN").await?;
    let method = "item/commandExecution/requestApproval";
    if let Some(params) = s.expect_approval(method, before) {
        // C8: the approval carries the command and its working folder.
        for member in ["command", "cwd"] {
            let present = params.get(member).is_some_and(|v| !v.is_null());
            s.check(present, method, format!("the approval request has no `{member}` (C8)"));
        }
    }
    s.check_status(&completed, "completed");
    let status = if accept { "completed" } else { "declined" };
    s.expect("item/completed", &format!("a `commandExecution` item completed `{status}`"), |e| {
        e.str_at("/item/type") == Some("commandExecution")
            && e.str_at("/item/status") == Some(status)
    })
    .await;
    Ok(())
}

/// A patch the agent wants to apply, accepted: the file appears in the work folder.
pub async fn file_change(s: &mut Session) -> Result<(), String> {
    let thread = s.start_thread().await?;
    s.approvals.accept(true);
    let before = s.approvals.asked().len();
    let completed = s.turn(&thread, &format!("PATCH {PATCHED}")).await?;
    s.expect_approval("item/fileChange/requestApproval", before);
    s.check_status(&completed, "completed");
    s.expect("item/completed", "a `fileChange` item completed `completed`", |e| {
        e.str_at("/item/type") == Some("fileChange")
            && e.str_at("/item/status") == Some("completed")
    })
    .await;
    let written = s.work.join(PATCHED).exists();
    let text = format!("the accepted patch did not add `{PATCHED}` to the work folder");
    s.check(written, "item/fileChange/requestApproval", text);
    Ok(())
}

/// The model fails: the server retries once (`error`, willRetry true), gives up (`error`,
/// willRetry false) and the turn fails.
pub async fn failed_turn(s: &mut Session) -> Result<(), String> {
    let thread = s.start_thread().await?;
    let completed = s.turn(&thread, "FAIL").await?;
    s.check_status(&completed, "failed");
    let has_error = completed.params.pointer("/turn/error").is_some_and(|e| !e.is_null());
    s.check(has_error, "turn/completed", "the failed turn has no `error`".to_owned());
    for retry in [true, false] {
        s.expect("error", &format!("an `error` with `willRetry: {retry}`"), |e| {
            e.params.get("willRetry") == Some(&Value::Bool(retry))
        })
        .await;
    }
    Ok(())
}

/// A slow answer interrupted: the turn completes `interrupted`.
pub async fn interrupt(s: &mut Session) -> Result<(), String> {
    let thread = s.start_thread().await?;
    s.events.mark();
    let turn = s.start_turn(&thread, "SLOW").await?;
    s.events.wait_for("turn/started", TURN, |e| e.str_at("/turn/id") == Some(&turn)).await?;
    s.call::<TurnInterrupt>(json!({ "threadId": thread, "turnId": turn })).await?;
    let completed =
        s.events.wait_for("turn/completed", TURN, |e| e.str_at("/turn/id") == Some(&turn)).await?;
    s.check_status(&completed, "interrupted");
    Ok(())
}

/// Thread management: a thread with a turn is listed, resumed, archived, then no longer
/// listed.
pub async fn threads(s: &mut Session) -> Result<(), String> {
    let thread = s.start_thread().await?;
    // A thread is listed once it has a user message.
    let completed = s.turn(&thread, "hello").await?;
    s.check_status(&completed, "completed");

    let listed = s.call::<ThreadList>(json!({})).await?;
    s.check(lists(&listed, &thread), "thread/list", format!("the thread `{thread}` is not listed"));

    let resumed = s.call::<ThreadResume>(json!({ "threadId": thread })).await?;
    let id = resumed.pointer("/thread/id").and_then(Value::as_str).unwrap_or("(none)");
    s.check(id == thread, "thread/resume", format!("resumed thread `{id}`, expected `{thread}`"));
    let turns = resumed.pointer("/thread/turns").and_then(Value::as_array).map_or(0, Vec::len);
    s.check(turns > 0, "thread/resume", "the resumed thread has no turns".to_owned());

    s.call::<ThreadArchive>(json!({ "threadId": thread })).await?;
    let listed = s.call::<ThreadList>(json!({})).await?;
    s.check(
        !lists(&listed, &thread),
        "thread/list",
        format!("the archived thread `{thread}` is still listed"),
    );
    Ok(())
}

fn lists(page: &Value, thread: &str) -> bool {
    let data = page.get("data").and_then(Value::as_array);
    data.is_some_and(|threads| {
        threads.iter().any(|t| t.get("id").and_then(Value::as_str) == Some(thread))
    })
}

/// Requests the typed peer cannot send: the codes the server answers them with.
pub async fn errors(s: &mut Session) -> Result<(), String> {
    s.initialize().await?;
    let answer = s.probe("interop/noSuchMethod", json!({})).await?;
    expect_error(s, "interop/noSuchMethod", &answer, -32601, None);
    let answer = s.probe("thread/archive", json!({ "threadId": 42 })).await?;
    expect_error(s, "thread/archive", &answer, -32602, Some("params.threadId"));
    Ok(())
}

/// Checks an error answer's code (and `data.path`, our contract's place of the problem) and
/// notes what came.
fn expect_error(s: &mut Session, method: &str, answer: &Value, code: i64, path: Option<&str>) {
    let error = answer.get("error");
    let found = error.and_then(|e| e.get("code")).and_then(Value::as_i64);
    let message = error.and_then(|e| e.get("message")).and_then(Value::as_str).unwrap_or("");
    let message = shorten(message, 100);
    s.notes.push(match found {
        Some(found) => format!("`{method}` (probe) answered {found}: {message}"),
        None => format!("`{method}` (probe) answered without an error: {answer}"),
    });
    let Some(found) = found else {
        s.check(
            false,
            method,
            format!(
                "expected an error {code}, the answer is {}",
                shorten(&answer.to_string(), 100)
            ),
        );
        return;
    };
    s.check(
        found == code,
        method,
        format!("answered {found} (\"{message}\"), the contract says {code}"),
    );
    if let Some(path) = path {
        let data = error.and_then(|e| e.pointer("/data/path")).and_then(Value::as_str);
        s.check(
            data == Some(path),
            method,
            format!("the error has no `data.path` `{path}` (found {data:?})"),
        );
    }
}

/// At most `max` characters of `text`, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
