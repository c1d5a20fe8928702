//! What a call can end with besides its result.

use std::fmt;

use app_server_protocol::{DecodeError, JsonRpcError};

/// Why a request made through the peer ([`Client::request`](crate::Client::request),
/// [`ServerContext::request`](crate::ServerContext::request)) or a notification did not
/// produce its result.
#[derive(Debug)]
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
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Protocol(error) => Some(error),
            CallError::Encode(error) => Some(error),
            CallError::Rpc(_) | CallError::Closed => None,
        }
    }
}
