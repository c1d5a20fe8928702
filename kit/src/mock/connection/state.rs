//! The state of one connection: whether it is initialized, what the server's
//! output faults need to know about the client's requests, and the disconnect switch.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::sync::watch;

/// One connection of the mock.
#[derive(Debug)]
pub(crate) struct ConnectionState {
    /// Its number in this mock process (from 1).
    pub(crate) number: u64,
    /// Set by the first `initialize` handler: a second `initialize` is refused.
    initialized: AtomicBool,
    /// How many turns this connection started.
    turns_started: AtomicU64,
    /// The client's requests not answered yet (raw id → method), kept only when an output
    /// fault needs to know what a response answers.
    pending: Mutex<HashMap<String, String>>,
    /// Turns `true` when the mock closes the connection (the `disconnect-mid-turn` fault).
    disconnect: watch::Sender<bool>,
}

impl ConnectionState {
    /// The state of connection `number`.
    pub(crate) fn new(number: u64) -> Self {
        ConnectionState {
            number,
            initialized: AtomicBool::new(false),
            turns_started: AtomicU64::new(0),
            pending: Mutex::new(HashMap::new()),
            disconnect: watch::channel(false).0,
        }
    }

    /// Marks the connection initialized; `false` when it already was.
    pub(crate) fn initialize_once(&self) -> bool {
        !self.initialized.swap(true, Ordering::SeqCst)
    }

    /// Counts a started turn; returns how many were started before it.
    pub(crate) fn count_turn(&self) -> u64 {
        self.turns_started.fetch_add(1, Ordering::SeqCst)
    }

    /// Remembers that request `id` (its raw JSON) asks `method`.
    pub(crate) fn remember(&self, id: String, method: String) {
        self.lock_pending().insert(id, method);
    }

    /// The method of request `id`, forgotten now that it is answered.
    pub(crate) fn answered(&self, id: &str) -> Option<String> {
        self.lock_pending().remove(id)
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Closes the connection from the server's side.
    pub(crate) fn disconnect(&self) {
        self.disconnect.send_replace(true);
    }

    /// Resolves once [`ConnectionState::disconnect`] was called.
    pub(crate) async fn disconnected(&self) {
        let mut switch = self.disconnect.subscribe();
        let _gone = switch.wait_for(|closed| *closed).await;
    }
}
