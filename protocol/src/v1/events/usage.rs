//! Token usage and rate limits as the core protocol reports them in the `token_count` event
//! (snake_case keys; the v2 twins of the rate-limit types live in [`crate::v2`]).

use serde::{Deserialize, Serialize};

/// Payload of `token_count`: updated token usage and rate limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TokenCountEvent {
    /// Token usage of the session; `null` before the model reported any.
    pub info: Option<TokenUsageInfo>,
    /// The account's rate limits; `null` when the backend did not report them.
    pub rate_limits: Option<RateLimitSnapshot>,
}

/// Token usage of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TokenUsageInfo {
    /// Totals over the whole session.
    pub total_token_usage: TokenUsage,
    /// Usage of the last model request alone.
    pub last_token_usage: TokenUsage,
    /// Size of the model's context window in tokens; `null` when unknown.
    pub model_context_window: Option<i64>,
}

/// Token counts of one or more model requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TokenUsage {
    /// Input tokens, cached ones included.
    pub input_tokens: i64,
    /// Input tokens served from the prompt cache (part of `input_tokens`).
    pub cached_input_tokens: i64,
    /// Output tokens, reasoning included.
    pub output_tokens: i64,
    /// Output tokens spent on reasoning (part of `output_tokens`).
    pub reasoning_output_tokens: i64,
    /// All tokens counted against the context window.
    pub total_tokens: i64,
}

/// The account's rate limits at one moment (core protocol spelling, snake_case).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct RateLimitSnapshot {
    /// The shorter window (e.g. 5 hours); `null` when not reported.
    pub primary: Option<RateLimitWindow>,
    /// The longer window (e.g. a week); `null` when not reported.
    pub secondary: Option<RateLimitWindow>,
    /// The account's credits; `null` when not reported.
    pub credits: Option<CreditsSnapshot>,
}

/// Usage of one rate-limit window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct RateLimitWindow {
    /// How much of the window's allowance is used, in percent (0–100, may be fractional).
    pub used_percent: f64,
    /// Length of the window in minutes; `null` when unknown.
    pub window_minutes: Option<i64>,
    /// When the window resets, in Unix seconds; `null` when unknown.
    pub resets_at: Option<i64>,
}

/// The account's credits (core protocol spelling, snake_case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CreditsSnapshot {
    /// Whether the account has credits to spend.
    pub has_credits: bool,
    /// Whether the account's credits are unlimited.
    pub unlimited: bool,
    /// The remaining balance as a decimal string, e.g. `"12.50"`; `null` when unknown.
    pub balance: Option<String>,
}
