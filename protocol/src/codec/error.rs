//! The typed decode error and its JSON-RPC codes.

use std::fmt;

use super::wording;
use crate::jsonrpc::{DecodeErrorData, ErrorCode, ErrorResponse, JsonRpcError, RequestId};
use crate::row::PayloadError;
use crate::tagged_union;

/// What kind of problem a line has; each maps to a JSON-RPC error code.
///
/// Non-exhaustive: a later version may add kinds, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The line is not JSON (including an empty line). Code -32700.
    Parse,
    /// JSON, but not a valid message: not an object, no `method`/`result`/`error`, a bad
    /// `id`, both `result` and `error`, or a `jsonrpc` member other than `"2.0"`. Code -32600.
    InvalidMessage,
    /// A method the receiving side does not serve (unknown, or one the other side serves).
    /// Code -32601.
    MethodNotFound,
    /// The params do not fit the method's params type. Code -32602.
    InvalidParams,
    /// The `result` of a response does not fit the answered method's result type, or an
    /// `error` member is malformed. Code -32603.
    InvalidResult,
    /// A response or error whose `id` matches no pending request. Code -32600.
    UnknownResponseId,
    /// The line is longer than the configured maximum message size
    /// ([`DecodeLimits::max_message_bytes`](super::DecodeLimits::max_message_bytes)); it was
    /// refused before parsing. Code -32600.
    MessageTooLarge,
}

impl DecodeErrorKind {
    /// The JSON-RPC error code for this kind of problem.
    pub fn code(self) -> ErrorCode {
        match self {
            DecodeErrorKind::Parse => ErrorCode::PARSE_ERROR,
            DecodeErrorKind::InvalidMessage
            | DecodeErrorKind::UnknownResponseId
            | DecodeErrorKind::MessageTooLarge => ErrorCode::INVALID_REQUEST,
            DecodeErrorKind::MethodNotFound => ErrorCode::METHOD_NOT_FOUND,
            DecodeErrorKind::InvalidParams => ErrorCode::INVALID_PARAMS,
            DecodeErrorKind::InvalidResult => ErrorCode::INTERNAL_ERROR,
        }
    }
}

/// Why a line could not be decoded, with enough detail to answer the peer and to fix the
/// sender: the JSON-RPC code, the request id and method when they could be read, the JSON path
/// of the offending member and what was expected there.
///
/// A server answers it with [`to_error_response`](Self::to_error_response) whenever that gives
/// a response (the line was a request whose `id` could be read). When no `id` can be read (not
/// JSON, not an object, a bad `id`, a line over the size limit), there is nobody to address an
/// answer to: the wire of this protocol (0.63) has no `"id": null` errors, so the server logs
/// the error and drops the line; a client that sent it waits in vain, which is why a client
/// should time its requests out. Notifications and responses are never answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What kind of problem it is.
    pub kind: DecodeErrorKind,
    /// The message's `id`, when it could be read.
    pub id: Option<RequestId>,
    /// The method: the request's or notification's `method`, or for a response the method of
    /// the request it answers.
    pub method: Option<String>,
    /// Where in the message the problem is, e.g. `params.input[0].type`, `params.threadId` for
    /// a missing member, `id` for a response without one; `None` when the problem is the
    /// message as a whole.
    pub path: Option<String>,
    /// What was expected at `path`, in JSON's words, e.g. `an integer from 1 to 4294967295`;
    /// `None` when the error does not say. (A boxed `str` rather than a `String` keeps the
    /// error small: it travels in every `Result` of the decoder.)
    pub expected: Option<Box<str>>,
    /// What was found and what was expected.
    pub message: String,
    /// Whether the line was a request (a `method`, or neither `result` nor `error`): a
    /// response is owed when its `id` could be read.
    request: bool,
    /// Whether the line was a notification: a `method` and no `id` member.
    notification: bool,
}

impl DecodeError {
    /// An error of `kind` with what was found and expected in words, for a transport that
    /// refuses a line before the decoder sees it (too long, not UTF-8) or a layer above the
    /// decoder; add the id, method and place with [`with_id`](Self::with_id),
    /// [`in_method`](Self::in_method) and [`at`](Self::at). Never answerable by itself: a line
    /// whose request could be read is the decoder's to judge.
    pub fn new(kind: DecodeErrorKind, message: impl Into<String>) -> Self {
        DecodeError {
            kind,
            id: None,
            method: None,
            path: None,
            expected: None,
            message: message.into(),
            request: false,
            notification: false,
        }
    }

    /// A payload (`member`: `params`, `result` or `error`) that does not fit its type, in
    /// JSON's words (see [`super::wording`]). Bad params make the line a request.
    pub(super) fn payload(kind: DecodeErrorKind, member: &str, err: PayloadError) -> Self {
        let path = match err.path.as_str() {
            "." => member.to_owned(),
            inner => tagged_union::join_path(member, inner),
        };
        // An error inside a union whose tag came late names its place in its message.
        let (path, message) = match tagged_union::split_within(&err.message) {
            Some((inner, message)) => (tagged_union::join_path(&path, inner), message),
            None => (path, err.message.as_str()),
        };
        let explained = wording::explain(path, message);
        DecodeError {
            path: Some(explained.path),
            expected: explained.expected.map(String::into_boxed_str),
            request: kind == DecodeErrorKind::InvalidParams,
            ..DecodeError::new(kind, explained.message)
        }
    }

    /// The error with the message's `id`.
    pub fn with_id(mut self, id: Option<RequestId>) -> Self {
        self.id = id;
        self
    }

    /// The error in `method`.
    pub fn in_method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    /// The error in `method`, or in no known method.
    pub fn in_method_opt(mut self, method: Option<String>) -> Self {
        self.method = method;
        self
    }

    /// The error at `path` (a JSON path such as `params.threadId`), where `expected` was
    /// expected.
    pub fn at(mut self, path: &str, expected: Option<&str>) -> Self {
        self.path = Some(path.to_owned());
        self.expected = expected.map(Box::from);
        self
    }

    /// Marks the line as a request (or, `false`, as an answer): whether a response is owed.
    pub(super) fn request(mut self, request: bool) -> Self {
        self.request = request;
        self
    }

    /// Marks the line as a notification (a `method` and no `id`).
    pub(super) fn notification(mut self, notification: bool) -> Self {
        self.notification = notification;
        self
    }

    /// The method of a notification that was refused: `Some` when the line was a notification
    /// (a `method` and no `id` member) whose method could be read. A client hands it on as an
    /// invalid notification, so that a loop waiting for, say, `turn/completed` learns that one
    /// came, even though it could not be decoded.
    pub fn notification_method(&self) -> Option<&str> {
        if self.notification { self.method.as_deref() } else { None }
    }

    /// The JSON-RPC error code for this error.
    pub fn code(&self) -> ErrorCode {
        self.kind.code()
    }

    /// Whether the peer is owed an answer: the line was a request (it has a `method`, or it
    /// has neither `result` nor `error`) and its `id` could be read.
    pub fn is_answerable(&self) -> bool {
        self.request && self.id.is_some()
    }

    /// The structured detail of the error, for `error.data`: its path and what was expected.
    /// `None` when it has neither.
    pub fn data(&self) -> Option<DecodeErrorData> {
        if self.path.is_none() && self.expected.is_none() {
            return None;
        }
        let expected = self.expected.as_deref().map(str::to_owned);
        Some(DecodeErrorData { path: self.path.clone(), expected })
    }

    /// The error response to send back, for every failure of a request whose `id` could be
    /// read (whatever the code: -32600, -32601, -32602 …); `None` when no answer is owed (see
    /// the type's docs for a line without a readable `id`). The message names the path; the
    /// path and the expectation also travel in `error.data` ([`DecodeErrorData`]).
    ///
    /// ```
    /// use app_server_protocol::{PendingRequests, decode_client_message};
    ///
    /// let line = r#"{"id":6,"method":"thread/list","params":{"limit":0}}"#;
    /// let err = decode_client_message(line, &mut PendingRequests::new()).unwrap_err();
    /// let answer = serde_json::to_value(err.to_error_response().unwrap()).unwrap();
    /// assert_eq!(answer["id"], 6);
    /// assert_eq!(answer["error"]["code"], -32602);
    /// assert_eq!(
    ///     answer["error"]["data"],
    ///     serde_json::json!({"path": "params.limit", "expected": "an integer from 1 to 4294967295"})
    /// );
    ///
    /// // Not a method name, but the id is readable: answered too (-32600 at `method`).
    /// let err = decode_client_message(r#"{"id":7,"method":123}"#, &mut PendingRequests::new())
    ///     .unwrap_err();
    /// assert_eq!(err.to_error_response().unwrap().error.code.0, -32600);
    /// ```
    pub fn to_error_response(&self) -> Option<ErrorResponse> {
        let id = self.id.clone().filter(|_| self.is_answerable())?;
        let message = match &self.path {
            Some(path) => format!("{} at `{path}`", self.message),
            None => self.message.clone(),
        };
        let mut error = JsonRpcError::new(self.code(), message);
        error.data = self.data().and_then(|data| serde_json::to_value(data).ok());
        Some(ErrorResponse { id, error })
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())?;
        if let Some(method) = &self.method {
            write!(f, " in `{method}`")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}
