//! Model and sandbox settings as the core protocol and the user's config file spell them:
//! reasoning effort, reasoning summaries, verbosity, forced login method, sandbox mode,
//! approval policy and the core sandbox policy.
//!
//! These spellings are lowercase, kebab-case (`"on-request"`, `"workspace-write"`) or
//! snake_case (`writable_roots`), exactly as written in `config.toml`. The v2 API has camelCase
//! twins of [`SandboxMode`], [`AskForApproval`] and [`SandboxPolicy`] in `crate::v2`; the
//! enums that have no twin ([`ReasoningEffort`], [`ReasoningSummary`], [`Verbosity`],
//! [`ForcedLoginMethod`]) are used by both API generations as they are.

use app_server_protocol_derive::DeserializeTagFirst;
use serde::{Deserialize, Serialize};

/// How hard the model should think before it answers. Higher effort gives better answers on
/// hard tasks at the cost of latency and tokens.
///
/// Wire values: `"none"`, `"minimal"`, `"low"`, `"medium"`, `"high"`, `"xhigh"`. Not every model
/// supports every value; `model/list` tells which ones a model accepts. The known variants are
/// ordered from least to most effort (an unknown value sorts after them).
///
/// The enum is open: newer servers add efforts, so any other string decodes to
/// [`ReasoningEffort::Unknown`] holding it, and is written back as it came.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[serde(rename_all = "lowercase")]
pub enum ReasoningEffort {
    /// No reasoning at all: the fastest answers.
    None,
    /// The least reasoning the model can do.
    Minimal,
    /// Light reasoning.
    Low,
    /// Balanced reasoning; the default when nothing is configured.
    #[default]
    Medium,
    /// Thorough reasoning for hard problems.
    High,
    /// Extra-high reasoning, offered by some models only (wire value `"xhigh"`).
    #[serde(rename = "xhigh")]
    XHigh,
    /// An effort this crate does not know (a newer server's), as it came on the wire.
    #[serde(untagged)]
    #[cfg_attr(feature = "codegen", ts(skip))]
    #[cfg_attr(feature = "codegen", schemars(skip))]
    Unknown(String),
}

open_string_enum!(ReasoningEffort {
    None => "none",
    Minimal => "minimal",
    Low => "low",
    Medium => "medium",
    High => "high",
    XHigh => "xhigh",
});

/// How much of the model's reasoning is summarised for display.
///
/// Wire values: `"auto"`, `"concise"`, `"detailed"`, `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReasoningSummary {
    /// Let the model provider pick the level of detail; the default.
    #[default]
    Auto,
    /// Short summaries.
    Concise,
    /// Long, detailed summaries.
    Detailed,
    /// No reasoning summaries at all.
    None,
}

/// How long and detailed the model's answers should be (on models that support it).
///
/// Wire values: `"low"`, `"medium"`, `"high"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Verbosity {
    /// Terse answers.
    Low,
    /// Normal answers; the default.
    #[default]
    Medium,
    /// Long, detailed answers.
    High,
}

/// The only login method an administrator allows, when the config forces one.
///
/// Wire values: `"chatgpt"`, `"api"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ForcedLoginMethod {
    /// Only "Sign in with ChatGPT" is allowed.
    Chatgpt,
    /// Only an API key is allowed.
    Api,
}

/// The sandbox mode as the config file spells it (`sandbox_mode = "workspace-write"`).
///
/// Wire values: `"read-only"`, `"workspace-write"`, `"danger-full-access"`. The v2 API's
/// camelCase twin is `crate::v2::SandboxMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SandboxMode {
    /// Commands may read any file but write none; the default.
    #[default]
    ReadOnly,
    /// Commands may write inside the workspace (and the configured extra roots).
    WorkspaceWrite,
    /// No sandbox at all. Use with care.
    DangerFullAccess,
}

/// When the agent asks the user before running a command, as the config file spells it
/// (`approval_policy = "on-request"`).
///
/// Wire values: `"untrusted"`, `"on-failure"`, `"on-request"`, `"never"`. The v2 API's
/// camelCase twin is `crate::v2::AskForApproval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AskForApproval {
    /// Only commands known to be safe and read-only run without asking; everything else asks
    /// (wire value `"untrusted"`).
    #[serde(rename = "untrusted")]
    UnlessTrusted,
    /// Every command runs in the sandbox without asking; the user is asked only when a command
    /// fails there and should be retried without the sandbox.
    OnFailure,
    /// The model decides when to ask; the default.
    #[default]
    OnRequest,
    /// Never ask. Failures go straight back to the model.
    Never,
}

/// What commands run by the agent may do, in the core protocol's spelling: the tag `type` is
/// kebab-case and the fields are snake_case.
///
/// Examples: `{"type":"read-only"}`,
/// `{"type":"workspace-write","writable_roots":["/data"],"network_access":false,
/// "exclude_tmpdir_env_var":false,"exclude_slash_tmp":false}`. The v2 API's camelCase twin is
/// `crate::v2::SandboxPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum SandboxPolicy {
    /// No restrictions at all. Use with care.
    DangerFullAccess,
    /// Every file may be read, none written.
    ReadOnly,
    /// Like read-only, plus write access to the workspace (the current working directory)
    /// and the listed extra roots.
    WorkspaceWrite {
        /// Extra folders (absolute paths) that commands may write to, besides the workspace and
        /// the temporary folders. Omitted on the wire when empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        writable_roots: Vec<String>,
        /// Whether commands may open outbound network connections. `false` when absent.
        #[serde(default)]
        network_access: bool,
        /// When `true`, the folder named by the `TMPDIR` environment variable is NOT writable.
        /// `false` when absent.
        #[serde(default)]
        exclude_tmpdir_env_var: bool,
        /// When `true`, `/tmp` is NOT writable (Unix). `false` when absent.
        #[serde(default)]
        exclude_slash_tmp: bool,
    },
}
