//! The outgoing side of one end: a byte buffer that every sender encodes its line into, the
//! byte stream it is written to, and the writer task.
//!
//! A sender (a request, a notification, an answer) encodes straight into the buffer under the
//! lock that also guards the sans-I/O connection (see [`Shared`]): no `String` per line, no
//! channel per line. The buffer holds at most [`PeerConfig::outgoing_queue`] lines; a sender
//! that finds it full waits until the writer takes it (backpressure: memory stays bounded by
//! that many lines waiting plus the batch being written). The writer takes everything queued
//! at once, so one write carries every line queued meanwhile.
//!
//! A request or an answer queued into an empty outbox is written through at once by its
//! sender when the stream is idle and ready (one `poll_write` that does not wait): a round
//! trip then wakes no writer task on either end. Notifications, which come in streams, are
//! left to the writer task, so that one write carries many of them.
//!
//! [`PeerConfig::outgoing_queue`]: crate::PeerConfig::outgoing_queue

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use tokio::io::AsyncWrite;

use crate::error::CallError;
use crate::shared::Shared;
use crate::side::PeerSide;

/// The capacity a batch buffer keeps between writes; a larger one (a huge line) is given back.
const KEPT_CAPACITY: usize = 256 * 1024;

/// Lines encoded and not yet taken by the writer. See the [module docs](self).
pub(crate) struct Outbox {
    bytes: Vec<u8>,
    lines: usize,
    capacity: usize,
    writer: Writer,
}

/// Where the writer task is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writer {
    Running,
    /// Told to write what is queued and stop: nothing more is accepted.
    Stopping,
    /// It ended: what is sent is never written.
    Gone,
}

/// What the writer found when it came for a batch.
pub(crate) enum Batch {
    /// Lines to write (swapped into its buffer); `was_full` when senders may wait for room.
    Lines { was_full: bool },
    /// Nothing queued: wait for a sender.
    Empty,
    /// Nothing queued and told to stop.
    Stop,
}

impl Outbox {
    /// An empty outbox of at most `capacity` lines.
    pub(crate) fn new(capacity: usize) -> Self {
        Outbox { bytes: Vec::new(), lines: 0, capacity: capacity.max(1), writer: Writer::Running }
    }

    /// Whether one more line may be queued now: `Ok(false)` when the outbox is full (wait for
    /// the writer), `Err(Closed)` once the writer stops or is gone.
    pub(crate) fn has_room(&self) -> Result<bool, CallError> {
        match self.writer {
            Writer::Running => Ok(self.lines < self.capacity),
            Writer::Stopping | Writer::Gone => Err(CallError::Closed),
        }
    }

    /// Queues one line that `encode` appends (with its `\n`; nothing on error). Returns what
    /// `encode` returned and whether the outbox was empty before, i.e. whether the writer must
    /// be woken.
    pub(crate) fn push<T>(
        &mut self,
        encode: impl FnOnce(&mut Vec<u8>) -> Result<T, serde_json::Error>,
    ) -> Result<(T, bool), CallError> {
        let was_empty = self.bytes.is_empty();
        let sent = encode(&mut self.bytes).map_err(CallError::Encode)?;
        self.lines += 1;
        Ok((sent, was_empty))
    }

    /// Swaps everything queued into `batch` (an empty buffer of the writer's).
    pub(crate) fn take(&mut self, batch: &mut Vec<u8>) -> Batch {
        if self.bytes.is_empty() {
            return match self.writer {
                Writer::Running => Batch::Empty,
                Writer::Stopping | Writer::Gone => Batch::Stop,
            };
        }
        std::mem::swap(&mut self.bytes, batch);
        let was_full = self.lines >= self.capacity;
        self.lines = 0;
        Batch::Lines { was_full }
    }

    /// The writer is to write what is queued and stop; later lines are refused.
    pub(crate) fn stop(&mut self) {
        if self.writer == Writer::Running {
            self.writer = Writer::Stopping;
        }
    }

    /// The writer ended: later lines are refused, and what is queued is dropped.
    pub(crate) fn gone(&mut self) {
        self.writer = Writer::Gone;
        self.bytes = Vec::new();
        self.lines = 0;
    }
}

/// The byte stream this end writes to, and the batch being written to it.
///
/// Whoever holds it writes: the writer task, or a sender writing through (see
/// [`Shared::write_through`]). A stream that is not ready registers the waker of whoever
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
    pub(crate) fn poll_drain<S: PeerSide>(
        &mut self,
        shared: &Shared<S>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Drained>> {
        if let Some(error) = self.failed.take() {
            return Poll::Ready(Err(error));
        }
        let polled = self.poll_batches(shared, cx);
        self.stalled = polled.is_pending();
        polled
    }

    /// Keeps the error of a write through, for the writer task to end with.
    pub(crate) fn fail(&mut self, error: io::Error) {
        self.failed = Some(error);
    }

    fn poll_batches<S: PeerSide>(
        &mut self,
        shared: &Shared<S>,
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
            let drained = match shared.take_batch(&mut self.batch) {
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
pub(crate) async fn write_lines<S: PeerSide>(shared: Arc<Shared<S>>) {
    let mut gone = GoneOnDrop { shared: &shared, failed: true };
    let written: io::Result<()> = async {
        loop {
            match poll_fn(|cx| shared.with_transport(|transport| transport.poll_drain(&shared, cx)))
                .await?
            {
                Drained::Idle => shared.writer_woken().await,
                Drained::Stop => {
                    return poll_fn(|cx| shared.with_transport(|t| t.poll_shutdown(cx))).await;
                }
            }
        }
    }
    .await;
    gone.failed = written.is_err();
}

/// Tells the shared state that the writer ended, however it ended: returned, failed, or
/// aborted while waiting (its `JoinHandle` dropped with the client).
struct GoneOnDrop<'a, S: PeerSide> {
    shared: &'a Shared<S>,
    /// Whether what was sent may not have arrived: no answer will come then.
    failed: bool,
}

impl<S: PeerSide> Drop for GoneOnDrop<'_, S> {
    fn drop(&mut self) {
        self.shared.writer_gone(self.failed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &'static str) -> impl FnOnce(&mut Vec<u8>) -> Result<(), serde_json::Error> {
        move |out| {
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
            Ok(())
        }
    }

    #[test]
    fn lines_queue_up_to_the_capacity_and_are_taken_all_at_once() {
        let mut outbox = Outbox::new(2);
        assert_eq!(outbox.push(line("a")).unwrap(), ((), true), "the first line wakes the writer");
        assert_eq!(outbox.push(line("b")).unwrap(), ((), false));
        assert!(!outbox.has_room().unwrap(), "two lines fill it");
        let mut batch = Vec::new();
        assert!(matches!(outbox.take(&mut batch), Batch::Lines { was_full: true }));
        assert_eq!(batch, b"a\nb\n");
        assert!(outbox.has_room().unwrap());
        assert!(matches!(outbox.take(&mut Vec::new()), Batch::Empty));
    }

    #[test]
    fn a_line_that_fails_to_encode_is_not_counted() {
        let mut outbox = Outbox::new(1);
        let failed = outbox.push(|_| Err::<(), _>(serde_json::Error::io(io::Error::other("no"))));
        assert!(matches!(failed, Err(CallError::Encode(_))));
        assert!(outbox.has_room().unwrap(), "nothing was queued");
    }

    #[test]
    fn once_stopping_what_is_queued_is_still_taken_and_nothing_more_accepted() {
        let mut outbox = Outbox::new(4);
        outbox.push(line("last")).unwrap();
        outbox.stop();
        assert!(matches!(outbox.has_room(), Err(CallError::Closed)));
        let mut batch = Vec::new();
        assert!(matches!(outbox.take(&mut batch), Batch::Lines { was_full: false }));
        assert_eq!(batch, b"last\n");
        assert!(matches!(outbox.take(&mut Vec::new()), Batch::Stop));
        outbox.gone();
        assert!(matches!(outbox.has_room(), Err(CallError::Closed)));
    }
}
