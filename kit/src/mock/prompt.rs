//! The turns the mock plays without a scenario file: the stand-in model's built-in script
//! ([`crate::model::script::Plan`], one keyword table for both), played as a released server
//! plays that model's answers. `RUN` a command that asks for approval, `PATCH` a file
//! change that asks for approval (each followed by the model's closing message whatever
//! the decision), `FAIL` an error that is retried and then ends the turn, `SLOW` a slowly
//! streamed answer, anything else a reasoning summary and a text answer.

use std::path::Path;

use app_server_protocol::v2::{CodexErrorInfo, UserInput};

use super::scenario::{Action, Approval, ChangeKind, Step};
use crate::model::script::{PATCH_CONTENT, Plan, follow_up_text};

/// The text of a turn's input, its text parts joined by line breaks: what the prompt script
/// reads and what the legacy `user_message` event echoes.
pub(crate) fn prompt_text(input: &[UserInput]) -> String {
    input
        .iter()
        .filter_map(|input| match input {
            UserInput::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The pause between the deltas of a `SLOW` answer, as the stand-in model streams it (kept
/// at `--speed 0` too: `SLOW` asks for time to interrupt the turn).
const SLOW_DELTA_MS: u64 = 1000;

/// What a released server says when it retries a request that failed (one retry, as the
/// interop suite configures it).
const RETRY_MESSAGE: &str = "Reconnecting... 1/1";

/// What a released server says when the retried request failed too (HTTP 500).
const FAIL_MESSAGE: &str =
    "We're currently experiencing high demand, which may cause temporary errors.";

/// The steps of a turn whose user message is `text`, run in `cwd`.
pub(crate) fn steps(text: &str, cwd: &str) -> Vec<Step> {
    match Plan::of(text) {
        Plan::Text { reasoning, text } => vec![
            step(Action::Reasoning { summary: reasoning.to_owned(), delta_delay_ms: 0 }),
            step(message(text)),
        ],
        Plan::Slow { text } => vec![step(Action::AgentMessage {
            text: text.to_owned(),
            delta_delay_ms: SLOW_DELTA_MS,
            fixed_pace: true,
        })],
        Plan::Run { command } => vec![step(Action::Command {
            command,
            cwd: None,
            output: simulated_output(text),
            exit_code: 0,
            delta_delay_ms: 0,
            approval: Some(follow_up("shell")),
        })],
        Plan::Patch { file } => vec![step(Action::FileChange {
            path: Path::new(cwd).join(file).display().to_string(),
            diff: PATCH_CONTENT.to_owned(),
            kind: ChangeKind::Add,
            approval: Some(follow_up("apply_patch")),
        })],
        Plan::Fail => vec![
            step(Action::Error {
                message: RETRY_MESSAGE.to_owned(),
                will_retry: true,
                codex_error_info: Some(CodexErrorInfo::ResponseStreamDisconnected {
                    http_status_code: None,
                }),
            }),
            step(Action::Error {
                message: FAIL_MESSAGE.to_owned(),
                will_retry: false,
                codex_error_info: Some(CodexErrorInfo::InternalServerError),
            }),
        ],
    }
}

fn step(action: Action) -> Step {
    Step { delay_ms: 0, action }
}

fn message(text: &str) -> Action {
    Action::AgentMessage { text: text.to_owned(), delta_delay_ms: 0, fixed_pace: false }
}

/// An approval followed by the model's closing message, whatever the decision.
fn follow_up(tool: &str) -> Approval {
    let closing = vec![step(message(&follow_up_text(tool)))];
    Approval { reason: None, on_accept: closing.clone(), on_decline: closing }
}

/// What the mock shows as the output of a `RUN` command: it runs nothing; an `echo` prints
/// its words, anything else prints nothing.
fn simulated_output(text: &str) -> Vec<String> {
    let Plan::Run { command } = Plan::of(text) else { return Vec::new() };
    let words: Vec<&str> = command
        .split_whitespace()
        .take_while(|word| {
            !word.starts_with('>') && !word.starts_with("1>") && !word.starts_with("2>")
        })
        .collect();
    match words.split_first() {
        Some((&"echo", rest)) => vec![format!("{}\n", rest.join(" "))],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_pick_the_turn_as_the_stand_in_model_does() {
        let kinds = |text: &str| -> Vec<&'static str> {
            steps(text, "/work")
                .iter()
                .map(|step| match step.action {
                    Action::Reasoning { .. } => "reasoning",
                    Action::AgentMessage { .. } => "message",
                    Action::Command { .. } => "command",
                    Action::FileChange { .. } => "fileChange",
                    Action::Error { will_retry: true, .. } => "retried error",
                    Action::Error { .. } => "error",
                    _ => "other",
                })
                .collect()
        };
        assert_eq!(kinds("hello"), ["reasoning", "message"]);
        assert_eq!(kinds("RUN"), ["command"]);
        assert_eq!(kinds("PATCH notes.txt"), ["fileChange"]);
        assert_eq!(kinds("FAIL"), ["retried error", "error"]);
        assert_eq!(kinds("SLOW"), ["message"]);
        let Action::Command { command, output, approval, .. } = &steps("RUN", "/w")[0].action
        else {
            panic!("not a command")
        };
        assert_eq!(command, "echo hello 1>&2");
        assert_eq!(output, &["hello\n"]);
        let approval = approval.as_ref().unwrap();
        assert_eq!(approval.on_accept, approval.on_decline);
        let Action::FileChange { path, .. } = &steps("PATCH notes.txt", "/w")[0].action else {
            panic!("not a file change")
        };
        assert_eq!(path, "/w/notes.txt");
    }
}
