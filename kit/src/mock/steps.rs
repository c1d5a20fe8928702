//! The item steps of a turn: an agent message and a reasoning summary streamed word by word,
//! a command (approval, output, exit code) and a file change (approval, turn diff).

use std::time::Instant;

use app_server_protocol::method::{
    AgentMessageDelta, CommandExecutionOutputDelta, CommandExecutionRequestApproval,
    FileChangeRequestApproval, ReasoningSummaryPartAdded, ReasoningSummaryTextDelta,
    TurnDiffUpdated,
};
use app_server_protocol::v2::{
    self, CommandAction, CommandExecutionApprovalDecision as CommandDecision,
    CommandExecutionStatus, FileChangeApprovalDecision as FileDecision, FileUpdateChange,
    PatchApplyStatus, PatchChangeKind, ThreadItem,
};

use super::scenario::{Approval, ChangeKind};
use super::turn::{Asked, Flow, TurnRun};

/// The parts of a scripted command.
pub(super) struct CommandStep<'a> {
    pub(super) command: &'a str,
    pub(super) cwd: String,
    pub(super) output: &'a [String],
    pub(super) exit_code: i32,
    pub(super) delta_delay_ms: u64,
}

/// The parts of a scripted file change.
pub(super) struct FileStep<'a> {
    pub(super) path: &'a str,
    pub(super) diff: &'a str,
    pub(super) kind: ChangeKind,
}

/// What the user decided, whatever the approval's type.
enum Decision {
    /// Go ahead (`accept`, `acceptForSession`, `acceptWithExecpolicyAmendment`).
    Accept,
    /// Do not; the turn goes on.
    Decline,
    /// Do not, and stop the turn (also: interrupted while asking).
    Cancel,
    /// The connection is gone.
    Closed,
}

impl From<Asked<CommandDecision>> for Decision {
    fn from(asked: Asked<CommandDecision>) -> Self {
        match asked {
            Asked::Answer(CommandDecision::Decline) => Decision::Decline,
            Asked::Answer(CommandDecision::Cancel) | Asked::Interrupted => Decision::Cancel,
            Asked::Answer(_) => Decision::Accept,
            Asked::Closed => Decision::Closed,
        }
    }
}

impl From<Asked<FileDecision>> for Decision {
    fn from(asked: Asked<FileDecision>) -> Self {
        match asked {
            Asked::Answer(FileDecision::Decline) => Decision::Decline,
            Asked::Answer(FileDecision::Cancel) | Asked::Interrupted => Decision::Cancel,
            Asked::Answer(FileDecision::Accept | FileDecision::AcceptForSession) => {
                Decision::Accept
            }
            Asked::Closed => Decision::Closed,
        }
    }
}

impl<T> Asked<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Asked<U> {
        match self {
            Asked::Answer(answer) => Asked::Answer(f(answer)),
            Asked::Interrupted => Asked::Interrupted,
            Asked::Closed => Asked::Closed,
        }
    }
}

/// Word-sized deltas of `text` (each keeps its trailing space), as a model streams them.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(' ')
}

impl TurnRun {
    /// `item/started`, a delta per word, `item/completed`.
    pub(super) async fn agent_message(&mut self, text: &str, delta_delay_ms: u64) -> Flow {
        let id = self.mock.ids().next("item");
        let started = ThreadItem::AgentMessage { id: id.clone(), text: String::new() };
        if self.send_started(started).await.is_err() {
            return Flow::Closed;
        }
        for delta in words(text) {
            if self.pause(delta_delay_ms).await {
                break;
            }
            let params = v2::AgentMessageDeltaNotification::new(id.clone(), delta);
            if self.ctx.notify::<AgentMessageDelta>(params).await.is_err() {
                return Flow::Closed;
            }
        }
        self.complete(ThreadItem::AgentMessage { id, text: text.to_owned() }).await
    }

    /// `item/started`, a summary part, a delta per word, `item/completed`.
    pub(super) async fn reasoning(&mut self, summary: &str, delta_delay_ms: u64) -> Flow {
        let id = self.mock.ids().next("item");
        let started =
            ThreadItem::Reasoning { id: id.clone(), summary: Vec::new(), content: Vec::new() };
        if self.send_started(started).await.is_err() {
            return Flow::Closed;
        }
        let part = v2::ReasoningSummaryPartAddedNotification::new(id.clone(), 0);
        if self.ctx.notify::<ReasoningSummaryPartAdded>(part).await.is_err() {
            return Flow::Closed;
        }
        for delta in words(summary) {
            if self.pause(delta_delay_ms).await {
                break;
            }
            let params = v2::ReasoningSummaryTextDeltaNotification::new(id.clone(), delta, 0);
            if self.ctx.notify::<ReasoningSummaryTextDelta>(params).await.is_err() {
                return Flow::Closed;
            }
        }
        let completed =
            ThreadItem::Reasoning { id, summary: vec![summary.to_owned()], content: Vec::new() };
        self.complete(completed).await
    }

    /// `item/started`; the approval, if any; the output and `item/completed` when accepted
    /// (or `declined`); then what follows the decision.
    pub(super) async fn command(
        &mut self,
        step: CommandStep<'_>,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        let id = self.mock.ids().next("item");
        let in_progress = command_item(&id, &step, CommandExecutionStatus::InProgress, None);
        if self.send_started(in_progress).await.is_err() {
            return Flow::Closed;
        }
        if let Some(approval) = approval {
            let declined = command_item(&id, &step, CommandExecutionStatus::Declined, None);
            let decision = self.ask_command(&id, &step, approval).await;
            if let Some(flow) = self.unless_accepted(decision, declined, approval, first_turn).await
            {
                return flow;
            }
        }
        let began = Instant::now();
        let Some(output) = self.stream_output(&id, &step).await else { return Flow::Closed };
        let status = if step.exit_code == 0 {
            CommandExecutionStatus::Completed
        } else {
            CommandExecutionStatus::Failed
        };
        let outcome = Some((output, began.elapsed().as_millis() as i64));
        let flow = self.complete(command_item(&id, &step, status, outcome)).await;
        self.after_accept(flow, approval, first_turn).await
    }

    async fn ask_command(&self, id: &str, step: &CommandStep<'_>, approval: &Approval) -> Decision {
        let reason = approval.reason.clone().unwrap_or_else(|| format!("Run `{}`", step.command));
        let prefix: Vec<String> =
            step.command.split_whitespace().take(2).map(str::to_owned).collect();
        let ask = v2::CommandExecutionRequestApprovalParams::new(
            self.thread_id.clone(),
            self.turn_id.clone(),
            id,
        )
        .with_reason(reason)
        .with_command(step.command)
        .with_cwd(step.cwd.clone())
        .with_proposed_execpolicy_amendment(prefix);
        let asked = self.ask(self.ctx.request::<CommandExecutionRequestApproval>(ask)).await;
        Decision::from(asked.map(|answer| answer.decision))
    }

    /// Streams the command's output; `None` when the connection is gone. An interrupt stops
    /// the output where it is.
    async fn stream_output(&mut self, id: &str, step: &CommandStep<'_>) -> Option<String> {
        let mut output = String::new();
        for chunk in step.output {
            if self.pause(step.delta_delay_ms).await {
                break;
            }
            output.push_str(chunk);
            let params = v2::CommandExecutionOutputDeltaNotification::new(id, chunk.clone());
            self.ctx.notify::<CommandExecutionOutputDelta>(params).await.ok()?;
        }
        Some(output)
    }

    /// `item/started`; the approval, if any; `item/completed` and `turn/diff/updated` with
    /// every diff of the turn so far when applied (or `declined`); then what follows.
    pub(super) async fn file_change(
        &mut self,
        step: FileStep<'_>,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        let id = self.mock.ids().next("item");
        if self.send_started(file_item(&id, &step, PatchApplyStatus::InProgress)).await.is_err() {
            return Flow::Closed;
        }
        if let Some(approval) = approval {
            let reason = approval.reason.clone().unwrap_or_else(|| format!("Change {}", step.path));
            let ask = v2::FileChangeRequestApprovalParams::new(
                self.thread_id.clone(),
                self.turn_id.clone(),
                id.clone(),
            )
            .with_reason(reason);
            let asked = self.ask(self.ctx.request::<FileChangeRequestApproval>(ask)).await;
            let decision = Decision::from(asked.map(|answer| answer.decision));
            let declined = file_item(&id, &step, PatchApplyStatus::Declined);
            if let Some(flow) = self.unless_accepted(decision, declined, approval, first_turn).await
            {
                return flow;
            }
        }
        let flow = self.complete(file_item(&id, &step, PatchApplyStatus::Completed)).await;
        if !matches!(flow, Flow::Continue) {
            return flow;
        }
        self.diffs.push(step.diff.to_owned());
        let diff = self.diffs.concat();
        let params = v2::TurnDiffUpdatedNotification::new(
            self.thread_id.clone(),
            self.turn_id.clone(),
            diff,
        );
        if self.ctx.notify::<TurnDiffUpdated>(params).await.is_err() {
            return Flow::Closed;
        }
        self.after_accept(Flow::Continue, approval, first_turn).await
    }

    /// `None` when the item goes ahead; otherwise how the turn goes on: a declined item is
    /// completed as `declined` and the `onDecline` steps follow; a cancel completes it the
    /// same way and interrupts the turn.
    async fn unless_accepted(
        &mut self,
        decision: Decision,
        declined: ThreadItem,
        approval: &Approval,
        first_turn: bool,
    ) -> Option<Flow> {
        match decision {
            Decision::Accept => None,
            Decision::Closed => Some(Flow::Closed),
            Decision::Decline => {
                let flow = self.complete(declined).await;
                Some(self.after_decision(flow, &approval.on_decline, first_turn).await)
            }
            Decision::Cancel => Some(match self.complete(declined).await {
                Flow::Continue => Flow::Interrupted,
                other => other,
            }),
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

/// The command item in a state; `outcome` is its output and duration once it ran.
fn command_item(
    id: &str,
    step: &CommandStep<'_>,
    status: CommandExecutionStatus,
    outcome: Option<(String, i64)>,
) -> ThreadItem {
    let ran = outcome.is_some();
    let (output, duration_ms) = outcome.unzip();
    ThreadItem::CommandExecution {
        id: id.to_owned(),
        command: step.command.to_owned(),
        cwd: step.cwd.clone(),
        status,
        command_actions: vec![CommandAction::Unknown { command: step.command.to_owned() }],
        aggregated_output: output,
        exit_code: ran.then_some(step.exit_code),
        duration_ms,
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
