//! Calls both ways between a client and a server of this crate: thousands in flight at once,
//! typed errors, server requests answered by the client's handler, notifications, the
//! handshake.

mod support;

use std::sync::{Arc, Mutex};

use app_server_peer::{CallError, Client, ClientContext, NotificationItem, PeerConfig, Server};
use app_server_protocol::handshake::{ClientInfo, InitializeParams, InitializeResponse};
use app_server_protocol::method::{ThreadArchive, ThreadList, ThreadResume, TurnInterrupt};
use app_server_protocol::{
    ClientNotification, ClientRequestHandler, JsonRpcError, ServerNotification,
    ServerRequestHandler, v2,
};
use support::{TestServer, bounded, connected, decision, halves, interrupt, resume};
use tokio::task::JoinSet;

const IN_FLIGHT: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_calls_are_in_flight_at_once_and_each_gets_its_own_answer() {
    bounded(60, async {
        // The server holds every call until all of them have arrived.
        let (client, served) = connected(TestServer::gated(IN_FLIGHT), PeerConfig::default());
        let mut calls = JoinSet::new();
        for n in 0..IN_FLIGHT {
            let context: ClientContext = client.context();
            calls.spawn(async move {
                let thread = format!("gate_{n}");
                let answer = context.request::<ThreadResume>(resume(&thread)).await.unwrap();
                assert_eq!(answer.thread.id, thread, "each call gets the answer to its request");
            });
        }
        while let Some(done) = calls.join_next().await {
            done.unwrap();
        }
        assert_eq!(client.pending_calls(), 0);
        client.shutdown().await.unwrap();
        served.await.unwrap().unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_method_the_server_does_not_implement_is_an_rpc_error_minus_32601() {
    bounded(10, async {
        let (client, _served) = connected(TestServer::default(), PeerConfig::default());
        let list = v2::ThreadListParams::default();
        let Err(CallError::Rpc(error)) = client.request::<ThreadList>(list).await else {
            panic!("thread/list is not served by the test server");
        };
        assert_eq!(error.code.0, -32601);
        assert_eq!(error.message, "`thread/list` is not served here");
    })
    .await;
}

/// A client that approves what the server asks, or declines it, and counts the requests.
#[derive(Clone)]
struct Approver {
    decision: &'static str,
    asked: Arc<Mutex<Vec<String>>>,
}

impl ServerRequestHandler<ClientContext> for Approver {
    async fn command_execution_request_approval(
        &self,
        params: v2::CommandExecutionRequestApprovalParams,
        ctx: &ClientContext,
    ) -> Result<v2::CommandExecutionRequestApprovalResponse, JsonRpcError> {
        // A handler can call the server while it decides.
        ctx.request::<ThreadArchive>(support::archive("thr_other")).await.unwrap();
        self.asked.lock().unwrap().push(params.command.unwrap_or_default());
        Ok(decision(self.decision))
    }
}

fn client_with(handler: Approver) -> Client {
    let (client_end, server_end) = tokio::io::duplex(64 * 1024);
    let (server_reads, server_writes) = halves(server_end);
    tokio::spawn(Server::new(TestServer::default()).serve(server_reads, server_writes));
    let (client_reads, client_writes) = halves(client_end);
    Client::builder().handler(handler).connect(client_reads, client_writes)
}

#[tokio::test]
async fn a_server_request_is_answered_by_the_clients_handler_while_the_call_waits() {
    bounded(10, async {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let approver = Approver { decision: "accept", asked: Arc::clone(&asked) };
        let client = client_with(approver);
        let mut notifications = client.notifications();
        client.request::<TurnInterrupt>(interrupt("thr_1", "turn_1")).await.unwrap();
        assert_eq!(*asked.lock().unwrap(), ["cargo test"]);
        let Some(NotificationItem::Known(ServerNotification::TurnStarted { params: started })) =
            notifications.next().await
        else {
            panic!("expected turn/started");
        };
        assert_eq!(started.turn.id, "turn_1");

        let decliner = Approver { decision: "decline", asked };
        let client = client_with(decliner);
        let Err(CallError::Rpc(error)) =
            client.request::<TurnInterrupt>(interrupt("thr_1", "turn_2")).await
        else {
            panic!("a declined approval makes the test server answer an error");
        };
        assert_eq!(error.code.0, -32600);
    })
    .await;
}

#[tokio::test]
async fn a_client_without_a_handler_answers_server_requests_minus_32601() {
    bounded(10, async {
        let (client, _served) = connected(TestServer::default(), PeerConfig::default());
        let Err(CallError::Rpc(error)) =
            client.request::<TurnInterrupt>(interrupt("thr_1", "turn_1")).await
        else {
            panic!("the approval was refused, so the call fails");
        };
        // The test server passes the client's answer on as -32603 with its text.
        assert_eq!(error.code.0, -32603);
        assert!(error.message.contains("-32601"), "{}", error.message);
        assert!(error.message.contains("item/commandExecution/requestApproval"));
    })
    .await;
}

/// A server that serves only the handshake.
struct Handshake;

impl ClientRequestHandler<app_server_peer::ServerContext> for Handshake {
    async fn initialize(
        &self,
        params: InitializeParams,
        _ctx: &app_server_peer::ServerContext,
    ) -> Result<InitializeResponse, JsonRpcError> {
        Ok(support::initialized(&format!("test_server ({})", params.client_info.name)))
    }
}

#[tokio::test]
async fn initialize_sends_the_request_then_the_initialized_notification() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (server_reads, server_writes) = halves(server_end);
        let (notified, mut notifications) = tokio::sync::mpsc::unbounded_channel();
        let server = Server::new(Handshake).on_notification(move |notification, _ctx| {
            notified.send(notification).unwrap();
        });
        let served = tokio::spawn(server.serve(server_reads, server_writes));
        let (client_reads, client_writes) = halves(client_end);
        let client = Client::connect(client_reads, client_writes);

        let info = ClientInfo { name: "tests".into(), title: None, version: "1.0".into() };
        let response = client.initialize(info).await.unwrap();
        assert_eq!(response.user_agent, "test_server (tests)");
        assert!(matches!(notifications.recv().await, Some(ClientNotification::Initialized { .. })));
        client.shutdown().await.unwrap();
        served.await.unwrap().unwrap();
    })
    .await;
}

/// A server whose `thread/archive` panics for thread `panic`, and otherwise spawns a task that
/// sends `turn/started` once the answer is queued.
struct AnswerFirst;

impl ClientRequestHandler<app_server_peer::ServerContext> for AnswerFirst {
    async fn thread_archive(
        &self,
        params: v2::ThreadArchiveParams,
        ctx: &app_server_peer::ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        assert_ne!(params.thread_id, "panic", "this handler panics");
        let ctx = ctx.clone();
        tokio::spawn(async move {
            ctx.answered().await;
            let started = support::turn_started(&params.thread_id, "turn_1");
            ctx.notify::<app_server_protocol::method::TurnStarted>(started).await.unwrap();
        });
        Ok(v2::ThreadArchiveResponse::default())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_handler_spawns_can_wait_until_its_answer_is_queued() {
    bounded(20, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(server_end);
        tokio::spawn(Server::new(AnswerFirst).serve(reads, writes));
        let mut client = support::RawPeer::new(client_end);
        for id in 0..200 {
            let line =
                format!(r#"{{"id":{id},"method":"thread/archive","params":{{"threadId":"t"}}}}"#);
            client.send(&line).await;
            assert_eq!(client.next_json().await["id"], id, "the answer first");
            assert_eq!(client.next_json().await["method"], "turn/started");
        }
    })
    .await;
}

#[tokio::test]
async fn a_handler_that_panics_is_answered_minus_32603_and_the_server_goes_on() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(server_end);
        tokio::spawn(Server::new(AnswerFirst).serve(reads, writes));
        let (reads, writes) = halves(client_end);
        let client = Client::connect(reads, writes);
        let Err(CallError::Rpc(error)) =
            client.request::<ThreadArchive>(support::archive("panic")).await
        else {
            panic!("a panicking handler is an error answer");
        };
        assert_eq!(error.code.0, -32603);
        client.request::<ThreadArchive>(support::archive("thr_1")).await.unwrap();
    })
    .await;
}
