//! The examples run against each other as real processes: `stdio_client` spawns
//! `stdio_server` and must print the whole exchange and exit 0. A client in this test drives
//! the same server binary and declines the approval: the command item is then declined.
//!
//! `cargo test -p app-server-peer` builds the examples first; this test finds them next to
//! the test binary's folder (`target/<profile>/examples/`).

mod support;

use std::path::PathBuf;
use std::process::Stdio;

use app_server_peer::{Client, ClientContext, NotificationItem};
use app_server_protocol::handshake::ClientInfo;
use app_server_protocol::method::{ThreadStart, TurnStart};
use app_server_protocol::{JsonRpcError, ServerNotification, ServerRequestHandler, v2};
use serde_json::json;
use support::{bounded, decision};
use tokio::process::Command;

fn example(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().unwrap();
    let profile_dir = test_binary.parent().and_then(|deps| deps.parent()).unwrap();
    let path = profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} not found: run `cargo test -p app-server-peer`, which builds the examples",
        path.display()
    );
    path
}

#[tokio::test]
async fn the_example_client_drives_the_example_server_and_exits_0() {
    bounded(60, async {
        let mut command = Command::new(example("stdio_client"));
        command.arg(example("stdio_server")).stdin(Stdio::null()).kill_on_drop(true);
        let output = command.output().await.unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}\n{stdout}\n{stderr}", output.status);
        for expected in [
            "server: stdio_server/",
            "thread started: thr_3 (openai)",
            "threads, page 1: thr_3, thr_2",
            "threads, page 2: thr_1",
            "turn started: turn_3",
            "  turn/started turn_3",
            "  delta \"the tests \"",
            "  item/completed agentMessage \"I will run the tests before I change anything.\"",
            "  approval asked for `cargo test`: accept",
            "  item/completed commandExecution `cargo test` Completed",
            "  turn/completed turn_3 Completed",
            "server exited: exit status: 0",
        ] {
            assert!(
                stdout.lines().any(|line| line.starts_with(expected)),
                "no line {expected:?} in:\n{stdout}"
            );
        }
        assert!(stderr.contains("the client sent Initialized"), "{stderr}");
    })
    .await;
}

/// Declines every command.
struct Decliner;

impl ServerRequestHandler<ClientContext> for Decliner {
    async fn command_execution_request_approval(
        &self,
        _params: v2::CommandExecutionRequestApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v2::CommandExecutionRequestApprovalResponse, JsonRpcError> {
        Ok(decision("decline"))
    }
}

#[tokio::test]
async fn a_declined_approval_makes_the_example_server_decline_the_command() {
    bounded(60, async {
        let client =
            Client::builder().handler(Decliner).spawn(Command::new(example("stdio_server")));
        let client = client.unwrap();
        let mut notifications = client.notifications();
        let info = ClientInfo { name: "tests".into(), title: None, version: "1".into() };
        client.initialize(info).await.unwrap();
        let params = serde_json::from_value(json!({})).unwrap();
        let thread = client.request::<ThreadStart>(params).await.unwrap().thread;
        let input = json!({ "threadId": thread.id, "input": [{ "type": "text", "text": "go" }] });
        let turn = client.request::<TurnStart>(serde_json::from_value(input).unwrap()).await;
        assert_eq!(turn.unwrap().turn.status, v2::TurnStatus::InProgress);

        let mut methods = Vec::new();
        let command = loop {
            let item = notifications.next().await.expect("the turn goes on");
            let NotificationItem::Known(notification) = item else {
                panic!("the example server sends typed notifications only: {item:?}");
            };
            methods.push(format!("{:?}", notification.method()));
            if let ServerNotification::ItemCompleted { params } = notification
                && let v2::ThreadItem::CommandExecution { status, .. } = params.item
            {
                break status;
            }
        };
        assert_eq!(command, v2::CommandExecutionStatus::Declined);
        let Some(NotificationItem::Known(ServerNotification::TurnCompleted { .. })) =
            notifications.next().await
        else {
            panic!("the turn completes after the declined command");
        };
        assert_eq!(
            methods[0], "TurnStarted",
            "the answer came first, then the stream: {methods:?}"
        );
        let status = client.shutdown().await.unwrap().unwrap();
        assert!(status.success(), "the server exits 0 at EOF: {status:?}");
    })
    .await;
}
