//! Serving one connection: the typed peer's server runs the handler; between it and the
//! client, two line pumps show every line to the tap, note the handshake and the client's
//! requests, apply the output faults, inject the malformed line, and close the connection
//! when a fault says so.
//!
//! ```text
//! client ──reader──► inbound pump ──pipe──► app_server_peer::Server (handler)
//! client ◄──writer── outbound pump ◄──pipe──┘
//! ```

use std::io;
use std::sync::Arc;
use std::time::Duration;

use app_server_peer::{PeerConfig, Server};
use app_server_protocol::{
    DecodeLimits, Direction, ErrorResponse, JsonRpcError, RequestId, ServerMessage,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::mpsc;

mod numbering;
pub(crate) mod state;

use super::fault::Fault;
use super::handler::Gate;
use super::rewrite::{Output, OutputState, rewrite};
use super::shared::Mock;
use super::tap::Tap;
use crate::transport::{Line, LineReader};
use state::ConnectionState;

/// The line the `malformed-line` fault sends.
const MALFORMED_LINE: &str = "this line is not JSON {";

/// How long the pipe from the peer must be quiet before a disconnect closes the connection.
const QUIET: Duration = Duration::from_millis(50);

/// How many lines the inbound pump may queue for the client (its own answers, the
/// malformed line) before it waits.
const INJECTED_LINES: usize = 64;

/// How much the pipe between the pumps and the peer holds.
const PIPE_BYTES: usize = 256 * 1024;

/// Serves one client connection of `mock` until the client closes its side (or the
/// `disconnect-mid-turn` fault closes it): `reader` is what the client writes, `writer` what
/// it reads, one JSON-RPC message per line. `tap`, when given, sees every line of both
/// directions (see [`Tap`]). Returns `Ok(())` at the end of the connection, the error of a
/// failed read or write otherwise.
///
/// Bad lines get what the protocol says (answered -32600, -32601 or -32602 with the path in
/// `error.data` when their id can be read, dropped otherwise) and the connection goes on.
pub async fn serve_connection<R, W>(
    mock: &Mock,
    reader: R,
    writer: W,
    tap: Option<Tap>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let conn = Arc::new(ConnectionState::new(mock.next_connection_number()));
    let (peer_end, pump_end) = tokio::io::duplex(PIPE_BYTES);
    let (peer_reads, peer_writes) = tokio::io::split(peer_end);
    let number = conn.number;
    let config =
        PeerConfig::default().with_shutdown_grace(Duration::from_secs(2)).on_bad_line(move |bad| {
            eprintln!("app-server-kit mock: connection {number}: line {}: {}", bad.line, bad.error)
        });
    let server = Server::new(Gate::new(mock.clone(), Arc::clone(&conn))).config(config);
    let served = tokio::spawn(server.serve(peer_reads, peer_writes));
    let (from_peer, to_peer) = tokio::io::split(pump_end);
    let (inject, injected) = mpsc::channel(INJECTED_LINES);
    let pumps = Pumps { mock, conn: &conn, tap: tap.as_ref() };
    let inbound = inbound(reader, to_peer, inject, pumps);
    let outbound = async {
        let written = outbound(from_peer, writer, injected, pumps).await;
        if written.is_err() {
            // The client is gone: stop reading it too.
            conn.disconnect();
        }
        written
    };
    let (read, written) = tokio::join!(inbound, outbound);
    mock.unregister(conn.number);
    served.abort();
    read.and(written)
}

/// What both pumps share.
#[derive(Clone, Copy)]
struct Pumps<'a> {
    mock: &'a Mock,
    conn: &'a Arc<ConnectionState>,
    tap: Option<&'a Tap>,
}

/// The members of a line the pumps look at.
#[derive(Deserialize)]
struct Peek<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    method: Option<std::borrow::Cow<'a, str>>,
}

/// Client → server: shows each line to the tap, answers requests sent before `initialize`
/// itself (-32600), notes the requests, and hands the other lines to the peer. Ends at the
/// client's EOF, at a read error or at a disconnect; the peer then reads EOF.
async fn inbound<R, W>(
    reader: R,
    mut to_peer: W,
    inject: mpsc::Sender<String>,
    pumps: Pumps<'_>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let forwarded = tokio::select! {
        forwarded = forward(reader, &mut to_peer, inject, pumps) => forwarded,
        () = pumps.conn.disconnected() => Ok(()),
    };
    let _closed = to_peer.shutdown().await;
    forwarded
}

/// The reading loop of [`inbound`].
async fn forward<R, W>(
    reader: R,
    to_peer: &mut W,
    inject: mpsc::Sender<String>,
    pumps: Pumps<'_>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut lines = LineReader::new(reader, DecodeLimits::DEFAULT_MAX_MESSAGE_BYTES);
    let mut handshake = Handshake { started: false, remember: pumps.mock.faults().touch_output() };
    loop {
        let line = match lines.next().await? {
            Line::Eof => return Ok(()),
            Line::TooLong { bytes } => {
                eprintln!(
                    "app-server-kit mock: connection {}: a line of {bytes} bytes was skipped (the limit is {} bytes)",
                    pumps.conn.number,
                    DecodeLimits::DEFAULT_MAX_MESSAGE_BYTES
                );
                continue;
            }
            Line::Text(line) => line,
        };
        if let Some(tap) = pumps.tap {
            tap.see(Direction::ClientToServer, &String::from_utf8_lossy(line));
        }
        match handshake.note(line, pumps.conn) {
            Noted::Forward => {}
            Noted::Answer(reply) => {
                let _closed = inject.send(reply).await;
                continue;
            }
        }
        match numbering::incoming(line) {
            Some(shifted) => to_peer.write_all(shifted.as_bytes()).await?,
            None => to_peer.write_all(line).await?,
        }
        to_peer.write_all(b"\n").await?;
    }
}

/// What the inbound pump knows of the handshake.
struct Handshake {
    /// The client sent `initialize`.
    started: bool,
    /// An output fault needs the method of each request.
    remember: bool,
}

/// What to do with a client line.
enum Noted {
    /// Hand it to the peer.
    Forward,
    /// Do not: send this answer to the client instead.
    Answer(String),
}

impl Handshake {
    fn note(&mut self, line: &[u8], conn: &ConnectionState) -> Noted {
        let Ok(peek) = serde_json::from_slice::<Peek<'_>>(line) else {
            return Noted::Forward;
        };
        let Some(method) = peek.method else { return Noted::Forward };
        let Some(raw_id) = peek.id else { return Noted::Forward };
        if method == "initialize" {
            self.started = true;
        } else if !self.started
            && let Ok(id) = serde_json::from_str::<RequestId>(raw_id.get())
        {
            let why = format!(
                "not initialized: send `initialize` (then `initialized`) before `{method}`"
            );
            let reply = ErrorResponse { id, error: JsonRpcError::invalid_request(why) };
            return match serde_json::to_string(&ServerMessage::Error(reply)) {
                Ok(reply) => Noted::Answer(reply),
                Err(_) => Noted::Forward,
            };
        }
        if self.remember {
            conn.remember(raw_id.get().to_owned(), method.into_owned());
        }
        Noted::Forward
    }
}

/// Server → client: applies the output faults, shows each line to the tap and writes it.
/// Ends when the peer is done (after the client's EOF) or at a disconnect.
async fn outbound<R, W>(
    from_peer: R,
    writer: W,
    mut injected: mpsc::Receiver<String>,
    pumps: Pumps<'_>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let faults = pumps.mock.faults();
    let mut lines = BufReader::new(from_peer).lines();
    let mut writer = BufWriter::new(writer);
    let mut state = OutputState::default();
    let mut malformed_pending = faults.has(&Fault::MalformedLine);
    let mut closing = false;
    loop {
        let (line, own) = tokio::select! {
            line = lines.next_line() => (line?, false),
            Some(line) = injected.recv() => (Some(line), true),
            () = pumps.conn.disconnected(), if !closing => {
                // What the server sent before the disconnect still goes out: the lines
                // already on their way, until the pipe is quiet for a moment.
                closing = true;
                continue;
            }
            () = tokio::time::sleep(QUIET), if closing => (None, false),
        };
        let Some(line) = line else { break };
        let line = if own { line } else { numbering::outgoing(line) };
        let line = if faults.is_empty() || own {
            Some(line)
        } else {
            match rewrite(line, faults, pumps.conn, &mut state) {
                Output::Send(line) => Some(line),
                Output::Drop => None,
            }
        };
        if let Some(line) = line {
            write_line(&mut writer, pumps.tap, &line).await?;
        }
        if malformed_pending && state.initialize_answered {
            malformed_pending = false;
            write_line(&mut writer, pumps.tap, MALFORMED_LINE).await?;
        }
        // Flush unless another whole line is already waiting (also after a dropped line:
        // what was written before it must not wait in the buffer).
        if !lines.get_ref().buffer().contains(&b'\n') {
            writer.flush().await?;
        }
    }
    writer.flush().await?;
    writer.shutdown().await
}

/// Shows a line to the tap and writes it with its line break.
async fn write_line<W: AsyncWrite + Unpin>(
    writer: &mut BufWriter<W>,
    tap: Option<&Tap>,
    line: &str,
) -> io::Result<()> {
    if let Some(tap) = tap {
        tap.see(Direction::ServerToClient, line);
    }
    writer.write_all(line.as_bytes()).await?;
    writer.write_all(b"\n").await
}
