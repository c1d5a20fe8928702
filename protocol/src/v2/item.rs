//! Thread items: the pieces a turn is made of (user and agent messages, reasoning, commands,
//! file changes, MCP tool calls, web searches, to-do lists, image views, code reviews), the
//! user's input ([`UserInput`]), and the `item/*` notifications that stream them.
//!
//! The parts of command, file-change and MCP tool-call items live in `item_detail.rs`.

use app_server_protocol_derive::{DeserializeTagFirst, Payload};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::UnknownVariant;

use super::{
    CommandAction, CommandExecutionStatus, FileUpdateChange, McpToolCallError, McpToolCallResult,
    McpToolCallStatus, PatchApplyStatus,
};

/// One item of a turn. Tagged by `type`; every item has an `id` unique within its thread.
///
/// An item is announced by `item/started` (in its initial state), may be updated by delta
/// notifications (`item/agentMessage/delta`, `item/commandExecution/outputDelta` …), and ends
/// with `item/completed` carrying its final state.
///
/// Example: `{"type":"agentMessage","id":"item-7","text":"Done: all tests pass."}`.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadItem"))]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ThreadItem {
    /// A message the user sent (the input of `turn/start`).
    #[serde(rename_all = "camelCase")]
    UserMessage {
        /// The item's id.
        id: String,
        /// What the user sent: text and images, in order.
        content: Vec<UserInput>,
    },
    /// A message from the agent to the user (Markdown text).
    #[serde(rename_all = "camelCase")]
    AgentMessage {
        /// The item's id.
        id: String,
        /// The message text (Markdown). While the item is running, the text grows through
        /// `item/agentMessage/delta` notifications.
        text: String,
    },
    /// The model's reasoning: summaries for display and, when enabled, the raw reasoning text.
    #[serde(rename_all = "camelCase")]
    Reasoning {
        /// The item's id.
        id: String,
        /// The reasoning summary, one string per summary part (Markdown). Empty when the model
        /// gave no summary.
        #[serde(default)]
        summary: Vec<String>,
        /// The raw reasoning text, one string per part; empty unless the server is configured
        /// to show raw reasoning.
        #[serde(default)]
        content: Vec<String>,
    },
    /// A shell command the agent ran (or asked to run).
    #[serde(rename_all = "camelCase")]
    CommandExecution {
        /// The item's id.
        id: String,
        /// The command line, as the user would type it, e.g. `"cargo test -p core"`.
        command: String,
        /// The working directory of the command (absolute path).
        cwd: String,
        /// Whether the command is running, finished, failed or was declined.
        status: CommandExecutionStatus,
        /// What the command does, as far as the agent could tell (read a file, list files,
        /// search …), for a compact display. Empty when unknown.
        command_actions: Vec<CommandAction>,
        /// The command's combined stdout and stderr; `null` while it runs (output is streamed
        /// with `item/commandExecution/outputDelta`) or when there was none.
        aggregated_output: Option<String>,
        /// The command's exit code; `null` while it runs or when it never started.
        exit_code: Option<i32>,
        /// How long the command ran, in milliseconds; `null` while it runs or when it never
        /// started.
        duration_ms: Option<i64>,
    },
    /// A set of file changes (a patch) the agent made or proposed.
    #[serde(rename_all = "camelCase")]
    FileChange {
        /// The item's id.
        id: String,
        /// The changed files.
        changes: Vec<FileUpdateChange>,
        /// Whether the patch is being applied, was applied, failed or was declined.
        status: PatchApplyStatus,
    },
    /// A call of a tool on an MCP server.
    #[serde(rename_all = "camelCase")]
    McpToolCall {
        /// The item's id.
        id: String,
        /// The MCP server's name, as configured.
        server: String,
        /// The tool's name on that server.
        tool: String,
        /// Whether the call is running, completed or failed.
        status: McpToolCallStatus,
        /// The arguments passed to the tool (any JSON, usually an object).
        arguments: Value,
        /// The tool's result; `null` until the call completes, and when it failed.
        result: Option<McpToolCallResult>,
        /// Why the call failed; `null` unless `status` is `"failed"`.
        error: Option<McpToolCallError>,
    },
    /// A web search the agent ran.
    #[serde(rename_all = "camelCase")]
    WebSearch {
        /// The item's id.
        id: String,
        /// The search query.
        query: String,
    },
    /// The agent's to-do list (its plan), updated as it works.
    #[serde(rename_all = "camelCase")]
    TodoList {
        /// The item's id.
        id: String,
        /// The entries, in order.
        items: Vec<TodoItem>,
    },
    /// The agent looked at an image file.
    #[serde(rename_all = "camelCase")]
    ImageView {
        /// The item's id.
        id: String,
        /// The image file (absolute path on the server's machine).
        path: String,
    },
    /// The result of a code review (`review/start`).
    #[serde(rename_all = "camelCase")]
    CodeReview {
        /// The item's id.
        id: String,
        /// The review, as text (Markdown).
        review: String,
    },
    /// An item of a kind this crate does not know — a newer server's (e.g. 0.66's
    /// `enteredReviewMode`) — kept whole, every member as it came; written back unchanged.
    /// The union is open: show such an item generically or skip it, but keep the message.
    #[serde(untagged)]
    #[tag_first(other)]
    #[cfg_attr(feature = "codegen", ts(skip))]
    #[cfg_attr(feature = "codegen", schemars(skip))]
    Unknown(UnknownVariant),
}

impl ThreadItem {
    /// The item's id, whatever its kind.
    pub fn id(&self) -> &str {
        match self {
            ThreadItem::UserMessage { id, .. }
            | ThreadItem::AgentMessage { id, .. }
            | ThreadItem::Reasoning { id, .. }
            | ThreadItem::CommandExecution { id, .. }
            | ThreadItem::FileChange { id, .. }
            | ThreadItem::McpToolCall { id, .. }
            | ThreadItem::WebSearch { id, .. }
            | ThreadItem::TodoList { id, .. }
            | ThreadItem::ImageView { id, .. }
            | ThreadItem::CodeReview { id, .. } => id,
            ThreadItem::Unknown(item) => item.0.get("id").and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// The item's `type` as on the wire (`"agentMessage"`, or an unknown item's own).
    pub fn item_type(&self) -> &str {
        match self {
            ThreadItem::UserMessage { .. } => "userMessage",
            ThreadItem::AgentMessage { .. } => "agentMessage",
            ThreadItem::Reasoning { .. } => "reasoning",
            ThreadItem::CommandExecution { .. } => "commandExecution",
            ThreadItem::FileChange { .. } => "fileChange",
            ThreadItem::McpToolCall { .. } => "mcpToolCall",
            ThreadItem::WebSearch { .. } => "webSearch",
            ThreadItem::TodoList { .. } => "todoList",
            ThreadItem::ImageView { .. } => "imageView",
            ThreadItem::CodeReview { .. } => "codeReview",
            ThreadItem::Unknown(item) => item.tag("type").unwrap_or(""),
        }
    }
}

/// One piece of user input. Tagged by `type`.
///
/// Examples: `{"type":"text","text":"Fix the failing test"}`,
/// `{"type":"image","url":"data:image/png;base64,iVBORw0…"}`,
/// `{"type":"localImage","path":"/home/me/screenshot.png"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.UserInput"))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum UserInput {
    /// Text typed by the user.
    #[serde(rename_all = "camelCase")]
    Text {
        /// The text.
        text: String,
    },
    /// An image given by URL (an `https:` URL or a `data:` URL with the image inline).
    #[serde(rename_all = "camelCase")]
    Image {
        /// The image's URL.
        url: String,
    },
    /// An image file on the server's machine; the server reads and attaches it.
    #[serde(rename_all = "camelCase")]
    LocalImage {
        /// The image file's path (absolute, or relative to the thread's working directory).
        path: String,
    },
}

/// One entry of the agent's to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.TodoItem"))]
#[serde(rename_all = "camelCase")]
pub struct TodoItem {
    /// The entry's id, stable while the list is updated.
    pub id: String,
    /// What is to be done, e.g. `"Add a regression test"`.
    pub text: String,
    /// Whether the entry is done.
    pub completed: bool,
}

/// Params of the `item/started` notification: an item began.
///
/// `threadId` and `turnId` are required in both directions, so that clients running several
/// threads at once can route the item; a notification without them is rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ItemStartedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemStartedNotification {
    /// The item in its initial state.
    pub item: ThreadItem,
    /// The thread the item belongs to.
    pub thread_id: String,
    /// The turn the item belongs to.
    pub turn_id: String,
}

/// Params of the `item/completed` notification: an item finished. This carries the item's
/// final state, which replaces whatever the client accumulated from deltas.
///
/// `threadId` and `turnId` are required in both directions; a notification without them is
/// rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ItemCompletedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemCompletedNotification {
    /// The item in its final state.
    pub item: ThreadItem,
    /// The thread the item belongs to.
    pub thread_id: String,
    /// The turn the item belongs to.
    pub turn_id: String,
}

/// Params of `item/agentMessage/delta`: more text of a running agent message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.AgentMessageDeltaNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AgentMessageDeltaNotification {
    /// The `agentMessage` item the text belongs to.
    pub item_id: String,
    /// The text to append.
    pub delta: String,
}

/// Params of `item/commandExecution/outputDelta`: more output of a running command.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandExecutionOutputDeltaNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommandExecutionOutputDeltaNotification {
    /// The `commandExecution` item the output belongs to.
    pub item_id: String,
    /// The output to append (stdout and stderr interleaved, as text).
    pub delta: String,
}

/// Params of `item/mcpToolCall/progress`: a progress message from a running MCP tool call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.McpToolCallProgressNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct McpToolCallProgressNotification {
    /// The `mcpToolCall` item the message belongs to.
    pub item_id: String,
    /// The progress message, for display (replaces the previous one).
    pub message: String,
}

/// Params of `item/reasoning/summaryTextDelta`: more text of one part of a reasoning summary.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReasoningSummaryTextDeltaNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReasoningSummaryTextDeltaNotification {
    /// The `reasoning` item the text belongs to.
    pub item_id: String,
    /// The text to append.
    pub delta: String,
    /// Which summary part the text belongs to (0-based index into the item's `summary`).
    pub summary_index: i64,
}

/// Params of `item/reasoning/summaryPartAdded`: a new part of a reasoning summary started.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReasoningSummaryPartAddedNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReasoningSummaryPartAddedNotification {
    /// The `reasoning` item the part belongs to.
    pub item_id: String,
    /// The new part's 0-based index into the item's `summary`.
    pub summary_index: i64,
}

/// Params of `item/reasoning/textDelta`: more raw reasoning text (only sent when the server is
/// configured to show raw reasoning).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReasoningTextDeltaNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReasoningTextDeltaNotification {
    /// The `reasoning` item the text belongs to.
    pub item_id: String,
    /// The text to append.
    pub delta: String,
    /// Which content part the text belongs to (0-based index into the item's `content`).
    pub content_index: i64,
}
