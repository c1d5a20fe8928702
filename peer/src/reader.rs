//! The reading half of one end: reads lines, lets the connection decode them, and delivers
//! each event — answers to their waiters, requests and notifications to the end's own
//! [`Deliver`], bad lines to the report and, where the protocol says so, an error answer.

use std::future::Future;
use std::io;

use app_server_protocol::DecodeError;
use app_server_protocol::DecodeErrorKind;
use app_server_protocol::connection::{Event, ProtocolError};
use app_server_protocol::{ErrorResponse, JsonRpcError, RequestId, UnknownNotification};
use tokio::io::AsyncRead;

use crate::config::BadLine;
use crate::lines::{Line, LineReader};
use crate::shared::{Outcome, Shared, Waiter};
use crate::side::PeerSide;

/// What one end does with the requests and notifications of the other end.
pub(crate) trait Deliver<S: PeerSide>: Send {
    /// What the end hands on for each notification.
    type Item: Send;

    /// Starts answering a request (without waiting for the answer); refuses it (its id back)
    /// when [`PeerConfig::max_in_flight`](crate::PeerConfig::max_in_flight) requests are
    /// still being answered.
    fn request(&mut self, request: S::IncomingRequest) -> Result<(), RequestId>;

    /// What a notification of the other end is to this end: a typed one, one of a method the
    /// contract does not know, or one the decoder refused (its method and why). `None`: it is
    /// not handed on.
    fn item(&self, notice: Notice<S>) -> Option<Self::Item>;

    /// Hands a notification on without waiting; gives it back when it would have to wait
    /// (the client's queue is full).
    fn notification(&mut self, item: Self::Item) -> Result<(), Self::Item>;

    /// Hands on a notification that [`Deliver::notification`] gave back, waiting until it can
    /// (backpressure on the reader).
    fn notification_later(&mut self, item: Self::Item) -> impl Future<Output = ()> + Send;
}

/// A notification of the other end, as the connection saw it.
pub(crate) enum Notice<S: PeerSide> {
    /// Typed by its method.
    Known(S::IncomingNotification),
    /// Of a method the contract does not know (only a client receives them).
    Unknown(UnknownNotification),
    /// Refused by the decoder: the method it came with and why.
    Invalid(String, DecodeError),
}

/// Reads until EOF (`Ok`) or a read error. Bad lines are reported and skipped.
pub(crate) async fn read_lines<S, R, D>(
    reader: R,
    shared: &Shared<S>,
    deliver: &mut D,
) -> io::Result<()>
where
    S: PeerSide,
    R: AsyncRead + Unpin,
    D: Deliver<S>,
{
    let limits = shared.config().limits();
    let mut lines = LineReader::new(reader, limits.max_message_bytes);
    loop {
        let event = match lines.next().await? {
            Line::Eof => return Ok(()),
            Line::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => shared.receive(text),
                Err(_) => Some(unread(shared, S::undecodable(bytes, &limits))),
            },
            Line::TooLong { bytes } => {
                Some(unread(shared, too_long(bytes, limits.max_message_bytes)))
            }
        };
        if let Some(event) = event {
            deliver_event(event, shared, deliver).await;
        }
    }
}

async fn deliver_event<S: PeerSide, D: Deliver<S>>(
    event: Event<S, Waiter<S>>,
    shared: &Shared<S>,
    deliver: &mut D,
) {
    match event {
        Event::Request(request) => {
            if let Err(id) = deliver.request(request) {
                refuse_busy(shared, id).await;
            }
        }
        Event::Notification(notification) => {
            notify(deliver, Notice::Known(notification)).await;
        }
        Event::UnknownNotification(notification) => {
            notify(deliver, Notice::Unknown(notification)).await;
        }
        Event::Answer { payload, answer, .. } => {
            let _gave_up = payload.send(Outcome::Answer(answer));
        }
        Event::Error { payload, error, .. } => {
            let _gave_up = payload.send(Outcome::Error(error));
        }
        Event::ProtocolError(bad) => {
            let refused = bad.error.notification_method().map(str::to_owned);
            let error = refused.is_some().then(|| bad.error.clone());
            bad_line(bad, shared).await;
            if let (Some(method), Some(error)) = (refused, error) {
                notify(deliver, Notice::Invalid(method, error)).await;
            }
        }
    }
}

/// Hands a notification on: in place as a rule; only a full queue makes the reader wait.
async fn notify<S: PeerSide, D: Deliver<S>>(deliver: &mut D, notice: Notice<S>) {
    let Some(item) = deliver.item(notice) else { return };
    if let Err(item) = deliver.notification(item) {
        deliver.notification_later(item).await;
    }
}

/// Reports a bad line, tells the waiter of a request the line answered with a result that
/// did not fit, and sends the error answer the protocol asks for.
async fn bad_line<S: PeerSide>(bad: ProtocolError<Waiter<S>>, shared: &Shared<S>) {
    shared.config().report(&BadLine { line: bad.line, error: bad.error.clone() });
    if let Some((_, waiter)) = bad.abandoned {
        let _gave_up = waiter.send(Outcome::Protocol(bad.error));
    }
    if let Some(reply) = bad.reply {
        let _closed = shared.answer_line(&reply).await;
    }
}

/// Answers a request that came while too many were being answered: -32600, at once.
async fn refuse_busy<S: PeerSide>(shared: &Shared<S>, id: RequestId) {
    let max = shared.config().max_in_flight();
    let why = format!(
        "too many requests in flight: {max} are still being answered; send this one again once some are"
    );
    let refused = S::sent_error(ErrorResponse { id, error: JsonRpcError::invalid_request(why) });
    let _closed = shared.answer(&refused).await;
}

/// The event of a line the connection never saw (too long, not UTF-8): never answered, since
/// its id could not be read.
fn unread<S: PeerSide>(shared: &Shared<S>, error: DecodeError) -> Event<S, Waiter<S>> {
    let line = shared.count_unread_line();
    Event::ProtocolError(ProtocolError { line, error, reply: None, abandoned: None })
}

fn too_long(bytes: u64, max: usize) -> DecodeError {
    DecodeError::new(
        DecodeErrorKind::MessageTooLarge,
        format!(
            "message too large: {bytes} bytes, the limit is {max} bytes; it was skipped without being parsed"
        ),
    )
}
