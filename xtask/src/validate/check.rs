//! Checking one line of a transcript: who sent it, whether it decodes (the typed, lenient
//! decoder of its receiver), whether it keeps its sender's contract (strict for the server,
//! the input contract for a client), and which requests it opens or answers.

use std::collections::HashMap;

use app_server_protocol::transcript::{Decoded, TranscriptDecoder, split_marked_line};
use app_server_protocol::{
    ClientMessage, DecodeLimits, Direction, MethodMeta, RequestId, ServerMessage,
    ServerNotification, all_methods,
};
use serde::Deserialize;
use serde_json::Value;

use super::contract::{Contracts, Form, Verdict};
use super::{Sink, Summary};

/// How many problems, unknown members or unanswered requests one finding lists at most.
const LISTED: usize = 5;

/// The state of one run over a transcript: both peers' pending requests, with the line of
/// each, and what was found so far.
pub struct Checker {
    transcript: TranscriptDecoder,
    contracts: &'static Contracts,
    /// The requests waiting for an answer: (requester, id) → (line, method as written).
    pending: HashMap<(Direction, RequestId), (usize, String)>,
    /// What was found so far.
    pub summary: Summary,
}

impl Checker {
    /// A checker with nothing pending that decodes each line within `limits`.
    pub fn new(limits: DecodeLimits) -> Result<Checker, String> {
        Ok(Checker {
            transcript: TranscriptDecoder::with_limits(limits),
            contracts: Contracts::shared()?,
            pending: HashMap::new(),
            summary: Summary::default(),
        })
    }

    /// Counts a line that is bad before it is a message (too long, not UTF-8).
    pub fn unreadable(&mut self, text: String, sink: &mut impl Sink) {
        self.summary.messages += 1;
        self.summary.bad += 1;
        sink.finding(text);
    }

    /// Checks the line numbered `number` (not blank).
    pub fn line(&mut self, number: usize, line: &str, sink: &mut impl Sink) {
        self.summary.messages += 1;
        let (marked, text) = match split_marked_line(line) {
            Ok(split) => split,
            Err(err) => {
                self.summary.bad += 1;
                sink.finding(format!("line {number}: {err}"));
                return;
            }
        };
        let Some(from) = marked.or_else(|| self.transcript.infer_direction(&text)) else {
            self.summary.bad += 1;
            self.summary.by_method.entry("(unknown)".to_owned()).or_default().1 += 1;
            sink.finding(format!(
                "line {number}: cannot tell who sent this line (no `>`/`<` mark, no known method, no pending request with its id)"
            ));
            return;
        };
        let message: Option<Value> = serde_json::from_str(&text).ok();
        match self.transcript.decode(from, &text) {
            Ok(decoded) => self.decoded(number, from, &decoded, message.as_ref(), sink),
            Err(err) => {
                let method = err.method.clone().unwrap_or_else(|| "(unknown)".to_owned());
                let path = err.path.as_deref().map(|p| format!(" at `{p}`")).unwrap_or_default();
                self.bad(
                    &counted_as(&method),
                    sink,
                    format!(
                        "line {number}: {} → `{method}`{path}: {} (code {})",
                        from.sender(),
                        err.message,
                        err.code().0
                    ),
                );
            }
        }
        if let Some(message) = &message {
            self.track(number, from, message);
        }
    }

    /// A line that decoded: the turn invariant, then the contract of its sender.
    fn decoded(
        &mut self,
        number: usize,
        from: Direction,
        decoded: &Decoded,
        message: Option<&Value>,
        sink: &mut impl Sink,
    ) {
        if let Decoded::ServerToClient(ServerMessage::UnknownNotification(unknown)) = decoded {
            self.summary.by_method.entry(unknown.method.clone()).or_default().0 += 1;
            self.inform(sink, format!(
                "line {number}: information: `{}` is a notification the contract does not know (a newer server's); a client passes it through",
                unknown.method
            ));
            return;
        }
        // The method as it travels (a method family's full name), counted under its row's name
        // as documents show it (`codex/event/{type}`).
        let travels = decoded.wire_method();
        let method = travels.as_deref().unwrap_or("(error response)");
        let counted = counted_as(method);
        self.summary.by_method.entry(counted.clone()).or_default().0 += 1;
        if let Some(warning) = turn_warning(decoded) {
            self.warn(sink, format!("line {number}: warning in `{method}`: {warning}"));
        }
        let Some(message) = message else { return };
        let Verdict { errors, unknown, open } =
            self.contracts.check(from, form(decoded), method, message);
        let contract = match from {
            Direction::ServerToClient => "output contract",
            Direction::ClientToServer => "input contract",
        };
        if !errors.is_empty() {
            let problems = listed(errors.iter().map(ToString::to_string), errors.len(), "; ");
            self.summary.by_method.entry(counted).or_default().1 += 1;
            self.summary.bad += 1;
            sink.finding(format!(
                "line {number}: {} → `{method}` {problems} ({contract})",
                from.sender()
            ));
        }
        self.open_values(number, (from, method), &open, sink);
        if !unknown.is_empty() {
            let members =
                listed(unknown.iter().map(|path| format!("`{path}`")), unknown.len(), ", ");
            let ignored = match from {
                Direction::ServerToClient => {
                    "a client ignores them; a newer server may add members"
                }
                Direction::ClientToServer => "the server ignores them",
            };
            self.warn(sink, format!(
                "line {number}: warning in `{method}`: member(s) the {contract} does not know: {members} ({ignored})"
            ));
        }
    }

    /// Values of open types the contract does not know: information, as a newer peer's.
    fn open_values(
        &mut self,
        number: usize,
        (from, method): (Direction, &str),
        open: &[(String, String)],
        sink: &mut impl Sink,
    ) {
        if open.is_empty() {
            return;
        }
        let values = open.iter().map(|(path, name)| {
            let name = name.rsplit('.').next().unwrap_or(name);
            format!("`{path}` ({name})")
        });
        let values = listed(values, open.len(), ", ");
        let (contract, who) = match from {
            Direction::ServerToClient => ("output contract", "a newer server's; a client takes it"),
            Direction::ClientToServer => {
                ("input contract", "a newer client's; the server takes it")
            }
        };
        self.inform(sink, format!(
            "line {number}: information in `{method}`: value(s) of open types the {contract} does not know: {values} ({who})"
        ));
    }

    /// Keeps the line of each request that waits for an answer, and forgets it once
    /// answered, as the decoder's pending tables say.
    fn track(&mut self, number: usize, from: Direction, message: &Value) {
        let Some(id) = message.get("id").and_then(|id| RequestId::deserialize(id).ok()) else {
            return;
        };
        if let Some(method) = message.get("method") {
            if self.transcript.is_pending(from, &id) {
                let method = method.as_str().map_or_else(|| method.to_string(), str::to_owned);
                self.pending.insert((from, id), (number, method));
            }
        } else if !self.transcript.is_pending(from.reverse(), &id) {
            self.pending.remove(&(from.reverse(), id));
        }
    }

    /// Ends the run: lists the requests never answered, with their ids and lines.
    pub fn finish(mut self, sink: &mut impl Sink) -> Summary {
        let (client, server) = self.transcript.pending_counts();
        if client + server > 0 {
            let mut waiting: Vec<_> = self.pending.iter().collect();
            waiting.sort_by_key(|(_, (line, _))| *line);
            let requests = waiting.iter().map(|((requester, id), (line, method))| {
                let id = serde_json::to_string(id).unwrap_or_default();
                format!("{} `{method}` id {id} (line {line})", requester.sender())
            });
            let requests = listed(requests, client + server, "; ");
            let text =
                format!("end: {} request(s) were never answered: {requests}", client + server);
            self.warn(sink, text);
        }
        self.summary
    }

    fn bad(&mut self, method: &str, sink: &mut impl Sink, text: String) {
        self.summary.bad += 1;
        let entry = self.summary.by_method.entry(method.to_owned()).or_default();
        entry.0 += 1;
        entry.1 += 1;
        sink.finding(text);
    }

    fn warn(&mut self, sink: &mut impl Sink, text: String) {
        self.summary.warnings += 1;
        sink.finding(text);
    }

    fn inform(&mut self, sink: &mut impl Sink, text: String) {
        self.summary.information += 1;
        sink.finding(text);
    }
}

/// The name a method is counted under in the summary: its own, or for a name of a method
/// family the family's (`codex/event/{type}`), found through the method table.
fn counted_as(method: &str) -> String {
    all_methods()
        .find(|meta| meta.family.is_some() && meta.answers_to(method))
        .map_or_else(|| method.to_owned(), MethodMeta::display_name)
}

/// What a decoded message is.
fn form(decoded: &Decoded) -> Form {
    match decoded {
        Decoded::ClientToServer(ClientMessage::Request(_))
        | Decoded::ServerToClient(ServerMessage::Request(_)) => Form::Request,
        Decoded::ClientToServer(ClientMessage::Notification(_))
        | Decoded::ServerToClient(
            ServerMessage::Notification(_) | ServerMessage::UnknownNotification(_),
        ) => Form::Notification,
        Decoded::ClientToServer(ClientMessage::Response(_))
        | Decoded::ServerToClient(ServerMessage::Response(_)) => Form::Response,
        Decoded::ClientToServer(ClientMessage::Error(_))
        | Decoded::ServerToClient(ServerMessage::Error(_)) => Form::Error,
    }
}

/// A turn that breaks "`error` is non-null exactly when `status` is `failed`" (C10), in
/// wire spelling.
fn turn_warning(decoded: &Decoded) -> Option<String> {
    let Decoded::ServerToClient(ServerMessage::Notification(notification)) = decoded else {
        return None;
    };
    let turn = match notification {
        ServerNotification::TurnStarted { params } => &params.turn,
        ServerNotification::TurnCompleted { params } => &params.turn,
        _ => return None,
    };
    (!turn.is_consistent()).then(|| {
        let status = serde_json::to_string(&turn.status).unwrap_or_default();
        let error = if turn.error.is_some() { "{…}" } else { "null" };
        format!("turn `{}` has `\"status\": {status}` but `\"error\": {error}`", turn.id)
    })
}

/// Up to [`LISTED`] of `total` items, joined by `separator`, then how many more there are.
fn listed(items: impl Iterator<Item = String>, total: usize, separator: &str) -> String {
    let shown: Vec<String> = items.take(LISTED).collect();
    match total.saturating_sub(shown.len()) {
        0 => shown.join(separator),
        more => format!("{}{separator}… and {more} more", shown.join(separator)),
    }
}
