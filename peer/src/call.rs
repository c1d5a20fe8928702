//! How long a call may wait, and how to stop waiting: [`CallOptions`] with a timeout and a
//! [`CancelToken`].
//!
//! A call that times out or is cancelled forgets its pending entry, exactly as a call whose
//! future is dropped does, and sends nothing: the app server protocol has no cancellation
//! message (no `$/cancelRequest`), so the other end may still handle the request. If its
//! answer comes later it matches no pending request (ids are never reused on a connection, so
//! it cannot reach another call): it is reported as a bad line
//! ([`PeerConfig::on_bad_line`](crate::PeerConfig::on_bad_line),
//! `DecodeErrorKind::UnknownResponseId`) and skipped.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::error::CallError;

/// The options of one request: a timeout and a cancel token (both optional).
///
/// ```
/// use std::time::Duration;
///
/// use app_server_peer::{CallOptions, CancelToken};
///
/// let cancel = CancelToken::new();
/// let options = CallOptions::new().with_timeout(Duration::from_secs(30)).with_cancel(&cancel);
/// assert_eq!(options.timeout(), Some(Duration::from_secs(30)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    cancel: Option<CancelToken>,
}

impl CallOptions {
    /// No timeout of its own (the connection's
    /// [`PeerConfig::with_request_timeout`](crate::PeerConfig::with_request_timeout) applies,
    /// if any) and no cancel token.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// These options with a timeout: with no answer after `timeout` (counted from the call,
    /// waiting for room in the outgoing queue included), the call ends with
    /// [`CallError::TimedOut`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// These options with a cancel token: once `token` is cancelled the call ends with
    /// [`CallError::Cancelled`]. One token may cancel many calls.
    pub fn with_cancel(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }

    /// The call's own timeout, if set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Runs `call` within these options: its result, or `TimedOut` / `Cancelled` (dropping
    /// `call`, which forgets its pending entry). An answer that is ready wins over a timeout
    /// or a cancellation that came at the same time. A token cancelled before the call starts
    /// ends it at once: nothing is sent.
    pub(crate) async fn bound<T>(
        &self,
        default_timeout: Option<Duration>,
        call: impl Future<Output = Result<T, CallError>>,
    ) -> Result<T, CallError> {
        if self.cancel.as_ref().is_some_and(CancelToken::is_cancelled) {
            return Err(CallError::Cancelled);
        }
        let timeout = self.timeout.or(default_timeout);
        let expired = async {
            match timeout {
                Some(timeout) => tokio::time::sleep(timeout).await,
                None => std::future::pending().await,
            }
        };
        let cancelled = async {
            match &self.cancel {
                Some(token) => token.cancelled().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            outcome = call => outcome,
            () = expired => Err(CallError::TimedOut),
            () = cancelled => Err(CallError::Cancelled),
        }
    }
}

/// Cancels the calls it was given to ([`CallOptions::with_cancel`]): a cheap handle, cloned
/// to whatever decides to stop them (a "stop" button, a task with a deadline of its own).
/// Cancelling is for good: a call given a cancelled token ends at once.
///
/// ```
/// use app_server_peer::CancelToken;
///
/// let token = CancelToken::new();
/// let for_the_button = token.clone();
/// for_the_button.cancel();
/// assert!(token.is_cancelled());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    inner: Arc<Cancelled>,
}

#[derive(Debug, Default)]
struct Cancelled {
    set: AtomicBool,
    wake: Notify,
}

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Cancels every call given this token (or one of its clones), now and later.
    pub fn cancel(&self) {
        self.inner.set.store(true, Ordering::Release);
        self.inner.wake.notify_waiters();
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.set.load(Ordering::Acquire)
    }

    /// Resolves once the token is cancelled.
    pub async fn cancelled(&self) {
        let woken = self.inner.wake.notified();
        tokio::pin!(woken);
        // Registered before the flag is read: a cancel between the two still wakes this.
        woken.as_mut().enable();
        if !self.is_cancelled() {
            woken.await;
        }
    }
}
