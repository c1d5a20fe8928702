//! Threads: conversations with the agent.
//!
//! Holds [`Thread`], the params and responses of `thread/start`, `thread/resume`,
//! `thread/archive`, `thread/list` (paginated, full pages) and `thread/compact`, and the
//! `thread/started` notification.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{AskForApproval, SandboxMode, SandboxPolicy, Turn};
use crate::core_types::{ReasoningEffort, ResponseItem};

/// A thread: one conversation with the agent, made of turns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.Thread"))]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    /// The thread's id (a UUID string), used in every `thread/*`, `turn/*` and `item/*`
    /// message about it.
    pub id: String,
    /// A short preview of the conversation (usually the start of the first user message), for
    /// lists. Empty when the thread has no user message yet.
    pub preview: String,
    /// The id of the model provider the thread runs on, e.g. `"openai"`.
    pub model_provider: String,
    /// When the thread was created, in Unix seconds.
    pub created_at: i64,
    /// Where the thread is stored on the server's machine (the rollout file, an absolute path).
    pub path: String,
    /// The thread's turns, oldest first. `thread/list` and `thread/started` may send an empty
    /// list; `thread/resume` sends the turns stored so far.
    pub turns: Vec<Turn>,
}

/// Params of `thread/start`: start a new thread.
///
/// Every setting is optional; what is left out comes from the user's config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadStartParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadStartParams {
    /// The model to use, e.g. `"gpt-5.1-codex"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The model provider to use, e.g. `"openai"` (a provider id from the config).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_provider: Option<String>,
    /// The working directory for the agent's commands (absolute path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// When the agent asks before running commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_policy: Option<AskForApproval>,
    /// The sandbox the agent's commands run in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<SandboxMode>,
    /// Config overrides for this thread, by config key (dotted paths allowed), e.g.
    /// `{"model_reasoning_effort":"high"}`. Values are any JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<BTreeMap<String, Value>>,
    /// Replaces the agent's built-in base instructions (advanced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_instructions: Option<String>,
    /// Extra instructions added as a developer message at the start of the thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_instructions: Option<String>,
}

/// Result of `thread/start`: the new thread and the settings it actually runs with (after the
/// user's config was applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadStartResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadStartResponse {
    /// The new thread (without turns yet).
    pub thread: Thread,
    /// The model in use, e.g. `"gpt-5.1-codex"`.
    pub model: String,
    /// The model provider in use, e.g. `"openai"`.
    pub model_provider: String,
    /// The working directory of the agent's commands (absolute path).
    pub cwd: String,
    /// The approval policy in effect.
    pub approval_policy: AskForApproval,
    /// The sandbox policy in effect.
    pub sandbox: SandboxPolicy,
    /// The reasoning effort in effect; `null` when the model's default applies.
    pub reasoning_effort: Option<ReasoningEffort>,
}

/// Params of `thread/resume`: reopen a stored thread so that new turns can be started on it.
///
/// The thread is found by `threadId`; alternatively `path` names a rollout file to load, or
/// `history` gives the conversation items to start from directly. The optional settings
/// override the stored ones; what is left out comes from the stored thread and the config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadResumeParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadResumeParams {
    /// The thread to resume.
    pub thread_id: String,
    /// Conversation items to resume from instead of the stored ones (advanced). These use the
    /// model's item format, whose keys are snake_case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ResponseItem>>,
    /// A rollout file (absolute path on the server's machine) to load the thread from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The model to use from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The model provider to use from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_provider: Option<String>,
    /// The working directory for the agent's commands (absolute path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// When the agent asks before running commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_policy: Option<AskForApproval>,
    /// The sandbox the agent's commands run in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<SandboxMode>,
    /// Config overrides, by config key (dotted paths allowed). Values are any JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<BTreeMap<String, Value>>,
    /// Replaces the agent's built-in base instructions (advanced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_instructions: Option<String>,
    /// Extra instructions added as a developer message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_instructions: Option<String>,
}

/// Result of `thread/resume`: the thread with its stored turns, and the settings it runs with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadResumeResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadResumeResponse {
    /// The resumed thread, with its turns so far.
    pub thread: Thread,
    /// The model in use.
    pub model: String,
    /// The model provider in use.
    pub model_provider: String,
    /// The working directory of the agent's commands (absolute path).
    pub cwd: String,
    /// The approval policy in effect.
    pub approval_policy: AskForApproval,
    /// The sandbox policy in effect.
    pub sandbox: SandboxPolicy,
    /// The reasoning effort in effect; `null` when the model's default applies.
    pub reasoning_effort: Option<ReasoningEffort>,
}

/// Params of `thread/archive`: hide a thread from `thread/list`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadArchiveParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadArchiveParams {
    /// The thread to archive.
    pub thread_id: String,
}

/// Result of `thread/archive`: an empty object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadArchiveResponse"))]
#[non_exhaustive]
pub struct ThreadArchiveResponse {}

/// Params of `thread/list`: one page of stored threads, newest first.
///
/// **Pages are full.** A page holds exactly `limit` threads unless the listing is exhausted,
/// and the response's `nextCursor` is `null` exactly when nothing more exists. This holds also
/// when `modelProviders` filters threads out: the server keeps reading until the page is full.
/// So a client can stop paging as soon as `nextCursor` is `null`, and never gets a short page
/// followed by more results.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadListParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadListParams {
    /// Where to continue: the `nextCursor` of the previous page. Absent for the first page.
    /// Cursors are opaque strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The page size: an integer from 1 to 4294967295. Absent means the server's default,
    /// 25. `0` is refused by the decoder with error -32602 (invalid params) at
    /// `params.limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<NonZeroU32>,
    /// Only list threads of these model providers (provider ids, e.g. `["openai"]`). Absent
    /// lists threads of every provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_providers: Option<Vec<String>>,
}

impl ThreadListParams {
    /// The page size used when `limit` is absent: 25, a wire fact of every paginated v2
    /// method (the behaviour crate's paging helper uses it too).
    pub const DEFAULT_LIMIT: NonZeroU32 = NonZeroU32::new(25).unwrap();

    /// The page size to use: `limit`, or [`Self::DEFAULT_LIMIT`] when absent. (`0` never
    /// gets here: the decoder refuses it.)
    pub fn effective_limit(&self) -> NonZeroU32 {
        self.limit.unwrap_or(Self::DEFAULT_LIMIT)
    }
}

/// Result of `thread/list`: one page of threads.
///
/// `data` holds exactly the requested number of threads unless the listing is exhausted;
/// `nextCursor` is `null` exactly when nothing more exists (see [`ThreadListParams`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadListResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadListResponse {
    /// The threads of this page, newest first. Their `turns` lists are empty: resume a thread
    /// to read its turns.
    pub data: Vec<Thread>,
    /// Pass this as `cursor` to get the next page; `null` when there is no next page.
    pub next_cursor: Option<String>,
}

/// Params of `thread/compact`: summarise the thread's earlier turns to free room in the
/// model's context window.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadCompactParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadCompactParams {
    /// The thread to compact.
    pub thread_id: String,
}

/// Result of `thread/compact`: an empty object, sent once the compaction has been started.
/// Its progress and outcome are reported with the thread's usual notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadCompactResponse"))]
#[non_exhaustive]
pub struct ThreadCompactResponse {}

/// Params of the `thread/started` notification: a thread was started (by this client or
/// another one connected to the same server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadStartedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadStartedNotification {
    /// The new thread.
    pub thread: Thread,
}
