//! The typed decode error and its JSON-RPC codes.

use std::fmt;

use crate::jsonrpc::{ErrorCode, ErrorResponse, JsonRpcError, RequestId};
use crate::method_table::PayloadError;

/// How deeply arrays and objects may nest in a message: serde_json's recursion limit. A deeper
/// value is refused with a typed error (never a stack overflow).
pub const MAX_NESTING: usize = 128;

/// What kind of problem a line has; each maps to a JSON-RPC error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
/// sender: the JSON-RPC code, the request id and method when they could be read, and for bad
/// payloads the JSON path of the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What kind of problem it is.
    pub kind: DecodeErrorKind,
    /// The message's `id`, when it could be read.
    pub id: Option<RequestId>,
    /// The method: the request's or notification's `method`, or for a response the method of
    /// the request it answers.
    pub method: Option<String>,
    /// Where in the message the problem is, e.g. `params.input[0].type`; `None` when the
    /// problem is the message as a whole.
    pub path: Option<String>,
    /// What was found and what was expected.
    pub message: String,
}

impl DecodeError {
    pub(super) fn new(kind: DecodeErrorKind, message: impl Into<String>) -> Self {
        DecodeError { kind, id: None, method: None, path: None, message: message.into() }
    }

    pub(super) fn payload(
        kind: DecodeErrorKind,
        id: Option<RequestId>,
        method: &str,
        member: &str,
        err: PayloadError,
    ) -> Self {
        let path = match err.path.as_str() {
            "." => member.to_owned(),
            inner if inner.starts_with('[') => format!("{member}{inner}"),
            inner => format!("{member}.{inner}"),
        };
        let message = match err.message.as_str() {
            // serde_json stops at 128 nested arrays/objects (without using more stack); say so
            // in words a sender can act on.
            "recursion limit exceeded" => format!(
                "nested too deeply: more than {MAX_NESTING} levels of arrays and objects (the decoder's limit)"
            ),
            _ => err.message,
        };
        DecodeError { kind, id, method: Some(method.to_owned()), path: Some(path), message }
    }

    /// The JSON-RPC error code for this error.
    pub fn code(&self) -> ErrorCode {
        self.kind.code()
    }

    /// The error response to send back, when the line was a request whose id could be read.
    /// Notifications and responses are never answered.
    pub fn to_error_response(&self) -> Option<ErrorResponse> {
        let answerable =
            matches!(self.kind, DecodeErrorKind::MethodNotFound | DecodeErrorKind::InvalidParams);
        let id = self.id.clone().filter(|_| answerable)?;
        let message = match &self.path {
            Some(path) => format!("{} at `{path}`", self.message),
            None => self.message.clone(),
        };
        Some(ErrorResponse { id, error: JsonRpcError::new(self.code(), message) })
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
