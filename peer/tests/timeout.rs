//! Per-call timeouts and cancellation: the call ends with `TimedOut` / `Cancelled`, forgets
//! its pending entry, sends nothing more, and a late answer to it is reported as a bad line
//! without reaching any other call. The clock is tokio's paused one: no real waiting.

mod support;

use std::time::Duration;

use app_server_peer::{CallError, CallOptions, CancelToken, Client, PeerConfig, Server};
use app_server_protocol::method::{CommandExecutionRequestApproval, ThreadArchive};
use app_server_protocol::{ClientRequestHandler, DecodeErrorKind, JsonRpcError, v2};
use support::{RawPeer, approval, archive, bounded, halves, reporting};
use tokio::sync::mpsc;

/// A client over an in-memory pipe whose other end is a raw peer, with bad lines recorded.
fn client_and_raw_server(
    config: PeerConfig,
) -> (Client, RawPeer, std::sync::Arc<std::sync::Mutex<Vec<app_server_peer::BadLine>>>) {
    let (client_end, server_end) = tokio::io::duplex(64 * 1024);
    let (config, bad_lines) = reporting(config);
    let (reads, writes) = halves(client_end);
    (Client::builder().config(config).connect(reads, writes), RawPeer::new(server_end), bad_lines)
}

/// Answers the next request the raw server reads, and returns its thread id.
async fn answer_next(server: &mut RawPeer) -> String {
    let request = server.next_json().await;
    server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
    request["params"]["threadId"].as_str().unwrap().to_owned()
}

#[tokio::test(start_paused = true)]
async fn a_call_that_times_out_forgets_its_entry_and_its_late_answer_reaches_nobody() {
    bounded(60, async {
        let (client, mut server, bad_lines) = client_and_raw_server(PeerConfig::default());
        let options = CallOptions::new().with_timeout(Duration::from_secs(5));

        let call = client.request_with::<ThreadArchive>(archive("thr_slow"), &options);
        let read = server.next_json();
        let (outcome, request) = tokio::join!(call, read);
        assert!(matches!(outcome, Err(CallError::TimedOut)), "{outcome:?}");
        assert_eq!(request["params"]["threadId"], "thr_slow", "the request was sent");
        assert_eq!(client.pending_calls(), 0, "the timed-out call forgot its entry");

        // The late answer is reported, and the next call gets its own answer, not that one.
        server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
        let next = client.request::<ThreadArchive>(archive("thr_next"));
        let (answered, thread) = tokio::join!(next, answer_next(&mut server));
        assert_eq!(answered.unwrap(), v2::ThreadArchiveResponse::default());
        assert_eq!(thread, "thr_next", "nothing but the next request was sent");
        let bad_lines = bad_lines.lock().unwrap();
        assert_eq!(bad_lines.len(), 1, "{bad_lines:?}");
        assert_eq!(bad_lines[0].error.kind, DecodeErrorKind::UnknownResponseId);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn an_answer_before_the_timeout_is_the_result() {
    bounded(60, async {
        let (client, mut server, bad_lines) = client_and_raw_server(PeerConfig::default());
        let options = CallOptions::new().with_timeout(Duration::from_secs(5));
        let call = client.request_with::<ThreadArchive>(archive("thr_1"), &options);
        let (answered, _) = tokio::join!(call, answer_next(&mut server));
        assert_eq!(answered.unwrap(), v2::ThreadArchiveResponse::default());
        // Long after the timeout would have fired, nothing is reported.
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(bad_lines.lock().unwrap().is_empty());
        assert_eq!(client.pending_calls(), 0);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn the_connections_request_timeout_applies_to_calls_that_set_none() {
    bounded(60, async {
        let config = PeerConfig::default().with_request_timeout(Duration::from_secs(2));
        let (client, mut server, _bad_lines) = client_and_raw_server(config);
        let started = tokio::time::Instant::now();
        let (outcome, _) =
            tokio::join!(client.request::<ThreadArchive>(archive("thr_1")), server.next_json());
        assert!(matches!(outcome, Err(CallError::TimedOut)), "{outcome:?}");
        assert_eq!(started.elapsed(), Duration::from_secs(2));

        // A call's own timeout wins over the connection's.
        let options = CallOptions::new().with_timeout(Duration::from_secs(7));
        let started = tokio::time::Instant::now();
        let call = client.request_with::<ThreadArchive>(archive("thr_2"), &options);
        let (outcome, _) = tokio::join!(call, server.next_json());
        assert!(matches!(outcome, Err(CallError::TimedOut)), "{outcome:?}");
        assert_eq!(started.elapsed(), Duration::from_secs(7));
        assert_eq!(client.pending_calls(), 0);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_call_ends_at_once_and_sends_nothing_more() {
    bounded(60, async {
        let (client, mut server, bad_lines) = client_and_raw_server(PeerConfig::default());
        let cancel = CancelToken::new();
        let options = CallOptions::new().with_cancel(&cancel);

        let call = client.request_with::<ThreadArchive>(archive("thr_cancelled"), &options);
        let cancel_once_read = async {
            let request = server.next_json().await;
            cancel.cancel();
            request
        };
        let (outcome, request) = tokio::join!(call, cancel_once_read);
        assert!(matches!(outcome, Err(CallError::Cancelled)), "{outcome:?}");
        assert_eq!(client.pending_calls(), 0, "the cancelled call forgot its entry");

        // The token stays cancelled: a call given it ends at once and is never sent.
        let again = client.request_with::<ThreadArchive>(archive("thr_never_sent"), &options);
        assert!(matches!(again.await, Err(CallError::Cancelled)));

        // The next line the server reads is the next plain request: no cancellation message.
        server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
        let next = client.request::<ThreadArchive>(archive("thr_next"));
        let (answered, thread) = tokio::join!(next, answer_next(&mut server));
        assert_eq!(answered.unwrap(), v2::ThreadArchiveResponse::default());
        assert_eq!(thread, "thr_next");
        assert_eq!(bad_lines.lock().unwrap().len(), 1, "the late answer is reported once");
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn one_token_cancels_every_call_it_was_given() {
    bounded(60, async {
        let (client, mut server, _bad_lines) = client_and_raw_server(PeerConfig::default());
        let cancel = CancelToken::new();
        let options = CallOptions::new().with_cancel(&cancel);
        let calls = async {
            let a = client.request_with::<ThreadArchive>(archive("a"), &options);
            let b = client.request_with::<ThreadArchive>(archive("b"), &options);
            tokio::join!(a, b)
        };
        let cancel_once_both_read = async {
            server.next_json().await;
            server.next_json().await;
            assert_eq!(client.pending_calls(), 2);
            cancel.cancel();
        };
        let ((a, b), ()) = tokio::join!(calls, cancel_once_both_read);
        assert!(matches!((a, b), (Err(CallError::Cancelled), Err(CallError::Cancelled))));
        assert_eq!(client.pending_calls(), 0);
    })
    .await;
}

/// A server whose `thread/archive` asks the client for an approval with a timeout, and
/// reports how its request ended and how many of its requests are still pending.
struct AsksWithTimeout {
    report: mpsc::UnboundedSender<(bool, usize)>,
}

impl ClientRequestHandler<app_server_peer::ServerContext> for AsksWithTimeout {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        ctx: &app_server_peer::ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        let options = CallOptions::new().with_timeout(Duration::from_secs(30));
        let asked =
            ctx.request_with::<CommandExecutionRequestApproval>(approval("turn_1"), &options).await;
        let timed_out = matches!(asked, Err(CallError::TimedOut));
        self.report.send((timed_out, ctx.pending_calls())).unwrap();
        Ok(v2::ThreadArchiveResponse::default())
    }
}

#[tokio::test(start_paused = true)]
async fn a_servers_request_to_the_client_times_out_too() {
    bounded(120, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (report, mut reported) = mpsc::unbounded_channel();
        let (reads, writes) = halves(server_end);
        tokio::spawn(Server::new(AsksWithTimeout { report }).serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        client.send(r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#).await;
        let asked = client.next_json().await;
        assert_eq!(asked["method"], "item/commandExecution/requestApproval");
        assert_eq!(reported.recv().await, Some((true, 0)));
        assert_eq!(client.next_json().await["id"], 1, "the handler went on and answered");
    })
    .await;
}
