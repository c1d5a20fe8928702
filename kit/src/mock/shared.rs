//! The mock's shared state: [`Mock`] (threads, logins, the config file, ids, the connections
//! to broadcast to) and the [`MockOptions`] it is made with. Every other module of the mock
//! depends on this one, and this one on none of them but the state it holds.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use app_server_peer::ServerContext;

use super::account::Accounts;
use super::config::ConfigFile;
use super::fault::Faults;
use super::ids::Ids;
use super::prompt;
use super::scenario::{self, Scenario};
use super::threads::Store;

/// How a mock behaves: built with [`MockOptions::default`] and the `with_*` setters.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Makes ids, timestamps and timing the same every run.
    pub seed: Option<u64>,
    /// Delays are divided by this; `0` plays everything without delay. Default 1.
    pub speed: f64,
    /// The turn every turn plays; the prompt script's when `None`.
    pub scenario: Option<Scenario>,
    /// The faults on.
    pub faults: Faults,
    /// Sends the legacy `codex/event/*` stream beside the v2 notifications, as released
    /// servers do. Default `true`.
    pub legacy_events: bool,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            seed: None,
            speed: 1.0,
            scenario: None,
            faults: Faults::default(),
            legacy_events: true,
        }
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

    /// These options with the legacy `codex/event/*` stream on or off.
    pub fn with_legacy_events(mut self, on: bool) -> Self {
        self.legacy_events = on;
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
    /// The scenario's steps, when turns follow a scenario file.
    steps: Option<Arc<Vec<scenario::Step>>>,
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
        let inner = Inner {
            steps: options.scenario.clone().map(|scenario| Arc::new(scenario.steps)),
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

    /// The steps of a turn whose user message is `text`, run in `cwd`: the scenario's, or
    /// the prompt script's.
    pub(crate) fn steps(&self, text: &str, cwd: &str) -> Arc<Vec<scenario::Step>> {
        match &self.inner.steps {
            Some(steps) => Arc::clone(steps),
            None => Arc::new(prompt::steps(text, cwd)),
        }
    }

    pub(crate) fn legacy_events(&self) -> bool {
        self.inner.options.legacy_events
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
