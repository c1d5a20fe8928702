//! Reading and writing the user's configuration: `config/read`, `config/value/write` and
//! `config/batchWrite`, with the [`Config`] mirror of the config file, the layers the
//! effective config is merged from, and the write error codes.
//!
//! Key paths (`keyPath`, the keys of `origins`) are dotted paths of TOML keys, e.g.
//! `"model"`, `"profiles.work.model"`; a segment containing `.`, spaces or quotes is written as
//! a TOML quoted key: `mcp_servers."my.server".command`.
//!
//! Versions (`version`, `expectedVersion`) are opaque strings that change whenever a file's
//! bytes change (e.g. `"sha256:<hex>"` of the content). Pass the version you read as
//! `expectedVersion` to make a write fail with `configVersionConflict` if the file changed in
//! between.

use std::collections::BTreeMap;

use app_server_protocol_derive::{DeserializeTagFirst, Payload};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core_types::{
    AskForApproval, ForcedLoginMethod, ReasoningEffort, ReasoningSummary, SandboxMode, Verbosity,
};

/// Params of `config/read`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigReadParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigReadParams {
    /// When `true`, the response also lists every layer the config was merged from
    /// (`layers`). Omit (or `null`, `false`) to get `layers: null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_layers: Option<bool>,
    /// The folder whose project config (`.codex/` folders up to the repository root) takes
    /// part in the merge, as an absolute path. Omit (or `null`) for the server's working
    /// directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
}

/// Result of `config/read`: the effective configuration and where each value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigReadResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigReadResponse {
    /// The effective configuration, after merging every layer.
    pub config: Config,
    /// For every key path set by some layer, the layer whose value won, e.g.
    /// `{"model": {"name": {"type": "user", "file": "/home/ada/.codex/config.toml"},
    /// "version": "sha256:…"}}`.
    pub origins: BTreeMap<String, ConfigLayerMetadata>,
    /// Every layer, from lowest to highest precedence; `null` unless `includeLayers` was
    /// `true`.
    pub layers: Option<Vec<ConfigLayer>>,
}

/// The effective configuration, mirroring the user's config file (`config.toml`).
///
/// Because it mirrors the file, its keys are **snake_case** and its values use the file's
/// spellings (`"approval_policy": "on-request"`, `"sandbox_mode": "workspace-write"`), not the
/// camelCase spellings of the rest of v2. The keys below are typed; each is `null` when not set
/// and always present on output. Every other key of the file (e.g. `mcp_servers`,
/// `model_providers`, `notify`) is kept unchanged as an extra member of the same object; see
/// [`Config::other`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.Config"))]
pub struct Config {
    /// The model to use, e.g. `"gpt-5-codex"`; `null` when none is configured (normal: the
    /// server then uses its default model, the one `model/list` marks `isDefault`).
    pub model: Option<String>,
    /// The model used for code reviews; `null` when not set.
    pub review_model: Option<String>,
    /// The id of the model provider (a key of `model_providers`), e.g. `"openai"`; `null` when
    /// not set.
    pub model_provider: Option<String>,
    /// When to ask the user before running commands; `null` when not set.
    pub approval_policy: Option<AskForApproval>,
    /// The sandbox commands run in; `null` when not set.
    pub sandbox_mode: Option<SandboxMode>,
    /// Settings of the `workspace-write` sandbox mode; `null` when not set.
    pub sandbox_workspace_write: Option<SandboxWorkspaceWrite>,
    /// The name of the active profile (a key of `profiles`); `null` when none.
    pub profile: Option<String>,
    /// Named sets of settings that override the top-level ones when active, keyed by profile
    /// name; `null` when the file defines none.
    pub profiles: Option<BTreeMap<String, ConfigProfile>>,
    /// The reasoning effort to request; `null` when not set.
    pub model_reasoning_effort: Option<ReasoningEffort>,
    /// The reasoning summary level to request; `null` when not set.
    pub model_reasoning_summary: Option<ReasoningSummary>,
    /// The answer verbosity to request; `null` when not set.
    pub model_verbosity: Option<Verbosity>,
    /// The only ChatGPT workspace id allowed to log in; `null` when not restricted.
    pub forced_chatgpt_workspace_id: Option<String>,
    /// The only login method allowed; `null` when not restricted.
    pub forced_login_method: Option<ForcedLoginMethod>,
    /// Instructions that replace the built-in base instructions; `null` when not set.
    pub instructions: Option<String>,
    /// Extra developer instructions added to every thread; `null` when not set.
    pub developer_instructions: Option<String>,
    /// The prompt used when compacting a thread's context; `null` for the built-in one.
    pub compact_prompt: Option<String>,
    /// Which optional tools the model may use; `null` when not set.
    pub tools: Option<ToolsConfig>,
    /// Every other key of the config file, with its value as JSON, unchanged. On the wire
    /// these are extra members of the config object itself (not a nested object); the keys
    /// are the file's keys. Must not repeat a typed key.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A named profile of the config file (`[profiles.<name>]`): settings that override the
/// top-level ones while the profile is active. snake_case keys and file spellings, like
/// [`Config`].
///
/// Choice: a v2 type of its own rather than the v1 `Profile`, because v1 spells these keys in
/// camelCase while the config file (which [`Config`] mirrors) spells them in snake_case.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigProfile"))]
pub struct ConfigProfile {
    /// The model to use; `null` when the profile does not set it.
    pub model: Option<String>,
    /// The model provider id; `null` when the profile does not set it.
    pub model_provider: Option<String>,
    /// When to ask before running commands; `null` when the profile does not set it.
    pub approval_policy: Option<AskForApproval>,
    /// The reasoning effort; `null` when the profile does not set it.
    pub model_reasoning_effort: Option<ReasoningEffort>,
    /// The reasoning summary level; `null` when the profile does not set it.
    pub model_reasoning_summary: Option<ReasoningSummary>,
    /// The answer verbosity; `null` when the profile does not set it.
    pub model_verbosity: Option<Verbosity>,
    /// The ChatGPT backend base URL; `null` when the profile does not set it.
    pub chatgpt_base_url: Option<String>,
    /// Every other key of the profile, unchanged, as extra members of the same object.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// Settings of the `workspace-write` sandbox mode (`[sandbox_workspace_write]` in the file).
///
/// Choice: a v2 type of its own rather than the v1 `SandboxSettings` (camelCase keys), so that
/// the keys match the file's snake_case.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.SandboxWorkspaceWrite"))]
pub struct SandboxWorkspaceWrite {
    /// Extra folders (absolute paths) commands may write to; `[]` when not set.
    #[serde(default)]
    pub writable_roots: Vec<String>,
    /// Whether commands may use the network; `null` when not set (no network).
    pub network_access: Option<bool>,
    /// When `true`, `$TMPDIR` is not writable; `null` when not set.
    pub exclude_tmpdir_env_var: Option<bool>,
    /// When `true`, `/tmp` is not writable; `null` when not set.
    pub exclude_slash_tmp: Option<bool>,
    /// Every other key of the table, unchanged, as extra members of the same object.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// The `[tools]` table of the config file: optional tools the model may use.
///
/// Choice: a v2 type of its own rather than the v1 `Tools` (camelCase keys), so that the keys
/// match the file's snake_case.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ToolsConfig"))]
pub struct ToolsConfig {
    /// Whether the model may search the web; `null` when not set.
    pub web_search: Option<bool>,
    /// Whether the model may look at local images; `null` when not set.
    pub view_image: Option<bool>,
    /// Every other key of the table, unchanged, as extra members of the same object.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// Which layer a config value comes from, and the version of that layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigLayerMetadata"))]
#[serde(rename_all = "camelCase")]
pub struct ConfigLayerMetadata {
    /// The layer.
    pub name: ConfigLayerSource,
    /// The layer's version (opaque; changes whenever its content changes).
    pub version: String,
}

/// One layer of the configuration, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigLayer"))]
#[serde(rename_all = "camelCase")]
pub struct ConfigLayer {
    /// The layer.
    pub name: ConfigLayerSource,
    /// The layer's version (opaque; changes whenever its content changes).
    pub version: String,
    /// The layer's own content, as JSON with the file's keys (an object).
    pub config: Value,
}

/// Where a config layer comes from. Tagged by `type`; layers listed from lowest to highest
/// precedence: system, user, project, session flags (MDM-managed values sit where the
/// administrator's platform puts them).
///
/// Examples: `{"type":"user","file":"/home/ada/.codex/config.toml"}`,
/// `{"type":"project","dotCodexFolder":"/repo/.codex"}`, `{"type":"sessionFlags"}`,
/// `{"type":"mdm","domain":"com.example.codex","key":"config_toml"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigLayerSource"))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ConfigLayerSource {
    /// The machine-wide config file (`type: "system"`).
    System {
        /// The file's absolute path.
        file: String,
    },
    /// The user's config file (`type: "user"`); the default target of writes.
    User {
        /// The file's absolute path, e.g. `"/home/ada/.codex/config.toml"`.
        file: String,
    },
    /// A project's `.codex` folder (`type: "project"`).
    #[serde(rename_all = "camelCase")]
    Project {
        /// The `.codex` folder's absolute path, e.g. `"/repo/.codex"`.
        dot_codex_folder: String,
    },
    /// Overrides given on the command line or by the client for this session
    /// (`type: "sessionFlags"`); read-only.
    SessionFlags,
    /// Values managed by a device administrator (MDM) (`type: "mdm"`); read-only.
    Mdm {
        /// The managed preferences domain, e.g. `"com.example.codex"`.
        domain: String,
        /// The key within that domain.
        key: String,
    },
}

/// Params of `config/value/write`: set one value in a config file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigValueWriteParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigValueWriteParams {
    /// The dotted key path to write, e.g. `"model"` or `"profiles.work.model"`.
    pub key_path: String,
    /// The value to write, as JSON (any value).
    pub value: Value,
    /// How to combine the value with what is there.
    pub merge_strategy: MergeStrategy,
    /// The config file to write. Omit (or `null`) to write the user's config file, so no
    /// `config/read` is needed first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// The file version the edit is based on. When given and the file has changed since,
    /// the write fails with `configVersionConflict`. Omit (or `null`) to write regardless.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<String>,
}

/// Params of `config/batchWrite`: apply several edits to one config file, all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigBatchWriteParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigBatchWriteParams {
    /// The edits, applied in order.
    pub edits: Vec<ConfigEdit>,
    /// The config file to write. Omit (or `null`) to write the user's config file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// The file version the edits are based on; see `expectedVersion` of
    /// [`ConfigValueWriteParams`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<String>,
}

/// One edit of a `config/batchWrite`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigEdit"))]
#[serde(rename_all = "camelCase")]
pub struct ConfigEdit {
    /// The dotted key path to write.
    pub key_path: String,
    /// The value to write, as JSON (any value).
    pub value: Value,
    /// How to combine the value with what is there.
    pub merge_strategy: MergeStrategy,
}

/// How a written value combines with the value already at the key path.
///
/// Wire values: `"replace"`, `"upsert"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.MergeStrategy"))]
#[serde(rename_all = "camelCase")]
pub enum MergeStrategy {
    /// The new value replaces the old one entirely.
    Replace,
    /// Tables are merged key by key (new keys added, existing keys overwritten, other keys
    /// kept); other values are replaced.
    Upsert,
}

/// Result of `config/value/write` and `config/batchWrite`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigWriteResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigWriteResponse {
    /// Whether the written value is now the effective one.
    pub status: ConfigWriteStatus,
    /// The file's new version.
    pub version: String,
    /// The absolute path of the file that was written.
    pub file_path: String,
    /// Which layer overrides the written value; `null` unless `status` is `okOverridden`.
    pub overridden_metadata: Option<OverriddenMetadata>,
}

/// Outcome of a successful config write.
///
/// Wire values: `"ok"`, `"okOverridden"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigWriteStatus"))]
#[serde(rename_all = "camelCase")]
pub enum ConfigWriteStatus {
    /// Written, and effective.
    Ok,
    /// Written, but a higher-precedence layer sets the same key, so the effective value is
    /// another one (see `overriddenMetadata`).
    OkOverridden,
}

/// Why a written value is not the effective one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.OverriddenMetadata"))]
#[serde(rename_all = "camelCase")]
pub struct OverriddenMetadata {
    /// A sentence to show the user, e.g. `"model is overridden by the project config"`.
    pub message: String,
    /// The layer whose value wins.
    pub overriding_layer: ConfigLayerMetadata,
    /// The value in effect, as JSON (any value).
    pub effective_value: Value,
}

/// Why a config write failed. Sent as `error.data.configWriteErrorCode` of a JSON-RPC error
/// with code -32600.
///
/// Wire values: `"configLayerReadonly"`, `"configVersionConflict"`, `"configValidationError"`,
/// `"configPathNotFound"`, `"configSchemaUnknownKey"`, `"userLayerNotFound"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigWriteErrorCode"))]
#[serde(rename_all = "camelCase")]
pub enum ConfigWriteErrorCode {
    /// The target layer cannot be written (e.g. system or MDM-managed config).
    ConfigLayerReadonly,
    /// The file changed since `expectedVersion` was read; read it again and retry.
    ConfigVersionConflict,
    /// The result would not be a valid config (wrong type or value for a key).
    ConfigValidationError,
    /// The key path or the file does not exist where it must.
    ConfigPathNotFound,
    /// The key path names a key the config does not know.
    ConfigSchemaUnknownKey,
    /// There is no user config layer to write to.
    UserLayerNotFound,
}

impl ConfigWriteErrorCode {
    /// The wire string, e.g. `"configVersionConflict"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigWriteErrorCode::ConfigLayerReadonly => "configLayerReadonly",
            ConfigWriteErrorCode::ConfigVersionConflict => "configVersionConflict",
            ConfigWriteErrorCode::ConfigValidationError => "configValidationError",
            ConfigWriteErrorCode::ConfigPathNotFound => "configPathNotFound",
            ConfigWriteErrorCode::ConfigSchemaUnknownKey => "configSchemaUnknownKey",
            ConfigWriteErrorCode::UserLayerNotFound => "userLayerNotFound",
        }
    }
}

/// The `data` of the JSON-RPC error (code -32600) a failed config write answers with, e.g.
/// `{"configWriteErrorCode": "configVersionConflict"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ConfigWriteErrorData"))]
#[serde(rename_all = "camelCase")]
pub struct ConfigWriteErrorData {
    /// Why the write failed.
    pub config_write_error_code: ConfigWriteErrorCode,
}

impl From<ConfigWriteErrorCode> for ConfigWriteErrorData {
    fn from(config_write_error_code: ConfigWriteErrorCode) -> Self {
        ConfigWriteErrorData { config_write_error_code }
    }
}
