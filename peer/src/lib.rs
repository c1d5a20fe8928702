//! An async client and server of the app server protocol over tokio: JSON-RPC over JSON
//! Lines, on a child process's stdio, a socket, or any `AsyncRead` + `AsyncWrite` pair.
//!
//! Each end drives the protocol crate's sans-I/O connection
//! ([`app_server_protocol::connection`]), which allocates ids, keeps the pending table and
//! decodes every line into a typed event. Around it, one reader task decodes what the other
//! end sends, one writer task writes the bounded outgoing queue (a byte buffer every sender encodes into), and every caller waits on its
//! own answer:
//!
//! - [`Client`]: [`Client::spawn`] a server process or [`Client::connect`] to any stream;
//!   `client.request::<ThreadList>(params).await` returns the typed result or a [`CallError`];
//!   [`Context::request_with`] takes a timeout or a [`CancelToken`] ([`CallOptions`]);
//!   [`Client::notifications`] is the stream of the server's notifications; a
//!   [`ServerRequestHandler`](app_server_protocol::ServerRequestHandler) answers the server's
//!   requests (approvals).
//! - [`serve`] / [`Server`]: a [`ClientRequestHandler`](app_server_protocol::ClientRequestHandler)
//!   with one async method per client request; through its [`ServerContext`] it sends
//!   notifications and requests of its own.
//!
//! What a real connection needs, each tested in `peer/tests/`: thousands of calls in flight; a
//! dropped request future forgets its pending entry, and so does a call that times out or is
//! cancelled (nothing is sent: the protocol has no cancellation message); a peer that does not read makes senders
//! wait (the outgoing queue is bounded, so memory is too); a peer that dies or closes ends
//! every pending call with [`CallError::Closed`]; a line that cannot be used is reported
//! ([`PeerConfig::on_bad_line`]), answered where the protocol says so, and skipped — the
//! connection goes on; lines over the limit ([`PeerConfig::with_max_line_bytes`], 16 MiB by
//! default) are skipped without being held; at most [`PeerConfig::with_max_in_flight`]
//! requests of the other end are handled at once (16,384 by default; one more is refused with
//! -32600), so a flood of requests cannot grow memory without bound; EOF shuts down cleanly.
//!
//! # Example
//!
//! A server that serves `thread/archive`, and a client that calls it and a method nobody
//! serves, over an in-memory pipe:
//!
//! ```
//! use app_server_peer::{CallError, Client, ServerContext, serve};
//! use app_server_protocol::method::{ThreadArchive, ThreadList};
//! use app_server_protocol::{ClientRequestHandler, JsonRpcError, v2};
//!
//! struct Archiver;
//!
//! impl ClientRequestHandler<ServerContext> for Archiver {
//!     async fn thread_archive(
//!         &self,
//!         params: v2::ThreadArchiveParams,
//!         _ctx: &ServerContext,
//!     ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
//!         assert_eq!(params.thread_id, "thr_1");
//!         Ok(v2::ThreadArchiveResponse::default())
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let (client_end, server_end) = tokio::io::duplex(64 * 1024);
//! let (server_reads, server_writes) = tokio::io::split(server_end);
//! let server = tokio::spawn(serve(server_reads, server_writes, Archiver));
//!
//! let (client_reads, client_writes) = tokio::io::split(client_end);
//! let client = Client::connect(client_reads, client_writes);
//! let params = serde_json::from_value(serde_json::json!({ "threadId": "thr_1" }))?;
//! assert_eq!(client.request::<ThreadArchive>(params).await?, v2::ThreadArchiveResponse::default());
//!
//! let first_page = v2::ThreadListParams::default();
//! let Err(CallError::Rpc(error)) = client.request::<ThreadList>(first_page).await else {
//!     panic!("thread/list is not served here");
//! };
//! assert_eq!(error.code.0, -32601);
//!
//! client.shutdown().await?; // the server reads EOF and returns
//! server.await??;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! `peer/examples/` holds a stdio server that streams a turn with an approval, and a client
//! that spawns it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answer;
mod call;
mod client;
mod config;
mod context;
mod error;
mod lines;
mod notice;
mod outbox;
mod queue;
mod reader;
mod server;
mod shared;
mod side;
mod writer;

pub use call::{CallOptions, CancelToken};
pub use client::{Client, ClientBuilder, Notifications};
pub use config::{BadLine, PeerConfig};
pub use context::{ClientContext, Context, ServerContext};
pub use error::CallError;
pub use lines::{Line, LineReader};
pub use notice::{InvalidNotification, NotificationItem};
pub use server::{Server, serve};
pub use side::PeerSide;

/// A handler that implements no method: every request of the other end is answered -32601
/// (method not found). The default handler of server requests of a [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHandler;

impl app_server_protocol::ServerRequestHandler<ClientContext> for NoHandler {}

impl app_server_protocol::ClientRequestHandler<ServerContext> for NoHandler {}

/// The README's examples, compiled (and run, unless marked `no_run`) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
