//! MCP servers: listing the configured servers with their tools, resources and auth status
//! (`mcpServerStatus/list`), and logging in to a server with OAuth (`mcpServer/oauth/login`
//! and its completion notification).
//!
//! The MCP types nested here ([`Tool`], [`Resource`], [`ResourceTemplate`]) keep MCP's own
//! convention: their optional members are omitted when absent. The types of this module follow
//! v2's: every field present on output, `null` when absent.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::{Resource, ResourceTemplate, Tool};

/// Params of `mcpServerStatus/list`. Paginated.
///
/// Pagination contract: a page holds exactly `limit` servers unless the listing is exhausted;
/// `nextCursor` is `null` exactly when nothing more exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ListMcpServerStatusParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListMcpServerStatusParams {
    /// The `nextCursor` of the previous page; omit (or `null`) for the first page. Opaque.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The page size: an integer from 1 to 4294967295; omit (or `null`) for the server's
    /// default of 25. `0` is refused by the decoder with error -32602 (invalid params) at
    /// `params.limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<NonZeroU32>,
}

/// Result of `mcpServerStatus/list`: one page of MCP servers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ListMcpServerStatusResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListMcpServerStatusResponse {
    /// The servers of this page: exactly `limit` of them unless the listing is exhausted.
    pub data: Vec<McpServerStatus>,
    /// Pass as `cursor` to get the next page; `null` exactly when there is no next page.
    pub next_cursor: Option<String>,
}

/// A configured MCP server, with what it offers and whether the user is logged in to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpServerStatus"))]
#[serde(rename_all = "camelCase")]
pub struct McpServerStatus {
    /// The server's name, as configured (a key of `mcp_servers` in the config file).
    pub name: String,
    /// The server's tools, keyed by tool name. Empty when the server offers none or could not
    /// be reached.
    pub tools: BTreeMap<String, Tool>,
    /// The resources the server lists.
    pub resources: Vec<Resource>,
    /// The resource templates the server lists.
    pub resource_templates: Vec<ResourceTemplate>,
    /// Whether and how the user is authenticated with the server.
    pub auth_status: McpAuthStatus,
}

/// How the user is authenticated with an MCP server (v2 spelling; the core protocol's
/// snake_case twin lives in `crate::v1`).
///
/// Wire values: `"unsupported"`, `"notLoggedIn"`, `"bearerToken"`, `"oAuth"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpAuthStatus"))]
#[serde(rename_all = "camelCase")]
pub enum McpAuthStatus {
    /// The server needs no login (or does not support one).
    Unsupported,
    /// The server supports OAuth but the user has not logged in: offer
    /// `mcpServer/oauth/login`.
    NotLoggedIn,
    /// Authenticated with a bearer token from the config.
    BearerToken,
    /// Logged in with OAuth (wire value `"oAuth"`).
    #[serde(rename = "oAuth")]
    OAuth,
}

/// Params of `mcpServer/oauth/login`: start an OAuth login to a configured MCP server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpServerOauthLoginParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct McpServerOauthLoginParams {
    /// The server's name, as configured.
    pub name: String,
    /// The OAuth scopes to request, e.g. `["repo", "read:org"]`. Omit (or `null`) for the
    /// server's configured or default scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// How long to wait for the user to finish the login, in seconds; after that the login
    /// fails with a timeout. Omit (or `null`) for the server's default. Values beyond 2^53 are
    /// not portable to JavaScript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
}

/// Result of `mcpServer/oauth/login`: the login has started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpServerOauthLoginResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct McpServerOauthLoginResponse {
    /// The URL where the user authorizes access: open it in a browser or show it.
    pub authorization_url: String,
}

/// Params of the `mcpServer/oauthLogin/completed` notification: an MCP OAuth login finished.
/// Sent on success and on failure (e.g. timeout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpServerOauthLoginCompletedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct McpServerOauthLoginCompletedNotification {
    /// The server's name, as in the request.
    pub name: String,
    /// Whether the user is now logged in to the server.
    pub success: bool,
    /// Why the login failed (e.g. it timed out); `null` on success.
    pub error: Option<String>,
}
