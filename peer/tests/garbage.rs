//! Lines a peer cannot use: each is reported with its line number, answered where the
//! protocol says so (a request whose id could be read), and skipped; the connection goes on.
//! Lines over the configured limit are skipped without being parsed.

mod support;

use app_server_peer::{CallError, Client, PeerConfig, Server};
use app_server_protocol::method::{ThreadArchive, ThreadResume};
use app_server_protocol::{DecodeErrorKind, v2};
use serde_json::json;
use support::{RawPeer, TestServer, archive, bounded, halves, reporting, resume};

fn server_with(config: PeerConfig) -> RawPeer {
    let (client_end, server_end) = tokio::io::duplex(64 * 1024);
    let (reads, writes) = halves(server_end);
    tokio::spawn(Server::new(TestServer::default()).config(config).serve(reads, writes));
    RawPeer::new(client_end)
}

const ARCHIVE_3: &str = r#"{"id":3,"method":"thread/archive","params":{"threadId":"thr_1"}}"#;

#[tokio::test]
async fn bad_lines_are_reported_answered_where_due_and_the_next_request_is_served() {
    bounded(10, async {
        let (config, bad_lines) = reporting(PeerConfig::default());
        let mut client = server_with(config);
        client.send("not json").await;
        client.send(r#"{"id":1,"method":"no/such/method"}"#).await;
        client.send(r#"{"id":2,"method":"thread/archive","params":{"threadId":42}}"#).await;
        client.send_bytes(b"{\"method\":\"initialized\",\"x\":\"\xff\"}\n").await;
        client.send("").await;
        client.send(ARCHIVE_3).await;

        let not_served = client.next_json().await;
        assert_eq!(
            (not_served["id"].clone(), not_served["error"]["code"].clone()),
            (json!(1), json!(-32601))
        );
        let bad_params = client.next_json().await;
        assert_eq!(
            (bad_params["id"].clone(), bad_params["error"]["code"].clone()),
            (json!(2), json!(-32602))
        );
        assert!(bad_params["error"]["message"].as_str().unwrap().contains("params.threadId"));
        assert_eq!(
            client.next_json().await,
            json!({"id": 3, "result": {}}),
            "the connection went on"
        );

        let bad_lines = bad_lines.lock().unwrap();
        let seen: Vec<_> = bad_lines.iter().map(|bad| (bad.line, bad.error.kind)).collect();
        assert_eq!(
            seen,
            [
                (1, DecodeErrorKind::Parse),
                (2, DecodeErrorKind::MethodNotFound),
                (3, DecodeErrorKind::InvalidParams),
                (4, DecodeErrorKind::Parse),
            ]
        );
        assert!(bad_lines[3].error.message.contains("not UTF-8"), "{}", bad_lines[3].error.message);
    })
    .await;
}

#[tokio::test]
async fn a_line_over_the_configured_limit_is_skipped_and_reported_and_the_next_is_served() {
    bounded(10, async {
        let limit = 1024;
        let (config, bad_lines) = reporting(PeerConfig::default().with_max_line_bytes(limit));
        let mut client = server_with(config);
        let huge = format!(
            r#"{{"id":1,"method":"thread/archive","params":{{"threadId":"{}"}}}}"#,
            "x".repeat(1024 * 1024)
        );
        client.send(&huge).await;
        // A line of exactly the limit is accepted (padded with JSON whitespace), one byte
        // more is refused.
        let at_limit = format!("{ARCHIVE_3:<limit$}");
        client.send(&at_limit).await;
        client.send(&format!("{at_limit} ")).await;
        client.send(&at_limit.replace(r#""id":3"#, r#""id":4"#)).await;

        assert_eq!(client.next_json().await, json!({"id": 3, "result": {}}));
        assert_eq!(client.next_json().await, json!({"id": 4, "result": {}}));
        let bad_lines = bad_lines.lock().unwrap();
        let seen: Vec<_> = bad_lines.iter().map(|bad| (bad.line, bad.error.kind)).collect();
        assert_eq!(
            seen,
            [(1, DecodeErrorKind::MessageTooLarge), (3, DecodeErrorKind::MessageTooLarge)]
        );
        let expected = format!("{} bytes, the limit is 1024 bytes", huge.len());
        assert!(bad_lines[0].error.message.contains(&expected), "{}", bad_lines[0].error.message);
    })
    .await;
}

#[tokio::test]
async fn a_client_reports_a_servers_bad_lines_and_a_result_that_does_not_fit_fails_its_call() {
    bounded(10, async {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (config, bad_lines) = reporting(PeerConfig::default());
        let (reads, writes) = halves(client_end);
        let client = Client::builder().config(config).connect(reads, writes);
        let mut server = RawPeer::new(server_end);

        let call = client.request::<ThreadResume>(resume("thr_1"));
        let answer_badly = async {
            let request = server.next_json().await;
            server.send("[1, 2").await;
            server.send(r#"{"method":"turn/started","params":{"threadId":1}}"#).await;
            server.send(&format!(r#"{{"id":{},"result":{{"thread":42}}}}"#, request["id"])).await;
        };
        let (failed, ()) = tokio::join!(call, answer_badly);
        let Err(CallError::Protocol(error)) = failed else {
            panic!("a result that does not fit fails the call: {failed:?}");
        };
        assert_eq!(
            (error.kind, error.path.as_deref()),
            (DecodeErrorKind::InvalidResult, Some("result.thread"))
        );

        let next = client.request::<ThreadArchive>(archive("thr_2"));
        let answer_well = async {
            let request = server.next_json().await;
            server.send(&format!(r#"{{"id":{},"result":{{}}}}"#, request["id"])).await;
        };
        let (answered, ()) = tokio::join!(next, answer_well);
        assert_eq!(answered.unwrap(), v2::ThreadArchiveResponse::default());
        let kinds: Vec<_> = bad_lines.lock().unwrap().iter().map(|bad| bad.error.kind).collect();
        assert_eq!(
            kinds,
            [
                DecodeErrorKind::Parse,
                DecodeErrorKind::InvalidParams,
                DecodeErrorKind::InvalidResult
            ]
        );
    })
    .await;
}
