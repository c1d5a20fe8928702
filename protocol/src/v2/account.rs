//! Accounts: reading the signed-in account, logging in and out (`account/*` requests), rate
//! limits, and the notifications that report account changes.

use app_server_protocol_derive::{DeserializeTagFirst, Payload};
use serde::{Deserialize, Serialize};

use crate::core_types::{AuthMode, PlanType};
use crate::secret::Secret;

/// The account the user is signed in with. Tagged by `type`.
///
/// Examples: `{"type":"apiKey"}`,
/// `{"type":"chatgpt","email":"ada@example.com","planType":"plus"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.Account"))]
#[serde(tag = "type")]
pub enum Account {
    /// Signed in with an API key (`type: "apiKey"`).
    #[serde(rename = "apiKey")]
    ApiKey,
    /// Signed in with a ChatGPT account (`type: "chatgpt"`).
    #[serde(rename = "chatgpt", rename_all = "camelCase")]
    Chatgpt {
        /// The account's email address.
        email: String,
        /// The account's ChatGPT plan; `"unknown"` for a plan this version does not know.
        plan_type: PlanType,
    },
}

/// Params of `account/login/start`: how to log in. Tagged by `type`.
///
/// Examples: `{"type":"apiKey","apiKey":"sk-…"}`, `{"type":"chatgpt"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.LoginAccountParams"))]
#[serde(tag = "type")]
pub enum LoginAccountParams {
    /// Log in with an API key (`type: "apiKey"`); completes immediately.
    #[serde(rename = "apiKey", rename_all = "camelCase")]
    ApiKey {
        /// The API key to store and use.
        api_key: Secret,
    },
    /// Log in with a ChatGPT account through the browser (`type: "chatgpt"`). The response
    /// carries the URL to open; `account/login/completed` reports the outcome.
    #[serde(rename = "chatgpt")]
    Chatgpt,
}

/// An enum payload: built by its variants, so no constructor and no `Default` (the structs of the
/// method table have them from `#[derive(Payload)]`).
impl crate::row::Payload for LoginAccountParams {
    const SHAPE: crate::row::PayloadShape = crate::row::PayloadShape::Enum;

    fn default_value() -> Option<Self> {
        None
    }
}

/// Result of `account/login/start`. Tagged by `type`, matching the params' `type`.
///
/// Examples: `{"type":"apiKey"}`,
/// `{"type":"chatgpt","loginId":"3f2a…","authUrl":"https://auth.example.com/…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.LoginAccountResponse"))]
#[serde(tag = "type")]
pub enum LoginAccountResponse {
    /// The API key was stored; the user is logged in (`type: "apiKey"`).
    #[serde(rename = "apiKey")]
    ApiKey,
    /// A browser login was started (`type: "chatgpt"`).
    #[serde(rename = "chatgpt", rename_all = "camelCase")]
    Chatgpt {
        /// Identifies this login attempt: pass it to `account/login/cancel`, and match it with
        /// the `loginId` of `account/login/completed`.
        login_id: String,
        /// The URL to open in a browser to sign in.
        auth_url: String,
    },
}

/// An enum payload: built by its variants, so no constructor and no `Default` (the structs of the
/// method table have them from `#[derive(Payload)]`).
impl crate::row::Payload for LoginAccountResponse {
    const SHAPE: crate::row::PayloadShape = crate::row::PayloadShape::Enum;

    fn default_value() -> Option<Self> {
        None
    }
}

/// Params of `account/login/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CancelLoginAccountParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelLoginAccountParams {
    /// The `loginId` returned by `account/login/start`.
    pub login_id: String,
}

/// Result of `account/login/cancel`. Cancelling is idempotent: an unknown or already finished
/// login id is not an error, it answers `{"status":"notFound"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CancelLoginAccountResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelLoginAccountResponse {
    /// Whether a pending login was cancelled.
    pub status: CancelLoginAccountStatus,
}

/// Outcome of `account/login/cancel`.
///
/// Wire values: `"canceled"`, `"notFound"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CancelLoginAccountStatus"))]
#[serde(rename_all = "camelCase")]
pub enum CancelLoginAccountStatus {
    /// The login was pending and is now cancelled.
    Canceled,
    /// No pending login has this id (unknown, already completed or already cancelled).
    NotFound,
}

/// Result of `account/logout`: an empty object, `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.LogoutAccountResponse"))]
#[non_exhaustive]
pub struct LogoutAccountResponse {}

/// Params of `account/read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.GetAccountParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetAccountParams {
    /// When `true`, the server refreshes the ChatGPT tokens before answering, so that the plan
    /// type is current. `false` when absent.
    #[serde(default)]
    pub refresh_token: bool,
}

/// Result of `account/read`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.GetAccountResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetAccountResponse {
    /// The signed-in account; `null` when nobody is signed in.
    pub account: Option<Account>,
    /// Whether the configured model provider needs an OpenAI login at all. When `false`, a
    /// `null` account is normal and the client should not prompt for a login.
    pub requires_openai_auth: bool,
}

/// Result of `account/rateLimits/read`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.GetAccountRateLimitsResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetAccountRateLimitsResponse {
    /// The account's current usage against its limits.
    pub rate_limits: RateLimitSnapshot,
}

/// The account's usage against its rate limits at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.RateLimitSnapshot"))]
#[serde(rename_all = "camelCase")]
pub struct RateLimitSnapshot {
    /// The shorter limit window (e.g. 5 hours); `null` when unknown.
    pub primary: Option<RateLimitWindow>,
    /// The longer limit window (e.g. a week); `null` when unknown.
    pub secondary: Option<RateLimitWindow>,
    /// The account's credits; `null` when unknown or not applicable.
    pub credits: Option<CreditsSnapshot>,
}

/// Usage within one rate-limit window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.RateLimitWindow"))]
#[serde(rename_all = "camelCase")]
pub struct RateLimitWindow {
    /// How much of the window's allowance is used, in percent (0–100, rounded).
    pub used_percent: i32,
    /// The window's length in minutes (e.g. `300` for 5 hours); `null` when unknown.
    pub window_duration_mins: Option<i64>,
    /// When the window resets, in Unix seconds; `null` when unknown.
    pub resets_at: Option<i64>,
}

/// The account's credits (paid usage beyond the plan's limits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CreditsSnapshot"))]
#[serde(rename_all = "camelCase")]
pub struct CreditsSnapshot {
    /// Whether the account has credits left to spend.
    pub has_credits: bool,
    /// Whether the account's credits are unlimited.
    pub unlimited: bool,
    /// The remaining balance as a display string (e.g. `"12.50"`); `null` when unknown.
    pub balance: Option<String>,
}

/// Params of the `account/updated` notification: the signed-in account changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.AccountUpdatedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountUpdatedNotification {
    /// How the user is now authenticated; `null` after a logout.
    pub auth_mode: Option<AuthMode>,
}

/// Params of the `account/rateLimits/updated` notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.AccountRateLimitsUpdatedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountRateLimitsUpdatedNotification {
    /// The account's new usage against its limits.
    pub rate_limits: RateLimitSnapshot,
}

/// Params of the `account/login/completed` notification: a login started with
/// `account/login/start` finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.AccountLoginCompletedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountLoginCompletedNotification {
    /// The `loginId` of the finished login; `null` when the login had none (API key logins).
    pub login_id: Option<String>,
    /// Whether the user is now logged in.
    pub success: bool,
    /// Why the login failed; `null` on success.
    pub error: Option<String>,
}
