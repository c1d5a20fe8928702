//! Transports of the kit: JSON Lines over any byte stream (stdio, a child's pipes) and
//! WebSocket on a loopback address, one JSON-RPC message per text frame.
//!
//! The typed peer (`app-server-peer`) and [`crate::mock::serve_connection`] speak JSON Lines
//! over an `AsyncRead` + `AsyncWrite` pair. A WebSocket is turned into such a pair by a bridge
//! task ([`websocket`]): each text frame the other end sends becomes one line, each line
//! written becomes one text frame. Both sides are covered: [`websocket::accept`] for a
//! connection accepted on a `127.0.0.1` listener (the mock's `--listen`), and
//! [`websocket::connect`] for a `ws://` URL (a client of a server under test).
//!
//! [`LineReader`] (the peer's) reads lines of bounded length from any byte stream: a line over
//! the limit is skipped without being held in memory.

pub mod websocket;

pub use app_server_peer::{Line, LineReader};
pub use websocket::{WsReader, WsWriter, accept, connect};
