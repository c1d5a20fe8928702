//! Waiting for the server's notifications, by method name: the one place that knows how the
//! peer hands them over.
//!
//! The peer's stream yields every notification the server sent ([`NotificationItem`]): typed
//! ones of the contract (the legacy `codex/event/*` family included), unknown ones (a newer
//! server's, with method and raw params) and invalid ones (method and decode error: say a 0.63
//! `turn/completed` without `threadId`). Each becomes an [`Event`] with its method and its
//! params as JSON — for an invalid one read back from the recorded line, found through the
//! peer's bad-line report (`PeerConfig::on_bad_line`, which comes just before the item) — so
//! that a session waits for `codex/event/task_complete` the same way as for `turn/completed`.

use std::collections::VecDeque;
use std::time::Duration;

use app_server_peer::{NotificationItem, Notifications, PeerConfig};
use serde_json::Value;
use tokio::sync::mpsc;

use super::recorder::Recorder;

/// How the peer handed a notification on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Typed: the contract knows it.
    Known,
    /// A method the contract does not know.
    Unknown,
    /// A method the contract knows, params it refused.
    Invalid,
}

/// A notification the server sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its method, e.g. `turn/completed`.
    pub method: String,
    /// Its params (`null` when it had none, or when a refused line could not be found).
    pub params: Value,
    /// How the peer handed it on.
    pub kind: Kind,
}

impl Event {
    /// The string at a JSON pointer into the params (`/turn/status`).
    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.params.pointer(pointer).and_then(Value::as_str)
    }
}

/// The line numbers of refused notifications, from the bad-line report, with their method.
type Refused = (u64, String);

/// The notifications of one session: every one received is kept, and a wait looks at those
/// received since the last [`Events::mark`] before it waits for more.
pub struct Events {
    incoming: mpsc::UnboundedReceiver<NotificationItem>,
    refused: mpsc::UnboundedReceiver<Refused>,
    refused_seen: VecDeque<Refused>,
    /// How many notifications the peer reported refused, so far.
    refused_total: usize,
    recorder: Recorder,
    history: Vec<Event>,
    window: usize,
    pump: tokio::task::JoinHandle<()>,
}

/// Sets up `config` so that the lines of refused notifications reach the [`Events`] made by
/// [`Events::start`].
pub fn tap_bad_lines(config: PeerConfig) -> (PeerConfig, BadLines) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let config = config.on_bad_line(move |bad| {
        if let Some(method) = bad.error.notification_method() {
            let _gone = sender.send((bad.line, method.to_owned()));
        }
    });
    (config, BadLines { receiver })
}

/// The refused lines' channel, between [`tap_bad_lines`] and [`Events::start`].
pub struct BadLines {
    receiver: mpsc::UnboundedReceiver<Refused>,
}

impl Events {
    /// Starts reading the peer's notifications: a task moves them to an unbounded queue, so
    /// the peer never stops reading for want of a reader while a session waits for an answer.
    pub fn start(
        mut notifications: Notifications,
        bad_lines: BadLines,
        recorder: Recorder,
    ) -> Events {
        let (sender, incoming) = mpsc::unbounded_channel();
        let pump = tokio::spawn(async move {
            while let Some(item) = notifications.next().await {
                if sender.send(item).is_err() {
                    return;
                }
            }
        });
        Events {
            incoming,
            refused: bad_lines.receiver,
            refused_seen: VecDeque::new(),
            refused_total: 0,
            recorder,
            history: Vec::new(),
            window: 0,
            pump,
        }
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
            let item = match received {
                Ok(Some(item)) => item,
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
            let event = self.event(item);
            let found = fits(&event);
            self.history.push(event);
            if found {
                return Ok(self.history[self.history.len() - 1].clone());
            }
        }
    }

    /// The event of a notification the peer handed on.
    fn event(&mut self, item: NotificationItem) -> Event {
        let method = item.method().into_owned();
        match item {
            NotificationItem::Known(notification) => {
                let params = serde_json::to_value(&notification)
                    .ok()
                    .and_then(|mut value| value.get_mut("params").map(Value::take))
                    .unwrap_or(Value::Null);
                Event { method, params, kind: Kind::Known }
            }
            NotificationItem::Unknown(unknown) => {
                Event { method, params: unknown.params.unwrap_or(Value::Null), kind: Kind::Unknown }
            }
            _ => {
                let params = self.refused_params(&method).unwrap_or(Value::Null);
                Event { method, params, kind: Kind::Invalid }
            }
        }
    }

    /// The params of the refused notification of `method` the peer reported first and that
    /// no event has taken yet, read from the recorded line.
    fn refused_params(&mut self, method: &str) -> Option<Value> {
        self.take_refusals();
        let index = self.refused_seen.iter().position(|(_, m)| m == method)?;
        let (line, _) = self.refused_seen.remove(index)?;
        let line = self.recorder.server_line(line)?;
        let mut message: Value = serde_json::from_slice(&line).ok()?;
        message.get_mut("params").map(Value::take)
    }
}

impl Events {
    /// Moves the refusals the peer reported so far to `refused_seen`, counting them.
    fn take_refusals(&mut self) {
        while let Ok(refused) = self.refused.try_recv() {
            self.refused_seen.push_back(refused);
            self.refused_total += 1;
        }
    }

    /// Once the connection ended: reads the notifications still queued (at most `limit`),
    /// then checks that every notification the peer refused reached the stream as an invalid
    /// item — none was lost, so no loop could wait for one that came. Returns how many did.
    pub async fn finish(&mut self, limit: Duration) -> Result<usize, String> {
        let deadline = tokio::time::Instant::now() + limit;
        while let Ok(Some(item)) = tokio::time::timeout_at(deadline, self.incoming.recv()).await {
            let event = self.event(item);
            self.history.push(event);
        }
        self.take_refusals();
        let invalid = self.history.iter().filter(|event| event.kind == Kind::Invalid).count();
        if invalid == self.refused_total {
            Ok(invalid)
        } else {
            Err(format!(
                "{} notifications were refused, but {invalid} reached the stream as invalid items",
                self.refused_total
            ))
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
