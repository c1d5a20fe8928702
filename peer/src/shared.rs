//! The state one end of a connection shares between its reader task, its writer task and
//! every caller: the sans-I/O [`Connection`] (ids, the pending table, decoding) behind a
//! short-held lock, and the sending half of the bounded outgoing queue.
//!
//! A pending request's payload is the [`oneshot`] sender its caller waits on: the reader task
//! hands it the answer, [`Shared::close_calls`] hands every one [`Outcome::Closed`], and a
//! caller that gives up forgets its entry ([`Connection::forget`]) when its future is dropped.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use app_server_protocol::connection::{Connection, Event, Side};
use app_server_protocol::typed::{Notification, Request, Ticket};
use app_server_protocol::{DecodeError, DecodeErrorKind, ErrorResponse, JsonRpcError, RequestId};
use tokio::sync::{Notify, mpsc, oneshot};

use crate::config::PeerConfig;
use crate::error::CallError;
use crate::side::PeerSide;

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
    /// Set once no answer can come any more: requests then fail at once with `Closed`.
    closed: bool,
}

/// One end's shared state. See the [module docs](self).
pub(crate) struct Shared<S: PeerSide> {
    state: Mutex<State<S>>,
    outgoing: mpsc::Sender<String>,
    stop: Notify,
    config: PeerConfig,
}

impl<S: PeerSide> Shared<S> {
    /// The shared state of a new connection, and the receiving half of its outgoing queue
    /// (for the writer task).
    pub(crate) fn new(config: PeerConfig) -> (Arc<Self>, mpsc::Receiver<String>) {
        let (outgoing, queue) = mpsc::channel(config.outgoing_queue());
        let connection = Connection::with_limits(config.limits());
        let state = Mutex::new(State { connection, closed: false });
        (Arc::new(Shared { state, outgoing, stop: Notify::new(), config }), queue)
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
        let permit = self.outgoing.reserve().await.map_err(|_| CallError::Closed)?;
        let (waiter, answer) = oneshot::channel();
        let ticket = {
            let mut state = self.lock();
            if state.closed {
                return Err(CallError::Closed);
            }
            let (line, ticket) =
                state.connection.request_with::<M>(params, waiter).map_err(CallError::Encode)?;
            permit.send(line);
            ticket
        };
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
        let permit = self.outgoing.reserve().await.map_err(|_| CallError::Closed)?;
        let line = {
            let state = self.lock();
            if state.closed {
                return Err(CallError::Closed);
            }
            state.connection.notify::<M>(params).map_err(CallError::Encode)?
        };
        permit.send(line);
        Ok(())
    }

    /// Queues a line (an answer, an error answer), once there is room.
    pub(crate) async fn send_line(&self, line: String) -> Result<(), CallError> {
        self.outgoing.send(line).await.map_err(|_| CallError::Closed)
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
    }

    /// Tells the writer task to write what is queued and stop.
    pub(crate) fn stop_writer(&self) {
        self.stop.notify_one();
    }

    /// Resolves when [`Shared::stop_writer`] was called (for the writer task).
    pub(crate) async fn stopped(&self) {
        self.stop.notified().await;
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

/// The line of an error answer to the other end's request `id`.
pub(crate) fn error_line<S: PeerSide>(id: RequestId, error: JsonRpcError) -> Option<String> {
    serde_json::to_string(&S::sent_error(ErrorResponse { id, error })).ok()
}
