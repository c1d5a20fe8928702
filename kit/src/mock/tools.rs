//! The tool steps of a turn, as a released server plays the model's tool calls: a command
//! (`exec_command_begin`, the approval, its output and `exec_command_end`) and a file change
//! (`apply_patch_approval_request`, the approval, `patch_apply_begin`/`_end`, the turn diff),
//! asked in the words of the API the turn was started with. A tool call ends the model
//! response that made it; what follows a decision is the next response.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use app_server_peer::CallError;
use app_server_protocol::method::{
    CommandExecutionOutputDelta, CommandExecutionRequestApproval, FileChangeRequestApproval,
};
use app_server_protocol::v1::{self, EventMsg, ParsedCommand, ReviewDecision};
use app_server_protocol::v2::{
    self, CommandAction, CommandExecutionApprovalDecision as CommandDecision,
    CommandExecutionStatus, FileChangeApprovalDecision as FileDecision, FileUpdateChange,
    PatchApplyStatus, PatchChangeKind, ThreadItem,
};

use super::event_stream::base64;
use super::flow::{Decision, Flow};
use super::scenario::{Approval, ChangeKind};
use super::turn::{Api, TurnRun};

/// What the `exec_command_end` and the item of a declined command say.
const REJECTED: &str = "exec command rejected by user";

/// The parts of a scripted command.
pub(super) struct CommandStep<'a> {
    pub(super) command: &'a str,
    pub(super) cwd: String,
    pub(super) output: &'a [String],
    pub(super) exit_code: i32,
    pub(super) delta_delay_ms: u64,
}

impl CommandStep<'_> {
    /// The argument vector a real server runs: `bash -lc COMMAND`.
    fn argv(&self) -> Vec<String> {
        vec!["bash".to_owned(), "-lc".to_owned(), self.command.to_owned()]
    }

    /// The argument vector as one shell line (`bash -lc 'echo hi'`), as v2 items show it.
    fn line(&self) -> String {
        format!("bash -lc '{}'", self.command.replace('\'', r"'\''"))
    }

    fn parsed(&self) -> Vec<ParsedCommand> {
        vec![ParsedCommand::Unknown { cmd: self.command.to_owned() }]
    }
}

/// The parts of a scripted file change.
pub(super) struct FileStep<'a> {
    pub(super) path: &'a str,
    pub(super) diff: &'a str,
    pub(super) kind: ChangeKind,
}

/// How a command ended: its output, exit code and duration.
struct Outcome {
    output: String,
    exit_code: i32,
    duration_ms: i64,
}

impl TurnRun {
    /// A command: `exec_command_begin`, `item/started`; the approval, if any; then the
    /// output, `exec_command_end` and `item/completed` (`completed`, or `failed` for a
    /// non-zero exit code). Declined: `item/completed` `declined` (v2), then
    /// `exec_command_end` and `item/completed` `failed` with exit code -1, as released
    /// servers do. Then what follows the decision.
    pub(super) async fn command(
        &mut self,
        step: CommandStep<'_>,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        let Ok(serial) = self.call_response().await else { return Flow::Closed };
        let id = format!("call_{serial}");
        let begin = v1::ExecCommandBeginEvent {
            call_id: id.clone(),
            turn_id: self.turn_id.clone(),
            command: step.argv(),
            cwd: PathBuf::from(&step.cwd),
            parsed_cmd: step.parsed(),
            source: v1::ExecCommandSource::Agent,
            interaction_input: None,
        };
        let in_progress = command_item(&id, &step, CommandExecutionStatus::InProgress, None);
        if self.legacy(EventMsg::ExecCommandBegin(begin)).await.is_err()
            || self.send_started(in_progress).await.is_err()
        {
            return Flow::Closed;
        }
        if let Some(approval) = approval {
            let decision = self.ask_command(&id, &step, approval).await;
            if decision != Decision::Accept {
                let flow = self.command_refused(&id, &step, decision).await;
                return self.after_refusal(flow, decision, approval, first_turn).await;
            }
        }
        let began = Instant::now();
        let Ok(output) = self.stream_output(&id, &step).await else { return Flow::Closed };
        let duration_ms = began.elapsed().as_millis() as i64;
        let outcome = Outcome { output, exit_code: step.exit_code, duration_ms };
        let flow = self.command_ended(&id, &step, outcome).await;
        self.after_accept(flow, approval, first_turn).await
    }

    /// Starts (if none is) and ends the model response that makes a tool call; its number.
    async fn call_response(&mut self) -> Result<u64, CallError> {
        let serial = self.response().await?;
        self.end_response().await?;
        Ok(serial)
    }

    async fn ask_command(&self, id: &str, step: &CommandStep<'_>, approval: &Approval) -> Decision {
        let request = v1::ExecApprovalRequestEvent {
            call_id: id.to_owned(),
            turn_id: self.turn_id.clone(),
            command: step.argv(),
            cwd: PathBuf::from(&step.cwd),
            reason: approval.reason.clone(),
            risk: None,
            parsed_cmd: step.parsed(),
        };
        if self.legacy(EventMsg::ExecApprovalRequest(request)).await.is_err() {
            return Decision::Closed;
        }
        match self.api {
            Api::V2 => {
                let mut ask = v2::CommandExecutionRequestApprovalParams::new(
                    self.thread_id.clone(),
                    self.turn_id.clone(),
                    id,
                )
                .with_command(step.line())
                .with_cwd(step.cwd.clone())
                .with_proposed_execpolicy_amendment(step.argv());
                ask.reason = approval.reason.clone();
                let declined =
                    v2::CommandExecutionRequestApprovalResponse::new(CommandDecision::Decline);
                let asked = self
                    .ask(self.ctx.request::<CommandExecutionRequestApproval>(ask), declined)
                    .await;
                Decision::from(asked.map(|answer| answer.decision))
            }
            Api::V1 => {
                let mut ask = v1::ExecCommandApprovalParams::new(
                    self.conversation_id(),
                    id,
                    step.argv(),
                    PathBuf::from(&step.cwd),
                    step.parsed(),
                );
                ask.reason = approval.reason.clone();
                let declined = v1::ExecCommandApprovalResponse::new(ReviewDecision::Denied);
                #[allow(deprecated)] // v1 turns ask in v1's words
                let request =
                    self.ctx.request::<app_server_protocol::method::ExecCommandApproval>(ask);
                let asked = self.ask(request, declined).await;
                Decision::from(asked.map(|answer| answer.decision))
            }
        }
    }

    /// A command that will not run: `declined` (v2), then failed with exit code -1.
    async fn command_refused(
        &mut self,
        id: &str,
        step: &CommandStep<'_>,
        decision: Decision,
    ) -> Flow {
        if decision == Decision::Closed {
            return Flow::Closed;
        }
        if self.api == Api::V2 {
            let declined = command_item(id, step, CommandExecutionStatus::Declined, None);
            if let Flow::Closed = self.complete(declined).await {
                return Flow::Closed;
            }
        }
        let outcome = Outcome { output: REJECTED.to_owned(), exit_code: -1, duration_ms: 0 };
        self.command_ended(id, step, outcome).await
    }

    /// `exec_command_end` and `item/completed` of a command that ran (or was refused).
    async fn command_ended(&mut self, id: &str, step: &CommandStep<'_>, outcome: Outcome) -> Flow {
        let refused = outcome.exit_code == -1 && outcome.output == REJECTED;
        let end = v1::ExecCommandEndEvent {
            call_id: id.to_owned(),
            turn_id: self.turn_id.clone(),
            command: step.argv(),
            cwd: PathBuf::from(&step.cwd),
            parsed_cmd: step.parsed(),
            source: v1::ExecCommandSource::Agent,
            interaction_input: None,
            stdout: if refused { String::new() } else { outcome.output.clone() },
            stderr: if refused { outcome.output.clone() } else { String::new() },
            aggregated_output: outcome.output.clone(),
            exit_code: outcome.exit_code,
            duration: v1::Duration {
                secs: (outcome.duration_ms / 1000) as u64,
                nanos: (outcome.duration_ms % 1000) as u32 * 1_000_000,
            },
            formatted_output: outcome.output.clone(),
        };
        if self.legacy(EventMsg::ExecCommandEnd(end)).await.is_err() {
            return Flow::Closed;
        }
        let status = if outcome.exit_code == 0 {
            CommandExecutionStatus::Completed
        } else {
            CommandExecutionStatus::Failed
        };
        self.complete(command_item(id, step, status, Some(outcome))).await
    }

    /// Streams the command's output (`exec_command_output_delta` and
    /// `item/commandExecution/outputDelta` per chunk). An interrupt stops it where it is.
    async fn stream_output(
        &mut self,
        id: &str,
        step: &CommandStep<'_>,
    ) -> Result<String, CallError> {
        let mut output = String::new();
        for chunk in step.output {
            if self.pause(step.delta_delay_ms).await {
                break;
            }
            output.push_str(chunk);
            let delta = v1::ExecCommandOutputDeltaEvent {
                call_id: id.to_owned(),
                stream: v1::ExecOutputStream::Stdout,
                chunk: base64(chunk.as_bytes()),
            };
            self.legacy(EventMsg::ExecCommandOutputDelta(delta)).await?;
            let params = v2::CommandExecutionOutputDeltaNotification::new(id, chunk.clone());
            self.ctx.notify::<CommandExecutionOutputDelta>(params).await?;
        }
        Ok(output)
    }

    /// A file change: `apply_patch_approval_request` and the approval, if any, then
    /// `patch_apply_begin`, `patch_apply_end`, `item/completed` and the turn diff. v2 sends
    /// `item/started` before the approval, v1 after it (as released servers do); a declined
    /// change is `declined` (v2). Then what follows the decision.
    pub(super) async fn file_change(
        &mut self,
        step: FileStep<'_>,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        let Ok(serial) = self.call_response().await else { return Flow::Closed };
        let id = format!("call_{serial}");
        let in_progress = file_item(&id, &step, PatchApplyStatus::InProgress);
        if let Some(approval) = approval {
            let decision = self.ask_file_change(&id, &step, approval).await;
            if decision != Decision::Accept {
                let flow = match (decision, self.api) {
                    (Decision::Closed, _) => Flow::Closed,
                    (_, Api::V1) => Flow::Continue,
                    (_, Api::V2) => {
                        self.complete(file_item(&id, &step, PatchApplyStatus::Declined)).await
                    }
                };
                return self.after_refusal(flow, decision, approval, first_turn).await;
            }
        } else if self.api == Api::V2 && self.send_started(in_progress.clone()).await.is_err() {
            return Flow::Closed;
        }
        let flow = self.apply_patch(&id, &step, approval.is_none(), in_progress).await;
        self.after_accept(flow, approval, first_turn).await
    }

    async fn ask_file_change(
        &mut self,
        id: &str,
        step: &FileStep<'_>,
        approval: &Approval,
    ) -> Decision {
        let request = v1::ApplyPatchApprovalRequestEvent {
            call_id: id.to_owned(),
            turn_id: self.turn_id.clone(),
            changes: changes(step),
            reason: approval.reason.clone(),
            grant_root: None,
        };
        if self.legacy(EventMsg::ApplyPatchApprovalRequest(request)).await.is_err() {
            return Decision::Closed;
        }
        match self.api {
            Api::V2 => {
                let in_progress = file_item(id, step, PatchApplyStatus::InProgress);
                if self.send_started(in_progress).await.is_err() {
                    return Decision::Closed;
                }
                let mut ask = v2::FileChangeRequestApprovalParams::new(
                    self.thread_id.clone(),
                    self.turn_id.clone(),
                    id,
                );
                ask.reason = approval.reason.clone();
                let declined = v2::FileChangeRequestApprovalResponse::new(FileDecision::Decline);
                let asked =
                    self.ask(self.ctx.request::<FileChangeRequestApproval>(ask), declined).await;
                Decision::from(asked.map(|answer| answer.decision))
            }
            Api::V1 => {
                let mut ask =
                    v1::ApplyPatchApprovalParams::new(self.conversation_id(), id, changes(step));
                ask.reason = approval.reason.clone();
                let declined = v1::ApplyPatchApprovalResponse::new(ReviewDecision::Denied);
                #[allow(deprecated)] // v1 turns ask in v1's words
                let request =
                    self.ctx.request::<app_server_protocol::method::ApplyPatchApproval>(ask);
                let asked = self.ask(request, declined).await;
                Decision::from(asked.map(|answer| answer.decision))
            }
        }
    }

    /// `patch_apply_begin`, (v1) `item/started`, `patch_apply_end`, `item/completed`, the
    /// turn diff.
    async fn apply_patch(
        &mut self,
        id: &str,
        step: &FileStep<'_>,
        auto: bool,
        started: ThreadItem,
    ) -> Flow {
        let begin = v1::PatchApplyBeginEvent {
            call_id: id.to_owned(),
            turn_id: self.turn_id.clone(),
            auto_approved: auto,
            changes: changes(step),
        };
        if self.legacy(EventMsg::PatchApplyBegin(begin)).await.is_err()
            || (self.api == Api::V1 && self.send_started(started).await.is_err())
        {
            return Flow::Closed;
        }
        let letter = match step.kind {
            ChangeKind::Add => 'A',
            ChangeKind::Delete => 'D',
            ChangeKind::Update => 'M',
        };
        let end = v1::PatchApplyEndEvent {
            call_id: id.to_owned(),
            turn_id: self.turn_id.clone(),
            stdout: format!("Success. Updated the following files:\n{letter} {}\n", step.path),
            stderr: String::new(),
            success: true,
            changes: changes(step),
        };
        if self.legacy(EventMsg::PatchApplyEnd(end)).await.is_err() {
            return Flow::Closed;
        }
        if let Flow::Closed = self.complete(file_item(id, step, PatchApplyStatus::Completed)).await
        {
            return Flow::Closed;
        }
        self.diffs.push(step.diff.to_owned());
        match self.turn_diff().await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    /// After a refused tool call: a decline plays the `onDecline` steps, a cancel
    /// interrupts the turn.
    async fn after_refusal(
        &mut self,
        flow: Flow,
        decision: Decision,
        approval: &Approval,
        first_turn: bool,
    ) -> Flow {
        match (flow, decision) {
            (Flow::Continue, Decision::Cancel) => Flow::Interrupted,
            (flow, Decision::Decline) => {
                self.after_decision(flow, &approval.on_decline, first_turn).await
            }
            (flow, _) => flow,
        }
    }

    /// The `onAccept` steps of an approval that was accepted.
    async fn after_accept(
        &mut self,
        flow: Flow,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        match approval {
            Some(approval) => self.after_decision(flow, &approval.on_accept, first_turn).await,
            None => flow,
        }
    }
}

/// The command item in a state; `outcome` once it ran (or was refused).
fn command_item(
    id: &str,
    step: &CommandStep<'_>,
    status: CommandExecutionStatus,
    outcome: Option<Outcome>,
) -> ThreadItem {
    ThreadItem::CommandExecution {
        id: id.to_owned(),
        command: step.line(),
        cwd: step.cwd.clone(),
        status,
        command_actions: vec![CommandAction::Unknown { command: step.command.to_owned() }],
        aggregated_output: outcome.as_ref().map(|outcome| outcome.output.clone()),
        exit_code: outcome.as_ref().map(|outcome| outcome.exit_code),
        duration_ms: outcome.map(|outcome| outcome.duration_ms),
    }
}

/// The file change item in a state.
fn file_item(id: &str, step: &FileStep<'_>, status: PatchApplyStatus) -> ThreadItem {
    let kind = match step.kind {
        ChangeKind::Add => PatchChangeKind::Add,
        ChangeKind::Delete => PatchChangeKind::Delete,
        ChangeKind::Update => PatchChangeKind::Update { move_path: None },
    };
    let change = FileUpdateChange { path: step.path.to_owned(), kind, diff: step.diff.to_owned() };
    ThreadItem::FileChange { id: id.to_owned(), changes: vec![change], status }
}

/// The change in the core protocol's words, by path.
fn changes(step: &FileStep<'_>) -> BTreeMap<PathBuf, v1::FileChange> {
    let change = match step.kind {
        ChangeKind::Add => v1::FileChange::Add { content: step.diff.to_owned() },
        ChangeKind::Delete => v1::FileChange::Delete { content: step.diff.to_owned() },
        ChangeKind::Update => {
            v1::FileChange::Update { unified_diff: step.diff.to_owned(), move_path: None }
        }
    };
    BTreeMap::from([(PathBuf::from(step.path), change)])
}
