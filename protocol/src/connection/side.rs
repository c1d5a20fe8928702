//! What differs between the client and the server end of a connection: which messages each
//! sends and receives. One [`Side`] per end, so that [`Connection`](super::Connection) is
//! written once.

use crate::codec::{
    ClientMessage, DecodeError, DecodeLimits, PendingRequests, ServerMessage,
    decode_client_message_with, decode_server_message_with,
};
use crate::jsonrpc::{Direction, ErrorResponse, UnknownNotification};
use crate::methods::{
    ClientNotification, ClientRequest, ClientRequestMethod, ClientRequestResult,
    IncomingClientRequest, IncomingServerRequest, ServerNotification, ServerRequest,
    ServerRequestMethod, ServerRequestResult,
};

/// One end of a connection: the types of what it sends and receives.
pub trait Side {
    /// The direction of what this end sends.
    const SENDS: Direction;
    /// Every message this end sends.
    type Sent: serde::Serialize;
    /// Every message this end receives, as the decoder returns it.
    type Received;
    /// The methods of the requests this end sends.
    type RequestMethod: Copy + std::fmt::Debug;
    /// The requests this end sends.
    type Request;
    /// The typed answers this end receives to its requests.
    type Answer;
    /// The notifications this end sends.
    type Notification;
    /// A request this end receives, with its typed responder.
    type IncomingRequest;
    /// The notifications this end receives.
    type IncomingNotification;
    /// The typed answers this end sends to the other end's requests.
    type PeerAnswer;

    /// Decodes one line the other end sent.
    fn decode<P>(
        line: &str,
        pending: &mut PendingRequests<Self::RequestMethod, P>,
        limits: &DecodeLimits,
    ) -> Result<Self::Received, DecodeError>;
    /// What a decoded message is to this end.
    fn classify(received: Self::Received) -> Received<Self>;
    /// Wraps an outgoing request.
    fn sent_request(request: Self::Request) -> Self::Sent;
    /// Wraps an outgoing notification.
    fn sent_notification(notification: Self::Notification) -> Self::Sent;
    /// Wraps an answer to the other end's request.
    fn sent_answer(answer: Self::PeerAnswer) -> Self::Sent;
    /// Wraps an error answer to the other end's request.
    fn sent_error(error: ErrorResponse) -> Self::Sent;
}

/// A decoded message, sorted by what it is to the receiving end.
pub enum Received<S: Side + ?Sized> {
    /// A request of the other end.
    Request(S::IncomingRequest),
    /// A notification of the other end.
    Notification(S::IncomingNotification),
    /// A notification whose method this end does not know (only a client receives them).
    UnknownNotification(UnknownNotification),
    /// The answer to one of this end's requests.
    Answer(S::Answer),
    /// An error answer to one of this end's requests.
    Error(ErrorResponse),
}

/// The client end: sends [`ClientMessage`]s, receives [`ServerMessage`]s.
#[derive(Debug)]
pub enum ClientSide {}

/// The server end: sends [`ServerMessage`]s, receives [`ClientMessage`]s.
#[derive(Debug)]
pub enum ServerSide {}

/// Implements [`Side`] for one end from the names of its messages: the two impls differ only
/// by which message enum plays which part.
macro_rules! side {
    (
        $end:ty, sends $direction:ident: $sent:ident, $request:ty, $answer:ty, $notification:ty,
        $method:ty; receives $received:ident: $incoming:ty, $incoming_notification:ty,
        $peer_answer:ty; decoded by $decode:path $(; unknown notifications: $unknown:ident)?
    ) => {
        impl Side for $end {
            const SENDS: Direction = Direction::$direction;
            type Sent = $sent;
            type Received = $received;
            type RequestMethod = $method;
            type Request = $request;
            type Answer = $answer;
            type Notification = $notification;
            type IncomingRequest = $incoming;
            type IncomingNotification = $incoming_notification;
            type PeerAnswer = $peer_answer;

            fn decode<P>(
                line: &str,
                pending: &mut PendingRequests<$method, P>,
                limits: &DecodeLimits,
            ) -> Result<$received, DecodeError> {
                $decode(line, pending, limits)
            }
            // Inlined into `Connection::receive`, so that the decoded message is moved once,
            // into the event, instead of through this enum too.
            #[inline(always)]
            fn classify(received: $received) -> Received<Self> {
                match received {
                    $received::Request(request) => Received::Request(request.into_incoming()),
                    $received::Notification(notification) => Received::Notification(notification),
                    $($received::$unknown(notification) => Received::UnknownNotification(notification),)?
                    $received::Response(answer) => Received::Answer(answer),
                    $received::Error(error) => Received::Error(error),
                }
            }
            fn sent_request(request: $request) -> $sent {
                $sent::Request(request)
            }
            fn sent_notification(notification: $notification) -> $sent {
                $sent::Notification(notification)
            }
            fn sent_answer(answer: $peer_answer) -> $sent {
                $sent::Response(answer)
            }
            fn sent_error(error: ErrorResponse) -> $sent {
                $sent::Error(error)
            }
        }
    };
}

side!(
    ClientSide, sends ClientToServer: ClientMessage, ClientRequest, ClientRequestResult,
    ClientNotification, ClientRequestMethod;
    receives ServerMessage: IncomingServerRequest, ServerNotification, ServerRequestResult;
    decoded by decode_server_message_with; unknown notifications: UnknownNotification
);

side!(
    ServerSide, sends ServerToClient: ServerMessage, ServerRequest, ServerRequestResult,
    ServerNotification, ServerRequestMethod;
    receives ClientMessage: IncomingClientRequest, ClientNotification, ClientRequestResult;
    decoded by decode_client_message_with
);
