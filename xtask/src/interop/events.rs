//! Waiting for the server's notifications, by method name: the one place that knows how the
//! peer hands them over.
//!
//! Today the peer yields only the notifications its decoder knows (`ServerNotification`); a
//! line it refuses (the legacy `codex/event/*` stream, notifications added after our contract,
//! a 0.63 `turn/completed` without `threadId`) is reported to `PeerConfig::on_bad_line`
//! instead. Both are merged here into one stream of [`Event`]s, each with its method and its
//! params as JSON (for a refused line, read back from the recorded line), so that a session
//! waits for `codex/event/task_complete` the same way as for `turn/completed`. When the peer's
//! stream yields known, unknown and invalid notifications itself, only this module changes:
//! a known one becomes an [`Event`] as a decoded one does here, an unknown one carries its
//! method and params already, and an invalid one (method and decode error) takes its params
//! from the recorded line as a refused line does here.

use std::time::Duration;

use app_server_peer::{BadLine, Notifications, PeerConfig};
use app_server_protocol::ServerNotification;
use serde_json::Value;
use tokio::sync::mpsc;

use super::recorder::Recorder;

/// A notification the server sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its method, e.g. `turn/completed`.
    pub method: String,
    /// Its params (`null` when it had none).
    pub params: Value,
    /// Whether our decoder accepted it (`false`: the peer refused the line).
    pub decoded: bool,
}

impl Event {
    /// The string at a JSON pointer into the params (`/turn/status`).
    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.params.pointer(pointer).and_then(Value::as_str)
    }
}

/// What arrives from the peer, in the order it is handed over.
enum Incoming {
    Decoded(ServerNotification),
    Refused(BadLine),
}

/// The notifications of one session: every one received is kept, and a wait looks at those
/// received since the last [`Events::mark`] before it waits for more.
pub struct Events {
    incoming: mpsc::UnboundedReceiver<Incoming>,
    recorder: Recorder,
    history: Vec<Event>,
    window: usize,
    pump: tokio::task::JoinHandle<()>,
}

/// Sets up `config` so that refused lines reach the [`Events`] made by [`Events::start`].
pub fn tap_bad_lines(config: PeerConfig) -> (PeerConfig, BadLines) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let tapped = sender.clone();
    let config = config.on_bad_line(move |bad| {
        let _gone = tapped.send(Incoming::Refused(bad.clone()));
    });
    (config, BadLines { sender, receiver })
}

/// The refused lines' channel, between [`tap_bad_lines`] and [`Events::start`].
pub struct BadLines {
    sender: mpsc::UnboundedSender<Incoming>,
    receiver: mpsc::UnboundedReceiver<Incoming>,
}

impl Events {
    /// Starts reading the peer's notifications (a task moves them to an unbounded queue, so
    /// the peer never stops reading for want of a reader while a session waits for an
    /// answer) and merges them with the refused lines.
    pub fn start(
        mut notifications: Notifications,
        bad_lines: BadLines,
        recorder: Recorder,
    ) -> Events {
        let BadLines { sender, receiver } = bad_lines;
        let pump = tokio::spawn(async move {
            while let Some(notification) = notifications.next().await {
                if sender.send(Incoming::Decoded(notification)).is_err() {
                    return;
                }
            }
        });
        Events { incoming: receiver, recorder, history: Vec::new(), window: 0, pump }
    }

    /// Starts a new window: later waits only look at what arrives from now on.
    pub fn mark(&mut self) {
        self.window = self.history.len();
    }

    /// Every notification received so far in this window.
    pub fn window(&self) -> &[Event] {
        &self.history[self.window..]
    }

    /// The first notification of this window with method `method` for which `accept` holds,
    /// waiting for it at most `limit`.
    pub async fn wait_for(
        &mut self,
        method: &str,
        limit: Duration,
        accept: impl Fn(&Event) -> bool,
    ) -> Result<Event, String> {
        let fits = |event: &Event| event.method == method && accept(event);
        if let Some(event) = self.window().iter().find(|event| fits(event)) {
            return Ok(event.clone());
        }
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let received = tokio::time::timeout_at(deadline, self.incoming.recv()).await;
            let incoming = match received {
                Ok(Some(incoming)) => incoming,
                Ok(None) => {
                    return Err(format!(
                        "the server closed the connection while waiting for `{method}`"
                    ));
                }
                Err(_) => {
                    let seen: Vec<&str> = self.window().iter().map(|e| e.method.as_str()).collect();
                    return Err(format!(
                        "no fitting `{method}` within {} s (this window saw: {})",
                        limit.as_secs(),
                        summarize(&seen)
                    ));
                }
            };
            let Some(event) = self.event(incoming) else { continue };
            let found = fits(&event);
            self.history.push(event);
            if found {
                return Ok(self.history[self.history.len() - 1].clone());
            }
        }
    }

    /// The event of what arrived; `None` for a refused line that is not a notification (an
    /// answer to a probe, a request).
    fn event(&self, incoming: Incoming) -> Option<Event> {
        match incoming {
            Incoming::Decoded(notification) => {
                let method = notification.method().wire_name().to_owned();
                let params = serde_json::to_value(&notification)
                    .ok()
                    .and_then(|mut value| value.get_mut("params").map(Value::take))
                    .unwrap_or(Value::Null);
                Some(Event { method, params, decoded: true })
            }
            Incoming::Refused(bad) => {
                let line = self.recorder.server_line(bad.line)?;
                let message: Value = serde_json::from_slice(&line).ok()?;
                if message.get("id").is_some() {
                    return None;
                }
                let method = message.get("method")?.as_str()?.to_owned();
                let params = message.get("params").cloned().unwrap_or(Value::Null);
                Some(Event { method, params, decoded: false })
            }
        }
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

/// How many methods a summary of a window shows.
const SUMMARIZED: usize = 12;

/// `a ×3, b, c` for a list of methods in order, repeats folded.
fn summarize(methods: &[&str]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    for method in methods {
        match parts.last_mut() {
            Some((last, count)) if last == method => *count += 1,
            _ => parts.push(((*method).to_owned(), 1)),
        }
    }
    if parts.is_empty() {
        return "nothing".to_owned();
    }
    // The last ones say most about where it stopped.
    let skipped = parts.len().saturating_sub(SUMMARIZED);
    let shown: Vec<String> = parts[skipped..]
        .iter()
        .map(
            |(method, count)| {
                if *count > 1 { format!("{method} ×{count}") } else { method.clone() }
            },
        )
        .collect();
    let shown = shown.join(", ");
    if skipped > 0 { format!("… {shown}") } else { shown }
}

#[cfg(test)]
mod tests {
    use super::summarize;

    #[test]
    fn summaries_fold_repeats() {
        assert_eq!(summarize(&[]), "nothing");
        assert_eq!(summarize(&["a", "a", "b", "a"]), "a ×2, b, a");
        let many: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(summarize(&many).starts_with("… m8, m9,"));
    }
}
