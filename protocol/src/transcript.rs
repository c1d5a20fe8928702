//! Decoding both directions of one connection at once, as a proxy, an inspector or a
//! transcript validator sees it.
//!
//! [`TranscriptDecoder`] keeps both pending-request tables: a request decoded from one side is
//! registered, so that the other side's answer is typed by its method.
//!
//! ```
//! use app_server_protocol::Direction;
//! use app_server_protocol::transcript::{Decoded, TranscriptDecoder};
//!
//! let mut transcript = TranscriptDecoder::new();
//! transcript.decode(Direction::ClientToServer, r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#).unwrap();
//! let answer = transcript.decode(Direction::ServerToClient, r#"{"id":1,"result":{}}"#).unwrap();
//! assert_eq!(answer.method_name(), Some("thread/archive"));
//! ```

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::codec::{
    ClientMessage, DecodeError, DecodeErrorKind, DecodeLimits, PendingRequests, ServerMessage,
    decode_client_message_with, decode_server_message_with,
};
use crate::jsonrpc::{Direction, RequestId};
use crate::methods::{ClientRequestMethod, ServerRequestMethod, sender_of};

/// A decoded line, typed for the peer that sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// Sent by the client, received by the server.
    ClientToServer(ClientMessage),
    /// Sent by the server, received by the client.
    ServerToClient(ServerMessage),
}

impl Decoded {
    /// The wire method the message is about: a request's or notification's method, or the
    /// method of the request a response answers. `None` for error responses.
    pub fn method_name(&self) -> Option<&'static str> {
        match self {
            Decoded::ClientToServer(ClientMessage::Request(r)) => Some(r.method().wire_name()),
            Decoded::ClientToServer(ClientMessage::Notification(n)) => Some(n.method().wire_name()),
            Decoded::ClientToServer(ClientMessage::Response(r)) => Some(r.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::Request(r)) => Some(r.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::Notification(n)) => Some(n.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::Response(r)) => Some(r.method().wire_name()),
            Decoded::ClientToServer(ClientMessage::Error(_))
            | Decoded::ServerToClient(ServerMessage::Error(_)) => None,
        }
    }

    /// The canonical wire JSON of the message.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Decoded::ClientToServer(message) => serde_json::to_value(message),
            Decoded::ServerToClient(message) => serde_json::to_value(message),
        }
    }
}

/// Decodes the lines of both peers of one connection, typing each answer by the request it
/// answers.
#[derive(Debug, Default, Clone)]
pub struct TranscriptDecoder {
    client_requests: PendingRequests<ClientRequestMethod>,
    server_requests: PendingRequests<ServerRequestMethod>,
    limits: DecodeLimits,
}

impl TranscriptDecoder {
    /// A decoder with nothing pending and the default [`DecodeLimits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with nothing pending that enforces `limits` on every line.
    pub fn with_limits(limits: DecodeLimits) -> Self {
        TranscriptDecoder { limits, ..Self::default() }
    }

    /// Decodes one line sent by `from` from raw bytes: the size limit first, then UTF-8 (a
    /// -32700 error naming the byte offset), then as [`decode`](Self::decode).
    pub fn decode_bytes(&mut self, from: Direction, line: &[u8]) -> Result<Decoded, DecodeError> {
        self.limits.check_size(line.len())?;
        let line = crate::codec::utf8(line)?;
        self.decode(from, line)
    }

    /// Decodes one line sent by `from`. A request is registered as pending; an answer takes
    /// its request out. A request whose params do not fit is registered too (its id and
    /// method are known), so that the answer it gets — normally a -32602 error — is matched.
    pub fn decode(&mut self, from: Direction, line: &str) -> Result<Decoded, DecodeError> {
        let decoded = self.decode_inner(from, line);
        if let Err(err) = &decoded
            && let (DecodeErrorKind::InvalidParams, Some(id), Some(method)) =
                (err.kind, &err.id, &err.method)
        {
            self.register_pending(from, id.clone(), method);
        }
        decoded
    }

    fn decode_inner(&mut self, from: Direction, line: &str) -> Result<Decoded, DecodeError> {
        match from {
            Direction::ClientToServer => {
                let message =
                    decode_client_message_with(line, &mut self.server_requests, &self.limits)?;
                if let ClientMessage::Request(request) = &message {
                    self.client_requests.register(request);
                }
                Ok(Decoded::ClientToServer(message))
            }
            Direction::ServerToClient => {
                let message =
                    decode_server_message_with(line, &mut self.client_requests, &self.limits)?;
                if let ServerMessage::Request(request) = &message {
                    self.server_requests.register_server_request(request);
                }
                Ok(Decoded::ServerToClient(message))
            }
        }
    }

    /// Registers a request `requester` sent outside this transcript (e.g. before a capture
    /// started), so that its answer decodes. Returns `false` when `method` is no request
    /// method of `requester`.
    pub fn register_pending(
        &mut self,
        requester: Direction,
        id: crate::RequestId,
        method: &str,
    ) -> bool {
        match requester {
            Direction::ClientToServer => ClientRequestMethod::from_wire(method)
                .map(|m| self.client_requests.insert(id, m))
                .is_some(),
            Direction::ServerToClient => ServerRequestMethod::from_wire(method)
                .map(|m| self.server_requests.insert(id, m))
                .is_some(),
        }
    }

    /// Which peer has a request with this id waiting for an answer, if any: the answer then
    /// comes from the other peer. Used to tell the direction of an unmarked response line.
    pub fn pending_from(&self, id: &crate::RequestId) -> Option<Direction> {
        if self.client_requests.get(id).is_some() {
            Some(Direction::ClientToServer)
        } else if self.server_requests.get(id).is_some() {
            Some(Direction::ServerToClient)
        } else {
            None
        }
    }

    /// How many requests of each peer still wait for an answer: (client's, server's).
    pub fn pending_counts(&self) -> (usize, usize) {
        (self.client_requests.len(), self.server_requests.len())
    }
}

/// Splits a transcript line into its direction, when the line says it, and the message text.
///
/// Transcript lines come in three forms: `> {…}` (the client sent it), `< {…}` (the server
/// sent it), `{"from": "client" | "server", "message": {…}}` (the fixture form), or a bare
/// message whose direction the caller infers ([`TranscriptDecoder::infer_direction`]).
/// An error names what is wrong with a `from` member.
///
/// ```
/// use app_server_protocol::Direction;
/// use app_server_protocol::transcript::split_marked_line;
///
/// let (direction, text) = split_marked_line(r#"< {"method":"initialized"}"#).unwrap();
/// assert_eq!((direction, &*text), (Some(Direction::ServerToClient), r#"{"method":"initialized"}"#));
/// let (direction, _) = split_marked_line(r#"{"id":1,"result":{}}"#).unwrap();
/// assert_eq!(direction, None);
/// ```
pub fn split_marked_line(line: &str) -> Result<(Option<Direction>, Cow<'_, str>), String> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('>') {
        return Ok((Some(Direction::ClientToServer), rest.trim().into()));
    }
    if let Some(rest) = trimmed.strip_prefix('<') {
        return Ok((Some(Direction::ServerToClient), rest.trim().into()));
    }
    #[derive(Deserialize)]
    struct Wrapped<'a> {
        from: Option<&'a str>,
        #[serde(borrow)]
        message: Option<&'a RawValue>,
    }
    if let Ok(Wrapped { from: Some(from), message: Some(message) }) =
        serde_json::from_str::<Wrapped<'_>>(trimmed)
    {
        let direction = match from {
            "client" => Direction::ClientToServer,
            "server" => Direction::ServerToClient,
            other => {
                return Err(format!("`from` must be \"client\" or \"server\", found {other:?}"));
            }
        };
        return Ok((Some(direction), message.get().to_owned().into()));
    }
    Ok((None, trimmed.into()))
}

impl TranscriptDecoder {
    /// Infers the direction of an unmarked message: a method names its sender
    /// ([`sender_of`]); a response or error travels opposite to the pending request with its
    /// id. `None` when neither tells (not JSON, an unknown method, an id nobody waits for).
    pub fn infer_direction(&self, text: &str) -> Option<Direction> {
        #[derive(Deserialize)]
        struct Probe<'a> {
            #[serde(borrow)]
            method: Option<Cow<'a, str>>,
            id: Option<RequestId>,
        }
        let probe: Probe<'_> = serde_json::from_str(text).ok()?;
        match probe.method {
            Some(method) => sender_of(&method),
            None => self.pending_from(&probe.id?).map(Direction::reverse),
        }
    }
}
