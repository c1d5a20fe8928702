//! What a client does with what a newer (or older) server sends that the contract does not
//! type: unknown notifications are handed on (or dropped quietly, by configuration) and are not
//! bad lines; a refused notification reaches the stream as an invalid item with its method, so
//! a loop waiting for it learns it came; an unknown server request is answered -32601.

mod support;

use app_server_peer::{Client, NotificationItem, PeerConfig};
use app_server_protocol::{DecodeErrorKind, ServerNotification};
use serde_json::json;
use support::{RawPeer, bounded, halves, reporting};

/// A client over a pipe, and the raw server end that writes to it.
fn client_with(config: PeerConfig) -> (Client, RawPeer) {
    let (client_end, server_end) = tokio::io::duplex(64 * 1024);
    let (reads, writes) = halves(client_end);
    let client = Client::builder().config(config).connect(reads, writes);
    (client, RawPeer::new(server_end))
}

const TOKEN_USAGE: &str = r#"{"method":"thread/tokenUsage/updated","params":{"threadId":"t","turnId":"0","tokenUsage":{"total":{"totalTokens":15}}}}"#;
const LEGACY: &str = r#"{"method":"codex/event/task_started","params":{"id":"0","msg":{"type":"task_started","model_context_window":258400},"conversationId":"01a24e62-e7a2-7321-b0f9-8413b9ff7e51"}}"#;
const TURN_COMPLETED_063: &str =
    r#"{"method":"turn/completed","params":{"turn":{"id":"0","items":[],"status":"completed"}}}"#;

#[tokio::test]
async fn unknown_legacy_and_refused_notifications_all_reach_the_stream_in_order() {
    bounded(10, async {
        let (config, bad_lines) = reporting(PeerConfig::default());
        let (client, mut server) = client_with(config);
        let mut notifications = client.notifications();
        for line in [TOKEN_USAGE, LEGACY, TURN_COMPLETED_063] {
            server.send(line).await;
        }

        let Some(NotificationItem::Unknown(unknown)) = notifications.next().await else {
            panic!("the unknown notification comes first");
        };
        assert_eq!(unknown.method, "thread/tokenUsage/updated");
        assert_eq!(unknown.params.as_ref().unwrap()["tokenUsage"]["total"]["totalTokens"], 15);

        let Some(NotificationItem::Known(ServerNotification::LegacyEvent { params })) =
            notifications.next().await
        else {
            panic!("the legacy event is typed");
        };
        assert_eq!(params.msg.event_type(), "task_started");

        let Some(NotificationItem::Invalid(refused)) = notifications.next().await else {
            panic!("the refused turn/completed still comes");
        };
        assert_eq!(refused.method, "turn/completed");
        assert_eq!(refused.error.kind, DecodeErrorKind::InvalidParams);
        assert_eq!(refused.error.path.as_deref(), Some("params.threadId"));

        // Only the refused one is a bad line; the unknown one is not.
        let bad: Vec<_> = bad_lines.lock().unwrap().iter().map(|bad| bad.line).collect();
        assert_eq!(bad, [3]);
    })
    .await;
}

#[tokio::test]
async fn unknown_notifications_can_be_dropped_quietly() {
    bounded(10, async {
        let (config, bad_lines) =
            reporting(PeerConfig::default().with_unknown_notifications(false));
        let (client, mut server) = client_with(config);
        let mut notifications = client.notifications();
        server.send(TOKEN_USAGE).await;
        server.send(LEGACY).await;
        let first = notifications.next().await.expect("the legacy event");
        assert_eq!(first.method(), "codex/event/task_started");
        assert!(first.known().is_some());
        assert!(bad_lines.lock().unwrap().is_empty(), "an unknown notification is no bad line");
    })
    .await;
}

#[tokio::test]
async fn an_unknown_server_request_is_answered_method_not_found() {
    bounded(10, async {
        let (client, mut server) = client_with(PeerConfig::default());
        let _notifications = client.notifications();
        server.send(r#"{"id":0,"method":"item/tool/requestUserInput","params":{"x":1}}"#).await;
        let answer = server.next_json().await;
        assert_eq!(answer["id"], json!(0));
        assert_eq!(answer["error"]["code"], json!(-32601));
        drop(client);
    })
    .await;
}
