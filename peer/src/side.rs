//! What the peer needs of each end beyond the protocol's [`Side`]: thread-safe message types,
//! the id of a received request, and the error of a line that is not UTF-8; and the one way
//! both ends answer a received request (a task per request).

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use app_server_protocol::connection::{ClientSide, ServerSide, Side};
use app_server_protocol::{
    DecodeError, DecodeErrorKind, DecodeLimits, ErrorCode, ErrorResponse, JsonRpcError,
    PendingRequests, RequestId, decode_client_message_bytes, decode_server_message_bytes,
};

use tokio::task::JoinSet;

use crate::config::PeerConfig;
use crate::error::CallError;
use crate::shared::Shared;

/// One end of a connection as the peer drives it.
pub(crate) trait PeerSide:
    Side<
        Answer: Send,
        Sent: Send + Sync,
        RequestMethod: Send,
        IncomingRequest: Send,
        IncomingNotification: Send,
        PeerAnswer: Send,
    > + Send
    + Sync
    + 'static
{
    /// The id of a request of the other end.
    fn incoming_id(request: &Self::IncomingRequest) -> RequestId;

    /// The decode error of a line that is not UTF-8 (-32700 with the byte offset), in the
    /// words of the protocol crate's byte decoder.
    fn undecodable(bytes: &[u8], limits: &DecodeLimits) -> DecodeError;
}

impl PeerSide for ClientSide {
    fn incoming_id(request: &Self::IncomingRequest) -> RequestId {
        request.request_id().clone()
    }

    fn undecodable(bytes: &[u8], limits: &DecodeLimits) -> DecodeError {
        let mut nothing_pending = PendingRequests::new();
        match decode_server_message_bytes(bytes, &mut nothing_pending, limits) {
            Err(error) => error,
            Ok(_) => not_utf8(),
        }
    }
}

impl PeerSide for ServerSide {
    fn incoming_id(request: &Self::IncomingRequest) -> RequestId {
        request.request_id().clone()
    }

    fn undecodable(bytes: &[u8], limits: &DecodeLimits) -> DecodeError {
        let mut nothing_pending = PendingRequests::new();
        match decode_client_message_bytes(bytes, &mut nothing_pending, limits) {
            Err(error) => error,
            Ok(_) => not_utf8(),
        }
    }
}

/// The byte decoder accepted what `str::from_utf8` refused: does not happen, but is an error,
/// not a panic.
fn not_utf8() -> DecodeError {
    DecodeError::new(DecodeErrorKind::Parse, "not UTF-8")
}

/// Runs the handler of one received request (on the caller's task: each request already has
/// a task of its own) and queues its answer. A handler that panics is answered with -32603,
/// so that the other end's call does not wait forever. Dropping (aborting) the returned
/// future drops the handler.
///
/// The handler comes boxed, so that the task it runs on holds a pointer, not the handler's
/// state (the decoded request, the largest handler's locals): spawning and polling then move
/// a few words per request instead of the whole future.
pub(crate) async fn answer<S, F>(shared: &Shared<S>, id: RequestId, handler: Pin<Box<F>>)
where
    S: PeerSide,
    F: Future<Output = Result<S::PeerAnswer, ErrorResponse>> + Send + ?Sized,
{
    let message = match (CatchPanic { inner: handler }).await {
        Ok(Ok(answer)) => S::sent_answer(answer),
        Ok(Err(error)) => S::sent_error(error),
        Err(Panicked) => internal_error::<S>(id.clone(), "the handler of this request panicked"),
    };
    if let Err(CallError::Encode(error)) = shared.answer(&message).await {
        let why = format!("the result could not be encoded: {error}");
        let _closed = shared.answer(&internal_error::<S>(id, &why)).await;
    }
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
