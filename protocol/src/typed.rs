//! A method is a type.
//!
//! Every row of the method table has a marker type (an enum with no values) that implements
//! [`Request`] or [`Notification`]: [`method::ThreadStart`](crate::method::ThreadStart),
//! [`method::TurnCompleted`](crate::method::TurnCompleted),
//! [`method::CommandExecutionRequestApproval`](crate::method::CommandExecutionRequestApproval)
//! … The marker carries the wire name and the params and result types, so that code generic
//! over `M: Request` builds a request only from `M::Params` and answers it only with
//! `M::Result`:
//!
//! - [`Request::message`] builds the typed request of `M` from its id and params;
//! - a [`Responder<M>`] answers the request it came with, and only with `M::Result` —
//!   answering `thread/start` with a `thread/list` result does not compile;
//! - a [`Ticket<M>`] types the answer to a request one side sent as `M::Result`.
//!
//! ```
//! use app_server_protocol::method::ThreadArchive;
//! use app_server_protocol::typed::{Request, Responder};
//! use app_server_protocol::{ClientRequest, RequestId, v2};
//!
//! assert_eq!(ThreadArchive::METHOD, "thread/archive");
//! let request: ClientRequest =
//!     ThreadArchive::message(RequestId::Integer(7), v2::ThreadArchiveParams::new("thr_1"));
//! // A server answers through the typed responder of the request it received.
//! let responder: Responder<ThreadArchive> = Responder::new(request.request_id().clone());
//! let reply = responder.respond(v2::ThreadArchiveResponse::new());
//! assert_eq!(serde_json::to_string(&reply).unwrap(), r#"{"id":7,"result":{}}"#);
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::jsonrpc::{Direction, ErrorResponse, JsonRpcError, RequestId};
use crate::row::MethodMeta;

/// A request method: the marker type of one row of a request table.
///
/// `Message` is the enum of every request sent in the method's direction
/// ([`ClientRequest`](crate::ClientRequest) or [`ServerRequest`](crate::ServerRequest)) and
/// `Answer` the enum of their typed results ([`ClientRequestResult`](crate::ClientRequestResult)
/// or [`ServerRequestResult`](crate::ServerRequestResult)).
pub trait Request: 'static {
    /// The canonical wire name, e.g. `"thread/start"`.
    const METHOD: &'static str;
    /// Who sends the request.
    const DIRECTION: Direction;
    /// The params type ([`NoParams`](crate::NoParams) for methods that take none).
    type Params: Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + 'static;
    /// The result type of a successful answer.
    type Result: Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + 'static;
    /// The enum of the requests of this direction.
    type Message;
    /// The enum of the typed answers to requests of this direction.
    type Answer;
    /// The method enum of this direction ([`ClientRequestMethod`](crate::ClientRequestMethod)
    /// or [`ServerRequestMethod`](crate::ServerRequestMethod)).
    type MethodEnum: Copy;
    /// This method's value of [`MethodEnum`](Self::MethodEnum).
    const METHOD_ENUM: Self::MethodEnum;

    /// The row of the method table.
    fn meta() -> &'static MethodMeta;
    /// The typed request of this method.
    fn message(id: RequestId, params: Self::Params) -> Self::Message;
    /// The typed answer of this method.
    fn answer(id: RequestId, result: Self::Result) -> Self::Answer;
    /// This method's result out of an answer, or the answer back when it answers another
    /// method.
    fn result_of(answer: Self::Answer) -> Result<Self::Result, Self::Answer>;
}

/// A notification method: the marker type of one row of a notification table.
pub trait Notification: 'static {
    /// The canonical wire name, e.g. `"turn/completed"`.
    const METHOD: &'static str;
    /// Who sends the notification.
    const DIRECTION: Direction;
    /// The params type ([`NoParams`](crate::NoParams) for methods that take none).
    type Params: Serialize + DeserializeOwned + fmt::Debug + Clone + PartialEq + Send + 'static;
    /// The enum of the notifications of this direction.
    type Message;

    /// The row of the method table.
    fn meta() -> &'static MethodMeta;
    /// The typed notification of this method.
    fn message(params: Self::Params) -> Self::Message;
}

/// The answer to one received request of method `M`: it can answer only with `M::Result` (or
/// an error), and only once (it is consumed).
#[must_use = "a request must be answered: call `respond` or `error`"]
pub struct Responder<M: Request> {
    id: RequestId,
    method: PhantomData<fn() -> M>,
}

impl<M: Request> Responder<M> {
    /// The responder of the request with id `id`. The typed request enums and the connections
    /// hand these out; build one yourself only for a request you decoded by other means.
    pub fn new(id: RequestId) -> Self {
        Responder { id, method: PhantomData }
    }

    /// The id of the request this answers.
    pub fn id(&self) -> &RequestId {
        &self.id
    }

    /// The successful answer, typed by the method.
    pub fn respond(self, result: M::Result) -> M::Answer {
        M::answer(self.id, result)
    }

    /// The failed answer.
    pub fn error(self, error: JsonRpcError) -> ErrorResponse {
        ErrorResponse { id: self.id, error }
    }
}

impl<M: Request> fmt::Debug for Responder<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Responder").field("method", &M::METHOD).field("id", &self.id).finish()
    }
}

impl<M: Request> PartialEq for Responder<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// A request of method `M` one side sent and waits for: types its answer as `M::Result`.
#[must_use = "keep the ticket to read the answer with its type"]
pub struct Ticket<M: Request> {
    id: RequestId,
    method: PhantomData<fn() -> M>,
}

impl<M: Request> Ticket<M> {
    /// The ticket of the request with id `id`.
    pub fn new(id: RequestId) -> Self {
        Ticket { id, method: PhantomData }
    }

    /// The id of the request.
    pub fn id(&self) -> &RequestId {
        &self.id
    }

    /// The typed result out of the answer to this request. An answer of another method (which
    /// the decoder never produces for this id) comes back as the error.
    pub fn result(&self, answer: M::Answer) -> Result<M::Result, M::Answer> {
        M::result_of(answer)
    }
}

impl<M: Request> fmt::Debug for Ticket<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticket").field("method", &M::METHOD).field("id", &self.id).finish()
    }
}

impl<M: Request> Clone for Ticket<M> {
    fn clone(&self) -> Self {
        Ticket::new(self.id.clone())
    }
}
