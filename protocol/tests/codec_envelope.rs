//! The envelope rules of spec README §2: which JSON-RPC code each malformed line gets, the
//! `jsonrpc` member, ids, params presence, method aliases, and typing responses by the pending
//! request table.

use app_server_protocol::{
    ClientMessage, ClientRequest, ClientRequestMethod, DecodeError, DecodeErrorKind,
    PendingRequests, RequestId, ServerMessage, ServerRequestMethod, append_line,
    decode_client_message, decode_server_message,
};
use serde_json::{Value, json};

fn from_client(line: &str) -> Result<ClientMessage, DecodeError> {
    decode_client_message(line, &mut PendingRequests::new())
}

fn from_server(line: &str) -> Result<ServerMessage, DecodeError> {
    decode_server_message(line, &mut PendingRequests::new())
}

fn code_of(line: &str) -> i64 {
    from_client(line).expect_err(line).code().0
}

fn reencoded(message: &ClientMessage) -> Value {
    serde_json::to_value(message).unwrap()
}

#[test]
fn lines_that_are_not_json_are_parse_errors() {
    for line in
        ["", "   ", "{", "not json", r#"{"id":1,"method":"initialized""#, r#"{"id":1} trailing"#]
    {
        let err = from_client(line).expect_err(line);
        assert_eq!((err.kind, err.code().0), (DecodeErrorKind::Parse, -32700), "{line:?}: {err}");
    }
}

#[test]
fn json_that_is_not_a_message_is_an_invalid_request() {
    for line in [
        "[]",
        r#"[{"method":"initialized"}]"#,
        r#""initialized""#,
        "42",
        "null",
        "{}",
        r#"{"id":1}"#,
        r#"{"params":{}}"#,
    ] {
        assert_eq!(code_of(line), -32600, "{line}");
    }
}

#[test]
fn ids_must_be_strings_or_64_bit_integers() {
    for id in
        ["null", "true", "1.5", "1e3", "{}", "[1]", "9223372036854775808", "-9223372036854775809"]
    {
        let line = format!(r#"{{"id":{id},"method":"account/logout"}}"#);
        let err = from_client(&line).expect_err(&line);
        assert_eq!(err.code().0, -32600, "{line}");
        assert_eq!(err.path.as_deref(), Some("id"), "{line}");
    }
    for (id, expected) in [
        ("9223372036854775807", RequestId::Integer(i64::MAX)),
        ("-9223372036854775808", RequestId::Integer(i64::MIN)),
        (r#""req-\u00e9""#, RequestId::String("req-é".to_owned())),
    ] {
        let line = format!(r#"{{"id":{id},"method":"account/logout"}}"#);
        let message = from_client(&line).unwrap();
        let ClientMessage::Request(request) = message else { panic!("{line}") };
        assert_eq!(request.request_id(), &expected);
    }
}

#[test]
fn result_and_error_together_or_with_method_are_invalid() {
    let mut pending = PendingRequests::new();
    pending.insert(RequestId::Integer(1), ClientRequestMethod::AccountLogout);
    let line = r#"{"id":1,"result":{},"error":{"code":-1,"message":"x"}}"#;
    let err = decode_server_message(line, &mut pending).unwrap_err();
    assert_eq!(err.code().0, -32600);
    assert_eq!(code_of(r#"{"id":1,"method":"account/logout","result":{}}"#), -32600);
}

#[test]
fn the_jsonrpc_member_is_accepted_as_2_0_and_never_written() {
    let message = from_client(r#"{"jsonrpc":"2.0","id":3,"method":"account/logout"}"#).unwrap();
    assert_eq!(reencoded(&message), json!({"id": 3, "method": "account/logout"}));
    for version in [r#""1.0""#, "2.0", "null", r#""2.0 ""#] {
        let line = format!(r#"{{"jsonrpc":{version},"id":3,"method":"account/logout"}}"#);
        assert_eq!(code_of(&line), -32600, "{line}");
    }
}

#[test]
fn methods_without_params_accept_absent_null_or_object_and_omit_params() {
    for line in [
        r#"{"id":1,"method":"account/logout"}"#,
        r#"{"id":1,"method":"account/logout","params":null}"#,
        r#"{"id":1,"method":"account/logout","params":{}}"#,
    ] {
        let message = from_client(line).unwrap();
        assert_eq!(reencoded(&message), json!({"id": 1, "method": "account/logout"}), "{line}");
    }
    let message = from_client(r#"{"method":"initialized"}"#).unwrap();
    assert_eq!(reencoded(&message), json!({"method": "initialized"}));
    assert_eq!(code_of(r#"{"id":1,"method":"account/logout","params":[]}"#), -32602);
}

#[test]
fn unknown_methods_and_methods_of_the_other_side_are_not_found() {
    let err = from_client(r#"{"id":1,"method":"thread/explode","params":{}}"#).unwrap_err();
    assert_eq!((err.code().0, err.id.clone()), (-32601, Some(RequestId::Integer(1))));
    assert!(err.message.contains("unknown request method `thread/explode`"), "{err}");

    let err =
        from_client(r#"{"id":1,"method":"item/commandExecution/requestApproval","params":{}}"#)
            .unwrap_err();
    assert_eq!(err.code().0, -32601);
    assert!(err.message.contains("sent by the other side"), "{err}");

    let err = from_server(r#"{"id":1,"method":"thread/start","params":{}}"#).unwrap_err();
    assert_eq!(err.code().0, -32601);

    let err = from_client(r#"{"method":"turn/completed","params":{}}"#).unwrap_err();
    assert_eq!((err.code().0, err.id.clone()), (-32601, None));
}

#[test]
fn params_that_do_not_fit_name_the_offending_path() {
    let err = from_client(r#"{"id":"a","method":"thread/archive","params":{"threadId":42}}"#)
        .unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::InvalidParams);
    assert_eq!(err.code().0, -32602);
    assert_eq!(err.path.as_deref(), Some("params.threadId"));
    assert_eq!(err.method.as_deref(), Some("thread/archive"));
    assert!(err.message.contains("expected a string"), "{err}");

    // A missing member is named by the path, not its parent object.
    let err = from_client(r#"{"id":"a","method":"thread/archive","params":{}}"#).unwrap_err();
    assert_eq!(err.code().0, -32602);
    assert_eq!(err.path.as_deref(), Some("params.threadId"));
    assert_eq!(err.message, "missing required member `threadId`");

    let err = from_client(r#"{"id":"a","method":"thread/archive"}"#).unwrap_err();
    assert_eq!(err.code().0, -32602, "absent params of a method with required fields");
    assert_eq!(err.path.as_deref(), Some("params.threadId"));

    // Also inside a tagged union, whatever the order of its members.
    for input in [r#"{"type":"text"}"#, r#"{"x-trace":1,"type":"text"}"#] {
        let line = format!(
            r#"{{"id":9,"method":"turn/start","params":{{"threadId":"t","input":[{input}]}}}}"#
        );
        let err = from_client(&line).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("params.input[0].text"), "{err}");
    }

    let err = from_client(
        r#"{"id":9,"method":"turn/start","params":{"threadId":"t","input":[{"type":"text","text":"hi"},{"type":"text","text":7}]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code().0, -32602);
    // Inside an internally tagged union (`UserInput`, tagged by `type`) the path goes down to
    // the member: the tag comes first, so the variant's members are decoded straight from the
    // input (see `tagged_union.rs`).
    assert_eq!(err.path.as_deref(), Some("params.input[1].text"), "{err}");
    assert!(err.message.contains("expected a string"), "{err}");

    // A union whose tag is not its first member is buffered before it is decoded: the same
    // error, at the same path.
    let err = from_client(
        r#"{"id":9,"method":"turn/start","params":{"threadId":"t","input":[{"type":"text","text":"hi"},{"text":7,"type":"text"}]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code().0, -32602);
    assert_eq!(err.path.as_deref(), Some("params.input[1].text"), "{err}");
    assert!(err.message.contains("expected a string"), "{err}");
}

#[test]
fn invalid_params_of_a_request_can_be_answered() {
    let err = from_client(r#"{"id":"r1","method":"thread/archive","params":{"threadId":false}}"#)
        .unwrap_err();
    let response = err.to_error_response().expect("a request with a readable id is answerable");
    let wire = serde_json::to_value(&response).unwrap();
    assert_eq!(wire["id"], json!("r1"));
    assert_eq!(wire["error"]["code"], json!(-32602));
    assert_eq!(
        wire["error"]["message"],
        json!("expected a string, found false at `params.threadId`")
    );
    assert_eq!(wire["error"]["data"], json!({"path": "params.threadId", "expected": "a string"}));

    // Every failure of a request whose id can be read is answered, whatever its code.
    for (line, code, data) in [
        (r#"{"id":6,"method":123}"#, -32600, json!({"path": "method", "expected": "a string"})),
        (
            r#"{"id":6,"jsonrpc":"1.0","method":"account/logout"}"#,
            -32600,
            json!({"path": "jsonrpc", "expected": "\"2.0\""}),
        ),
        (r#"{"id":6,"methd":"account/logout"}"#, -32600, Value::Null),
        (r#"{"id":6,"method":"account/logout","result":{}}"#, -32600, json!({"path": "result"})),
        (r#"{"id":6,"method":"thread/frobnicate"}"#, -32601, json!({"path": "method"})),
        (
            r#"{"id":6,"method":"thread/archive","params":[]}"#,
            -32602,
            json!({"path": "params", "expected": "an object"}),
        ),
    ] {
        let err = from_client(line).unwrap_err();
        assert!(err.is_answerable(), "{line}");
        let wire = serde_json::to_value(err.to_error_response().unwrap()).unwrap();
        assert_eq!((&wire["id"], &wire["error"]["code"]), (&json!(6), &json!(code)), "{line}");
        assert_eq!(wire["error"].get("data").cloned().unwrap_or(Value::Null), data, "{line}");
    }
    // A response is never answered (the peer waits for nothing), nor is a notification.
    for line in [
        r#"{"id":6,"result":{}}"#,
        r#"{"id":6,"result":{},"error":{"code":1,"message":"x"}}"#,
        r#"{"method":"thread/archive","params":[]}"#,
    ] {
        let err = from_client(line).unwrap_err();
        assert!(!err.is_answerable() && err.to_error_response().is_none(), "{line}");
    }

    let err = from_client("{").unwrap_err();
    assert!(err.to_error_response().is_none(), "a parse error has no id to answer");
}

#[test]
fn optional_params_may_be_left_out_entirely() {
    let message = from_client(r#"{"id":1,"method":"thread/list"}"#).unwrap();
    let ClientMessage::Request(ClientRequest::ThreadList { params, .. }) = &message else {
        panic!()
    };
    assert_eq!(params.cursor, None);
    assert_eq!(params.limit, None);
    assert_eq!(reencoded(&message), json!({"id": 1, "method": "thread/list", "params": {}}));
}

#[test]
fn deprecated_aliases_decode_to_the_canonical_method() {
    for alias in ["mcpServers/list", "mcp/servers/list", "mcpServerStatus/list"] {
        let line = format!(r#"{{"id":1,"method":"{alias}","params":{{"limit":10}}}}"#);
        let message = from_client(&line).unwrap();
        let ClientMessage::Request(request) = &message else { panic!() };
        assert_eq!(request.method(), ClientRequestMethod::McpServerStatusList);
        assert_eq!(
            reencoded(&message),
            json!({"id": 1, "method": "mcpServerStatus/list", "params": {"limit": 10}})
        );
    }
    let message =
        from_client(r#"{"id":2,"method":"mcpServer/oauthLogin","params":{"name":"linear"}}"#)
            .unwrap();
    assert_eq!(
        reencoded(&message),
        json!({"id": 2, "method": "mcpServer/oauth/login", "params": {"name": "linear"}})
    );
}

#[test]
fn responses_are_typed_by_the_pending_request_and_take_it_out() {
    let mut pending = PendingRequests::new();
    pending.insert(RequestId::from("req-1"), ClientRequestMethod::ThreadArchive);
    let message = decode_server_message(r#"{"id":"req-1","result":{}}"#, &mut pending).unwrap();
    let ServerMessage::Response(result) = &message else { panic!() };
    assert_eq!(result.method(), ClientRequestMethod::ThreadArchive);
    assert!(pending.is_empty(), "the answered request is no longer pending");

    let err = decode_server_message(r#"{"id":"req-1","result":{}}"#, &mut pending).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::UnknownResponseId);
    assert_eq!(err.code().0, -32600);
    assert!(err.message.contains("no pending request"), "{err}");
}

#[test]
fn a_result_that_does_not_fit_is_an_invalid_result_with_its_path() {
    let mut pending = PendingRequests::new();
    pending.insert(RequestId::Integer(5), ClientRequestMethod::Initialize);
    let err =
        decode_server_message(r#"{"id":5,"result":{"userAgent":5}}"#, &mut pending).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::InvalidResult);
    assert_eq!(err.code().0, -32603);
    assert_eq!(err.path.as_deref(), Some("result.userAgent"));
    assert_eq!(err.method.as_deref(), Some("initialize"));
}

#[test]
fn error_responses_round_trip_and_answer_the_pending_request() {
    let mut pending = PendingRequests::new();
    pending.insert(RequestId::Integer(4), ServerRequestMethod::CommandExecutionRequestApproval);
    let line =
        r#"{"id":4,"error":{"code":-32603,"message":"client crashed","data":{"detail":"x"}}}"#;
    let message = decode_client_message(line, &mut pending).unwrap();
    assert_eq!(reencoded(&message), serde_json::from_str::<Value>(line).unwrap());
    assert!(pending.is_empty());

    let mut pending = PendingRequests::<ServerRequestMethod>::new();
    pending.insert(RequestId::Integer(4), ServerRequestMethod::CommandExecutionRequestApproval);
    let err = decode_client_message(r#"{"id":4,"error":{"message":"no code"}}"#, &mut pending)
        .unwrap_err();
    assert_eq!(err.path.as_deref(), Some("error.code"));
    assert_eq!(err.method.as_deref(), Some("item/commandExecution/requestApproval"));
    assert_eq!(err.message, "missing required member `code`");
    assert!(pending.is_empty(), "a malformed error still answers its request");
}

#[test]
fn decode_errors_display_code_method_id_and_path() {
    let err = from_client(r#"{"id":12,"method":"thread/archive","params":{"threadId":null}}"#)
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(
            "-32602 (invalid params) in `thread/archive` (id 12) at `params.threadId`: "
        ),
        "{text}"
    );
}

#[test]
fn append_line_adds_the_line_and_its_newline_or_nothing_at_all() {
    let message =
        from_client(r#"{"id":7,"method":"thread/archive","params":{"threadId":"t"}}"#).unwrap();
    let mut out = b"kept\n".to_vec();
    message.append_line(&mut out).unwrap();
    assert_eq!(out, format!("kept\n{}\n", message.to_line().unwrap()).into_bytes());

    // A map whose keys are not strings fails half-way through, after `{` was written: the
    // buffer is left as it was.
    let unencodable = std::collections::BTreeMap::from([((1, 2), "x")]);
    let before = out.clone();
    let error = append_line(&unencodable, &mut out).unwrap_err();
    assert!(error.to_string().contains("key must be a string"), "{error}");
    assert_eq!(out, before);
}
