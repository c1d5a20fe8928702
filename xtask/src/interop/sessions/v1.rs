//! The v1 sessions (frozen at the 0.63.0 wire): a conversation, its event stream, approvals in
//! v1's words.

#![allow(deprecated)] // the v1 methods: exactly what these sessions exercise.

use app_server_protocol::method::{
    AddConversationListener, NewConversation, SendUserMessage, SendUserTurn,
};
use serde_json::{Value, json};

use super::v2::PATCHED;
use crate::interop::session::{Session, TURN, string_at};

/// Where a turn ends in v1: the legacy event stream's `task_complete`.
const TASK_COMPLETE: &str = "codex/event/task_complete";

/// A conversation with a listener; returns its id.
async fn conversation(s: &mut Session) -> Result<String, String> {
    s.initialize().await?;
    let cwd = s.work.display().to_string();
    let created = s.call::<NewConversation>(json!({ "cwd": cwd })).await?;
    let id = string_at(&created, "/conversationId", "newConversation")?;
    s.call::<AddConversationListener>(json!({ "conversationId": id })).await?;
    Ok(id)
}

fn text_items(text: &str) -> Value {
    json!([{ "type": "text", "data": { "text": text } }])
}

/// Sends `sendUserMessage` and waits for the turn's `task_complete`.
async fn message_turn(s: &mut Session, conversation: &str, text: &str) -> Result<(), String> {
    s.events.mark();
    let params = json!({ "conversationId": conversation, "items": text_items(text) });
    s.call::<SendUserMessage>(params).await?;
    s.events.wait_for(TASK_COMPLETE, TURN, |_| true).await.map(drop)
}

/// Sends `sendUserTurn` (the settings with the input) and waits for `task_complete`.
async fn user_turn(s: &mut Session, conversation: &str, text: &str) -> Result<(), String> {
    s.events.mark();
    let cwd = s.work.display().to_string();
    let params = json!({
        "conversationId": conversation,
        "items": text_items(text),
        "cwd": cwd,
        "approvalPolicy": "untrusted",
        "sandboxPolicy": { "type": "workspace-write" },
        "model": "gpt-5.1-codex",
        "summary": "auto",
    });
    s.call::<SendUserTurn>(params).await?;
    s.events.wait_for(TASK_COMPLETE, TURN, |_| true).await.map(drop)
}

/// A message and its answer, through the legacy event stream.
pub async fn message(s: &mut Session) -> Result<(), String> {
    let conversation = conversation(s).await?;
    message_turn(s, &conversation, "hello").await?;
    s.expect("codex/event/agent_message", "the agent's message", |_| true).await;
    Ok(())
}

/// Commands approved and denied through `execCommandApproval`, a patch approved through
/// `applyPatchApproval`.
pub async fn approvals(s: &mut Session) -> Result<(), String> {
    let conversation = conversation(s).await?;

    // `exec_command_begin` comes before the approval either way; `exec_command_end` says
    // whether the command ran (exit code 0) or was refused (-1, "rejected by user").
    let exit_code = |e: &crate::interop::events::Event| {
        e.params.pointer("/msg/exit_code").and_then(Value::as_i64)
    };

    s.approvals.accept(true);
    let before = s.approvals.asked().len();
    user_turn(s, &conversation, "RUN").await?;
    s.expect_approval("execCommandApproval", before);
    s.expect("codex/event/exec_command_end", "the approved command ran (exit code 0)", |e| {
        exit_code(e) == Some(0)
    })
    .await;

    s.approvals.accept(false);
    let before = s.approvals.asked().len();
    user_turn(s, &conversation, "RUN").await?;
    s.expect_approval("execCommandApproval", before);
    s.expect(
        "codex/event/exec_command_end",
        "the denied command did not run (exit code not 0)",
        |e| exit_code(e).is_some_and(|code| code != 0),
    )
    .await;

    s.approvals.accept(true);
    let before = s.approvals.asked().len();
    message_turn(s, &conversation, &format!("PATCH {PATCHED}")).await?;
    s.expect_approval("applyPatchApproval", before);
    s.expect("codex/event/patch_apply_end", "the approved patch applied", |_| true).await;
    let text = format!("the approved patch did not add `{PATCHED}` to the work folder");
    s.check(s.work.join(PATCHED).exists(), "applyPatchApproval", text);
    Ok(())
}
