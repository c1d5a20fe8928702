//! Session- and turn-level events of the core [`EventMsg`] family: session
//! configuration, turn start / end / abort, errors and warnings, plan updates, undo, history
//! and custom-prompt look-ups.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core_types::{AskForApproval, ConversationId, ReasoningEffort, SandboxPolicy};
use crate::v1::EventMsg;

/// Payload of `session_configured`: the session is ready, with the settings it runs with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct SessionConfiguredEvent {
    /// Id of the session (the conversation id).
    pub session_id: ConversationId,
    /// The model the session uses, e.g. `"gpt-5.1-codex"`.
    pub model: String,
    /// Id of the model provider, e.g. `"openai"`.
    pub model_provider_id: String,
    /// When the agent asks before running commands.
    pub approval_policy: AskForApproval,
    /// The sandbox commands run in.
    pub sandbox_policy: SandboxPolicy,
    /// The session's working directory.
    pub cwd: PathBuf,
    /// The reasoning effort in effect. Left out of the JSON when none is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Identifies the user's message-history file, for history look-ups.
    ///
    /// A 64-bit unsigned integer; values beyond 2^53 are not portable to JavaScript.
    pub history_log_id: u64,
    /// How many entries the message-history file holds.
    pub history_entry_count: usize,
    /// Recorded events to replay when the session was resumed, oldest first. Left out of the
    /// JSON for a new session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_messages: Option<Vec<EventMsg>>,
    /// Path of the rollout file that records the session.
    pub rollout_path: PathBuf,
}

/// Payload of `error`: the turn failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ErrorEvent {
    /// What went wrong, for display.
    pub message: String,
    /// The kind of failure, when known, so a client can react (e.g. offer to start a new
    /// conversation when the context window is full); `null` otherwise (also when absent).
    #[serde(default)]
    pub codex_error_info: Option<CodexErrorInfo>,
}

/// Payload of `warning`: something the user should know; the turn goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WarningEvent {
    /// The warning, for display.
    pub message: String,
}

/// Payload of `stream_error`: the connection to the model broke and the agent retries, e.g.
/// `"Reconnecting... 2/5"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct StreamErrorEvent {
    /// What happened, for display.
    pub message: String,
    /// The kind of failure, when known; `null` otherwise (also when absent).
    #[serde(default)]
    pub codex_error_info: Option<CodexErrorInfo>,
}

/// The kind of a failure (core protocol spelling, snake_case). Plain kinds are strings, e.g.
/// `"context_window_exceeded"`; kinds with details are objects with one key, e.g.
/// `{ "http_connection_failed": { "http_status_code": 502 } }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodexErrorInfo {
    /// The conversation no longer fits the model's context window.
    ContextWindowExceeded,
    /// The account's usage limit is reached.
    UsageLimitExceeded,
    /// The HTTP request to the model failed.
    HttpConnectionFailed {
        /// The HTTP status code, when there was a response; `null` otherwise.
        http_status_code: Option<u16>,
    },
    /// The model's response stream could not be opened.
    ResponseStreamConnectionFailed {
        /// The HTTP status code, when there was a response; `null` otherwise.
        http_status_code: Option<u16>,
    },
    /// The model backend had an internal error.
    InternalServerError,
    /// The credentials were refused.
    Unauthorized,
    /// The backend rejected the request as malformed.
    BadRequest,
    /// The sandbox failed.
    SandboxError,
    /// The model's response stream broke off before it completed.
    ResponseStreamDisconnected {
        /// The HTTP status code, when known; `null` otherwise.
        http_status_code: Option<u16>,
    },
    /// The request failed too many times in a row; the agent gave up retrying.
    ResponseTooManyFailedAttempts {
        /// The HTTP status code of the last attempt, when known; `null` otherwise.
        http_status_code: Option<u16>,
    },
    /// Any other failure.
    Other,
}

/// Payload of `task_started`: the agent started working on a turn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TaskStartedEvent {
    /// Size of the model's context window in tokens; `null` when unknown.
    pub model_context_window: Option<i64>,
}

/// Payload of `task_complete`: the agent finished a turn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TaskCompleteEvent {
    /// The agent's last message of the turn, e.g. for a notification; `null` when it sent
    /// none.
    pub last_agent_message: Option<String>,
}

/// Payload of `turn_aborted`: the turn stopped before finishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TurnAbortedEvent {
    /// Why the turn stopped.
    pub reason: TurnAbortReason,
}

/// Why a turn stopped before finishing (core protocol spelling, snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TurnAbortReason {
    /// The user interrupted it (`"interrupted"`).
    Interrupted,
    /// New user input replaced it (`"replaced"`).
    Replaced,
    /// A code review ended (`"review_ended"`).
    ReviewEnded,
}

/// Payload of `deprecation_notice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct DeprecationNoticeEvent {
    /// One line saying what is deprecated.
    pub summary: String,
    /// More details, e.g. what to do instead. Left out of the JSON when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

/// Payload of `background_event`: a status message about work in the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct BackgroundEventEvent {
    /// The status message, for display.
    pub message: String,
}

/// Payload of `undo_started`: undoing the last turn's file changes started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct UndoStartedEvent {
    /// A status message, for display. Left out of the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Payload of `undo_completed`: undoing the last turn's file changes finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct UndoCompletedEvent {
    /// Whether the changes were undone.
    pub success: bool,
    /// A result message, for display. Left out of the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Payload of `turn_diff`: the unified diff of every file change of the turn so far, re-sent
/// whole after each change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TurnDiffEvent {
    /// The unified diff.
    pub unified_diff: String,
}

/// Payload of `get_history_entry_response`: answer to a look-up in the user's message history
/// (e.g. for arrow-up recall in a prompt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct GetHistoryEntryResponseEvent {
    /// Index of the requested entry in the history file (0 = oldest).
    pub offset: usize,
    /// The history file the look-up was made in (`history_log_id` of `session_configured`).
    ///
    /// A 64-bit unsigned integer; values beyond 2^53 are not portable to JavaScript.
    pub log_id: u64,
    /// The entry. Left out of the JSON when there is no entry at that offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<HistoryEntry>,
}

/// One message of the user's message history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct HistoryEntry {
    /// Id of the conversation the message was sent in.
    pub conversation_id: String,
    /// When it was sent, in Unix seconds.
    pub ts: u64,
    /// The message text.
    pub text: String,
}

/// Payload of `list_custom_prompts_response`: the user's custom prompts (slash commands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ListCustomPromptsResponseEvent {
    /// The prompts found.
    pub custom_prompts: Vec<CustomPrompt>,
}

/// A custom prompt: a Markdown file the user can invoke as a slash command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CustomPrompt {
    /// The command name (the file name without extension), e.g. `"review-pr"`.
    pub name: String,
    /// Path of the prompt file.
    pub path: PathBuf,
    /// The prompt text.
    pub content: String,
    /// A one-line description from the file's front matter; `null` when there is none.
    pub description: Option<String>,
    /// A hint about the arguments the prompt takes, e.g. `"[pr-number]"`; `null` when there is
    /// none.
    pub argument_hint: Option<String>,
}

/// Payload of `plan_update`: the agent's current plan (its to-do list for the task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct UpdatePlanArgs {
    /// Why the plan changed; `null` when no explanation was given (also when absent).
    #[serde(default)]
    pub explanation: Option<String>,
    /// The plan's steps, in order.
    pub plan: Vec<PlanItemArg>,
}

/// One step of the agent's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct PlanItemArg {
    /// What the step does, e.g. `"Add tests for the parser"`.
    pub step: String,
    /// Where the step stands.
    pub status: StepStatus,
}

/// Where a plan step stands (core protocol spelling, snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Not started (`"pending"`).
    Pending,
    /// Being worked on (`"in_progress"`).
    InProgress,
    /// Done (`"completed"`).
    Completed,
}
