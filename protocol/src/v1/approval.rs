//! v1 approvals: the server's `applyPatchApproval` and `execCommandApproval` requests, the
//! client's [`ReviewDecision`], and the core types they carry ([`FileChange`],
//! [`ParsedCommand`], [`SandboxCommandAssessment`]), which keep the core protocol's snake_case
//! spelling.

use std::collections::BTreeMap;
use std::path::PathBuf;

use app_server_protocol_derive::{DeserializeTagFirst, Payload};
use serde::{Deserialize, Serialize};

use crate::core_types::ConversationId;

/// Params of the `applyPatchApproval` server request: the agent wants to change files and
/// needs the user's approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApplyPatchApprovalParams {
    /// Id of the conversation.
    pub conversation_id: ConversationId,
    /// Id of the patch tool call; the `patch_apply_begin` / `patch_apply_end` events of the
    /// same change carry the same `call_id`.
    pub call_id: String,
    /// The changes, by path of the file they touch.
    pub file_changes: BTreeMap<PathBuf, FileChange>,
    /// Why the agent asks, for display (e.g. it needs write access outside the workspace);
    /// `null` when no reason is given.
    pub reason: Option<String>,
    /// A folder the agent asks to be allowed to write under for the rest of the session;
    /// `null` when it asks for nothing beyond these changes.
    pub grant_root: Option<PathBuf>,
}

/// The client's answer to `applyPatchApproval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApplyPatchApprovalResponse {
    /// The user's decision.
    pub decision: ReviewDecision,
}

/// Params of the `execCommandApproval` server request: the agent wants to run a command and
/// needs the user's approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExecCommandApprovalParams {
    /// Id of the conversation.
    pub conversation_id: ConversationId,
    /// Id of the command's tool call; the `exec_command_begin` / `exec_command_end` events of
    /// the same command carry the same `call_id`.
    pub call_id: String,
    /// The command as an argument vector, e.g. `["bash", "-lc", "npm test"]`.
    pub command: Vec<String>,
    /// The folder the command would run in.
    pub cwd: PathBuf,
    /// Why the agent asks, for display (e.g. it needs network access); `null` when no reason
    /// is given.
    pub reason: Option<String>,
    /// An automatic assessment of the command's risk; `null` when none was made.
    pub risk: Option<SandboxCommandAssessment>,
    /// The command broken down into recognised actions (read a file, list files, search …),
    /// for a friendlier display.
    pub parsed_cmd: Vec<ParsedCommand>,
}

/// The client's answer to `execCommandApproval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct ExecCommandApprovalResponse {
    /// The user's decision.
    pub decision: ReviewDecision,
}

/// The user's decision on a v1 approval request (core protocol spelling, snake_case).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Allow this once (`"approved"`).
    Approved,
    /// Allow this and identical requests for the rest of the session
    /// (`"approved_for_session"`).
    ApprovedForSession,
    /// Refuse; the agent is told and carries on with the turn (`"denied"`). The default.
    #[default]
    Denied,
    /// Refuse and stop the turn (`"abort"`).
    Abort,
}

/// A change to one file, tagged by `type` (core protocol spelling, snake_case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FileChange {
    /// A new file: `{ "type": "add", "content": "…" }`.
    Add {
        /// The new file's full content.
        content: String,
    },
    /// A deleted file: `{ "type": "delete", "content": "…" }`.
    Delete {
        /// The deleted file's content.
        content: String,
    },
    /// An edited (and possibly renamed) file:
    /// `{ "type": "update", "unified_diff": "…", "move_path": null }`.
    Update {
        /// The edit as a unified diff.
        unified_diff: String,
        /// The file's new path when it is also moved; `null` when it stays where it is.
        move_path: Option<PathBuf>,
    },
}

/// One recognised action of a shell command, tagged by `type` (core protocol spelling,
/// snake_case). Lets a client show "Read foo.rs" instead of a raw command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParsedCommand {
    /// Reads a file: `{ "type": "read", "cmd": "cat foo.rs", "name": "foo.rs", "path": "foo.rs" }`.
    Read {
        /// The part of the command line that does this.
        cmd: String,
        /// The file's name, for display.
        name: String,
        /// The file's path as written in the command.
        path: PathBuf,
    },
    /// Lists files: `{ "type": "list_files", "cmd": "ls src", "path": "src" }`.
    ListFiles {
        /// The part of the command line that does this.
        cmd: String,
        /// The listed folder; `null` for the working directory.
        path: Option<String>,
    },
    /// Searches file contents or names:
    /// `{ "type": "search", "cmd": "rg foo", "query": "foo", "path": null }`.
    Search {
        /// The part of the command line that does this.
        cmd: String,
        /// The search pattern; `null` when none was recognised.
        query: Option<String>,
        /// The searched folder or file; `null` for the working directory.
        path: Option<String>,
    },
    /// Anything else: `{ "type": "unknown", "cmd": "make" }`.
    Unknown {
        /// The part of the command line.
        cmd: String,
    },
}

/// An automatic assessment of a command's risk, shown with an approval request. Keys are
/// snake_case on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct SandboxCommandAssessment {
    /// A short explanation of what the command does and why it may be risky.
    pub description: String,
    /// How risky the command is judged to be.
    pub risk_level: SandboxRiskLevel,
}

/// How risky a command is judged to be (core protocol spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SandboxRiskLevel {
    /// Little can go wrong (`"low"`).
    Low,
    /// Worth a look (`"medium"`).
    Medium,
    /// Could cause damage or leak data (`"high"`).
    High,
}
