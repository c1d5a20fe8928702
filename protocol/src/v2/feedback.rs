//! User feedback: `feedback/upload`.

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::ConversationId;

/// Params of `feedback/upload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.FeedbackUploadParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FeedbackUploadParams {
    /// The kind of feedback, as the client's feedback form names it (e.g. `"bug"`,
    /// `"good_result"`, `"bad_result"`).
    pub classification: String,
    /// The user's own words. Omitted (or `null`) when the user wrote nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The thread the feedback is about. Omitted (or `null`) for general feedback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<ConversationId>,
    /// Whether to attach the server's logs (of that thread, when one is given).
    pub include_logs: bool,
}

/// Result of `feedback/upload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.FeedbackUploadResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FeedbackUploadResponse {
    /// The id under which the feedback was filed; quote it when reporting the problem.
    pub thread_id: String,
}
