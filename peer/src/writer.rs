//! The writer of one end: the byte stream lines are written to, and the writer task that
//! writes what senders queued in the outbox.
//!
//! The writer sees the rest of the end only through [`Outgoing`]: it takes batches of queued
//! lines, holds the stream, waits to be woken, and says when it ended. A request or an answer
//! queued into an empty outbox is written through at once by its sender when the stream is
//! idle and ready (one `poll_write` that does not wait): a round trip then wakes no writer
//! task on either end. Notifications, which come in streams, are left to the writer task, so
//! that one write carries many of them.

use std::future::{Future, poll_fn};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use tokio::io::AsyncWrite;

use crate::outbox::Batch;

/// The capacity a batch buffer keeps between writes; a larger one (a huge line) is given back.
const KEPT_CAPACITY: usize = 256 * 1024;

/// What the writer task needs of its end: the outbox's batches, the stream, its wake-ups, and
/// where to say that it ended.
pub(crate) trait Outgoing: Send + Sync + 'static {
    /// Takes every queued line into `batch` (an empty buffer of the writer's).
    fn take_batch(&self, batch: &mut Vec<u8>) -> Batch;

    /// Runs `poll` on the stream; an error once the writer ended.
    fn with_transport<T>(
        &self,
        poll: impl FnOnce(&mut Transport) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>>;

    /// Resolves when a line was queued into an empty outbox or the writer is to stop (waited
    /// on after [`Outgoing::take_batch`] found nothing).
    fn writer_woken(&self) -> impl Future<Output = ()> + Send;

    /// The writer ended; `failed` when what this end sent may not have arrived.
    fn writer_gone(&self, failed: bool);
}

/// The byte stream this end writes to, and the batch being written to it.
///
/// Whoever holds it writes: the writer task, or a sender writing through (see
/// the sender's `write_through` in `shared.rs`). A stream that is not ready registers the waker of whoever
/// polled it; so once it was found not ready (`stalled`), only the writer task polls it
/// again, with its own waker.
pub(crate) struct Transport {
    writer: Pin<Box<dyn AsyncWrite + Send>>,
    batch: Vec<u8>,
    written: usize,
    /// Bytes were written since the last flush.
    unflushed: bool,
    /// The stream was not ready when last polled.
    stalled: bool,
    /// A write through failed: the writer task ends with this error.
    failed: Option<io::Error>,
}

/// Where a drain stopped, everything queued being written and flushed.
pub(crate) enum Drained {
    /// Wait for more lines.
    Idle,
    /// The writer is to shut the stream down.
    Stop,
}

impl Transport {
    /// The transport of a byte stream.
    pub(crate) fn new(writer: impl AsyncWrite + Send + 'static) -> Self {
        Transport {
            writer: Box::pin(writer),
            batch: Vec::new(),
            written: 0,
            unflushed: false,
            stalled: false,
            failed: None,
        }
    }

    /// Whether a sender may write through now: the writer task is not waiting on the stream.
    pub(crate) fn ready_for_write_through(&self) -> bool {
        !self.stalled && self.failed.is_none()
    }

    /// Writes the batch, then every batch the outbox holds, then flushes.
    pub(crate) fn poll_drain(
        &mut self,
        outgoing: &impl Outgoing,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Drained>> {
        if let Some(error) = self.failed.take() {
            return Poll::Ready(Err(error));
        }
        let polled = self.poll_batches(outgoing, cx);
        self.stalled = polled.is_pending();
        polled
    }

    /// Keeps the error of a write through, for the writer task to end with.
    pub(crate) fn fail(&mut self, error: io::Error) {
        self.failed = Some(error);
    }

    fn poll_batches(
        &mut self,
        outgoing: &impl Outgoing,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Drained>> {
        loop {
            while self.written < self.batch.len() {
                let rest = &self.batch[self.written..];
                let n = ready!(self.writer.as_mut().poll_write(cx, rest))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                self.written += n;
                self.unflushed = true;
            }
            self.batch.clear();
            self.batch.shrink_to(KEPT_CAPACITY);
            self.written = 0;
            let drained = match outgoing.take_batch(&mut self.batch) {
                Batch::Lines { .. } => continue,
                Batch::Empty => Drained::Idle,
                Batch::Stop => Drained::Stop,
            };
            if self.unflushed {
                ready!(self.writer.as_mut().poll_flush(cx))?;
                self.unflushed = false;
            }
            return Poll::Ready(Ok(drained));
        }
    }

    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.writer.as_mut().poll_shutdown(cx)
    }
}

/// The writer task: whenever woken, writes what is queued (what senders could not write
/// through) and flushes it, until told to stop; then writes what is still queued, flushes and
/// shuts the stream down (the other end reads EOF). A write error ends it and closes the calls
/// of this end; so does aborting it. When it ends the stream is dropped.
pub(crate) async fn write_lines<O: Outgoing>(outgoing: Arc<O>) {
    let outgoing = &*outgoing;
    let mut gone = GoneOnDrop { outgoing, failed: true };
    let written: io::Result<()> = async {
        loop {
            match poll_fn(|cx| outgoing.with_transport(|t| t.poll_drain(outgoing, cx))).await? {
                Drained::Idle => outgoing.writer_woken().await,
                Drained::Stop => {
                    return poll_fn(|cx| outgoing.with_transport(|t| t.poll_shutdown(cx))).await;
                }
            }
        }
    }
    .await;
    gone.failed = written.is_err();
}

/// Tells the shared state that the writer ended, however it ended: returned, failed, or
/// aborted while waiting (its `JoinHandle` dropped with the client).
struct GoneOnDrop<'a, O: Outgoing> {
    outgoing: &'a O,
    /// Whether what was sent may not have arrived: no answer will come then.
    failed: bool,
}

impl<O: Outgoing> Drop for GoneOnDrop<'_, O> {
    fn drop(&mut self) {
        self.outgoing.writer_gone(self.failed);
    }
}
