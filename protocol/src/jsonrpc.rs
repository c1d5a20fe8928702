//! The JSON-RPC 2.0 envelope as this protocol uses it.
//!
//! Messages travel as JSON Lines over stdio. The `"jsonrpc": "2.0"` member is never written and
//! is accepted (and ignored) when a peer sends it. Shapes:
//!
//! | message      | members                                      |
//! |--------------|----------------------------------------------|
//! | request      | `id`, `method`, `params`?                    |
//! | notification | `method`, `params`?                          |
//! | response     | `id`, `result`                               |
//! | error        | `id`, `error: { code, message, data? }`      |
//!
//! The typed messages live in [`crate::methods`]; this module holds the pieces every message
//! shares: [`RequestId`], [`ErrorCode`], [`JsonRpcError`] (with constructors for the standard
//! errors), [`DecodeErrorData`] and the untyped [`ErrorResponse`].

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Identifies a request so that its response can be matched to it.
///
/// Either a string or an integer. On the Rust side integers are 64-bit signed; values beyond
/// 2^53 are not portable to JavaScript clients, so clients should prefer small integers or
/// strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub enum RequestId {
    /// A string id, e.g. `"req-17"`.
    String(String),
    /// An integer id, e.g. `17`.
    #[cfg_attr(feature = "codegen", ts(type = "number"))]
    Integer(i64),
}

/// Reads a string or an integer straight from the input (an untagged derive would buffer the
/// value first). Integers outside `i64`, floats and other types are rejected.
impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = RequestId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a 64-bit integer")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<RequestId, E> {
                Ok(RequestId::String(value.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<RequestId, E> {
                Ok(RequestId::String(value))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<RequestId, E> {
                Ok(RequestId::Integer(value))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<RequestId, E> {
                i64::try_from(value)
                    .map(RequestId::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestId::String(s) => write!(f, "{s:?}"),
            RequestId::Integer(n) => write!(f, "{n}"),
        }
    }
}

impl From<i64> for RequestId {
    fn from(value: i64) -> Self {
        RequestId::Integer(value)
    }
}

impl From<&str> for RequestId {
    fn from(value: &str) -> Self {
        RequestId::String(value.to_owned())
    }
}

impl From<String> for RequestId {
    fn from(value: String) -> Self {
        RequestId::String(value)
    }
}

/// A JSON-RPC error code.
///
/// The standard codes have constants; servers may use other integers for their own errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ErrorCode(pub i64);

impl ErrorCode {
    /// -32700: the line is not JSON.
    pub const PARSE_ERROR: ErrorCode = ErrorCode(-32700);
    /// -32600: the JSON is not a valid message, or a request was understood but refused.
    pub const INVALID_REQUEST: ErrorCode = ErrorCode(-32600);
    /// -32601: the receiving side does not serve this method.
    pub const METHOD_NOT_FOUND: ErrorCode = ErrorCode(-32601);
    /// -32602: the params do not fit the method's params type.
    pub const INVALID_PARAMS: ErrorCode = ErrorCode(-32602);
    /// -32603: an internal error, also used for a response whose `result` does not fit.
    pub const INTERNAL_ERROR: ErrorCode = ErrorCode(-32603);

    /// The standard name of the code, if it is one of the five standard codes.
    pub fn standard_name(self) -> Option<&'static str> {
        Some(match self.0 {
            -32700 => "parse error",
            -32600 => "invalid request",
            -32601 => "method not found",
            -32602 => "invalid params",
            -32603 => "internal error",
            _ => return None,
        })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.standard_name() {
            Some(name) => write!(f, "{} ({name})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

/// The `error` member of an error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonRpcError {
    /// The JSON-RPC error code, e.g. `-32602` for invalid params.
    pub code: ErrorCode,
    /// A human-readable description of the error.
    pub message: String,
    /// Structured detail defined by the method, e.g. `{ "configWriteErrorCode": … }`.
    /// Omitted when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl JsonRpcError {
    /// An error with the given code and message and no `data`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        JsonRpcError { code, message: message.into(), data: None }
    }

    /// Attaches structured `data` to the error.
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// -32602: the params do not fit, at `path` (a JSON path such as `params.cursor`), where
    /// `expected` was expected. The path and the expectation also travel in `data`, as a
    /// [`DecodeErrorData`], as in the decoder's own errors.
    ///
    /// ```
    /// use app_server_protocol::JsonRpcError;
    ///
    /// let error = JsonRpcError::invalid_params("params.cwd", "an absolute path");
    /// assert_eq!(error.code.0, -32602);
    /// assert_eq!(error.message, "invalid params: expected an absolute path at `params.cwd`");
    /// assert_eq!(
    ///     error.data,
    ///     Some(serde_json::json!({"path": "params.cwd", "expected": "an absolute path"}))
    /// );
    /// ```
    pub fn invalid_params(path: impl Into<String>, expected: impl Into<String>) -> Self {
        let (path, expected) = (path.into(), expected.into());
        let message = format!("invalid params: expected {expected} at `{path}`");
        let data = DecodeErrorData { path: Some(path), expected: Some(expected) };
        JsonRpcError {
            data: serde_json::to_value(data).ok(),
            ..Self::new(ErrorCode::INVALID_PARAMS, message)
        }
    }

    /// -32601: the receiving side does not serve `method`.
    ///
    /// ```
    /// use app_server_protocol::JsonRpcError;
    ///
    /// let error = JsonRpcError::method_not_found("thread/frobnicate");
    /// assert_eq!((error.code.0, error.message.as_str()), (-32601, "unknown method `thread/frobnicate`"));
    /// ```
    pub fn method_not_found(method: &str) -> Self {
        Self::new(ErrorCode::METHOD_NOT_FOUND, format!("unknown method `{method}`"))
    }

    /// -32600: the request was understood but is refused, for the reason `why` (which is the
    /// message).
    ///
    /// ```
    /// use app_server_protocol::JsonRpcError;
    ///
    /// let error = JsonRpcError::invalid_request("thread not found: thr_01JD00000000");
    /// assert_eq!((error.code.0, error.message.as_str()), (-32600, "thread not found: thr_01JD00000000"));
    /// ```
    pub fn invalid_request(why: impl Into<String>) -> Self {
        Self::new(ErrorCode::INVALID_REQUEST, why)
    }

    /// -32603: the server failed, for the reason `why` (which is the message).
    ///
    /// ```
    /// use app_server_protocol::JsonRpcError;
    ///
    /// let error = JsonRpcError::internal("the session store is unavailable");
    /// assert_eq!((error.code.0, error.message.as_str()), (-32603, "the session store is unavailable"));
    /// ```
    pub fn internal(why: impl Into<String>) -> Self {
        Self::new(ErrorCode::INTERNAL_ERROR, why)
    }
}

/// The `data` of an error answering a request that does not fit (-32600, -32601, -32602):
/// where the problem is and what was expected there, so that a client can show them without
/// parsing `message`. Example:
/// `{"path": "params.limit", "expected": "an integer from 1 to 4294967295"}`.
///
/// In Rust, `DecodeError::to_error_response` and `JsonRpcError::invalid_params` put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct DecodeErrorData {
    /// The JSON path of the offending member, e.g. `params.limit`, `params.input[1].text`,
    /// `id`; absent when the problem is the message as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What was expected there, in JSON terms, e.g. `an integer from 1 to 4294967295`,
    /// `an object`, `one of "accept", "decline"`; absent when the error does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl fmt::Display for JsonRpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// An error response: the answer to a request that failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The id of the request this error answers.
    pub id: RequestId,
    /// What went wrong.
    pub error: JsonRpcError,
}

/// A notification whose method the receiver does not know — sent by a newer peer, whose
/// protocol grew a notification this crate does not have yet. Adding a notification is a change
/// the compatibility rules call safe, so it is decoded, not refused: the method and the raw
/// params are kept for whoever wants them, and a client that does not may drop it.
///
/// Encoded again it is the same `{"method": …, "params": …}` JSON value (`params` left out
/// when the sender left it out; members may come in another order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownNotification {
    /// The method name as it came, e.g. `"thread/tokenUsage/updated"`.
    pub method: String,
    /// The params as they came: an object, or `None` when the member was absent (or `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
}

/// Which way a message travels: who sends it and who receives it.
///
/// The one word for this idea across the crate and its tools. What the server *receives*
/// (params of client requests and notifications, results of server requests) travels
/// `ClientToServer` and follows the lenient input contract; what the server *sends* travels
/// `ServerToClient` and follows the strict output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Sent by the client, received by the server.
    ClientToServer,
    /// Sent by the server, received by the client.
    ServerToClient,
}

impl Direction {
    /// Both directions, client → server first.
    pub const ALL: [Direction; 2] = [Direction::ClientToServer, Direction::ServerToClient];

    /// The stable spelling used in files and reports: `"clientToServer"` or
    /// `"serverToClient"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::ClientToServer => "clientToServer",
            Direction::ServerToClient => "serverToClient",
        }
    }

    /// Parses [`as_str`](Self::as_str)'s spelling.
    pub fn parse(text: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|direction| direction.as_str() == text)
    }

    /// Who sends in this direction: `"client"` or `"server"`.
    pub const fn sender(self) -> &'static str {
        match self {
            Direction::ClientToServer => "client",
            Direction::ServerToClient => "server",
        }
    }

    /// The other direction.
    pub fn reverse(self) -> Direction {
        match self {
            Direction::ClientToServer => Direction::ServerToClient,
            Direction::ServerToClient => Direction::ClientToServer,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::ClientToServer => "client → server",
            Direction::ServerToClient => "server → client",
        })
    }
}
