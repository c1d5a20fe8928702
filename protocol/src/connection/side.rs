//! What differs between the client and the server end of a connection: which messages each
//! sends and receives. One [`Side`] per end, so that [`Connection`](super::Connection) is
//! written once.

use crate::codec::{
    ClientMessage, DecodeError, DecodeLimits, PendingRequests, ServerMessage,
    decode_client_message_with, decode_server_message_with,
};
use crate::jsonrpc::{Direction, ErrorResponse};
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
    /// The method and id of an outgoing request, to register it.
    fn request_key(request: &Self::Request) -> (crate::RequestId, Self::RequestMethod);
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

impl Side for ClientSide {
    const SENDS: Direction = Direction::ClientToServer;
    type Sent = ClientMessage;
    type Received = ServerMessage;
    type RequestMethod = ClientRequestMethod;
    type Request = ClientRequest;
    type Answer = ClientRequestResult;
    type Notification = ClientNotification;
    type IncomingRequest = IncomingServerRequest;
    type IncomingNotification = ServerNotification;
    type PeerAnswer = ServerRequestResult;

    fn decode<P>(
        line: &str,
        pending: &mut PendingRequests<ClientRequestMethod, P>,
        limits: &DecodeLimits,
    ) -> Result<ServerMessage, DecodeError> {
        decode_server_message_with(line, pending, limits)
    }
    fn classify(received: ServerMessage) -> Received<Self> {
        match received {
            ServerMessage::Request(request) => Received::Request(request.into_incoming()),
            ServerMessage::Notification(notification) => Received::Notification(notification),
            ServerMessage::Response(answer) => Received::Answer(answer),
            ServerMessage::Error(error) => Received::Error(error),
        }
    }
    fn request_key(request: &ClientRequest) -> (crate::RequestId, ClientRequestMethod) {
        (request.request_id().clone(), request.method())
    }
    fn sent_request(request: ClientRequest) -> ClientMessage {
        ClientMessage::Request(request)
    }
    fn sent_notification(notification: ClientNotification) -> ClientMessage {
        ClientMessage::Notification(notification)
    }
    fn sent_answer(answer: ServerRequestResult) -> ClientMessage {
        ClientMessage::Response(answer)
    }
    fn sent_error(error: ErrorResponse) -> ClientMessage {
        ClientMessage::Error(error)
    }
}

impl Side for ServerSide {
    const SENDS: Direction = Direction::ServerToClient;
    type Sent = ServerMessage;
    type Received = ClientMessage;
    type RequestMethod = ServerRequestMethod;
    type Request = ServerRequest;
    type Answer = ServerRequestResult;
    type Notification = ServerNotification;
    type IncomingRequest = IncomingClientRequest;
    type IncomingNotification = ClientNotification;
    type PeerAnswer = ClientRequestResult;

    fn decode<P>(
        line: &str,
        pending: &mut PendingRequests<ServerRequestMethod, P>,
        limits: &DecodeLimits,
    ) -> Result<ClientMessage, DecodeError> {
        decode_client_message_with(line, pending, limits)
    }
    fn classify(received: ClientMessage) -> Received<Self> {
        match received {
            ClientMessage::Request(request) => Received::Request(request.into_incoming()),
            ClientMessage::Notification(notification) => Received::Notification(notification),
            ClientMessage::Response(answer) => Received::Answer(answer),
            ClientMessage::Error(error) => Received::Error(error),
        }
    }
    fn request_key(request: &ServerRequest) -> (crate::RequestId, ServerRequestMethod) {
        (request.request_id().clone(), request.method())
    }
    fn sent_request(request: ServerRequest) -> ServerMessage {
        ServerMessage::Request(request)
    }
    fn sent_notification(notification: ServerNotification) -> ServerMessage {
        ServerMessage::Notification(notification)
    }
    fn sent_answer(answer: ClientRequestResult) -> ServerMessage {
        ServerMessage::Response(answer)
    }
    fn sent_error(error: ErrorResponse) -> ServerMessage {
        ServerMessage::Error(error)
    }
}
