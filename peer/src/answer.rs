//! How an end answers a request of the other end: its handler polled once in place, moved
//! to a task of its own if it waits, its answer queued (an answer that cannot be encoded, or
//! a handler that panics, is answered -32603).

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use app_server_protocol::connection::Side;
use app_server_protocol::{ErrorCode, ErrorResponse, JsonRpcError, RequestId};
use tokio::task::JoinSet;

use crate::config::PeerConfig;
use crate::error::CallError;
use crate::shared::Shared;
use crate::side::PeerSide;

/// What a handler of the other end's requests returns, its panic caught.
type Handled<S> = Result<Result<<S as Side>::PeerAnswer, ErrorResponse>, Panicked>;

/// Answers one request of the other end. A handler that panics is answered with -32603, so
/// that the other end's call does not wait forever.
///
/// The handler is polled once right here, on the reading task: most handlers finish without
/// waiting (a lookup, a change of state), and their answer is then queued at once, with no
/// task spawned and no task woken. A handler that waits is moved to a task of its own in
/// `tasks`, so that it does not hold up the reading; so is the queuing of an answer that finds
/// the outgoing queue full. `done` is dropped once the answer is queued, or when its task is
/// aborted.
///
/// The handler comes boxed, so that the task it may move to holds a pointer, not the
/// handler's state (the decoded request, the largest handler's locals).
pub(crate) fn handle<S, F, D>(
    tasks: &mut JoinSet<()>,
    shared: &Arc<Shared<S>>,
    id: RequestId,
    handler: Pin<Box<F>>,
    done: D,
) where
    S: PeerSide,
    F: Future<Output = Result<S::PeerAnswer, ErrorResponse>> + Send + 'static,
    D: Send + 'static,
{
    let mut handler = CatchPanic { inner: handler };
    // Polled with a waker that does nothing: a handler that is not finished is polled again
    // by its own task at once, and registers that task's waker then.
    let first = Pin::new(&mut handler).poll(&mut Context::from_waker(Waker::noop()));
    let shared = Arc::clone(shared);
    let Poll::Ready(handled) = first else {
        tasks.spawn(async move {
            let message = message_of::<S>(handler.await, &id);
            queue(&shared, id, message).await;
            drop(done);
        });
        return;
    };
    drop(handler);
    if let Some(message) = try_queue(&shared, &id, message_of::<S>(handled, &id)) {
        tasks.spawn(async move {
            queue(&shared, id, message).await;
            drop(done);
        });
    }
}

/// The message that answers a request, out of what its handler returned.
fn message_of<S: PeerSide>(handled: Handled<S>, id: &RequestId) -> S::Sent {
    match handled {
        Ok(Ok(answer)) => S::sent_answer(answer),
        Ok(Err(error)) => S::sent_error(error),
        Err(Panicked) => internal_error::<S>(id.clone(), "the handler of this request panicked"),
    }
}

/// Queues an answer if the outgoing queue has room now; returns it when it has not. An answer
/// whose result cannot be encoded is replaced by -32603.
fn try_queue<S: PeerSide>(shared: &Shared<S>, id: &RequestId, message: S::Sent) -> Option<S::Sent> {
    let message = match shared.try_answer(&message) {
        Ok(true) => return None,
        Ok(false) => return Some(message),
        Err(CallError::Encode(error)) => cannot_encode::<S>(id.clone(), &error),
        // The writer is gone: nobody will read it (an answer fails with nothing else).
        Err(_) => return None,
    };
    // An error answer always encodes.
    matches!(shared.try_answer(&message), Ok(false)).then_some(message)
}

/// Queues an answer, waiting for room; an answer whose result cannot be encoded is replaced
/// by -32603.
async fn queue<S: PeerSide>(shared: &Shared<S>, id: RequestId, message: S::Sent) {
    if let Err(CallError::Encode(error)) = shared.answer(&message).await {
        let _closed = shared.answer(&cannot_encode::<S>(id, &error)).await;
    }
}

fn cannot_encode<S: PeerSide>(id: RequestId, error: &serde_json::Error) -> S::Sent {
    internal_error::<S>(id, &format!("the result could not be encoded: {error}"))
}

/// A handler panicked while it was polled.
struct Panicked;

/// Polls a handler and turns a panic into [`Panicked`], in place: what `tokio::spawn` and its
/// `JoinHandle` would do, without a second task per request.
struct CatchPanic<F: ?Sized> {
    inner: Pin<Box<F>>,
}

impl<F: Future + ?Sized> Future for CatchPanic<F> {
    type Output = Result<F::Output, Panicked>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        // The handler is never polled again after a panic (the answer is -32603 and the
        // future is dropped), so no broken invariant of it can be observed.
        match panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_payload) => Poll::Ready(Err(Panicked)),
        }
    }
}

/// The error answer -32603 to the other end's request `id`.
fn internal_error<S: PeerSide>(id: RequestId, message: &str) -> S::Sent {
    S::sent_error(ErrorResponse {
        id,
        error: JsonRpcError::new(ErrorCode::INTERNAL_ERROR, message),
    })
}

/// Whether one more request of the other end may be handled now: at most
/// [`PeerConfig::max_in_flight`](crate::PeerConfig::max_in_flight) run at once (the finished
/// ones are reaped first).
pub(crate) fn has_room(tasks: &mut JoinSet<()>, config: &PeerConfig) -> bool {
    while tasks.try_join_next().is_some() {}
    tasks.len() < config.max_in_flight()
}

/// A task that is aborted when this handle is dropped.
pub(crate) struct AbortOnDrop<T>(pub(crate) tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
