//! The server end: serves a [`ClientRequestHandler`] over stdio, a socket or any byte stream.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use app_server_protocol::connection::ServerSide;
use app_server_protocol::{
    ClientNotification, ClientRequestHandler, IncomingClientRequest, RequestId,
};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::answer::AbortOnDrop;
use crate::config::PeerConfig;
use crate::context::{Context, ServerContext};
use crate::reader::{Deliver, Notice, read_lines};
use crate::shared::Shared;
use crate::writer::write_lines;

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
    /// cleanly: the server's pending requests end with [`CallError::Closed`](crate::CallError::Closed) (and so do its
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
            context: Context::new(Arc::clone(&shared)),
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
        let handler = Arc::clone(&self.handler);
        self.context.answer_with(&mut self.tasks, request, |request, context| async move {
            handler.dispatch(request, &context).await
        })
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
