//! Turns that follow the prompt (the stand-in model's script), against the real binary over
//! stdio, as a released server plays them: the legacy event stream beside the v2
//! notifications, the ids' shapes, server requests from 0, a declined command's two
//! completions, a failing turn, v1 turns in v1's words, and which threads are listed.

mod mock_support;

use mock_support::{RawMock, bounded};
use serde_json::{Value, json};

/// Starts a thread; returns its id (after its `thread/started`, so that it is not in the
/// turn's lines).
async fn thread(mock: &mut RawMock) -> String {
    let answer = mock.call("thread/start", json!({})).await;
    let id = answer["result"]["thread"]["id"].as_str().unwrap().to_owned();
    while !mock.skipped.iter().any(|m| m["method"] == "thread/started") {
        let line = mock.next_json().await.unwrap();
        mock.skipped.push(line);
    }
    mock.skipped.clear();
    id
}

/// Sends `method` with `params` (a request that starts a turn) and reads every line until
/// `turn/completed`, answering each server request with `{"decision": decision}`. Returns
/// the answer's turn id (v2), and the lines.
async fn play(mock: &mut RawMock, method: &str, params: Value, decision: &str) -> Vec<Value> {
    let answer = mock.call(method, params).await;
    assert!(answer.get("result").is_some(), "{answer}");
    let mut lines = std::mem::take(&mut mock.skipped);
    lines.push(answer);
    loop {
        let line = mock.next_json().await.expect("the turn ends before the mock's EOF");
        if line.get("method").is_some() && line.get("id").is_some() {
            let reply = json!({ "id": line["id"], "result": { "decision": decision } });
            mock.send(&reply.to_string()).await;
        }
        let done = line["method"] == "turn/completed";
        lines.push(line);
        if done {
            return lines;
        }
    }
}

fn turn(thread: &str, text: &str) -> Value {
    json!({ "threadId": thread, "input": [{ "type": "text", "text": text }] })
}

fn methods(lines: &[Value]) -> Vec<&str> {
    lines.iter().filter_map(|line| line["method"].as_str()).collect()
}

/// The items of `item/completed` notifications.
fn completed(lines: &[Value]) -> Vec<&Value> {
    lines.iter().filter(|l| l["method"] == "item/completed").map(|l| &l["params"]["item"]).collect()
}

#[tokio::test]
async fn a_text_turn_streams_both_event_streams_with_the_servers_ids() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0", "--seed", "5"]).await;
        let thread_id = thread(&mut mock).await;
        assert_eq!(&thread_id[14..15], "7", "a UUIDv7 thread id: {thread_id}");
        let lines = play(&mut mock, "turn/start", turn(&thread_id, "hello"), "accept").await;
        assert_eq!(lines[0]["result"]["turn"]["id"], "0");
        let methods = methods(&lines);
        let expected = [
            "turn/started",
            "codex/event/task_started",
            "codex/event/item_started",
            "item/started",
            "codex/event/item_completed",
            "item/completed",
            "codex/event/user_message",
            "codex/event/token_count",
            "account/rateLimits/updated",
            "codex/event/item_started",
            "item/started",
            "codex/event/agent_reasoning_section_break",
            "item/reasoning/summaryPartAdded",
            "codex/event/reasoning_content_delta",
            "item/reasoning/summaryTextDelta",
            "codex/event/agent_reasoning_delta",
        ];
        assert_eq!(&methods[..expected.len()], expected);
        assert_eq!(
            &methods[methods.len() - 5..],
            [
                "codex/event/agent_message",
                "codex/event/token_count",
                "account/rateLimits/updated",
                "codex/event/task_complete",
                "turn/completed"
            ]
        );
        let items = completed(&lines);
        let ids: Vec<&str> = items.iter().map(|item| item["id"].as_str().unwrap()).collect();
        assert_eq!(&ids[1..], ["rs_0", "msg_0"]);
        assert_eq!(&ids[0][14..15], "4", "a UUIDv4 user message id");
        assert_eq!(items[2]["text"], "Hello from the stand-in model.");
        let legacy = lines.iter().find(|l| l["method"] == "codex/event/task_complete").unwrap();
        assert_eq!(legacy["params"]["id"], "0");
        assert_eq!(legacy["params"]["conversationId"], thread_id.as_str());
        assert_eq!(legacy["params"]["msg"]["last_agent_message"], "Hello from the stand-in model.");
        let completed_turn = &lines.last().unwrap()["params"]["turn"];
        assert_eq!(completed_turn["items"], json!([]), "turn/completed carries no items");
        assert_eq!(completed_turn["status"], "completed");
        // thread/resume has them.
        let resumed = mock.call("thread/resume", json!({ "threadId": thread_id })).await;
        assert_eq!(resumed["result"]["thread"]["turns"][0]["items"].as_array().unwrap().len(), 3);
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn a_declined_command_is_declined_then_failed_and_requests_count_from_zero() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let thread_id = thread(&mut mock).await;
        let lines = play(&mut mock, "turn/start", turn(&thread_id, "RUN"), "decline").await;
        let request = lines.iter().find(|l| l.get("id").is_some() && l.get("method").is_some());
        let request = request.expect("an approval request");
        assert_eq!(request["id"], 0, "server requests are numbered from 0");
        assert_eq!(request["method"], "item/commandExecution/requestApproval");
        assert_eq!(request["params"]["command"], "bash -lc 'echo hello 1>&2'");
        assert_eq!(
            request["params"]["proposedExecpolicyAmendment"],
            json!(["bash", "-lc", "echo hello 1>&2"])
        );
        let command: Vec<(&Value, &Value)> = completed(&lines)
            .into_iter()
            .filter(|item| item["type"] == "commandExecution")
            .map(|item| (&item["status"], &item["exitCode"]))
            .collect();
        assert_eq!(command, [(&json!("declined"), &Value::Null), (&json!("failed"), &json!(-1))]);
        let end = lines.iter().find(|l| l["method"] == "codex/event/exec_command_end").unwrap();
        assert_eq!(end["params"]["msg"]["exit_code"], -1);
        assert!(!methods(&lines).contains(&"item/commandExecution/outputDelta"));
        // The closing message follows the decision; the item ids are the model's.
        let ids: Vec<&str> =
            completed(&lines).iter().skip(1).map(|item| item["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["call_0", "call_0", "msg_1"]);
        // The answer was a submission too: the next turn is "2"; the next request id 1.
        let lines = play(&mut mock, "turn/start", turn(&thread_id, "RUN"), "accept").await;
        assert_eq!(lines[0]["result"]["turn"]["id"], "2");
        let request = lines.iter().find(|l| l.get("id").is_some() && l.get("method").is_some());
        assert_eq!(request.unwrap()["id"], 1);
        let output: Vec<&Value> = lines
            .iter()
            .filter(|l| l["method"] == "item/commandExecution/outputDelta")
            .map(|l| &l["params"]["delta"])
            .collect();
        assert_eq!(output, [&json!("hello\n")]);
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn fail_retries_then_fails_the_turn() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let thread_id = thread(&mut mock).await;
        let lines = play(&mut mock, "turn/start", turn(&thread_id, "FAIL"), "accept").await;
        let errors: Vec<(&Value, &Value)> = lines
            .iter()
            .filter(|l| l["method"] == "error")
            .map(|l| (&l["params"]["willRetry"], &l["params"]["error"]["codexErrorInfo"]))
            .collect();
        assert_eq!(
            errors,
            [
                (
                    &json!(true),
                    &json!({ "responseStreamDisconnected": { "httpStatusCode": null } })
                ),
                (&json!(false), &json!("internalServerError")),
            ]
        );
        let methods = methods(&lines);
        assert!(
            methods.contains(&"codex/event/stream_error") && methods.contains(&"codex/event/error")
        );
        let turn = &lines.last().unwrap()["params"]["turn"];
        assert_eq!(turn["status"], "failed");
        assert_eq!(turn["error"]["codexErrorInfo"], "internalServerError");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn no_legacy_events_turns_the_stream_off() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0", "--no-legacy-events"]).await;
        let thread_id = thread(&mut mock).await;
        let lines = play(&mut mock, "turn/start", turn(&thread_id, "PATCH a.txt"), "accept").await;
        let methods = methods(&lines);
        assert!(methods.iter().all(|m| !m.starts_with("codex/event/")), "{methods:?}");
        assert!(methods.contains(&"item/fileChange/requestApproval"));
        assert!(methods.contains(&"turn/diff/updated"));
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn v1_turns_ask_in_v1_words_and_send_no_turn_started() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let created = mock.call("newConversation", json!({ "cwd": "/work" })).await;
        let id = created["result"]["conversationId"].as_str().unwrap().to_owned();
        let items = json!([{ "type": "text", "data": { "text": "RUN" } }]);
        let lines = play(
            &mut mock,
            "sendUserTurn",
            json!({
                "conversationId": id, "items": items, "cwd": "/work", "approvalPolicy": "untrusted",
                "sandboxPolicy": { "type": "workspace-write" }, "model": "m", "summary": "auto",
            }),
            "denied",
        )
        .await;
        let sent = methods(&lines);
        assert!(!sent.contains(&"thread/started"), "v1 conversations are not announced");
        assert!(!sent.contains(&"turn/started"), "{sent:?}");
        let request = lines.iter().find(|l| l.get("id").is_some() && l.get("method").is_some());
        let request = request.unwrap();
        assert_eq!(
            (&request["id"], &request["method"]),
            (&json!(0), &json!("execCommandApproval"))
        );
        assert_eq!(request["params"]["command"], json!(["bash", "-lc", "echo hello 1>&2"]));
        assert_eq!(request["params"]["conversationId"], id.as_str());
        // Denied: no `declined` completion in v1, only the failed one.
        let statuses: Vec<&Value> = completed(&lines)
            .into_iter()
            .filter(|item| item["type"] == "commandExecution")
            .map(|item| &item["status"])
            .collect();
        assert_eq!(statuses, [&json!("failed")]);
        let items = json!([{ "type": "text", "data": { "text": "PATCH b.txt" } }]);
        let lines = play(
            &mut mock,
            "sendUserMessage",
            json!({ "conversationId": id, "items": items }),
            "approved",
        )
        .await;
        let methods = methods(&lines);
        let asked = methods.iter().position(|m| *m == "applyPatchApproval").unwrap();
        let started = methods.iter().position(|m| *m == "item/started").unwrap();
        assert!(
            methods.contains(&"codex/event/turn_diff") && !methods.contains(&"turn/diff/updated")
        );
        assert!(started < asked, "the user message item comes first");
        assert!(
            methods[asked..].contains(&"item/started"),
            "the file change starts after its approval"
        );
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn listings_show_only_threads_with_a_user_message() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let listed = mock.listed_thread(json!({})).await;
        let listed = listed["result"]["thread"]["id"].clone();
        thread(&mut mock).await;
        let page = mock.call("thread/list", json!({})).await;
        let ids: Vec<&Value> =
            page["result"]["data"].as_array().unwrap().iter().map(|t| &t["id"]).collect();
        assert_eq!(ids, [&listed]);
        let v1 = mock.call("listConversations", json!({})).await;
        assert_eq!(v1["result"]["items"].as_array().unwrap().len(), 1, "{v1}");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn slow_keeps_its_pace_at_speed_zero_so_that_it_can_be_interrupted() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let thread_id = thread(&mut mock).await;
        let started = mock.call("turn/start", turn(&thread_id, "SLOW")).await;
        let turn_id = started["result"]["turn"]["id"].clone();
        let interrupted =
            mock.call("turn/interrupt", json!({ "threadId": thread_id, "turnId": turn_id })).await;
        assert_eq!(interrupted["result"], json!({}), "{interrupted}");
        let mut lines = std::mem::take(&mut mock.skipped);
        while lines.last().is_none_or(|line| line["method"] != "turn/completed") {
            lines.push(mock.next_json().await.unwrap());
        }
        let deltas = lines.iter().filter(|l| l["method"] == "item/agentMessage/delta").count();
        assert!(deltas < 5, "the answer was cut short: {deltas} deltas");
        assert!(methods(&lines).contains(&"codex/event/turn_aborted"));
        assert_eq!(lines.last().unwrap()["params"]["turn"]["status"], "interrupted");
        mock.finish().await;
    })
    .await;
}
