//! Playing a turn as a released server plays it: `turn/started` (v2), the user's message,
//! the steps (from the prompt script or a scenario file) as `item/*` notifications and
//! approval requests, the legacy `codex/event/*` stream beside them, until `turn/completed`.
//! The finished turn is stored on its thread. The steps themselves are in `steps.rs` and
//! `tools.rs`, the legacy stream in `event_stream.rs`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use app_server_peer::{CallError, ServerContext};
use app_server_protocol::method::{Error, ItemCompleted, ItemStarted, TurnCompleted, TurnStarted};
use app_server_protocol::v1::{self, EventMsg};
use app_server_protocol::v2::{
    self, CodexErrorInfo, ThreadItem, Turn, TurnError, TurnStatus, UserInput,
};
use tokio::sync::watch;

use super::connection::state::ConnectionState;
use super::fault::Fault;
use super::flow::{Asked, Flow};
use super::ids::Rng;
use super::scenario::Step;
use super::shared::Mock;

/// The API generation a turn was started with: what it is told and asked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// `turn/start`: `turn/started`, v2 approvals, `turn/diff/updated`.
    V2,
    /// `sendUserTurn` / `sendUserMessage`: no `turn/started`, `execCommandApproval` and
    /// `applyPatchApproval`, no `turn/diff/updated` (as released servers do).
    V1,
}

/// What a turn is about: its thread and id, where its commands run, the user's input, the
/// API it was started with, and the switch `turn/interrupt` sets.
pub(crate) struct TurnPlan {
    pub(crate) thread_id: String,
    pub(crate) turn_id: String,
    pub(crate) cwd: String,
    pub(crate) input: Vec<UserInput>,
    pub(crate) api: Api,
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
    pub(super) api: Api,
    pub(super) interrupted: watch::Receiver<bool>,
    pub(super) rng: Rng,
    /// The items completed so far, in order.
    pub(super) items: Vec<ThreadItem>,
    /// The diffs applied so far (for `turn/diff/updated`).
    pub(super) diffs: Vec<String>,
    /// The model response being streamed: its number names its items (`rs_N`, `msg_N`,
    /// `call_N`, as the model API names them).
    pub(super) response: Option<u64>,
    /// The token usage reported so far (none before the first response ends).
    pub(super) usage: Option<v1::TokenUsageInfo>,
    /// The last agent message, for `task_complete`.
    pub(super) last_message: Option<String>,
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
            api: plan.api,
            interrupted: plan.interrupted,
            rng,
            items: Vec::new(),
            diffs: Vec::new(),
            response: None,
            usage: None,
            last_message: None,
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

    /// Plays the whole turn (after the answer that started it went out) and stores it.
    pub(crate) async fn play(mut self, steps: Arc<Vec<Step>>) {
        self.ctx.answered().await;
        let first_turn = self.conn.count_turn() == 0;
        let flow = match self.open().await {
            Flow::Continue => self.run(&steps, first_turn).await,
            other => other,
        };
        let flow = self.close(flow).await;
        let closed = matches!(flow, Flow::Closed);
        let (status, error) = match flow {
            Flow::Continue => (TurnStatus::Completed, None),
            Flow::Interrupted | Flow::Closed => (TurnStatus::Interrupted, None),
            Flow::Failed(error) => (TurnStatus::Failed, Some(error)),
        };
        // The thread keeps the turn with its items (`thread/resume` shows them) even when
        // its connection is gone (as interrupted); `turn/completed` carries no items, as
        // released servers send it.
        let turn = Turn { id: self.turn_id.clone(), items: self.items.clone(), status, error };
        self.mock.threads().finish_turn(&self.thread_id, turn.clone());
        if closed {
            return;
        }
        let turn = Turn { items: Vec::new(), ..turn };
        let params = v2::TurnCompletedNotification::new(self.thread_id.clone(), turn);
        let _closed = self.ctx.notify::<TurnCompleted>(params).await;
    }

    /// `turn/started` (v2), `task_started`, the retried error of the `error-will-retry`
    /// fault, the user's message.
    async fn open(&mut self) -> Flow {
        if self.api == Api::V2 {
            let started = v2::TurnStartedNotification::new(
                self.thread_id.clone(),
                Self::started_turn(&self.turn_id),
            );
            if self.ctx.notify::<TurnStarted>(started).await.is_err() {
                return Flow::Closed;
            }
        }
        let task = v1::TaskStartedEvent { model_context_window: Some(CONTEXT_WINDOW) };
        if self.legacy(EventMsg::TaskStarted(task)).await.is_err() {
            return Flow::Closed;
        }
        if self.mock.faults().has(&Fault::ErrorWillRetry) {
            let info = CodexErrorInfo::ResponseStreamDisconnected { http_status_code: None };
            if let Flow::Closed = self.error("Reconnecting... 1/5", true, Some(info)).await {
                return Flow::Closed;
            }
        }
        self.user_message().await
    }

    /// What ends the turn before `turn/completed`: a completed one's last token count, turn
    /// diff and `task_complete`; a failed one's `task_complete`; an interrupted one's
    /// `turn_aborted`.
    async fn close(&mut self, flow: Flow) -> Flow {
        let sent = match &flow {
            Flow::Continue => self.complete_task().await,
            Flow::Failed(_) => {
                let task = v1::TaskCompleteEvent { last_agent_message: None };
                self.legacy(EventMsg::TaskComplete(task)).await
            }
            Flow::Interrupted => {
                let aborted = v1::TurnAbortedEvent { reason: v1::TurnAbortReason::Interrupted };
                self.legacy(EventMsg::TurnAborted(aborted)).await
            }
            Flow::Closed => Ok(()),
        };
        match sent {
            Ok(()) => flow,
            Err(_) => Flow::Closed,
        }
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
                    // A step cut short by an interrupt (a message's deltas) ends the turn.
                    Flow::Continue if *self.interrupted.borrow() => return Flow::Interrupted,
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

    /// Waits exactly `ms`, whatever `--speed` says; `true` when the turn was interrupted
    /// meanwhile (or before).
    pub(super) async fn pause_fixed(&mut self, ms: u64) -> bool {
        if ms > 0 {
            let mut interrupted = self.interrupted.clone();
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(ms)) => {}
                _ = interrupted.wait_for(|set| *set) => {}
            }
        }
        *self.interrupted.borrow()
    }

    /// `item/started` with `item`.
    pub(super) async fn send_started(&self, item: ThreadItem) -> Result<(), CallError> {
        let params =
            v2::ItemStartedNotification::new(item, self.thread_id.clone(), self.turn_id.clone());
        self.ctx.notify::<ItemStarted>(params).await
    }

    /// `item/completed` with `item`, kept as one of the turn's items.
    pub(super) async fn complete(&mut self, item: ThreadItem) -> Flow {
        self.items.push(item.clone());
        let params =
            v2::ItemCompletedNotification::new(item, self.thread_id.clone(), self.turn_id.clone());
        match self.ctx.notify::<ItemCompleted>(params).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    /// Waits for the client's answer to an approval request, or for an interrupt. A client
    /// that answers with an error (or an answer that does not fit) declines. An answer is
    /// one more submission to the thread (released servers number turns after it).
    pub(super) async fn ask<T>(
        &self,
        request: impl Future<Output = Result<T, CallError>>,
        declined: T,
    ) -> Asked<T> {
        let mut interrupted = self.interrupted.clone();
        let asked = tokio::select! {
            answer = request => match answer {
                Ok(answer) => Asked::Answer(answer),
                Err(CallError::Closed) => Asked::Closed,
                Err(_) => Asked::Answer(declined),
            },
            _ = interrupted.wait_for(|set| *set) => Asked::Interrupted,
        };
        if let Asked::Answer(_) = asked {
            self.mock.threads().next_submission(&self.thread_id);
        }
        asked
    }

    /// An `error` notification (after the legacy `stream_error` or `error`); with
    /// `will_retry` the turn goes on, without it the turn fails with this error.
    pub(super) async fn error(
        &mut self,
        message: &str,
        will_retry: bool,
        info: Option<CodexErrorInfo>,
    ) -> Flow {
        let info = info.unwrap_or(CodexErrorInfo::Other);
        let error = TurnError { message: message.to_owned(), codex_error_info: Some(info) };
        if self.legacy_error(&error, will_retry).await.is_err() {
            return Flow::Closed;
        }
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
}

/// The context window `task_started` and the token counts announce.
pub(super) const CONTEXT_WINDOW: i64 = 258_400;
