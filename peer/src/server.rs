//! The server end: serves a [`ClientRequestHandler`] over stdio, a socket or any byte stream.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use app_server_protocol::connection::ServerSide;
use app_server_protocol::typed::{Notification, Request};
use app_server_protocol::{
    ClientNotification, ClientRequestHandler, IncomingClientRequest, RequestId, ServerNotification,
    ServerRequest, ServerRequestMethod, ServerRequestResult,
};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::config::PeerConfig;
use crate::error::CallError;
use crate::outbox::write_lines;
use crate::reader::{Deliver, Notice, read_lines};
use crate::shared::Shared;
use crate::side::{AbortOnDrop, PeerSide, handle, has_room};

type NotificationCallback = Arc<dyn Fn(ClientNotification, &ServerContext) + Send + Sync>;

/// Serves `handler` over `reader` (what the client writes) and `writer` (what it reads) with
/// the default settings, until the client closes its side. See [`Server::serve`].
pub async fn serve<R, W, H>(reader: R, writer: W, handler: H) -> io::Result<()>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
    H: ClientRequestHandler<ServerContext> + Send + Sync + 'static,
{
    Server::new(handler).serve(reader, writer).await
}

/// A server: a handler of client requests, settings, and what to do with the client's
/// notifications.
///
/// A handler runs on the reading task until it first waits; from then on on a task of its own,
/// so a handler that waits (for the client's approval, for the model) does not hold up the
/// others (do blocking or long CPU work in `spawn_blocking`, as anywhere in tokio). Methods the
/// handler does not implement answer -32601. A handler that panics is answered with -32603.
pub struct Server<H> {
    handler: H,
    config: PeerConfig,
    on_notification: Option<NotificationCallback>,
}

/// What a server's handler receives with each request: a handle to the same connection, to
/// send notifications and requests of its own (approvals). Clone it into tasks that outlive
/// the request, e.g. one that streams a turn after answering `turn/start` (such a task waits
/// for [`ServerContext::answered`] first, so that the answer goes out before what it sends).
#[derive(Clone)]
pub struct ServerContext {
    shared: Arc<Shared<ServerSide>>,
    /// Marked once the answer to the request this context came with is queued.
    answered: Option<Arc<Answered>>,
}

impl<H> Server<H>
where
    H: ClientRequestHandler<ServerContext> + Send + Sync + 'static,
{
    /// A server of `handler` with the default settings; the client's notifications are
    /// ignored.
    pub fn new(handler: H) -> Self {
        Server { handler, config: PeerConfig::default(), on_notification: None }
    }

    /// Uses these settings.
    pub fn config(mut self, config: PeerConfig) -> Self {
        self.config = config;
        self
    }

    /// Calls `callback` with each notification of the client (`initialized`, …), on the
    /// reading task, in order: keep it short (spawn a task for anything that waits).
    pub fn on_notification(
        mut self,
        callback: impl Fn(ClientNotification, &ServerContext) + Send + Sync + 'static,
    ) -> Self {
        self.on_notification = Some(Arc::new(callback));
        self
    }

    /// Serves the connection until the client closes its side (EOF), then shuts down
    /// cleanly: the server's pending requests end with [`CallError::Closed`] (and so do its
    /// later requests and notifications: nobody reads them), the handlers in flight finish
    /// and their answers are written (all of them waited for at most the shutdown grace
    /// period, then aborted), and the writer is flushed and shut down. Returns `Ok(())`
    /// after EOF, the error of a failed read otherwise. Lines the server cannot use are
    /// reported ([`PeerConfig::on_bad_line`]), answered where the protocol says so, and
    /// skipped.
    pub async fn serve<R, W>(self, reader: R, writer: W) -> io::Result<()>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Shared::new(self.config, writer);
        let mut writer = AbortOnDrop(tokio::spawn(write_lines(Arc::clone(&shared))));
        let mut deliver = ServerDeliver {
            handler: Arc::new(self.handler),
            context: ServerContext { shared: Arc::clone(&shared), answered: None },
            on_notification: self.on_notification,
            tasks: JoinSet::new(),
        };
        let read = read_lines(reader, &shared, &mut deliver).await;
        let grace = shared.config().shutdown_grace();
        shared.close_calls();
        finish_handlers(&mut deliver.tasks, grace).await;
        shared.stop_writer();
        let _late = timeout(grace, &mut writer.0).await;
        read
    }

    /// Serves the connection over this process's stdin and stdout.
    pub async fn serve_stdio(self) -> io::Result<()> {
        self.serve(tokio::io::stdin(), tokio::io::stdout()).await
    }
}

impl<H> std::fmt::Debug for Server<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("config", &self.config)
            .field("on_notification", &self.on_notification.is_some())
            .finish()
    }
}

/// Waits for the handlers in flight, at most `grace`; aborts the rest.
async fn finish_handlers(tasks: &mut JoinSet<()>, grace: Duration) {
    let all_done = async { while tasks.join_next().await.is_some() {} };
    if timeout(grace, all_done).await.is_err() {
        tasks.shutdown().await;
    }
}

impl ServerContext {
    /// Sends a notification of method `M` to the client (`turn/started`,
    /// `item/agentMessage/delta`, …), once there is room in the outgoing queue.
    pub async fn notify<M>(&self, params: M::Params) -> Result<(), CallError>
    where
        M: Notification<Message = ServerNotification>,
    {
        self.shared.notify::<M>(params).await
    }

    /// Sends a request of method `M` to the client (an approval) and waits for its typed
    /// result. Dropping the future forgets the pending entry.
    pub async fn request<M>(&self, params: M::Params) -> Result<M::Result, CallError>
    where
        M: Request<
                Message = ServerRequest,
                Answer = ServerRequestResult,
                MethodEnum = ServerRequestMethod,
            >,
    {
        self.shared.call::<M>(params).await
    }

    /// Resolves once the answer to the request this context came with is in the outgoing
    /// queue (or could not be sent), so that what a task spawned by the handler sends next is
    /// written after it. Resolves at once for a context that came with a notification.
    pub async fn answered(&self) {
        if let Some(answered) = &self.answered {
            answered.wait().await;
        }
    }

    /// How many requests of the server wait for the client's answer.
    pub fn pending_calls(&self) -> usize {
        self.shared.pending_calls()
    }

    /// Whether the client closed its side: requests fail with [`CallError::Closed`].
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }
}

impl std::fmt::Debug for ServerContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerContext").field("pending_calls", &self.pending_calls()).finish()
    }
}

/// Where the server's reading loop sends what the client sent.
struct ServerDeliver<H> {
    handler: Arc<H>,
    context: ServerContext,
    on_notification: Option<NotificationCallback>,
    /// The handlers in flight.
    tasks: JoinSet<()>,
}

impl<H> Deliver<ServerSide> for ServerDeliver<H>
where
    H: ClientRequestHandler<ServerContext> + Send + Sync + 'static,
{
    type Item = ClientNotification;

    fn request(&mut self, request: IncomingClientRequest) -> Result<(), RequestId> {
        if !has_room(&mut self.tasks, self.context.shared.config()) {
            return Err(ServerSide::incoming_id(&request));
        }
        let handler = Arc::clone(&self.handler);
        let answered = Arc::new(Answered::default());
        let context =
            ServerContext { answered: Some(Arc::clone(&answered)), ..self.context.clone() };
        let id = ServerSide::incoming_id(&request);
        let handled = Box::pin(async move { handler.dispatch(request, &context).await });
        // Marked when the answer is queued, and also when its task is aborted first.
        let mark = MarkOnDrop(answered);
        handle(&mut self.tasks, &self.context.shared, id, handled, mark);
        Ok(())
    }

    fn item(&self, notice: Notice<ServerSide>) -> Option<ClientNotification> {
        // A refused notification of a client is a bad line and nothing more: the server's
        // callback only hears about typed ones (a client's unknown ones are refused).
        match notice {
            Notice::Known(notification) => Some(notification),
            Notice::Unknown(_) | Notice::Invalid(..) => None,
        }
    }

    fn notification(&mut self, notification: ClientNotification) -> Result<(), ClientNotification> {
        if let Some(callback) = &self.on_notification {
            callback(notification, &self.context);
        }
        Ok(())
    }

    async fn notification_later(&mut self, notification: ClientNotification) {
        // Never given back: the callback runs in place.
        let _handled = self.notification(notification);
    }
}

/// Whether the answer to one request is queued: what [`ServerContext::answered`] waits for.
#[derive(Default)]
struct Answered {
    queued: AtomicBool,
    notify: Notify,
}

impl Answered {
    /// The answer is queued: wakes every task waiting in [`ServerContext::answered`]. When no
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
