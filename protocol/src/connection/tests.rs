//! The two ends of a connection driven against each other, line by line.

use serde_json::json;

use super::{ClientConnection, Event, ServerConnection};
use crate::method::{CommandExecutionRequestApproval, Initialized, ThreadArchive, TurnInterrupt};
use crate::methods::{IncomingClientRequest, IncomingServerRequest, ServerRequestResult};
use crate::{DecodeErrorKind, ErrorCode, JsonRpcError, NoParams, RequestId, v2};

fn archive(thread: &str) -> v2::ThreadArchiveParams {
    v2::ThreadArchiveParams { thread_id: thread.into() }
}

fn approval_params() -> v2::CommandExecutionRequestApprovalParams {
    serde_json::from_value(json!({
        "threadId": "thr_1", "turnId": "turn_1", "itemId": "item_1", "reason": null,
        "risk": null, "command": "cargo test", "cwd": "/src", "proposedExecpolicyAmendment": null
    }))
    .unwrap()
}

#[test]
fn a_request_goes_out_with_a_fresh_id_and_its_answer_comes_back_typed_with_its_payload() {
    let mut client: ClientConnection<&str> = ClientConnection::with_payloads();
    let (first, ticket) = client.request_with::<ThreadArchive>(archive("thr_1"), "first").unwrap();
    let (second, _) = client.request_with::<ThreadArchive>(archive("thr_2"), "second").unwrap();
    assert!(first.starts_with(r#"{"id":1,"#) && second.starts_with(r#"{"id":2,"#));
    assert_eq!(client.pending_len(), 2);

    let Some(Event::Answer { id, payload, answer }) = client.receive(r#"{"id":1,"result":{}}"#)
    else {
        panic!("expected an answer");
    };
    assert_eq!((id, payload), (RequestId::Integer(1), "first"));
    assert_eq!(ticket.result(answer).unwrap(), v2::ThreadArchiveResponse {});
    assert_eq!(client.pending_len(), 1);
}

#[test]
fn the_server_end_answers_a_request_through_its_typed_responder() {
    let mut client = ClientConnection::new();
    let mut server = ServerConnection::new();
    let (line, ticket) = client
        .request::<TurnInterrupt>(
            serde_json::from_value(json!({
                "threadId": "thr_1", "turnId": "turn_1"
            }))
            .unwrap(),
        )
        .unwrap();
    let Some(Event::Request(IncomingClientRequest::TurnInterrupt { params, responder })) =
        server.receive(&line)
    else {
        panic!("expected turn/interrupt");
    };
    assert_eq!(params.turn_id, "turn_1");
    let reply = server.reply(responder, v2::TurnInterruptResponse {}).unwrap();
    assert_eq!(reply, r#"{"id":1,"result":{}}"#);
    let Some(Event::Answer { answer, .. }) = client.receive(&reply) else { panic!("answer") };
    assert_eq!(ticket.result(answer).unwrap(), v2::TurnInterruptResponse {});
}

#[test]
fn a_server_request_round_trip_types_the_clients_decision() {
    let mut server: ServerConnection<u32> = ServerConnection::with_payloads();
    let mut client = ClientConnection::new();
    let (line, ticket) =
        server.request_with::<CommandExecutionRequestApproval>(approval_params(), 7).unwrap();
    let Some(Event::Request(IncomingServerRequest::CommandExecutionRequestApproval {
        params,
        responder,
    })) = client.receive(&line)
    else {
        panic!("expected an approval request");
    };
    assert_eq!(params.command.as_deref(), Some("cargo test"));
    let decision: v2::CommandExecutionRequestApprovalResponse =
        serde_json::from_value(json!({ "decision": "decline" })).unwrap();
    let reply = client.reply(responder, decision.clone()).unwrap();
    let Some(Event::Answer { payload, answer, .. }) = server.receive(&reply) else {
        panic!("expected the decision");
    };
    assert_eq!(payload, 7);
    assert!(matches!(answer, ServerRequestResult::CommandExecutionRequestApproval { .. }));
    assert_eq!(ticket.result(answer).unwrap(), decision);
}

#[test]
fn an_error_answer_comes_back_with_the_payload() {
    let mut client: ClientConnection<&str> = ClientConnection::with_payloads();
    let _ticket = client.request_with::<ThreadArchive>(archive("thr_x"), "w").unwrap();
    let line = r#"{"id":1,"error":{"code":-32600,"message":"no such thread"}}"#;
    let Some(Event::Error { id, payload, error }) = client.receive(line) else {
        panic!("expected an error answer");
    };
    assert_eq!((id, payload, error.code), (RequestId::Integer(1), "w", ErrorCode(-32600)));
    assert_eq!(client.pending_len(), 0);
}

#[test]
fn blank_lines_are_skipped_but_counted() {
    let mut server = ServerConnection::new();
    assert!(server.receive("").is_none());
    assert!(server.receive("   \t").is_none());
    let Some(Event::ProtocolError(error)) = server.receive("not json") else { panic!() };
    assert_eq!(error.line, 3);
    assert_eq!(error.error.kind, DecodeErrorKind::Parse);
    assert_eq!(error.reply, None, "a line without a readable id gets no answer");
}

#[test]
fn a_bad_request_is_reported_with_the_line_to_answer() {
    let mut server = ServerConnection::new();
    let Some(Event::ProtocolError(error)) = server.receive(r#"{"id":4,"method":"no/such/method"}"#)
    else {
        panic!("expected a protocol error");
    };
    assert_eq!(error.error.kind, DecodeErrorKind::MethodNotFound);
    let reply: serde_json::Value = serde_json::from_str(error.reply.as_deref().unwrap()).unwrap();
    assert_eq!(reply["id"], 4);
    assert_eq!(reply["error"]["code"], -32601);
}

#[test]
fn an_answer_whose_result_does_not_fit_hands_the_payload_back() {
    let mut client: ClientConnection<&str> = ClientConnection::with_payloads();
    let _ticket = client.request_with::<ThreadArchive>(archive("thr_1"), "waiter").unwrap();
    let Some(Event::ProtocolError(error)) = client.receive(r#"{"id":1,"result":"archived"}"#)
    else {
        panic!("expected a protocol error");
    };
    assert_eq!(error.abandoned, Some((RequestId::Integer(1), "waiter")));
    assert_eq!(error.reply, None, "an answer is never answered");
    assert_eq!(client.pending_len(), 0);
}

#[test]
fn an_answer_to_nothing_pending_is_a_protocol_error() {
    let mut client = ClientConnection::new();
    let Some(Event::ProtocolError(error)) = client.receive(r#"{"id":99,"result":{}}"#) else {
        panic!("expected a protocol error");
    };
    assert_eq!(error.error.kind, DecodeErrorKind::UnknownResponseId);
    assert_eq!(error.abandoned, None);
}

#[test]
fn close_and_forget_hand_every_payload_back() {
    let mut client: ClientConnection<u8> = ClientConnection::with_payloads();
    for n in 0..3 {
        let _ticket = client.request_with::<ThreadArchive>(archive("thr"), n).unwrap();
    }
    assert_eq!(client.forget(&RequestId::Integer(2)), Some(1));
    let Some(Event::ProtocolError(late)) = client.receive(r#"{"id":2,"result":{}}"#) else {
        panic!("a late answer to a forgotten request is reported");
    };
    assert_eq!(late.error.kind, DecodeErrorKind::UnknownResponseId);
    let mut closed = client.close();
    closed.sort_by_key(|(_, payload)| *payload);
    assert_eq!(closed, vec![(RequestId::Integer(1), 0), (RequestId::Integer(3), 2)]);
    assert_eq!(client.pending_len(), 0);
}

#[test]
fn ids_in_use_are_never_handed_out_again() {
    let mut client = ClientConnection::new();
    let ids: Vec<String> = (0..5)
        .map(|_| client.request::<ThreadArchive>(archive("t")).unwrap().0)
        .map(|line| serde_json::from_str::<serde_json::Value>(&line).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
}

#[test]
fn notifications_and_error_replies_encode_as_the_wire_says() {
    let client = ClientConnection::new();
    assert_eq!(client.notify::<Initialized>(NoParams).unwrap(), r#"{"method":"initialized"}"#);
    let mut server = ServerConnection::new();
    let line = r#"{"id":"a","method":"thread/archive","params":{"threadId":"thr_1"}}"#;
    let Some(Event::Request(IncomingClientRequest::ThreadArchive { responder, .. })) =
        server.receive(line)
    else {
        panic!("expected thread/archive");
    };
    let error = JsonRpcError::new(ErrorCode(-32600), "thread is running");
    assert_eq!(
        server.reply_error(responder, error).unwrap(),
        r#"{"id":"a","error":{"code":-32600,"message":"thread is running"}}"#
    );
}

#[test]
fn nothing_a_peer_sends_makes_either_end_panic() {
    let hostile = [
        "[]",
        "null",
        "42",
        r#""text""#,
        "{}",
        r#"{"id":null,"method":"thread/archive"}"#,
        r#"{"id":1,"method":"thread/archive","params":[]}"#,
        r#"{"id":1,"result":{},"error":{"code":1,"message":"x"}}"#,
        r#"{"id":1,"error":{"code":"x"}}"#,
        r#"{"method":"turn/completed","params":{"threadId":1}}"#,
        "\u{feff}{}",
        &"[".repeat(10_000),
    ];
    let mut client = ClientConnection::new();
    let mut server = ServerConnection::new();
    for line in hostile {
        assert!(matches!(client.receive(line), Some(Event::ProtocolError(_))), "{line:.40}");
        assert!(matches!(server.receive(line), Some(Event::ProtocolError(_))), "{line:.40}");
    }
}

#[test]
fn the_into_forms_append_the_same_lines_to_one_buffer_each_ended_by_a_newline() {
    let mut client = ClientConnection::new();
    let mut server = ServerConnection::new();
    let mut to_server = b"{}\n".to_vec();
    let ticket =
        client.request_into::<ThreadArchive>(archive("thr_1"), (), &mut to_server).unwrap();
    client.notify_into::<Initialized>(NoParams, &mut to_server).unwrap();
    let text = String::from_utf8(to_server).unwrap();
    assert_eq!(
        text,
        "{}\n{\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_1\"}}\n\
         {\"method\":\"initialized\"}\n",
        "what was in the buffer stays; each message is one line"
    );
    assert_eq!(client.pending_len(), 1);

    let mut lines = text.lines().skip(1);
    let Some(Event::Request(IncomingClientRequest::ThreadArchive { responder, .. })) =
        server.receive(lines.next().unwrap())
    else {
        panic!("expected thread/archive");
    };
    let mut to_client = Vec::new();
    server.reply_into(responder, v2::ThreadArchiveResponse {}, &mut to_client).unwrap();
    assert_eq!(to_client, b"{\"id\":1,\"result\":{}}\n");
    let Some(Event::Answer { answer, .. }) =
        client.receive(std::str::from_utf8(&to_client).unwrap().trim_end())
    else {
        panic!("expected the answer");
    };
    assert_eq!(ticket.result(answer).unwrap(), v2::ThreadArchiveResponse {});

    let (line, _) = client.request::<ThreadArchive>(archive("thr_2")).unwrap();
    let Some(Event::Request(IncomingClientRequest::ThreadArchive { responder, .. })) =
        server.receive(&line)
    else {
        panic!("expected thread/archive");
    };
    let mut refused = Vec::new();
    server.reply_error_into(responder, JsonRpcError::invalid_request("no"), &mut refused).unwrap();
    assert_eq!(
        String::from_utf8(refused).unwrap(),
        "{\"id\":2,\"error\":{\"code\":-32600,\"message\":\"no\"}}\n"
    );
}
