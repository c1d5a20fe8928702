//! The conformance kit over a loopback WebSocket: `conform server --url` against the mock
//! listening on `127.0.0.1`, and `conform client --listen` with a WebSocket client that runs
//! a turn with an approval.

mod conform_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use conform_support::{KIT, kit, set};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// A process of the kit started by a test, killed when dropped.
struct Started {
    child: Child,
    /// The rest of its stderr, after the line that gave the URL.
    stderr: BufReader<std::process::ChildStderr>,
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the kit with `args` and reads its stderr up to the `listening on ws://…` line;
/// returns the process and the URL. (Reading blocks only until the kit prints the line,
/// which it does before anything else, or exits.)
fn start_listening(args: &[&str]) -> (Started, String) {
    let mut child = Command::new(KIT)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kit starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).expect("stderr");
    let url = line.split("listening on ").nth(1).map(str::trim).map(str::to_owned);
    let url = url.unwrap_or_else(|| panic!("no URL in {line:?}"));
    (Started { child, stderr }, url)
}

#[test]
fn the_mock_over_websocket_passes_conform_server() {
    let (_mock, url) = start_listening(&["mock", "--listen", "127.0.0.1:0", "--speed", "0"]);
    let run = kit(&["conform", "server", "--format", "json", "--url", &url]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.ids("fail"), set(&[]));
}

#[test]
fn a_url_nobody_listens_on_exits_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    drop(listener);
    let run = kit(&["conform", "server", "--url", &url]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("cannot connect to {url}")), "{}", run.stderr);
}

#[test]
fn a_websocket_client_with_a_turn_passes_conform_client() {
    let (mut kit, url) = start_listening(&[
        "conform",
        "client",
        "--format",
        "json",
        "--listen",
        "127.0.0.1:0",
        "--timeout-ms",
        "20000",
    ]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let session = runtime
        .block_on(async { tokio::time::timeout(Duration::from_secs(30), client(&url)).await });
    session.expect("the client's session ends in time");
    // The kit ends when the client disconnects: its stdout ends, then it exits.
    let mut stdout = String::new();
    std::io::Read::read_to_string(kit.child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    let status = kit.child.wait().expect("the kit's exit status");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut kit.stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(0), "{stdout}\n{rest}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<&Value> =
        report["checks"].as_array().unwrap().iter().map(|c| &c["status"]).collect();
    assert!(statuses.iter().all(|s| *s == "pass"), "{report:#}");
}

/// A client over WebSocket: the handshake, a thread, a turn whose approvals it accepts and
/// whose unknown requests it answers with an error; then it disconnects.
async fn client(url: &str) {
    let address = url.strip_prefix("ws://").expect("a ws:// URL");
    let stream = tokio::net::TcpStream::connect(address).await.expect("connects");
    let (mut socket, _) = tokio_tungstenite::client_async(url, stream).await.expect("handshake");
    let send = |message: Value| Message::text(message.to_string());
    let info = json!({ "name": "ws_test_client", "version": "1.0" });
    socket
        .send(send(json!({ "id": 1, "method": "initialize", "params": { "clientInfo": info } })))
        .await
        .unwrap();
    let mut thread_id = None;
    while let Some(frame) = socket.next().await {
        let Ok(Message::Text(text)) = frame else { continue };
        let message: Value = serde_json::from_str(&text).unwrap();
        if let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) {
            let answer = if method.ends_with("/requestApproval") {
                json!({ "id": id, "result": { "decision": "accept" } })
            } else {
                json!({ "id": id, "error": { "code": -32601, "message": "unknown method" } })
            };
            socket.send(send(answer)).await.unwrap();
        } else if message["id"] == 1 {
            socket.send(send(json!({ "method": "initialized" }))).await.unwrap();
            socket
                .send(send(json!({ "id": 2, "method": "thread/start", "params": {} })))
                .await
                .unwrap();
        } else if message["id"] == 2 {
            thread_id = message["result"]["thread"]["id"].as_str().map(str::to_owned);
            let input = json!([{ "type": "text", "text": "run the tests" }]);
            let params = json!({ "threadId": thread_id, "input": input });
            socket
                .send(send(json!({ "id": 3, "method": "turn/start", "params": params })))
                .await
                .unwrap();
        } else if message["method"] == "turn/completed" {
            break;
        }
    }
    assert!(thread_id.is_some(), "the thread was started");
    socket.close(None).await.unwrap();
}
