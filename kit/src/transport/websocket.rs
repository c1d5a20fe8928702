//! WebSocket as JSON Lines: a bridge task between a WebSocket and an in-memory pipe, so that
//! the typed peer (which speaks lines) can be driven over it. One JSON-RPC message per text
//! frame in both directions.
//!
//! What the bridge does with what arrives: a text frame becomes one line (a frame holding
//! line breaks — pretty-printed JSON — has them replaced by spaces, which changes nothing in
//! valid JSON, since a raw line break is never valid inside a JSON string); a binary frame is
//! read the same way when it is UTF-8 and dropped otherwise (nobody could be answered); ping
//! and pong are handled by the WebSocket layer; a close frame, an error or the end of the
//! stream ends the reading side (the line reader sees EOF). What is written: each line
//! becomes one text frame; closing the writing half sends a close frame.

use std::io;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// The reading half of a bridged WebSocket: the other end's messages, one per line.
pub type WsReader = tokio::io::ReadHalf<DuplexStream>;
/// The writing half of a bridged WebSocket: each line written is sent as one text frame.
pub type WsWriter = tokio::io::WriteHalf<DuplexStream>;

/// The largest message accepted from the other end (as the decoder's default line limit).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// How much the in-memory pipe between the bridge and its user holds.
const PIPE_BYTES: usize = 256 * 1024;

/// Accepts a WebSocket on a TCP connection (the server side of the handshake) and bridges
/// it: the returned halves read the client's messages as lines and send lines as text frames.
pub async fn accept(stream: TcpStream) -> io::Result<(WsReader, WsWriter)> {
    let config = Some(websocket_config());
    let socket = tokio_tungstenite::accept_async_with_config(stream, config)
        .await
        .map_err(|error| io::Error::other(format!("WebSocket handshake failed: {error}")))?;
    Ok(bridge(socket))
}

/// Connects to a `ws://host:port/path` URL (the client side) and bridges the WebSocket.
/// Only plain `ws://` is supported: the kit talks to servers on this machine.
pub async fn connect(url: &str) -> io::Result<(WsReader, WsWriter)> {
    let authority = ws_authority(url)?;
    let stream = TcpStream::connect(authority).await?;
    stream.set_nodelay(true)?;
    let (socket, _response) =
        tokio_tungstenite::client_async_with_config(url, stream, Some(websocket_config()))
            .await
            .map_err(|error| {
                io::Error::other(format!("WebSocket handshake with {url} failed: {error}"))
            })?;
    Ok(bridge(socket))
}

/// The `host:port` of a `ws://` URL, or why it is not one.
fn ws_authority(url: &str) -> io::Result<&str> {
    let invalid =
        |why: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("{url:?}: {why}"));
    let rest = url.strip_prefix("ws://").ok_or_else(|| invalid("expected a ws:// URL"))?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(invalid("no host in the URL"));
    }
    Ok(authority)
}

fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
}

/// Starts the bridge task of `socket` and returns the user's halves.
pub fn bridge<S>(socket: WebSocketStream<S>) -> (WsReader, WsWriter)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (ours, theirs) = tokio::io::duplex(PIPE_BYTES);
    tokio::spawn(pump(socket, ours));
    tokio::io::split(theirs)
}

/// Moves frames to lines and lines to frames until both directions are done.
async fn pump<S>(socket: WebSocketStream<S>, pipe: DuplexStream)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut frames) = socket.split();
    let (pipe_reads, mut pipe_writes) = tokio::io::split(pipe);
    let mut lines = BufReader::new(pipe_reads).lines();
    let (mut reading, mut writing) = (true, true);
    while reading || writing {
        tokio::select! {
            frame = frames.next(), if reading => {
                let delivered = match frame {
                    Some(Ok(message)) => deliver(message, &mut pipe_writes).await,
                    Some(Err(_)) | None => false,
                };
                if !delivered {
                    reading = false;
                    let _closed = pipe_writes.shutdown().await;
                }
            }
            line = lines.next_line(), if writing => {
                let sent = match line {
                    Ok(Some(line)) => sink.send(Message::text(line)).await.is_ok(),
                    Ok(None) | Err(_) => false,
                };
                if !sent {
                    writing = false;
                    let _closed = sink.close().await;
                }
            }
        }
    }
}

/// Writes one received frame as a line; `false` when the reading side is done (a close
/// frame, or the user dropped its reader).
async fn deliver(message: Message, pipe: &mut tokio::io::WriteHalf<DuplexStream>) -> bool {
    let text = match message {
        Message::Text(text) => text.as_str().to_owned(),
        Message::Binary(bytes) => match String::from_utf8(bytes.to_vec()) {
            Ok(text) => text,
            Err(_) => return true,
        },
        Message::Close(_) => return false,
        Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return true,
    };
    let mut line = text.replace(['\n', '\r'], " ");
    line.push('\n');
    pipe.write_all(line.as_bytes()).await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authority_of_a_ws_url() {
        assert_eq!(ws_authority("ws://127.0.0.1:4500").unwrap(), "127.0.0.1:4500");
        assert_eq!(ws_authority("ws://127.0.0.1:4500/rpc?x=1").unwrap(), "127.0.0.1:4500");
        assert!(ws_authority("http://127.0.0.1:4500").is_err());
        assert!(ws_authority("ws:///path").is_err());
    }
}
