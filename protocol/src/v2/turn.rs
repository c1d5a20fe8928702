//! Turns: one user request and everything the agent did to answer it.
//!
//! Holds [`Turn`] (the one turn type used everywhere: `turn/*` notifications, `thread/*`
//! responses, `thread/started`), its [`TurnStatus`] and [`TurnError`] (with the v2
//! [`CodexErrorInfo`]), the `turn/start` and `turn/interrupt` params and responses, and the
//! turn-level notifications `turn/started`, `turn/completed`, `turn/diff/updated` and `error`.

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use super::{AskForApproval, SandboxPolicy, ThreadItem, UserInput};
use crate::core_types::{ReasoningEffort, ReasoningSummary};

/// One turn of a thread: the user's input and the items the agent produced for it.
///
/// Example (a failed turn):
/// `{"id":"turn-3","items":[],"status":"failed","error":{"message":"Quota exceeded",
/// "codexErrorInfo":"usageLimitExceeded"}}`.
///
/// `error` is always present on output: non-null exactly when `status` is `"failed"`. A turn
/// without an `error` key (as older servers send it) reads as `error: null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.Turn"))]
#[serde(rename_all = "camelCase")]
pub struct Turn {
    /// The turn's id, unique within its thread.
    pub id: String,
    /// The items of the turn in order: the user's message, agent messages, commands, file
    /// changes, tool calls … In `turn/started` and `turn/completed` notifications this list may
    /// be empty; items are streamed with `item/*` notifications.
    pub items: Vec<ThreadItem>,
    /// Where the turn is: running, completed, interrupted or failed.
    pub status: TurnStatus,
    /// Why the turn failed; `null` unless `status` is `"failed"`.
    pub error: Option<TurnError>,
}

impl Turn {
    /// Whether the turn keeps the invariant "`error` is non-null exactly when `status` is
    /// `failed`". Servers must only send consistent turns; a client or transcript validator can
    /// use this to report (not reject) violations.
    pub fn is_consistent(&self) -> bool {
        (self.status == TurnStatus::Failed) == self.error.is_some()
    }
}

/// The state of a turn.
///
/// Wire values: `"completed"`, `"interrupted"`, `"failed"`, `"inProgress"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnStatus"))]
#[serde(rename_all = "camelCase")]
pub enum TurnStatus {
    /// The agent finished answering.
    Completed,
    /// The user interrupted the turn (`turn/interrupt`) before it finished.
    Interrupted,
    /// The turn ended with an error; the turn's `error` says why.
    Failed,
    /// The agent is still working on the turn.
    InProgress,
}

/// Why a turn failed, or what went wrong in an `error` notification.
///
/// Example: `{"message":"stream disconnected before completion",
/// "codexErrorInfo":{"responseStreamDisconnected":{"httpStatusCode":null}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnError"))]
#[serde(rename_all = "camelCase")]
pub struct TurnError {
    /// A human-readable description of the error, suitable for display.
    pub message: String,
    /// The error's category, for clients that react to specific errors (e.g. offer to upgrade
    /// the plan on `usageLimitExceeded`); `null` when the error has no known category. A
    /// `TurnError` without this key (as older servers send it) reads as `null`.
    pub codex_error_info: Option<CodexErrorInfo>,
}

/// The category of an error, in v2 spelling (camelCase).
///
/// Most categories are plain strings (`"contextWindowExceeded"`, `"usageLimitExceeded"`,
/// `"internalServerError"`, `"unauthorized"`, `"badRequest"`, `"sandboxError"`, `"other"`).
/// Connection problems are one-key objects carrying the HTTP status code when there was one,
/// e.g. `{"httpConnectionFailed":{"httpStatusCode":502}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CodexErrorInfo"))]
#[serde(rename_all = "camelCase")]
pub enum CodexErrorInfo {
    /// The conversation no longer fits in the model's context window; compacting the thread
    /// (`thread/compact`) or starting a new one helps.
    ContextWindowExceeded,
    /// The account reached its usage limit; see the account's rate limits for when it resets.
    UsageLimitExceeded,
    /// Connecting to the model provider failed.
    #[serde(rename_all = "camelCase")]
    HttpConnectionFailed {
        /// The HTTP status code of the failed request, e.g. `502`; `null` when no response was
        /// received.
        http_status_code: Option<u16>,
    },
    /// Opening the response stream from the model provider failed.
    #[serde(rename_all = "camelCase")]
    ResponseStreamConnectionFailed {
        /// The HTTP status code, e.g. `503`; `null` when no response was received.
        http_status_code: Option<u16>,
    },
    /// The model provider reported an internal error.
    InternalServerError,
    /// The credentials were rejected; the user should sign in again.
    Unauthorized,
    /// The model provider rejected the request as invalid.
    BadRequest,
    /// The sandbox failed to run a command.
    SandboxError,
    /// The response stream broke off before the response was complete.
    #[serde(rename_all = "camelCase")]
    ResponseStreamDisconnected {
        /// The HTTP status code, if one was received; otherwise `null`.
        http_status_code: Option<u16>,
    },
    /// The request was retried too many times without success.
    #[serde(rename_all = "camelCase")]
    ResponseTooManyFailedAttempts {
        /// The HTTP status code of the last attempt, if one was received; otherwise `null`.
        http_status_code: Option<u16>,
    },
    /// Any other error.
    Other,
}

/// Params of `turn/start`: send user input to the agent on a thread.
///
/// The optional settings override the thread's settings for this turn and the turns after it;
/// leave them out to keep the current ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnStartParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnStartParams {
    /// The thread to start the turn on.
    pub thread_id: String,
    /// What the user sends: text, images, local image files.
    pub input: Vec<UserInput>,
    /// New working directory (absolute path) for commands; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// New approval policy; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_policy: Option<AskForApproval>,
    /// New sandbox policy; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox_policy: Option<SandboxPolicy>,
    /// New model, e.g. `"gpt-5.1-codex"`; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// New reasoning effort; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<ReasoningEffort>,
    /// New reasoning summary setting; absent keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<ReasoningSummary>,
}

/// Result of `turn/start` (and of `review/start`): the turn that was started, normally with
/// status `inProgress` and no items yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnStartResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnStartResponse {
    /// The new turn.
    pub turn: Turn,
}

/// Params of `turn/interrupt`: stop a running turn.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnInterruptParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnInterruptParams {
    /// The thread the turn belongs to.
    pub thread_id: String,
    /// The turn to interrupt.
    pub turn_id: String,
}

/// Result of `turn/interrupt`: an empty object. The turn then ends with a `turn/completed`
/// notification whose status is `interrupted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnInterruptResponse"))]
#[non_exhaustive]
pub struct TurnInterruptResponse {}

/// Params of the `turn/started` notification: a turn began on a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnStartedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnStartedNotification {
    /// The thread the turn belongs to. Required: a notification without it is rejected.
    pub thread_id: String,
    /// The turn, normally with status `inProgress`.
    pub turn: Turn,
}

/// Params of the `turn/completed` notification: a turn ended (completed, interrupted or
/// failed; when failed, `turn.error` says why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnCompletedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnCompletedNotification {
    /// The thread the turn belongs to. Required: a notification without it is rejected.
    pub thread_id: String,
    /// The turn in its final state.
    pub turn: Turn,
}

/// Params of the `turn/diff/updated` notification: the unified diff of every file change made
/// so far in the turn. It is re-sent whole after each change, so a client simply replaces the
/// diff it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TurnDiffUpdatedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnDiffUpdatedNotification {
    /// The thread the turn belongs to.
    pub thread_id: String,
    /// The turn whose changes the diff shows.
    pub turn_id: String,
    /// The unified diff (as `git diff` prints it) of all file changes so far in the turn.
    pub diff: String,
}

/// Params of the `error` notification: something went wrong during a turn.
///
/// `willRetry: true` is a transient error (e.g. "Reconnecting... 1/5"): the server retries by
/// itself and the turn goes on, so show it unobtrusively. `willRetry: false` is terminal: the
/// turn ends (a `turn/completed` with status `failed` follows).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ErrorNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorNotification {
    /// What went wrong.
    pub error: TurnError,
    /// `true` when the server retries by itself and the turn continues; `false` when the error
    /// ends the turn.
    pub will_retry: bool,
    /// The thread the error happened on. Required: a notification without it is rejected.
    pub thread_id: String,
    /// The turn the error happened in. Required: a notification without it is rejected.
    pub turn_id: String,
}
