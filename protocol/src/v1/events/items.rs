//! Turn items of the core protocol, as carried by the `item_started` / `item_completed` events:
//! [`TurnItem`] and its variants, and the core [`UserInput`] (snake_case tags; the v2 twin is
//! [`crate::v2::UserInput`]).

use std::path::PathBuf;

use app_server_protocol_derive::DeserializeTagFirst;
use serde::{Deserialize, Serialize};

use crate::core_types::ConversationId;

/// Payload of `item_started`: a turn item started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ItemStartedEvent {
    /// Id of the thread (conversation).
    pub thread_id: ConversationId,
    /// Id of the turn.
    pub turn_id: String,
    /// The item in its initial state.
    pub item: TurnItem,
}

/// Payload of `item_completed`: a turn item finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ItemCompletedEvent {
    /// Id of the thread (conversation).
    pub thread_id: ConversationId,
    /// Id of the turn.
    pub turn_id: String,
    /// The item in its final state.
    pub item: TurnItem,
}

/// One item of a turn, tagged by `type` in PascalCase (`"UserMessage"`, `"AgentMessage"`,
/// `"Reasoning"`, `"WebSearch"`); the other members are the item's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type")]
pub enum TurnItem {
    /// The user's input.
    UserMessage(UserMessageItem),
    /// A message from the agent.
    AgentMessage(AgentMessageItem),
    /// The agent's reasoning.
    Reasoning(ReasoningItem),
    /// A web search.
    WebSearch(WebSearchItem),
}

/// A user message item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct UserMessageItem {
    /// Id of the item.
    pub id: String,
    /// The user's input, in order.
    pub content: Vec<UserInput>,
}

/// An agent message item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AgentMessageItem {
    /// Id of the item.
    pub id: String,
    /// The message's parts, in order.
    pub content: Vec<AgentMessageContent>,
}

/// One part of an agent message item, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type")]
pub enum AgentMessageContent {
    /// Text: `{ "type": "Text", "text": "…" }`.
    Text {
        /// The text (Markdown).
        text: String,
    },
}

/// A reasoning item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReasoningItem {
    /// Id of the item.
    pub id: String,
    /// The reasoning summary, one entry per section.
    pub summary_text: Vec<String>,
    /// The raw reasoning text, one entry per part; empty when the server does not share it
    /// (also when absent).
    #[serde(default)]
    pub raw_content: Vec<String>,
}

/// A web search item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WebSearchItem {
    /// Id of the item.
    pub id: String,
    /// What was searched for.
    pub query: String,
}

/// One piece of user input (core protocol spelling: snake_case tag and fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UserInput {
    /// Text: `{ "type": "text", "text": "…" }`.
    Text {
        /// The text.
        text: String,
    },
    /// An image by URL: `{ "type": "image", "image_url": "…" }`.
    Image {
        /// The image URL (`https:` or a `data:` URL).
        image_url: String,
    },
    /// An image file on the server's disk: `{ "type": "local_image", "path": "…" }`.
    LocalImage {
        /// Path of the image file.
        path: PathBuf,
    },
}
