//! Wire tests of v2 threads, turns and items, and of the core `ResponseItem` family they reach.
//!
//! Pins change C7 (`error` notification), C10 (`Turn.error` always present), C11
//! (`turn/diff/updated`) and C12 (thread and turn ids on item/turn notifications) in both
//! directions, and round-trips a realistic baseline-shaped value of every `ThreadItem` and
//! `ResponseItem` variant and of every other type with a non-trivial shape. Every expectation
//! is a literal JSON value: decode it, compare with the typed value, re-encode, compare again.
//!
//! The ThreadItem, thread/turn and ResponseItem cases live in the submodules next to this file.

#[path = "v2_threads_turns_items/response_items.rs"]
mod response_items;
#[path = "v2_threads_turns_items/thread_items.rs"]
mod thread_items;
#[path = "v2_threads_turns_items/threads_turns.rs"]
mod threads_turns;

use std::fmt::Debug;

use app_server_protocol::v2::{
    CodexErrorInfo, ErrorNotification, ItemCompletedNotification, ItemStartedNotification,
    ThreadItem, Turn, TurnCompletedNotification, TurnDiffUpdatedNotification, TurnError,
    TurnStartedNotification, TurnStatus,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `wire`, checks it equals `expected`, re-encodes it and checks the JSON is `wire`
/// again (same keys, same nulls).
fn round_trip<T>(wire: Value, expected: T)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let decoded: T = serde_json::from_value(wire.clone())
        .unwrap_or_else(|err| panic!("decoding {wire} failed: {err}"));
    assert_eq!(decoded, expected, "decoded value of {wire}");
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded, wire, "re-encoded JSON");
}

/// Decodes a legacy (or lenient) input, checks the typed value, and checks that it encodes to
/// the canonical JSON.
fn decodes_to_canonical<T>(input: Value, expected: T, canonical: Value)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let decoded: T = serde_json::from_value(input.clone())
        .unwrap_or_else(|err| panic!("decoding {input} failed: {err}"));
    assert_eq!(decoded, expected, "decoded value of {input}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), canonical, "canonical encoding");
}

/// Checks that `input` is rejected, and that the error message mentions `needle`.
fn rejects<T: DeserializeOwned + Debug>(input: Value, needle: &str) {
    match serde_json::from_value::<T>(input.clone()) {
        Ok(value) => panic!("{input} was accepted as {value:?}"),
        Err(err) => assert!(
            err.to_string().contains(needle),
            "error for {input} should mention {needle:?}: {err}"
        ),
    }
}

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn agent_message(id: &str, text: &str) -> ThreadItem {
    ThreadItem::AgentMessage { id: id.into(), text: text.into() }
}

fn completed_turn() -> Turn {
    Turn {
        id: "turn-1".into(),
        items: vec![agent_message("item-1", "Hello!")],
        status: TurnStatus::Completed,
        error: None,
    }
}

// ---------------------------------------------------------------------------------------------
// C10: Turn.error is always present
// ---------------------------------------------------------------------------------------------

#[test]
fn c10_completed_turn_writes_error_null() {
    round_trip(
        json!({
            "id": "turn-1",
            "items": [{"type": "agentMessage", "id": "item-1", "text": "Hello!"}],
            "status": "completed",
            "error": null
        }),
        completed_turn(),
    );
}

#[test]
fn c10_failed_turn_carries_its_error() {
    let turn = Turn {
        id: "turn-2".into(),
        items: vec![],
        status: TurnStatus::Failed,
        error: Some(TurnError {
            message: "You've hit your usage limit.".into(),
            codex_error_info: Some(CodexErrorInfo::UsageLimitExceeded),
        }),
    };
    assert!(turn.is_consistent());
    round_trip(
        json!({
            "id": "turn-2",
            "items": [],
            "status": "failed",
            "error": {"message": "You've hit your usage limit.", "codexErrorInfo": "usageLimitExceeded"}
        }),
        turn,
    );
}

#[test]
fn c10_turn_status_is_a_plain_string() {
    for (status, wire) in [
        (TurnStatus::Completed, "completed"),
        (TurnStatus::Interrupted, "interrupted"),
        (TurnStatus::Failed, "failed"),
        (TurnStatus::InProgress, "inProgress"),
    ] {
        round_trip(json!(wire), status);
    }
    rejects::<TurnStatus>(json!("in_progress"), "unknown variant");
    rejects::<TurnStatus>(json!({"status": "completed"}), "");
}

#[test]
fn c10_baseline_turn_without_error_key_reads_as_null() {
    let expected =
        Turn { id: "turn-3".into(), items: vec![], status: TurnStatus::InProgress, error: None };
    decodes_to_canonical(
        json!({"id": "turn-3", "items": [], "status": "inProgress"}),
        expected,
        json!({"id": "turn-3", "items": [], "status": "inProgress", "error": null}),
    );
}

#[test]
fn c10_baseline_turn_error_without_codex_error_info_reads_as_null() {
    let expected = Turn {
        id: "turn-4".into(),
        items: vec![],
        status: TurnStatus::Failed,
        error: Some(TurnError { message: "boom".into(), codex_error_info: None }),
    };
    decodes_to_canonical(
        json!({"id": "turn-4", "items": [], "status": "failed", "error": {"message": "boom"}}),
        expected,
        json!({
            "id": "turn-4",
            "items": [],
            "status": "failed",
            "error": {"message": "boom", "codexErrorInfo": null}
        }),
    );
}

#[test]
fn c10_turn_requires_id_items_and_status() {
    rejects::<Turn>(
        json!({"items": [], "status": "completed", "error": null}),
        "missing field `id`",
    );
    rejects::<Turn>(
        json!({"id": "t", "status": "completed", "error": null}),
        "missing field `items`",
    );
    rejects::<Turn>(json!({"id": "t", "items": [], "error": null}), "missing field `status`");
}

#[test]
fn c10_consistency_invariant_is_checkable() {
    let mut turn = completed_turn();
    assert!(turn.is_consistent());
    turn.status = TurnStatus::Failed;
    assert!(!turn.is_consistent(), "failed without error");
    turn.error = Some(TurnError { message: "x".into(), codex_error_info: None });
    assert!(turn.is_consistent());
    turn.status = TurnStatus::Interrupted;
    assert!(!turn.is_consistent(), "error without failed status");
}

#[test]
fn codex_error_info_every_form() {
    for (info, wire) in [
        (CodexErrorInfo::ContextWindowExceeded, json!("contextWindowExceeded")),
        (CodexErrorInfo::UsageLimitExceeded, json!("usageLimitExceeded")),
        (CodexErrorInfo::InternalServerError, json!("internalServerError")),
        (CodexErrorInfo::Unauthorized, json!("unauthorized")),
        (CodexErrorInfo::BadRequest, json!("badRequest")),
        (CodexErrorInfo::SandboxError, json!("sandboxError")),
        (CodexErrorInfo::Other, json!("other")),
        (
            CodexErrorInfo::HttpConnectionFailed { http_status_code: Some(502) },
            json!({"httpConnectionFailed": {"httpStatusCode": 502}}),
        ),
        (
            CodexErrorInfo::ResponseStreamConnectionFailed { http_status_code: None },
            json!({"responseStreamConnectionFailed": {"httpStatusCode": null}}),
        ),
        (
            CodexErrorInfo::ResponseStreamDisconnected { http_status_code: Some(500) },
            json!({"responseStreamDisconnected": {"httpStatusCode": 500}}),
        ),
        (
            CodexErrorInfo::ResponseTooManyFailedAttempts { http_status_code: Some(429) },
            json!({"responseTooManyFailedAttempts": {"httpStatusCode": 429}}),
        ),
    ] {
        round_trip(wire, info);
    }
    // The core (snake_case) spelling is not the v2 one.
    rejects::<CodexErrorInfo>(json!("context_window_exceeded"), "unknown variant");
    // A status code that does not fit in 16 bits is rejected.
    rejects::<CodexErrorInfo>(json!({"httpConnectionFailed": {"httpStatusCode": 70000}}), "");
    // An absent status code reads as null.
    decodes_to_canonical(
        json!({"httpConnectionFailed": {}}),
        CodexErrorInfo::HttpConnectionFailed { http_status_code: None },
        json!({"httpConnectionFailed": {"httpStatusCode": null}}),
    );
}

// ---------------------------------------------------------------------------------------------
// C7 + C12: the `error` notification
// ---------------------------------------------------------------------------------------------

#[test]
fn c7_error_notification_transient_and_terminal() {
    round_trip(
        json!({
            "error": {
                "message": "Reconnecting... 1/5",
                "codexErrorInfo": {"responseStreamDisconnected": {"httpStatusCode": null}}
            },
            "willRetry": true,
            "threadId": "thr-1",
            "turnId": "turn-1"
        }),
        ErrorNotification::new(
            TurnError {
                message: "Reconnecting... 1/5".into(),
                codex_error_info: Some(CodexErrorInfo::ResponseStreamDisconnected {
                    http_status_code: None,
                }),
            },
            true,
            "thr-1",
            "turn-1",
        ),
    );
    round_trip(
        json!({
            "error": {"message": "context window exceeded", "codexErrorInfo": "contextWindowExceeded"},
            "willRetry": false,
            "threadId": "thr-1",
            "turnId": "turn-2"
        }),
        ErrorNotification::new(
            TurnError {
                message: "context window exceeded".into(),
                codex_error_info: Some(CodexErrorInfo::ContextWindowExceeded),
            },
            false,
            "thr-1",
            "turn-2",
        ),
    );
}

#[test]
fn c7_c12_error_notification_without_ids_or_will_retry_is_rejected() {
    // The baseline shape (`error` only) lacks the ids: rejected even from an older server.
    rejects::<ErrorNotification>(json!({"error": {"message": "boom"}}), "missing field");
    rejects::<ErrorNotification>(
        json!({"error": {"message": "boom"}, "willRetry": false, "turnId": "turn-1"}),
        "missing field `threadId`",
    );
    rejects::<ErrorNotification>(
        json!({"error": {"message": "boom"}, "willRetry": false, "threadId": "thr-1"}),
        "missing field `turnId`",
    );
    rejects::<ErrorNotification>(
        json!({"error": {"message": "boom"}, "threadId": "thr-1", "turnId": "turn-1"}),
        "missing field `willRetry`",
    );
    rejects::<ErrorNotification>(
        json!({"error": {"message": "boom"}, "willRetry": false, "threadId": null, "turnId": "t"}),
        "invalid type: null",
    );
}

#[test]
fn c7_error_notification_accepts_error_without_codex_error_info() {
    decodes_to_canonical(
        json!({"error": {"message": "boom"}, "willRetry": false, "threadId": "thr-1", "turnId": "turn-1"}),
        ErrorNotification::new(
            TurnError { message: "boom".into(), codex_error_info: None },
            false,
            "thr-1",
            "turn-1",
        ),
        json!({
            "error": {"message": "boom", "codexErrorInfo": null},
            "willRetry": false,
            "threadId": "thr-1",
            "turnId": "turn-1"
        }),
    );
}

// ---------------------------------------------------------------------------------------------
// C11: turn/diff/updated
// ---------------------------------------------------------------------------------------------

#[test]
fn c11_turn_diff_updated() {
    let diff = "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new\n";
    round_trip(
        json!({"threadId": "thr-1", "turnId": "turn-1", "diff": diff}),
        TurnDiffUpdatedNotification::new("thr-1", "turn-1", diff),
    );
    rejects::<TurnDiffUpdatedNotification>(
        json!({"threadId": "thr-1", "turnId": "turn-1"}),
        "missing field `diff`",
    );
    rejects::<TurnDiffUpdatedNotification>(
        json!({"turnId": "turn-1", "diff": ""}),
        "missing field `threadId`",
    );
}

// ---------------------------------------------------------------------------------------------
// C12: ids on item and turn notifications
// ---------------------------------------------------------------------------------------------

#[test]
fn c12_item_started_and_completed_carry_thread_and_turn_ids() {
    let item = json!({"type": "agentMessage", "id": "item-1", "text": ""});
    round_trip(
        json!({"item": item, "threadId": "thr-1", "turnId": "turn-1"}),
        ItemStartedNotification::new(agent_message("item-1", ""), "thr-1", "turn-1"),
    );
    round_trip(
        json!({
            "item": {"type": "agentMessage", "id": "item-1", "text": "Done."},
            "threadId": "thr-1",
            "turnId": "turn-1"
        }),
        ItemCompletedNotification::new(agent_message("item-1", "Done."), "thr-1", "turn-1"),
    );
}

#[test]
fn c12_item_notifications_without_ids_are_rejected() {
    let item = json!({"type": "agentMessage", "id": "item-1", "text": "x"});
    // The baseline shape: `{ item }` only.
    rejects::<ItemStartedNotification>(json!({"item": item}), "missing field");
    rejects::<ItemCompletedNotification>(json!({"item": item}), "missing field");
    rejects::<ItemStartedNotification>(
        json!({"item": item, "turnId": "turn-1"}),
        "missing field `threadId`",
    );
    rejects::<ItemStartedNotification>(
        json!({"item": item, "threadId": "thr-1"}),
        "missing field `turnId`",
    );
    rejects::<ItemCompletedNotification>(
        json!({"item": item, "turnId": "turn-1"}),
        "missing field `threadId`",
    );
    rejects::<ItemCompletedNotification>(
        json!({"item": item, "threadId": "thr-1"}),
        "missing field `turnId`",
    );
}

#[test]
fn c12_turn_started_and_completed_carry_the_thread_id() {
    let wire_turn = json!({
        "id": "turn-1",
        "items": [{"type": "agentMessage", "id": "item-1", "text": "Hello!"}],
        "status": "completed",
        "error": null
    });
    round_trip(
        json!({"threadId": "thr-1", "turn": wire_turn}),
        TurnStartedNotification::new("thr-1", completed_turn()),
    );
    round_trip(
        json!({"threadId": "thr-1", "turn": wire_turn}),
        TurnCompletedNotification::new("thr-1", completed_turn()),
    );
    // The baseline shape `{ turn }` is rejected.
    rejects::<TurnStartedNotification>(json!({"turn": wire_turn}), "missing field `threadId`");
    rejects::<TurnCompletedNotification>(json!({"turn": wire_turn}), "missing field `threadId`");
}

#[test]
fn c12_turn_completed_accepts_a_baseline_shaped_turn() {
    decodes_to_canonical(
        json!({"threadId": "thr-1", "turn": {"id": "turn-9", "items": [], "status": "interrupted"}}),
        TurnCompletedNotification::new(
            "thr-1",
            Turn {
                id: "turn-9".into(),
                items: vec![],
                status: TurnStatus::Interrupted,
                error: None,
            },
        ),
        json!({
            "threadId": "thr-1",
            "turn": {"id": "turn-9", "items": [], "status": "interrupted", "error": null}
        }),
    );
}

#[test]
fn c12_codec_answers_missing_ids_with_invalid_params() {
    use app_server_protocol::{DecodeErrorKind, PendingRequests, decode_server_message};
    let line = r#"{"method":"item/completed","params":{"item":{"type":"agentMessage","id":"i","text":"x"}}}"#;
    let err = decode_server_message(line, &mut PendingRequests::new()).expect_err(line);
    assert_eq!(err.kind, DecodeErrorKind::InvalidParams, "{err}");
    assert_eq!(err.code().0, -32602);
    assert!(err.message.contains("threadId"), "{err}");

    let line = r#"{"method":"turn/started","params":{"turn":{"id":"t","items":[],"status":"inProgress","error":null}}}"#;
    let err = decode_server_message(line, &mut PendingRequests::new()).expect_err(line);
    assert_eq!(err.code().0, -32602, "{err}");
}
