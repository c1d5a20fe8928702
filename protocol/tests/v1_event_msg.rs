//! The core `EventMsg` family that v1 embeds: one baseline-shaped instance of every variant
//! round-trips unchanged, and the set of variant tags is exactly the baseline's (read from the
//! baseline schema file, so a missing or an extra variant fails).

use std::collections::BTreeSet;

use app_server_protocol::v1::{
    CodexErrorInfo, EventMsg, ExecCommandSource, FileChange, McpAuthStatus, McpStartupStatus,
    ReviewDecision, SessionConfiguredEvent, TurnItem, UserInput,
};
use serde_json::{Value, json};

const CONV: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

/// One realistic instance of every `EventMsg` variant, as the baseline writes it.
fn samples() -> Vec<Value> {
    vec![
        json!({ "type": "error", "message": "Your context window is full.",
                "codex_error_info": "context_window_exceeded" }),
        json!({ "type": "warning", "message": "Model `o3` is slow today." }),
        json!({ "type": "task_started", "model_context_window": 272000 }),
        json!({ "type": "task_complete", "last_agent_message": "All tests pass." }),
        json!({ "type": "token_count",
                "info": {
                    "total_token_usage": { "input_tokens": 12000, "cached_input_tokens": 8000,
                        "output_tokens": 900, "reasoning_output_tokens": 300, "total_tokens": 12900 },
                    "last_token_usage": { "input_tokens": 3000, "cached_input_tokens": 2500,
                        "output_tokens": 200, "reasoning_output_tokens": 64, "total_tokens": 3200 },
                    "model_context_window": 272000
                },
                "rate_limits": {
                    "primary": { "used_percent": 42.5, "window_minutes": 300, "resets_at": 1738325000 },
                    "secondary": { "used_percent": 7.0, "window_minutes": null, "resets_at": null },
                    "credits": { "has_credits": true, "unlimited": false, "balance": "12.50" }
                } }),
        json!({ "type": "agent_message", "message": "I updated `parser.rs`." }),
        json!({ "type": "user_message", "message": "Fix the parser",
                "images": ["data:image/png;base64,iVBORw0KGgo="] }),
        json!({ "type": "agent_message_delta", "delta": "I upd" }),
        json!({ "type": "agent_reasoning", "text": "**Inspecting the parser**" }),
        json!({ "type": "agent_reasoning_delta", "delta": "Inspect" }),
        json!({ "type": "agent_reasoning_raw_content", "text": "The tokenizer drops the last byte." }),
        json!({ "type": "agent_reasoning_raw_content_delta", "delta": "The token" }),
        json!({ "type": "agent_reasoning_section_break", "item_id": "rs_1", "summary_index": 1 }),
        json!({ "type": "session_configured",
                "session_id": CONV,
                "model": "gpt-5.1-codex",
                "model_provider_id": "openai",
                "approval_policy": "on-request",
                "sandbox_policy": { "type": "workspace-write", "network_access": false,
                    "exclude_tmpdir_env_var": false, "exclude_slash_tmp": false },
                "cwd": "/home/me/project",
                "reasoning_effort": "medium",
                "history_log_id": 7340032,
                "history_entry_count": 412,
                "initial_messages": [
                    { "type": "user_message", "message": "hi" },
                    { "type": "agent_message", "message": "Hello!" }
                ],
                "rollout_path": "/home/me/.codex/sessions/rollout-a.jsonl" }),
        json!({ "type": "mcp_startup_update", "server": "github",
                "status": { "state": "failed", "error": "handshake timed out" } }),
        json!({ "type": "mcp_startup_complete", "ready": ["github"],
                "failed": [{ "server": "jira", "error": "exit code 1" }], "cancelled": ["slow"] }),
        json!({ "type": "mcp_tool_call_begin", "call_id": "call_mcp_1",
                "invocation": { "server": "github", "tool": "create_issue",
                    "arguments": { "title": "Parser drops last byte", "labels": ["bug"] } } }),
        json!({ "type": "mcp_tool_call_end", "call_id": "call_mcp_1",
                "invocation": { "server": "github", "tool": "create_issue", "arguments": null },
                "duration": { "secs": 1, "nanos": 250000000 },
                "result": { "Ok": {
                    "content": [{ "type": "text", "text": "Created issue #42" }],
                    "isError": false,
                    "structuredContent": { "number": 42 }
                } } }),
        json!({ "type": "web_search_begin", "call_id": "ws_1" }),
        json!({ "type": "web_search_end", "call_id": "ws_1", "query": "rust serde internally tagged" }),
        json!({ "type": "exec_command_begin", "call_id": "call_exec_1", "turn_id": "turn_3",
                "command": ["bash", "-lc", "cargo test"], "cwd": "/home/me/project",
                "parsed_cmd": [{ "type": "unknown", "cmd": "cargo test" }],
                "source": "agent" }),
        json!({ "type": "exec_command_output_delta", "call_id": "call_exec_1", "stream": "stdout",
                "chunk": "cnVubmluZyAzIHRlc3RzCg==" }),
        json!({ "type": "exec_command_end", "call_id": "call_exec_1", "turn_id": "turn_3",
                "command": ["bash", "-lc", "cargo test"], "cwd": "/home/me/project",
                "parsed_cmd": [{ "type": "unknown", "cmd": "cargo test" }],
                "source": "unified_exec_interaction", "interaction_input": "q\n",
                "stdout": "running 3 tests\n", "stderr": "", "aggregated_output": "running 3 tests\n",
                "exit_code": 0, "duration": { "secs": 4, "nanos": 0 },
                "formatted_output": "running 3 tests\n" }),
        json!({ "type": "view_image_tool_call", "call_id": "call_img_1", "path": "/tmp/screenshot.png" }),
        json!({ "type": "exec_approval_request", "call_id": "call_exec_2", "turn_id": "turn_3",
                "command": ["npm", "install"], "cwd": "/home/me/project",
                "reason": "Needs network access", 
                "risk": { "description": "Downloads packages from the registry.", "risk_level": "medium" },
                "parsed_cmd": [{ "type": "unknown", "cmd": "npm install" }] }),
        json!({ "type": "apply_patch_approval_request", "call_id": "call_patch_1", "turn_id": "turn_3",
                "changes": { "/home/me/project/src/lib.rs":
                    { "type": "update", "unified_diff": "@@ -1 +1 @@\n-a\n+b\n", "move_path": null } },
                "reason": "Writes outside the workspace", "grant_root": "/home/me/shared" }),
        json!({ "type": "deprecation_notice", "summary": "`sendUserMessage` is deprecated",
                "details": "Use `turn/start`." }),
        json!({ "type": "background_event", "message": "Indexing the repository…" }),
        json!({ "type": "undo_started", "message": "Restoring the snapshot" }),
        json!({ "type": "undo_completed", "success": true, "message": "Restored 3 files" }),
        json!({ "type": "stream_error", "message": "Reconnecting... 2/5",
                "codex_error_info": { "response_stream_disconnected": { "http_status_code": 502 } } }),
        json!({ "type": "patch_apply_begin", "call_id": "call_patch_1", "turn_id": "turn_3",
                "auto_approved": false,
                "changes": { "/home/me/project/NOTES.md": { "type": "add", "content": "# Notes\n" } } }),
        json!({ "type": "patch_apply_end", "call_id": "call_patch_1", "turn_id": "turn_3",
                "stdout": "Success. Updated the following files:\nA NOTES.md\n", "stderr": "",
                "success": true,
                "changes": { "/home/me/project/old.txt": { "type": "delete", "content": "bye\n" } } }),
        json!({ "type": "turn_diff",
                "unified_diff": "diff --git a/NOTES.md b/NOTES.md\nnew file mode 100644\n" }),
        json!({ "type": "get_history_entry_response", "offset": 3, "log_id": 7340032,
                "entry": { "conversation_id": CONV, "ts": 1738320000u64, "text": "run the tests" } }),
        json!({ "type": "mcp_list_tools_response",
                "tools": { "github__create_issue": {
                    "name": "create_issue",
                    "title": "Create issue",
                    "description": "Opens a GitHub issue.",
                    "inputSchema": { "type": "object",
                        "properties": { "title": { "type": "string" } }, "required": ["title"] },
                    "outputSchema": { "type": "object", "properties": { "number": { "type": "integer" } } }
                } },
                "resources": { "github": [
                    { "name": "README", "uri": "repo://README.md", "mimeType": "text/markdown" }
                ] },
                "resource_templates": { "github": [
                    { "name": "issue", "uriTemplate": "repo://issues/{number}" }
                ] },
                "auth_statuses": { "github": "o_auth", "jira": "not_logged_in",
                                   "local": "unsupported", "internal": "bearer_token" } }),
        json!({ "type": "list_custom_prompts_response", "custom_prompts": [
                    { "name": "review-pr", "path": "/home/me/.codex/prompts/review-pr.md",
                      "content": "Review PR $1", "description": "Review a pull request",
                      "argument_hint": "[pr-number]" },
                    { "name": "plain", "path": "/home/me/.codex/prompts/plain.md",
                      "content": "Hello", "description": null, "argument_hint": null }
                ] }),
        json!({ "type": "plan_update", "explanation": "Tests first.",
                "plan": [
                    { "step": "Write a failing test", "status": "completed" },
                    { "step": "Fix the tokenizer", "status": "in_progress" },
                    { "step": "Update the changelog", "status": "pending" }
                ] }),
        json!({ "type": "turn_aborted", "reason": "review_ended" }),
        json!({ "type": "shutdown_complete" }),
        json!({ "type": "entered_review_mode", "prompt": "Review the current changes.",
                "user_facing_hint": "current changes", "append_to_original_thread": true }),
        json!({ "type": "exited_review_mode", "review_output": {
                    "findings": [{
                        "title": "Off-by-one in the tokenizer",
                        "body": "The loop stops one byte early.",
                        "confidence_score": 0.5,
                        "priority": 1,
                        "code_location": { "absolute_file_path": "/home/me/project/src/lexer.rs",
                                           "line_range": { "start": 10, "end": 12 } }
                    }],
                    "overall_correctness": "patch is incorrect",
                    "overall_explanation": "One real bug.",
                    "overall_confidence_score": 0.75
                } }),
        json!({ "type": "raw_response_item", "item": {
                    "type": "message", "role": "assistant",
                    "content": [{ "type": "output_text", "text": "Done." }]
                } }),
        json!({ "type": "item_started", "thread_id": CONV, "turn_id": "turn_3",
                "item": { "type": "WebSearch", "id": "ws_1", "query": "serde tag" } }),
        json!({ "type": "item_completed", "thread_id": CONV, "turn_id": "turn_3",
                "item": { "type": "AgentMessage", "id": "msg_1",
                          "content": [{ "type": "Text", "text": "Done." }] } }),
        json!({ "type": "agent_message_content_delta", "thread_id": CONV, "turn_id": "turn_3",
                "item_id": "msg_1", "delta": "Do" }),
        json!({ "type": "reasoning_content_delta", "thread_id": CONV, "turn_id": "turn_3",
                "item_id": "rs_1", "delta": "Check", "summary_index": 2 }),
        json!({ "type": "reasoning_raw_content_delta", "thread_id": CONV, "turn_id": "turn_3",
                "item_id": "rs_1", "delta": "The", "content_index": 0 }),
    ]
}

/// The `type` tags of the baseline's `EventMsg`, read from the baseline schema.
fn baseline_tags() -> BTreeSet<String> {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../compat/baselines/0.63.0/published/schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("baseline schema"))
            .expect("baseline schema is JSON");
    let variants = schema["definitions"]["EventMsg"]["oneOf"].as_array().expect("EventMsg.oneOf");
    variants
        .iter()
        .map(|v| v["properties"]["type"]["const"].as_str().expect("a const tag").to_owned())
        .collect()
}

/// Every tag our `EventMsg` accepts, read from serde's "unknown variant" message (it lists all
/// of them), so that a variant without a sample is noticed too.
fn our_tags() -> BTreeSet<String> {
    let err = serde_json::from_value::<EventMsg>(json!({ "type": "no_such_event" })).unwrap_err();
    let message = err.to_string();
    let list = message.split("expected one of ").nth(1).unwrap_or_else(|| panic!("{message}"));
    list.split(", ").map(|tag| tag.trim().trim_matches('`').to_owned()).collect()
}

#[test]
fn variant_tags_equal_the_baseline() {
    let baseline = baseline_tags();
    assert_eq!(baseline.len(), 48, "the baseline has 48 event types");
    assert_eq!(our_tags(), baseline);
}

#[test]
fn every_variant_round_trips() {
    let mut seen = BTreeSet::new();
    for sample in samples() {
        let tag = sample["type"].as_str().unwrap().to_owned();
        let event: EventMsg = serde_json::from_value(sample.clone())
            .unwrap_or_else(|e| panic!("`{tag}` does not decode: {e}"));
        assert_eq!(event.event_type(), tag);
        assert_eq!(serde_json::to_value(&event).unwrap(), sample, "`{tag}` re-encodes differently");
        assert!(seen.insert(tag.clone()), "two samples of `{tag}`");
    }
    assert_eq!(seen, baseline_tags(), "one sample per baseline variant");
}

#[test]
fn omitted_fields_are_left_out_and_other_optionals_are_null() {
    // Fields the baseline leaves out when absent.
    let cases = [
        json!({ "type": "user_message", "message": "hi" }),
        json!({ "type": "deprecation_notice", "summary": "old" }),
        json!({ "type": "undo_started" }),
        json!({ "type": "undo_completed", "success": false }),
        json!({ "type": "get_history_entry_response", "offset": 9, "log_id": 1 }),
        json!({ "type": "exec_approval_request", "call_id": "c", "turn_id": "t", "command": ["ls"],
                "cwd": "/", "parsed_cmd": [] }),
        json!({ "type": "apply_patch_approval_request", "call_id": "c", "turn_id": "t", "changes": {} }),
        json!({ "type": "exec_command_begin", "call_id": "c", "turn_id": "t", "command": ["ls"],
                "cwd": "/", "parsed_cmd": [], "source": "user_shell" }),
        json!({ "type": "session_configured", "session_id": CONV, "model": "o3",
                "model_provider_id": "openai", "approval_policy": "never",
                "sandbox_policy": { "type": "danger-full-access" }, "cwd": "/",
                "history_log_id": 0, "history_entry_count": 0, "rollout_path": "/r.jsonl" }),
    ];
    for case in cases {
        let event: EventMsg = serde_json::from_value(case.clone()).unwrap();
        assert_eq!(serde_json::to_value(&event).unwrap(), case);
    }
    let event: EventMsg = serde_json::from_value(cases_session_configured()).unwrap();
    let EventMsg::SessionConfigured(SessionConfiguredEvent {
        reasoning_effort,
        initial_messages,
        ..
    }) = event
    else {
        panic!()
    };
    assert_eq!((reasoning_effort, initial_messages), (None, None));

    // Every other optional field is written as an explicit null, also when the input left it out.
    let decoded: EventMsg = serde_json::from_value(json!({ "type": "task_complete" })).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "task_complete", "last_agent_message": null })
    );
    let decoded: EventMsg =
        serde_json::from_value(json!({ "type": "error", "message": "boom" })).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "error", "message": "boom", "codex_error_info": null })
    );
    let decoded: EventMsg =
        serde_json::from_value(json!({ "type": "plan_update", "plan": [] })).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "plan_update", "explanation": null, "plan": [] })
    );
    let decoded: EventMsg = serde_json::from_value(json!({ "type": "token_count" })).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "token_count", "info": null, "rate_limits": null })
    );
}

fn cases_session_configured() -> Value {
    json!({ "type": "session_configured", "session_id": CONV, "model": "o3",
            "model_provider_id": "openai", "approval_policy": "never",
            "sandbox_policy": { "type": "read-only" }, "cwd": "/",
            "history_log_id": 0, "history_entry_count": 0, "rollout_path": "/r.jsonl" })
}

#[test]
fn defaults_of_older_senders() {
    // Keys that older servers did not send read as their defaults and are then written.
    let decoded: EventMsg = serde_json::from_value(json!({
        "type": "exec_command_end", "call_id": "c", "turn_id": "t", "command": ["ls"], "cwd": "/",
        "parsed_cmd": [], "stdout": "a\n", "stderr": "", "exit_code": 0,
        "duration": { "secs": 0, "nanos": 5000000 }, "formatted_output": "a\n"
    }))
    .unwrap();
    let EventMsg::ExecCommandEnd(end) = &decoded else { panic!() };
    assert_eq!(end.source, ExecCommandSource::Agent);
    assert_eq!(end.aggregated_output, "");
    assert_eq!(std::time::Duration::from(end.duration), std::time::Duration::from_millis(5));

    let decoded: EventMsg = serde_json::from_value(json!({
        "type": "patch_apply_end", "call_id": "c", "stdout": "", "stderr": "", "success": false
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "patch_apply_end", "call_id": "c", "turn_id": "", "stdout": "", "stderr": "",
                "success": false, "changes": {} })
    );
    let decoded: EventMsg =
        serde_json::from_value(json!({ "type": "agent_reasoning_section_break" })).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "agent_reasoning_section_break", "item_id": "", "summary_index": 0 })
    );
    let decoded: EventMsg = serde_json::from_value(json!({
        "type": "item_completed", "thread_id": CONV, "turn_id": "t",
        "item": { "type": "Reasoning", "id": "rs_1", "summary_text": ["A"] }
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "item_completed", "thread_id": CONV, "turn_id": "t",
                "item": { "type": "Reasoning", "id": "rs_1", "summary_text": ["A"], "raw_content": [] } })
    );
    let decoded: EventMsg = serde_json::from_value(json!({
        "type": "entered_review_mode", "prompt": "p", "user_facing_hint": "h"
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({ "type": "entered_review_mode", "prompt": "p", "user_facing_hint": "h",
                "append_to_original_thread": false })
    );
}

#[test]
fn core_enums_keep_their_snake_case_spellings() {
    let infos = [
        (json!("context_window_exceeded"), CodexErrorInfo::ContextWindowExceeded),
        (json!("usage_limit_exceeded"), CodexErrorInfo::UsageLimitExceeded),
        (json!("internal_server_error"), CodexErrorInfo::InternalServerError),
        (json!("unauthorized"), CodexErrorInfo::Unauthorized),
        (json!("bad_request"), CodexErrorInfo::BadRequest),
        (json!("sandbox_error"), CodexErrorInfo::SandboxError),
        (json!("other"), CodexErrorInfo::Other),
        (
            json!({ "http_connection_failed": { "http_status_code": null } }),
            CodexErrorInfo::HttpConnectionFailed { http_status_code: None },
        ),
        (
            json!({ "response_stream_connection_failed": { "http_status_code": 401 } }),
            CodexErrorInfo::ResponseStreamConnectionFailed { http_status_code: Some(401) },
        ),
        (
            json!({ "response_too_many_failed_attempts": { "http_status_code": 429 } }),
            CodexErrorInfo::ResponseTooManyFailedAttempts { http_status_code: Some(429) },
        ),
    ];
    for (wire, value) in infos {
        assert_eq!(serde_json::from_value::<CodexErrorInfo>(wire.clone()).unwrap(), value);
        assert_eq!(serde_json::to_value(value).unwrap(), wire);
    }
    for (wire, value) in [
        ("unsupported", McpAuthStatus::Unsupported),
        ("not_logged_in", McpAuthStatus::NotLoggedIn),
        ("bearer_token", McpAuthStatus::BearerToken),
        ("o_auth", McpAuthStatus::OAuth),
    ] {
        assert_eq!(serde_json::to_value(value).unwrap(), json!(wire));
    }
    assert_eq!(
        serde_json::to_value(ReviewDecision::ApprovedForSession).unwrap(),
        json!("approved_for_session")
    );
    for (wire, value) in [
        (json!({ "state": "starting" }), McpStartupStatus::Starting),
        (json!({ "state": "ready" }), McpStartupStatus::Ready),
        (json!({ "state": "cancelled" }), McpStartupStatus::Cancelled),
    ] {
        assert_eq!(serde_json::from_value::<McpStartupStatus>(wire.clone()).unwrap(), value);
        assert_eq!(serde_json::to_value(value).unwrap(), wire);
    }
    let item = TurnItem::UserMessage(app_server_protocol::v1::UserMessageItem {
        id: "u1".into(),
        content: vec![
            UserInput::Text { text: "look".into() },
            UserInput::Image { image_url: "https://example.com/a.png".into() },
            UserInput::LocalImage { path: "/tmp/a.png".into() },
        ],
    });
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({ "type": "UserMessage", "id": "u1", "content": [
            { "type": "text", "text": "look" },
            { "type": "image", "image_url": "https://example.com/a.png" },
            { "type": "local_image", "path": "/tmp/a.png" }
        ]})
    );
    let change: FileChange =
        serde_json::from_value(json!({ "type": "update", "unified_diff": "d", "move_path": "/b" }))
            .unwrap();
    assert_eq!(
        change,
        FileChange::Update { unified_diff: "d".into(), move_path: Some("/b".into()) }
    );
}

#[test]
fn mcp_tool_call_end_error_result() {
    let sample = json!({ "type": "mcp_tool_call_end", "call_id": "c",
        "invocation": { "server": "s", "tool": "t", "arguments": {} },
        "duration": { "secs": 30, "nanos": 0 },
        "result": { "Err": "tool call timed out after 30s" } });
    let event: EventMsg = serde_json::from_value(sample.clone()).unwrap();
    let EventMsg::McpToolCallEnd(end) = &event else { panic!() };
    assert_eq!(end.result.as_ref().unwrap_err(), "tool call timed out after 30s");
    assert_eq!(serde_json::to_value(&event).unwrap(), sample);
}
