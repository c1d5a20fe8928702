//! The client end: talks to a server over a child process's stdio or any byte stream.

use std::io;
use std::ops::Deref;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use app_server_protocol::connection::ClientSide;
use app_server_protocol::handshake::{ClientInfo, InitializeParams, InitializeResponse};
use app_server_protocol::method::{Initialize, Initialized};
use app_server_protocol::{IncomingServerRequest, NoParams, RequestId, ServerRequestHandler};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::process::{Child, Command};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::timeout;

use crate::NoHandler;
use crate::config::PeerConfig;
use crate::context::{ClientContext, Context};
use crate::error::CallError;
use crate::notice::{InvalidNotification, NotificationItem};
use crate::queue::{QueueReceiver, QueueSender, Sent, queue};
use crate::reader::{Deliver, Notice, read_lines};
use crate::shared::Shared;
use crate::writer::write_lines;

/// A connection to a server. See the [crate docs](crate) for an example.
///
/// A client dereferences to its [`ClientContext`]: requests are made concurrently through
/// `&self` ([`Context::request`], [`Context::request_with`] with a timeout or a cancel
/// token), notifications sent with [`Context::notify`]; a request future that is dropped
/// before its answer forgets its pending entry. Requests the server sends
/// (approvals) are answered by the [`ServerRequestHandler`] given to [`ClientBuilder::handler`],
/// each on a task of its own once it waits (see [`Server`](crate::Server)); methods it does not
/// implement answer -32601. When the server closes its output (it exited, it died) every
/// pending call ends with [`CallError::Closed`], and so does every later one.
///
/// Dropping the client stops its tasks at once and kills the child process it spawned;
/// [`Client::shutdown`] stops them gracefully.
pub struct Client {
    context: ClientContext,
    notifications: Mutex<Option<Notifications>>,
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<()>,
    child: Option<Child>,
}

/// Builds a [`Client`] with settings and a handler of server requests.
#[derive(Debug)]
pub struct ClientBuilder<H = NoHandler> {
    config: PeerConfig,
    handler: H,
}

/// The server's notifications, in the order they arrived: typed ones, unknown ones (a newer
/// server's) and refused ones (see [`NotificationItem`]).
///
/// The queue is bounded ([`PeerConfig::with_notification_queue`]): when it is full the client
/// stops reading from the server until notifications are read again — backpressure, nothing
/// is dropped. A client that does not want notifications drops this stream: they are then
/// discarded. One that never takes it (never calls [`Client::notifications`]) stops reading
/// once the queue is full, answers included.
#[derive(Debug)]
pub struct Notifications {
    queue: QueueReceiver<NotificationItem>,
}

impl Notifications {
    /// The next notification; `None` once the connection ended and every notification was
    /// read.
    pub async fn next(&mut self) -> Option<NotificationItem> {
        self.queue.recv().await
    }
}

impl Client {
    /// A builder with the default settings and no handler of server requests.
    pub fn builder() -> ClientBuilder {
        ClientBuilder { config: PeerConfig::default(), handler: NoHandler }
    }

    /// Spawns the server process and talks to it over its stdin and stdout, with the default
    /// settings; the child's stderr is left as the command says. Must be called inside a
    /// tokio runtime.
    pub fn spawn(command: impl Into<Command>) -> io::Result<Client> {
        Client::builder().spawn(command)
    }

    /// Talks to a server over a reader (what the server writes) and a writer (what it reads),
    /// with the default settings. Must be called inside a tokio runtime.
    pub fn connect<R, W>(reader: R, writer: W) -> Client
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        Client::builder().connect(reader, writer)
    }

    /// The handshake: sends `initialize` with who the client is, then the `initialized`
    /// notification; returns the server's answer.
    pub async fn initialize(
        &self,
        client_info: ClientInfo,
    ) -> Result<InitializeResponse, CallError> {
        let response = self.request::<Initialize>(InitializeParams::new(client_info)).await?;
        self.notify::<Initialized>(NoParams).await?;
        Ok(response)
    }

    /// The server's notifications. The first call takes the stream; later calls get a stream
    /// that has already ended.
    pub fn notifications(&self) -> Notifications {
        let mut slot = self.notifications.lock().unwrap_or_else(PoisonError::into_inner);
        slot.take().unwrap_or_else(|| Notifications { queue: QueueReceiver::ended() })
    }

    /// A handle to this connection that can be cloned and moved to other tasks.
    pub fn context(&self) -> ClientContext {
        self.context.clone()
    }

    /// The process id of the spawned server, while it runs.
    pub fn child_id(&self) -> Option<u32> {
        self.child.as_ref().and_then(Child::id)
    }

    /// Stops gracefully: writes what is queued and closes the server's input (it reads EOF),
    /// waits for a spawned server to exit (killing it after the shutdown grace period) and
    /// for the server to close its output. Returns the server's exit status when it was
    /// spawned.
    pub async fn shutdown(mut self) -> io::Result<Option<ExitStatus>> {
        let shared = Arc::clone(self.context.shared());
        let grace = shared.config().shutdown_grace();
        shared.stop_writer();
        let _late = timeout(grace, &mut self.writer).await;
        let status = match self.child.take() {
            Some(child) => Some(wait_or_kill(child, grace).await?),
            None => None,
        };
        let _late = timeout(grace, &mut self.reader).await;
        Ok(status)
    }
}

impl Deref for Client {
    type Target = ClientContext;

    /// The client's context: [`Context::request`], [`Context::request_with`],
    /// [`Context::notify`], [`Context::pending_calls`], [`Context::is_closed`].
    fn deref(&self) -> &ClientContext {
        &self.context
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.context.shared().close_calls();
        self.reader.abort();
        self.writer.abort();
        // A spawned child is killed: it was spawned with `kill_on_drop`.
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("pending_calls", &self.pending_calls())
            .field("closed", &self.is_closed())
            .field("child_id", &self.child_id())
            .finish()
    }
}

async fn wait_or_kill(mut child: Child, grace: Duration) -> io::Result<ExitStatus> {
    match timeout(grace, child.wait()).await {
        Ok(status) => status,
        Err(_) => {
            child.kill().await?;
            child.wait().await
        }
    }
}

impl<H> ClientBuilder<H>
where
    H: ServerRequestHandler<ClientContext> + Send + Sync + 'static,
{
    /// Uses these settings.
    pub fn config(mut self, config: PeerConfig) -> Self {
        self.config = config;
        self
    }

    /// Answers the server's requests (approvals) with `handler`; the methods it does not
    /// implement answer -32601.
    pub fn handler<H2>(self, handler: H2) -> ClientBuilder<H2>
    where
        H2: ServerRequestHandler<ClientContext> + Send + Sync + 'static,
    {
        ClientBuilder { config: self.config, handler }
    }

    /// Spawns the server process and talks to it over its stdin and stdout (see
    /// [`Client::spawn`]).
    pub fn spawn(self, command: impl Into<Command>) -> io::Result<Client> {
        let mut command: Command = command.into();
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).kill_on_drop(true);
        let mut child = command.spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(io::Error::other("the child's stdio could not be piped"));
        };
        let mut client = self.connect(stdout, stdin);
        client.child = Some(child);
        Ok(client)
    }

    /// Talks to a server over a reader and a writer (see [`Client::connect`]).
    pub fn connect<R, W>(self, reader: R, writer: W) -> Client
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Shared::new(self.config, writer);
        let (notified, notifications) = queue(shared.config().notification_queue());
        let writer = tokio::spawn(write_lines(Arc::clone(&shared)));
        let context = Context::new(shared);
        let deliver = ClientDeliver {
            handler: Arc::new(self.handler),
            context: context.clone(),
            notified,
            tasks: JoinSet::new(),
        };
        let reader = tokio::spawn(read_until_closed(reader, Arc::clone(context.shared()), deliver));
        let notifications = Mutex::new(Some(Notifications { queue: notifications }));
        Client { context, notifications, reader, writer, child: None }
    }
}

/// The client's reader task: reads until the server closes its output, then closes every
/// call, stops the writer and the handlers of server requests, and ends the notifications.
async fn read_until_closed<R, H>(
    reader: R,
    shared: Arc<Shared<ClientSide>>,
    mut deliver: ClientDeliver<H>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin + Send,
    H: ServerRequestHandler<ClientContext> + Send + Sync + 'static,
{
    let read = read_lines(reader, &shared, &mut deliver).await;
    shared.close_calls();
    shared.stop_writer();
    drop(deliver);
    read
}

/// Where the client's reader task sends what the server sent.
struct ClientDeliver<H> {
    handler: Arc<H>,
    context: ClientContext,
    notified: QueueSender<NotificationItem>,
    /// The handlers of server requests in flight; dropping the set aborts them.
    tasks: JoinSet<()>,
}

impl<H> Deliver<ClientSide> for ClientDeliver<H>
where
    H: ServerRequestHandler<ClientContext> + Send + Sync + 'static,
{
    type Item = NotificationItem;

    fn request(&mut self, request: IncomingServerRequest) -> Result<(), RequestId> {
        let handler = Arc::clone(&self.handler);
        self.context.answer_with(&mut self.tasks, request, |request, context| async move {
            handler.dispatch(request, &context).await
        })
    }

    fn item(&self, notice: Notice<ClientSide>) -> Option<NotificationItem> {
        match notice {
            Notice::Known(notification) => Some(NotificationItem::Known(notification)),
            Notice::Unknown(unknown) => {
                let deliver = self.context.shared().config().unknown_notifications();
                deliver.then_some(NotificationItem::Unknown(unknown))
            }
            Notice::Invalid(method, error) => {
                Some(NotificationItem::Invalid(InvalidNotification::new(method, error)))
            }
        }
    }

    fn notification(&mut self, item: NotificationItem) -> Result<(), NotificationItem> {
        match self.notified.try_send(item) {
            // Gone: nobody reads them any more, discard.
            Sent::Queued | Sent::Gone(_) => Ok(()),
            Sent::Full(item) => Err(item),
        }
    }

    async fn notification_later(&mut self, item: NotificationItem) {
        // Nobody reads them any more: discard.
        let _dropped = self.notified.send(item).await;
    }
}
