//! What differs between the two directions of the decoder: the tables to look methods up in
//! and the message type to build. One [`Sender`] per [`Direction`], both written by one macro
//! from the method table's enums, so the two sides cannot drift apart.

use serde::de::Deserializer;

use super::{ClientMessage, DecodeError, ServerMessage};
use crate::jsonrpc::{Direction, ErrorResponse, RequestId, UnknownNotification};
use crate::methods::{
    ClientNotification, ClientNotificationMethod, ClientRequest, ClientRequestMethod,
    ClientRequestResult, ServerNotification, ServerNotificationMethod, ServerRequest,
    ServerRequestMethod, ServerRequestResult,
};
use crate::row::PayloadError;

/// The decoder's view of one direction: lines sent by one side.
pub(super) trait Sender {
    const DIRECTION: Direction;
    type Message;
    type RequestMethod: Copy;
    type NotificationMethod: Copy;
    /// The methods of the requests this sender answers (the other side's requests).
    type AnsweredMethod: Copy;

    fn request_method(name: &str) -> Option<Self::RequestMethod>;
    fn notification_method(name: &str) -> Option<Self::NotificationMethod>;
    fn answered_wire_name(method: Self::AnsweredMethod) -> &'static str;

    /// Whether the other side sends this method (so it is known, but not served here).
    fn sent_by_other_side(name: &str) -> bool {
        crate::methods::sender_of(name) == Some(Self::DIRECTION.reverse())
    }

    fn request(
        id: RequestId,
        m: Self::RequestMethod,
        params: Option<&str>,
    ) -> Result<Self::Message, PayloadError>;
    /// The typed notification of method `m`, which arrived as `name` (a method family's rows
    /// check the name against the params).
    fn notification(
        m: Self::NotificationMethod,
        name: &str,
        params: Option<&str>,
    ) -> Result<Self::Message, PayloadError>;
    /// Whether the notification method is a family (its name is checked against its params).
    fn is_family(m: Self::NotificationMethod) -> bool;
    /// Whether a decoded message arrived under the name it goes with (a family notification's
    /// suffix is the one its params give; every other message passes).
    fn has_wire_name(message: &Self::Message, name: &str) -> bool;
    /// What a notification whose method no table knows decodes to: `None` when this sender's
    /// receiver refuses it (-32601), else the message holding it (or why its params do not
    /// fit: they must be JSON the receiver can hold).
    fn unknown_notification(
        name: &str,
        params: Option<&str>,
    ) -> Option<Result<Self::Message, PayloadError>>;
    fn response(
        id: RequestId,
        m: Self::AnsweredMethod,
        result: &str,
    ) -> Result<Self::Message, PayloadError>;
    fn error(response: ErrorResponse) -> Self::Message;

    // The fast path's decoders put the message into `out` (see `one_pass.rs` for why).
    fn request_in_stream<'de, D: Deserializer<'de>>(
        id: RequestId,
        m: Self::RequestMethod,
        de: D,
        out: &mut Result<Self::Message, DecodeError>,
    ) -> Result<(), D::Error>;
    fn notification_in_stream<'de, D: Deserializer<'de>>(
        m: Self::NotificationMethod,
        de: D,
        out: &mut Result<Self::Message, DecodeError>,
    ) -> Result<(), D::Error>;
    fn response_in_stream<'de, D: Deserializer<'de>>(
        id: RequestId,
        m: Self::AnsweredMethod,
        de: D,
        out: &mut Result<Self::Message, DecodeError>,
    ) -> Result<(), D::Error>;
}

/// Implements [`Sender`] for one direction from the names of its enums.
macro_rules! sender {
    (
        $Marker:ident: $direction:ident sends $Message:ident {
            requests: $Request:ident / $RequestMethod:ident,
            notifications: $Notification:ident / $NotificationMethod:ident,
            answers: $Result:ident / $AnsweredMethod:ident,
            unknown_notifications: $unknown:expr,
        }
    ) => {
        #[doc = concat!("Lines sent ", stringify!($direction), ".")]
        pub(super) struct $Marker;

        impl Sender for $Marker {
            const DIRECTION: Direction = Direction::$direction;
            type Message = $Message;
            type RequestMethod = $RequestMethod;
            type NotificationMethod = $NotificationMethod;
            type AnsweredMethod = $AnsweredMethod;

            fn request_method(name: &str) -> Option<$RequestMethod> {
                $RequestMethod::from_wire(name)
            }
            fn notification_method(name: &str) -> Option<$NotificationMethod> {
                $NotificationMethod::from_wire(name)
            }
            fn answered_wire_name(method: $AnsweredMethod) -> &'static str {
                method.wire_name()
            }
            fn request(
                id: RequestId,
                m: $RequestMethod,
                params: Option<&str>,
            ) -> Result<$Message, PayloadError> {
                $Request::from_parts(id, m, params).map($Message::Request)
            }
            fn notification(
                m: $NotificationMethod,
                name: &str,
                params: Option<&str>,
            ) -> Result<$Message, PayloadError> {
                let notification = $Notification::from_parts(m, params)?;
                notification.check_wire_name(name)?;
                Ok($Message::Notification(notification))
            }
            fn is_family(m: $NotificationMethod) -> bool {
                m.meta().family.is_some()
            }
            fn has_wire_name(message: &$Message, name: &str) -> bool {
                match message {
                    $Message::Notification(notification) => {
                        notification.check_wire_name(name).is_ok()
                    }
                    _ => true,
                }
            }
            fn unknown_notification(
                name: &str,
                params: Option<&str>,
            ) -> Option<Result<$Message, PayloadError>> {
                $unknown(name, params)
            }
            fn response(
                id: RequestId,
                m: $AnsweredMethod,
                result: &str,
            ) -> Result<$Message, PayloadError> {
                $Result::from_parts(id, m, result).map($Message::Response)
            }
            fn error(response: ErrorResponse) -> $Message {
                $Message::Error(response)
            }
            fn request_in_stream<'de, D: Deserializer<'de>>(
                id: RequestId,
                m: $RequestMethod,
                de: D,
                out: &mut Result<$Message, DecodeError>,
            ) -> Result<(), D::Error> {
                $Request::deserialize_params_into(id, m, de, out, |message| {
                    Ok($Message::Request(message))
                })
            }
            fn notification_in_stream<'de, D: Deserializer<'de>>(
                m: $NotificationMethod,
                de: D,
                out: &mut Result<$Message, DecodeError>,
            ) -> Result<(), D::Error> {
                $Notification::deserialize_params_into(m, de, out, |message| {
                    Ok($Message::Notification(message))
                })
            }
            fn response_in_stream<'de, D: Deserializer<'de>>(
                id: RequestId,
                m: $AnsweredMethod,
                de: D,
                out: &mut Result<$Message, DecodeError>,
            ) -> Result<(), D::Error> {
                $Result::deserialize_result_into(id, m, de, out, |message| {
                    Ok($Message::Response(message))
                })
            }
        }
    };
}

sender! {
    ClientToServer: ClientToServer sends ClientMessage {
        requests: ClientRequest / ClientRequestMethod,
        notifications: ClientNotification / ClientNotificationMethod,
        answers: ServerRequestResult / ServerRequestMethod,
        // A server refuses what it does not serve: an unknown notification is -32601.
        unknown_notifications: |_, _| None,
    }
}

sender! {
    ServerToClient: ServerToClient sends ServerMessage {
        requests: ServerRequest / ServerRequestMethod,
        notifications: ServerNotification / ServerNotificationMethod,
        answers: ClientRequestResult / ClientRequestMethod,
        // A client survives a newer server: an unknown notification is kept, not refused.
        unknown_notifications: unknown_server_notification,
    }
}

/// An unknown notification from the server, with its params as JSON.
fn unknown_server_notification(
    name: &str,
    params: Option<&str>,
) -> Option<Result<ServerMessage, PayloadError>> {
    let params = params.map(serde_json::from_str::<serde_json::Value>).transpose();
    Some(match params {
        Ok(params) => Ok(ServerMessage::UnknownNotification(UnknownNotification {
            method: name.to_owned(),
            params,
        })),
        Err(err) => Err(PayloadError { path: ".".to_owned(), message: err.to_string() }),
    })
}
