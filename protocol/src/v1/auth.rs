//! v1 authentication: API-key and ChatGPT logins, logout, auth status, user info and user
//! agent, and the `authStatusChange` / `loginChatGptComplete` notifications.

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::AuthMode;
use crate::secret::Secret;

/// Params of `loginApiKey`: signs in with an OpenAI API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LoginApiKeyParams {
    /// The API key, e.g. `"sk-…"`. The server stores it in the user's auth file.
    pub api_key: Secret,
}

/// Result of `loginApiKey`: an empty object, sent once the key is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct LoginApiKeyResponse {}

/// Result of `loginChatGpt`: the browser login the server started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LoginChatGptResponse {
    /// Id of this login attempt (a UUID string); `loginChatGptComplete` carries it, and
    /// `cancelLoginChatGpt` takes it.
    pub login_id: String,
    /// The URL to open in the user's browser to sign in.
    pub auth_url: String,
}

/// Params of `cancelLoginChatGpt`: stops a pending ChatGPT browser login.
///
/// An unknown or already finished `loginId` is answered with a JSON-RPC error (-32600), unlike
/// the idempotent v2 `account/login/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelLoginChatGptParams {
    /// Id of the login, as returned by `loginChatGpt`.
    pub login_id: String,
}

/// Result of `cancelLoginChatGpt`: an empty object, sent when the pending login was found and
/// cancelled. An unknown login id gets an error response instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct CancelLoginChatGptResponse {}

/// Result of `logoutChatGpt`: an empty object, sent once the stored credentials are removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct LogoutChatGptResponse {}

/// Params of `getAuthStatus`: what to include in the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetAuthStatusParams {
    /// Also return the current access token in `authToken`; `null` means no.
    pub include_token: Option<bool>,
    /// Refresh the ChatGPT token first if it is due; `null` means no.
    pub refresh_token: Option<bool>,
}

/// Result of `getAuthStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetAuthStatusResponse {
    /// How the user is signed in; `null` when signed out.
    pub auth_method: Option<AuthMode>,
    /// The access token, when `includeToken` was set and the user is signed in; `null`
    /// otherwise.
    pub auth_token: Option<Secret>,
    /// Whether the configured model provider needs an OpenAI login at all; `null` when
    /// unknown.
    pub requires_openai_auth: Option<bool>,
}

/// Result of `userInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserInfoResponse {
    /// The email address found in the user's ChatGPT token. Not verified by the server, so do
    /// not use it for access decisions; `null` when signed out or signed in with an API key.
    pub alleged_user_email: Option<String>,
}

/// Result of `getUserAgent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetUserAgentResponse {
    /// The user agent the server sends upstream, e.g. `"codex_vscode/0.63.0 (Mac OS 15.1; arm64)"`.
    pub user_agent: String,
}

/// Params of the `authStatusChange` notification: the user signed in, out, or switched auth
/// method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthStatusChangeNotification {
    /// How the user is signed in now; `null` when signed out.
    pub auth_method: Option<AuthMode>,
}

/// Params of the `loginChatGptComplete` notification: a login started with `loginChatGpt`
/// finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LoginChatGptCompleteNotification {
    /// Id of the login, as returned by `loginChatGpt`.
    pub login_id: String,
    /// Whether the user is now signed in.
    pub success: bool,
    /// What went wrong, for display; `null` on success.
    pub error: Option<String>,
}
