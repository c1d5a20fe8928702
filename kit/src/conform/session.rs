//! One connection to the server under test, driven line by line: the kit writes requests as
//! raw lines (so that it can also send what a well-behaved client never would), reads every
//! line the server sends, judges each by the strict output contract (checks `output.json`
//! and `output.contract`), answers the server's approval requests, and waits for answers and
//! notifications until the scenario's deadline.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use app_server_protocol::Direction;
use app_server_protocol::transcript::TranscriptDecoder;
use serde_json::{Value, json};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::check::Recorder;
use super::contract::{judge, record};
use super::lines::Incoming;
use crate::mock::Tap;

/// The check that every line the server sends is a JSON-RPC message within the size limit.
pub const OUTPUT_JSON: &str = "output.json";
/// The check that every message the server sends keeps the strict output contract.
pub const OUTPUT_CONTRACT: &str = "output.contract";

/// Why waiting on the server ended without what was waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// The scenario's deadline passed first.
    Timeout {
        /// What the kit was waiting for.
        waiting_for: String,
        /// The time budget that ran out, in milliseconds.
        budget_ms: u128,
        /// What the budget was for: `the handshake` or `the scenario`.
        budget_of: &'static str,
    },
    /// The server closed its side or died (with the reason, if reading failed).
    Closed(Option<String>),
    /// Writing to the server failed.
    Write(String),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Timeout { waiting_for, budget_ms, budget_of } => {
                write!(f, "no {waiting_for} within {budget_of}'s {budget_ms} ms")
            }
            SessionError::Closed(None) => write!(f, "the server closed the connection"),
            SessionError::Closed(Some(why)) => write!(f, "the connection failed: {why}"),
            SessionError::Write(why) => write!(f, "writing to the server failed: {why}"),
        }
    }
}

/// How the session answers the server's approval requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approvals {
    /// Accept every approval.
    Accept,
    /// Decline every approval.
    Decline,
    /// Answer none yet (they are kept in [`Session::held`]).
    Hold,
}

/// A notification or request the server sent.
#[derive(Debug, Clone)]
pub struct Received {
    /// The line as it travelled.
    pub line: String,
    /// The line as JSON.
    pub value: Value,
    /// Its `method`.
    pub method: String,
}

/// The server's answer to a request.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The line as it travelled.
    pub line: String,
    /// The line as JSON.
    pub value: Value,
    /// Why the answer does not decode as an answer to its request, when it does not.
    pub decode_error: Option<String>,
}

impl Answer {
    /// The `result`, when the answer is a success.
    pub fn result(&self) -> Option<&Value> {
        self.value.get("result")
    }

    /// The error's `code`, when the answer is an error.
    pub fn error_code(&self) -> Option<i64> {
        self.value.get("error")?.get("code")?.as_i64()
    }

    /// The error's `message`, when the answer is an error that has one.
    pub fn error_message(&self) -> Option<&str> {
        self.value.get("error")?.get("message")?.as_str()
    }

    /// Whether the answer says that the server does not know `method`: -32601, or any error
    /// whose message says so — released servers answer -32600 "Invalid request: unknown
    /// variant `config/read`, expected one of …".
    pub fn refuses_as_unknown(&self, method: &str) -> bool {
        if self.error_code() == Some(-32601) {
            return true;
        }
        let Some(message) = self.error_message() else { return false };
        let lower = message.to_ascii_lowercase();
        message.contains(&format!("unknown variant `{method}`"))
            || ["method not found", "unknown method", "no such method"]
                .iter()
                .any(|words| lower.contains(words))
    }

    /// The error in a few words for a finding: `-32600 "Invalid request: …"` (the message cut
    /// to a readable length).
    pub fn error_words(&self) -> String {
        let code = self.error_code().map_or_else(|| "an error".to_owned(), |c| c.to_string());
        match self.error_message() {
            Some(message) if message.chars().count() > 120 => {
                let cut: String = message.chars().take(120).collect();
                format!("{code} \"{cut}…\"")
            }
            Some(message) => format!("{code} \"{message}\""),
            None => code,
        }
    }

    /// The error's `data.path`, when there is one.
    pub fn error_path(&self) -> Option<&str> {
        self.value.get("error")?.get("data")?.get("path")?.as_str()
    }
}

/// How many notifications and requests of the server a session keeps for its scenario;
/// past that (a flooding server) they are judged but not kept.
const MAX_KEPT: usize = 10_000;

/// One connection to the server under test, owned by one scenario.
pub struct Session {
    /// The scenario this session runs (it names the findings).
    pub scenario: &'static str,
    /// What the scenario's checks found so far, the output checks included.
    pub recorder: Recorder,
    /// Every notification and request the server sent, in order (up to a bound).
    pub seen: Vec<Received>,
    /// Approval requests not answered yet (under [`Approvals::Hold`]).
    pub held: Vec<Received>,
    /// How approval requests are answered.
    pub approvals: Approvals,
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    incoming: mpsc::Receiver<Incoming>,
    transcript: TranscriptDecoder,
    answers: HashMap<String, Answer>,
    next_id: i64,
    deadline: Instant,
    budget_ms: u128,
    budget_of: &'static str,
    scenario_budget: Duration,
    closed: Option<Option<String>>,
    tap: Option<Tap>,
}

impl Session {
    /// A session over a connection whose lines arrive on `incoming`; the handshake has
    /// `budgets.0`, the scenario after it `budgets.1` (from [`Self::start_clock`]).
    pub fn new(
        scenario: &'static str,
        writer: Box<dyn AsyncWrite + Unpin + Send>,
        incoming: mpsc::Receiver<Incoming>,
        budgets: (Duration, Duration),
    ) -> Self {
        let (handshake_budget, scenario_budget) = budgets;
        Session {
            scenario,
            recorder: Recorder::new(),
            seen: Vec::new(),
            held: Vec::new(),
            approvals: Approvals::Accept,
            writer,
            incoming,
            transcript: TranscriptDecoder::new(),
            answers: HashMap::new(),
            next_id: 1,
            deadline: Instant::now() + handshake_budget,
            budget_ms: handshake_budget.as_millis(),
            budget_of: "the handshake",
            scenario_budget,
            closed: None,
            tap: None,
        }
    }

    /// Shows every line of the session, both directions, to `tap` (`--record`: the
    /// scenario's transcript).
    pub fn with_tap(mut self, tap: Tap) -> Self {
        self.tap = Some(tap);
        self
    }

    /// Starts the scenario's clock once the handshake is done: what follows must happen
    /// within the scenario's budget.
    pub fn start_clock(&mut self) {
        self.deadline = Instant::now() + self.scenario_budget;
        self.budget_ms = self.scenario_budget.as_millis();
        self.budget_of = "the scenario";
    }

    /// A fresh request id (integers from 1).
    pub fn next_id(&mut self) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        json!(id)
    }

    /// Sends a request and waits for its answer.
    pub async fn request(
        &mut self,
        method: &str,
        params: Option<Value>,
    ) -> Result<Answer, SessionError> {
        let id = self.next_id();
        let mut message = json!({ "id": id, "method": method });
        if let Some(params) = params {
            message["params"] = params;
        }
        self.send(&message).await?;
        self.answer(&id, method).await
    }

    /// Sends a notification.
    pub async fn notify(&mut self, method: &str) -> Result<(), SessionError> {
        self.send(&json!({ "method": method })).await
    }

    /// Sends one message as one line.
    pub async fn send(&mut self, message: &Value) -> Result<(), SessionError> {
        self.send_line(&message.to_string()).await
    }

    /// Sends a raw line (a newline is added); the transcript registers what it can read of
    /// it, so that the answer is matched.
    pub async fn send_line(&mut self, line: &str) -> Result<(), SessionError> {
        let _ = self.transcript.decode(Direction::ClientToServer, line);
        if let Some(tap) = &self.tap {
            tap.see(Direction::ClientToServer, line);
        }
        let write = async {
            self.writer.write_all(line.as_bytes()).await?;
            self.writer.write_all(b"\n").await?;
            self.writer.flush().await
        };
        match tokio::time::timeout_at(self.deadline, write).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => Err(SessionError::Write(err.to_string())),
            Err(_) => Err(self.timeout("room to write (the server does not read)")),
        }
    }

    /// Waits for the answer to the request with `id` (of `method`, for the messages).
    pub async fn answer(&mut self, id: &Value, method: &str) -> Result<Answer, SessionError> {
        let key = id.to_string();
        loop {
            if let Some(answer) = self.answers.remove(&key) {
                return Ok(answer);
            }
            self.next(&format!("answer to `{method}` (id {key})")).await?;
        }
    }

    /// Waits for a notification or request at index `from` or later of [`Self::seen`] that
    /// `wanted` accepts; returns its index.
    pub async fn wait_for(
        &mut self,
        from: usize,
        what: &str,
        wanted: impl Fn(&Received) -> bool,
    ) -> Result<usize, SessionError> {
        let mut checked = from;
        loop {
            if let Some(found) = self.seen.iter().skip(checked).position(&wanted) {
                return Ok(checked + found);
            }
            checked = checked.max(self.seen.len());
            self.next(what).await?;
        }
    }

    /// Answers an approval request held under [`Approvals::Hold`] with `decision`.
    pub async fn answer_held(&mut self, decision: &str) -> Result<(), SessionError> {
        for request in std::mem::take(&mut self.held) {
            let id = request.value.get("id").cloned().unwrap_or(Value::Null);
            let result = approval_result(&request.method, decision);
            self.send(&json!({ "id": id, "result": result })).await?;
        }
        Ok(())
    }

    /// Closes the kit's side (the server reads EOF): the writer is shut down and dropped
    /// (a child's stdin closes only when dropped).
    pub async fn close(&mut self) {
        let mut writer = std::mem::replace(&mut self.writer, Box::new(tokio::io::sink()));
        let _ = tokio::time::timeout(Duration::from_millis(200), writer.shutdown()).await;
    }

    /// Reads and handles the next thing the server sent.
    async fn next(&mut self, waiting_for: &str) -> Result<(), SessionError> {
        if let Some(why) = &self.closed {
            return Err(SessionError::Closed(why.clone()));
        }
        let incoming = match tokio::time::timeout_at(self.deadline, self.incoming.recv()).await {
            Ok(Some(incoming)) => incoming,
            Ok(None) => Incoming::Closed(None),
            Err(_) => return Err(self.timeout(waiting_for)),
        };
        match incoming {
            Incoming::Line(line) => self.line(line).await,
            Incoming::TooLong { bytes } => {
                let message = format!("a line of {bytes} bytes, over the limit; skipped");
                self.recorder.fail(OUTPUT_JSON, self.scenario, message, None);
                Ok(())
            }
            Incoming::NotUtf8 { offset } => {
                let message = format!("a line that is not UTF-8 (invalid byte at offset {offset})");
                self.recorder.fail(OUTPUT_JSON, self.scenario, message, None);
                Ok(())
            }
            Incoming::Closed(why) => {
                self.closed = Some(why.clone());
                Err(SessionError::Closed(why))
            }
        }
    }

    /// Judges one line and files it: an answer, or a notification or request.
    async fn line(&mut self, line: String) -> Result<(), SessionError> {
        if let Some(tap) = &self.tap {
            tap.see(Direction::ServerToClient, &line);
        }
        let judged = judge(&mut self.transcript, Direction::ServerToClient, &line);
        let Some(value) = judged.value.filter(Value::is_object) else {
            let message = "not a JSON object: every line is one JSON-RPC message";
            self.recorder.fail(OUTPUT_JSON, self.scenario, message, Some(&line));
            return Ok(());
        };
        self.recorder.pass(OUTPUT_JSON);
        self.recorder.pass(OUTPUT_CONTRACT);
        let decode_error = judged.decode_error;
        record(&mut self.recorder, OUTPUT_CONTRACT, self.scenario, judged.problems, &line);
        match value.get("method").and_then(Value::as_str).map(str::to_owned) {
            Some(method) => {
                let received = Received { line, value, method };
                self.received(received).await
            }
            None => {
                let key = value.get("id").map(Value::to_string).unwrap_or_default();
                if self.answers.len() < MAX_KEPT {
                    self.answers.insert(key, Answer { line, value, decode_error });
                }
                Ok(())
            }
        }
    }

    /// Keeps a notification or request, and answers a request as the approvals say.
    async fn received(&mut self, received: Received) -> Result<(), SessionError> {
        let id = received.value.get("id").cloned();
        if let Some(id) = id {
            let decision = match self.approvals {
                Approvals::Accept => Some("accept"),
                Approvals::Decline => Some("decline"),
                Approvals::Hold => None,
            };
            match decision {
                _ if !is_approval(&received.method) => {
                    let error = json!({ "code": -32601, "message": "unknown method" });
                    self.send(&json!({ "id": id, "error": error })).await?;
                }
                Some(decision) => {
                    let result = approval_result(&received.method, decision);
                    self.send(&json!({ "id": id, "result": result })).await?;
                }
                None => self.held.push(received.clone()),
            }
        }
        if self.seen.len() < MAX_KEPT {
            self.seen.push(received);
        }
        Ok(())
    }

    fn timeout(&self, waiting_for: &str) -> SessionError {
        SessionError::Timeout {
            waiting_for: waiting_for.to_owned(),
            budget_ms: self.budget_ms,
            budget_of: self.budget_of,
        }
    }
}

/// Whether `method` is a server request this kit answers with a decision.
fn is_approval(method: &str) -> bool {
    matches!(
        method,
        "item/commandExecution/requestApproval"
            | "item/fileChange/requestApproval"
            | "execCommandApproval"
            | "applyPatchApproval"
    )
}

/// The result answering approval `method` with `decision` (`accept` or `decline`, in v1
/// words for the v1 approvals).
fn approval_result(method: &str, decision: &str) -> Value {
    let v1 = matches!(method, "execCommandApproval" | "applyPatchApproval");
    let decision = match (v1, decision) {
        (true, "accept") => "approved",
        (true, _) => "denied",
        (false, decision) => decision,
    };
    json!({ "decision": decision })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(line: &str) -> Answer {
        Answer {
            line: line.to_owned(),
            value: serde_json::from_str(line).unwrap(),
            decode_error: None,
        }
    }

    #[test]
    fn an_error_saying_the_method_is_unknown_is_not_served_whatever_its_code() {
        let released = answer(
            r#"{"id":1,"error":{"code":-32600,"message":"Invalid request: unknown variant `config/read`, expected one of `initialize`"}}"#,
        );
        assert!(released.refuses_as_unknown("config/read"));
        assert!(!released.refuses_as_unknown("config/value/write"), "another method's variant");
        assert!(
            answer(r#"{"id":1,"error":{"code":-32601,"message":"x"}}"#).refuses_as_unknown("a/b")
        );
        let found = answer(r#"{"id":1,"error":{"code":-32000,"message":"Method not found"}}"#);
        assert!(found.refuses_as_unknown("a/b"));
        let refusal =
            answer(r#"{"id":1,"error":{"code":-32600,"message":"login id not found: x"}}"#);
        assert!(!refusal.refuses_as_unknown("account/login/cancel"));
        assert!(!answer(r#"{"id":1,"result":{}}"#).refuses_as_unknown("a/b"));
        assert!(released.error_words().starts_with("-32600 \"Invalid request: unknown variant"));
        let long =
            format!(r#"{{"id":1,"error":{{"code":-32600,"message":"{}"}}}}"#, "x".repeat(300));
        assert_eq!(answer(&long).error_words().chars().count(), "-32600 \"".len() + 120 + 2);
    }
}
