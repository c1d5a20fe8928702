//! The legacy event stream (`codex/event/<type>`), sent beside the v2 notifications as
//! released servers send it (on by default; `--no-legacy-events` turns it off), and what the
//! turn sends around each model response: token counts and `account/rateLimits/updated`.
//! Each event carries the turn's submission id (`"0"`, `"1"`, …) and the thread's id.

use app_server_peer::{CallError, ServerContext};
use app_server_protocol::core_types::ConversationId;
use app_server_protocol::method::{AccountRateLimitsUpdated, LegacyEvent, TurnDiffUpdated};
use app_server_protocol::v1::{self, EventMsg, TurnItem};
use app_server_protocol::v2::{self, CodexErrorInfo, ThreadItem, TurnError, UserInput};

use super::flow::Flow;
use super::prompt::prompt_text;
use super::turn::{Api, CONTEXT_WINDOW, TurnRun};

/// The tokens one model response is counted at (input, output, of which reasoning).
const RESPONSE_TOKENS: (i64, i64, i64) = (100, 8, 3);

impl TurnRun {
    /// Sends `msg` as `codex/event/<type>` of this turn, when the legacy stream is on.
    pub(super) async fn legacy(&self, msg: EventMsg) -> Result<(), CallError> {
        if !self.mock.legacy_events() {
            return Ok(());
        }
        send(&self.ctx, &self.turn_id, &self.thread_id, msg).await
    }

    /// The legacy twin of an `error` notification: `stream_error` when it will be retried,
    /// `error` when not.
    pub(super) async fn legacy_error(
        &self,
        error: &TurnError,
        will_retry: bool,
    ) -> Result<(), CallError> {
        let info = error.codex_error_info.as_ref().map(v1_error_info);
        let message = error.message.clone();
        let msg = if will_retry {
            EventMsg::StreamError(v1::StreamErrorEvent { message, codex_error_info: info })
        } else {
            EventMsg::Error(v1::ErrorEvent { message, codex_error_info: info })
        };
        self.legacy(msg).await
    }

    /// The user's message: `item_started`, `item/started`, `item_completed`,
    /// `item/completed` (a `userMessage` item with a fresh UUID) and `user_message`.
    pub(super) async fn user_message(&mut self) -> Flow {
        let id = self.rng.uuid_v4();
        let item = ThreadItem::UserMessage { id: id.clone(), content: self.input.clone() };
        let legacy = TurnItem::UserMessage(v1::UserMessageItem {
            id,
            content: self.input.iter().map(v1_input).collect(),
        });
        if self.legacy_item(true, legacy.clone()).await.is_err()
            || self.send_started(item.clone()).await.is_err()
            || self.legacy_item(false, legacy).await.is_err()
        {
            return Flow::Closed;
        }
        if let Flow::Closed = self.complete(item).await {
            return Flow::Closed;
        }
        let message = prompt_text(&self.input);
        let echoed = v1::UserMessageEvent { message, images: Some(Vec::new()) };
        match self.legacy(EventMsg::UserMessage(echoed)).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed,
        }
    }

    /// `item_started` (`started`) or `item_completed` of a core turn item.
    pub(super) async fn legacy_item(&self, started: bool, item: TurnItem) -> Result<(), CallError> {
        let (thread_id, turn_id) = (self.conversation_id(), self.turn_id.clone());
        let msg = if started {
            EventMsg::ItemStarted(v1::ItemStartedEvent { thread_id, turn_id, item })
        } else {
            EventMsg::ItemCompleted(v1::ItemCompletedEvent { thread_id, turn_id, item })
        };
        self.legacy(msg).await
    }

    /// The number of the model response being streamed, starting one (with its first token
    /// count) when none is.
    pub(super) async fn response(&mut self) -> Result<u64, CallError> {
        if let Some(serial) = self.response {
            return Ok(serial);
        }
        let serial = self.mock.ids().response();
        self.response = Some(serial);
        self.token_count().await?;
        Ok(serial)
    }

    /// Ends the model response being streamed, if any: its tokens are counted.
    pub(super) async fn end_response(&mut self) -> Result<(), CallError> {
        if self.response.take().is_none() {
            return Ok(());
        }
        let (input, output, reasoning) = RESPONSE_TOKENS;
        let last = v1::TokenUsage {
            input_tokens: input,
            cached_input_tokens: 0,
            output_tokens: output,
            reasoning_output_tokens: reasoning,
            total_tokens: input + output,
        };
        let total = match &self.usage {
            None => last,
            Some(usage) => {
                let before = &usage.total_token_usage;
                v1::TokenUsage {
                    input_tokens: before.input_tokens + input,
                    cached_input_tokens: 0,
                    output_tokens: before.output_tokens + output,
                    reasoning_output_tokens: before.reasoning_output_tokens + reasoning,
                    total_tokens: before.total_tokens + input + output,
                }
            }
        };
        self.usage = Some(v1::TokenUsageInfo {
            total_token_usage: total,
            last_token_usage: last,
            model_context_window: Some(CONTEXT_WINDOW),
        });
        self.token_count().await
    }

    /// `token_count` (legacy) and `account/rateLimits/updated`.
    async fn token_count(&self) -> Result<(), CallError> {
        let rate_limits = v1::RateLimitSnapshot { primary: None, secondary: None, credits: None };
        let count =
            v1::TokenCountEvent { info: self.usage.clone(), rate_limits: Some(rate_limits) };
        self.legacy(EventMsg::TokenCount(count)).await?;
        let limits = v2::RateLimitSnapshot { primary: None, secondary: None, credits: None };
        let params = v2::AccountRateLimitsUpdatedNotification::new(limits);
        self.ctx.notify::<AccountRateLimitsUpdated>(params).await
    }

    /// The end of a completed turn: the last response's token count, the turn's diff
    /// (`turn_diff`, and `turn/diff/updated` in v2) when files changed, `task_complete`.
    pub(super) async fn complete_task(&mut self) -> Result<(), CallError> {
        self.end_response().await?;
        if !self.diffs.is_empty() {
            self.turn_diff().await?;
        }
        let task = v1::TaskCompleteEvent { last_agent_message: self.last_message.clone() };
        self.legacy(EventMsg::TaskComplete(task)).await
    }

    /// `turn_diff` and (v2) `turn/diff/updated` with every diff of the turn so far.
    pub(super) async fn turn_diff(&self) -> Result<(), CallError> {
        let diff = self.diffs.concat();
        let event = v1::TurnDiffEvent { unified_diff: diff.clone() };
        self.legacy(EventMsg::TurnDiff(event)).await?;
        if self.api == Api::V1 {
            return Ok(());
        }
        let params = v2::TurnDiffUpdatedNotification::new(
            self.thread_id.clone(),
            self.turn_id.clone(),
            diff,
        );
        self.ctx.notify::<TurnDiffUpdated>(params).await
    }

    /// The thread's id as the legacy events carry it.
    pub(super) fn conversation_id(&self) -> ConversationId {
        conversation_id(&self.thread_id)
    }
}

/// The thread id as a [`ConversationId`] (the mock's thread ids are UUIDs; the nil UUID for
/// anything else, which the mock never makes).
pub(crate) fn conversation_id(thread_id: &str) -> ConversationId {
    ConversationId::parse(thread_id).unwrap_or_else(|_| ConversationId::from_u128(0))
}

/// Sends `msg` as `codex/event/<type>` with submission id `id` on `thread_id`.
pub(crate) async fn send(
    ctx: &ServerContext,
    id: &str,
    thread_id: &str,
    msg: EventMsg,
) -> Result<(), CallError> {
    let params = v1::LegacyEventNotification::new(id, msg, conversation_id(thread_id));
    #[allow(deprecated)] // the legacy stream is what this sends
    ctx.notify::<LegacyEvent>(params).await
}

/// `mcp_startup_complete` (no MCP server starts in the mock), which released servers send
/// when a thread starts, with an empty submission id.
pub(crate) async fn mcp_startup_complete(
    ctx: &ServerContext,
    thread_id: &str,
) -> Result<(), CallError> {
    let complete = v1::McpStartupCompleteEvent {
        ready: Vec::new(),
        failed: Vec::new(),
        cancelled: Vec::new(),
    };
    send(ctx, "", thread_id, EventMsg::McpStartupComplete(complete)).await
}

/// A v2 user input in the core protocol's spelling.
fn v1_input(input: &UserInput) -> v1::UserInput {
    match input {
        UserInput::Text { text } => v1::UserInput::Text { text: text.clone() },
        UserInput::Image { url } => v1::UserInput::Image { image_url: url.clone() },
        UserInput::LocalImage { path } => v1::UserInput::LocalImage { path: path.into() },
    }
}

/// A v2 error kind in the core protocol's spelling.
pub(crate) fn v1_error_info(info: &CodexErrorInfo) -> v1::CodexErrorInfo {
    use v1::CodexErrorInfo as V1;
    match *info {
        CodexErrorInfo::ContextWindowExceeded => V1::ContextWindowExceeded,
        CodexErrorInfo::UsageLimitExceeded => V1::UsageLimitExceeded,
        CodexErrorInfo::HttpConnectionFailed { http_status_code } => {
            V1::HttpConnectionFailed { http_status_code }
        }
        CodexErrorInfo::ResponseStreamConnectionFailed { http_status_code } => {
            V1::ResponseStreamConnectionFailed { http_status_code }
        }
        CodexErrorInfo::InternalServerError => V1::InternalServerError,
        CodexErrorInfo::Unauthorized => V1::Unauthorized,
        CodexErrorInfo::BadRequest => V1::BadRequest,
        CodexErrorInfo::SandboxError => V1::SandboxError,
        CodexErrorInfo::ResponseStreamDisconnected { http_status_code } => {
            V1::ResponseStreamDisconnected { http_status_code }
        }
        CodexErrorInfo::ResponseTooManyFailedAttempts { http_status_code } => {
            V1::ResponseTooManyFailedAttempts { http_status_code }
        }
        CodexErrorInfo::Other => V1::Other,
    }
}

/// Standard base64 with padding (the encoding of `exec_command_output_delta` chunks).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(base64(b"hello\n"), "aGVsbG8K");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b""), "");
    }
}
