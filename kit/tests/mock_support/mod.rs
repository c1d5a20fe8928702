//! What the mock's tests share: a time bound, the real `app-server-kit` binary as a
//! process, a client whose approvals answer a chosen decision, and reading a turn.
#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app_server_peer::{Client, ClientContext};
use app_server_protocol::handshake::ClientInfo;
use app_server_protocol::method::{ThreadStart, TurnStart};
use app_server_protocol::v2::{
    self, CommandExecutionApprovalDecision, FileChangeApprovalDecision, UserInput,
};
use app_server_protocol::{JsonRpcError, ServerNotification, ServerRequestHandler};
use tokio::process::Command;

/// Every test's time bound: a hang fails the test instead of the run.
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
    pub asked: Arc<AtomicUsize>,
}

impl Approvals {
    pub fn new(accept: bool) -> Self {
        Approvals { accept, asked: Arc::new(AtomicUsize::new(0)) }
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
    while let Some(notification) = notifications.next().await {
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
