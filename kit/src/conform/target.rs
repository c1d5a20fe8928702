//! The peer under test, reached over its stdio (a process the kit starts) or a loopback
//! WebSocket (a server's `ws://` URL, or a client connecting to the kit's listener) — a
//! connection the kit reads lines from and writes lines to, and ends when it is done.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::process::Child;

pub use super::launch::StartError;
use super::launch::{Launch, Owned};

/// The reading half of a connection to the peer under test.
pub type BoxedReader = Box<dyn AsyncRead + Unpin + Send>;
/// The writing half of a connection to the peer under test.
pub type BoxedWriter = Box<dyn AsyncWrite + Unpin + Send>;

/// How the kit reaches the peer under test.
#[derive(Debug, Clone)]
pub enum Target {
    /// Start this program (once per scenario) and talk over its stdio.
    Command(Launch),
    /// Connect to this `ws://` URL (a server listening on this machine).
    Url(String),
    /// Accept a WebSocket connection on this bound listener (a client connecting to the
    /// kit).
    Listen(Arc<std::net::TcpListener>),
}

/// One connection to the peer under test.
pub struct Connection {
    /// What the peer sends.
    pub reader: BoxedReader,
    /// What the peer reads.
    pub writer: BoxedWriter,
    /// The process, when the kit started one, with its process group and folder.
    child: Option<(Child, Owned)>,
}

/// How long a process gets to exit after its stdin closed, before it is killed.
const EXIT_GRACE: Duration = Duration::from_millis(500);

impl Target {
    /// Opens a connection for scenario `name`: starts the process (its stderr goes to the
    /// kit's stderr when `show_stderr`, else nowhere), connects to the URL, or waits for a
    /// client to connect.
    pub async fn connect(&self, name: &str, show_stderr: bool) -> Result<Connection, StartError> {
        match self {
            Target::Command(launch) => {
                let started = launch.start(name, show_stderr)?;
                Ok(Connection {
                    reader: Box::new(started.stdout),
                    writer: Box::new(started.stdin),
                    child: Some((started.child, started.owned)),
                })
            }
            Target::Url(url) => {
                let (reader, writer) = crate::transport::connect(url)
                    .await
                    .map_err(|err| StartError(format!("cannot connect to {url}: {err}")))?;
                Ok(Connection::from_halves(Box::new(reader), Box::new(writer)))
            }
            Target::Listen(listener) => accept(listener).await,
        }
    }

    /// The target in words, for the reports.
    pub fn describe(&self) -> String {
        match self {
            Target::Command(launch) => launch.argv.join(" "),
            Target::Url(url) => url.clone(),
            Target::Listen(listener) => match listener.local_addr() {
                Ok(addr) => format!("a client of ws://{addr}"),
                Err(_) => "a WebSocket client".to_owned(),
            },
        }
    }
}

/// Binds a loopback listener for `--listen` (port 0 picks a free one); the address it got
/// is [`std::net::TcpListener::local_addr`].
pub fn listen(addr: std::net::SocketAddr) -> Result<Target, StartError> {
    if !addr.ip().is_loopback() {
        return Err(StartError(format!("{addr}: the kit listens on a loopback address only")));
    }
    let listener = std::net::TcpListener::bind(addr)
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .map_err(|err| StartError(format!("cannot listen on {addr}: {err}")))?;
    Ok(Target::Listen(Arc::new(listener)))
}

/// Accepts one WebSocket client on `listener`.
async fn accept(listener: &std::net::TcpListener) -> Result<Connection, StartError> {
    let failed = |err: std::io::Error| StartError(format!("accepting a client failed: {err}"));
    let listener =
        tokio::net::TcpListener::from_std(listener.try_clone().map_err(failed)?).map_err(failed)?;
    let (stream, _) = listener.accept().await.map_err(failed)?;
    let (reader, writer) = crate::transport::accept(stream).await.map_err(failed)?;
    Ok(Connection::from_halves(Box::new(reader), Box::new(writer)))
}

impl Connection {
    /// A connection over any reader and writer (no process to end).
    pub fn from_halves(reader: BoxedReader, writer: BoxedWriter) -> Self {
        Connection { reader, writer, child: None }
    }

    /// Takes the halves out, keeping what ends the connection.
    pub fn split(self) -> (BoxedReader, BoxedWriter, Ending) {
        (self.reader, self.writer, Ending { child: self.child })
    }
}

/// What is left of a connection once its halves are in use: the process to end, with its
/// process group and folder. Dropped without [`Ending::end`] (the kit interrupted), the
/// process and its group are killed and the folder removed all the same.
pub struct Ending {
    child: Option<(Child, Owned)>,
}

impl Ending {
    /// The scenario's own folder, when the process has one (`{tmpdir}`).
    pub fn folder(&self) -> Option<&std::path::Path> {
        self.child.as_ref().and_then(|(_, owned)| owned.folder())
    }

    /// Ends the connection: a process whose stdin the caller closed gets half a second to
    /// exit, then is killed; whatever is left of its process group is killed, its folder
    /// removed.
    pub async fn end(self) {
        let Some((mut child, owned)) = self.child else { return };
        if tokio::time::timeout(EXIT_GRACE, child.wait()).await.is_err() {
            let _ = child.kill().await;
        }
        drop(owned);
    }
}
