//! v1 turns and event streaming: `sendUserMessage`, `sendUserTurn`, `interruptConversation`,
//! `addConversationListener` / `removeConversationListener`, the v1 [`InputItem`] and the
//! `sessionConfigured` notification.

use std::path::PathBuf;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::{
    AskForApproval, ConversationId, ReasoningEffort, ReasoningSummary, SandboxPolicy,
};
use crate::v1::{EventMsg, TurnAbortReason};

/// One piece of user input in a v1 message: `{ "type": …, "data": { … } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum InputItem {
    /// Text typed by the user: `{ "type": "text", "data": { "text": "…" } }`.
    Text {
        /// The text.
        text: String,
    },
    /// An image by URL (`https:` or a `data:` URL):
    /// `{ "type": "image", "data": { "image_url": "…" } }`.
    Image {
        /// The image URL.
        image_url: String,
    },
    /// An image file on the server's disk, which the server reads and attaches:
    /// `{ "type": "localImage", "data": { "path": "…" } }`.
    LocalImage {
        /// Path of the image file.
        path: PathBuf,
    },
}

/// Params of `sendUserMessage`: sends user input to a conversation with its current settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendUserMessageParams {
    /// Id of the conversation.
    pub conversation_id: ConversationId,
    /// The user's input, in order.
    pub items: Vec<InputItem>,
}

/// Result of `sendUserMessage`: an empty object, sent once the input is queued. What the agent
/// does with it arrives as event notifications to the conversation's listeners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SendUserMessageResponse {}

/// Params of `sendUserTurn`: sends user input together with the settings to use for this turn
/// (and the turns after it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendUserTurnParams {
    /// Id of the conversation.
    pub conversation_id: ConversationId,
    /// The user's input, in order.
    pub items: Vec<InputItem>,
    /// Working directory for the turn.
    pub cwd: PathBuf,
    /// When the agent must ask before running commands.
    pub approval_policy: AskForApproval,
    /// The sandbox commands run in.
    pub sandbox_policy: SandboxPolicy,
    /// Model to use, e.g. `"gpt-5.1-codex"`.
    pub model: String,
    /// Reasoning effort; `null` uses the model's default.
    pub effort: Option<ReasoningEffort>,
    /// How much of its reasoning the model summarises.
    pub summary: ReasoningSummary,
}

/// Result of `sendUserTurn`: an empty object, sent once the turn is queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SendUserTurnResponse {}

/// Params of `interruptConversation`: stops the running turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InterruptConversationParams {
    /// Id of the conversation.
    pub conversation_id: ConversationId,
}

/// Result of `interruptConversation`, sent once the turn has stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InterruptConversationResponse {
    /// Why the turn ended; `"interrupted"` for a normal interruption.
    pub abort_reason: TurnAbortReason,
}

/// Params of `addConversationListener`: subscribes this connection to a conversation's events,
/// which then arrive as event notifications on this connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AddConversationListenerParams {
    /// Id of the conversation to listen to.
    pub conversation_id: ConversationId,
    /// Also forward the raw model response items (`raw_response_item` events). Experimental;
    /// `false` when absent.
    #[serde(default)]
    pub experimental_raw_events: bool,
}

/// Result of `addConversationListener`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AddConversationSubscriptionResponse {
    /// Id of the subscription (a UUID string); pass it to `removeConversationListener`.
    pub subscription_id: String,
}

/// Params of `removeConversationListener`: ends a subscription made with
/// `addConversationListener`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RemoveConversationListenerParams {
    /// Id of the subscription, as returned by `addConversationListener`.
    pub subscription_id: String,
}

/// Result of `removeConversationListener`: an empty object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct RemoveConversationSubscriptionResponse {}

/// Params of the `sessionConfigured` notification: a conversation's session is ready, with the
/// settings it runs with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SessionConfiguredNotification {
    /// Id of the conversation.
    pub session_id: ConversationId,
    /// The model the session uses.
    pub model: String,
    /// The reasoning effort in effect; `null` when none is set.
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Identifies the user's message-history file, for history look-ups.
    ///
    /// A 64-bit unsigned integer; values beyond 2^53 are not portable to JavaScript.
    pub history_log_id: u64,
    /// How many entries the message-history file holds.
    pub history_entry_count: usize,
    /// Recorded events to replay when the session was resumed, oldest first; `null` for a new
    /// session.
    pub initial_messages: Option<Vec<EventMsg>>,
    /// Path of the rollout file that records the session.
    pub rollout_path: PathBuf,
}
