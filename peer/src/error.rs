//! What a call can end with besides its result.

use std::fmt;

use app_server_protocol::{DecodeError, JsonRpcError};

/// Why a request made through the peer ([`Client::request`](crate::Client::request),
/// [`ServerContext::request`](crate::ServerContext::request)) or a notification did not
/// produce its result.
///
/// Non-exhaustive: a later version may add ways a call can end, so a `match` needs a `_` arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallError {
    /// The other end answered with an error (e.g. -32601 when it does not serve the method).
    Rpc(JsonRpcError),
    /// The connection ended (EOF, the process died, an I/O error, or it was shut down) before
    /// the answer came; also what a call made on a closed connection returns at once.
    Closed,
    /// The answer came but did not fit the method's result type (-32603, with the JSON path).
    Protocol(DecodeError),
    /// The params could not be encoded as JSON (e.g. a map with non-string keys).
    Encode(serde_json::Error),
    /// No answer came within the call's timeout ([`CallOptions::with_timeout`](crate::CallOptions::with_timeout),
    /// [`PeerConfig::with_request_timeout`](crate::PeerConfig::with_request_timeout)). The
    /// pending entry is forgotten; nothing is sent to the other end.
    TimedOut,
    /// The call's [`CancelToken`](crate::CancelToken) was cancelled before the answer came.
    /// The pending entry is forgotten; nothing is sent to the other end.
    Cancelled,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Rpc(error) => {
                write!(f, "the peer answered {}: {}", error.code, error.message)
            }
            CallError::Closed => f.write_str("the connection closed before the answer came"),
            CallError::Protocol(error) => write!(f, "the answer did not fit: {error}"),
            CallError::Encode(error) => write!(f, "the params could not be encoded: {error}"),
            CallError::TimedOut => f.write_str("no answer came within the call's timeout"),
            CallError::Cancelled => f.write_str("the call was cancelled before the answer came"),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Protocol(error) => Some(error),
            CallError::Encode(error) => Some(error),
            CallError::Rpc(_) | CallError::Closed | CallError::TimedOut | CallError::Cancelled => {
                None
            }
        }
    }
}
