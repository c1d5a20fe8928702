//! The legacy event stream: `codex/event/<type>` notifications.
//!
//! Released servers (0.63, 0.66) send one of these beside every v2 notification, on every
//! thread — to v1 clients after `addConversationListener`, and to v2 clients as well. Each
//! carries one [`EventMsg`]; the method's last segment is the event's `type`
//! (`codex/event/agent_message_delta` carries `{"type":"agent_message_delta", …}`). A v2 client
//! may ignore them: everything they say also arrives as v2 notifications.

use serde::{Deserialize, Serialize};

use crate::core_types::ConversationId;
use crate::row::MethodFamily;
use crate::v1::EventMsg;
use app_server_protocol_derive::Payload;

/// Params of a `codex/event/<type>` notification: one event of the legacy event stream.
///
/// The method's last segment must be `msg.type`; a line whose method and event disagree is
/// refused (-32602 at `params.msg.type`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LegacyEventNotification {
    /// Id of the submission (the turn or operation) the event belongs to, as the core
    /// protocol numbers them (`"0"`, `"1"`, …).
    pub id: String,
    /// The event; its `type` is also the method's last segment.
    pub msg: EventMsg,
    /// Id of the conversation (thread) the event belongs to.
    pub conversation_id: ConversationId,
}

impl MethodFamily for LegacyEventNotification {
    const SUFFIX_PATH: &'static str = "msg.type";

    fn suffix(&self) -> &'static str {
        self.msg.event_type()
    }
}
