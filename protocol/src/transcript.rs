//! Decoding both directions of one connection at once, as a proxy, an inspector or a
//! transcript validator sees it.
//!
//! [`TranscriptDecoder`] keeps both pending-request tables: a request decoded from one side is
//! registered, so that the other side's answer is typed by its method. A request that fails to
//! decode but whose `id` can be read is registered too, so that the error answering it matches.
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
use std::collections::HashMap;

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
    /// The method of the table the message is about: a request's or notification's method
    /// (for a method family its row's name, the prefix `codex/event/`), or the method of the
    /// request a response answers. `None` for error responses and for notifications of a
    /// method no table knows (see [`Decoded::wire_method`]).
    pub fn method_name(&self) -> Option<&'static str> {
        match self {
            Decoded::ClientToServer(ClientMessage::Request(r)) => Some(r.method().wire_name()),
            Decoded::ClientToServer(ClientMessage::Notification(n)) => Some(n.method().wire_name()),
            Decoded::ClientToServer(ClientMessage::Response(r)) => Some(r.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::Request(r)) => Some(r.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::Notification(n)) => Some(n.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::Response(r)) => Some(r.method().wire_name()),
            Decoded::ServerToClient(ServerMessage::UnknownNotification(_))
            | Decoded::ClientToServer(ClientMessage::Error(_))
            | Decoded::ServerToClient(ServerMessage::Error(_)) => None,
        }
    }

    /// The method name as it travels: [`Decoded::method_name`], except that a method family's
    /// notification has its full name (`codex/event/task_started`) and an unknown
    /// notification the name it came with.
    pub fn wire_method(&self) -> Option<Cow<'_, str>> {
        match self {
            Decoded::ServerToClient(ServerMessage::Notification(n)) => Some(n.wire_name()),
            Decoded::ServerToClient(ServerMessage::UnknownNotification(n)) => {
                Some(Cow::Borrowed(&n.method))
            }
            _ => self.method_name().map(Cow::Borrowed),
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
    /// Requests the client sent that failed to decode but whose id could be read: id → the
    /// method as written, when it is a string. Only an error answers them.
    client_undecoded: HashMap<RequestId, Option<String>>,
    /// The same for requests the server sent.
    server_undecoded: HashMap<RequestId, Option<String>>,
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
    /// its request out.
    ///
    /// A request that fails to decode is registered too when its id can be read — params that
    /// do not fit (-32602), an unknown method (-32601), any other problem of a line with a
    /// `method` and an `id` — so that the error answering it is matched, decodes as an
    /// [`ErrorResponse`](crate::ErrorResponse) and takes it out. A `result` answering such a
    /// request is an invalid-result error: no method types it.
    pub fn decode(&mut self, from: Direction, line: &str) -> Result<Decoded, DecodeError> {
        match self.decode_inner(from, line) {
            Err(err) if err.kind == DecodeErrorKind::UnknownResponseId => {
                self.answer_undecoded(from, line, err)
            }
            Err(err) => {
                self.register_undecoded(from, line, &err);
                Err(err)
            }
            decoded => decoded,
        }
    }

    /// Registers a request that failed to decode, when its id can be read: by its method
    /// when params did not fit, else among the undecoded requests of `from`.
    fn register_undecoded(&mut self, from: Direction, line: &str, err: &DecodeError) {
        if let (DecodeErrorKind::InvalidParams, Some(id), Some(method)) =
            (err.kind, &err.id, &err.method)
            && self.register_pending(from, id.clone(), method)
        {
            return;
        }
        if let Some((id, method)) = read_request_id(line) {
            self.undecoded_mut(from).insert(id, method);
        }
    }

    /// Decodes an answer whose id no typed request waits for: it may answer a request of the
    /// other side that failed to decode. An error answer then decodes as usual (its id is
    /// made pending under a stand-in method, which only an error message could name, and is
    /// replaced by the real one); a `result` is an invalid-result error.
    fn answer_undecoded(
        &mut self,
        from: Direction,
        line: &str,
        err: DecodeError,
    ) -> Result<Decoded, DecodeError> {
        let requester = from.reverse();
        let Some(id) = err.id.clone() else { return Err(err) };
        let Some(method) = self.undecoded_mut(requester).remove(&id) else { return Err(err) };
        if has_result(line) {
            return Err(DecodeError::new(
                DecodeErrorKind::InvalidResult,
                "this answers a request that failed to decode: only an error response can answer it",
            )
            .with_id(Some(id))
            .in_method_opt(method)
            .at("result", None));
        }
        match requester {
            Direction::ClientToServer => {
                self.client_requests.insert(id, ClientRequestMethod::ALL[0]);
            }
            Direction::ServerToClient => {
                self.server_requests.insert(id, ServerRequestMethod::ALL[0]);
            }
        }
        self.decode_inner(from, line).map_err(|err| err.in_method_opt(method))
    }

    fn undecoded_mut(&mut self, requester: Direction) -> &mut HashMap<RequestId, Option<String>> {
        match requester {
            Direction::ClientToServer => &mut self.client_undecoded,
            Direction::ServerToClient => &mut self.server_undecoded,
        }
    }

    fn undecoded(&self, requester: Direction) -> &HashMap<RequestId, Option<String>> {
        match requester {
            Direction::ClientToServer => &self.client_undecoded,
            Direction::ServerToClient => &self.server_undecoded,
        }
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
                    self.server_requests.register(request);
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
        [Direction::ClientToServer, Direction::ServerToClient]
            .into_iter()
            .find(|requester| self.is_pending(*requester, id))
    }

    /// Whether a request `requester` sent with this id waits for an answer (including a
    /// request that failed to decode but whose id could be read).
    pub fn is_pending(&self, requester: Direction, id: &crate::RequestId) -> bool {
        let typed = match requester {
            Direction::ClientToServer => self.client_requests.get(id).is_some(),
            Direction::ServerToClient => self.server_requests.get(id).is_some(),
        };
        typed || self.undecoded(requester).contains_key(id)
    }

    /// How many requests of each peer still wait for an answer: (client's, server's).
    pub fn pending_counts(&self) -> (usize, usize) {
        (
            self.client_requests.len() + self.client_undecoded.len(),
            self.server_requests.len() + self.server_undecoded.len(),
        )
    }
}

/// The id and method of a line that reads as a request: a JSON object with a `method` member
/// (its name when it is a string) and an `id` that is a string or a 64-bit integer.
fn read_request_id(line: &str) -> Option<(RequestId, Option<String>)> {
    #[derive(Deserialize)]
    struct Probe<'a> {
        id: Option<RequestId>,
        #[serde(borrow)]
        method: Option<&'a RawValue>,
    }
    let probe: Probe<'_> = serde_json::from_str(line).ok()?;
    let method = probe.method?;
    Some((probe.id?, serde_json::from_str::<String>(method.get()).ok()))
}

/// Whether a line has a `result` member (even `null`).
fn has_result(line: &str) -> bool {
    serde_json::from_str::<HashMap<Cow<'_, str>, serde::de::IgnoredAny>>(line)
        .is_ok_and(|members| members.contains_key("result"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServerMessage;

    const CLIENT: Direction = Direction::ClientToServer;
    const SERVER: Direction = Direction::ServerToClient;

    #[test]
    fn the_error_answering_an_unknown_method_matches_its_request() {
        let mut transcript = TranscriptDecoder::new();
        let err =
            transcript.decode(CLIENT, r#"{"id":7,"method":"thread/frobnicate"}"#).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::MethodNotFound);
        assert!(transcript.is_pending(CLIENT, &RequestId::Integer(7)));
        assert_eq!(transcript.pending_counts(), (1, 0));
        let answer = r#"{"id":7,"error":{"code":-32601,"message":"unknown request method `thread/frobnicate`"}}"#;
        assert_eq!(transcript.infer_direction(answer), Some(SERVER));
        let decoded = transcript.decode(SERVER, answer).unwrap();
        assert!(matches!(decoded, Decoded::ServerToClient(ServerMessage::Error(_))), "{decoded:?}");
        assert_eq!(transcript.pending_counts(), (0, 0));
    }

    #[test]
    fn any_request_with_a_readable_id_is_matched_by_its_error_answer() {
        let mut transcript = TranscriptDecoder::new();
        // Bad params of an unknown method, a bad `jsonrpc`, a request carrying `result`.
        let requests = [
            r#"{"id":"a","method":"nope","params":[1]}"#,
            r#"{"jsonrpc":"1.0","id":"b","method":"thread/archive","params":{"threadId":"t"}}"#,
            r#"{"id":"c","method":"thread/archive","result":{}}"#,
        ];
        for request in requests {
            transcript.decode(CLIENT, request).unwrap_err();
        }
        assert_eq!(transcript.pending_counts(), (3, 0));
        for id in ["a", "b", "c"] {
            let answer = format!(r#"{{"id":"{id}","error":{{"code":-32600,"message":"no"}}}}"#);
            transcript.decode(SERVER, &answer).unwrap();
        }
        assert_eq!(transcript.pending_counts(), (0, 0));
    }

    #[test]
    fn a_result_cannot_answer_a_request_that_failed_to_decode() {
        let mut transcript = TranscriptDecoder::new();
        transcript
            .decode(SERVER, r#"{"id":3,"method":"item/frobnicate/requestApproval"}"#)
            .unwrap_err();
        let err = transcript.decode(CLIENT, r#"{"id":3,"result":{}}"#).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::InvalidResult);
        assert_eq!(err.method.as_deref(), Some("item/frobnicate/requestApproval"));
        assert_eq!(err.path.as_deref(), Some("result"));
        // The request is answered all the same; a second answer matches nothing.
        let again = transcript.decode(CLIENT, r#"{"id":3,"error":{"code":1,"message":"x"}}"#);
        assert_eq!(again.unwrap_err().kind, DecodeErrorKind::UnknownResponseId);
    }

    #[test]
    fn a_malformed_error_answer_names_the_method_as_written() {
        let mut transcript = TranscriptDecoder::new();
        transcript.decode(CLIENT, r#"{"id":1,"method":"nope"}"#).unwrap_err();
        let err = transcript.decode(SERVER, r#"{"id":1,"error":{"code":"x"}}"#).unwrap_err();
        assert_eq!(
            (err.kind, err.method.as_deref()),
            (DecodeErrorKind::InvalidResult, Some("nope"))
        );
        assert_eq!(transcript.pending_counts(), (0, 0));
        // A typed request is unaffected.
        transcript
            .decode(CLIENT, r#"{"id":2,"method":"thread/archive","params":{"threadId":"t"}}"#)
            .unwrap();
        let answer = transcript.decode(SERVER, r#"{"id":2,"result":{}}"#).unwrap();
        assert_eq!(answer.method_name(), Some("thread/archive"));
    }
}
