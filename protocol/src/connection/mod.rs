//! A connection without I/O: one small state machine per end, driven with lines in and lines
//! out.
//!
//! A [`ClientConnection`] or [`ServerConnection`] allocates request ids, keeps the table of
//! its pending requests (each with a payload of the caller's: a waiter, a span, …), encodes
//! typed requests and notifications, and turns each incoming line into an [`Event`]: a request
//! of the other end with its typed [`Responder`], a notification, the answer to one of its own
//! requests (matched to the request's payload, typed by its [`Ticket`]), or a
//! [`ProtocolError`] that names the line and says what to answer. Blank lines are skipped.
//! Nothing here reads, writes, spawns or waits; nothing a peer sends makes it panic.
//!
//! ```
//! use app_server_protocol::connection::{ClientConnection, Event};
//! use app_server_protocol::method::ThreadArchive;
//! use app_server_protocol::v2;
//!
//! let mut client = ClientConnection::new();
//! let params = v2::ThreadArchiveParams::new("thr_1");
//! let (line, ticket) = client.request::<ThreadArchive>(params).unwrap();
//! assert_eq!(line, r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#);
//!
//! // The server's answer comes back as a line; the ticket types it.
//! let Some(Event::Answer { answer, .. }) = client.receive(r#"{"id":1,"result":{}}"#) else {
//!     panic!("expected the answer");
//! };
//! assert_eq!(ticket.result(answer).unwrap(), v2::ThreadArchiveResponse::new());
//! assert_eq!(client.pending_len(), 0);
//! ```

mod side;
#[cfg(test)]
mod tests;

use std::fmt;

pub use side::{ClientSide, Received, ServerSide, Side};

use crate::codec::{DecodeError, DecodeErrorKind, DecodeLimits, PendingRequests, append_line};
use crate::jsonrpc::{JsonRpcError, RequestId, UnknownNotification};
use crate::typed::{Notification, Request, Responder, Ticket};

/// The client end of a connection; `P` is the payload kept with each pending request.
pub type ClientConnection<P = ()> = Connection<ClientSide, P>;
/// The server end of a connection; `P` is the payload kept with each pending request.
pub type ServerConnection<P = ()> = Connection<ServerSide, P>;

/// One end of a connection, without I/O. See the [module docs](self).
pub struct Connection<S: Side, P = ()> {
    pending: PendingRequests<S::RequestMethod, P>,
    limits: DecodeLimits,
    line: u64,
}

/// What one incoming line was, for the end that received it.
pub enum Event<S: Side, P> {
    /// A request of the other end. Answer it through its responder, with
    /// [`Connection::reply`] or [`Connection::reply_error`].
    Request(S::IncomingRequest),
    /// A notification of the other end.
    Notification(S::IncomingNotification),
    /// A notification whose method this end does not know — a newer server's (only a client
    /// receives them; see [`UnknownNotification`]).
    UnknownNotification(UnknownNotification),
    /// The successful answer to one of this end's requests, with the payload registered with
    /// it. [`Ticket::result`] types it.
    Answer {
        /// The id of the answered request.
        id: RequestId,
        /// The payload the request was registered with.
        payload: P,
        /// The answer, typed by the method of the request.
        answer: S::Answer,
    },
    /// An error answer to one of this end's requests, with the payload registered with it.
    Error {
        /// The id of the answered request.
        id: RequestId,
        /// The payload the request was registered with.
        payload: P,
        /// The error the other end answered.
        error: JsonRpcError,
    },
    /// A line that is not a valid message for this end.
    ProtocolError(ProtocolError<P>),
}

/// A line the other end sent that could not be used, with what to do about it.
pub struct ProtocolError<P> {
    /// The number of the line on this connection (1 for the first line, blank lines counted).
    pub line: u64,
    /// What is wrong, with the JSON-RPC code and the JSON path.
    pub error: DecodeError,
    /// The line to send back, when the bad line was a request whose id could be read (the
    /// error answer, e.g. -32601 or -32602); `None` when nothing is to be answered.
    pub reply: Option<String>,
    /// A request of this end that the bad line answered (its result did not fit): it is no
    /// longer pending, and its payload is handed back so that its waiter can be told.
    pub abandoned: Option<(RequestId, P)>,
}

impl<S: Side, P> Default for Connection<S, P> {
    fn default() -> Self {
        Connection { pending: PendingRequests::default(), limits: DecodeLimits::default(), line: 0 }
    }
}

impl<S: Side> Connection<S, ()> {
    /// A connection with nothing pending, no payloads and the default [`DecodeLimits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends a request of method `M`: returns the line to write and the ticket that types its
    /// answer. The request is pending until its answer arrives.
    pub fn request<M>(
        &mut self,
        params: M::Params,
    ) -> Result<(String, Ticket<M>), serde_json::Error>
    where
        M: Request<Message = S::Request, Answer = S::Answer, MethodEnum = S::RequestMethod>,
    {
        self.request_with::<M>(params, ())
    }
}

impl<S: Side, P> Connection<S, P> {
    /// A connection whose pending requests carry a payload of type `P` (a waiter, a span),
    /// with the default [`DecodeLimits`].
    pub fn with_payloads() -> Self {
        Self::default()
    }

    /// A connection that enforces `limits` on every incoming line.
    pub fn with_limits(limits: DecodeLimits) -> Self {
        Connection { limits, ..Self::default() }
    }

    /// Sends a request of method `M` with a payload kept until its answer: returns the line to
    /// write and the ticket that types the answer. Ids are allocated here (increasing
    /// integers, never one still pending).
    pub fn request_with<M>(
        &mut self,
        params: M::Params,
        payload: P,
    ) -> Result<(String, Ticket<M>), serde_json::Error>
    where
        M: Request<Message = S::Request, Answer = S::Answer, MethodEnum = S::RequestMethod>,
    {
        self.send_request(params, payload, serde_json::to_string)
    }

    /// Like [`Connection::request_with`], but appends the line and its `\n` to `out` (an
    /// outgoing buffer shared by many messages) instead of returning a `String`. When encoding
    /// fails nothing is appended and nothing is pending.
    pub fn request_into<M>(
        &mut self,
        params: M::Params,
        payload: P,
        out: &mut Vec<u8>,
    ) -> Result<Ticket<M>, serde_json::Error>
    where
        M: Request<Message = S::Request, Answer = S::Answer, MethodEnum = S::RequestMethod>,
    {
        let ((), ticket) = self.send_request(params, payload, |sent| append_line(sent, out))?;
        Ok(ticket)
    }

    /// Allocates the id of a request of method `M`, encodes the request with `encode`, and
    /// makes it pending once it is encoded: the one path of [`Connection::request_with`] and
    /// [`Connection::request_into`].
    fn send_request<M, T>(
        &mut self,
        params: M::Params,
        payload: P,
        encode: impl FnOnce(&S::Sent) -> Result<T, serde_json::Error>,
    ) -> Result<(T, Ticket<M>), serde_json::Error>
    where
        M: Request<Message = S::Request, Answer = S::Answer, MethodEnum = S::RequestMethod>,
    {
        let id = self.pending.next_id();
        let encoded = encode(&S::sent_request(M::message(id.clone(), params)))?;
        self.pending.insert_with(id.clone(), M::METHOD_ENUM, payload);
        Ok((encoded, Ticket::new(id)))
    }

    /// Appends the line of a notification of method `M` and its `\n` to `out`; nothing when
    /// encoding fails.
    pub fn notify_into<M>(
        &self,
        params: M::Params,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error>
    where
        M: Notification<Message = S::Notification>,
    {
        append_line(&S::sent_notification(M::message(params)), out)
    }

    /// Appends the line that answers a request of the other end, and its `\n`, to `out`;
    /// nothing when encoding fails.
    pub fn reply_into<M>(
        &self,
        responder: Responder<M>,
        result: M::Result,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error>
    where
        M: Request<Answer = S::PeerAnswer>,
    {
        append_line(&S::sent_answer(responder.respond(result)), out)
    }

    /// Appends the line that answers a request of the other end with an error, and its `\n`,
    /// to `out`; nothing when encoding fails.
    pub fn reply_error_into<M: Request>(
        &self,
        responder: Responder<M>,
        error: JsonRpcError,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        append_line(&S::sent_error(responder.error(error)), out)
    }

    /// The line of a notification of method `M`.
    pub fn notify<M>(&self, params: M::Params) -> Result<String, serde_json::Error>
    where
        M: Notification<Message = S::Notification>,
    {
        serde_json::to_string(&S::sent_notification(M::message(params)))
    }

    /// The line that answers a request of the other end with its method's result.
    pub fn reply<M>(
        &self,
        responder: Responder<M>,
        result: M::Result,
    ) -> Result<String, serde_json::Error>
    where
        M: Request<Answer = S::PeerAnswer>,
    {
        serde_json::to_string(&S::sent_answer(responder.respond(result)))
    }

    /// The line that answers a request of the other end with an error.
    pub fn reply_error<M: Request>(
        &self,
        responder: Responder<M>,
        error: JsonRpcError,
    ) -> Result<String, serde_json::Error> {
        serde_json::to_string(&S::sent_error(responder.error(error)))
    }

    /// Turns one line the other end sent into an event; `None` for a blank line.
    pub fn receive(&mut self, line: &str) -> Option<Event<S, P>> {
        self.line += 1;
        if line.trim().is_empty() {
            return None;
        }
        Some(match S::decode(line, &mut self.pending, &self.limits) {
            Ok(received) => self.event(received),
            Err(error) => self.protocol_error(error),
        })
    }

    /// Forgets a pending request (its waiter gave up): a late answer to it is then reported as
    /// an answer to no pending request. Returns its payload.
    pub fn forget(&mut self, id: &RequestId) -> Option<P> {
        self.pending.take(id).map(|(_, payload)| payload)
    }

    /// Ends the connection: every pending request can no longer be answered. Returns them with
    /// their payloads, in no particular order, so that each waiter can be told.
    pub fn close(&mut self) -> Vec<(RequestId, P)> {
        self.pending.drain().map(|(id, _, payload)| (id, payload)).collect()
    }

    /// How many of this end's requests wait for an answer.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// How many lines (blank ones included) this end has received.
    pub fn lines_received(&self) -> u64 {
        self.line
    }

    #[inline(always)]
    fn event(&mut self, received: S::Received) -> Event<S, P> {
        match S::classify(received) {
            Received::Request(request) => Event::Request(request),
            Received::Notification(notification) => Event::Notification(notification),
            Received::UnknownNotification(notification) => Event::UnknownNotification(notification),
            Received::Answer(answer) => match self.pending.take_answered() {
                Some((id, payload)) => Event::Answer { id, payload, answer },
                None => self.unmatched(None),
            },
            Received::Error(response) => match self.pending.take_answered() {
                Some((id, payload)) => Event::Error { id, payload, error: response.error },
                None => self.unmatched(Some(response.id)),
            },
        }
    }

    /// An answer the decoder matched but whose pending entry is gone. The decoder only
    /// returns an answer for an id it found pending and hands that entry on, so this does not
    /// happen; it is reported, not a panic, so that nothing a peer sends can make it one.
    fn unmatched(&mut self, id: Option<RequestId>) -> Event<S, P> {
        let error =
            DecodeError::new(DecodeErrorKind::UnknownResponseId, "an answer to no pending request");
        self.protocol_error(error.with_id(id).at("id", None))
    }

    fn protocol_error(&mut self, error: DecodeError) -> Event<S, P> {
        let reply = error
            .to_error_response()
            .and_then(|response| serde_json::to_string(&S::sent_error(response)).ok());
        let abandoned = self.pending.take_answered();
        Event::ProtocolError(ProtocolError { line: self.line, error, reply, abandoned })
    }
}

impl<S: Side, P> fmt::Debug for Connection<S, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("sends", &S::SENDS)
            .field("pending", &self.pending.len())
            .field("lines_received", &self.line)
            .finish()
    }
}

impl<P: fmt::Debug> fmt::Debug for ProtocolError<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProtocolError")
            .field("line", &self.line)
            .field("error", &self.error)
            .field("reply", &self.reply)
            .field("abandoned", &self.abandoned)
            .finish()
    }
}
