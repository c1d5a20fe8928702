//! Decoding both directions of one connection at once, as a proxy, an inspector or a
//! transcript validator sees it.
//!
//! [`TranscriptDecoder`] keeps both pending-request tables: a request decoded from one side is
//! registered, so that the other side's answer is typed by its method.
//!
//! ```
//! use app_server_protocol::transcript::{Decoded, Peer, TranscriptDecoder};
//!
//! let mut transcript = TranscriptDecoder::new();
//! transcript.decode(Peer::Client, r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#).unwrap();
//! let answer = transcript.decode(Peer::Server, r#"{"id":1,"result":{}}"#).unwrap();
//! assert_eq!(answer.method_name(), Some("thread/archive"));
//! ```

use std::fmt;

use crate::codec::{
    ClientMessage, DecodeError, DecodeErrorKind, DecodeLimits, PendingRequests, ServerMessage,
    decode_client_message_with, decode_server_message_with,
};
use crate::methods::{ClientRequestMethod, ServerRequestMethod};

/// Which peer sent a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Peer {
    /// The client (IDE extension, desktop app, TUI).
    Client,
    /// The app server.
    Server,
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Peer::Client => "client",
            Peer::Server => "server",
        })
    }
}

/// A decoded line, typed for the peer that sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// Sent by the client.
    FromClient(ClientMessage),
    /// Sent by the server.
    FromServer(ServerMessage),
}

impl Decoded {
    /// The wire method the message is about: a request's or notification's method, or the
    /// method of the request a response answers. `None` for error responses.
    pub fn method_name(&self) -> Option<&'static str> {
        match self {
            Decoded::FromClient(ClientMessage::Request(r)) => Some(r.method().wire_name()),
            Decoded::FromClient(ClientMessage::Notification(n)) => Some(n.method().wire_name()),
            Decoded::FromClient(ClientMessage::Response(r)) => Some(r.method().wire_name()),
            Decoded::FromServer(ServerMessage::Request(r)) => Some(r.method().wire_name()),
            Decoded::FromServer(ServerMessage::Notification(n)) => Some(n.method().wire_name()),
            Decoded::FromServer(ServerMessage::Response(r)) => Some(r.method().wire_name()),
            Decoded::FromClient(ClientMessage::Error(_))
            | Decoded::FromServer(ServerMessage::Error(_)) => None,
        }
    }

    /// The canonical wire JSON of the message.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Decoded::FromClient(message) => serde_json::to_value(message),
            Decoded::FromServer(message) => serde_json::to_value(message),
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
    pub fn decode_bytes(&mut self, from: Peer, line: &[u8]) -> Result<Decoded, DecodeError> {
        self.limits.check_size(line.len())?;
        let line = crate::codec::utf8(line)?;
        self.decode(from, line)
    }

    /// Decodes one line sent by `from`. A request is registered as pending; an answer takes
    /// its request out. A request whose params do not fit is registered too (its id and
    /// method are known), so that the answer it gets — normally a -32602 error — is matched.
    pub fn decode(&mut self, from: Peer, line: &str) -> Result<Decoded, DecodeError> {
        let decoded = self.decode_inner(from, line);
        if let Err(err) = &decoded {
            if let (DecodeErrorKind::InvalidParams, Some(id), Some(method)) =
                (err.kind, &err.id, &err.method)
            {
                self.register_pending(from, id.clone(), method);
            }
        }
        decoded
    }

    fn decode_inner(&mut self, from: Peer, line: &str) -> Result<Decoded, DecodeError> {
        match from {
            Peer::Client => {
                let message =
                    decode_client_message_with(line, &mut self.server_requests, &self.limits)?;
                if let ClientMessage::Request(request) = &message {
                    self.client_requests.register(request);
                }
                Ok(Decoded::FromClient(message))
            }
            Peer::Server => {
                let message =
                    decode_server_message_with(line, &mut self.client_requests, &self.limits)?;
                if let ServerMessage::Request(request) = &message {
                    self.server_requests.register_server_request(request);
                }
                Ok(Decoded::FromServer(message))
            }
        }
    }

    /// Registers a request `requester` sent outside this transcript (e.g. before a capture
    /// started), so that its answer decodes. Returns `false` when `method` is no request
    /// method of `requester`.
    pub fn register_pending(
        &mut self,
        requester: Peer,
        id: crate::RequestId,
        method: &str,
    ) -> bool {
        match requester {
            Peer::Client => ClientRequestMethod::from_wire(method)
                .map(|m| self.client_requests.insert(id, m))
                .is_some(),
            Peer::Server => ServerRequestMethod::from_wire(method)
                .map(|m| self.server_requests.insert(id, m))
                .is_some(),
        }
    }

    /// Which peer has a request with this id waiting for an answer, if any: the answer then
    /// comes from the other peer. Used to tell the direction of an unmarked response line.
    pub fn pending_from(&self, id: &crate::RequestId) -> Option<Peer> {
        if self.client_requests.get(id).is_some() {
            Some(Peer::Client)
        } else if self.server_requests.get(id).is_some() {
            Some(Peer::Server)
        } else {
            None
        }
    }

    /// How many requests of each peer still wait for an answer: (client's, server's).
    pub fn pending_counts(&self) -> (usize, usize) {
        (self.client_requests.len(), self.server_requests.len())
    }
}
