//! Decoding a line of JSON into a typed message, and encoding typed messages.
//!
//! Decoding is done per direction: [`decode_client_message`] is what a server calls on each
//! line a client sends, [`decode_server_message`] is what a client calls on each line the
//! server sends. A line is classified by its members (`id`, `method`, `result`, `error`) in
//! one pass — params and results are kept as raw JSON text and decoded once, straight into
//! their typed form.
//!
//! Responses carry no method name: they are typed by the method of the request they answer.
//! Each side keeps a [`PendingRequests`] table (id → method) of the requests it sent; the
//! decoder takes the entry out when the answer arrives and reports an answer to nothing.
//!
//! Errors are values, never panics, and map to JSON-RPC codes (see [`DecodeErrorKind`]), with
//! the JSON path of the member at fault and what was expected there, in JSON's words
//! (`expected an integer from 1 to 4294967295, found 0` at `params.limit`). Members are passed
//! by name: an array is refused wherever an object is expected, at any depth, on both paths.
//! A failed request whose `id` could be read is answered with
//! [`DecodeError::to_error_response`].
//!
//! Hostile input is refused with a typed error: a line over [`DecodeLimits::max_message_bytes`]
//! (16 MiB by default) before parsing, nesting deeper than [`MAX_NESTING`], bytes that are not
//! UTF-8 (the `_bytes` entry points, with the byte offset), a byte order mark or a NUL byte.
//! Decode errors never show the values of credential-named members (see [`crate::Secret`]).

mod error;
mod limits;
mod one_pass;
mod pending;
mod redact;
mod sender;
#[cfg(test)]
mod tests;
mod wording;

use std::borrow::Cow;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub use error::{DecodeError, DecodeErrorKind};
pub use limits::DecodeLimits;
pub(crate) use limits::utf8;
pub use pending::{OutgoingRequest, PendingRequests};
use sender::{ClientToServer, Sender, ServerToClient};
pub use wording::MAX_NESTING;

use crate::jsonrpc::{ErrorResponse, RequestId, UnknownNotification};
use crate::methods::{
    ClientNotification, ClientRequest, ClientRequestMethod, ClientRequestResult,
    ServerNotification, ServerRequest, ServerRequestMethod, ServerRequestResult,
};

/// Everything a client can send (and so everything a server receives).
// A decoded message is matched and consumed right away; boxing the request variant would make
// every match go through a box for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ClientMessage {
    /// A request to the server.
    Request(ClientRequest),
    /// A notification to the server.
    Notification(ClientNotification),
    /// The successful answer to a request the server sent (an approval decision).
    Response(ServerRequestResult),
    /// The failed answer to a request the server sent.
    Error(ErrorResponse),
}

/// Everything the server can send (and so everything a client receives).
// A decoded message is matched and consumed right away; boxing the request variant would make
// every match go through a box for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ServerMessage {
    /// A request to the client (an approval).
    Request(ServerRequest),
    /// A notification to the client.
    Notification(ServerNotification),
    /// A notification whose method this crate does not know (a newer server's): decoded with
    /// its method and raw params instead of refused, since a new notification is a change the
    /// compatibility rules call safe. Only the client's decoder makes it; an unknown
    /// notification *to* a server is still refused (-32601).
    UnknownNotification(UnknownNotification),
    /// The successful answer to a request the client sent.
    Response(ClientRequestResult),
    /// The failed answer to a request the client sent.
    Error(ErrorResponse),
}

impl ClientMessage {
    /// The canonical wire JSON of the message, as one line (no trailing newline).
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Appends the message's line and its `\n` to `out` (see [`append_line`]).
    pub fn append_line(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        append_line(self, out)
    }
}

impl ServerMessage {
    /// The canonical wire JSON of the message, as one line (no trailing newline).
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Appends the message's line and its `\n` to `out` (see [`append_line`]).
    pub fn append_line(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        append_line(self, out)
    }
}

/// Appends the canonical wire JSON of `message` and the `\n` that ends its line to `out`: the
/// way to encode many messages into one outgoing buffer without a `String` each. When encoding
/// fails (a map with non-string keys, a failing `Serialize` impl) `out` is left exactly as it
/// was: no half line is ever appended.
///
/// ```
/// use app_server_protocol::{ServerMessage, ServerNotification, codec::append_line, v2};
///
/// let mut out = b"earlier line\n".to_vec();
/// let delta = ServerNotification::AgentMessageDelta {
///     params: v2::AgentMessageDeltaNotification::new("item_1", "Hi"),
/// };
/// append_line(&ServerMessage::Notification(delta), &mut out).unwrap();
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "earlier line\n{\"method\":\"item/agentMessage/delta\",\"params\":{\"itemId\":\"item_1\",\"delta\":\"Hi\"}}\n"
/// );
/// ```
pub fn append_line<T: Serialize + ?Sized>(
    message: &T,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    let start = out.len();
    match serde_json::to_writer(&mut *out, message) {
        Ok(()) => {
            out.push(b'\n');
            Ok(())
        }
        Err(error) => {
            out.truncate(start);
            Err(error)
        }
    }
}

/// Decodes one line sent by a client, as the server receives it.
///
/// `pending` holds the requests the server sent; a response or error takes its entry out.
///
/// ```
/// use app_server_protocol::{ClientMessage, ClientRequest, PendingRequests, decode_client_message};
///
/// let mut pending = PendingRequests::new();
/// let line = r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_123"}}"#;
/// let message = decode_client_message(line, &mut pending).unwrap();
/// assert!(matches!(message, ClientMessage::Request(ClientRequest::ThreadArchive { .. })));
/// assert_eq!(message.to_line().unwrap(), line);
/// ```
pub fn decode_client_message<P>(
    line: &str,
    pending: &mut PendingRequests<ServerRequestMethod, P>,
) -> Result<ClientMessage, DecodeError> {
    decode_line::<ClientToServer, P>(line, pending, &DecodeLimits::new())
}

/// Decodes one line sent by the server, as a client receives it.
///
/// `pending` holds the requests the client sent; a response or error takes its entry out.
pub fn decode_server_message<P>(
    line: &str,
    pending: &mut PendingRequests<ClientRequestMethod, P>,
) -> Result<ServerMessage, DecodeError> {
    decode_line::<ServerToClient, P>(line, pending, &DecodeLimits::new())
}

/// [`decode_client_message`] with other [`DecodeLimits`] than the default.
pub fn decode_client_message_with<P>(
    line: &str,
    pending: &mut PendingRequests<ServerRequestMethod, P>,
    limits: &DecodeLimits,
) -> Result<ClientMessage, DecodeError> {
    decode_line::<ClientToServer, P>(line, pending, limits)
}

/// [`decode_server_message`] with other [`DecodeLimits`] than the default.
pub fn decode_server_message_with<P>(
    line: &str,
    pending: &mut PendingRequests<ClientRequestMethod, P>,
    limits: &DecodeLimits,
) -> Result<ServerMessage, DecodeError> {
    decode_line::<ServerToClient, P>(line, pending, limits)
}

/// Decodes one line sent by a client from raw bytes, as read from the transport. The size
/// limit is checked first; bytes that are not UTF-8 are a -32700 error naming the byte offset.
///
/// ```
/// use app_server_protocol::{DecodeLimits, PendingRequests, decode_client_message_bytes};
///
/// let err = decode_client_message_bytes(b"{\"method\":\"initialized\xff\"}", &mut PendingRequests::new(), &DecodeLimits::default())
///     .unwrap_err();
/// assert_eq!((err.code().0, err.message.as_str()), (-32700, "not UTF-8: invalid byte 0xFF at byte offset 22"));
/// ```
pub fn decode_client_message_bytes<P>(
    line: &[u8],
    pending: &mut PendingRequests<ServerRequestMethod, P>,
    limits: &DecodeLimits,
) -> Result<ClientMessage, DecodeError> {
    limits.check_size(line.len())?;
    decode_line::<ClientToServer, P>(limits::utf8(line)?, pending, limits)
}

/// Decodes one line sent by the server from raw bytes; see [`decode_client_message_bytes`].
pub fn decode_server_message_bytes<P>(
    line: &[u8],
    pending: &mut PendingRequests<ClientRequestMethod, P>,
    limits: &DecodeLimits,
) -> Result<ServerMessage, DecodeError> {
    limits.check_size(line.len())?;
    decode_line::<ServerToClient, P>(limits::utf8(line)?, pending, limits)
}

/// The members of a message, each kept as raw JSON text. A member that is present is `Some`,
/// even when its value is `null`.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    error: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    jsonrpc: Option<&'a RawValue>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

fn decode_line<S: Sender, P>(
    line: &str,
    pending: &mut PendingRequests<S::AnsweredMethod, P>,
    limits: &DecodeLimits,
) -> Result<S::Message, DecodeError> {
    limits.check_size(line.len())?;
    // The fast path builds the message right in `slot`, which has the return type so that it
    // can be returned as it is: moving the message (a few hundred bytes) out of another
    // container would copy it once or twice more.
    let mut slot = Err(DecodeError::new(DecodeErrorKind::InvalidMessage, String::new()));
    if let Some(decoded) = one_pass::decode::<S>(line, pending, &mut slot)
        && slot.is_ok()
    {
        if let Some(id) = &decoded.answers {
            pending.answer(id);
        }
        return slot;
    }
    diagnose::<S, P>(line, pending).map_err(|err| redact::redact(line, err))
}

/// The diagnostic path: classifies the line member by member and decodes payloads with path
/// tracking, so that a problem is reported with its JSON-RPC code, JSON path and expectation.
/// It runs when the fast path gives up, and decodes whatever the fast path does not handle.
fn diagnose<S: Sender, P>(
    line: &str,
    pending: &mut PendingRequests<S::AnsweredMethod, P>,
) -> Result<S::Message, DecodeError> {
    let envelope = parse_envelope(line)?;
    let id = envelope.id.map(parse_id).transpose()?;
    // A line with a `method`, or with neither `result` nor `error`, is (meant as) a request:
    // when its id could be read, its sender waits for an answer, so every error says so.
    let request =
        envelope.method.is_some() || (envelope.result.is_none() && envelope.error.is_none());
    let classified = check_version(&envelope).and_then(|()| match envelope.method {
        Some(method) => diagnose_call::<S>(&envelope, method, id.clone()),
        None => diagnose_answer::<S, P>(&envelope, id.clone(), pending),
    });
    let notification = envelope.method.is_some() && envelope.id.is_none();
    classified.map_err(|err| {
        let err = if err.id.is_none() { err.with_id(id) } else { err };
        err.request(request).notification(notification)
    })
}

/// A `jsonrpc` member, when present, must be `"2.0"`.
fn check_version(envelope: &Envelope<'_>) -> Result<(), DecodeError> {
    let Some(version) = envelope.jsonrpc else { return Ok(()) };
    // Compare the string's value, not its text: `"2\u002e0"` is `"2.0"` too.
    if serde_json::from_str::<String>(version.get()).ok().as_deref() == Some("2.0") {
        return Ok(());
    }
    Err(invalid(format!("`jsonrpc` must be \"2.0\" when present, found {}", version.get()))
        .at("jsonrpc", Some("\"2.0\"")))
}

/// A request or notification: the method must be served here, the params must be an object
/// (or absent) that fits its type.
fn diagnose_call<S: Sender>(
    envelope: &Envelope<'_>,
    method: &RawValue,
    id: Option<RequestId>,
) -> Result<S::Message, DecodeError> {
    let method = parse_method(method)?;
    if let Some(member) = [("result", envelope.result), ("error", envelope.error)]
        .into_iter()
        .find_map(|(member, value)| value.map(|_| member))
    {
        let message = format!("a message with `method` cannot also carry `{member}`");
        return Err(invalid(message).in_method(&method).at(member, None));
    }
    let params = envelope.params.map(RawValue::get).filter(|raw| *raw != "null");
    if let Some(raw) = params.filter(|raw| !raw.starts_with('{')) {
        let message = format!(
            "`params` must be an object (params are passed by name), found {}",
            json_kind(raw)
        );
        return Err(DecodeError::new(DecodeErrorKind::InvalidParams, message)
            .in_method(&method)
            .at("params", Some("an object")));
    }
    match id {
        Some(id) => decode_request::<S>(id, &method, params),
        None => decode_notification::<S>(&method, params),
    }
}

/// A response or an error response: it must carry the `id` of a pending request, and its
/// `result` must be an object that fits the answered method's result type.
fn diagnose_answer<S: Sender, P>(
    envelope: &Envelope<'_>,
    id: Option<RequestId>,
    pending: &mut PendingRequests<S::AnsweredMethod, P>,
) -> Result<S::Message, DecodeError> {
    let (member, raw) = match (envelope.result, envelope.error) {
        (Some(_), Some(_)) => {
            return Err(invalid("a response cannot carry both `result` and `error`"));
        }
        (Some(result), None) => ("result", result),
        (None, Some(error)) => ("error", error),
        (None, None) => {
            return Err(invalid(
                "not a message: expected `method` (request or notification), `result` (response) or `error` (error response)",
            ));
        }
    };
    let Some(id) = id else {
        let message = match member {
            "result" => "a response must carry the `id` of the request it answers",
            _ => "an error response must carry the `id` of the request it answers",
        };
        return Err(invalid(message).at("id", Some("the id of the request it answers")));
    };
    // An answer takes its request out even when malformed: it was answered.
    let method = take_pending::<S, P>(pending, &id)?;
    let wire_name = S::answered_wire_name(method);
    let bad = |err| DecodeError::payload(DecodeErrorKind::InvalidResult, member, err);
    if !raw.get().starts_with('{') {
        let message = format!("`{member}` must be an object, found {}", json_kind(raw.get()));
        return Err(DecodeError::new(DecodeErrorKind::InvalidResult, message)
            .in_method(wire_name)
            .at(member, Some("an object")));
    }
    let decoded = match member {
        "result" => S::response(id.clone(), method, raw.get()),
        _ => crate::row::decode_payload(Some(raw.get()), true)
            .map(|error| S::error(ErrorResponse { id: id.clone(), error })),
    };
    decoded.map_err(|err| bad(err).in_method(wire_name))
}

fn parse_envelope(line: &str) -> Result<Envelope<'_>, DecodeError> {
    // A message is an object. serde would read an array positionally into the envelope's
    // fields, so anything else is classified here: JSON → -32600, not JSON → -32700.
    let first = line.bytes().find(|b| !b.is_ascii_whitespace());
    if first.is_some() && first != Some(b'{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(line) {
            Ok(_) => invalid(match first {
                Some(b'[') => {
                    "not a JSON-RPC message: a top-level array (batches are not supported); expected an object"
                }
                _ => {
                    "not a JSON-RPC message: expected an object with `method`, `result` or `error`"
                }
            }),
            Err(err) => limits::not_json(line, &err),
        });
    }
    serde_json::from_str(line).map_err(|err| {
        use serde_json::error::Category;
        match err.classify() {
            Category::Syntax | Category::Eof | Category::Io => limits::not_json(line, &err),
            Category::Data => {
                let detail = strip_position(&err);
                match detail.strip_prefix("duplicate field `").and_then(|rest| rest.strip_suffix('`')) {
                    Some(member) => invalid(format!("duplicate member `{member}`: each member of a message may appear once"))
                        .at(member, None),
                    None => invalid(format!(
                        "not a JSON-RPC message: expected an object with `method`, `result` or `error` ({detail})"
                    )),
                }
            }
        }
    })
}

/// The kind of a raw JSON value, for messages.
fn json_kind(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn invalid(message: impl Into<String>) -> DecodeError {
    DecodeError::new(DecodeErrorKind::InvalidMessage, message)
}

fn parse_id(raw: &RawValue) -> Result<RequestId, DecodeError> {
    let text = raw.get();
    let parsed = if text.starts_with('"') {
        serde_json::from_str::<String>(text).ok().map(RequestId::String)
    } else {
        serde_json::from_str::<i64>(text).ok().map(RequestId::Integer)
    };
    parsed.ok_or_else(|| {
        invalid(format!("`id` must be a string or a 64-bit integer, found {text}"))
            .at("id", Some(&wording::json_expected("a string or a 64-bit integer")))
    })
}

fn parse_method(raw: &RawValue) -> Result<Cow<'_, str>, DecodeError> {
    let text = raw.get();
    let borrowed: Result<&str, _> = serde_json::from_str(text);
    match borrowed {
        Ok(name) => Ok(Cow::Borrowed(name)),
        Err(_) => serde_json::from_str::<String>(text).map(Cow::Owned).map_err(|_| {
            invalid(format!("`method` must be a string, found {text}"))
                .at("method", Some("a string"))
        }),
    }
}

fn method_not_found<S: Sender>(method: &str, kind: &str) -> DecodeError {
    let message = if S::sent_by_other_side(method) {
        format!("`{method}` is sent by the other side; it cannot be sent {}", S::DIRECTION)
    } else {
        format!("unknown {kind} method `{method}`")
    };
    DecodeError::new(DecodeErrorKind::MethodNotFound, message).in_method(method).at("method", None)
}

fn decode_request<S: Sender>(
    id: RequestId,
    method: &str,
    params: Option<&str>,
) -> Result<S::Message, DecodeError> {
    let Some(known) = S::request_method(method) else {
        return Err(method_not_found::<S>(method, "request"));
    };
    S::request(id, known, params).map_err(|err| {
        DecodeError::payload(DecodeErrorKind::InvalidParams, "params", err).in_method(method)
    })
}

fn decode_notification<S: Sender>(
    method: &str,
    params: Option<&str>,
) -> Result<S::Message, DecodeError> {
    let Some(known) = S::notification_method(method) else {
        if !S::sent_by_other_side(method)
            && let Some(unknown) = S::unknown_notification(method, params)
        {
            return unknown.map_err(|err| {
                DecodeError::payload(DecodeErrorKind::InvalidParams, "params", err)
                    .in_method(method)
            });
        }
        return Err(method_not_found::<S>(method, "notification"));
    };
    S::notification(known, method, params).map_err(|err| {
        DecodeError::payload(DecodeErrorKind::InvalidParams, "params", err).in_method(method)
    })
}

fn take_pending<S: Sender, P>(
    pending: &mut PendingRequests<S::AnsweredMethod, P>,
    id: &RequestId,
) -> Result<S::AnsweredMethod, DecodeError> {
    pending.answer(id).ok_or_else(|| {
        DecodeError::new(
            DecodeErrorKind::UnknownResponseId,
            format!(
                "this answers no pending request: no request with id {id} is waiting for an answer"
            ),
        )
        .at("id", Some("the id of a pending request"))
    })
}
