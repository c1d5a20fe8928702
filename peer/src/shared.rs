//! The state one end of a connection shares between its reader task, its writer task and
//! every caller: the sans-I/O [`Connection`] (ids, the pending table, decoding) and the
//! [`Outbox`] of encoded lines, behind one short-held lock.
//!
//! A pending request's payload is the [`oneshot`] sender its caller waits on: the reader task
//! hands it the answer, [`Shared::close_calls`] hands every one [`Outcome::Closed`], and a
//! caller that gives up forgets its entry ([`Connection::forget`]) when its future is dropped.

use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use app_server_protocol::connection::{Connection, Event, Side};
use app_server_protocol::method::{Notification, Request, Ticket};
use app_server_protocol::{DecodeError, DecodeErrorKind, JsonRpcError, RequestId, append_line};
use tokio::io::AsyncWrite;
use tokio::sync::{Notify, oneshot};

use crate::config::PeerConfig;
use crate::error::CallError;
use crate::outbox::{Batch, Outbox};
use crate::side::PeerSide;
use crate::writer::{Drained, Outgoing, Transport};

/// How a pending request of this end ended.
pub(crate) enum Outcome<A> {
    /// The typed successful answer.
    Answer(A),
    /// The other end answered with an error.
    Error(JsonRpcError),
    /// The answer's result did not fit the method's result type.
    Protocol(DecodeError),
    /// The connection ended first.
    Closed,
}

/// What a caller waits on: the payload of each pending request.
pub(crate) type Waiter<S> = oneshot::Sender<Outcome<<S as Side>::Answer>>;

struct State<S: PeerSide> {
    connection: Connection<S, Waiter<S>>,
    outbox: Outbox,
    /// Set once no answer can come any more: requests and notifications then fail at once
    /// with `Closed` (answers to the other end's requests still go out).
    closed: bool,
}

/// What is being sent. Requests and notifications stop when the calls are closed, answers
/// only when the writer stops; requests and answers are written through when they can be
/// (see [`Shared::write_through`]), notifications are left to the writer task.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sending {
    Request,
    Notification,
    Answer,
}

impl Sending {
    fn is_call(self) -> bool {
        matches!(self, Sending::Request | Sending::Notification)
    }
}

/// One end's shared state. See the [module docs](self).
pub(crate) struct Shared<S: PeerSide> {
    state: Mutex<State<S>>,
    /// The stream lines are written to; `None` once the writer task ended. Locked before
    /// `state` when both are (a drain takes batches from the outbox).
    transport: Mutex<Option<Transport>>,
    /// Wakes the writer task: a line was queued into an empty outbox, or it is to stop.
    to_writer: Notify,
    /// Wakes senders that wait for room: the writer took a full outbox, or it ended.
    room: Notify,
    config: PeerConfig,
}

impl<S: PeerSide> Shared<S> {
    /// The shared state of a new connection that writes to `writer`.
    pub(crate) fn new(config: PeerConfig, writer: impl AsyncWrite + Send + 'static) -> Arc<Self> {
        let state = Mutex::new(State {
            connection: Connection::with_limits(config.limits()),
            outbox: Outbox::new(config.outgoing_queue()),
            closed: false,
        });
        let transport = Mutex::new(Some(Transport::new(writer)));
        Arc::new(Shared { state, transport, to_writer: Notify::new(), room: Notify::new(), config })
    }

    /// The settings of this end.
    pub(crate) fn config(&self) -> &PeerConfig {
        &self.config
    }

    /// Sends a request of method `M` and waits for its typed answer. Waits first for room in
    /// the outgoing queue (backpressure); the request is pending only once its line is queued.
    /// Dropping the future forgets the pending entry.
    pub(crate) async fn call<M>(&self, params: M::Params) -> Result<M::Result, CallError>
    where
        M: Request<Message = S::Request, Answer = S::Answer, MethodEnum = S::RequestMethod>,
    {
        let (waiter, answer) = oneshot::channel();
        let ticket = self
            .send(Sending::Request, |connection, out| {
                connection.request_into::<M>(params, waiter, out)
            })
            .await?;
        let forget = ForgetOnDrop { shared: self, id: Some(ticket.id().clone()) };
        let outcome = answer.await;
        forget.disarm();
        resolve(&ticket, outcome.unwrap_or(Outcome::Closed))
    }

    /// Sends a notification of method `M`, once there is room in the outgoing queue.
    pub(crate) async fn notify<M>(&self, params: M::Params) -> Result<(), CallError>
    where
        M: Notification<Message = S::Notification>,
    {
        self.send(Sending::Notification, |connection, out| connection.notify_into::<M>(params, out))
            .await
    }

    /// Queues an answer to a request of the other end (a result, an error), once there is
    /// room; it goes out even after the calls of this end are closed.
    pub(crate) async fn answer(&self, message: &S::Sent) -> Result<(), CallError> {
        self.send(Sending::Answer, |_, out| append_line(message, out)).await
    }

    /// Queues an answer if the outgoing queue has room now (`Ok(false)` when it is full).
    pub(crate) fn try_answer(&self, message: &S::Sent) -> Result<bool, CallError> {
        let Some(state) = self.with_room(Sending::Answer)? else { return Ok(false) };
        self.push(state, Sending::Answer, |_, out| append_line(message, out))?;
        Ok(true)
    }

    /// Queues a line already encoded (an error answer the connection wrote), as an answer.
    pub(crate) async fn answer_line(&self, line: &str) -> Result<(), CallError> {
        self.send(Sending::Answer, |_, out| {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
            Ok(())
        })
        .await
    }

    /// Waits for room in the outbox, then encodes one line into it with `encode` (under the
    /// lock, so that a request is registered and queued in one step) and wakes the writer if
    /// it may be waiting.
    async fn send<T>(
        &self,
        sending: Sending,
        encode: impl FnOnce(&mut Connection<S, Waiter<S>>, &mut Vec<u8>) -> Result<T, serde_json::Error>,
    ) -> Result<T, CallError> {
        let state = self.lock_with_room(sending).await?;
        self.push(state, sending, encode)
    }

    /// Encodes one line into the outbox (which has room). Into an empty outbox, a request or
    /// an answer is then written through; otherwise the writer task is woken.
    fn push<T>(
        &self,
        mut state: MutexGuard<'_, State<S>>,
        sending: Sending,
        encode: impl FnOnce(&mut Connection<S, Waiter<S>>, &mut Vec<u8>) -> Result<T, serde_json::Error>,
    ) -> Result<T, CallError> {
        let State { connection, outbox, .. } = &mut *state;
        let (sent, was_empty) = outbox.push(|out| encode(connection, out))?;
        drop(state);
        if was_empty && !(sending != Sending::Notification && self.write_through()) {
            self.to_writer.notify_one();
        }
        Ok(sent)
    }

    /// Writes what is queued right here, on the sender's task, if the stream is idle and ready:
    /// a round trip then wakes no writer task. Polled with a waker that does nothing, so it
    /// never waits; returns whether everything was written and flushed. Otherwise (the writer
    /// holds the stream, the stream was not ready, or the write failed) the writer task is to
    /// be woken, and it goes on from where this stopped.
    ///
    /// Only inside a tokio runtime: a stream may need one to be polled (tokio's `Stdout` hands
    /// its writes to the blocking pool), and a caller may be driving its future elsewhere
    /// (`futures::executor::block_on` on a plain thread).
    fn write_through(&self) -> bool {
        if tokio::runtime::Handle::try_current().is_err() {
            return false;
        }
        let Ok(mut slot) = self.transport.try_lock() else { return false };
        let Some(transport) = slot.as_mut().filter(|t| t.ready_for_write_through()) else {
            // Gone: nothing will be written, nobody to wake. Stalled: the writer task's turn.
            return slot.is_none();
        };
        match transport.poll_drain(self, &mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(Drained::Idle)) => true,
            Poll::Ready(Ok(Drained::Stop)) | Poll::Pending => false,
            Poll::Ready(Err(error)) => {
                transport.fail(error);
                false
            }
        }
    }

    /// The lock, once the outbox has room for one more line; `Closed` when it never will.
    async fn lock_with_room(
        &self,
        sending: Sending,
    ) -> Result<MutexGuard<'_, State<S>>, CallError> {
        loop {
            if let Some(state) = self.with_room(sending)? {
                return Ok(state);
            }
            // Full: wait for the writer to take the outbox. Registered before looking again,
            // so that a take between the two still wakes this sender.
            let room = self.room.notified();
            tokio::pin!(room);
            room.as_mut().enable();
            if let Some(state) = self.with_room(sending)? {
                return Ok(state);
            }
            room.await;
        }
    }

    fn with_room(&self, sending: Sending) -> Result<Option<MutexGuard<'_, State<S>>>, CallError> {
        let state = self.lock();
        if sending.is_call() && state.closed {
            return Err(CallError::Closed);
        }
        Ok(state.outbox.has_room()?.then_some(state))
    }

    /// Turns one received line into an event (see [`Connection::receive`]).
    pub(crate) fn receive(&self, line: &str) -> Option<Event<S, Waiter<S>>> {
        self.lock().connection.receive(line)
    }

    /// Counts a line that never reached the connection (too long, not UTF-8) so that line
    /// numbers stay right, and returns its number. A blank line is what the connection counts
    /// without looking at it.
    pub(crate) fn count_unread_line(&self) -> u64 {
        let mut state = self.lock();
        let _blank = state.connection.receive("");
        state.connection.lines_received()
    }

    /// No answer can come any more: every pending request ends with [`CallError::Closed`], and
    /// so does every later one.
    pub(crate) fn close_calls(&self) {
        let waiters = {
            let mut state = self.lock();
            state.closed = true;
            state.connection.close()
        };
        for (_, waiter) in waiters {
            let _gone = waiter.send(Outcome::Closed);
        }
        // Calls waiting for room fail now rather than when the writer takes the outbox.
        self.room.notify_waiters();
    }

    /// Tells the writer task to write what is queued and stop; later lines are refused.
    pub(crate) fn stop_writer(&self) {
        self.lock().outbox.stop();
        self.to_writer.notify_one();
        self.room.notify_waiters();
    }

    /// How many requests of this end wait for their answer.
    pub(crate) fn pending_calls(&self) -> usize {
        self.lock().connection.pending_len()
    }

    /// Whether the connection can no longer answer requests.
    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    fn lock(&self) -> MutexGuard<'_, State<S>> {
        // Nothing panics while holding the lock; a poisoned lock still holds a sound state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn forget(&self, id: &RequestId) {
        let _waiter = self.lock().connection.forget(id);
    }
}

impl<S: PeerSide> Outgoing for Shared<S> {
    fn take_batch(&self, batch: &mut Vec<u8>) -> Batch {
        let taken = self.lock().outbox.take(batch);
        if let Batch::Lines { was_full: true } = taken {
            self.room.notify_waiters();
        }
        taken
    }

    fn with_transport<T>(
        &self,
        poll: impl FnOnce(&mut Transport) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        let mut slot = self.transport.lock().unwrap_or_else(PoisonError::into_inner);
        match slot.as_mut() {
            Some(transport) => poll(transport),
            None => Poll::Ready(Err(io::Error::new(io::ErrorKind::BrokenPipe, "the writer ended"))),
        }
    }

    fn writer_woken(&self) -> impl Future<Output = ()> + Send {
        self.to_writer.notified()
    }

    fn writer_gone(&self, failed: bool) {
        // The stream is dropped: the other end reads EOF even while contexts of this end live.
        let transport = self.transport.lock().unwrap_or_else(PoisonError::into_inner).take();
        drop(transport);
        self.lock().outbox.gone();
        if failed {
            self.close_calls();
        }
        self.room.notify_waiters();
    }
}

/// Forgets a pending request when its caller's future is dropped before the answer came.
struct ForgetOnDrop<'a, S: PeerSide> {
    shared: &'a Shared<S>,
    id: Option<RequestId>,
}

impl<S: PeerSide> ForgetOnDrop<'_, S> {
    fn disarm(mut self) {
        self.id = None;
    }
}

impl<S: PeerSide> Drop for ForgetOnDrop<'_, S> {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            self.shared.forget(&id);
        }
    }
}

/// The caller's result out of how its request ended.
fn resolve<M: Request>(
    ticket: &Ticket<M>,
    outcome: Outcome<M::Answer>,
) -> Result<M::Result, CallError> {
    match outcome {
        Outcome::Answer(answer) => ticket.result(answer).map_err(|_| mismatch::<M>(ticket)),
        Outcome::Error(error) => Err(CallError::Rpc(error)),
        Outcome::Protocol(error) => Err(CallError::Protocol(error)),
        Outcome::Closed => Err(CallError::Closed),
    }
}

/// An answer typed as another method's (the decoder types an answer by the method pending
/// under its id, so this does not happen; it is an error, not a panic).
fn mismatch<M: Request>(ticket: &Ticket<M>) -> CallError {
    CallError::Protocol(
        DecodeError::new(
            DecodeErrorKind::InvalidResult,
            "the answer was typed as another method's",
        )
        .with_id(Some(ticket.id().clone()))
        .in_method(M::METHOD)
        .at("result", None),
    )
}
