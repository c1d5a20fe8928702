//! Credentials: API keys and tokens are held in `Secret`, whose `Debug` and
//! `Display` redact; on the wire they stay plain strings; and no decode error — its `Display`,
//! its `Debug`, the error response sent back — ever contains one, whatever shape it came in.

use app_server_protocol::Direction;
use app_server_protocol::transcript::TranscriptDecoder;
use app_server_protocol::v1::{GetAuthStatusResponse, LoginApiKeyParams};
use app_server_protocol::v2::LoginAccountParams;
use app_server_protocol::{
    ClientRequest, ClientRequestMethod, DecodeError, PendingRequests, RequestId, Secret,
    decode_client_message, decode_server_message,
};

/// Real-looking credentials: an OpenAI project key, a ChatGPT access token (a JWT), a key
/// without a known prefix, one with JSON escapes in it.
const KEY: &str = "sk-proj-4Qm8xT2vN7bR1kW9zL3cH6yJ0pD5sF8aG2eU7iO1nV4tB9mX";
const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXZhbHVl";
const PLAIN: &str = "Zq81-local-proxy-credential-77";
const ESCAPED_WIRE: &str = r"sk-live\/9f\u0041x7Kq2Lm5Np8Rs";
const ESCAPED: &str = "sk-live/9fAx7Kq2Lm5Np8Rs";

/// Everything a decode error shows anyone: Display, Debug, the error response as sent.
fn shown(err: &DecodeError) -> String {
    let response =
        err.to_error_response().map(|r| serde_json::to_string(&r).unwrap()).unwrap_or_default();
    format!("{err}\n{err:?}\n{response}")
}

fn assert_clean(text: &str, context: &str) {
    for secret in [KEY, JWT, PLAIN, ESCAPED, ESCAPED_WIRE, "4Qm8xT2vN7bR1kW9", "Zq81-local"] {
        assert!(!text.contains(secret), "{context}: shows {secret:?}:\n{text}");
    }
}

#[test]
fn debug_and_display_redact_and_the_wire_is_a_plain_string() {
    let v1 = LoginApiKeyParams::new(KEY);
    let v2 = LoginAccountParams::ApiKey { api_key: Secret::new(KEY) };
    let status = GetAuthStatusResponse::new().with_auth_token(JWT);
    for text in [
        format!("{v1:?}"),
        format!("{v2:?}"),
        format!("{status:?}"),
        format!("{:#?}", v1),
        v1.api_key.to_string(),
    ] {
        assert_clean(&text, "Debug/Display");
        assert!(text.contains("<redacted>"), "{text}");
    }
    assert_eq!(serde_json::to_value(&v1).unwrap(), serde_json::json!({ "apiKey": KEY }));
    assert_eq!(
        serde_json::to_value(&v2).unwrap(),
        serde_json::json!({ "type": "apiKey", "apiKey": KEY })
    );
    assert_eq!(serde_json::to_value(&status).unwrap()["authToken"], JWT);
    assert_eq!(v1.api_key.expose(), KEY);
    assert_eq!(v1.api_key, KEY);
}

#[test]
fn a_decoded_login_shows_no_key_but_keeps_it() {
    let line = format!(
        r#"{{"id":1,"method":"account/login/start","params":{{"type":"apiKey","apiKey":"{KEY}"}}}}"#
    );
    let message = decode_client_message(&line, &mut PendingRequests::new()).unwrap();
    assert_clean(&format!("{message:?}"), "Debug of the decoded message");
    let app_server_protocol::ClientMessage::Request(ClientRequest::AccountLoginStart {
        params,
        ..
    }) = &message
    else {
        panic!("{message:?}")
    };
    let LoginAccountParams::ApiKey { api_key } = params else { panic!() };
    assert_eq!(api_key.expose(), KEY);
    assert_eq!(message.to_line().unwrap(), line);

    let mut pending = PendingRequests::new();
    pending.insert(RequestId::Integer(2), ClientRequestMethod::from_wire("getAuthStatus").unwrap());
    let answer = format!(
        r#"{{"id":2,"result":{{"authMethod":"chatgpt","authToken":"{JWT}","requiresOpenaiAuth":true}}}}"#
    );
    let message = decode_server_message(&answer, &mut pending).unwrap();
    assert_clean(&format!("{message:?}"), "Debug of the decoded response");
}

/// Malformed lines that carry a credential, in every shape a buggy client manages.
fn client_lines() -> Vec<(&'static str, String)> {
    let login =
        |params: String| format!(r#"{{"id":1,"method":"account/login/start","params":{params}}}"#);
    let v1 = |params: String| format!(r#"{{"id":1,"method":"loginApiKey","params":{params}}}"#);
    vec![
        ("key in an array", v1(format!(r#"{{"apiKey":["{KEY}"]}}"#))),
        (
            "key in an object",
            login(format!(r#"{{"type":"apiKey","apiKey":{{"value":"{KEY}","plain":"{PLAIN}"}}}}"#)),
        ),
        ("key as a number", v1(r#"{"apiKey":4159265358979323846}"#.to_owned())),
        ("unknown tag next to the key", login(format!(r#"{{"type":"apikey","apiKey":"{KEY}"}}"#))),
        ("key as the tag", login(format!(r#"{{"type":"{KEY}"}}"#))),
        (
            "unprefixed key as the tag, and as the key",
            login(format!(r#"{{"type":"{PLAIN}","apiKey":"{PLAIN}"}}"#)),
        ),
        ("key under a wrong name", v1(format!(r#"{{"api_key":"{PLAIN}"}}"#))),
        (
            "key as the method",
            format!(r#"{{"id":1,"method":"{PLAIN}","params":{{"apiKey":"{PLAIN}"}}}}"#),
        ),
        (
            "escaped key as the method",
            format!(
                r#"{{"id":1,"method":"{ESCAPED_WIRE}","params":{{"apiKey":"{ESCAPED_WIRE}"}}}}"#
            ),
        ),
        ("key in the id", format!(r#"{{"id":{{"apiKey":"{PLAIN}"}},"method":"loginApiKey"}}"#)),
        (
            "key as the jsonrpc version",
            format!(
                r#"{{"jsonrpc":"{KEY}","id":1,"method":"loginApiKey","params":{{"apiKey":"{KEY}"}}}}"#
            ),
        ),
        (
            "key in a wrong member of another method",
            format!(
                r#"{{"id":1,"method":"thread/archive","params":{{"threadId":{{"token":"{PLAIN}"}}}}}}"#
            ),
        ),
        (
            "key in a string where an enum is expected",
            format!(
                r#"{{"id":1,"method":"config/value/write","params":{{"keyPath":"model","value":1,"mergeStrategy":"{KEY}"}}}}"#
            ),
        ),
        (
            "bearer header as a value",
            format!(r#"{{"id":1,"method":"thread/list","params":{{"limit":"Bearer {JWT}"}}}}"#),
        ),
        ("truncated login", login(format!(r#"{{"type":"apiKey","apiKey":"{KEY}"#))),
        ("key with a raw control character", v1(format!("{{\"apiKey\":\"{KEY}\u{1}\"}}"))),
    ]
}

#[test]
fn no_decode_error_shows_a_credential_whatever_its_shape() {
    for (what, line) in client_lines() {
        let err = decode_client_message(&line, &mut PendingRequests::new()).expect_err(what);
        assert_clean(&shown(&err), what);
    }
}

#[test]
fn nor_through_the_transcript_decoder_or_from_the_server() {
    let mut transcript = TranscriptDecoder::new();
    for (what, line) in client_lines() {
        let err = transcript.decode(Direction::ClientToServer, &line).expect_err(what);
        assert_clean(&shown(&err), what);
    }
    let mut pending = PendingRequests::new();
    for token in
        [format!("[\"{JWT}\"]"), format!("{{\"jwt\":\"{JWT}\"}}"), "31415926535897932".to_owned()]
    {
        pending.insert(
            RequestId::Integer(2),
            ClientRequestMethod::from_wire("getAuthStatus").unwrap(),
        );
        let answer = format!(
            r#"{{"id":2,"result":{{"authMethod":"chatgpt","authToken":{token},"requiresOpenaiAuth":"{PLAIN}"}}}}"#
        );
        let err = decode_server_message(&answer, &mut pending).unwrap_err();
        assert_clean(&shown(&err), &answer);
        assert!(!shown(&err).contains("31415926535897932"), "{}", shown(&err));
    }
}

#[test]
fn a_wrongly_shaped_secret_is_named_by_kind_only() {
    let line = r#"{"id":1,"method":"loginApiKey","params":{"apiKey":4159265358979323846}}"#;
    let err = decode_client_message(line, &mut PendingRequests::new()).unwrap_err();
    assert_eq!((err.code().0, err.path.as_deref()), (-32602, Some("params.apiKey")));
    assert_eq!(
        err.message,
        "expected a string (a secret: its value is not shown), found an integer"
    );
    assert!(!shown(&err).contains("4159265358979323846"));
}
