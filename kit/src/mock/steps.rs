//! The steps of a turn that stream text: which step does what ([`TurnRun::step`]), an agent
//! message and a reasoning summary streamed a delta per word (the stand-in model's words),
//! an error. Commands and file changes are in `tools.rs`.

use app_server_protocol::method::{
    AgentMessageDelta, ReasoningSummaryPartAdded, ReasoningSummaryTextDelta,
};
use app_server_protocol::v1::{self, EventMsg, TurnItem};
use app_server_protocol::v2::{self, ThreadItem};

use super::flow::Flow;
use super::scenario::Action;
use super::tools::{CommandStep, FileStep};
use super::turn::TurnRun;
use crate::model::script::word_deltas;

/// How an agent message's deltas are paced.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pace {
    /// The pause before each delta.
    pub(super) delta_delay_ms: u64,
    /// Kept whatever `--speed` says (then before each delta but the first, as the stand-in
    /// model streams).
    pub(super) fixed: bool,
}

impl TurnRun {
    /// Plays one step.
    pub(super) async fn step(&mut self, action: &Action, first_turn: bool) -> Flow {
        match action {
            Action::AgentMessage { text, delta_delay_ms, fixed_pace } => {
                let pace = Pace { delta_delay_ms: *delta_delay_ms, fixed: *fixed_pace };
                self.agent_message(text, pace).await
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
            Action::Error { message, will_retry, codex_error_info } => {
                self.error(message, *will_retry, *codex_error_info).await
            }
            Action::Notification { method, params } => self.raw_notification(method, params).await,
            Action::Wait {} => Flow::Continue,
        }
    }

    /// `item/started`, a delta per word, `item/completed`, each with its legacy twins
    /// (`item_started`, `agent_message_content_delta` and `agent_message_delta`,
    /// `item_completed`, `agent_message`).
    pub(super) async fn agent_message(&mut self, text: &str, pace: Pace) -> Flow {
        let Ok(serial) = self.response().await else { return Flow::Closed };
        let id = format!("msg_{serial}");
        let legacy = |content: Vec<v1::AgentMessageContent>| {
            TurnItem::AgentMessage(v1::AgentMessageItem { id: id.clone(), content })
        };
        let started = ThreadItem::AgentMessage { id: id.clone(), text: String::new() };
        if self.legacy_item(true, legacy(Vec::new())).await.is_err()
            || self.send_started(started).await.is_err()
        {
            return Flow::Closed;
        }
        let mut streamed = String::new();
        for (index, delta) in word_deltas(text).into_iter().enumerate() {
            let interrupted = if pace.fixed && index > 0 {
                self.pause_fixed(pace.delta_delay_ms).await
            } else {
                self.pause(pace.delta_delay_ms).await
            };
            if interrupted {
                break;
            }
            streamed.push_str(&delta);
            if self.message_delta(&id, delta).await.is_err() {
                return Flow::Closed;
            }
        }
        let content = vec![v1::AgentMessageContent::Text { text: streamed.clone() }];
        if self.legacy_item(false, legacy(content)).await.is_err() {
            return Flow::Closed;
        }
        if let Flow::Closed =
            self.complete(ThreadItem::AgentMessage { id, text: streamed.clone() }).await
        {
            return Flow::Closed;
        }
        self.last_message = Some(streamed.clone());
        let done = v1::AgentMessageEvent { message: streamed };
        match self.legacy(EventMsg::AgentMessage(done)).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    async fn message_delta(
        &self,
        id: &str,
        delta: String,
    ) -> Result<(), app_server_peer::CallError> {
        let content = v1::AgentMessageContentDeltaEvent {
            thread_id: self.thread_id.clone(),
            turn_id: self.turn_id.clone(),
            item_id: id.to_owned(),
            delta: delta.clone(),
        };
        self.legacy(EventMsg::AgentMessageContentDelta(content)).await?;
        let params = v2::AgentMessageDeltaNotification::new(id, delta.clone());
        self.ctx.notify::<AgentMessageDelta>(params).await?;
        self.legacy(EventMsg::AgentMessageDelta(v1::AgentMessageDeltaEvent { delta })).await
    }

    /// `item/started`, a summary part, a delta per word, `item/completed`, each with its
    /// legacy twins.
    pub(super) async fn reasoning(&mut self, summary: &str, delta_delay_ms: u64) -> Flow {
        let Ok(serial) = self.response().await else { return Flow::Closed };
        let id = format!("rs_{serial}");
        let legacy = |summary_text: Vec<String>| {
            TurnItem::Reasoning(v1::ReasoningItem {
                id: id.clone(),
                summary_text,
                raw_content: Vec::new(),
            })
        };
        let started =
            ThreadItem::Reasoning { id: id.clone(), summary: Vec::new(), content: Vec::new() };
        let section = v1::AgentReasoningSectionBreakEvent { item_id: id.clone(), summary_index: 0 };
        let part = v2::ReasoningSummaryPartAddedNotification::new(id.clone(), 0);
        if self.legacy_item(true, legacy(Vec::new())).await.is_err()
            || self.send_started(started).await.is_err()
            || self.legacy(EventMsg::AgentReasoningSectionBreak(section)).await.is_err()
            || self.ctx.notify::<ReasoningSummaryPartAdded>(part).await.is_err()
        {
            return Flow::Closed;
        }
        let mut streamed = String::new();
        for delta in word_deltas(summary) {
            if self.pause(delta_delay_ms).await {
                break;
            }
            streamed.push_str(&delta);
            if self.reasoning_delta(&id, delta).await.is_err() {
                return Flow::Closed;
            }
        }
        if self.legacy_item(false, legacy(vec![streamed.clone()])).await.is_err() {
            return Flow::Closed;
        }
        let completed =
            ThreadItem::Reasoning { id, summary: vec![streamed.clone()], content: Vec::new() };
        if let Flow::Closed = self.complete(completed).await {
            return Flow::Closed;
        }
        match self
            .legacy(EventMsg::AgentReasoning(v1::AgentReasoningEvent { text: streamed }))
            .await
        {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    async fn reasoning_delta(
        &self,
        id: &str,
        delta: String,
    ) -> Result<(), app_server_peer::CallError> {
        let content = v1::ReasoningContentDeltaEvent {
            thread_id: self.thread_id.clone(),
            turn_id: self.turn_id.clone(),
            item_id: id.to_owned(),
            delta: delta.clone(),
            summary_index: 0,
        };
        self.legacy(EventMsg::ReasoningContentDelta(content)).await?;
        let params = v2::ReasoningSummaryTextDeltaNotification::new(id, delta.clone(), 0);
        self.ctx.notify::<ReasoningSummaryTextDelta>(params).await?;
        self.legacy(EventMsg::AgentReasoningDelta(v1::AgentReasoningDeltaEvent { delta })).await
    }

    /// A scripted notification, as it is (it was checked when the scenario was read).
    async fn raw_notification(&mut self, method: &str, params: &serde_json::Value) -> Flow {
        let line = serde_json::json!({ "method": method, "params": params }).to_string();
        let mut pending = app_server_protocol::PendingRequests::new();
        let Ok(app_server_protocol::ServerMessage::Notification(notification)) =
            app_server_protocol::decode_server_message(&line, &mut pending)
        else {
            return Flow::Continue;
        };
        match super::notify::send(&self.ctx, notification).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }
}
