//! Command and patch events of the core [`EventMsg`](crate::v1::EventMsg) family: command start,
//! output and exit, approval requests for commands and patches, and patch application.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::v1::{FileChange, ParsedCommand, SandboxCommandAssessment};

/// A span of time as the core protocol writes it: whole seconds plus nanoseconds, e.g.
/// `{ "secs": 1, "nanos": 500000000 }` for 1.5 s.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Duration {
    /// Whole seconds.
    pub secs: u64,
    /// Nanoseconds on top of `secs` (below 1 000 000 000).
    pub nanos: u32,
}

impl From<std::time::Duration> for Duration {
    fn from(value: std::time::Duration) -> Self {
        Duration { secs: value.as_secs(), nanos: value.subsec_nanos() }
    }
}

impl From<Duration> for std::time::Duration {
    fn from(value: Duration) -> Self {
        std::time::Duration::new(value.secs, value.nanos)
    }
}

/// What started a command (core protocol spelling, snake_case).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExecCommandSource {
    /// The agent's shell tool (`"agent"`); the default.
    #[default]
    Agent,
    /// The user, through a shell escape of the client (`"user_shell"`).
    UserShell,
    /// The start of an interactive (unified exec) session (`"unified_exec_startup"`).
    UnifiedExecStartup,
    /// Input written to a running interactive session (`"unified_exec_interaction"`).
    UnifiedExecInteraction,
}

/// Which output stream a chunk of command output came from (core protocol spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExecOutputStream {
    /// Standard output (`"stdout"`).
    Stdout,
    /// Standard error (`"stderr"`).
    Stderr,
}

/// Payload of `exec_command_begin`: a command started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ExecCommandBeginEvent {
    /// Id of the command's tool call; the command's other events carry the same id.
    pub call_id: String,
    /// Id of the turn.
    pub turn_id: String,
    /// The command as an argument vector, e.g. `["bash", "-lc", "npm test"]`.
    pub command: Vec<String>,
    /// The folder the command runs in.
    pub cwd: PathBuf,
    /// The command broken down into recognised actions, for display.
    pub parsed_cmd: Vec<ParsedCommand>,
    /// What started the command; `"agent"` when absent.
    #[serde(default)]
    pub source: ExecCommandSource,
    /// For input written to an interactive session: the input. Left out of the JSON
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_input: Option<String>,
}

/// Payload of `exec_command_output_delta`: a running command produced output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ExecCommandOutputDeltaEvent {
    /// Id of the command's tool call.
    pub call_id: String,
    /// Which stream the output came from.
    pub stream: ExecOutputStream,
    /// The output bytes, base64-encoded (standard alphabet, with padding). Decode to bytes,
    /// then to text: a chunk may end in the middle of a UTF-8 character.
    pub chunk: String,
}

/// Payload of `exec_command_end`: a command exited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ExecCommandEndEvent {
    /// Id of the command's tool call.
    pub call_id: String,
    /// Id of the turn.
    pub turn_id: String,
    /// The command as an argument vector.
    pub command: Vec<String>,
    /// The folder the command ran in.
    pub cwd: PathBuf,
    /// The command broken down into recognised actions, for display.
    pub parsed_cmd: Vec<ParsedCommand>,
    /// What started the command; `"agent"` when absent.
    #[serde(default)]
    pub source: ExecCommandSource,
    /// For input written to an interactive session: the input. Left out of the JSON
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_input: Option<String>,
    /// Everything the command wrote to standard output.
    pub stdout: String,
    /// Everything the command wrote to standard error.
    pub stderr: String,
    /// Standard output and error interleaved as they were produced; `""` when absent.
    #[serde(default)]
    pub aggregated_output: String,
    /// The exit code (non-zero on failure).
    pub exit_code: i32,
    /// How long the command ran.
    pub duration: Duration,
    /// The output as the model was shown it (possibly shortened).
    pub formatted_output: String,
}

/// Payload of `exec_approval_request`: the agent asks to run a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ExecApprovalRequestEvent {
    /// Id of the command's tool call.
    pub call_id: String,
    /// Id of the turn; `""` when absent (older servers).
    #[serde(default)]
    pub turn_id: String,
    /// The command as an argument vector.
    pub command: Vec<String>,
    /// The folder the command would run in.
    pub cwd: PathBuf,
    /// Why the agent asks, for display. Left out of the JSON when no reason is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// An automatic assessment of the command's risk. Left out of the JSON when none was
    /// made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<SandboxCommandAssessment>,
    /// The command broken down into recognised actions, for display.
    pub parsed_cmd: Vec<ParsedCommand>,
}

/// Payload of `apply_patch_approval_request`: the agent asks to change files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ApplyPatchApprovalRequestEvent {
    /// Id of the patch tool call.
    pub call_id: String,
    /// Id of the turn; `""` when absent (older servers).
    #[serde(default)]
    pub turn_id: String,
    /// The changes, by path of the file they touch.
    pub changes: BTreeMap<PathBuf, FileChange>,
    /// Why the agent asks, for display. Left out of the JSON when no reason is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A folder the agent asks to be allowed to write under for the rest of the session.
    /// Left out of the JSON when it asks for nothing beyond these changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_root: Option<PathBuf>,
}

/// Payload of `patch_apply_begin`: a patch started being applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct PatchApplyBeginEvent {
    /// Id of the patch tool call.
    pub call_id: String,
    /// Id of the turn; `""` when absent (older servers).
    #[serde(default)]
    pub turn_id: String,
    /// Whether the patch is applied without asking the user (the approval policy allowed it).
    pub auto_approved: bool,
    /// The changes, by path of the file they touch.
    pub changes: BTreeMap<PathBuf, FileChange>,
}

/// Payload of `patch_apply_end`: a patch finished being applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct PatchApplyEndEvent {
    /// Id of the patch tool call.
    pub call_id: String,
    /// Id of the turn; `""` when absent (older servers).
    #[serde(default)]
    pub turn_id: String,
    /// Output of the patch tool.
    pub stdout: String,
    /// Errors of the patch tool.
    pub stderr: String,
    /// Whether every change was applied.
    pub success: bool,
    /// The changes, by path of the file they touch; empty when absent (older servers).
    #[serde(default)]
    pub changes: BTreeMap<PathBuf, FileChange>,
}
