//! What the mock's tests share: a time bound, the real `app-server-kit` binary as a
//! process, a client whose approvals answer a chosen decision, and reading a turn.
#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app_server_peer::{Client, ClientContext, NotificationItem};
use app_server_protocol::handshake::ClientInfo;
use app_server_protocol::method::{ThreadStart, TurnStart};
use app_server_protocol::v2::{
    self, CommandExecutionApprovalDecision, FileChangeApprovalDecision, UserInput,
};
use app_server_protocol::{JsonRpcError, ServerNotification, ServerRequestHandler};
use tokio::process::Command;

/// Every test's time bound: a hang fails the test instead of the run.
/// The demo turn (reasoning, a message, a command that asks for approval, two file
/// changes), which the mock plays whatever the prompt with `--scenario`.
pub const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/demo.jsonl");

pub async fn bounded<T>(secs: u64, test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), test).await.expect("the test took too long")
}

/// The mock binary with these arguments after `mock`.
pub fn mock_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_app-server-kit"));
    command.arg("mock").args(args).kill_on_drop(true);
    command
}

/// Answers every approval with one decision and counts them.
#[derive(Clone)]
pub struct Approvals {
    pub accept: bool,
    /// Never answers (the user walked away).
    pub hold: bool,
    pub asked: Arc<AtomicUsize>,
}

impl Approvals {
    pub fn new(accept: bool) -> Self {
        Approvals { accept, hold: false, asked: Arc::new(AtomicUsize::new(0)) }
    }

    /// Approvals that are never answered.
    pub fn held() -> Self {
        Approvals { hold: true, ..Approvals::new(false) }
    }

    pub fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }
}

impl ServerRequestHandler<ClientContext> for Approvals {
    async fn command_execution_request_approval(
        &self,
        params: v2::CommandExecutionRequestApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v2::CommandExecutionRequestApprovalResponse, JsonRpcError> {
        assert!(params.command.is_some(), "the command is shown to the user");
        self.asked.fetch_add(1, Ordering::SeqCst);
        if self.hold {
            std::future::pending::<()>().await;
        }
        let decision = if self.accept {
            CommandExecutionApprovalDecision::Accept
        } else {
            CommandExecutionApprovalDecision::Decline
        };
        Ok(v2::CommandExecutionRequestApprovalResponse::new(decision))
    }

    async fn file_change_request_approval(
        &self,
        _params: v2::FileChangeRequestApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v2::FileChangeRequestApprovalResponse, JsonRpcError> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let decision = if self.accept {
            FileChangeApprovalDecision::Accept
        } else {
            FileChangeApprovalDecision::Decline
        };
        Ok(v2::FileChangeRequestApprovalResponse::new(decision))
    }
}

/// A mock process with these arguments, initialized, with this approval handler.
pub async fn spawn_mock(args: &[&str], approvals: Approvals) -> Client {
    let client =
        Client::builder().handler(approvals).spawn(mock_command(args)).expect("the mock starts");
    initialize(&client).await;
    client
}

/// The handshake.
pub async fn initialize(client: &Client) {
    let info = ClientInfo { name: "mock_test".into(), title: None, version: "1.0".into() };
    client.initialize(info).await.expect("initialize is answered");
}

/// `turn/start` with a text input.
pub fn turn_params(thread_id: &str, text: &str) -> v2::TurnStartParams {
    v2::TurnStartParams::new(thread_id, vec![UserInput::Text { text: text.into() }])
}

/// Starts a thread and a turn on it; returns the thread id and the turn id.
pub async fn start_turn(client: &Client, text: &str) -> (String, String) {
    let thread = client
        .request::<ThreadStart>(v2::ThreadStartParams::new())
        .await
        .expect("thread/start")
        .thread;
    let turn =
        client.request::<TurnStart>(turn_params(&thread.id, text)).await.expect("turn/start").turn;
    (thread.id, turn.id)
}

/// The notifications up to and including `turn/completed` of `turn_id`.
pub async fn read_turn(
    notifications: &mut app_server_peer::Notifications,
    turn_id: &str,
) -> Vec<ServerNotification> {
    let mut seen = Vec::new();
    while let Some(item) = notifications.next().await {
        let NotificationItem::Known(notification) = item else {
            panic!("the mock sent a notification the contract does not type: {item:?}");
        };
        let done = matches!(&notification, ServerNotification::TurnCompleted { params } if params.turn.id == turn_id);
        seen.push(notification);
        if done {
            return seen;
        }
    }
    panic!("the notifications ended before turn/completed of {turn_id}: {seen:#?}");
}

/// The wire method of each notification.
pub fn methods(notifications: &[ServerNotification]) -> Vec<&'static str> {
    notifications.iter().map(|notification| notification.method().wire_name()).collect()
}

/// The mock binary spoken to in raw lines over its stdio.
pub struct RawMock {
    pub child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    lines: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
    /// Every line the mock wrote that a call skipped while waiting for its answer.
    pub skipped: Vec<serde_json::Value>,
    next_id: i64,
}

impl RawMock {
    /// Starts the mock with these arguments (stderr is inherited: its reports show in the
    /// test's output).
    pub fn spawn(args: &[&str]) -> Self {
        use std::process::Stdio;
        use tokio::io::AsyncBufReadExt;
        let mut child = mock_command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the mock starts");
        let stdin = child.stdin.take().unwrap();
        let lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        RawMock { child, stdin, lines, skipped: Vec::new(), next_id: 1000 }
    }

    /// Starts the mock and does the handshake.
    pub async fn initialized(args: &[&str]) -> Self {
        let mut mock = RawMock::spawn(args);
        let answer = mock
            .call(
                "initialize",
                serde_json::json!({ "clientInfo": { "name": "raw", "version": "1" } }),
            )
            .await;
        assert!(answer.get("result").is_some(), "{answer}");
        mock.send(r#"{"method":"initialized"}"#).await;
        mock
    }

    /// Writes one line.
    pub async fn send(&mut self, line: &str) {
        self.send_bytes(line.as_bytes()).await;
    }

    /// Writes one line of raw bytes.
    pub async fn send_bytes(&mut self, line: &[u8]) {
        use tokio::io::AsyncWriteExt;
        self.stdin.write_all(line).await.unwrap();
        self.stdin.write_all(b"\n").await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// The next line the mock writes (`None` at its EOF).
    pub async fn next_line(&mut self) -> Option<String> {
        self.lines.next_line().await.unwrap()
    }

    /// The next line, as JSON (panics on a line that is not JSON).
    pub async fn next_json(&mut self) -> Option<serde_json::Value> {
        let line = self.next_line().await?;
        Some(serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}")))
    }

    /// Sends a request of `method` with `params` and returns the whole answer (`result` or
    /// `error`); lines in between are kept in `skipped`.
    pub async fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let line = if params.is_null() {
            serde_json::json!({ "id": id, "method": method })
        } else {
            serde_json::json!({ "id": id, "method": method, "params": params })
        };
        self.send(&line.to_string()).await;
        self.answer(&serde_json::json!(id)).await
    }

    /// A thread the mock lists: `thread/start` with `params`, then a turn (`hello`: a text
    /// answer) so that it has a user message. Returns the `thread/start` answer.
    pub async fn listed_thread(&mut self, params: serde_json::Value) -> serde_json::Value {
        let answer = self.call("thread/start", params).await;
        let thread_id = answer["result"]["thread"]["id"].clone();
        let input = serde_json::json!([{ "type": "text", "text": "hello" }]);
        let turn = self
            .call("turn/start", serde_json::json!({ "threadId": thread_id, "input": input }))
            .await;
        assert!(turn["result"]["turn"]["id"].is_string(), "{turn}");
        answer
    }

    /// Reads until the answer to request `id`.
    pub async fn answer(&mut self, id: &serde_json::Value) -> serde_json::Value {
        loop {
            let message = self.next_json().await.expect("the mock answers before its EOF");
            if message.get("id") == Some(id) && message.get("method").is_none() {
                return message;
            }
            self.skipped.push(message);
        }
    }

    /// Closes the mock's stdin and waits for it to exit.
    pub async fn finish(mut self) -> std::process::ExitStatus {
        drop(self.stdin);
        while self.lines.next_line().await.ok().flatten().is_some() {}
        self.child.wait().await.unwrap()
    }
}

/// A mock listening on a loopback WebSocket: the process and its `ws://` URL.
pub struct ListeningMock {
    pub child: tokio::process::Child,
    pub url: String,
}

impl ListeningMock {
    /// Starts `app-server-kit mock --listen 127.0.0.1:0` with more arguments and reads the
    /// bound address from its stderr.
    pub async fn start(args: &[&str]) -> Self {
        use std::process::Stdio;
        use tokio::io::AsyncBufReadExt;
        let mut all = vec!["--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child = mock_command(&all)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the mock starts");
        let mut stderr = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = stderr.next_line().await.unwrap().expect("the mock prints its address");
            if let Some(url) = line.strip_prefix("app-server-kit mock: listening on ") {
                break url.to_owned();
            }
        };
        // Keep draining stderr so that the mock never blocks on it.
        tokio::spawn(async move { while let Ok(Some(_)) = stderr.next_line().await {} });
        ListeningMock { child, url }
    }

    /// A client connected over the WebSocket, initialized.
    pub async fn client(&self, approvals: Approvals) -> Client {
        let (reader, writer) =
            app_server_kit::transport::connect(&self.url).await.expect("the WebSocket connects");
        let client = Client::builder().handler(approvals).connect(reader, writer);
        initialize(&client).await;
        client
    }

    /// Stops the mock as Ctrl-C does (it removes its temporary folder) and waits for it.
    pub async fn stop(mut self) {
        let pid = self.child.id().expect("the mock runs").to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().await;
        assert!(sent.is_ok_and(|status| status.success()), "kill -INT {pid}");
        let status = self.child.wait().await.unwrap();
        assert!(status.success(), "the mock exits 0 on Ctrl-C: {status}");
    }

    /// The resident set size of the mock process, in KiB, from /proc.
    pub fn rss_kib(&self) -> u64 {
        let pid = self.child.id().expect("the mock runs");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }
}
