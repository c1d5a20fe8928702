//! The typed wire contract between the coding agent's app server and its clients.
//!
//! - [`methods`] is the method table: one row per JSON-RPC method and direction. It generates
//!   the typed message enums [`ClientRequest`], [`ServerRequest`], [`ServerNotification`],
//!   [`ClientNotification`], the typed results [`ClientRequestResult`] and
//!   [`ServerRequestResult`], and the metadata slices codegen walks. [`row`] is what one row
//!   says ([`MethodMeta`]) and the macros that turn rows into code; [`method`] is a method as
//!   a type: the marker type of every row and the traits they implement ([`method::Request`],
//!   [`method::Notification`], [`method::Responder`], [`method::Ticket`]).
//! - [`codec`] decodes a line into the typed message of its direction
//!   ([`decode_client_message`], [`decode_server_message`]) and encodes typed messages.
//! - [`v2`] is the current API, [`v1`] the frozen legacy API, [`core_types`] the core-protocol
//!   types both embed, [`handshake`] the shared `initialize` handshake.
//!
//! Default features compile serde only; the `codegen` feature adds the ts-rs and schemars
//! derives used by `cargo xtask codegen`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The crate's version, which is also the version of the wire contract it describes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

mod by_name;
pub mod jsonrpc;
#[macro_use]
pub mod open;
#[macro_use]
pub mod row;
pub mod codec;
pub mod connection;
pub mod core_types;
pub mod handshake;
pub mod methods;
pub mod secret;
mod tagged_union;
pub mod transcript;
/// The traits of a method as a type, by their earlier path: [`method`] has them too, beside the
/// marker types (`method::Request`).
pub mod typed;
pub mod v1;
pub mod v2;

pub use codec::{
    ClientMessage, DecodeError, DecodeErrorKind, DecodeLimits, MAX_NESTING, PendingRequests,
    ServerMessage, append_line, decode_client_message, decode_client_message_bytes,
    decode_client_message_with, decode_server_message, decode_server_message_bytes,
    decode_server_message_with,
};
pub use jsonrpc::{
    DecodeErrorData, Direction, ErrorCode, ErrorResponse, JsonRpcError, RequestId,
    UnknownNotification,
};
pub use methods::{
    CLIENT_NOTIFICATIONS, CLIENT_REQUESTS, ClientNotification, ClientNotificationMethod,
    ClientRequest, ClientRequestHandler, ClientRequestMethod, ClientRequestResult,
    IncomingClientRequest, IncomingServerRequest, SERVER_NOTIFICATIONS, SERVER_REQUESTS,
    ServerNotification, ServerNotificationMethod, ServerRequest, ServerRequestHandler,
    ServerRequestMethod, ServerRequestResult, all_methods, sender_of,
};
pub use open::UnknownVariant;
/// The earlier name of [`row`], kept so that existing imports compile.
#[doc(hidden)]
pub use row as method_table;
pub use row::{
    ApiGeneration, ErrorData, MessageKind, MethodError, MethodMeta, NoParams, PayloadError,
    Stability,
};
pub use secret::Secret;

/// A method as a type: the marker type of every row of the method table, which implements
/// [`Request`](method::Request) for requests and [`Notification`](method::Notification) for
/// notifications, and those traits with the typed [`Responder`](method::Responder) and
/// [`Ticket`](method::Ticket). `method::ThreadStart::METHOD` is `"thread/start"`;
/// `Responder<method::ThreadStart>` answers only with its result.
pub mod method {
    pub use crate::typed::{Notification, Request, Responder, Ticket};

    pub use crate::methods::client_notifications::*;
    pub use crate::methods::client_requests::*;
    pub use crate::methods::server_notifications::*;
    pub use crate::methods::server_requests::*;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
