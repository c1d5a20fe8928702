//! The table of requests one side has sent and not yet seen answered.

use std::collections::HashMap;

use crate::jsonrpc::RequestId;
use crate::methods::{ClientRequest, ClientRequestMethod, ServerRequest, ServerRequestMethod};

/// The requests one side has sent and not yet seen answered: request id → method.
///
/// Register each request when sending it; the decoder uses the table to type the response and
/// removes the entry when the response (or error) arrives.
#[derive(Debug, Clone)]
pub struct PendingRequests<M> {
    by_id: HashMap<RequestId, M>,
}

impl<M> Default for PendingRequests<M> {
    fn default() -> Self {
        PendingRequests { by_id: HashMap::new() }
    }
}

impl<M: Copy> PendingRequests<M> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers an outgoing request. Returns the method previously registered under the same
    /// id, if any: ids should not be reused while a request is pending.
    pub fn insert(&mut self, id: RequestId, method: M) -> Option<M> {
        self.by_id.insert(id, method)
    }

    /// Takes the entry of an answered request out of the table.
    pub fn take(&mut self, id: &RequestId) -> Option<M> {
        self.by_id.remove(id)
    }

    /// The method of a pending request, leaving it pending.
    pub fn get(&self, id: &RequestId) -> Option<M> {
        self.by_id.get(id).copied()
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

impl PendingRequests<ClientRequestMethod> {
    /// Registers a request a client is about to send.
    pub fn register(&mut self, request: &ClientRequest) -> Option<ClientRequestMethod> {
        self.insert(request.request_id().clone(), request.method())
    }
}

impl PendingRequests<ServerRequestMethod> {
    /// Registers a request the server is about to send.
    pub fn register_server_request(
        &mut self,
        request: &ServerRequest,
    ) -> Option<ServerRequestMethod> {
        self.insert(request.request_id().clone(), request.method())
    }
}
