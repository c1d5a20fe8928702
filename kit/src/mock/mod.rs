//! `app-server-kit mock`: a stateful stand-in app server, for clients to test against.
//!
//! One mock process holds threads, logins and a config file that all its connections share;
//! each connection is served by the typed peer's server ([`app_server_peer::Server`]) with a
//! handler of every client → server method (`handler/`). Turns follow the user's prompt
//! with the stand-in model's script (`prompt.rs`: `RUN`, `PATCH`, `FAIL`, `SLOW`, else a
//! text answer), or a scenario file ([`scenario`], `--scenario FILE`), and are played as a
//! released server plays them (`turn.rs`): its ids, its approvals as server requests, its
//! legacy `codex/event/*` stream beside the v2 notifications (`event_stream.rs`). Faults can
//! be switched on ([`fault`]).
//!
//! Library use (the conformance kit's `conform client` plays the server with it):
//!
//! ```no_run
//! use app_server_kit::mock::{Mock, MockOptions, Tap, serve_connection};
//!
//! # async fn run() -> std::io::Result<()> {
//! let mock = Mock::new(MockOptions::default().with_seed(7).with_speed(0.0))?;
//! let tap = Tap::new(|direction, line| eprintln!("{} {line}", direction.as_str()));
//! serve_connection(&mock, tokio::io::stdin(), tokio::io::stdout(), Some(tap)).await
//! # }
//! ```

mod account;
mod agent;
mod catalogue;
mod cli;
mod config;
mod connection;
mod event_stream;
pub mod fault;
mod flow;
mod handler;
mod ids;
mod legacy;
mod notify;
mod prompt;
mod rewrite;
pub mod scenario;
mod shared;
mod steps;
mod tap;
mod threads;
mod tools;
mod turn;

pub use cli::{MockArgs, main};
pub use connection::serve_connection;
pub use fault::{Fault, Faults};
pub use scenario::Scenario;
pub use shared::{Mock, MockOptions};
pub use tap::Tap;
