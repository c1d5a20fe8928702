//! MCP events of the core [`EventMsg`](crate::v1::EventMsg) family: MCP server start-up, tool calls
//! and tool listings, with the core [`McpAuthStatus`] (snake_case; the v2 twin is
//! [`crate::v2::McpAuthStatus`]).

use std::collections::BTreeMap;

use app_server_protocol_derive::DeserializeTagFirst;
use serde::{Deserialize, Serialize};

use crate::core_types::{CallToolResult, Resource, ResourceTemplate, Tool};
use crate::v1::Duration;

/// Which MCP tool is called, with which arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpInvocation {
    /// Name of the MCP server, as configured.
    pub server: String,
    /// Name of the tool on that server.
    pub tool: String,
    /// The arguments, as the JSON object the tool receives; `null` when the call has none.
    pub arguments: Option<serde_json::Value>,
}

/// Payload of `mcp_tool_call_begin`: an MCP tool call started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpToolCallBeginEvent {
    /// Id of the tool call; `mcp_tool_call_end` carries the same id.
    pub call_id: String,
    /// The tool and its arguments.
    pub invocation: McpInvocation,
}

/// Payload of `mcp_tool_call_end`: an MCP tool call finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpToolCallEndEvent {
    /// Id of the tool call.
    pub call_id: String,
    /// The tool and its arguments.
    pub invocation: McpInvocation,
    /// How long the call took.
    pub duration: Duration,
    /// The outcome: `{ "Ok": CallToolResult }` when the server answered (its `isError` may
    /// still say the tool failed), `{ "Err": "message" }` when the call itself failed.
    pub result: Result<CallToolResult, String>,
}

/// Payload of `mcp_startup_update`: one MCP server's start-up progressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpStartupUpdateEvent {
    /// Name of the MCP server, as configured.
    pub server: String,
    /// Where its start-up stands.
    pub status: McpStartupStatus,
}

/// Where an MCP server's start-up stands, tagged by `state` (snake_case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum McpStartupStatus {
    /// Starting: `{ "state": "starting" }`.
    Starting,
    /// Ready to use: `{ "state": "ready" }`.
    Ready,
    /// Failed to start: `{ "state": "failed", "error": "…" }`.
    Failed {
        /// What went wrong, for display.
        error: String,
    },
    /// Start-up was cancelled: `{ "state": "cancelled" }`.
    Cancelled,
}

/// Payload of `mcp_startup_complete`: every configured MCP server finished starting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpStartupCompleteEvent {
    /// Names of the servers that are ready.
    pub ready: Vec<String>,
    /// The servers that failed to start, with why.
    pub failed: Vec<McpStartupFailure>,
    /// Names of the servers whose start-up was cancelled.
    pub cancelled: Vec<String>,
}

/// An MCP server that failed to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpStartupFailure {
    /// Name of the server, as configured.
    pub server: String,
    /// What went wrong, for display.
    pub error: String,
}

/// Payload of `mcp_list_tools_response`: the tools, resources and auth status of every
/// configured MCP server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct McpListToolsResponseEvent {
    /// Every tool of every server, by its qualified name (the MCP server's name combined with
    /// the tool's name, so that names of different servers cannot collide).
    pub tools: BTreeMap<String, Tool>,
    /// Resources, by server name.
    pub resources: BTreeMap<String, Vec<Resource>>,
    /// Resource templates, by server name.
    pub resource_templates: BTreeMap<String, Vec<ResourceTemplate>>,
    /// How each server authenticates, by server name.
    pub auth_statuses: BTreeMap<String, McpAuthStatus>,
}

/// How an MCP server authenticates (core protocol spelling, snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum McpAuthStatus {
    /// The server does not support authentication (`"unsupported"`).
    Unsupported,
    /// The server supports OAuth but the user has not logged in (`"not_logged_in"`).
    NotLoggedIn,
    /// A bearer token from the config is used (`"bearer_token"`).
    BearerToken,
    /// The user logged in with OAuth (`"o_auth"`).
    OAuth,
}
