//! The decode and encode paths being compared, each as a client or server would write it.
//!
//! - ours: `decode_server_message` / `decode_client_message` on a line of unknown kind, with
//!   the caller's `PendingRequests` typing responses; encode with `serde_json` of the typed
//!   `ServerMessage` / `ClientMessage`.
//! - baseline, idiomatic: parse the line into `JSONRPCMessage` (untagged), then convert the
//!   payload through `serde_json::Value` into the typed enum (`TryFrom` for notifications and
//!   server requests; `to_value`/`from_value` for client requests, as its app server does;
//!   `from_value` of the answered method's result type for responses).
//! - baseline, direct: the caller already knows the kind (and, for a response, the method it
//!   answers) and decodes the line straight into the typed message with `serde_json::from_str`.
//! - floors: `serde_json::Value` parse and `serde::de::IgnoredAny` scan of the same line.

use app_server_protocol::{
    ClientMessage, ClientRequestMethod, DecodeError, PendingRequests, RequestId, ServerMessage,
    ServerRequestMethod, decode_client_message, decode_server_message,
};
use codex_app_server_protocol as base;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::corpus::{Kind, Line};

/// A line prepared for the benchmarks: its text, its kind and, for a response, what it answers.
pub struct Prepared {
    pub text: String,
    pub kind: Kind,
    pub method: &'static str,
    pub answers: Option<RequestId>,
}

impl From<&Line> for Prepared {
    fn from(line: &Line) -> Prepared {
        Prepared {
            text: line.text.clone(),
            kind: line.kind,
            method: line.method,
            answers: (line.kind == Kind::Response)
                .then(|| RequestId::Integer(line.id.expect("a response has an id"))),
        }
    }
}

// ---- ours ----------------------------------------------------------------------------------

/// What a client does with a line the server sent: register the request it answers (the
/// client did so when sending it), then decode without being told the kind.
pub fn ours_decode_server(
    line: &Prepared,
    pending: &mut PendingRequests<ClientRequestMethod>,
) -> Result<ServerMessage, DecodeError> {
    if let Some(id) = &line.answers {
        pending.insert(
            id.clone(),
            ClientRequestMethod::from_wire(line.method).expect("a client request"),
        );
    }
    decode_server_message(&line.text, pending)
}

/// What a server does with a line a client sent.
pub fn ours_decode_client(
    line: &Prepared,
    pending: &mut PendingRequests<ServerRequestMethod>,
) -> Result<ClientMessage, DecodeError> {
    if let Some(id) = &line.answers {
        pending.insert(
            id.clone(),
            ServerRequestMethod::from_wire(line.method).expect("a server request"),
        );
    }
    decode_client_message(&line.text, pending)
}

// ---- baseline ------------------------------------------------------------------------------

/// A typed answer as the baseline's users hold it (the crate has no typed response enum).
#[derive(Debug, Deserialize, Serialize)]
pub struct Answer<T> {
    pub id: base::RequestId,
    pub result: T,
}

/// A server → client message typed with the baseline crate.
#[derive(Debug)]
pub enum BaseServer {
    Notification(base::ServerNotification),
    Request(base::ServerRequest),
    ThreadResume(Answer<base::ThreadResumeResponse>),
    TurnStart(Answer<base::TurnStartResponse>),
}

/// A client → server message typed with the baseline crate.
#[derive(Debug)]
pub enum BaseClient {
    Request(base::ClientRequest),
    Notification(base::ClientNotification),
    CommandApproval(Answer<base::CommandExecutionRequestApprovalResponse>),
    FileChangeApproval(Answer<base::FileChangeRequestApprovalResponse>),
}

type BaseResult<T> = Result<T, serde_json::Error>;

fn answer<T: DeserializeOwned>(response: base::JSONRPCResponse) -> BaseResult<Answer<T>> {
    Ok(Answer { id: response.id, result: serde_json::from_value(response.result)? })
}

fn not_expected<T>(what: &str) -> BaseResult<T> {
    Err(serde::de::Error::custom(format!("unexpected {what}")))
}

pub fn base_idiomatic_server(line: &Prepared) -> BaseResult<BaseServer> {
    match serde_json::from_str::<base::JSONRPCMessage>(&line.text)? {
        base::JSONRPCMessage::Notification(n) => {
            base::ServerNotification::try_from(n).map(BaseServer::Notification)
        }
        base::JSONRPCMessage::Request(r) => {
            base::ServerRequest::try_from(r).map(BaseServer::Request)
        }
        base::JSONRPCMessage::Response(r) => match line.method {
            "thread/resume" => answer(r).map(BaseServer::ThreadResume),
            "turn/start" => answer(r).map(BaseServer::TurnStart),
            _ => not_expected("answered method"),
        },
        base::JSONRPCMessage::Error(_) => not_expected("error"),
    }
}

pub fn base_direct_server(line: &Prepared) -> BaseResult<BaseServer> {
    let text = &line.text;
    match line.kind {
        Kind::Notification => serde_json::from_str(text).map(BaseServer::Notification),
        Kind::Request => serde_json::from_str(text).map(BaseServer::Request),
        Kind::Response => match line.method {
            "thread/resume" => serde_json::from_str(text).map(BaseServer::ThreadResume),
            "turn/start" => serde_json::from_str(text).map(BaseServer::TurnStart),
            _ => not_expected("answered method"),
        },
    }
}

pub fn base_idiomatic_client(line: &Prepared) -> BaseResult<BaseClient> {
    match serde_json::from_str::<base::JSONRPCMessage>(&line.text)? {
        // What the baseline's app server does with a request: back to a Value, then typed.
        base::JSONRPCMessage::Request(r) => {
            serde_json::from_value(serde_json::to_value(r)?).map(BaseClient::Request)
        }
        base::JSONRPCMessage::Notification(n) => {
            serde_json::from_value(serde_json::to_value(n)?).map(BaseClient::Notification)
        }
        base::JSONRPCMessage::Response(r) => match line.method {
            "item/commandExecution/requestApproval" => answer(r).map(BaseClient::CommandApproval),
            "item/fileChange/requestApproval" => answer(r).map(BaseClient::FileChangeApproval),
            _ => not_expected("answered method"),
        },
        base::JSONRPCMessage::Error(_) => not_expected("error"),
    }
}

pub fn base_direct_client(line: &Prepared) -> BaseResult<BaseClient> {
    let text = &line.text;
    match line.kind {
        Kind::Request => serde_json::from_str(text).map(BaseClient::Request),
        Kind::Notification => serde_json::from_str(text).map(BaseClient::Notification),
        Kind::Response => match line.method {
            "item/commandExecution/requestApproval" => {
                serde_json::from_str(text).map(BaseClient::CommandApproval)
            }
            "item/fileChange/requestApproval" => {
                serde_json::from_str(text).map(BaseClient::FileChangeApproval)
            }
            _ => not_expected("answered method"),
        },
    }
}

/// Encodes a baseline message the cheapest way the crate allows (straight from the typed
/// value; responses as `{"id", "result"}` without going through `Value`).
pub fn base_encode_server(message: &BaseServer, out: &mut Vec<u8>) -> BaseResult<()> {
    match message {
        BaseServer::Notification(n) => serde_json::to_writer(out, n),
        BaseServer::Request(r) => serde_json::to_writer(out, r),
        BaseServer::ThreadResume(a) => serde_json::to_writer(out, a),
        BaseServer::TurnStart(a) => serde_json::to_writer(out, a),
    }
}

pub fn base_encode_client(message: &BaseClient, out: &mut Vec<u8>) -> BaseResult<()> {
    match message {
        BaseClient::Request(r) => serde_json::to_writer(out, r),
        BaseClient::Notification(n) => serde_json::to_writer(out, n),
        BaseClient::CommandApproval(a) => serde_json::to_writer(out, a),
        BaseClient::FileChangeApproval(a) => serde_json::to_writer(out, a),
    }
}

// ---- floors --------------------------------------------------------------------------------

pub fn value_parse(line: &Prepared) -> BaseResult<serde_json::Value> {
    serde_json::from_str(&line.text)
}

pub fn ignored_any_scan(line: &Prepared) -> BaseResult<serde::de::IgnoredAny> {
    serde_json::from_str(&line.text)
}
