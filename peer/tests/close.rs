//! The end of a connection: a peer that dies or closes mid-call ends every pending call with
//! `Closed` (in memory and with a real process killed); a server shuts down cleanly on EOF.

mod support;

use std::time::{Duration, Instant};

use app_server_peer::{CallError, Client, PeerConfig, Server, ServerContext};
use app_server_protocol::method::ThreadArchive;
use app_server_protocol::{ClientRequestHandler, JsonRpcError, v2};
use support::{RawPeer, TestServer, archive, bounded, halves};
use tokio::io::AsyncWriteExt;
use tokio::task::JoinSet;

fn calls(client: &Client, count: usize) -> JoinSet<Result<v2::ThreadArchiveResponse, CallError>> {
    let mut calls = JoinSet::new();
    for n in 0..count {
        let context = client.context();
        calls.spawn(
            async move { context.request::<ThreadArchive>(archive(&format!("t{n}"))).await },
        );
    }
    calls
}

async fn all_closed(mut calls: JoinSet<Result<v2::ThreadArchiveResponse, CallError>>) -> usize {
    let mut closed = 0;
    while let Some(call) = calls.join_next().await {
        assert!(matches!(call.unwrap(), Err(CallError::Closed)));
        closed += 1;
    }
    closed
}

#[tokio::test]
async fn a_peer_that_goes_away_mid_call_ends_every_pending_call_with_closed() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(client_end);
        let client = Client::connect(reads, writes);
        let mut notifications = client.notifications();
        let pending = calls(&client, 100);
        let mut server = RawPeer::new(server_end);
        for _ in 0..100 {
            server.next_json().await;
        }
        assert_eq!(client.pending_calls(), 100);
        drop(server);

        assert_eq!(all_closed(pending).await, 100);
        assert_eq!(client.pending_calls(), 0);
        assert!(client.is_closed());
        let later = client.request::<ThreadArchive>(archive("thr_late")).await;
        assert!(matches!(later, Err(CallError::Closed)), "a call after the end fails at once");
        assert!(notifications.next().await.is_none(), "the notification stream ends");
    })
    .await;
}

#[tokio::test]
async fn a_server_process_killed_mid_call_ends_every_pending_call_with_closed() {
    bounded(20, async {
        // A real process that never answers: `sleep` does not read its stdin.
        let mut command = tokio::process::Command::new("sleep");
        command.arg("30");
        let client = Client::spawn(command).unwrap();
        let pending = calls(&client, 10);
        while client.pending_calls() < 10 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let pid = client.child_id().expect("the child runs").to_string();
        let killed = tokio::process::Command::new("kill").args(["-9", &pid]).status().await;
        assert!(killed.unwrap().success());

        assert_eq!(all_closed(pending).await, 10);
        let status = client.shutdown().await.unwrap().expect("a spawned child has a status");
        assert!(!status.success(), "killed: {status:?}");
    })
    .await;
}

#[tokio::test]
async fn a_server_answers_what_it_received_before_eof_then_returns_ok() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(server_end);
        let served = tokio::spawn(Server::new(Slow).serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        client.send(r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#).await;
        client.writer.shutdown().await.unwrap(); // EOF for the server, while the call runs

        assert_eq!(client.next_json().await, serde_json::json!({"id": 1, "result": {}}));
        assert!(client.lines.next_line().await.unwrap().is_none(), "then the server closes");
        served.await.unwrap().unwrap();
    })
    .await;
}

/// A server whose `thread/archive` takes 100 ms.
struct Slow;

impl ClientRequestHandler<ServerContext> for Slow {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok(v2::ThreadArchiveResponse::default())
    }
}

#[tokio::test]
async fn at_eof_the_servers_own_pending_requests_end_with_closed() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(server_end);
        let served = tokio::spawn(Server::new(TestServer::default()).serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        let request =
            r#"{"id":1,"method":"turn/interrupt","params":{"threadId":"t","turnId":"u"}}"#;
        client.send(request).await;
        assert_eq!(client.next_json().await["method"], "turn/started");
        assert_eq!(client.next_json().await["method"], "item/commandExecution/requestApproval");
        client.writer.shutdown().await.unwrap(); // the approval will never be answered

        let answer = client.next_json().await;
        assert_eq!(answer["id"], 1);
        assert_eq!(answer["error"]["code"], -32603, "the test server reports the Closed call");
        assert!(answer["error"]["message"].as_str().unwrap().contains("closed"));
        served.await.unwrap().unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_handler_that_never_finishes_is_aborted_after_the_shutdown_grace() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(server_end);
        let grace = Duration::from_millis(200);
        let server = Server::new(TestServer::default())
            .config(PeerConfig::default().with_shutdown_grace(grace));
        let served = tokio::spawn(server.serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        client.send(r#"{"id":1,"method":"thread/archive","params":{"threadId":"never"}}"#).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        let eof = Instant::now();
        client.writer.shutdown().await.unwrap();

        served.await.unwrap().unwrap();
        let took = eof.elapsed();
        assert!(took >= grace && took < grace * 25, "serve returned after {took:?}");
        assert!(client.lines.next_line().await.unwrap().is_none(), "no answer, then EOF");
    })
    .await;
}
