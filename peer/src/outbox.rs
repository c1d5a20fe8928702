//! The outbox of one end: the byte buffer every sender encodes its line into, which the
//! writer task (`writer.rs`) takes whole.
//!
//! A sender (a request, a notification, an answer) encodes straight into the buffer under the
//! lock that also guards the sans-I/O connection (see `shared.rs`): no `String` per line, no
//! channel per line. The buffer holds at most [`PeerConfig::outgoing_queue`] lines; a sender
//! that finds it full waits until the writer takes it (backpressure: memory stays bounded by
//! that many lines waiting plus the batch being written). The writer takes everything queued
//! at once, so one write carries every line queued meanwhile.
//!
//! [`PeerConfig::outgoing_queue`]: crate::PeerConfig::outgoing_queue

use crate::error::CallError;

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

#[cfg(test)]
mod tests {
    use std::io;

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
