//! What the peer's tests share: a time bound, in-memory pipes, a test server, raw line I/O for
//! the end under test's counterpart, and the payloads (built in one place, from JSON).
#![allow(dead_code)]

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app_server_peer::{BadLine, Client, PeerConfig, Server, ServerContext};
use app_server_protocol::method::{CommandExecutionRequestApproval, TurnStarted};
use app_server_protocol::{ClientRequestHandler, ErrorCode, JsonRpcError, v2};
use serde_json::json;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::sync::Notify;

/// Every test's time bound: a hang fails the test instead of the run.
pub async fn bounded<T>(secs: u64, test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), test).await.expect("the test took too long")
}

/// One end of an in-memory pipe, split into its halves.
pub fn halves(end: DuplexStream) -> (ReadHalf<DuplexStream>, WriteHalf<DuplexStream>) {
    tokio::io::split(end)
}

/// A client and a server of [`TestServer`] over an in-memory pipe; the server runs on a task.
pub fn connected(
    server: TestServer,
    client_config: PeerConfig,
) -> (Client, tokio::task::JoinHandle<std::io::Result<()>>) {
    let (client_end, server_end) = tokio::io::duplex(64 * 1024);
    let (server_reads, server_writes) = halves(server_end);
    let served = tokio::spawn(Server::new(server).serve(server_reads, server_writes));
    let (client_reads, client_writes) = halves(client_end);
    let client = Client::builder().config(client_config).connect(client_reads, client_writes);
    (client, served)
}

/// The other end of a connection under test, speaking raw lines.
pub struct RawPeer {
    pub lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    pub writer: WriteHalf<DuplexStream>,
}

impl RawPeer {
    pub fn new(end: DuplexStream) -> Self {
        let (reads, writer) = halves(end);
        RawPeer { lines: BufReader::new(reads).lines(), writer }
    }

    pub async fn send(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).await.unwrap();
        self.writer.write_all(b"\n").await.unwrap();
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
    }

    pub async fn next_json(&mut self) -> serde_json::Value {
        let line = self.lines.next_line().await.unwrap().expect("a line, not EOF");
        serde_json::from_str(&line).unwrap()
    }
}

/// A config whose bad lines land in the returned list.
pub fn reporting(config: PeerConfig) -> (PeerConfig, Arc<Mutex<Vec<BadLine>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (config.on_bad_line(move |bad| sink.lock().unwrap().push(bad.clone())), seen)
}

/// The test server:
/// - `thread/resume` answers the thread named in the params (so answers can be matched to
///   calls); a thread id starting with `gate` waits until [`TestServer::gate_at`] calls have
///   arrived, so that they are all in flight at once;
/// - `thread/archive` waits forever for thread `never`, answers at once otherwise;
/// - `turn/interrupt` asks the client for an approval first and answers -32600 unless it
///   was accepted; it sends a `turn/started` notification before asking.
#[derive(Clone, Default)]
pub struct TestServer {
    pub gate_at: usize,
    arrived: Arc<AtomicUsize>,
    open: Arc<Notify>,
}

impl TestServer {
    pub fn gated(calls: usize) -> Self {
        TestServer { gate_at: calls, ..TestServer::default() }
    }

    async fn pass_gate(&self) {
        let opened = self.open.notified();
        if self.arrived.fetch_add(1, Ordering::SeqCst) + 1 >= self.gate_at {
            self.open.notify_waiters();
            return;
        }
        opened.await;
    }
}

impl ClientRequestHandler<ServerContext> for TestServer {
    async fn thread_resume(
        &self,
        params: v2::ThreadResumeParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadResumeResponse, JsonRpcError> {
        if params.thread_id.starts_with("gate") {
            self.pass_gate().await;
        }
        Ok(resumed(&params.thread_id))
    }

    async fn thread_archive(
        &self,
        params: v2::ThreadArchiveParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        if params.thread_id == "never" {
            std::future::pending::<()>().await;
        }
        Ok(v2::ThreadArchiveResponse::default())
    }

    async fn turn_interrupt(
        &self,
        params: v2::TurnInterruptParams,
        ctx: &ServerContext,
    ) -> Result<v2::TurnInterruptResponse, JsonRpcError> {
        let started = turn_started(&params.thread_id, &params.turn_id);
        ctx.notify::<TurnStarted>(started).await.map_err(internal)?;
        let approval = ctx
            .request::<CommandExecutionRequestApproval>(approval(&params.turn_id))
            .await
            .map_err(internal)?;
        match approval.decision {
            v2::CommandExecutionApprovalDecision::Accept => {
                Ok(v2::TurnInterruptResponse::default())
            }
            other => Err(JsonRpcError::new(ErrorCode(-32600), format!("not approved: {other:?}"))),
        }
    }
}

fn internal(error: impl std::fmt::Display) -> JsonRpcError {
    JsonRpcError::new(ErrorCode::INTERNAL_ERROR, error.to_string())
}

/// A payload from its JSON (the payload types get constructors on another branch; until then
/// this is the one place that builds them).
macro_rules! from_json {
    ($($json:tt)+) => {
        serde_json::from_value(json!($($json)+)).unwrap()
    };
}

pub fn initialized(user_agent: &str) -> app_server_protocol::handshake::InitializeResponse {
    from_json!({ "userAgent": user_agent })
}

pub fn resume(thread_id: &str) -> v2::ThreadResumeParams {
    from_json!({ "threadId": thread_id })
}

pub fn archive(thread_id: &str) -> v2::ThreadArchiveParams {
    from_json!({ "threadId": thread_id })
}

pub fn interrupt(thread_id: &str, turn_id: &str) -> v2::TurnInterruptParams {
    from_json!({ "threadId": thread_id, "turnId": turn_id })
}

pub fn resumed(thread_id: &str) -> v2::ThreadResumeResponse {
    from_json!({
        "thread": {
            "id": thread_id, "preview": "", "modelProvider": "openai", "createdAt": 1763630043,
            "path": format!("/sessions/{thread_id}.jsonl"), "turns": []
        },
        "model": "gpt-5.1-codex", "modelProvider": "openai", "cwd": "/src",
        "approvalPolicy": "onRequest", "sandbox": { "type": "readOnly" }, "reasoningEffort": null
    })
}

pub fn turn_started(thread_id: &str, turn_id: &str) -> v2::TurnStartedNotification {
    from_json!({
        "threadId": thread_id,
        "turn": { "id": turn_id, "items": [], "status": "inProgress", "error": null }
    })
}

pub fn approval(turn_id: &str) -> v2::CommandExecutionRequestApprovalParams {
    from_json!({
        "threadId": "thr_1", "turnId": turn_id, "itemId": "item_1", "reason": null,
        "risk": null, "command": "cargo test", "cwd": "/src", "proposedExecpolicyAmendment": null
    })
}

pub fn decision(decision: &str) -> v2::CommandExecutionRequestApprovalResponse {
    from_json!({ "decision": decision })
}
