//! Message and reasoning events of the core [`EventMsg`](crate::v1::EventMsg) family: agent
//! and user messages, streamed deltas, reasoning summaries and raw reasoning, raw response
//! items, web searches and image views.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core_types::ResponseItem;

/// Payload of `agent_message`: a complete message from the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentMessageEvent {
    /// The message text (Markdown).
    pub message: String,
}

/// Payload of `user_message`: the user's message, as it goes into the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct UserMessageEvent {
    /// The message text.
    pub message: String,
    /// URLs (often `data:` URLs) of images attached to the message. Left out of the JSON when
    /// there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<String>>,
}

/// Payload of `agent_message_delta`: more text of the agent message being streamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentMessageDeltaEvent {
    /// The text to append.
    pub delta: String,
}

/// Payload of `agent_reasoning`: a complete reasoning summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentReasoningEvent {
    /// The summary text (Markdown).
    pub text: String,
}

/// Payload of `agent_reasoning_delta`: more text of the reasoning summary being streamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentReasoningDeltaEvent {
    /// The text to append.
    pub delta: String,
}

/// Payload of `agent_reasoning_raw_content`: complete raw reasoning text (sent only when the
/// server is configured to show raw reasoning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentReasoningRawContentEvent {
    /// The raw reasoning text.
    pub text: String,
}

/// Payload of `agent_reasoning_raw_content_delta`: more raw reasoning text being streamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentReasoningRawContentDeltaEvent {
    /// The text to append.
    pub delta: String,
}

/// Payload of `agent_reasoning_section_break`: a new section of the reasoning summary starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentReasoningSectionBreakEvent {
    /// Id of the reasoning item the section belongs to; `""` when absent (older servers).
    #[serde(default)]
    pub item_id: String,
    /// Index of the new summary section within the item; `0` when absent (older servers).
    #[serde(default)]
    pub summary_index: i64,
}

/// Payload of `raw_response_item`: an item exactly as the model API returned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct RawResponseItemEvent {
    /// The response item.
    pub item: ResponseItem,
}

/// Payload of `web_search_begin`: a web search started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WebSearchBeginEvent {
    /// Id of the search call; `web_search_end` carries the same id.
    pub call_id: String,
}

/// Payload of `web_search_end`: a web search finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WebSearchEndEvent {
    /// Id of the search call.
    pub call_id: String,
    /// What was searched for.
    pub query: String,
}

/// Payload of `view_image_tool_call`: the agent attached a local image to its context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ViewImageToolCallEvent {
    /// Id of the tool call.
    pub call_id: String,
    /// Path of the image file.
    pub path: PathBuf,
}

/// Payload of `agent_message_content_delta`: more text of an agent message item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentMessageContentDeltaEvent {
    /// Id of the thread (conversation).
    pub thread_id: String,
    /// Id of the turn.
    pub turn_id: String,
    /// Id of the agent message item.
    pub item_id: String,
    /// The text to append.
    pub delta: String,
}

/// Payload of `reasoning_content_delta`: more text of a reasoning item's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReasoningContentDeltaEvent {
    /// Id of the thread (conversation).
    pub thread_id: String,
    /// Id of the turn.
    pub turn_id: String,
    /// Id of the reasoning item.
    pub item_id: String,
    /// The text to append.
    pub delta: String,
    /// Index of the summary section the text belongs to; `0` when absent (older servers).
    #[serde(default)]
    pub summary_index: i64,
}

/// Payload of `reasoning_raw_content_delta`: more raw text of a reasoning item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReasoningRawContentDeltaEvent {
    /// Id of the thread (conversation).
    pub thread_id: String,
    /// Id of the turn.
    pub turn_id: String,
    /// Id of the reasoning item.
    pub item_id: String,
    /// The text to append.
    pub delta: String,
    /// Index of the raw content part the text belongs to; `0` when absent (older servers).
    #[serde(default)]
    pub content_index: i64,
}
