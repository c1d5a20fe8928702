//! The write path against streams that are not always ready or that fail: a request or an
//! answer is written through by its sender when the stream is idle and ready, and otherwise
//! left to the writer task, which must pick up where the sender stopped.

mod support;

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use app_server_peer::{CallError, Client, Server};
use app_server_protocol::method::ThreadArchive;
use support::{TestServer, archive, bounded, halves};
use tokio::io::AsyncWrite;
use tokio::task::JoinSet;

/// A stream that is not ready every other time it is polled (it wakes the poller at once,
/// as a socket whose buffer drained would) and takes at most 7 bytes per write, so that a
/// line is never written by one `poll_write`.
struct Choppy<W> {
    inner: W,
    polls: usize,
}

impl<W> Choppy<W> {
    fn not_ready_now(&mut self, cx: &mut Context<'_>) -> bool {
        self.polls += 1;
        if self.polls.is_multiple_of(2) {
            cx.waker().wake_by_ref();
            return true;
        }
        false
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Choppy<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.not_ready_now(cx) {
            return Poll::Pending;
        }
        let n = buf.len().min(7);
        Pin::new(&mut self.inner).poll_write(cx, &buf[..n])
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.not_ready_now(cx) {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A stream whose every write fails, as a pipe whose reader exited does.
struct Broken;

impl AsyncWrite for Broken {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_cut_short_by_a_stream_that_is_not_ready_are_finished_by_the_writer_task() {
    bounded(20, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (server_reads, server_writes) = halves(server_end);
        // Both ends write through the choppy stream: the client its requests, the server its
        // answers.
        let server_writes = Choppy { inner: server_writes, polls: 0 };
        let served =
            tokio::spawn(Server::new(TestServer::default()).serve(server_reads, server_writes));
        let (client_reads, client_writes) = halves(client_end);
        let client_writes = Choppy { inner: client_writes, polls: 0 };
        let client = Client::connect(client_reads, client_writes);

        // One at a time (each into an idle stream: the write-through path), then many at once.
        for n in 0..50 {
            client.request::<ThreadArchive>(archive(&format!("thr_{n}"))).await.unwrap();
        }
        let mut calls = JoinSet::new();
        for n in 0..200 {
            let context = client.context();
            calls.spawn(async move {
                context.request::<ThreadArchive>(archive(&format!("thr_{n}"))).await
            });
        }
        while let Some(call) = calls.join_next().await {
            call.unwrap().unwrap();
        }
        client.shutdown().await.unwrap();
        served.await.unwrap().unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_stream_that_fails_to_write_ends_the_call_and_every_later_one_with_closed() {
    bounded(20, async {
        let (client_end, _server_end) = tokio::io::duplex(1024);
        let (client_reads, _unused) = halves(client_end);
        let client = Client::connect(client_reads, Broken);
        let first = client.request::<ThreadArchive>(archive("thr_1")).await;
        assert!(matches!(first, Err(CallError::Closed)), "{first:?}");
        let later = client.request::<ThreadArchive>(archive("thr_2")).await;
        assert!(matches!(later, Err(CallError::Closed)), "{later:?}");
        assert!(client.is_closed());
    })
    .await;
}

/// A stream that, like tokio's `Stdout`, needs a tokio runtime to be polled in.
struct NeedsRuntime<W> {
    inner: W,
}

impl<W: AsyncWrite + Unpin> AsyncWrite for NeedsRuntime<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let _runtime = tokio::runtime::Handle::current();
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Runs a future to completion on the calling thread, outside any tokio runtime.
fn block_on_plain_thread<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_made_outside_the_runtime_is_written_by_the_writer_task() {
    bounded(20, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (server_reads, server_writes) = halves(server_end);
        let served =
            tokio::spawn(Server::new(TestServer::default()).serve(server_reads, server_writes));
        let (client_reads, client_writes) = halves(client_end);
        let client = Client::connect(client_reads, NeedsRuntime { inner: client_writes });
        let context = client.context();
        let answered = std::thread::spawn(move || {
            block_on_plain_thread(context.request::<ThreadArchive>(archive("thr_1")))
        });
        let answered = tokio::task::spawn_blocking(move || answered.join()).await.unwrap();
        answered.expect("the calling thread did not panic").unwrap();
        client.shutdown().await.unwrap();
        served.await.unwrap().unwrap();
    })
    .await;
}
