//! A method is a type: the marker types of the method table, typed requests, responders and
//! tickets, and (compile-fail, with trybuild) that mismatched params or replies do not compile.

use app_server_protocol::method::{
    CommandExecutionRequestApproval, Initialized, ThreadArchive, ThreadList, TurnCompleted,
};
use app_server_protocol::typed::{Notification, Request, Responder, Ticket};
use app_server_protocol::{
    ClientMessage, ClientRequestResult, Direction, IncomingClientRequest, NoParams,
    PendingRequests, RequestId, ServerMessage, all_methods, decode_client_message, v2,
};

#[test]
fn every_row_has_a_marker_with_its_wire_name_and_direction() {
    assert_eq!(<ThreadList as Request>::METHOD, "thread/list");
    assert_eq!(<ThreadList as Request>::DIRECTION, Direction::ClientToServer);
    assert_eq!(ThreadList::meta().wire_name, "thread/list");
    assert_eq!(<CommandExecutionRequestApproval as Request>::DIRECTION, Direction::ServerToClient);
    assert_eq!(<TurnCompleted as Notification>::METHOD, "turn/completed");
    assert_eq!(<Initialized as Notification>::DIRECTION, Direction::ClientToServer);
    // Every row's marker is reachable through its meta (the macro writes both from the row).
    assert!(all_methods().all(|meta| !meta.wire_name.is_empty()));
}

#[test]
fn a_typed_request_encodes_like_the_enum() {
    let request =
        ThreadArchive::message(RequestId::Integer(3), v2::ThreadArchiveParams::new("thr_1"));
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"id":3,"method":"thread/archive","params":{"threadId":"thr_1"}}"#
    );
    let notification = Initialized::message(NoParams);
    assert_eq!(serde_json::to_string(&notification).unwrap(), r#"{"method":"initialized"}"#);
}

#[test]
fn a_decoded_request_is_answered_through_its_typed_responder() {
    let line = r#"{"id":"a-1","method":"thread/archive","params":{"threadId":"thr_1"}}"#;
    let Ok(ClientMessage::Request(request)) =
        decode_client_message(line, &mut PendingRequests::new())
    else {
        panic!("expected a request");
    };
    let IncomingClientRequest::ThreadArchive { params, responder } = request.into_incoming() else {
        panic!("expected thread/archive");
    };
    assert_eq!(params.thread_id, "thr_1");
    assert_eq!(responder.id(), &RequestId::String("a-1".into()));
    let reply = ServerMessage::Response(responder.respond(v2::ThreadArchiveResponse::new()));
    assert_eq!(reply.to_line().unwrap(), r#"{"id":"a-1","result":{}}"#);
}

#[test]
fn an_error_answer_keeps_the_id() {
    let responder: Responder<ThreadArchive> = Responder::new(RequestId::Integer(9));
    let error = responder.error(app_server_protocol::JsonRpcError::new(
        app_server_protocol::ErrorCode(-32600),
        "no such thread",
    ));
    assert_eq!(
        serde_json::to_string(&error).unwrap(),
        r#"{"id":9,"error":{"code":-32600,"message":"no such thread"}}"#
    );
}

#[test]
fn a_ticket_types_the_answer_and_refuses_another_methods() {
    let ticket: Ticket<ThreadArchive> = Ticket::new(RequestId::Integer(4));
    let answer = ClientRequestResult::ThreadArchive {
        request_id: RequestId::Integer(4),
        result: v2::ThreadArchiveResponse::new(),
    };
    assert_eq!(ticket.result(answer), Ok(v2::ThreadArchiveResponse::new()));
    let other = ClientRequestResult::TurnInterrupt {
        request_id: RequestId::Integer(4),
        result: v2::TurnInterruptResponse::new(),
    };
    assert!(ticket.result(other).is_err());
}

#[test]
fn mismatched_params_and_replies_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}

/// Polls a future that is ready at once (the handlers below never wait).
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("the handler was expected to be ready"),
    }
}

/// A server that serves `thread/archive` and nothing else.
struct Archiver;

impl app_server_protocol::ClientRequestHandler<str> for Archiver {
    async fn thread_archive(
        &self,
        params: v2::ThreadArchiveParams,
        ctx: &str,
    ) -> Result<v2::ThreadArchiveResponse, app_server_protocol::JsonRpcError> {
        assert_eq!((params.thread_id.as_str(), ctx), ("thr_1", "ctx"));
        Ok(v2::ThreadArchiveResponse::new())
    }
}

#[test]
fn the_handler_trait_routes_each_request_to_its_method_and_answers_minus_32601_otherwise() {
    use app_server_protocol::ClientRequestHandler;
    let mut pending = PendingRequests::new();
    let decode =
        |line: &str, pending: &mut PendingRequests<_>| match decode_client_message(line, pending) {
            Ok(ClientMessage::Request(request)) => request.into_incoming(),
            other => panic!("expected a request, got {other:?}"),
        };
    let archive =
        decode(r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#, &mut pending);
    let answer = ready(Archiver.dispatch(archive, "ctx")).unwrap();
    assert_eq!(ServerMessage::Response(answer).to_line().unwrap(), r#"{"id":1,"result":{}}"#);

    let logout = decode(r#"{"id":2,"method":"account/logout"}"#, &mut pending);
    let error = ready(Archiver.dispatch(logout, "ctx")).unwrap_err();
    assert_eq!(error.id, RequestId::Integer(2));
    assert_eq!(error.error.code.0, -32601);
    assert_eq!(error.error.message, "`account/logout` is not served here");
}
