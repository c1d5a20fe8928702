//! v1 configuration: `getUserSavedConfig` (the user's saved config file, as typed settings) and
//! `setDefaultModel`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::{
    AskForApproval, ForcedLoginMethod, ReasoningEffort, ReasoningSummary, SandboxMode, Verbosity,
};

/// Result of `getUserSavedConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetUserSavedConfigResponse {
    /// The settings saved in the user's config file.
    pub config: UserSavedConfig,
}

/// The settings of the user's config file that v1 clients read. Each is `null` when the file
/// does not set it (the server's default then applies).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserSavedConfig {
    /// When the agent must ask before running commands.
    pub approval_policy: Option<AskForApproval>,
    /// The sandbox mode for commands.
    pub sandbox_mode: Option<SandboxMode>,
    /// Settings of the `workspace-write` sandbox mode.
    pub sandbox_settings: Option<SandboxSettings>,
    /// Restricts ChatGPT logins to this workspace id.
    pub forced_chatgpt_workspace_id: Option<String>,
    /// Restricts how the user may sign in.
    pub forced_login_method: Option<ForcedLoginMethod>,
    /// The default model, e.g. `"gpt-5.1-codex"`.
    pub model: Option<String>,
    /// The default reasoning effort.
    pub model_reasoning_effort: Option<ReasoningEffort>,
    /// The default reasoning summary setting.
    pub model_reasoning_summary: Option<ReasoningSummary>,
    /// The default output verbosity.
    pub model_verbosity: Option<Verbosity>,
    /// Optional tools switched on or off.
    pub tools: Option<Tools>,
    /// The profile selected by default.
    pub profile: Option<String>,
    /// Named profiles of the config file, by name (empty object when there are none).
    pub profiles: BTreeMap<String, Profile>,
}

/// A named set of settings in the user's config file, applied on top of the top-level
/// settings when selected. Each field is `null` when the profile does not set it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The model.
    pub model: Option<String>,
    /// Id of the model provider, e.g. `"openai"`.
    pub model_provider: Option<String>,
    /// When the agent must ask before running commands.
    pub approval_policy: Option<AskForApproval>,
    /// The reasoning effort.
    pub model_reasoning_effort: Option<ReasoningEffort>,
    /// The reasoning summary setting.
    pub model_reasoning_summary: Option<ReasoningSummary>,
    /// The output verbosity.
    pub model_verbosity: Option<Verbosity>,
    /// Base URL of the ChatGPT backend.
    pub chatgpt_base_url: Option<String>,
}

/// Optional tools of the config file. Each is `null` when the file does not set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Tools {
    /// Whether the model may search the web.
    pub web_search: Option<bool>,
    /// Whether the model may look at local images.
    pub view_image: Option<bool>,
}

/// Settings of the `workspace-write` sandbox mode in the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SandboxSettings {
    /// Extra folders commands may write to, besides the working directory (empty when none;
    /// read as empty when absent).
    #[serde(default)]
    pub writable_roots: Vec<PathBuf>,
    /// Whether commands may use the network; `null` when not set.
    pub network_access: Option<bool>,
    /// Whether the folder in `$TMPDIR` is left out of the writable folders; `null` when not
    /// set.
    pub exclude_tmpdir_env_var: Option<bool>,
    /// Whether `/tmp` is left out of the writable folders; `null` when not set.
    pub exclude_slash_tmp: Option<bool>,
}

/// Params of `setDefaultModel`: writes the default model and reasoning effort into the user's
/// config file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SetDefaultModelParams {
    /// The model to make the default; `null` removes the setting.
    pub model: Option<String>,
    /// The reasoning effort to make the default; `null` removes the setting.
    pub reasoning_effort: Option<ReasoningEffort>,
}

/// Result of `setDefaultModel`: an empty object, sent once the config file is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SetDefaultModelResponse {}
