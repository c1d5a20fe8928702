//! What a client's notification stream hands on: every notification the server sent — typed,
//! unknown (a newer server's) or refused — so that no loop waits for one that came.

use std::borrow::Cow;

use app_server_protocol::{DecodeError, ServerNotification, UnknownNotification};

/// One notification of the server, as [`Notifications`](crate::Notifications) hands it on.
///
/// A loop that waits for a notification should match all three cases: a `turn/completed` the
/// decoder refused (say, from a server that predates a required member) arrives as
/// [`NotificationItem::Invalid`] with its method, so the loop learns the turn ended.
///
/// ```
/// use app_server_peer::NotificationItem;
/// use app_server_protocol::ServerNotification;
///
/// fn turn_ended(item: &NotificationItem) -> bool {
///     match item {
///         NotificationItem::Known(ServerNotification::TurnCompleted { .. }) => true,
///         // Refused, but it came: the turn is over all the same.
///         NotificationItem::Invalid(bad) => bad.method == "turn/completed",
///         _ => false,
///     }
/// }
/// # let _ = turn_ended;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NotificationItem {
    /// A notification of the contract, typed by its method.
    Known(ServerNotification),
    /// A notification whose method this crate does not know — a newer server's — with its
    /// method and raw params. [`PeerConfig::with_unknown_notifications`](crate::PeerConfig::with_unknown_notifications)
    /// drops them instead.
    Unknown(UnknownNotification),
    /// A notification the decoder refused (its params do not fit the contract). It is also
    /// reported to [`PeerConfig::on_bad_line`](crate::PeerConfig::on_bad_line).
    Invalid(InvalidNotification),
}

/// A notification whose method could be read but which the decoder refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidNotification {
    /// The method as it came, e.g. `"turn/completed"`.
    pub method: String,
    /// Why it was refused: the JSON-RPC code (-32602 for params that do not fit), the JSON
    /// path and what was expected there.
    pub error: DecodeError,
}

impl NotificationItem {
    /// The method the notification came with, whatever the case
    /// (`codex/event/task_complete`, `thread/tokenUsage/updated`, `turn/completed` …).
    pub fn method(&self) -> Cow<'_, str> {
        match self {
            NotificationItem::Known(notification) => notification.wire_name(),
            NotificationItem::Unknown(unknown) => Cow::Borrowed(&unknown.method),
            NotificationItem::Invalid(invalid) => Cow::Borrowed(&invalid.method),
        }
    }

    /// The typed notification, when it is one of the contract's.
    pub fn known(&self) -> Option<&ServerNotification> {
        match self {
            NotificationItem::Known(notification) => Some(notification),
            _ => None,
        }
    }
}

impl InvalidNotification {
    /// The refused notification of `method`, with why.
    pub(crate) fn new(method: String, error: DecodeError) -> Self {
        InvalidNotification { method, error }
    }
}
