//! The async peer (`app-server-peer`) against the bare codec doing the same decode and encode,
//! for a profiler (callgrind, see RESULTS.md "Peer vs codec"):
//! `peer MODE N` with MODE =
//!
//! - `stream_peer`: a server (`serve` over `tokio::io::duplex`) pushes N
//!   `item/agentMessage/delta` notifications from a handler, a `Client` reads them from
//!   `notifications()`;
//! - `stream_codec`: the same N notifications, each encoded to a line (`ServerMessage::to_line`)
//!   and decoded with `decode_server_message`;
//! - `rt_peer`: N sequential `thread/archive` calls through a `Client` and a server;
//! - `rt_codec`: N times: encode the request, decode it (`decode_client_message`), encode the
//!   answer, decode it (`decode_server_message`, the pending entry taken out);
//! - `list_peer` / `list_codec`: the same round trip with a realistic answer, `thread/list`
//!   answered with a full page of 25 threads (about 6.6 KB, the threads of
//!   `fixtures/v2/thread/list/first-page.jsonl` repeated with distinct ids); the handler clones
//!   its stored page, and so does the codec loop.
//!
//! Everything runs on a current-thread runtime (one thread: deterministic under valgrind). The
//! cost of one message is the difference of two runs divided by the difference of their N, so
//! that the setup (runtime, tasks, connection) cancels out.

use std::hint::black_box;

use app_server_peer::{Client, ServerContext, serve};
use app_server_protocol::method::{AgentMessageDelta, ThreadArchive, ThreadList};
use app_server_protocol::{
    ClientMessage, ClientRequest, ClientRequestHandler, ClientRequestMethod, ClientRequestResult,
    JsonRpcError, PendingRequests, RequestId, ServerMessage, ServerNotification,
    decode_client_message, decode_server_message, v2,
};

/// The wire of one delta, as in `fixtures/v2/item/agentMessage/delta/basic.jsonl` (a token of
/// the generated corpus is shorter; this is a realistic chunk).
const DELTA: &str = r#"{"method":"item/agentMessage/delta","params":{"itemId":"item_01JD8X6R8V","delta":"The flakiness came from `issue_refund` comparing"}}"#;
const ARCHIVE: &str =
    r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_01JD8X6R8V"}}"#;
const ARCHIVED: &str = r#"{"id":1,"result":{}}"#;

fn delta_params() -> v2::AgentMessageDeltaNotification {
    match decode_server_message(DELTA, &mut PendingRequests::new()).expect("the delta decodes") {
        ServerMessage::Notification(ServerNotification::AgentMessageDelta { params }) => params,
        other => panic!("not a delta: {other:?}"),
    }
}

/// A full page of `PAGE` threads.
const PAGE: usize = 25;

fn thread_page() -> v2::ThreadListResponse {
    let threads = [
        ("Why does this chart show a dip on Nov 14?", "openai", 1763637243),
        ("Rename the `amt` column to `amount_cents`", "azure", 1763630103),
        (
            "The refund test in tests/test_refunds.py is flaky, find out why and fix it",
            "openai",
            1763630043,
        ),
    ];
    let data: Vec<serde_json::Value> = (0..PAGE)
        .map(|n| {
            let (preview, provider, created) = threads[n % threads.len()];
            let id = format!("thr_01JD8X{n:04}QM");
            serde_json::json!({
                "id": id, "preview": preview, "modelProvider": provider,
                "createdAt": created - n as i64,
                "path": format!("/home/dana/.codex/sessions/2025/11/20/rollout-2025-11-20T09-14-03-{id}.jsonl"),
                "turns": []
            })
        })
        .collect();
    let page = serde_json::json!({ "data": data, "nextCursor": "eyJ0cyI6MTc2MzYzMDA0MywiaWQiOiJ0aHJfMDFKRDhYNFEyTSJ9" });
    serde_json::from_value(page).expect("a page of threads")
}

fn list_params() -> v2::ThreadListParams {
    serde_json::from_str(r#"{"limit":25}"#).expect("params")
}

fn archive_params() -> v2::ThreadArchiveParams {
    serde_json::from_str(r#"{"threadId":"thr_01JD8X6R8V"}"#).expect("params")
}

/// Streams `n` deltas in its `thread/archive` handler, or answers at once when `n` is 0;
/// answers `thread/list` with its page.
struct Agent {
    n: usize,
    delta: v2::AgentMessageDeltaNotification,
    page: v2::ThreadListResponse,
}

impl ClientRequestHandler<ServerContext> for Agent {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        for _ in 0..self.n {
            ctx.notify::<AgentMessageDelta>(self.delta.clone()).await.expect("notifies");
        }
        Ok(v2::ThreadArchiveResponse::default())
    }

    async fn thread_list(
        &self,
        _params: v2::ThreadListParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadListResponse, JsonRpcError> {
        Ok(self.page.clone())
    }
}

fn agent(n: usize) -> Agent {
    Agent { n, delta: delta_params(), page: thread_page() }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime")
}

async fn connect(agent: Agent) -> (Client, tokio::task::JoinHandle<std::io::Result<()>>) {
    let (client_end, server_end) = tokio::io::duplex(64 * 1024);
    let (server_reads, server_writes) = tokio::io::split(server_end);
    let server = tokio::spawn(serve(server_reads, server_writes, agent));
    let (client_reads, client_writes) = tokio::io::split(client_end);
    (Client::connect(client_reads, client_writes), server)
}

#[inline(never)]
fn stream_peer(n: usize) {
    runtime().block_on(async {
        let (client, server) = connect(agent(n)).await;
        let mut notifications = client.notifications();
        let read = async {
            for _ in 0..n {
                let notification = notifications.next().await.expect("a notification");
                black_box(&notification);
            }
        };
        let (answer, ()) = tokio::join!(client.request::<ThreadArchive>(archive_params()), read);
        answer.expect("answered");
        client.shutdown().await.expect("shuts down");
        server.await.expect("joins").expect("serves");
    });
}

#[inline(never)]
fn stream_codec(n: usize) {
    let params = delta_params();
    let mut pending = PendingRequests::new();
    for _ in 0..n {
        // The server has the typed params (as `notify` takes them); the client decodes.
        let message = ServerMessage::Notification(ServerNotification::AgentMessageDelta {
            params: params.clone(),
        });
        let line = message.to_line().expect("encodes");
        black_box(decode_server_message(&line, &mut pending).expect("decodes"));
    }
}

/// `n` sequential round trips through a client and a server, each made by `call`.
fn peer_round_trips(n: usize, call: impl AsyncFn(&Client)) {
    runtime().block_on(async {
        let (client, server) = connect(agent(0)).await;
        for _ in 0..n {
            call(&client).await;
        }
        client.shutdown().await.expect("shuts down");
        server.await.expect("joins").expect("serves");
    });
}

#[inline(never)]
fn rt_peer(n: usize) {
    peer_round_trips(n, async |client| {
        black_box(client.request::<ThreadArchive>(archive_params()).await.expect("answered"));
    });
}

#[inline(never)]
fn rt_codec(n: usize) {
    let request =
        decode_client_message(ARCHIVE, &mut PendingRequests::new()).expect("the request decodes");
    let mut client_pending = PendingRequests::new();
    let answer = {
        client_pending.insert(RequestId::Integer(1), ClientRequestMethod::ThreadArchive);
        decode_server_message(ARCHIVED, &mut client_pending).expect("the answer decodes")
    };
    let mut server_pending = PendingRequests::new();
    for _ in 0..n {
        let line = request.to_line().expect("encodes");
        let received: ClientMessage =
            decode_client_message(&line, &mut server_pending).expect("decodes");
        black_box(&received);
        let line = answer.to_line().expect("encodes");
        client_pending.insert(RequestId::Integer(1), ClientRequestMethod::ThreadArchive);
        black_box(decode_server_message(&line, &mut client_pending).expect("decodes"));
    }
}

#[inline(never)]
fn list_peer(n: usize) {
    peer_round_trips(n, async |client| {
        black_box(client.request::<ThreadList>(list_params()).await.expect("answered"));
    });
}

#[inline(never)]
fn list_codec(n: usize) {
    let page = thread_page();
    let mut client_pending = PendingRequests::new();
    let mut server_pending = PendingRequests::new();
    for _ in 0..n {
        // The client builds and encodes its request; the server decodes it.
        let request = ClientMessage::Request(ClientRequest::ThreadList {
            request_id: RequestId::Integer(1),
            params: list_params(),
        });
        let line = request.to_line().expect("encodes");
        black_box(decode_client_message(&line, &mut server_pending).expect("decodes"));
        // The server builds and encodes its answer; the client decodes it.
        let answer = ServerMessage::Response(ClientRequestResult::ThreadList {
            request_id: RequestId::Integer(1),
            result: page.clone(),
        });
        let line = answer.to_line().expect("encodes");
        client_pending.insert(RequestId::Integer(1), ClientRequestMethod::ThreadList);
        black_box(decode_server_message(&line, &mut client_pending).expect("decodes"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("stream_peer", String::as_str);
    let n = args.get(2).map_or(10_000, |n| n.parse::<usize>().expect("N is a count"));
    let start = std::time::Instant::now();
    match mode {
        "stream_peer" => stream_peer(n),
        "stream_codec" => stream_codec(n),
        "rt_peer" => rt_peer(n),
        "rt_codec" => rt_codec(n),
        "list_peer" => list_peer(n),
        "list_codec" => list_codec(n),
        _ => {
            panic!("MODE: stream_peer | stream_codec | rt_peer | rt_codec | list_peer | list_codec")
        }
    }
    let elapsed = start.elapsed();
    eprintln!(
        "{mode} {n}: {:?} ({:.0} ns/message, setup included)",
        elapsed,
        elapsed.as_nanos() as f64 / n.max(1) as f64
    );
}
