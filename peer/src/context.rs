//! The handle to one connection that both ends hand out: [`Context`], through which requests
//! and notifications are sent ([`ClientContext`] on a client, [`ServerContext`] on a server),
//! and how it starts answering a request of the other end.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use app_server_protocol::connection::{ClientSide, ServerSide, Side};
use app_server_protocol::method::{Notification, Request};
use app_server_protocol::{ErrorResponse, RequestId};
use tokio::sync::Notify;
use tokio::task::JoinSet;

use crate::answer::{handle, has_room};
use crate::call::CallOptions;
use crate::error::CallError;
use crate::shared::Shared;
use crate::side::PeerSide;

/// A handle to one connection, to send requests and notifications to the other end. Cheap to
/// clone and to move to other tasks; every clone talks over the same connection.
///
/// A handler receives one with each request of the other end (a server's
/// [`ClientRequestHandler`](app_server_protocol::ClientRequestHandler) a [`ServerContext`], a
/// client's [`ServerRequestHandler`](app_server_protocol::ServerRequestHandler) a
/// [`ClientContext`]); a [`Client`](crate::Client) is one too (it dereferences to its
/// context), and [`Client::context`](crate::Client::context) hands out clones.
pub struct Context<S: PeerSide> {
    shared: Arc<Shared<S>>,
    /// Marked once the answer to the request this context came with is queued.
    answered: Option<Arc<Answered>>,
}

/// The context of a client: requests and notifications to the server.
pub type ClientContext = Context<ClientSide>;

/// The context of a server: notifications and requests (approvals) to the client. Clone it
/// into tasks that outlive the request, e.g. one that streams a turn after answering
/// `turn/start` (such a task waits for [`Context::answered`] first, so that the answer goes
/// out before what it sends).
pub type ServerContext = Context<ServerSide>;

impl<S: PeerSide> Context<S> {
    /// The context of a connection, not tied to a request of the other end.
    pub(crate) fn new(shared: Arc<Shared<S>>) -> Self {
        Context { shared, answered: None }
    }

    /// The connection's shared state.
    pub(crate) fn shared(&self) -> &Arc<Shared<S>> {
        &self.shared
    }

    /// Sends a request of method `M` and waits for its typed result, once there is room in
    /// the outgoing queue. Dropping the future forgets the pending entry; the connection's
    /// [`PeerConfig::with_request_timeout`](crate::PeerConfig::with_request_timeout) applies,
    /// if set.
    pub async fn request<M>(&self, params: M::Params) -> Result<M::Result, CallError>
    where
        M: Request<
                Message = <S as Side>::Request,
                Answer = <S as Side>::Answer,
                MethodEnum = <S as Side>::RequestMethod,
            >,
    {
        self.request_with::<M>(params, &CallOptions::new()).await
    }

    /// Sends a request of method `M` with a timeout or a cancel token of its own, and waits
    /// for its typed result: [`CallError::TimedOut`] or [`CallError::Cancelled`] when it
    /// stops waiting first. Either way the pending entry is forgotten and nothing is sent (the
    /// protocol has no cancellation message; see [`CallOptions`]).
    ///
    /// ```
    /// # use std::time::Duration;
    /// use app_server_peer::{CallError, CallOptions, Client};
    /// use app_server_protocol::{method::ThreadArchive, v2};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// // A server that reads the request and never answers.
    /// let (client_end, _silent_server) = tokio::io::duplex(64 * 1024);
    /// let (reads, writes) = tokio::io::split(client_end);
    /// let client = Client::connect(reads, writes);
    /// let options = CallOptions::new().with_timeout(Duration::from_millis(20));
    /// let params = v2::ThreadArchiveParams::new("thr_1");
    /// let outcome = client.request_with::<ThreadArchive>(params, &options).await;
    /// assert!(matches!(outcome, Err(CallError::TimedOut)));
    /// assert_eq!(client.pending_calls(), 0);
    /// # });
    /// ```
    pub async fn request_with<M>(
        &self,
        params: M::Params,
        options: &CallOptions,
    ) -> Result<M::Result, CallError>
    where
        M: Request<
                Message = <S as Side>::Request,
                Answer = <S as Side>::Answer,
                MethodEnum = <S as Side>::RequestMethod,
            >,
    {
        let default_timeout = self.shared.config().request_timeout();
        options.bound(default_timeout, self.shared.call::<M>(params)).await
    }

    /// Sends a notification of method `M`, once there is room in the outgoing queue.
    pub async fn notify<M>(&self, params: M::Params) -> Result<(), CallError>
    where
        M: Notification<Message = <S as Side>::Notification>,
    {
        self.shared.notify::<M>(params).await
    }

    /// Resolves once the answer to the request this context came with is in the outgoing
    /// queue (or could not be sent), so that what a task spawned by the handler sends next is
    /// written after it. Resolves at once for a context that came with no request (a
    /// client's own, one a notification callback gets).
    pub async fn answered(&self) {
        if let Some(answered) = &self.answered {
            answered.wait().await;
        }
    }

    /// How many requests of this end wait for their answer.
    pub fn pending_calls(&self) -> usize {
        self.shared.pending_calls()
    }

    /// Whether the connection ended: requests and notifications fail with
    /// [`CallError::Closed`].
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }

    /// Starts answering `request` of the other end with `dispatch` (the handler's), which gets
    /// a context of its own, tied to this request (see [`Context::answered`]). Refuses it (its
    /// id back) when [`PeerConfig::max_in_flight`](crate::PeerConfig::max_in_flight) requests
    /// are still being answered in `tasks`.
    pub(crate) fn answer_with<F, Fut>(
        &self,
        tasks: &mut JoinSet<()>,
        request: S::IncomingRequest,
        dispatch: F,
    ) -> Result<(), RequestId>
    where
        F: FnOnce(S::IncomingRequest, Context<S>) -> Fut,
        Fut: Future<Output = Result<S::PeerAnswer, ErrorResponse>> + Send + 'static,
    {
        let id = S::incoming_id(&request);
        if !has_room(tasks, self.shared.config()) {
            return Err(id);
        }
        let answered = Arc::new(Answered::default());
        let context =
            Context { shared: Arc::clone(&self.shared), answered: Some(Arc::clone(&answered)) };
        let handled = Box::pin(dispatch(request, context));
        // Marked when the answer is queued, and also when its task is aborted first.
        handle(tasks, &self.shared, id, handled, MarkOnDrop(answered));
        Ok(())
    }
}

impl<S: PeerSide> Clone for Context<S> {
    fn clone(&self) -> Self {
        Context { shared: Arc::clone(&self.shared), answered: self.answered.clone() }
    }
}

impl<S: PeerSide> std::fmt::Debug for Context<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("sends", &S::SENDS)
            .field("pending_calls", &self.pending_calls())
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// Whether the answer to one request is queued: what [`Context::answered`] waits for.
#[derive(Default)]
struct Answered {
    queued: AtomicBool,
    notify: Notify,
}

impl Answered {
    /// The answer is queued: wakes every task waiting in [`Context::answered`]. When no
    /// context of the request is left (the common case: the handler spawned nothing that
    /// outlives it), nobody can wait, and nothing needs waking.
    fn mark(self: &Arc<Self>) {
        if Arc::strong_count(self) > 1 {
            self.queued.store(true, Ordering::Release);
            self.notify.notify_waiters();
        }
    }

    /// Resolves once [`Answered::mark`] was called.
    async fn wait(&self) {
        let notified = self.notify.notified();
        tokio::pin!(notified);
        // Registered before the flag is read: a mark between the two still wakes this waiter.
        notified.as_mut().enable();
        if !self.queued.load(Ordering::Acquire) {
            notified.await;
        }
    }
}

/// Marks a request answered when dropped: after its answer is queued, or when its task is
/// aborted at shutdown (no answer will come; waiters must not wait forever).
struct MarkOnDrop(Arc<Answered>);

impl Drop for MarkOnDrop {
    fn drop(&mut self) {
        self.0.mark();
    }
}
