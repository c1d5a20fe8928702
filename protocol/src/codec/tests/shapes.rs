//! Hostile but parseable shapes on both decoder paths: arrays, strings, numbers and `null` where
//! params or a result (an object) is expected, and arrays nested where an object is expected.
//! Members are passed by name, so every one of them is refused: the fast path gives up and the
//! diagnostic path reports the code and the path.

use super::{DecodeError, PendingRequests, Sender, diagnose, fast_path};
use crate::codec::{ClientToServer, ServerToClient};
use crate::methods::{ClientRequestMethod, ServerRequestMethod};

/// A line, who sent it, the request it answers (id 1, that method) and the expected verdict.
struct Shape {
    from_client: bool,
    answers: Option<&'static str>,
    line: String,
    code: i64,
    path: &'static str,
}

fn client(line: impl Into<String>, code: i64, path: &'static str) -> Shape {
    Shape { from_client: true, answers: None, line: line.into(), code, path }
}

fn server(line: impl Into<String>, code: i64, path: &'static str) -> Shape {
    Shape { from_client: false, answers: None, line: line.into(), code, path }
}

fn answering(method: &'static str, shape: Shape) -> Shape {
    Shape { answers: Some(method), ..shape }
}

fn request(method: &str, params: &str) -> String {
    format!(r#"{{"id":1,"method":"{method}","params":{params}}}"#)
}

fn result(value: &str) -> String {
    format!(r#"{{"id":1,"result":{value}}}"#)
}

fn table() -> Vec<Shape> {
    let mut shapes = Vec::new();
    // Params that are not an object, for a method with params, one without, a notification.
    for params in [r#"["thr_1","turn_2"]"#, r#"[]"#, r#""thr_1""#, "3", "true", "[{}]"] {
        shapes.push(client(request("turn/interrupt", params), -32602, "params"));
        shapes.push(client(request("account/logout", params), -32602, "params"));
        shapes.push(client(
            format!(r#"{{"method":"initialized","params":{params}}}"#),
            -32602,
            "params",
        ));
        shapes.push(client(request("getConversationSummary", params), -32602, "params"));
        // The params before the method: kept raw by the fast path, decoded at the end.
        shapes.push(client(
            format!(r#"{{"params":{params},"id":1,"method":"turn/interrupt"}}"#),
            -32602,
            "params",
        ));
        shapes.push(server(
            format!(r#"{{"method":"turn/started","params":{params}}}"#),
            -32602,
            "params",
        ));
    }
    // `null` params read as absent: the missing member is named.
    shapes.push(client(request("turn/interrupt", "null"), -32602, "params.threadId"));
    // Results that are not an object: answers to the client's requests and to approvals.
    for value in [r#"["canceled"]"#, "[]", r#""canceled""#, "0", "false", "null"] {
        shapes.push(answering("account/login/cancel", server(result(value), -32603, "result")));
        shapes.push(answering("thread/archive", server(result(value), -32603, "result")));
        shapes.push(answering(
            "item/commandExecution/requestApproval",
            client(result(value), -32603, "result"),
        ));
        shapes.push(answering("execCommandApproval", client(result(value), -32603, "result")));
        shapes.push(answering(
            "account/login/cancel",
            server(format!(r#"{{"result":{value},"id":1}}"#), -32603, "result"),
        ));
        if value != "null" {
            shapes.push(answering(
                "account/login/cancel",
                server(format!(r#"{{"id":1,"error":{value}}}"#), -32603, "error"),
            ));
        }
    }
    // Arrays nested where an object is expected.
    let nested: [(bool, Option<&'static str>, String, i64, &'static str); 13] = [
        (
            true,
            None,
            request("turn/start", r#"{"threadId":"t","input":[["text","hi"]]}"#),
            -32602,
            "params.input[0]",
        ),
        (
            true,
            None,
            request(
                "turn/start",
                r#"{"threadId":"t","input":[{"type":"text","text":"hi"}],"sandboxPolicy":["readOnly"]}"#,
            ),
            -32602,
            "params.sandboxPolicy",
        ),
        (
            true,
            None,
            request("thread/resume", r#"{"threadId":"t","history":[["message","user",[]]]}"#),
            -32602,
            "params.history[0]",
        ),
        (
            true,
            None,
            request(
                "thread/resume",
                r#"{"threadId":"t","history":[{"type":"ghost_snapshot","ghost_commit":["abc",null,[],[]]}]}"#,
            ),
            -32602,
            "params.history[0].ghost_commit",
        ),
        (
            true,
            None,
            request(
                "thread/resume",
                r#"{"threadId":"t","history":[{"ghost_commit":["abc",null,[],[]],"type":"ghost_snapshot"}]}"#,
            ),
            -32602,
            // The tag after the content: buffered, and the error still names its member.
            "params.history[0].ghost_commit",
        ),
        (
            true,
            None,
            request(
                "thread/resume",
                r#"{"threadId":"t","history":[{"type":"web_search_call","action":["search","q"]}]}"#,
            ),
            -32602,
            "params.history[0].action",
        ),
        (
            true,
            None,
            request(
                "sendUserMessage",
                r#"{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8","items":[{"type":"text","data":["hi"]}]}"#,
            ),
            -32602,
            "params.items[0].data",
        ),
        (
            true,
            None,
            request(
                "sendUserMessage",
                r#"{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8","items":[{"data":["hi"],"type":"text"}]}"#,
            ),
            -32602,
            "params.items[0]",
        ),
        (
            true,
            None,
            request(
                "sendUserMessage",
                r#"{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8","items":[["text",{"text":"hi"}]]}"#,
            ),
            -32602,
            "params.items[0]",
        ),
        (
            true,
            Some("item/commandExecution/requestApproval"),
            result(r#"{"decision":{"acceptWithExecpolicyAmendment":[["cargo","test"]]}}"#),
            -32603,
            "result.decision.acceptWithExecpolicyAmendment",
        ),
        (
            true,
            Some("item/commandExecution/requestApproval"),
            result(r#"{"decision":"accept","acceptSettings":[true]}"#),
            -32603,
            "result.acceptSettings",
        ),
        (false, Some("initialize"), result(r#"["agent/1.0"]"#), -32603, "result"),
        (
            true,
            None,
            request("initialize", r#"{"clientInfo":["vscode","Visual Studio Code","1.2.3"]}"#),
            -32602,
            "params.clientInfo",
        ),
    ];
    for (from_client, answers, line, code, path) in nested {
        shapes.push(Shape { from_client, answers, line, code, path });
    }
    shapes
}

/// The fast path's message (it should have none) and the diagnostic path's verdict.
fn run(shape: &Shape) -> (bool, Result<(), DecodeError>) {
    fn on<S: Sender>(
        line: &str,
        pending: PendingRequests<S::AnsweredMethod>,
    ) -> (bool, Result<(), DecodeError>) {
        let fast = fast_path::<S>(line, &pending).is_some();
        (fast, diagnose::<S, ()>(line, &mut pending.clone()).map(drop))
    }
    if shape.from_client {
        let mut pending = PendingRequests::new();
        if let Some(method) = shape.answers {
            pending.insert(1.into(), ServerRequestMethod::from_wire(method).unwrap());
        }
        on::<ClientToServer>(&shape.line, pending)
    } else {
        let mut pending = PendingRequests::new();
        if let Some(method) = shape.answers {
            pending.insert(1.into(), ClientRequestMethod::from_wire(method).unwrap());
        }
        on::<ServerToClient>(&shape.line, pending)
    }
}

#[test]
fn hostile_shapes_are_refused_by_both_paths_with_code_and_path() {
    let mut failures = Vec::new();
    for shape in table() {
        let (fast, slow) = run(&shape);
        let got = match &slow {
            Ok(()) => "decoded".to_owned(),
            Err(err) => format!("{} {:?}: {}", err.code().0, err.path.as_deref(), err.message),
        };
        let ok = !fast
            && slow.as_ref().is_err_and(|err| {
                (err.code().0, err.path.as_deref()) == (shape.code, Some(shape.path))
            });
        if !ok {
            failures.push(format!(
                "{}\n    fast path decoded: {fast}\n    got      {got}\n    expected {} {:?}",
                shape.line, shape.code, shape.path
            ));
        }
    }
    assert!(failures.is_empty(), "{} shapes failed:\n{}", failures.len(), failures.join("\n"));
}
