//! The hostile-input table: what a buggy, truncated or hostile peer can send,
//! and the typed error each line gets — JSON-RPC code, path and exact message — through the
//! public entry points. Never a panic, never unbounded memory. (Both decoder paths are
//! compared line by line in `protocol/src/codec/tests.rs`.)
//!
//! Decisions recorded here: a UTF-8 byte order mark is refused (-32700), not skipped; a NUL
//! written as `\u0000` inside a string is data, a raw NUL byte is not JSON; `-0` is not an
//! integer; a member nobody reads is skipped whatever its depth.

use app_server_protocol::{
    ClientRequestMethod, DecodeError, DecodeErrorKind, DecodeLimits, PendingRequests, RequestId,
    ServerRequestMethod, decode_client_message, decode_client_message_bytes,
    decode_client_message_with, decode_server_message, decode_server_message_bytes,
};

const MIB: usize = 1024 * 1024;
const NESTING: &str =
    "nested too deeply: more than 128 levels of arrays and objects (the decoder's limit)";
const NUL_AT: &str = "; control characters must be escaped (`\\u0000`) inside strings and cannot appear outside them";
const BOM: &str = "not valid JSON: the line starts with a UTF-8 byte order mark (U+FEFF); JSON sent over the wire must not start with one (RFC 8259 §8.1): send the message without it";

/// Who sent the line: decoded with `decode_client_message_bytes` or `decode_server_message_bytes`.
#[derive(Clone, Copy, Debug)]
enum Sender {
    Client,
    Server,
}

struct Case {
    what: &'static str,
    from: Sender,
    line: Vec<u8>,
    code: i64,
    path: Option<String>,
    message: String,
}

fn case(
    what: &'static str,
    from: Sender,
    line: impl Into<Vec<u8>>,
    code: i64,
    path: Option<&str>,
    message: impl Into<String>,
) -> Case {
    Case {
        what,
        from,
        line: line.into(),
        code,
        path: path.map(str::to_owned),
        message: message.into(),
    }
}

fn decode(from: Sender, line: &[u8]) -> Result<(), DecodeError> {
    let limits = DecodeLimits::default();
    match from {
        Sender::Client => {
            decode_client_message_bytes(line, &mut PendingRequests::new(), &limits).map(drop)
        }
        Sender::Server => {
            decode_server_message_bytes(line, &mut PendingRequests::new(), &limits).map(drop)
        }
    }
}

fn deep(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

fn request(method: &str, params: &str) -> String {
    format!(r#"{{"id":1,"method":"{method}","params":{params}}}"#)
}

fn table() -> Vec<Case> {
    use Sender::{Client, Server};
    let summary_part = |index: &str| {
        format!(
            r#"{{"method":"item/reasoning/summaryPartAdded","params":{{"itemId":"rs_1","summaryIndex":{index}}}}}"#
        )
    };
    let id_error =
        |found: &str| format!("`id` must be a string or a 64-bit integer, found {found}");
    let mut huge = request("thread/archive", r#"{"threadId":""}"#).into_bytes();
    huge.splice(huge.len() - 3..huge.len() - 3, std::iter::repeat_n(b'x', 100 * MIB - huge.len()));
    let mut not_utf8 = request("thread/archive", r#"{"threadId":"thr_"}"#).into_bytes();
    not_utf8.insert(not_utf8.len() - 3, 0xff);
    let mut cut_char = request("thread/archive", r#"{"threadId":"thr_"}"#).into_bytes();
    cut_char.extend([0xe2, 0x82]);
    let mut nul = request("thread/archive", r#"{"threadId":"thr_"}"#).into_bytes();
    nul.insert(nul.len() - 3, 0);
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend(br#"{"id":1,"method":"account/logout"}"#);

    vec![
        case(
            "a 100 MiB line",
            Client,
            huge,
            -32600,
            None,
            format!(
                "message too large: {} bytes, the limit is 16777216 bytes; it was not parsed",
                100 * MIB
            ),
        ),
        case(
            "100 000-deep arrays in a JSON value",
            Client,
            request(
                "config/value/write",
                &format!(
                    r#"{{"keyPath":"model","mergeStrategy":"replace","value":{}}}"#,
                    deep("[", "]", 100_000)
                ),
            ),
            -32602,
            Some(&format!("params.value{}", "[0]".repeat(126))),
            NESTING,
        ),
        case(
            "100 000-deep objects in a JSON value",
            Client,
            request(
                "config/value/write",
                &format!(
                    r#"{{"keyPath":"model","mergeStrategy":"replace","value":{}1{}}}"#,
                    "{\"a\":".repeat(100_000),
                    "}".repeat(100_000)
                ),
            ),
            -32602,
            Some(&format!("params.value{}", ".a".repeat(126))),
            NESTING,
        ),
        case(
            "100 000-deep arrays as the line",
            Client,
            deep("[", "]", 100_000),
            -32600,
            None,
            "not a JSON-RPC message: a top-level array (batches are not supported); expected an object",
        ),
        case(
            "100 000-deep arrays as params",
            Client,
            request("thread/archive", &deep("[", "]", 100_000)),
            -32602,
            Some("params"),
            "`params` must be an object (params are passed by name), found an array",
        ),
        case(
            "1e400 as id",
            Client,
            r#"{"id":1e400,"method":"account/logout"}"#,
            -32600,
            Some("id"),
            id_error("1e400"),
        ),
        case(
            "-0 as id",
            Client,
            r#"{"id":-0,"method":"account/logout"}"#,
            -32600,
            Some("id"),
            id_error("-0"),
        ),
        case(
            "2^64 as id",
            Client,
            r#"{"id":18446744073709551616,"method":"account/logout"}"#,
            -32600,
            Some("id"),
            id_error("18446744073709551616"),
        ),
        case(
            "1e400 as a u32 (thread/list limit)",
            Client,
            request("thread/list", r#"{"limit":1e400}"#),
            -32602,
            Some("params.limit"),
            "number out of range",
        ),
        case(
            "-0 as a u32",
            Client,
            request("thread/list", r#"{"limit":-0}"#),
            -32602,
            Some("params.limit"),
            "expected an integer from 1 to 4294967295, found -0.0",
        ),
        case(
            "2^64 as a u32",
            Client,
            request("thread/list", r#"{"limit":18446744073709551616}"#),
            -32602,
            Some("params.limit"),
            "expected an integer from 1 to 4294967295, found 1.8446744073709552e+19",
        ),
        case(
            "0 as a page size (thread/list limit)",
            Client,
            request("thread/list", r#"{"limit":0}"#),
            -32602,
            Some("params.limit"),
            "expected an integer from 1 to 4294967295, found 0",
        ),
        case(
            "1e400 as an i64 (summaryIndex)",
            Server,
            summary_part("1e400"),
            -32602,
            Some("params.summaryIndex"),
            "number out of range",
        ),
        case(
            "-0 as an i64",
            Server,
            summary_part("-0"),
            -32602,
            Some("params.summaryIndex"),
            "expected an integer from -9223372036854775808 to 9223372036854775807, found -0.0",
        ),
        case(
            "2^64 as an i64",
            Server,
            summary_part("18446744073709551616"),
            -32602,
            Some("params.summaryIndex"),
            "expected an integer from -9223372036854775808 to 9223372036854775807, found 1.8446744073709552e+19",
        ),
        case(
            "invalid UTF-8",
            Client,
            not_utf8,
            -32700,
            None,
            "not UTF-8: invalid byte 0xFF at byte offset 60",
        ),
        case(
            "a line cut inside a character",
            Client,
            cut_char,
            -32700,
            None,
            "not UTF-8: the line ends inside a multi-byte character that starts at byte offset 63",
        ),
        case(
            "a raw NUL byte in a string",
            Client,
            nul,
            -32700,
            None,
            format!("not valid JSON: a NUL byte (0x00) at byte offset 60{NUL_AT}"),
        ),
        case(
            "a raw NUL byte between members",
            Client,
            &b"{\"method\":\"initialized\",\0}"[..],
            -32700,
            None,
            format!("not valid JSON: a NUL byte (0x00) at byte offset 24{NUL_AT}"),
        ),
        case("a UTF-8 byte order mark", Client, bom, -32700, None, BOM),
        case(
            "a duplicate envelope member",
            Client,
            r#"{"id":1,"method":"account/logout","id":2}"#,
            -32600,
            Some("id"),
            "duplicate member `id`: each member of a message may appear once",
        ),
        case(
            "a duplicate params member",
            Client,
            request("thread/archive", r#"{"threadId":"a","threadId":"b"}"#),
            -32602,
            Some("params.threadId"),
            "duplicate member `threadId`: a member may appear only once",
        ),
        case(
            "a duplicate member of a tagged union",
            Client,
            request("account/login/start", r#"{"type":"chatgpt","type":"apiKey"}"#),
            -32602,
            // The union is decoded tag-first, so the path names the repeated member.
            Some("params.type"),
            "duplicate member `type`: a member may appear only once",
        ),
        case(
            "\"id\": null",
            Client,
            r#"{"id":null,"method":"account/logout"}"#,
            -32600,
            Some("id"),
            id_error("null"),
        ),
        case(
            "\"params\": [] where an object is expected",
            Client,
            request("thread/archive", "[]"),
            -32602,
            Some("params"),
            "`params` must be an object (params are passed by name), found an array",
        ),
        case(
            "positional params",
            Client,
            request("turn/interrupt", r#"["thr_1","turn_2"]"#),
            -32602,
            Some("params"),
            "`params` must be an object (params are passed by name), found an array",
        ),
        case(
            "positional params before the method",
            Client,
            r#"{"params":["thr_1","turn_2"],"id":1,"method":"turn/interrupt"}"#,
            -32602,
            Some("params"),
            "`params` must be an object (params are passed by name), found an array",
        ),
        case(
            "an array where a struct is expected inside the params",
            Client,
            request("turn/start", r#"{"threadId":"t","input":[["text","hi"]]}"#),
            -32602,
            Some("params.input[0]"),
            "expected an object, found an array",
        ),
        case(
            "a missing member",
            Client,
            request("turn/interrupt", r#"{"threadId":"thr_1"}"#),
            -32602,
            Some("params.turnId"),
            "missing required member `turnId`",
        ),
        case(
            "a method that is not a string",
            Client,
            r#"{"id":6,"method":123}"#,
            -32600,
            Some("method"),
            "`method` must be a string, found 123",
        ),
        case(
            "a response without an id",
            Server,
            r#"{"result":{}}"#,
            -32600,
            Some("id"),
            "a response must carry the `id` of the request it answers",
        ),
        case(
            "a response to no request (client side)",
            Server,
            r#"{"id":99,"result":{}}"#,
            -32600,
            Some("id"),
            "this answers no pending request: no request with id 99 is waiting for an answer",
        ),
        case(
            "an error response to no request (client side)",
            Server,
            r#"{"id":"req-7","error":{"code":-32603,"message":"boom"}}"#,
            -32600,
            Some("id"),
            "this answers no pending request: no request with id \"req-7\" is waiting for an answer",
        ),
        case(
            "a response to no request (server side)",
            Client,
            r#"{"id":5,"result":{"decision":"accept"}}"#,
            -32600,
            Some("id"),
            "this answers no pending request: no request with id 5 is waiting for an answer",
        ),
        case(
            "an empty line",
            Client,
            "",
            -32700,
            None,
            "not valid JSON: EOF while parsing a value at line 1 column 0",
        ),
    ]
}

#[test]
fn the_hostile_input_table() {
    let mut failures = Vec::new();
    for case in table() {
        let got = decode(case.from, &case.line);
        let Err(err) = got else {
            failures
                .push(format!("{}: decoded, expected {} {:?}", case.what, case.code, case.message));
            continue;
        };
        let expected_kind = err.kind; // the code is the typed kind's code
        assert_eq!(expected_kind.code().0, err.code().0);
        if (err.code().0, &err.path, &err.message) != (case.code, &case.path, &case.message) {
            let path = err.path.as_deref().map(|p| {
                if p.len() > 80 {
                    format!("{}… ({} bytes)", &p[..80], p.len())
                } else {
                    p.to_owned()
                }
            });
            failures.push(format!(
                "{}:\n    got      {} {path:?} {:?}\n    expected {} {:?}",
                case.what,
                err.code().0,
                err.message,
                case.code,
                case.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the table failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_size_limit_is_checked_before_parsing_or_utf8_and_is_configurable() {
    // 100 MiB of invalid bytes: refused for its size, not for its bytes — nothing was read.
    let junk = vec![0xffu8; 100 * MIB];
    let err =
        decode_client_message_bytes(&junk, &mut PendingRequests::new(), &DecodeLimits::default())
            .unwrap_err();
    assert_eq!((err.kind, err.code().0), (DecodeErrorKind::MessageTooLarge, -32600));
    assert!(err.to_error_response().is_none(), "nothing was read, so there is no id to answer");

    let line = r#"{"id":1,"method":"account/logout"}"#;
    let exact = DecodeLimits::default().with_max_message_bytes(line.len());
    assert!(decode_client_message_with(line, &mut PendingRequests::new(), &exact).is_ok());
    let tight = DecodeLimits::default().with_max_message_bytes(line.len() - 1);
    let err = decode_client_message_with(line, &mut PendingRequests::new(), &tight).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "message too large: {} bytes, the limit is {} bytes; it was not parsed",
            line.len(),
            line.len() - 1
        )
    );
    assert_eq!(DecodeLimits::default().max_message_bytes, 16 * MIB);
}

#[test]
fn what_is_accepted_on_purpose() {
    let mut pending = PendingRequests::<ServerRequestMethod>::new();
    // An escaped NUL is a character like any other.
    let line = r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_\u0000"}}"#;
    let message = decode_client_message(line, &mut pending).unwrap();
    assert_eq!(message.to_line().unwrap(), line);
    // U+FEFF inside a string is data; only a line that starts with it is refused.
    let line = "{\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"\u{feff}thr\"}}";
    assert!(decode_client_message(line, &mut pending).is_ok());
    // A member nobody reads is skipped without recursion, whatever its depth.
    let line =
        format!(r#"{{"id":1,"method":"account/logout","trace":{}}}"#, deep("[", "]", 100_000));
    assert!(decode_client_message(&line, &mut pending).is_ok());
    // The deepest value accepted: 128 levels counting the line's own object.
    let value = deep("[", "]", 125);
    let line = request(
        "config/value/write",
        &format!(r#"{{"keyPath":"k","value":{value},"mergeStrategy":"replace"}}"#),
    );
    assert_eq!(decode_client_message(&line, &mut pending).unwrap().to_line().unwrap(), line);
}

#[test]
fn an_answer_is_matched_once_then_reported_as_unknown() {
    let mut pending = PendingRequests::<ClientRequestMethod>::new();
    pending
        .insert(RequestId::Integer(3), ClientRequestMethod::from_wire("account/logout").unwrap());
    assert!(decode_server_message(r#"{"id":3,"result":{}}"#, &mut pending).is_ok());
    let err = decode_server_message(r#"{"id":3,"result":{}}"#, &mut pending).unwrap_err();
    assert_eq!(
        (err.kind, err.code().0, err.id),
        (DecodeErrorKind::UnknownResponseId, -32600, Some(RequestId::Integer(3)))
    );
}
