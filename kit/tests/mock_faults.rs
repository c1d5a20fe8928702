//! Every `--fault` of the mock, against the real binary: each breaks exactly what it says.

mod mock_support;

use std::time::{Duration, Instant};

use mock_support::{RawMock, bounded};
use serde_json::{Value, json};

/// Starts a thread and a turn and reads every line up to `turn/completed` (or the mock's
/// EOF), declining each approval. Returns the thread/start answer, the turn/start answer and
/// the lines in between.
async fn raw_turn(mock: &mut RawMock) -> (Value, Value, Vec<Value>) {
    let thread = mock.call("thread/start", json!({})).await;
    let thread_id = thread["result"]["thread"]["id"].clone();
    let turn = mock
        .call(
            "turn/start",
            json!({ "threadId": thread_id, "input": [{ "type": "text", "text": "hi" }] }),
        )
        .await;
    let mut lines = std::mem::take(&mut mock.skipped);
    while let Some(message) = mock.next_json().await {
        if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
            mock.send(&json!({ "id": id, "result": { "decision": "decline" } }).to_string()).await;
        }
        let done = message["method"] == "turn/completed";
        lines.push(message);
        if done {
            break;
        }
    }
    (thread, turn, lines)
}

fn with_method<'a>(lines: &'a [Value], method: &str) -> Vec<&'a Value> {
    lines.iter().filter(|line| line["method"] == method).collect()
}

#[tokio::test]
async fn short_page_with_cursor_leaves_a_page_short_although_more_remain() {
    bounded(30, async {
        let mut mock =
            RawMock::initialized(&["--speed", "0", "--fault", "short-page-with-cursor"]).await;
        for _ in 0..5 {
            mock.listed_thread(json!({})).await;
        }
        let page = mock.call("thread/list", json!({ "limit": 2 })).await;
        assert_eq!(page["result"]["data"].as_array().unwrap().len(), 1, "{page}");
        assert!(page["result"]["nextCursor"].is_string(), "{page}");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn cancel_errors_makes_a_second_cancel_an_error() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0", "--fault", "cancel-errors"]).await;
        let login = mock.call("account/login/start", json!({ "type": "chatgpt" })).await;
        let id = login["result"]["loginId"].clone();
        assert_eq!(
            mock.call("account/login/cancel", json!({ "loginId": id })).await["result"]["status"],
            "canceled"
        );
        let second = mock.call("account/login/cancel", json!({ "loginId": id })).await;
        assert_eq!(second["error"]["code"], -32600, "{second}");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn turn_without_error_leaves_error_out_of_every_turn() {
    bounded(30, async {
        let mut mock =
            RawMock::initialized(&["--speed", "0", "--fault", "turn-without-error"]).await;
        let (_, turn, lines) = raw_turn(&mut mock).await;
        assert!(turn["result"]["turn"].get("error").is_none(), "{turn}");
        for method in ["turn/started", "turn/completed"] {
            let sent = with_method(&lines, method);
            assert_eq!(sent.len(), 1, "{method}");
            assert!(sent[0]["params"]["turn"].get("error").is_none(), "{}", sent[0]);
            assert!(sent[0]["params"]["turn"].get("status").is_some());
        }
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn notification_without_thread_id_strips_item_notifications_only() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&[
            "--scenario",
            mock_support::DEMO,
            "--speed",
            "0",
            "--fault",
            "notification-without-thread-id",
        ])
        .await;
        let (_, _, lines) = raw_turn(&mut mock).await;
        let items = with_method(&lines, "item/started");
        assert!(!items.is_empty());
        assert!(
            items.iter().all(|line| line["params"].get("threadId").is_none()
                && line["params"]["turnId"].is_string())
        );
        assert!(
            with_method(&lines, "item/completed")
                .iter()
                .all(|line| line["params"].get("threadId").is_none())
        );
        assert!(
            with_method(&lines, "turn/started")[0]["params"]["threadId"].is_string(),
            "turn/* keep it"
        );
        let approval = lines
            .iter()
            .find(|line| line["method"] == "item/commandExecution/requestApproval")
            .unwrap();
        assert!(approval["params"]["threadId"].is_string(), "a request is no notification");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn wrong_result_type_and_snake_case_key_break_the_thread_start_result() {
    bounded(30, async {
        let mut mock =
            RawMock::initialized(&["--speed", "0", "--fault", "wrong-result-type"]).await;
        let answer = mock.call("thread/start", json!({})).await;
        assert_eq!(answer["result"], json!({ "data": [], "nextCursor": null }));
        mock.finish().await;

        let mut mock = RawMock::initialized(&["--speed", "0", "--fault", "snake-case-key"]).await;
        let answer = mock.call("thread/start", json!({})).await;
        assert_eq!(answer["result"]["model_provider"], "openai", "{answer}");
        assert!(answer["result"].get("modelProvider").is_none());
        assert_eq!(answer["result"]["thread"]["modelProvider"], "openai", "only the one key");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn hang_answers_initialize_then_nothing() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0", "--fault", "hang"]).await;
        mock.send(r#"{"id":1,"method":"thread/list","params":{}}"#).await;
        // Nothing comes: not within a second, and not at the end either.
        let nothing = tokio::time::timeout(Duration::from_secs(1), mock.next_line()).await;
        assert!(nothing.is_err(), "the hung mock wrote {nothing:?}");
        assert!(mock.finish().await.success(), "the client's EOF still ends it");
    })
    .await;
}

#[tokio::test]
async fn delay_error_and_drop_response_apply_to_their_method_only() {
    bounded(30, async {
        let args = [
            "--speed",
            "0",
            "--fault",
            "delay=thread/list:300",
            "--fault",
            "error=model/list:-32099",
            "--fault",
            "drop-response=account/read",
        ];
        let mut mock = RawMock::initialized(&args).await;
        let began = Instant::now();
        let list = mock.call("thread/list", json!({})).await;
        assert!(began.elapsed() >= Duration::from_millis(300), "{:?}", began.elapsed());
        assert!(list["result"].is_object());
        let models = mock.call("model/list", json!({})).await;
        assert_eq!(models["error"]["code"], -32099, "{models}");
        mock.send(r#"{"id":"dropped","method":"account/read","params":{}}"#).await;
        let after = mock.call("account/rateLimits/read", Value::Null).await;
        assert!(after["result"]["rateLimits"].is_object(), "{after}");
        drop(mock.skipped.drain(..));
        // Up to the end, the dropped request is never answered.
        mock.send(r#"{"id":"last","method":"thread/list","params":{}}"#).await;
        mock.answer(&json!("last")).await;
        assert!(mock.skipped.iter().all(|line| line["id"] != "dropped"));
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn malformed_line_comes_once_right_after_the_initialize_answer() {
    bounded(30, async {
        let mut mock = RawMock::spawn(&["--speed", "0", "--fault", "malformed-line"]);
        mock.send(
            r#"{"id":1,"method":"initialize","params":{"clientInfo":{"name":"m","version":"1"}}}"#,
        )
        .await;
        mock.send(r#"{"method":"initialized"}"#).await;
        let answer = mock.next_json().await.unwrap();
        assert_eq!(answer["id"], 1);
        let bad = mock.next_line().await.unwrap();
        assert!(serde_json::from_str::<Value>(&bad).is_err(), "{bad}");
        let list = mock.call("thread/list", json!({})).await;
        assert!(list["result"].is_object(), "the connection goes on");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn disconnect_mid_turn_closes_the_connection_after_the_first_item() {
    bounded(30, async {
        let mut mock =
            RawMock::initialized(&["--speed", "0", "--fault", "disconnect-mid-turn"]).await;
        let (_, _, lines) = raw_turn(&mut mock).await;
        assert_eq!(with_method(&lines, "turn/started").len(), 1);
        assert_eq!(
            with_method(&lines, "item/completed").len(),
            2,
            "the user message and one more item"
        );
        assert!(with_method(&lines, "turn/completed").is_empty(), "{lines:?}");
        assert!(mock.next_line().await.is_none(), "EOF");
        let status = mock.child.wait().await.unwrap();
        assert!(status.success(), "{status}");
    })
    .await;
}

#[tokio::test]
async fn error_will_retry_sends_a_transient_error_and_the_turn_recovers() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0", "--fault", "error-will-retry"]).await;
        let (_, turn, lines) = raw_turn(&mut mock).await;
        let errors = with_method(&lines, "error");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0]["params"]["willRetry"], true);
        assert_eq!(errors[0]["params"]["turnId"], turn["result"]["turn"]["id"]);
        let completed = with_method(&lines, "turn/completed");
        assert_eq!(completed[0]["params"]["turn"]["status"], "completed");
        assert_eq!(completed[0]["params"]["turn"]["error"], Value::Null);
        mock.finish().await;
    })
    .await;
}
