//! A client that spawns `stdio_server` and drives it: the handshake, three threads, the
//! thread list page by page, and a turn whose streamed items it prints, approving the
//! command the server asks to run. Exits 0 when everything went as expected.
//!
//! ```sh
//! cargo build -p app-server-peer --examples
//! target/debug/examples/stdio_client            # finds stdio_server next to itself
//! target/debug/examples/stdio_client path/to/server
//! ```

use std::error::Error;
use std::path::PathBuf;

use app_server_peer::{Client, ClientContext, NotificationItem, PeerConfig};
use app_server_protocol::handshake::ClientInfo;
use app_server_protocol::method::{ThreadList, ThreadStart, TurnStart};
use app_server_protocol::{JsonRpcError, ServerNotification, ServerRequestHandler, v2};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let config = PeerConfig::default()
        .on_bad_line(|bad| eprintln!("stdio_client: line {}: {}", bad.line, bad.error));
    let client = Client::builder()
        .config(config)
        .handler(Approver)
        .spawn(tokio::process::Command::new(server_path()?))?;
    let mut notifications = client.notifications();

    let info = ClientInfo {
        name: "stdio_client".into(),
        title: None,
        version: app_server_protocol::VERSION.into(),
    };
    println!("server: {}", client.initialize(info).await?.user_agent);
    for provider in ["openai", "azure", "openai"] {
        let started = client.request::<ThreadStart>(payload::thread_start(provider)).await?;
        println!("thread started: {} ({provider})", started.thread.id);
    }
    list_threads(&client).await?;

    let turn = client.request::<TurnStart>(payload::turn_start("thr_3", "Run the tests")).await?;
    println!("turn started: {}", turn.turn.id);
    while let Some(item) = notifications.next().await {
        if print_notification(item) {
            break;
        }
    }

    let status = client.shutdown().await?.ok_or("the server was spawned")?;
    println!("server exited: {status}");
    if !status.success() {
        return Err(format!("the server failed: {status}").into());
    }
    Ok(())
}

/// The server binary: the first argument, or `stdio_server` next to this example.
fn server_path() -> Result<PathBuf, Box<dyn Error>> {
    if let Some(path) = std::env::args_os().nth(1) {
        return Ok(path.into());
    }
    let me = std::env::current_exe()?;
    let server = me.with_file_name(format!("stdio_server{}", std::env::consts::EXE_SUFFIX));
    if !server.exists() {
        return Err(format!("{} not found: build the examples first", server.display()).into());
    }
    Ok(server)
}

/// Every thread, two per page, following `nextCursor`.
async fn list_threads(client: &Client) -> Result<(), Box<dyn Error>> {
    let mut cursor = None;
    for page in 1.. {
        let listed = client.request::<ThreadList>(payload::thread_list(cursor, 2)).await?;
        let ids: Vec<&str> = listed.data.iter().map(|thread| thread.id.as_str()).collect();
        println!("threads, page {page}: {}", ids.join(", "));
        cursor = listed.next_cursor;
        if cursor.is_none() {
            return Ok(());
        }
    }
    Ok(())
}

/// Prints one streamed notification; `true` once the turn completed.
fn print_notification(item: NotificationItem) -> bool {
    let notification = match item {
        NotificationItem::Known(notification) => notification,
        // Refused by the contract, but it came: a turn that ended ends the loop all the same.
        NotificationItem::Invalid(bad) => {
            println!("  refused {}: {}", bad.method, bad.error);
            return bad.method == "turn/completed";
        }
        // A newer server's notification, or one of a later kind: shown, not understood.
        other => {
            println!("  {}", other.method());
            return false;
        }
    };
    match notification {
        ServerNotification::TurnStarted { params } => println!("  turn/started {}", params.turn.id),
        ServerNotification::ItemStarted { params } => {
            println!("  item/started {}", describe(&params.item))
        }
        ServerNotification::AgentMessageDelta { params } => println!("  delta {:?}", params.delta),
        ServerNotification::ItemCompleted { params } => {
            println!("  item/completed {}", describe(&params.item))
        }
        ServerNotification::TurnCompleted { params } => {
            println!("  turn/completed {} {:?}", params.turn.id, params.turn.status);
            return true;
        }
        other => println!("  {other:?}"),
    }
    false
}

fn describe(item: &v2::ThreadItem) -> String {
    match item {
        v2::ThreadItem::AgentMessage { text, .. } => format!("agentMessage {text:?}"),
        v2::ThreadItem::CommandExecution { command, status, .. } => {
            format!("commandExecution `{command}` {status:?}")
        }
        other => format!("{other:?}"),
    }
}

/// Answers the server's requests: approves every command (and prints it). Other server
/// requests are answered -32601, the handler trait's default.
struct Approver;

impl ServerRequestHandler<ClientContext> for Approver {
    async fn command_execution_request_approval(
        &self,
        params: v2::CommandExecutionRequestApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v2::CommandExecutionRequestApprovalResponse, JsonRpcError> {
        println!("  approval asked for `{}`: accept", params.command.unwrap_or_default());
        Ok(payload::accept())
    }
}

/// Every payload this client builds, from its wire JSON.
mod payload {
    use super::*;

    macro_rules! from_json {
        ($($json:tt)+) => {
            serde_json::from_value(json!($($json)+)).expect("a payload of its wire shape")
        };
    }

    pub fn thread_start(provider: &str) -> v2::ThreadStartParams {
        from_json!({ "modelProvider": provider, "cwd": "/work" })
    }

    pub fn thread_list(cursor: Option<String>, limit: u32) -> v2::ThreadListParams {
        from_json!({ "cursor": cursor, "limit": limit })
    }

    pub fn turn_start(thread_id: &str, text: &str) -> v2::TurnStartParams {
        from_json!({ "threadId": thread_id, "input": [{ "type": "text", "text": text }] })
    }

    pub fn accept() -> v2::CommandExecutionRequestApprovalResponse {
        from_json!({ "decision": "accept" })
    }
}
