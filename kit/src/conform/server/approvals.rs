//! Scenarios `approvals` (a command accepted, a command declined, a file change accepted) and
//! `failure` (a model that fails: retried, then the turn fails). Their prompts are those of the
//! stand-in model API (`--model stand-in`); a server whose model does not act on them asks for
//! no approval and meets no failure, and the checks say so as skips.

use serde_json::Value;

use super::turn::{play_turn, prompts, start_thread, string_at};
use super::{Abort, start};
use crate::conform::session::{Approvals, Received, Session};

const ACCEPT: &str = "approval.command-accept";
const DECLINE: &str = "approval.command-decline";
const FILE_CHANGE: &str = "approval.file-change";
const FAILED: &str = "turn.failed";
const ERROR_IDS: &str = "notify.error-ids";
const WILL_RETRY: &str = "notify.error-will-retry";

const COMMAND_APPROVAL: &str = "item/commandExecution/requestApproval";
const FILE_APPROVAL: &str = "item/fileChange/requestApproval";

/// One approval case: the check, the prompt, the request it should bring, how it is
/// answered and the statuses of the item's (first) completion that keep the rule.
struct Case {
    check: &'static str,
    prompt: &'static str,
    request: &'static str,
    answer: Approvals,
    statuses: &'static [&'static str],
}

const CASES: [Case; 3] = [
    Case {
        check: ACCEPT,
        prompt: prompts::RUN,
        request: COMMAND_APPROVAL,
        answer: Approvals::Accept,
        statuses: &["completed", "failed"],
    },
    Case {
        check: DECLINE,
        prompt: prompts::RUN,
        request: COMMAND_APPROVAL,
        answer: Approvals::Decline,
        statuses: &["declined"],
    },
    Case {
        check: FILE_CHANGE,
        prompt: prompts::PATCH,
        request: FILE_APPROVAL,
        answer: Approvals::Accept,
        statuses: &["completed"],
    },
];

/// Scenario `approvals`: three turns on one thread, each answered as its case says.
pub async fn approvals_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let thread_id = start_thread(session, ACCEPT).await?;
    for case in &CASES {
        session.approvals = case.answer;
        let (_, from, completed) = play_turn(session, case.check, &thread_id, case.prompt).await?;
        judge_case(session, case, from, completed);
    }
    Ok(())
}

/// Judges one approval case in the messages from `from` to the turn's `turn/completed`.
fn judge_case(session: &mut Session, case: &Case, from: usize, completed: usize) {
    let scenario = session.scenario;
    let turn = &session.seen[from..=completed];
    let Some(request) = turn.iter().find(|r| r.method == case.request) else {
        let why = format!(
            "the turn asked for no `{}` (prompt {:?}: the stand-in model API, `--model stand-in`, turns it into one)",
            case.request, case.prompt
        );
        return session.recorder.skip(case.check, scenario, why);
    };
    let item_id = string_at(Some(&request.value), "/params/itemId").unwrap_or_default();
    let completions: Vec<&Received> = turn
        .iter()
        .filter(|r| {
            r.method == "item/completed"
                && string_at(Some(&r.value), "/params/item/id").as_deref() == Some(&item_id)
        })
        .collect();
    let statuses: Vec<String> = completions
        .iter()
        .map(|r| string_at(Some(&r.value), "/params/item/status").unwrap_or_default())
        .collect();
    // The item's first completion is its outcome. Released servers complete a declined
    // command a second time, `failed` with exit code -1; the contract says nothing of a second
    // completion, so it is reported as information, not judged.
    let last = completions.first().copied();
    let status = statuses.first().cloned();
    if statuses.len() > 1 {
        let message = format!(
            "the item the approval named completed {} times (statuses in order: {}); its first completion is judged",
            statuses.len(),
            statuses.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        );
        let line = completions[1].line.clone();
        session.recorder.inform(case.check, scenario, message, Some(&line));
    }
    let completed_line = session.seen[completed].line.clone();
    let turn_status = string_at(Some(&session.seen[completed].value), "/params/turn/status");
    let (message, line) = match (status.as_deref(), last) {
        (None, None) => (
            format!(
                "no `item/completed` of item `{item_id}` (the one the approval named) before `turn/completed`"
            ),
            completed_line.clone(),
        ),
        (Some(status), Some(last)) if !case.statuses.contains(&status) => (
            format!(
                "the item the approval named completed `{status}`{}; answered `{}`, it completes {}",
                if statuses.len() > 1 {
                    format!(
                        " (its `item/completed` statuses in order: {})",
                        quoted(&statuses.iter().map(String::as_str).collect::<Vec<_>>())
                            .replace(" or ", ", ")
                    )
                } else {
                    String::new()
                },
                answer_word(case.answer),
                quoted(case.statuses)
            ),
            last.line.clone(),
        ),
        _ if turn_status.as_deref() != Some("completed") => (
            format!(
                "the turn ended {} after the approval was answered `{}`: expected it to carry on and complete",
                turn_status.map_or_else(|| "without a status".to_owned(), |s| format!("`{s}`")),
                answer_word(case.answer)
            ),
            completed_line,
        ),
        _ => return session.recorder.pass(case.check),
    };
    session.recorder.fail(case.check, scenario, message, Some(&line));
}

fn answer_word(answer: Approvals) -> &'static str {
    match answer {
        Approvals::Decline => "decline",
        Approvals::Accept | Approvals::Hold => "accept",
    }
}

fn quoted(words: &[&str]) -> String {
    words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(" or ")
}

/// Scenario `failure`: a turn whose model fails (`FAIL`): `error` notifications (the first
/// retried), then the turn fails.
pub async fn failure_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let thread_id = start_thread(session, FAILED).await?;
    let (_, from, completed) = play_turn(session, FAILED, &thread_id, prompts::FAIL).await?;
    let scenario = session.scenario;
    let errors: Vec<Received> =
        session.seen[from..completed].iter().filter(|r| r.method == "error").cloned().collect();
    let done = session.seen[completed].clone();
    let status = string_at(Some(&done.value), "/params/turn/status");
    let terminal = errors
        .iter()
        .rev()
        .find(|r| r.value.pointer("/params/willRetry").and_then(Value::as_bool) == Some(false));
    if terminal.is_none() && status.as_deref() != Some("failed") {
        let why = if errors.is_empty() {
            "no `error` notification came and the turn did not fail: the server's model did not fail on `FAIL` (the stand-in model API, `--model stand-in`, fails it)"
        } else {
            "the turn recovered from its retried errors and did not fail: the server's model did not fail for good on `FAIL` (the stand-in model API, `--model stand-in`, fails it)"
        };
        session.recorder.skip(FAILED, scenario, why);
        if errors.is_empty() {
            session.recorder.skip(ERROR_IDS, scenario, why);
            session.recorder.skip(WILL_RETRY, scenario, why);
        }
        return Ok(());
    }
    let error = done.value.pointer("/params/turn/error");
    let problem = match (terminal, status.as_deref()) {
        (None, _) => {
            Some("the turn failed, but no `error` with `willRetry: false` came before it ended")
        }
        (Some(_), Some("failed")) if error.is_none_or(Value::is_null) => {
            Some("the failed turn's `turn.error` is null")
        }
        (Some(_), Some("failed")) => None,
        (Some(_), _) => {
            Some("an `error` with `willRetry: false` came, but the turn did not end `failed`")
        }
    };
    match problem {
        Some(problem) => session.recorder.fail(FAILED, scenario, problem, Some(&done.line)),
        None => session.recorder.pass(FAILED),
    }
    Ok(())
}
