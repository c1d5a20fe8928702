//! A peer that floods requests: at most `max_in_flight` of its requests are handled at once;
//! one more is refused at once with -32600, and the connection goes on (answers keep
//! flowing, and a request after a handler finished is served again).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use app_server_peer::{CallError, Client, PeerConfig, Server, ServerContext};
use app_server_protocol::method::{ThreadArchive, ThreadResume};
use app_server_protocol::{ClientRequestHandler, JsonRpcError, v2};
use support::{archive, bounded, halves, resume, resumed};
use tokio::sync::Notify;

/// Holds every `thread/archive` until released; answers `thread/resume` at once.
#[derive(Default)]
struct Holding {
    entered: AtomicUsize,
    arrived: Notify,
    release: Notify,
}

/// The server's handler: the shared [`Holding`].
struct Held(Arc<Holding>);

impl ClientRequestHandler<ServerContext> for Held {
    async fn thread_archive(
        &self,
        _params: v2::ThreadArchiveParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        let released = self.0.release.notified();
        self.0.entered.fetch_add(1, Ordering::SeqCst);
        self.0.arrived.notify_one();
        released.await;
        Ok(v2::ThreadArchiveResponse::default())
    }

    async fn thread_resume(
        &self,
        params: v2::ThreadResumeParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadResumeResponse, JsonRpcError> {
        Ok(resumed(&params.thread_id))
    }
}

#[tokio::test]
async fn a_request_over_the_bound_is_refused_at_once_and_the_connection_goes_on() {
    bounded(10, async {
        let holding = Arc::new(Holding::default());
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (reads, writes) = halves(server_end);
        let config = PeerConfig::default().with_max_in_flight(2);
        let server = Server::new(Held(Arc::clone(&holding))).config(config);
        let served = tokio::spawn(server.serve(reads, writes));
        let (reads, writes) = halves(client_end);
        let client = Client::connect(reads, writes);

        let held: Vec<_> = (0..2)
            .map(|i| {
                let ctx = client.context();
                tokio::spawn(async move {
                    ctx.request::<ThreadArchive>(archive(&format!("t{i}"))).await
                })
            })
            .collect();
        while holding.entered.load(Ordering::SeqCst) < 2 {
            holding.arrived.notified().await;
        }

        let Err(CallError::Rpc(refused)) = client.request::<ThreadResume>(resume("t9")).await
        else {
            panic!("a third request while two are handled is refused");
        };
        assert_eq!(refused.code.0, -32600);
        assert!(refused.message.contains("too many requests in flight"), "{}", refused.message);

        holding.release.notify_waiters();
        for call in held {
            assert_eq!(call.await.unwrap().unwrap(), v2::ThreadArchiveResponse::default());
        }
        let again = client.request::<ThreadResume>(resume("t9")).await.unwrap();
        assert_eq!(again, resumed("t9"), "served again once the handlers finished");

        client.shutdown().await.unwrap();
        served.await.unwrap().unwrap();
    })
    .await;
}
