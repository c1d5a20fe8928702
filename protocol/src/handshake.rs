//! The handshake every connection starts with, for v1 and v2 clients alike: the client sends
//! `initialize`, the server answers, the client sends the `initialized` notification.

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

/// Params of `initialize`: who the client is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InitializeParams {
    /// The client's name and version, reported in the server's user agent and logs.
    pub client_info: ClientInfo,
}

/// Identifies a client application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClientInfo {
    /// A stable machine-readable name, e.g. `"vscode-extension"`.
    pub name: String,
    /// A display name, e.g. `"Codex for VS Code"`; `null` or left out when the client has
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The client's version, e.g. `"1.4.2"`.
    pub version: String,
}

/// Result of `initialize`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InitializeResponse {
    /// The user agent the server sends upstream, including the client's name and version.
    pub user_agent: String,
}
