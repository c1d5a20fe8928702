//! Playing a turn: the steps of the scenario (the built-in one or `--scenario FILE`) as
//! `turn/*` and `item/*` notifications and approval requests, on the connection that
//! started the turn, until `turn/completed`. The finished turn is stored on its thread.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use app_server_peer::{CallError, ServerContext};
use app_server_protocol::method::{Error, ItemCompleted, ItemStarted, TurnCompleted, TurnStarted};
use app_server_protocol::v2::{
    self, CodexErrorInfo, CommandExecutionApprovalDecision as CommandDecision,
    FileChangeApprovalDecision as FileDecision, ThreadItem, Turn, TurnError, TurnStatus, UserInput,
};
use app_server_protocol::{ServerNotification, decode_server_message};
use tokio::sync::watch;

use super::Mock;
use super::connection::state::ConnectionState;
use super::fault::Fault;
use super::ids::Rng;
use super::scenario::{Action, Step};
use super::steps::{CommandStep, FileStep};

/// How a run of steps ended.
pub(super) enum Flow {
    /// Go on with the next step.
    Continue,
    /// `turn/interrupt` or a `cancel` decision.
    Interrupted,
    /// An `error` step with `willRetry: false`.
    Failed(TurnError),
    /// The connection is gone: nothing more can be sent.
    Closed,
}

/// What a turn is about: its thread and id, where its commands run, the user's input, and
/// the switch `turn/interrupt` sets.
pub(crate) struct TurnPlan {
    pub(crate) thread_id: String,
    pub(crate) turn_id: String,
    pub(crate) cwd: String,
    pub(crate) input: Vec<UserInput>,
    pub(crate) interrupted: watch::Receiver<bool>,
}

/// One turn being played.
pub(crate) struct TurnRun {
    pub(super) mock: Mock,
    pub(super) conn: Arc<ConnectionState>,
    pub(super) ctx: ServerContext,
    pub(super) thread_id: String,
    pub(super) turn_id: String,
    pub(super) cwd: String,
    pub(super) input: Vec<UserInput>,
    pub(super) interrupted: watch::Receiver<bool>,
    pub(super) rng: Rng,
    /// The items completed so far, in order.
    pub(super) items: Vec<ThreadItem>,
    /// The diffs applied so far (for `turn/diff/updated`).
    pub(super) diffs: Vec<String>,
}

impl TurnRun {
    /// A turn about to be played on the connection of `ctx`.
    pub(crate) fn new(
        mock: Mock,
        conn: Arc<ConnectionState>,
        ctx: ServerContext,
        plan: TurnPlan,
    ) -> Self {
        let rng = mock.ids().fork();
        TurnRun {
            mock,
            conn,
            ctx,
            thread_id: plan.thread_id,
            turn_id: plan.turn_id,
            cwd: plan.cwd,
            input: plan.input,
            interrupted: plan.interrupted,
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
        let closed = matches!(flow, Flow::Closed);
        let (status, error) = match flow {
            Flow::Continue => (TurnStatus::Completed, None),
            Flow::Interrupted | Flow::Closed => (TurnStatus::Interrupted, None),
            Flow::Failed(error) => (TurnStatus::Failed, Some(error)),
        };
        // The thread keeps the turn even when its connection is gone (as interrupted).
        let turn = Turn { id: self.turn_id.clone(), items: self.items.clone(), status, error };
        self.mock.threads().finish_turn(&self.thread_id, turn.clone());
        if closed {
            return;
        }
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
    pub(super) fn run<'a>(
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
                let step = FileStep { path, diff, kind: *kind };
                self.file_change(step, approval.as_ref(), first_turn).await
            }
            Action::Error { message, will_retry } => self.error(message, *will_retry).await,
            Action::Notification { method, params } => self.raw_notification(method, params).await,
            Action::Wait {} => Flow::Continue,
        }
    }

    /// Waits `ms` (scaled by `--speed`, with seeded jitter); `true` when the turn was
    /// interrupted meanwhile (or before).
    pub(super) async fn pause(&mut self, ms: u64) -> bool {
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
    pub(super) async fn item(&mut self, started: ThreadItem, completed: ThreadItem) -> Flow {
        if self.send_started(started).await.is_err() {
            return Flow::Closed;
        }
        self.complete(completed).await
    }

    pub(super) async fn send_started(&self, item: ThreadItem) -> Result<(), CallError> {
        let params =
            v2::ItemStartedNotification::new(item, self.thread_id.clone(), self.turn_id.clone());
        self.ctx.notify::<ItemStarted>(params).await
    }

    pub(super) async fn complete(&mut self, item: ThreadItem) -> Flow {
        self.items.push(item.clone());
        let params =
            v2::ItemCompletedNotification::new(item, self.thread_id.clone(), self.turn_id.clone());
        match self.ctx.notify::<ItemCompleted>(params).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    /// The steps that follow a decision, when the item's completion went out.
    pub(super) async fn after_decision(
        &mut self,
        flow: Flow,
        steps: &[Step],
        first_turn: bool,
    ) -> Flow {
        match flow {
            Flow::Continue => self.run(steps, first_turn).await,
            other => other,
        }
    }

    /// Waits for the client's answer to an approval request, or for an interrupt. A client
    /// that answers with an error (or an answer that does not fit) declines.
    pub(super) async fn ask<T>(
        &self,
        request: impl Future<Output = Result<T, CallError>>,
    ) -> Asked<T>
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

/// The outcome of an approval request.
pub(super) enum Asked<T> {
    Answer(T),
    Interrupted,
    Closed,
}

/// An approval answer that can stand for "declined".
pub(super) trait Declinable {
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

/// Sends any typed server notification through the context.
async fn send_any(ctx: &ServerContext, notification: ServerNotification) -> Result<(), CallError> {
    super::notify::send(ctx, notification).await
}
