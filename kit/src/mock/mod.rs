//! `app-server-kit mock`: a stateful stand-in app server, for clients to test against.
//!
//! One mock process holds threads, logins and a config file that all its connections share;
//! each connection is served by the typed peer's server ([`app_server_peer::Server`]) with a
//! handler of every client → server method (`handler.rs`). Turns are played from a scenario
//! ([`scenario`]: the built-in one or `--scenario FILE`), approvals are asked as server
//! requests, and faults can be switched on ([`fault`]).
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
mod catalog;
mod cli;
mod config;
mod conn;
mod connection;
pub mod fault;
mod handler;
mod ids;
mod legacy;
mod notify;
mod rewrite;
pub mod scenario;
mod steps;
mod tap;
mod threads;
mod turn;

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use app_server_peer::ServerContext;

pub use cli::{MockArgs, main};
pub use connection::serve_connection;
pub use fault::{Fault, Faults};
pub use scenario::Scenario;
pub use tap::Tap;

use account::Accounts;
use config::ConfigFile;
use ids::Ids;
use threads::Store;

/// How a mock behaves: built with [`MockOptions::default`] and the `with_*` setters.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Makes ids, timestamps and timing the same every run.
    pub seed: Option<u64>,
    /// Delays are divided by this; `0` plays everything without delay. Default 1.
    pub speed: f64,
    /// The turn every `turn/start` plays; the built-in one when `None`.
    pub scenario: Option<Scenario>,
    /// The faults on.
    pub faults: Faults,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions { seed: None, speed: 1.0, scenario: None, faults: Faults::default() }
    }
}

impl MockOptions {
    /// These options with a seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// These options with another speed (`0`: no delays).
    pub fn with_speed(mut self, speed: f64) -> Self {
        self.speed = speed;
        self
    }

    /// These options with a scenario in place of the built-in turn.
    pub fn with_scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = Some(scenario);
        self
    }

    /// These options with these faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }
}

/// A mock app server: the state its connections share. Cheap to clone (a handle).
#[derive(Clone)]
pub struct Mock {
    inner: Arc<Inner>,
}

struct Inner {
    options: MockOptions,
    steps: Arc<Vec<scenario::Step>>,
    threads: Mutex<Store>,
    accounts: Mutex<Accounts>,
    ids: Ids,
    config: ConfigFile,
    /// The initialized connections, to which `thread/started` is broadcast.
    connections: Mutex<HashMap<u64, ServerContext>>,
    next_connection: AtomicU64,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("options", &self.inner.options)
            .field("config_file", &self.inner.config.path())
            .finish()
    }
}

/// Tells apart the temporary folders of mocks of one process.
static MOCKS: AtomicU64 = AtomicU64::new(0);

impl Mock {
    /// A mock with `options`, its config file written in a new temporary folder (removed when
    /// the last handle is dropped).
    pub fn new(options: MockOptions) -> io::Result<Mock> {
        let config = ConfigFile::create(&MOCKS.fetch_add(1, Ordering::Relaxed).to_string())?;
        let scenario = options.scenario.clone().unwrap_or_else(Scenario::builtin);
        let inner = Inner {
            steps: Arc::new(scenario.steps),
            ids: Ids::new(options.seed),
            options,
            threads: Mutex::new(Store::default()),
            accounts: Mutex::new(Accounts::default()),
            config,
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
        };
        Ok(Mock { inner: Arc::new(inner) })
    }

    /// The config file `config/*` reads and writes.
    pub fn config_path(&self) -> &Path {
        self.inner.config.path()
    }

    /// How many threads exist (archived ones included).
    pub fn thread_count(&self) -> usize {
        self.threads().len()
    }

    pub(crate) fn faults(&self) -> &Faults {
        &self.inner.options.faults
    }

    pub(crate) fn speed(&self) -> f64 {
        self.inner.options.speed
    }

    pub(crate) fn steps(&self) -> Arc<Vec<scenario::Step>> {
        Arc::clone(&self.inner.steps)
    }

    pub(crate) fn ids(&self) -> &Ids {
        &self.inner.ids
    }

    pub(crate) fn config(&self) -> &ConfigFile {
        &self.inner.config
    }

    pub(crate) fn threads(&self) -> MutexGuard<'_, Store> {
        self.inner.threads.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn accounts(&self) -> MutexGuard<'_, Accounts> {
        self.inner.accounts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn next_connection_number(&self) -> u64 {
        self.inner.next_connection.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Registers a connection for broadcasts, with the context of its `initialize` request
    /// (broadcasts wait for that request's answer).
    pub(crate) fn register(&self, number: u64, ctx: ServerContext) {
        self.lock_connections().insert(number, ctx);
    }

    /// Forgets a connection that ended.
    pub(crate) fn unregister(&self, number: u64) {
        self.lock_connections().remove(&number);
    }

    /// The contexts of every initialized connection.
    pub(crate) fn connections(&self) -> Vec<ServerContext> {
        self.lock_connections().values().cloned().collect()
    }

    fn lock_connections(&self) -> MutexGuard<'_, HashMap<u64, ServerContext>> {
        self.inner.connections.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
