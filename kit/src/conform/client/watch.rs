//! The rules a client keeps, judged line by line as its messages pass through the kit: the
//! handshake order, the input contract, unique request ids, answered approvals and an error
//! for an unknown server request.

use std::collections::HashMap;
use std::time::Duration;

use app_server_protocol::Direction;
use app_server_protocol::transcript::TranscriptDecoder;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::catalogue::{
    APPROVALS, INITIALIZE_FIRST, INITIALIZED, INPUT_CONTRACT, SESSION, UNIQUE_IDS, UNKNOWN_REQUEST,
};
use crate::conform::check::Recorder;
use crate::conform::contract::{self, judge};

/// The id of the unknown request the kit sends the client after `initialized`.
pub const UNKNOWN_ID: &str = "conform-unknown-1";

/// The unknown request the kit sends the client after `initialized`.
pub fn unknown_request() -> String {
    json!({ "id": UNKNOWN_ID, "method": "conform/unknownRequest", "params": {} }).to_string()
}

/// Where the client is in the handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// Nothing sent yet.
    Start,
    /// `initialize` sent with this id, not answered yet.
    Initializing(String),
    /// `initialize` answered, `initialized` not sent yet.
    Answered,
    /// The handshake is done.
    Ready,
}

/// A request the server sent the client, waiting for its answer.
#[derive(Debug, Clone)]
struct Asked {
    method: String,
    line: String,
    at: Instant,
}

/// What to do with a line the client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Pass it on to the server.
    Forward,
    /// Keep it (it answers the kit's own request).
    Keep,
}

/// Watches one client session.
pub struct Watch {
    /// What the checks found.
    pub recorder: Recorder,
    transcript: TranscriptDecoder,
    phase: Phase,
    /// The client's requests not answered yet, by id (as JSON text).
    pending: HashMap<String, String>,
    /// The server's requests not answered yet, by id (as JSON text).
    asked: HashMap<String, Asked>,
    answer_timeout: Duration,
}

impl Watch {
    /// A watch whose server requests must be answered within `answer_timeout`.
    pub fn new(answer_timeout: Duration) -> Self {
        Watch {
            recorder: Recorder::new(),
            transcript: TranscriptDecoder::new(),
            phase: Phase::Start,
            pending: HashMap::new(),
            asked: HashMap::new(),
            answer_timeout,
        }
    }

    /// Judges a line the client sent; says where it goes, and whether the handshake just
    /// completed (the kit then sends its unknown request).
    pub fn client_line(&mut self, line: &str) -> (Route, bool) {
        let judged = judge(&mut self.transcript, Direction::ClientToServer, line);
        self.recorder.pass(INPUT_CONTRACT);
        contract::record(&mut self.recorder, INPUT_CONTRACT, SESSION, judged.problems, line);
        let Some(value) = judged.value.filter(Value::is_object) else {
            return (Route::Forward, false);
        };
        let id = value.get("id").map(Value::to_string);
        match (value.get("method").and_then(Value::as_str), id) {
            (Some(method), Some(id)) => {
                self.request(method, id, line);
                (Route::Forward, false)
            }
            (Some(method), None) => (Route::Forward, self.notification(method, line)),
            (None, Some(id)) => {
                (self.answer(&id, &value, judged.decode_error.as_deref(), line), false)
            }
            (None, None) => (Route::Forward, false),
        }
    }

    /// A request of the client: the handshake order and its id.
    fn request(&mut self, method: &str, id: String, line: &str) {
        match (&self.phase, method) {
            (Phase::Start, "initialize") => {
                self.recorder.pass(INITIALIZE_FIRST);
                self.phase = Phase::Initializing(id.clone());
            }
            (Phase::Start, _) => {
                let message = format!("the first message is `{method}`, not `initialize`");
                self.recorder.fail(INITIALIZE_FIRST, SESSION, message, Some(line));
            }
            (Phase::Initializing(_) | Phase::Answered, _) => {
                let message = format!("`{method}` sent before `initialized`");
                self.recorder.fail(INITIALIZED, SESSION, message, Some(line));
            }
            (Phase::Ready, _) => {}
        }
        if let Some(previous) = self.pending.insert(id.clone(), method.to_owned()) {
            let message = format!("id {id} reused while its `{previous}` request is pending");
            self.recorder.fail(UNIQUE_IDS, SESSION, message, Some(line));
        } else {
            self.recorder.pass(UNIQUE_IDS);
        }
    }

    /// A notification of the client; `true` when it completes the handshake.
    fn notification(&mut self, method: &str, line: &str) -> bool {
        if method != "initialized" {
            if self.phase != Phase::Ready {
                let message = format!("`{method}` sent before `initialized`");
                self.recorder.fail(INITIALIZED, SESSION, message, Some(line));
            }
            return false;
        }
        match self.phase {
            Phase::Answered => {
                self.recorder.pass(INITIALIZED);
                self.phase = Phase::Ready;
                true
            }
            Phase::Start => {
                let message = "the first message is `initialized`, not `initialize`";
                self.recorder.fail(INITIALIZE_FIRST, SESSION, message, Some(line));
                false
            }
            Phase::Initializing(_) => {
                let message = "`initialized` sent before the `initialize` answer";
                self.recorder.fail(INITIALIZED, SESSION, message, Some(line));
                false
            }
            Phase::Ready => {
                self.recorder.warn(INITIALIZED, SESSION, "`initialized` sent twice", Some(line));
                false
            }
        }
    }

    /// An answer of the client to a server request.
    fn answer(&mut self, id: &str, value: &Value, decode_error: Option<&str>, line: &str) -> Route {
        let Some(asked) = self.asked.remove(id) else { return Route::Forward };
        let late = asked.at.elapsed() > self.answer_timeout;
        if asked.method == "conform/unknownRequest" {
            match value.get("error") {
                Some(_) => self.recorder.pass(UNKNOWN_REQUEST),
                None => self.recorder.fail(
                    UNKNOWN_REQUEST,
                    SESSION,
                    "an unknown request was answered with a result; expected an error (-32601)",
                    Some(line),
                ),
            }
            return Route::Keep;
        }
        let check = APPROVALS;
        match (decode_error, late) {
            (Some(err), _) => {
                let message =
                    format!("the answer to `{}` is not a valid decision: {err}", asked.method);
                self.recorder.fail(check, SESSION, message, Some(line));
            }
            (None, true) => {
                let message = format!(
                    "`{}` answered after {} ms, over the {} ms allowed",
                    asked.method,
                    asked.at.elapsed().as_millis(),
                    self.answer_timeout.as_millis()
                );
                self.recorder.fail(check, SESSION, message, Some(line));
            }
            (None, false) => self.recorder.pass(check),
        }
        Route::Forward
    }

    /// Notes a line the server sends the client (the mock's or the kit's own request).
    pub fn server_line(&mut self, line: &str) {
        let judged = judge(&mut self.transcript, Direction::ServerToClient, line);
        let Some(value) = judged.value else { return };
        let id = value.get("id").map(Value::to_string);
        match (value.get("method").and_then(Value::as_str), id) {
            (Some(method), Some(id)) => {
                let asked =
                    Asked { method: method.to_owned(), line: line.to_owned(), at: Instant::now() };
                self.asked.insert(id, asked);
            }
            (None, Some(id)) => {
                self.pending.remove(&id);
                if self.phase == Phase::Initializing(id) {
                    self.phase = Phase::Answered;
                }
            }
            _ => {}
        }
    }

    /// When the oldest unanswered server request runs out of time, if any is waiting.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.asked.values().map(|asked| asked.at + self.answer_timeout).min()
    }

    /// Fails every server request that ran out of time (it is no longer waited for).
    pub fn expire(&mut self) {
        let timeout = self.answer_timeout;
        let expired: Vec<String> = self
            .asked
            .iter()
            .filter(|(_, a)| a.at.elapsed() >= timeout)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            if let Some(asked) = self.asked.remove(&id) {
                self.unanswered(&asked, &format!("within {} ms", timeout.as_millis()));
            }
        }
    }

    /// Ends the session: what was never answered fails, a handshake never finished fails.
    pub fn finish(&mut self, how: &str) {
        for asked in std::mem::take(&mut self.asked).into_values() {
            self.unanswered(&asked, how);
        }
        match self.phase {
            Phase::Ready => {}
            Phase::Start => self.recorder.fail(
                INITIALIZE_FIRST,
                SESSION,
                format!("no `initialize` {how}"),
                None,
            ),
            _ => self.recorder.fail(INITIALIZED, SESSION, format!("no `initialized` {how}"), None),
        }
        self.recorder.skip(APPROVALS, SESSION, "the mock asked the client for no approval");
        self.recorder.skip(UNKNOWN_REQUEST, SESSION, "the handshake never completed");
        self.recorder.skip(UNIQUE_IDS, SESSION, "the client sent no request");
        self.recorder.skip(INPUT_CONTRACT, SESSION, "the client sent nothing");
    }

    fn unanswered(&mut self, asked: &Asked, how: &str) {
        let (check, message) = if asked.method == "conform/unknownRequest" {
            (
                UNKNOWN_REQUEST,
                format!("no answer to an unknown request {how}: silence, not an error"),
            )
        } else {
            (APPROVALS, format!("no answer to `{}` {how}", asked.method))
        };
        self.recorder.fail(check, SESSION, message, Some(&asked.line));
    }
}
