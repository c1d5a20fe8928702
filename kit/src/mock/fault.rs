//! Faults on demand (`--fault NAME[=ARG]`, repeatable): the ways the mock can be told to
//! break the contract, so that clients can be tested against a misbehaving server and the
//! conformance kit against servers that fail known checks.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use app_server_protocol::{ClientRequestMethod, ErrorCode};

/// One fault. The names are those of the command line; see [`Fault::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// `short-page-with-cursor`: `thread/list` returns fewer threads than `limit` although
    /// more remain, with a `nextCursor` (the threads left out are skipped).
    ShortPageWithCursor,
    /// `cancel-errors`: `account/login/cancel` of a login id that is not pending (a second
    /// cancel) answers an error (-32600) instead of `{"status":"notFound"}`.
    CancelErrors,
    /// `turn-without-error`: the `Turn` objects the server sends leave out `error`.
    TurnWithoutError,
    /// `notification-without-thread-id`: `item/*` notifications leave out `threadId`.
    NotificationWithoutThreadId,
    /// `wrong-result-type`: `thread/start` is answered with a `thread/list` result.
    WrongResultType,
    /// `snake-case-key`: the `thread/start` result carries `model_provider` instead of
    /// `modelProvider`.
    SnakeCaseKey,
    /// `hang`: after the answer to `initialize`, the server reads but never writes again.
    Hang,
    /// `delay=METHOD:MS`: requests of METHOD are answered MS milliseconds late.
    Delay {
        /// The wire name of the method.
        method: String,
        /// The delay.
        delay: Duration,
    },
    /// `drop-response=METHOD`: requests of METHOD are never answered (the handler runs).
    DropResponse {
        /// The wire name of the method.
        method: String,
    },
    /// `error=METHOD:CODE`: requests of METHOD are answered with a JSON-RPC error of CODE.
    Error {
        /// The wire name of the method.
        method: String,
        /// The error code.
        code: ErrorCode,
    },
    /// `malformed-line`: one line that is not JSON, once, right after the handshake (when
    /// the client's `initialized` arrives).
    MalformedLine,
    /// `disconnect-mid-turn`: the connection is closed in the middle of the first turn,
    /// after its first item completed (over stdio the mock exits).
    DisconnectMidTurn,
    /// `error-will-retry`: each turn sends an `error` notification with `willRetry: true`
    /// after `turn/started`, then goes on and completes normally.
    ErrorWillRetry,
}

impl Fault {
    /// Every fault name, as written on the command line (with its argument's form).
    pub const NAMES: &[&str] = &[
        "short-page-with-cursor",
        "cancel-errors",
        "turn-without-error",
        "notification-without-thread-id",
        "wrong-result-type",
        "snake-case-key",
        "hang",
        "delay=METHOD:MS",
        "drop-response=METHOD",
        "error=METHOD:CODE",
        "malformed-line",
        "disconnect-mid-turn",
        "error-will-retry",
    ];
}

/// Why a `--fault` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError(String);

impl fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FaultParseError {}

impl FromStr for Fault {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, argument) = match text.split_once('=') {
            Some((name, argument)) => (name, Some(argument)),
            None => (text, None),
        };
        let fault = match (name, argument) {
            ("short-page-with-cursor", None) => Fault::ShortPageWithCursor,
            ("cancel-errors", None) => Fault::CancelErrors,
            ("turn-without-error", None) => Fault::TurnWithoutError,
            ("notification-without-thread-id", None) => Fault::NotificationWithoutThreadId,
            ("wrong-result-type", None) => Fault::WrongResultType,
            ("snake-case-key", None) => Fault::SnakeCaseKey,
            ("hang", None) => Fault::Hang,
            ("malformed-line", None) => Fault::MalformedLine,
            ("disconnect-mid-turn", None) => Fault::DisconnectMidTurn,
            ("error-will-retry", None) => Fault::ErrorWillRetry,
            ("delay", Some(argument)) => {
                let (method, ms) = method_and(argument, "delay=METHOD:MS")?;
                let ms: u64 = ms.parse().map_err(|_| {
                    FaultParseError(format!(
                        "delay={argument}: MS must be a whole number of milliseconds, found {ms:?}"
                    ))
                })?;
                Fault::Delay { method, delay: Duration::from_millis(ms) }
            }
            ("drop-response", Some(method)) => {
                Fault::DropResponse { method: known_method(method)? }
            }
            ("error", Some(argument)) => {
                let (method, code) = method_and(argument, "error=METHOD:CODE")?;
                let code: i64 = code.parse().map_err(|_| {
                    FaultParseError(format!(
                        "error={argument}: CODE must be an integer, found {code:?}"
                    ))
                })?;
                Fault::Error { method, code: ErrorCode(code) }
            }
            _ => {
                return Err(FaultParseError(format!(
                    "unknown fault {text:?}; expected one of: {}",
                    Fault::NAMES.join(", ")
                )));
            }
        };
        Ok(fault)
    }
}

/// `METHOD:REST` with METHOD a client → server request method.
fn method_and(argument: &str, form: &str) -> Result<(String, String), FaultParseError> {
    let (method, rest) = argument
        .rsplit_once(':')
        .ok_or_else(|| FaultParseError(format!("{argument:?}: expected {form}")))?;
    Ok((known_method(method)?, rest.to_owned()))
}

fn known_method(method: &str) -> Result<String, FaultParseError> {
    match ClientRequestMethod::from_wire(method) {
        Some(known) => Ok(known.wire_name().to_owned()),
        None => Err(FaultParseError(format!(
            "{method:?} is not a method a client sends to the server (e.g. \"thread/list\")"
        ))),
    }
}

/// The faults a mock runs with, queried by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults(Vec<Fault>);

impl Faults {
    /// The set of `faults`.
    pub fn new(faults: Vec<Fault>) -> Self {
        Faults(faults)
    }

    /// Whether `fault` is on (for the faults without an argument).
    pub fn has(&self, fault: &Fault) -> bool {
        self.0.contains(fault)
    }

    /// Whether no fault is on.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How late requests of `method` are answered.
    pub fn delay_of(&self, method: &str) -> Option<Duration> {
        self.0.iter().find_map(|fault| match fault {
            Fault::Delay { method: m, delay } if m == method => Some(*delay),
            _ => None,
        })
    }

    /// The error code requests of `method` are answered with.
    pub fn error_of(&self, method: &str) -> Option<ErrorCode> {
        self.0.iter().find_map(|fault| match fault {
            Fault::Error { method: m, code } if m == method => Some(*code),
            _ => None,
        })
    }

    /// Whether answers to `method` are dropped.
    pub fn drops(&self, method: &str) -> bool {
        self.0.iter().any(|fault| matches!(fault, Fault::DropResponse { method: m } if m == method))
    }

    /// Whether a fault rewrites or drops what the server writes (so that each outgoing line
    /// must be looked at).
    pub fn touch_output(&self) -> bool {
        self.0.iter().any(|fault| {
            matches!(
                fault,
                Fault::TurnWithoutError
                    | Fault::NotificationWithoutThreadId
                    | Fault::WrongResultType
                    | Fault::SnakeCaseKey
                    | Fault::Hang
                    | Fault::MalformedLine
                    | Fault::DropResponse { .. }
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_and_bad_ones_say_why() {
        for text in [
            "short-page-with-cursor",
            "cancel-errors",
            "turn-without-error",
            "notification-without-thread-id",
            "wrong-result-type",
            "snake-case-key",
            "hang",
            "delay=thread/list:250",
            "drop-response=thread/start",
            "error=model/list:-32603",
            "malformed-line",
            "disconnect-mid-turn",
            "error-will-retry",
        ] {
            assert!(text.parse::<Fault>().is_ok(), "{text}");
        }
        assert_eq!(
            "delay=thread/list:250".parse::<Fault>().unwrap(),
            Fault::Delay { method: "thread/list".into(), delay: Duration::from_millis(250) }
        );
        let alias = "drop-response=mcpServers/list".parse::<Fault>().unwrap();
        assert_eq!(alias, Fault::DropResponse { method: "mcpServerStatus/list".into() });
        for (bad, says) in [
            ("nope", "unknown fault"),
            ("delay=thread/list", "expected delay=METHOD:MS"),
            ("delay=thread/list:soon", "whole number of milliseconds"),
            ("error=thread/nope:-32000", "is not a method"),
            ("error=thread/list:x", "CODE must be an integer"),
            ("hang=1", "unknown fault"),
        ] {
            let error = bad.parse::<Fault>().unwrap_err().to_string();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
