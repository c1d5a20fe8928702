//! The parts of the richer thread items: what a command does ([`CommandAction`]) and its
//! [`CommandExecutionStatus`], the files of a patch ([`FileUpdateChange`], [`PatchChangeKind`],
//! [`PatchApplyStatus`]), and the state, result and error of an MCP tool call.

use app_server_protocol_derive::DeserializeTagFirst;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::UnknownVariant;
use crate::core_types::ContentBlock;

/// What a shell command does, as parsed by the agent, so that clients can show it compactly
/// ("Read `src/main.rs`" rather than the raw command). Tagged by `type`.
///
/// Examples: `{"type":"read","command":"cat src/main.rs","name":"main.rs","path":"src/main.rs"}`,
/// `{"type":"search","command":"rg -n todo src","query":"todo","path":"src"}`,
/// `{"type":"unknown","command":"make release"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandAction"))]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CommandAction {
    /// Reads a file.
    #[serde(rename_all = "camelCase")]
    Read {
        /// The part of the command line that does this.
        command: String,
        /// The file's name, for display, e.g. `"main.rs"`.
        name: String,
        /// The file's path as given in the command.
        path: String,
    },
    /// Lists files.
    #[serde(rename_all = "camelCase")]
    ListFiles {
        /// The part of the command line that does this.
        command: String,
        /// The folder listed; `null` when the command lists the working directory.
        path: Option<String>,
    },
    /// Searches file contents or names.
    #[serde(rename_all = "camelCase")]
    Search {
        /// The part of the command line that does this.
        command: String,
        /// What is searched for; `null` when it could not be determined.
        query: Option<String>,
        /// Where the search looks; `null` when it is the working directory.
        path: Option<String>,
    },
    /// Anything else.
    #[serde(rename_all = "camelCase")]
    Unknown {
        /// The command line.
        command: String,
    },
    /// An action of a kind this crate does not know (a newer server's), kept whole. The union
    /// is open: the item around it is not lost.
    #[serde(untagged)]
    #[tag_first(other)]
    #[cfg_attr(feature = "codegen", ts(skip))]
    #[cfg_attr(feature = "codegen", schemars(skip))]
    Other(UnknownVariant),
}

/// The state of a `commandExecution` item.
///
/// Wire values: `"inProgress"`, `"completed"`, `"failed"`, `"declined"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandExecutionStatus"))]
#[serde(rename_all = "camelCase")]
pub enum CommandExecutionStatus {
    /// The command is running (or waiting for approval).
    InProgress,
    /// The command ran and exited with code 0.
    Completed,
    /// The command failed: non-zero exit code, or it could not be run.
    Failed,
    /// The user declined to run the command.
    Declined,
}

/// One file of a patch.
///
/// Example: `{"path":"src/lib.rs","kind":{"type":"update","move_path":null},
/// "diff":"@@ -1 +1 @@\n-old\n+new\n"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.FileUpdateChange"))]
#[serde(rename_all = "camelCase")]
pub struct FileUpdateChange {
    /// The file's path.
    pub path: String,
    /// Whether the file is added, deleted or updated (and possibly moved).
    pub kind: PatchChangeKind,
    /// The change as a unified diff; for an added file, its full content.
    pub diff: String,
}

/// How a patch changes a file. Tagged by `type`.
///
/// Examples: `{"type":"add"}`, `{"type":"delete"}`,
/// `{"type":"update","move_path":"src/new_name.rs"}`. Note the snake_case key `move_path`: it
/// predates the camelCase rule of v2 and is kept so as not to break existing clients.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.PatchChangeKind"))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PatchChangeKind {
    /// The file is created.
    Add,
    /// The file is deleted.
    Delete,
    /// The file's content changes, and it may also be moved.
    Update {
        /// The file's new path when it is moved (renamed); `null` when it stays in place.
        move_path: Option<String>,
    },
}

/// The state of a `fileChange` item.
///
/// Wire values: `"inProgress"`, `"completed"`, `"failed"`, `"declined"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.PatchApplyStatus"))]
#[serde(rename_all = "camelCase")]
pub enum PatchApplyStatus {
    /// The patch is being applied (or waiting for approval).
    InProgress,
    /// The patch was applied.
    Completed,
    /// Applying the patch failed.
    Failed,
    /// The user declined the patch.
    Declined,
}

/// The state of an `mcpToolCall` item.
///
/// Wire values: `"inProgress"`, `"completed"`, `"failed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpToolCallStatus"))]
#[serde(rename_all = "camelCase")]
pub enum McpToolCallStatus {
    /// The call is running.
    InProgress,
    /// The call returned a result.
    Completed,
    /// The call failed; the item's `error` says why.
    Failed,
}

/// What an MCP tool returned.
///
/// Example: `{"content":[{"type":"text","text":"3 issues found"}],"structuredContent":null}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpToolCallResult"))]
#[serde(rename_all = "camelCase")]
pub struct McpToolCallResult {
    /// The result's content blocks (text, images, audio, resources), in MCP format.
    pub content: Vec<ContentBlock>,
    /// The tool's structured (JSON) result, when it has an output schema; `null` otherwise.
    pub structured_content: Option<Value>,
}

/// Why an MCP tool call failed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpToolCallError"))]
#[serde(rename_all = "camelCase")]
pub struct McpToolCallError {
    /// A human-readable description of the failure.
    pub message: String,
}
