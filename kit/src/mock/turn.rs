//! Playing a turn: the steps of the scenario (the built-in one or `--scenario FILE`) as
//! `turn/*` and `item/*` notifications and approval requests, on the connection that
//! started the turn, until `turn/completed`. The finished turn is stored on its thread.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app_server_peer::{CallError, ServerContext};
use app_server_protocol::method::{
    AgentMessageDelta, CommandExecutionOutputDelta, CommandExecutionRequestApproval, Error,
    FileChangeRequestApproval, ItemCompleted, ItemStarted, ReasoningSummaryPartAdded,
    ReasoningSummaryTextDelta, TurnCompleted, TurnDiffUpdated, TurnStarted,
};
use app_server_protocol::v2::{
    self, CodexErrorInfo, CommandAction, CommandExecutionApprovalDecision as CommandDecision,
    CommandExecutionStatus, FileChangeApprovalDecision as FileDecision, FileUpdateChange,
    PatchApplyStatus, PatchChangeKind, ThreadItem, Turn, TurnError, TurnStatus, UserInput,
};
use app_server_protocol::{ServerNotification, decode_server_message};
use tokio::sync::watch;

use super::Mock;
use super::conn::Conn;
use super::fault::Fault;
use super::ids::Rng;
use super::scenario::{Action, Approval, ChangeKind, Step};

/// How a run of steps ended.
enum Flow {
    /// Go on with the next step.
    Continue,
    /// `turn/interrupt` or a `cancel` decision.
    Interrupted,
    /// An `error` step with `willRetry: false`.
    Failed(TurnError),
    /// The connection is gone: nothing more can be sent.
    Closed,
}

/// One turn being played.
pub(crate) struct TurnRun {
    pub(crate) mock: Mock,
    pub(crate) conn: Arc<Conn>,
    pub(crate) ctx: ServerContext,
    pub(crate) thread_id: String,
    pub(crate) turn_id: String,
    pub(crate) cwd: String,
    pub(crate) input: Vec<UserInput>,
    pub(crate) interrupted: watch::Receiver<bool>,
    pub(crate) rng: Rng,
    /// The items completed so far, in order.
    items: Vec<ThreadItem>,
    /// The diffs applied so far (for `turn/diff/updated`).
    diffs: Vec<String>,
}

impl TurnRun {
    /// A turn about to be played.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        mock: Mock,
        conn: Arc<Conn>,
        ctx: ServerContext,
        thread_id: String,
        turn_id: String,
        cwd: String,
        input: Vec<UserInput>,
        interrupted: watch::Receiver<bool>,
    ) -> Self {
        let rng = mock.ids().fork();
        TurnRun {
            mock,
            conn,
            ctx,
            thread_id,
            turn_id,
            cwd,
            input,
            interrupted,
            rng,
            items: Vec::new(),
            diffs: Vec::new(),
        }
    }

    /// The turn as it starts: in progress, no items.
    pub(crate) fn started_turn(turn_id: &str) -> Turn {
        Turn {
            id: turn_id.to_owned(),
            items: Vec::new(),
            status: TurnStatus::InProgress,
            error: None,
        }
    }

    /// Plays the whole turn (after the `turn/start` answer went out) and stores it.
    pub(crate) async fn play(mut self, steps: Arc<Vec<Step>>) {
        self.ctx.answered().await;
        let first_turn = self.conn.count_turn() == 0;
        let flow = self.open().await;
        let flow = match flow {
            Flow::Continue => self.run(&steps, first_turn).await,
            other => other,
        };
        let (status, error) = match flow {
            Flow::Continue => (TurnStatus::Completed, None),
            Flow::Interrupted | Flow::Closed => (TurnStatus::Interrupted, None),
            Flow::Failed(error) => (TurnStatus::Failed, Some(error)),
        };
        let turn = Turn { id: self.turn_id.clone(), items: self.items.clone(), status, error };
        self.mock.threads().finish_turn(&self.thread_id, turn.clone());
        let params = v2::TurnCompletedNotification::new(self.thread_id.clone(), turn);
        let _closed = self.ctx.notify::<TurnCompleted>(params).await;
    }

    /// `turn/started`, the retried error of the `error-will-retry` fault, the user's message.
    async fn open(&mut self) -> Flow {
        let started = v2::TurnStartedNotification::new(
            self.thread_id.clone(),
            Self::started_turn(&self.turn_id),
        );
        if self.ctx.notify::<TurnStarted>(started).await.is_err() {
            return Flow::Closed;
        }
        if self.mock.faults().has(&Fault::ErrorWillRetry) {
            let error = TurnError {
                message: "Reconnecting... 1/5".into(),
                codex_error_info: Some(CodexErrorInfo::ResponseStreamDisconnected {
                    http_status_code: None,
                }),
            };
            let params = v2::ErrorNotification::new(
                error,
                true,
                self.thread_id.clone(),
                self.turn_id.clone(),
            );
            if self.ctx.notify::<Error>(params).await.is_err() {
                return Flow::Closed;
            }
        }
        let item = ThreadItem::UserMessage {
            id: self.mock.ids().next("item"),
            content: self.input.clone(),
        };
        self.item(item.clone(), item).await
    }

    /// Plays `steps`; on the connection's first turn the `disconnect-mid-turn` fault closes
    /// the connection after the first item the steps complete.
    fn run<'a>(
        &'a mut self,
        steps: &'a [Step],
        first_turn: bool,
    ) -> Pin<Box<dyn Future<Output = Flow> + Send + 'a>> {
        Box::pin(async move {
            for step in steps {
                if self.pause(step.delay_ms).await {
                    return Flow::Interrupted;
                }
                let items_before = self.items.len();
                match self.step(&step.action, first_turn).await {
                    Flow::Continue => {}
                    other => return other,
                }
                if first_turn
                    && self.items.len() > items_before
                    && self.mock.faults().has(&Fault::DisconnectMidTurn)
                {
                    self.conn.disconnect();
                    return Flow::Closed;
                }
            }
            Flow::Continue
        })
    }

    async fn step(&mut self, action: &Action, first_turn: bool) -> Flow {
        match action {
            Action::AgentMessage { text, delta_delay_ms } => {
                self.agent_message(text, *delta_delay_ms).await
            }
            Action::Reasoning { summary, delta_delay_ms } => {
                self.reasoning(summary, *delta_delay_ms).await
            }
            Action::Command { command, cwd, output, exit_code, delta_delay_ms, approval } => {
                let cwd = cwd.clone().unwrap_or_else(|| self.cwd.clone());
                let command = CommandStep {
                    command,
                    cwd,
                    output,
                    exit_code: *exit_code,
                    delta_delay_ms: *delta_delay_ms,
                };
                self.command(command, approval.as_ref(), first_turn).await
            }
            Action::FileChange { path, diff, kind, approval } => {
                self.file_change(path, diff, *kind, approval.as_ref(), first_turn).await
            }
            Action::Error { message, will_retry } => self.error(message, *will_retry).await,
            Action::Notification { method, params } => self.raw_notification(method, params).await,
            Action::Wait {} => Flow::Continue,
        }
    }

    /// Waits `ms` (scaled by `--speed`, with seeded jitter); `true` when the turn was
    /// interrupted meanwhile (or before).
    async fn pause(&mut self, ms: u64) -> bool {
        let speed = self.mock.speed();
        if ms > 0 && speed > 0.0 {
            let delay = self.rng.jitter(Duration::from_millis(ms)).div_f64(speed);
            let mut interrupted = self.interrupted.clone();
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                _ = interrupted.wait_for(|set| *set) => {}
            }
        }
        *self.interrupted.borrow()
    }

    /// `item/started` with `started`, then `item/completed` with `completed` (kept).
    async fn item(&mut self, started: ThreadItem, completed: ThreadItem) -> Flow {
        if self.send_started(started).await.is_err() {
            return Flow::Closed;
        }
        self.complete(completed).await
    }

    async fn send_started(&self, item: ThreadItem) -> Result<(), CallError> {
        let params =
            v2::ItemStartedNotification::new(item, self.thread_id.clone(), self.turn_id.clone());
        self.ctx.notify::<ItemStarted>(params).await
    }

    async fn complete(&mut self, item: ThreadItem) -> Flow {
        self.items.push(item.clone());
        let params =
            v2::ItemCompletedNotification::new(item, self.thread_id.clone(), self.turn_id.clone());
        match self.ctx.notify::<ItemCompleted>(params).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    async fn agent_message(&mut self, text: &str, delta_delay_ms: u64) -> Flow {
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

    async fn reasoning(&mut self, summary: &str, delta_delay_ms: u64) -> Flow {
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

    async fn command(
        &mut self,
        step: CommandStep<'_>,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        let id = self.mock.ids().next("item");
        let item =
            |status, output: Option<String>, exit_code, duration_ms| ThreadItem::CommandExecution {
                id: id.clone(),
                command: step.command.to_owned(),
                cwd: step.cwd.clone(),
                status,
                command_actions: vec![CommandAction::Unknown { command: step.command.to_owned() }],
                aggregated_output: output,
                exit_code,
                duration_ms,
            };
        if self
            .send_started(item(CommandExecutionStatus::InProgress, None, None, None))
            .await
            .is_err()
        {
            return Flow::Closed;
        }
        if let Some(approval) = approval {
            let ask = v2::CommandExecutionRequestApprovalParams::new(
                self.thread_id.clone(),
                self.turn_id.clone(),
                id.clone(),
            )
            .with_reason(
                approval.reason.clone().unwrap_or_else(|| format!("Run `{}`", step.command)),
            )
            .with_command(step.command.to_owned())
            .with_cwd(step.cwd.clone())
            .with_proposed_execpolicy_amendment(
                step.command.split_whitespace().take(2).map(str::to_owned).collect::<Vec<_>>(),
            );
            let decision =
                match self.ask(self.ctx.request::<CommandExecutionRequestApproval>(ask)).await {
                    Asked::Answer(answer) => answer.decision,
                    Asked::Interrupted => CommandDecision::Cancel,
                    Asked::Closed => return Flow::Closed,
                };
            let declined = || item(CommandExecutionStatus::Declined, None, None, None);
            match decision {
                CommandDecision::Decline => {
                    let flow = self.complete(declined()).await;
                    return self.after_decision(flow, &approval.on_decline, first_turn).await;
                }
                CommandDecision::Cancel => {
                    return match self.complete(declined()).await {
                        Flow::Continue => Flow::Interrupted,
                        other => other,
                    };
                }
                _ => {}
            }
        }
        let began = Instant::now();
        let mut output = String::new();
        for chunk in step.output {
            if self.pause(step.delta_delay_ms).await {
                break;
            }
            output.push_str(chunk);
            let params =
                v2::CommandExecutionOutputDeltaNotification::new(id.clone(), chunk.clone());
            if self.ctx.notify::<CommandExecutionOutputDelta>(params).await.is_err() {
                return Flow::Closed;
            }
        }
        let status = if step.exit_code == 0 {
            CommandExecutionStatus::Completed
        } else {
            CommandExecutionStatus::Failed
        };
        let duration = began.elapsed().as_millis() as i64;
        let flow =
            self.complete(item(status, Some(output), Some(step.exit_code), Some(duration))).await;
        match approval {
            Some(approval) => self.after_decision(flow, &approval.on_accept, first_turn).await,
            None => flow,
        }
    }

    async fn file_change(
        &mut self,
        path: &str,
        diff: &str,
        kind: ChangeKind,
        approval: Option<&Approval>,
        first_turn: bool,
    ) -> Flow {
        let id = self.mock.ids().next("item");
        let kind = match kind {
            ChangeKind::Add => PatchChangeKind::Add,
            ChangeKind::Delete => PatchChangeKind::Delete,
            ChangeKind::Update => PatchChangeKind::Update { move_path: None },
        };
        let changes = vec![FileUpdateChange { path: path.to_owned(), kind, diff: diff.to_owned() }];
        let item =
            |status| ThreadItem::FileChange { id: id.clone(), changes: changes.clone(), status };
        if self.send_started(item(PatchApplyStatus::InProgress)).await.is_err() {
            return Flow::Closed;
        }
        if let Some(approval) = approval {
            let ask = v2::FileChangeRequestApprovalParams::new(
                self.thread_id.clone(),
                self.turn_id.clone(),
                id.clone(),
            )
            .with_reason(approval.reason.clone().unwrap_or_else(|| format!("Change {path}")));
            let decision = match self.ask(self.ctx.request::<FileChangeRequestApproval>(ask)).await
            {
                Asked::Answer(answer) => answer.decision,
                Asked::Interrupted => FileDecision::Cancel,
                Asked::Closed => return Flow::Closed,
            };
            match decision {
                FileDecision::Decline => {
                    let flow = self.complete(item(PatchApplyStatus::Declined)).await;
                    return self.after_decision(flow, &approval.on_decline, first_turn).await;
                }
                FileDecision::Cancel => {
                    return match self.complete(item(PatchApplyStatus::Declined)).await {
                        Flow::Continue => Flow::Interrupted,
                        other => other,
                    };
                }
                FileDecision::Accept | FileDecision::AcceptForSession => {}
            }
        }
        let flow = self.complete(item(PatchApplyStatus::Completed)).await;
        if !matches!(flow, Flow::Continue) {
            return flow;
        }
        self.diffs.push(diff.to_owned());
        let params = v2::TurnDiffUpdatedNotification::new(
            self.thread_id.clone(),
            self.turn_id.clone(),
            self.diffs.concat(),
        );
        if self.ctx.notify::<TurnDiffUpdated>(params).await.is_err() {
            return Flow::Closed;
        }
        match approval {
            Some(approval) => {
                self.after_decision(Flow::Continue, &approval.on_accept, first_turn).await
            }
            None => Flow::Continue,
        }
    }

    /// The steps that follow a decision, when the item's completion went out.
    async fn after_decision(&mut self, flow: Flow, steps: &[Step], first_turn: bool) -> Flow {
        match flow {
            Flow::Continue => self.run(steps, first_turn).await,
            other => other,
        }
    }

    /// Waits for the client's answer to an approval request, or for an interrupt. A client
    /// that answers with an error (or an answer that does not fit) declines.
    async fn ask<T>(&self, request: impl Future<Output = Result<T, CallError>>) -> Asked<T>
    where
        T: Declinable,
    {
        let mut interrupted = self.interrupted.clone();
        tokio::select! {
            answer = request => match answer {
                Ok(answer) => Asked::Answer(answer),
                Err(CallError::Closed) => Asked::Closed,
                Err(_) => Asked::Answer(T::declined()),
            },
            _ = interrupted.wait_for(|set| *set) => Asked::Interrupted,
        }
    }

    async fn error(&mut self, message: &str, will_retry: bool) -> Flow {
        let error = TurnError {
            message: message.to_owned(),
            codex_error_info: Some(CodexErrorInfo::Other),
        };
        let params = v2::ErrorNotification::new(
            error.clone(),
            will_retry,
            self.thread_id.clone(),
            self.turn_id.clone(),
        );
        match self.ctx.notify::<Error>(params).await {
            Err(_) => Flow::Closed,
            Ok(()) if will_retry => Flow::Continue,
            Ok(()) => Flow::Failed(error),
        }
    }

    /// A scripted notification, as it is (it was checked when the scenario was read).
    async fn raw_notification(&mut self, method: &str, params: &serde_json::Value) -> Flow {
        let line = serde_json::json!({ "method": method, "params": params }).to_string();
        let mut pending = app_server_protocol::PendingRequests::new();
        let Ok(app_server_protocol::ServerMessage::Notification(notification)) =
            decode_server_message(&line, &mut pending)
        else {
            return Flow::Continue;
        };
        match send_any(&self.ctx, notification).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }
}

/// The parts of a scripted command.
struct CommandStep<'a> {
    command: &'a str,
    cwd: String,
    output: &'a [String],
    exit_code: i32,
    delta_delay_ms: u64,
}

/// The outcome of an approval request.
enum Asked<T> {
    Answer(T),
    Interrupted,
    Closed,
}

/// An approval answer that can stand for "declined".
trait Declinable {
    fn declined() -> Self;
}

impl Declinable for v2::CommandExecutionRequestApprovalResponse {
    fn declined() -> Self {
        v2::CommandExecutionRequestApprovalResponse::new(CommandDecision::Decline)
    }
}

impl Declinable for v2::FileChangeRequestApprovalResponse {
    fn declined() -> Self {
        v2::FileChangeRequestApprovalResponse::new(FileDecision::Decline)
    }
}

/// Word-sized deltas of `text` (each keeps its trailing space), as a model streams them.
fn words(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

/// Sends any typed server notification through the context.
async fn send_any(ctx: &ServerContext, notification: ServerNotification) -> Result<(), CallError> {
    super::notify::send(ctx, notification).await
}
