//! `app-server-kit model`: a scripted stand-in of the model API (the OpenAI Responses API
//! over Server-Sent Events), so a real Codex app server runs offline, without an API key.
//!
//! A real server `POST`s each model request to `{base_url}/responses` and reads the answer as
//! a stream of events ([`sse`]). The stand-in picks the answer by the request's last input item
//! ([`script`]): scenario rules first ([`scenario`], `--scenario FILE`), then a built-in
//! script driven by uppercase keywords in the user's message — `RUN` (a `shell` call),
//! `PATCH` (an `apply_patch` call), `FAIL` (HTTP 500), `SLOW` (a slowly streamed answer),
//! anything else a reasoning summary and a text answer; a follow-up after a tool call gets a
//! closing message. [`codex_config_toml`] renders the `config.toml` that points a real
//! server at it.
//!
//! In a test, start it in-process:
//!
//! ```no_run
//! use app_server_kit::model::{ModelServer, Script};
//!
//! # async fn run() -> std::io::Result<()> {
//! let model = ModelServer::start(Script::builtin()).await?;
//! let config = model.codex_config_toml(); // write to $CODEX_HOME/config.toml
//! // … run a real server with CODEX_HOME and OPENAI_API_KEY=sk-test, start a turn …
//! for request in model.requests() {
//!     println!("{} answered by {:?}: {}", request.path, request.rule, request.last_item);
//! }
//! # Ok(()) }
//! ```
//!
//! # Why a hand-written HTTP server
//!
//! The stand-in needs one route (`POST /v1/responses`, plus `GET /v1/models`), one request per
//! connection and answers that close the connection; its `http` module does exactly that over tokio's
//! `TcpListener` in a few hundred lines, with every size and time bounded. hyper (and the
//! http, http-body, h2 … crates it brings) would be most of the kit's dependency tree for
//! that, and the kit keeps its dependency list short: it ships to users as one binary.

mod cli;
mod config;
mod http;
pub mod scenario;
pub mod script;
mod server;
pub mod sse;

pub use cli::{ModelArgs, main};
pub use config::{API_KEY, codex_config_toml};
pub use scenario::{Rule, ScenarioError, Script};
pub use script::{Answer, Reply, StreamAnswer, ToolCall, Turn};
pub use server::{ModelOptions, ModelServer, ReceivedRequest};
