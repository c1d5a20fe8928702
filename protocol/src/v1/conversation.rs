//! v1 conversation lifecycle: `newConversation`, `resumeConversation`, `listConversations`,
//! `getConversationSummary` and `archiveConversation`, with the summaries they return and the
//! core `SessionSource` that says which kind of client started a conversation.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Deserializer, Serialize};

use crate::core_types::{
    AskForApproval, ConversationId, ReasoningEffort, ResponseItem, SandboxMode,
};
use crate::v1::EventMsg;

/// Params of `newConversation`: settings for a new conversation. Every field is optional; a
/// `null` field falls back to the user's config file (and its selected profile).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewConversationParams {
    /// Model to use, e.g. `"gpt-5.1-codex"`; `null` uses the configured model.
    pub model: Option<String>,
    /// Id of the model provider entry in the config, e.g. `"openai"`; `null` uses the
    /// configured provider.
    pub model_provider: Option<String>,
    /// Name of a config profile to apply before the other overrides; `null` uses the default
    /// profile.
    pub profile: Option<String>,
    /// Working directory of the conversation (absolute path); `null` uses the server's
    /// working directory.
    pub cwd: Option<String>,
    /// When the agent must ask before running commands; `null` uses the configured policy.
    pub approval_policy: Option<AskForApproval>,
    /// Sandbox mode for commands the agent runs; `null` uses the configured mode.
    pub sandbox: Option<SandboxMode>,
    /// Extra config overrides as dotted key paths mapped to values, e.g.
    /// `{ "model_reasoning_effort": "high" }`; `null` when there are none.
    pub config: Option<BTreeMap<String, serde_json::Value>>,
    /// Replaces the built-in system instructions; `null` keeps them.
    pub base_instructions: Option<String>,
    /// Extra developer instructions added to the conversation. Left out of the JSON when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_instructions: Option<String>,
    /// Prompt used when the conversation's context is compacted. Left out of the JSON when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compact_prompt: Option<String>,
    /// Whether to offer the model the `apply_patch` tool explicitly; `null` lets the server
    /// decide from the model.
    pub include_apply_patch_tool: Option<bool>,
}

/// Result of `newConversation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewConversationResponse {
    /// Id of the new conversation; pass it to `sendUserMessage`, `addConversationListener` …
    pub conversation_id: ConversationId,
    /// The model the conversation uses after config and overrides were applied.
    pub model: String,
    /// The reasoning effort in effect; `null` when the model does not reason or none is set.
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Path of the rollout file that records the conversation on the server's disk.
    pub rollout_path: PathBuf,
}

/// Params of `resumeConversation`: which recorded conversation to continue, and optional
/// overrides for the resumed session. Give `path`, `conversationId` or `history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResumeConversationParams {
    /// Path of the rollout file to resume from; `null` when resuming by id or history.
    pub path: Option<PathBuf>,
    /// Id of the conversation to resume; `null` when resuming by path or history.
    pub conversation_id: Option<ConversationId>,
    /// Explicit conversation history to start from instead of a rollout file; `null` when
    /// resuming by path or id.
    pub history: Option<Vec<ResponseItem>>,
    /// Settings to change for the resumed session; `null` keeps the recorded ones.
    pub overrides: Option<NewConversationParams>,
}

/// Result of `resumeConversation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResumeConversationResponse {
    /// Id of the resumed conversation.
    pub conversation_id: ConversationId,
    /// The model the resumed conversation uses.
    pub model: String,
    /// The recorded events of the conversation so far, oldest first, so that the client can
    /// redraw the transcript; `null` when there are none to replay.
    pub initial_messages: Option<Vec<EventMsg>>,
    /// Path of the rollout file the conversation keeps recording into.
    pub rollout_path: PathBuf,
}

/// Params of `getConversationSummary`: an object with either `rolloutPath` or
/// `conversationId`. When both are sent, `rolloutPath` wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(untagged)]
pub enum GetConversationSummaryParams {
    /// Look the conversation up by the path of its rollout file.
    RolloutPath {
        /// Path of the rollout file, e.g.
        /// `"/home/me/.codex/sessions/2025/01/01/rollout-….jsonl"`.
        #[serde(rename = "rolloutPath")]
        rollout_path: PathBuf,
    },
    /// Look the conversation up by its id.
    ConversationId {
        /// Id of the conversation.
        #[serde(rename = "conversationId")]
        conversation_id: ConversationId,
    },
}

/// An enum payload: built by its variants, so no constructor and no `Default` (the structs of the
/// method table have them from `#[derive(Payload)]`).
impl crate::row::Payload for GetConversationSummaryParams {
    const SHAPE: crate::row::PayloadShape = crate::row::PayloadShape::Enum;

    fn default_value() -> Option<Self> {
        None
    }
}

/// Result of `getConversationSummary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetConversationSummaryResponse {
    /// The summary of the requested conversation.
    pub summary: ConversationSummary,
}

/// Params of `listConversations`: one page of recorded conversations, newest first.
///
/// Pages are full: a page holds exactly `pageSize` items unless the listing is exhausted, also
/// when `modelProviders` filters conversations out; `nextCursor` in the response is `null`
/// exactly when nothing more exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListConversationsParams {
    /// How many conversations to return: an integer of at least 1; `null` uses the server's
    /// default (25). `0` is refused by the decoder with error -32602 (invalid params) at
    /// `params.pageSize`.
    pub page_size: Option<NonZeroUsize>,
    /// The `nextCursor` of the previous page; `null` for the first page.
    pub cursor: Option<String>,
    /// Only list conversations recorded with one of these model providers (ids as in the
    /// config, e.g. `["openai"]`); `null` lists conversations of every provider.
    pub model_providers: Option<Vec<String>>,
}

/// Result of `listConversations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListConversationsResponse {
    /// The conversations of this page, newest first. Exactly `pageSize` of them unless the
    /// listing is exhausted.
    pub items: Vec<ConversationSummary>,
    /// Pass as `cursor` to get the next page; `null` exactly when there is nothing more.
    pub next_cursor: Option<String>,
}

/// A recorded conversation as shown in a conversation picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    /// Id of the conversation.
    pub conversation_id: ConversationId,
    /// Path of the conversation's rollout file on the server's disk.
    pub path: PathBuf,
    /// The first user message (possibly shortened), to show as the conversation's title.
    pub preview: String,
    /// When the conversation started, as an RFC 3339 string (e.g.
    /// `"2025-01-31T12:00:00.000Z"`); `null` when the rollout does not record it.
    pub timestamp: Option<String>,
    /// Id of the model provider the conversation used, e.g. `"openai"`.
    pub model_provider: String,
    /// Working directory the conversation ran in.
    pub cwd: PathBuf,
    /// Version of the agent that recorded the conversation, e.g. `"0.63.0"`.
    pub cli_version: String,
    /// Which kind of client started the conversation.
    pub source: SessionSource,
    /// Git state of the working directory when the conversation started; `null` outside a
    /// repository or when unknown.
    pub git_info: Option<ConversationGitInfo>,
}

/// Git state of a conversation's working directory. Keys are snake_case on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ConversationGitInfo {
    /// The checked-out commit hash; `null` when unknown.
    pub sha: Option<String>,
    /// The checked-out branch, e.g. `"main"`; `null` when detached or unknown.
    pub branch: Option<String>,
    /// URL of the `origin` remote; `null` when there is none.
    pub origin_url: Option<String>,
}

/// Params of `archiveConversation`: moves a recorded conversation to the archive, so that it no
/// longer shows in `listConversations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ArchiveConversationParams {
    /// Id of the conversation to archive.
    pub conversation_id: ConversationId,
    /// Path of its rollout file, as reported by `listConversations`.
    pub rollout_path: PathBuf,
}

/// Result of `archiveConversation`: an empty object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct ArchiveConversationResponse {}

/// Which kind of client started a conversation (core protocol spelling, lowercase).
///
/// On input, a value this crate does not know decodes to [`SessionSource::Unknown`] instead
/// of failing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[non_exhaustive]
pub enum SessionSource {
    /// The interactive terminal UI (`"cli"`).
    Cli,
    /// The IDE extension (`"vscode"`); the default.
    #[default]
    VSCode,
    /// Non-interactive `exec` runs (`"exec"`).
    Exec,
    /// The agent running as an MCP server (`"mcp"`).
    Mcp,
    /// A sub-agent started by another conversation: `{ "subagent": SubAgentSource }`.
    SubAgent(SubAgentSource),
    /// A source this crate does not know (`"unknown"`); also what unknown values decode to.
    Unknown,
}

impl<'de> Deserialize<'de> for SessionSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Name(String),
            Object(serde_json::Map<String, serde_json::Value>),
        }
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Name(name) => match name.as_str() {
                "cli" => SessionSource::Cli,
                "vscode" => SessionSource::VSCode,
                "exec" => SessionSource::Exec,
                "mcp" => SessionSource::Mcp,
                _ => SessionSource::Unknown,
            },
            Wire::Object(mut map) => match map.remove("subagent") {
                Some(inner) => SessionSource::SubAgent(
                    SubAgentSource::deserialize(inner).map_err(serde::de::Error::custom)?,
                ),
                None => SessionSource::Unknown,
            },
        })
    }
}

/// What started a sub-agent conversation (core protocol spelling, snake_case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubAgentSource {
    /// A code review run (`"review"`).
    Review,
    /// A context compaction run (`"compact"`).
    Compact,
    /// Anything else, named by the server: `{ "other": "name" }`.
    Other(String),
}
