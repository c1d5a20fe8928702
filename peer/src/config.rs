//! The settings of one end of a connection, and the report of a line it could not use.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use app_server_protocol::{DecodeError, DecodeLimits};

/// A line the other end sent that could not be used: reported to
/// [`PeerConfig::on_bad_line`], answered when the protocol says so (a request whose id could
/// be read gets its error answer, e.g. -32601 or -32602), and skipped. The connection goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The number of the line on this connection (1 for the first line, blank lines counted).
    pub line: u64,
    /// What is wrong with it, with the JSON-RPC code and, where there is one, the JSON path.
    pub error: DecodeError,
}

type BadLineCallback = Arc<dyn Fn(&BadLine) + Send + Sync>;

/// The settings of one end of a connection: the line limit, the size of the bounded queues,
/// how long a shutdown may take, and who hears about bad lines.
///
/// ```
/// use app_server_peer::PeerConfig;
///
/// let config = PeerConfig::default()
///     .with_max_line_bytes(1024 * 1024)
///     .on_bad_line(|bad| eprintln!("line {}: {}", bad.line, bad.error));
/// assert_eq!(config.limits().max_message_bytes, 1024 * 1024);
/// ```
#[derive(Clone)]
pub struct PeerConfig {
    limits: DecodeLimits,
    outgoing_queue: usize,
    notification_queue: usize,
    max_in_flight: usize,
    shutdown_grace: Duration,
    on_bad_line: Option<BadLineCallback>,
    unknown_notifications: bool,
    request_timeout: Option<Duration>,
}

impl PeerConfig {
    /// How many outgoing lines wait for the writer by default.
    pub const DEFAULT_OUTGOING_QUEUE: usize = 1024;
    /// How many received notifications wait for the reader of
    /// [`Client::notifications`](crate::Client::notifications) by default.
    pub const DEFAULT_NOTIFICATION_QUEUE: usize = 1024;
    /// How many requests of the other end are handled at once by default.
    pub const DEFAULT_MAX_IN_FLIGHT: usize = 16_384;
    /// How long a shutdown waits by default (for the other end to exit, for in-flight
    /// handlers, for the last lines to be written) before it stops waiting.
    pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

    /// These settings with another longest accepted line, in bytes (default 16 MiB). A longer
    /// line is never buffered whole: at most this many bytes (plus the line terminator) are
    /// held, the rest of the line is skipped, and it is reported as a [`BadLine`] (-32600).
    pub fn with_max_line_bytes(mut self, max_line_bytes: usize) -> Self {
        self.limits = self.limits.with_max_message_bytes(max_line_bytes);
        self
    }

    /// These settings with another capacity of the outgoing queue, in lines (at least 1).
    /// When it is full, whoever sends (a request, a notification, an answer) waits: this is
    /// the backpressure of a peer that does not read what this end writes. The writer takes
    /// the whole queue at once, so at most twice this many lines are held: the queue, and
    /// the batch being written.
    pub fn with_outgoing_queue(mut self, lines: usize) -> Self {
        self.outgoing_queue = lines.max(1);
        self
    }

    /// These settings with another capacity of the client's notification queue (at least 1).
    /// When it is full, the client stops reading from the server until the notifications are
    /// read (backpressure, nothing is dropped).
    pub fn with_notification_queue(mut self, notifications: usize) -> Self {
        self.notification_queue = notifications.max(1);
        self
    }

    /// These settings with another bound on the other end's requests handled at once (at
    /// least 1). Each handler that waits goes on in a task of its own; a request that comes
    /// while this many are still being handled is refused at once with -32600 ("too many requests in
    /// flight"), so that a peer that floods requests cannot grow this end's memory without
    /// bound. (Refusing instead of pausing the reader keeps answers flowing: a handler that
    /// waits for the other end's answer — an approval — is never stuck behind a paused reader.)
    pub fn with_max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests.max(1);
        self
    }

    /// These settings with another shutdown grace period.
    pub fn with_shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// These settings with a timeout for every request this end sends that does not set its
    /// own ([`CallOptions::with_timeout`](crate::CallOptions::with_timeout)): a call that gets
    /// no answer in time ends with [`CallError::TimedOut`](crate::CallError::TimedOut) and
    /// forgets its pending entry. None by default: a call waits until the answer comes or the
    /// connection ends.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The timeout of requests that set none of their own, if any.
    pub fn request_timeout(&self) -> Option<Duration> {
        self.request_timeout
    }

    /// These settings with unknown notifications — methods this crate does not know, sent by
    /// a newer server — handed on as [`NotificationItem::Unknown`](crate::NotificationItem::Unknown)
    /// (`true`, the default) or dropped quietly (`false`). Either way they are not bad lines.
    pub fn with_unknown_notifications(mut self, deliver: bool) -> Self {
        self.unknown_notifications = deliver;
        self
    }

    /// Whether unknown notifications are handed on (see
    /// [`with_unknown_notifications`](Self::with_unknown_notifications)).
    pub fn unknown_notifications(&self) -> bool {
        self.unknown_notifications
    }

    /// These settings with a callback that hears about every line the other end sent that
    /// could not be used. It runs on the reading task: keep it short. Without one, bad lines
    /// are answered (where the protocol says so) and skipped silently.
    pub fn on_bad_line(mut self, callback: impl Fn(&BadLine) + Send + Sync + 'static) -> Self {
        self.on_bad_line = Some(Arc::new(callback));
        self
    }

    /// The decode limits every incoming line is held to.
    pub fn limits(&self) -> DecodeLimits {
        self.limits
    }

    /// The capacity of the outgoing queue, in lines.
    pub fn outgoing_queue(&self) -> usize {
        self.outgoing_queue
    }

    /// The capacity of the client's notification queue.
    pub fn notification_queue(&self) -> usize {
        self.notification_queue
    }

    /// How many requests of the other end are handled at once, at most.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// The shutdown grace period.
    pub fn shutdown_grace(&self) -> Duration {
        self.shutdown_grace
    }

    /// Reports a bad line to the callback, if there is one.
    pub(crate) fn report(&self, bad: &BadLine) {
        if let Some(callback) = &self.on_bad_line {
            callback(bad);
        }
    }
}

impl Default for PeerConfig {
    fn default() -> Self {
        PeerConfig {
            limits: DecodeLimits::default(),
            outgoing_queue: Self::DEFAULT_OUTGOING_QUEUE,
            notification_queue: Self::DEFAULT_NOTIFICATION_QUEUE,
            max_in_flight: Self::DEFAULT_MAX_IN_FLIGHT,
            shutdown_grace: Self::DEFAULT_SHUTDOWN_GRACE,
            on_bad_line: None,
            unknown_notifications: true,
            request_timeout: None,
        }
    }
}

impl fmt::Debug for PeerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PeerConfig")
            .field("limits", &self.limits)
            .field("outgoing_queue", &self.outgoing_queue)
            .field("notification_queue", &self.notification_queue)
            .field("max_in_flight", &self.max_in_flight)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("on_bad_line", &self.on_bad_line.is_some())
            .field("unknown_notifications", &self.unknown_notifications)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}
