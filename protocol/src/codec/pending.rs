//! The table of requests one side has sent and not yet seen answered.

use std::collections::HashMap;

use crate::jsonrpc::RequestId;
use crate::methods::{ClientRequest, ClientRequestMethod, ServerRequest, ServerRequestMethod};

/// The requests one side has sent and not yet seen answered: request id → method, with a
/// payload of the caller's per entry (`P`: a waiter to wake, a span, a deadline; `()` when
/// nothing is needed).
///
/// Register each request when sending it ([`register`](Self::register)); the decoder uses the
/// table to type the answer by its method, takes the entry out when the answer (or an error)
/// arrives and keeps it aside for [`take_answered`](Self::take_answered), so that the caller
/// gets its payload back with the answer. [`next_id`](Self::next_id) hands out ids.
///
/// ```
/// use app_server_protocol::{ClientRequest, PendingRequests, decode_server_message, v2};
///
/// let mut pending: PendingRequests<_, &str> = PendingRequests::with_payloads();
/// let id = pending.next_id();
/// let request = ClientRequest::ThreadArchive {
///     request_id: id.clone(),
///     params: v2::ThreadArchiveParams::new("thr_1"),
/// };
/// let line = pending.register_with(&request, "waiter #1").unwrap();
/// assert_eq!(line, r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#);
///
/// decode_server_message(r#"{"id":1,"result":{}}"#, &mut pending).unwrap();
/// assert_eq!(pending.take_answered(), Some((id, "waiter #1")));
/// assert!(pending.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct PendingRequests<M, P = ()> {
    by_id: HashMap<RequestId, (M, P)>,
    answered: Option<(RequestId, P)>,
    next_id: i64,
}

impl<M, P> Default for PendingRequests<M, P> {
    fn default() -> Self {
        PendingRequests { by_id: HashMap::new(), answered: None, next_id: 1 }
    }
}

/// A request one side sends: what [`PendingRequests::register`] needs to know of it. The two
/// request enums implement it, so both sides register with the same method.
pub trait OutgoingRequest: serde::Serialize {
    /// The method enum of the requests of this side.
    type Method: Copy;
    /// The request's id.
    fn id(&self) -> &RequestId;
    /// The request's method.
    fn method_of(&self) -> Self::Method;
}

impl OutgoingRequest for ClientRequest {
    type Method = ClientRequestMethod;
    fn id(&self) -> &RequestId {
        self.request_id()
    }
    fn method_of(&self) -> ClientRequestMethod {
        self.method()
    }
}

impl OutgoingRequest for ServerRequest {
    type Method = ServerRequestMethod;
    fn id(&self) -> &RequestId {
        self.request_id()
    }
    fn method_of(&self) -> ServerRequestMethod {
        self.method()
    }
}

impl<M: Copy, P> PendingRequests<M, P> {
    /// An empty table whose entries carry a payload of type `P` (`new` is the table without
    /// payloads); [`next_id`](Self::next_id) starts at 1.
    pub fn with_payloads() -> Self {
        Self::default()
    }

    /// A request id that is not pending: increasing integers from 1, skipping any id in use.
    pub fn next_id(&mut self) -> RequestId {
        loop {
            let id = RequestId::Integer(self.next_id);
            self.next_id = self.next_id.checked_add(1).unwrap_or(1);
            if !self.by_id.contains_key(&id) {
                return id;
            }
        }
    }

    /// Registers an outgoing request by id and method, with its payload. Returns the entry
    /// previously registered under the same id, if any: ids should not be reused while a
    /// request is pending.
    pub fn insert_with(&mut self, id: RequestId, method: M, payload: P) -> Option<(M, P)> {
        self.by_id.insert(id, (method, payload))
    }

    /// Registers a request about to be sent, with its payload, and returns its line: one step,
    /// so that no request goes out unregistered.
    pub fn register_with<R>(&mut self, request: &R, payload: P) -> Result<String, serde_json::Error>
    where
        R: OutgoingRequest<Method = M>,
    {
        let line = serde_json::to_string(request)?;
        self.insert_with(request.id().clone(), request.method_of(), payload);
        Ok(line)
    }

    /// Takes a request out of the table (its waiter gave up, the connection closed), with its
    /// payload.
    pub fn take(&mut self, id: &RequestId) -> Option<(M, P)> {
        self.by_id.remove(id)
    }

    /// Used by the decoder when an answer to `id` arrives: takes the entry out, keeps its
    /// payload for [`take_answered`](Self::take_answered), and returns the method that types
    /// the answer.
    pub(crate) fn answer(&mut self, id: &RequestId) -> Option<M> {
        let (method, payload) = self.by_id.remove(id)?;
        self.answered = Some((id.clone(), payload));
        Some(method)
    }

    /// The id and payload of the request the last decoded answer answered (also when its
    /// result did not fit and the decoder returned an error): the decoder took the entry out
    /// of the table. Each answer's entry can be taken once; the next answer replaces it.
    pub fn take_answered(&mut self) -> Option<(RequestId, P)> {
        self.answered.take()
    }

    /// The method of a pending request, leaving it pending.
    pub fn get(&self, id: &RequestId) -> Option<M> {
        self.by_id.get(id).map(|(method, _)| *method)
    }

    /// Every pending request, taken out of the table (the connection ended).
    pub fn drain(&mut self) -> impl Iterator<Item = (RequestId, M, P)> + '_ {
        self.by_id.drain().map(|(id, (method, payload))| (id, method, payload))
    }

    /// How many requests are waiting for an answer.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no request is waiting for an answer.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

impl<M: Copy> PendingRequests<M, ()> {
    /// An empty table without payloads; [`next_id`](Self::next_id) starts at 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a request about to be sent (no payload). Returns the method previously
    /// registered under the same id, if any.
    pub fn register<R>(&mut self, request: &R) -> Option<M>
    where
        R: OutgoingRequest<Method = M>,
    {
        self.insert(request.id().clone(), request.method_of())
    }

    /// Registers an outgoing request by id and method (e.g. one sent before a capture
    /// started). Returns the method previously registered under the same id, if any.
    pub fn insert(&mut self, id: RequestId, method: M) -> Option<M> {
        self.insert_with(id, method, ()).map(|(method, ())| method)
    }
}

/// Looking up the method of a pending request, whatever the table's payload type: what the
/// decoder's fast path needs of a [`PendingRequests`].
pub(crate) trait PendingMethods<M> {
    /// The method of a pending request, leaving it pending.
    fn get(&self, id: &RequestId) -> Option<M>;
}

impl<M: Copy, P> PendingMethods<M> for PendingRequests<M, P> {
    fn get(&self, id: &RequestId) -> Option<M> {
        PendingRequests::get(self, id)
    }
}
