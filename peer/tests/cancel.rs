//! A request future dropped before its answer forgets its pending entry, on either end; a
//! late answer to it is reported as a bad line and changes nothing.

mod support;

use std::time::Duration;

use app_server_peer::{Client, PeerConfig, Server, ServerContext};
use app_server_protocol::method::{CommandExecutionRequestApproval, ThreadArchive};
use app_server_protocol::{ClientRequestHandler, DecodeErrorKind, JsonRpcError, v2};
use support::{RawPeer, approval, archive, bounded, halves, reporting};
use tokio::sync::mpsc;

#[tokio::test]
async fn a_dropped_request_future_removes_its_pending_entry() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (config, bad_lines) = reporting(PeerConfig::default());
        let (reads, writes) = halves(client_end);
        let client = Client::builder().config(config).connect(reads, writes);
        let mut server = RawPeer::new(server_end);

        // The raw server reads the request and does not answer it yet.
        let call = client.request::<ThreadArchive>(archive("thr_1"));
        let read = async {
            let request = server.next_json().await;
            assert_eq!(request["method"], "thread/archive");
            request["id"].clone()
        };
        let (gave_up, id) =
            tokio::join!(tokio::time::timeout(Duration::from_millis(50), call), read);
        assert!(gave_up.is_err(), "no answer came, so the call timed out and was dropped");
        assert_eq!(client.pending_calls(), 0, "the dropped call forgot its entry");

        // A late answer to it is reported and does not disturb later calls.
        server.send(&format!(r#"{{"id":{id},"result":{{}}}}"#)).await;
        let next = client.request::<ThreadArchive>(archive("thr_2"));
        let answer = async {
            let request = server.next_json().await;
            server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
        };
        let (answered, ()) = tokio::join!(next, answer);
        assert_eq!(answered.unwrap(), v2::ThreadArchiveResponse::default());
        let bad_lines = bad_lines.lock().unwrap();
        assert_eq!(bad_lines.len(), 1);
        assert_eq!(bad_lines[0].line, 1);
        assert_eq!(bad_lines[0].error.kind, DecodeErrorKind::UnknownResponseId);
    })
    .await;
}

#[tokio::test]
async fn many_dropped_calls_leave_nothing_pending() {
    bounded(10, async {
        let (client_end, _server_end) = tokio::io::duplex(1024 * 1024);
        let (reads, writes) = halves(client_end);
        let client = Client::connect(reads, writes);
        for n in 0..200 {
            let call = client.request::<ThreadArchive>(archive(&format!("thr_{n}")));
            let _gave_up = tokio::time::timeout(Duration::from_millis(1), call).await;
        }
        assert_eq!(client.pending_calls(), 0);
    })
    .await;
}

/// A server whose `thread/archive` asks the client for an approval, gives up after 50 ms,
/// and reports how many of its requests are still pending.
struct Impatient {
    pending_after: mpsc::UnboundedSender<usize>,
}

impl ClientRequestHandler<ServerContext> for Impatient {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        let asked = ctx.request::<CommandExecutionRequestApproval>(approval("turn_1"));
        let _gave_up = tokio::time::timeout(Duration::from_millis(50), asked).await;
        self.pending_after.send(ctx.pending_calls()).unwrap();
        Ok(v2::ThreadArchiveResponse::default())
    }
}

#[tokio::test]
async fn a_server_request_future_dropped_by_its_handler_forgets_its_entry_too() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (pending_after, mut reported) = mpsc::unbounded_channel();
        let (reads, writes) = halves(server_end);
        tokio::spawn(Server::new(Impatient { pending_after }).serve(reads, writes));
        let mut client = RawPeer::new(client_end);
        client.send(r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#).await;
        let approval = client.next_json().await;
        assert_eq!(approval["method"], "item/commandExecution/requestApproval");
        assert_eq!(reported.recv().await, Some(0));
        let answer = client.next_json().await;
        assert_eq!(answer["id"], 1);
    })
    .await;
}
