//! A peer that does not read what this end writes: the bounded outgoing queue fills and
//! senders wait (memory stays bounded) until it reads again. The client's notification queue
//! is bounded the same way.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app_server_peer::{Client, PeerConfig, Server, ServerContext};
use app_server_protocol::method::{Initialized, ThreadArchive, TurnStarted};
use app_server_protocol::{ClientRequestHandler, JsonRpcError, NoParams, v2};
use support::{RawPeer, archive, bounded, halves, turn_started};
use tokio::io::{AsyncBufReadExt, BufReader, DuplexStream};
use tokio::time::timeout;

const PIPE: usize = 4096;
const QUEUE: usize = 8;
const STALL: Duration = Duration::from_millis(100);

fn stalled_client() -> (Client, DuplexStream) {
    let (client_end, server_end) = tokio::io::duplex(PIPE);
    let (reads, writes) = halves(client_end);
    let config = PeerConfig::default().with_outgoing_queue(QUEUE);
    (Client::builder().config(config).connect(reads, writes), server_end)
}

/// Reads and counts lines until `expected` came.
async fn count_lines(end: DuplexStream, expected: usize) -> usize {
    let mut lines = BufReader::new(end).lines();
    let mut seen = 0;
    while seen < expected && lines.next_line().await.unwrap().is_some() {
        seen += 1;
    }
    seen
}

#[tokio::test]
async fn notifications_to_a_peer_that_does_not_read_wait_until_it_reads() {
    bounded(20, async {
        let (client, server_end) = stalled_client();
        // Stalled: three sends in a row found no room (a send that times out sends nothing).
        let (mut sent, mut waited) = (0, 0);
        while waited < 3 {
            match timeout(STALL, client.notify::<Initialized>(NoParams)).await {
                Ok(done) => (sent, waited) = (sent + done.map(|()| 1).unwrap(), 0),
                Err(_) => waited += 1,
            }
            assert!(sent < 100_000, "the sender never had to wait");
        }
        let line = r#"{"method":"initialized"}"#.len() + 1;
        // The queue, the batch the writer took from it and is writing, and what the pipe holds.
        assert!(sent <= 2 * QUEUE + PIPE / line + 1, "{sent} lines were accepted");

        let stalled = client.notify::<Initialized>(NoParams);
        tokio::pin!(stalled);
        assert!(timeout(STALL, &mut stalled).await.is_err(), "still waiting while nobody reads");
        let reader = tokio::spawn(count_lines(server_end, sent + 1));
        stalled.await.unwrap();
        assert_eq!(reader.await.unwrap(), sent + 1, "every line arrives once the peer reads");
    })
    .await;
}

#[tokio::test]
async fn requests_to_a_peer_that_does_not_read_are_pending_only_once_queued() {
    bounded(20, async {
        let (client, server_end) = stalled_client();
        let calls: Vec<_> = (0..2_000)
            .map(|n| {
                let context = client.context();
                tokio::spawn(async move {
                    context.request::<ThreadArchive>(archive(&format!("thr_{n}"))).await
                })
            })
            .collect();
        tokio::time::sleep(4 * STALL).await;
        let pending = client.pending_calls();
        assert!(pending < 300, "{pending} requests pending: the rest wait for room in the queue");

        let mut server = RawPeer::new(server_end);
        for _ in 0..calls.len() {
            let request = server.next_json().await;
            server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
        }
        for call in calls {
            call.await.unwrap().unwrap();
        }
        assert_eq!(client.pending_calls(), 0);
    })
    .await;
}

/// A server whose `thread/archive` sends `turn/started` 1,000 times, counting the sends.
struct Flooder {
    sent: Arc<AtomicUsize>,
}

impl ClientRequestHandler<ServerContext> for Flooder {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        for n in 0..1_000 {
            ctx.notify::<TurnStarted>(turn_started("thr_1", &format!("turn_{n}"))).await.unwrap();
            self.sent.fetch_add(1, Ordering::SeqCst);
        }
        Ok(v2::ThreadArchiveResponse::default())
    }
}

#[tokio::test]
async fn a_server_streaming_to_a_client_that_does_not_read_waits_until_it_reads() {
    bounded(20, async {
        let (client_end, server_end) = tokio::io::duplex(PIPE);
        let sent = Arc::new(AtomicUsize::new(0));
        let server = Server::new(Flooder { sent: Arc::clone(&sent) })
            .config(PeerConfig::default().with_outgoing_queue(QUEUE));
        let (reads, writes) = halves(server_end);
        tokio::spawn(server.serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        client.send(r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#).await;

        // The handler stalls: its count stops growing.
        let mut stalled_at = usize::MAX;
        while sent.load(Ordering::SeqCst) != stalled_at {
            stalled_at = sent.load(Ordering::SeqCst);
            tokio::time::sleep(STALL).await;
        }
        assert!(stalled_at < 200, "{stalled_at} notifications accepted while nobody read");

        for _ in 0..1_000 {
            assert_eq!(client.next_json().await["method"], "turn/started");
        }
        assert_eq!(client.next_json().await["id"], 1, "then the answer");
    })
    .await;
}

#[tokio::test]
async fn unread_notifications_hold_up_the_client_and_a_dropped_stream_discards_them() {
    bounded(20, async {
        for keep_the_stream in [true, false] {
            let (client_end, server_end) = tokio::io::duplex(64 * 1024);
            let (reads, writes) = halves(client_end);
            let config = PeerConfig::default().with_notification_queue(2);
            let client = Client::builder().config(config).connect(reads, writes);
            // Taken, and kept unread or dropped (a stream never taken holds the client up too).
            let taken = client.notifications();
            let mut notifications = keep_the_stream.then_some(taken);
            let mut server = RawPeer::new(server_end);
            let call = client.request::<ThreadArchive>(archive("thr_1"));
            tokio::pin!(call);
            let answer_after_ten_notifications = async {
                let request = server.next_json().await;
                for n in 0..10 {
                    let started = serde_json::to_string(&turn_started("thr_1", &format!("t{n}")));
                    let line =
                        format!(r#"{{"method":"turn/started","params":{}}}"#, started.unwrap());
                    server.send(&line).await;
                }
                server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
            };
            let Some(stream) = notifications.as_mut() else {
                // Nobody wants them: they are discarded and the answer is read.
                let (answered, ()) = tokio::join!(&mut call, answer_after_ten_notifications);
                answered.unwrap();
                continue;
            };
            let (answered, ()) =
                tokio::join!(timeout(2 * STALL, &mut call), answer_after_ten_notifications);
            assert!(answered.is_err(), "the answer waits behind unread notifications");
            let reading = async {
                for _ in 0..10 {
                    stream.next().await.unwrap();
                }
            };
            let (answered, ()) = tokio::join!(&mut call, reading);
            answered.unwrap();
        }
    })
    .await;
}

/// Answers `thread/archive` at once, without waiting: each answer is queued on the reading
/// task.
struct Archiver;

impl ClientRequestHandler<ServerContext> for Archiver {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        Ok(v2::ThreadArchiveResponse::default())
    }
}

#[tokio::test]
async fn answers_that_find_the_queue_full_wait_without_holding_up_the_reading() {
    bounded(20, async {
        const CALLS: usize = 300;
        let (client_end, server_end) = tokio::io::duplex(PIPE);
        let notified = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&notified);
        let server = Server::new(Archiver)
            .config(PeerConfig::default().with_outgoing_queue(QUEUE))
            .on_notification(move |_, _| {
                seen.fetch_add(1, Ordering::SeqCst);
            });
        let (reads, writes) = halves(server_end);
        tokio::spawn(server.serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        // Far more answers than the queue and the pipe hold, none read yet; then a
        // notification: the server reads it although its answers wait for room.
        for id in 1..=CALLS {
            let line =
                format!(r#"{{"id":{id},"method":"thread/archive","params":{{"threadId":"t"}}}}"#);
            client.send(&line).await;
        }
        client.send(r#"{"method":"initialized"}"#).await;
        while notified.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }

        let mut answered: Vec<u64> = Vec::new();
        for _ in 0..CALLS {
            let answer = client.next_json().await;
            assert_eq!(answer["result"], serde_json::json!({}), "{answer}");
            answered.push(answer["id"].as_u64().unwrap());
        }
        answered.sort_unstable();
        assert_eq!(answered, (1..=CALLS as u64).collect::<Vec<_>>(), "every call answered once");
    })
    .await;
}
