//! The frozen v1 surface: every v1 request, result, server request and notification of the
//! 0.63.0 baseline decodes from a baseline-shaped message and re-encodes to the same JSON (same
//! keys, same explicit `null`s), and the method table has exactly the baseline's v1 rows.

use std::collections::BTreeSet;
use std::path::PathBuf;

use app_server_protocol::core_types::{
    AskForApproval, AuthMode, ConversationId, ReasoningEffort, ReasoningSummary, SandboxMode,
    SandboxPolicy,
};
use app_server_protocol::v1;
use app_server_protocol::{
    ApiGeneration, CLIENT_REQUESTS, ClientMessage, ClientRequest, ClientRequestMethod,
    ClientRequestResult, PendingRequests, RequestId, SERVER_NOTIFICATIONS, SERVER_REQUESTS,
    ServerMessage, ServerNotification, ServerRequest, ServerRequestMethod, ServerRequestResult,
    decode_client_message, decode_server_message,
};
use serde_json::{Value, json};

const CONV: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";
const LOGIN: &str = "0b6a3c1e-8f3d-4c52-9d3e-2f7a1b9c4d10";

fn conv() -> ConversationId {
    ConversationId::parse(CONV).unwrap()
}

/// Decodes a client request as the server receives it and checks it re-encodes unchanged.
fn client_request(message: Value) -> ClientRequest {
    let decoded = reencode_client_request(message.clone());
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded, message, "re-encoded request differs from the input");
    decoded
}

/// Decodes a client request and returns it without comparing (for inputs that omit keys the
/// canonical output writes).
fn reencode_client_request(message: Value) -> ClientRequest {
    let line = message.to_string();
    let mut pending = PendingRequests::new();
    match decode_client_message(&line, &mut pending) {
        Ok(ClientMessage::Request(request)) => request,
        other => panic!("{line} did not decode as a client request: {other:?}"),
    }
}

/// Decodes the server's answer to a client request (registered under its id as `method`) and
/// checks it re-encodes unchanged.
fn client_request_result(method: ClientRequestMethod, message: Value) -> ClientRequestResult {
    let id: RequestId = serde_json::from_value(message["id"].clone()).unwrap();
    let mut pending = PendingRequests::new();
    pending.insert(id, method);
    let line = message.to_string();
    let decoded = match decode_server_message(&line, &mut pending) {
        Ok(ServerMessage::Response(result)) => result,
        other => panic!("{line} did not decode as a response: {other:?}"),
    };
    assert_eq!(decoded.method(), method);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), message, "re-encoded result differs");
    decoded
}

/// Decodes a server → client request as the client receives it and checks it re-encodes
/// unchanged.
fn server_request(message: Value) -> ServerRequest {
    let line = message.to_string();
    let mut pending = PendingRequests::new();
    let decoded = match decode_server_message(&line, &mut pending) {
        Ok(ServerMessage::Request(request)) => request,
        other => panic!("{line} did not decode as a server request: {other:?}"),
    };
    assert_eq!(serde_json::to_value(&decoded).unwrap(), message, "re-encoded request differs");
    decoded
}

/// Decodes the client's answer to a server request and checks it re-encodes unchanged.
fn server_request_result(method: ServerRequestMethod, message: Value) -> ServerRequestResult {
    let id: RequestId = serde_json::from_value(message["id"].clone()).unwrap();
    let mut pending = PendingRequests::new();
    pending.insert(id, method);
    let line = message.to_string();
    let decoded = match decode_client_message(&line, &mut pending) {
        Ok(ClientMessage::Response(result)) => result,
        other => panic!("{line} did not decode as a response: {other:?}"),
    };
    assert_eq!(decoded.method(), method);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), message, "re-encoded result differs");
    decoded
}

/// Decodes a server notification and checks it re-encodes unchanged.
fn server_notification(message: Value) -> ServerNotification {
    let line = message.to_string();
    let mut pending = PendingRequests::new();
    let decoded = match decode_server_message(&line, &mut pending) {
        Ok(ServerMessage::Notification(notification)) => notification,
        other => panic!("{line} did not decode as a notification: {other:?}"),
    };
    assert_eq!(serde_json::to_value(&decoded).unwrap(), message, "re-encoded notification differs");
    decoded
}

// ---------------------------------------------------------------------------------------------
// The method table
// ---------------------------------------------------------------------------------------------

/// `(method, params type or None, result type or None)` of the v1 rows of one section of the
/// baseline's methods.md.
fn baseline_v1_rows(section: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../compat/baselines/0.63.0/published/methods.md");
    let text = std::fs::read_to_string(path).expect("baseline methods.md");
    let mut rows = Vec::new();
    let mut in_section = false;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = title.trim() == section;
            continue;
        }
        if !in_section || !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells[1] != "v1" {
            continue;
        }
        let name = cells[0].trim_matches('`').to_owned();
        let params = (cells[2] != "(none)").then(|| cells[2].to_owned());
        let result = cells.get(3).map(|s| s.to_string());
        rows.push((name, params, result));
    }
    assert!(!rows.is_empty(), "no v1 rows found in section {section}");
    rows
}

#[test]
fn method_table_has_exactly_the_baseline_v1_rows() {
    let sections = [
        ("Client → server requests", CLIENT_REQUESTS),
        ("Server → client requests", SERVER_REQUESTS),
        ("Server → client notifications", SERVER_NOTIFICATIONS),
    ];
    for (section, table) in sections {
        let baseline = baseline_v1_rows(section);
        // The legacy event family (`codex/event/<type>`) is v1 but not in the published method
        // table, although the released servers send it: it is checked against recorded lines
        // of a real 0.63 server instead (fixtures/v1/codex/event/).
        let ours: BTreeSet<&str> = table
            .iter()
            .filter(|m| m.api == ApiGeneration::V1 && m.family.is_none())
            .map(|m| m.wire_name)
            .collect();
        let theirs: BTreeSet<&str> = baseline.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(ours, theirs, "v1 rows of {section}");
        for (name, params, result) in &baseline {
            let meta = table.iter().find(|m| m.wire_name == name).unwrap();
            assert_eq!(meta.params_type_name(), params.as_deref(), "params type of {name}");
            assert_eq!(meta.result_type_name(), result.as_deref(), "result type of {name}");
            assert!(meta.aliases.is_empty(), "{name} has no aliases");
            let note = meta.deprecated.unwrap_or_else(|| panic!("{name} is deprecated"));
            assert!(note.contains("v1"), "deprecation note of {name}: {note}");
        }
    }
}

#[test]
fn deprecation_notes_name_the_v2_replacements() {
    let replacements = [
        ("newConversation", "thread/start"),
        ("listConversations", "thread/list"),
        ("resumeConversation", "thread/resume"),
        ("archiveConversation", "thread/archive"),
        ("sendUserMessage", "turn/start"),
        ("sendUserTurn", "turn/start"),
        ("interruptConversation", "turn/interrupt"),
        ("loginApiKey", "account/login/start"),
        ("loginChatGpt", "account/login/start"),
        ("cancelLoginChatGpt", "account/login/cancel"),
        ("logoutChatGpt", "account/logout"),
        ("getAuthStatus", "account/read"),
        ("userInfo", "account/read"),
        ("getUserSavedConfig", "config/read"),
    ];
    for (v1_name, v2_name) in replacements {
        let meta = ClientRequestMethod::from_wire(v1_name).unwrap().meta();
        assert!(meta.deprecated.unwrap().contains(v2_name), "{v1_name} → {v2_name}");
    }
    let server = [
        ("applyPatchApproval", "item/fileChange/requestApproval"),
        ("execCommandApproval", "item/commandExecution/requestApproval"),
    ];
    for (v1_name, v2_name) in server {
        let meta = ServerRequestMethod::from_wire(v1_name).unwrap().meta();
        assert!(meta.deprecated.unwrap().contains(v2_name), "{v1_name} → {v2_name}");
    }
    for (v1_name, v2_name) in [
        ("authStatusChange", "account/updated"),
        ("loginChatGptComplete", "account/login/completed"),
    ] {
        let meta = SERVER_NOTIFICATIONS.iter().find(|m| m.wire_name == v1_name).unwrap();
        assert!(meta.deprecated.unwrap().contains(v2_name), "{v1_name} → {v2_name}");
    }
}

#[test]
fn v1_contracts_are_documented_on_the_rows() {
    // C1: cancelLoginChatGpt keeps answering `{}` and an error for an unknown login id.
    let cancel = ClientRequestMethod::CancelLoginChatGpt.meta();
    assert!(cancel.doc.contains("`{}`") && cancel.doc.contains("error"), "{}", cancel.doc);
    // C2: listConversations pages are full.
    let list = ClientRequestMethod::ListConversations.meta();
    assert!(list.doc.contains("exactly `pageSize`"), "{}", list.doc);
    assert!(list.doc.contains("`nextCursor` is `null` exactly when"), "{}", list.doc);
}

// ---------------------------------------------------------------------------------------------
// Client → server requests and their results
// ---------------------------------------------------------------------------------------------

fn full_new_conversation_params() -> Value {
    json!({
        "model": "gpt-5.1-codex",
        "modelProvider": "openai",
        "profile": "work",
        "cwd": "/home/me/project",
        "approvalPolicy": "on-request",
        "sandbox": "workspace-write",
        "config": { "model_reasoning_effort": "high", "tools.web_search": true },
        "baseInstructions": null,
        "developerInstructions": "Prefer small commits.",
        "compactPrompt": "Summarise the work so far.",
        "includeApplyPatchTool": true
    })
}

#[test]
fn new_conversation() {
    let request = client_request(json!({
        "id": 1, "method": "newConversation", "params": full_new_conversation_params()
    }));
    let ClientRequest::NewConversation { request_id, params } = request else { panic!() };
    assert_eq!(request_id, RequestId::Integer(1));
    assert_eq!(params.model.as_deref(), Some("gpt-5.1-codex"));
    assert_eq!(params.approval_policy, Some(AskForApproval::OnRequest));
    assert_eq!(params.sandbox, Some(SandboxMode::WorkspaceWrite));
    assert_eq!(params.config.as_ref().unwrap()["tools.web_search"], json!(true));
    assert_eq!(params.compact_prompt.as_deref(), Some("Summarise the work so far."));

    let result = client_request_result(
        ClientRequestMethod::NewConversation,
        json!({ "id": 1, "result": {
            "conversationId": CONV,
            "model": "gpt-5.1-codex",
            "reasoningEffort": "high",
            "rolloutPath": "/home/me/.codex/sessions/2025/01/31/rollout-2025-01-31T12-00-00.jsonl"
        }}),
    );
    let ClientRequestResult::NewConversation { result, .. } = result else { panic!() };
    assert_eq!(result.conversation_id, conv());
    assert_eq!(result.reasoning_effort, Some(ReasoningEffort::High));
}

#[test]
fn new_conversation_params_write_nulls_except_the_two_omitted_fields() {
    // A client that sends only `model`: the canonical v1 encoding writes every other field as
    // `null`, except `developerInstructions` and `compactPrompt`, which are left out.
    let request = reencode_client_request(json!({
        "id": "a", "method": "newConversation", "params": { "model": "o3" }
    }));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({ "id": "a", "method": "newConversation", "params": {
            "model": "o3",
            "modelProvider": null,
            "profile": null,
            "cwd": null,
            "approvalPolicy": null,
            "sandbox": null,
            "config": null,
            "baseInstructions": null,
            "includeApplyPatchTool": null
        }})
    );
    // A null result field is written as null too.
    let result = client_request_result(
        ClientRequestMethod::NewConversation,
        json!({ "id": "a", "result": {
            "conversationId": CONV, "model": "o3", "reasoningEffort": null, "rolloutPath": "/r.jsonl"
        }}),
    );
    let ClientRequestResult::NewConversation { result, .. } = result else { panic!() };
    assert_eq!(result.reasoning_effort, None);
}

fn summary_json(source: Value) -> Value {
    json!({
        "conversationId": CONV,
        "path": "/home/me/.codex/sessions/2025/01/31/rollout-a.jsonl",
        "preview": "Fix the flaky parser test",
        "timestamp": "2025-01-31T12:00:00.000Z",
        "modelProvider": "openai",
        "cwd": "/home/me/project",
        "cliVersion": "0.63.0",
        "source": source,
        "gitInfo": { "sha": "9fceb02d0ae598e95dc970b74767f19372d61af8", "branch": "main", "origin_url": null }
    })
}

#[test]
fn get_conversation_summary() {
    let request = client_request(json!({
        "id": 2, "method": "getConversationSummary", "params": { "rolloutPath": "/r/rollout-a.jsonl" }
    }));
    let ClientRequest::GetConversationSummary { params, .. } = request else { panic!() };
    assert_eq!(
        params,
        v1::GetConversationSummaryParams::RolloutPath { rollout_path: "/r/rollout-a.jsonl".into() }
    );
    let request = client_request(json!({
        "id": 3, "method": "getConversationSummary", "params": { "conversationId": CONV }
    }));
    let ClientRequest::GetConversationSummary { params, .. } = request else { panic!() };
    assert_eq!(
        params,
        v1::GetConversationSummaryParams::ConversationId { conversation_id: conv() }
    );

    let result = client_request_result(
        ClientRequestMethod::GetConversationSummary,
        json!({ "id": 3, "result": { "summary": summary_json(json!("vscode")) } }),
    );
    let ClientRequestResult::GetConversationSummary { result, .. } = result else { panic!() };
    assert_eq!(result.summary.source, v1::SessionSource::VSCode);
    assert_eq!(result.summary.git_info.unwrap().branch.as_deref(), Some("main"));
}

#[test]
fn session_source_spellings_and_catch_all() {
    for (wire, expected) in [
        (json!("cli"), v1::SessionSource::Cli),
        (json!("vscode"), v1::SessionSource::VSCode),
        (json!("exec"), v1::SessionSource::Exec),
        (json!("mcp"), v1::SessionSource::Mcp),
        (json!("unknown"), v1::SessionSource::Unknown),
        (json!({ "subagent": "review" }), v1::SessionSource::SubAgent(v1::SubAgentSource::Review)),
        (
            json!({ "subagent": "compact" }),
            v1::SessionSource::SubAgent(v1::SubAgentSource::Compact),
        ),
        (
            json!({ "subagent": { "other": "lint" } }),
            v1::SessionSource::SubAgent(v1::SubAgentSource::Other("lint".into())),
        ),
    ] {
        let decoded: v1::SessionSource = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(decoded, expected);
        assert_eq!(serde_json::to_value(&decoded).unwrap(), wire);
    }
    // Unknown values decode to `unknown` and are written as such.
    let decoded: v1::SessionSource = serde_json::from_value(json!("desktop")).unwrap();
    assert_eq!(decoded, v1::SessionSource::Unknown);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json!("unknown"));
    // A malformed sub-agent source is still an error.
    assert!(serde_json::from_value::<v1::SessionSource>(json!({ "subagent": 3 })).is_err());
}

#[test]
fn list_conversations() {
    let request = client_request(json!({
        "id": 4, "method": "listConversations",
        "params": { "pageSize": 2, "cursor": null, "modelProviders": ["openai"] }
    }));
    let ClientRequest::ListConversations { params, .. } = request else { panic!() };
    assert_eq!(params.page_size.map(std::num::NonZeroUsize::get), Some(2));
    assert_eq!(params.model_providers, Some(vec!["openai".to_owned()]));

    // No params at all: every field is `null` on re-encoding.
    let request =
        reencode_client_request(json!({ "id": 5, "method": "listConversations", "params": {} }));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({ "id": 5, "method": "listConversations",
                "params": { "pageSize": null, "cursor": null, "modelProviders": null } })
    );

    let mut second = summary_json(json!({ "subagent": "review" }));
    second["gitInfo"] = Value::Null;
    second["timestamp"] = Value::Null;
    let result = client_request_result(
        ClientRequestMethod::ListConversations,
        json!({ "id": 4, "result": {
            "items": [summary_json(json!("cli")), second],
            "nextCursor": "2025-01-30T08:00:00Z|3f1c"
        }}),
    );
    let ClientRequestResult::ListConversations { result, .. } = result else { panic!() };
    assert_eq!(result.items.len(), 2);
    assert_eq!(result.items[1].git_info, None);
    assert_eq!(result.next_cursor.as_deref(), Some("2025-01-30T08:00:00Z|3f1c"));

    client_request_result(
        ClientRequestMethod::ListConversations,
        json!({ "id": 6, "result": { "items": [], "nextCursor": null } }),
    );
}

#[test]
fn resume_conversation() {
    let mut overrides = full_new_conversation_params();
    overrides.as_object_mut().unwrap().remove("developerInstructions");
    let request = client_request(json!({
        "id": 7, "method": "resumeConversation",
        "params": {
            "path": "/home/me/.codex/sessions/rollout-a.jsonl",
            "conversationId": null,
            "history": null,
            "overrides": overrides
        }
    }));
    let ClientRequest::ResumeConversation { params, .. } = request else { panic!() };
    assert_eq!(params.path, Some(PathBuf::from("/home/me/.codex/sessions/rollout-a.jsonl")));
    assert_eq!(params.overrides.unwrap().developer_instructions, None);

    let request = client_request(json!({
        "id": 8, "method": "resumeConversation",
        "params": {
            "path": null,
            "conversationId": CONV,
            "history": [
                { "type": "message", "role": "user", "content": [{ "type": "input_text", "text": "hi" }] },
                { "type": "message", "role": "assistant", "content": [{ "type": "output_text", "text": "Hello!" }] }
            ],
            "overrides": null
        }
    }));
    let ClientRequest::ResumeConversation { params, .. } = request else { panic!() };
    assert_eq!(params.conversation_id, Some(conv()));
    assert_eq!(params.history.unwrap().len(), 2);

    let result = client_request_result(
        ClientRequestMethod::ResumeConversation,
        json!({ "id": 8, "result": {
            "conversationId": CONV,
            "model": "gpt-5.1-codex",
            "initialMessages": [
                { "type": "user_message", "message": "hi" },
                { "type": "agent_message", "message": "Hello!" },
                { "type": "task_complete", "last_agent_message": "Hello!" }
            ],
            "rolloutPath": "/home/me/.codex/sessions/rollout-a.jsonl"
        }}),
    );
    let ClientRequestResult::ResumeConversation { result, .. } = result else { panic!() };
    let messages = result.initial_messages.unwrap();
    assert_eq!(messages.len(), 3);
    assert!(matches!(&messages[1], v1::EventMsg::AgentMessage(m) if m.message == "Hello!"));

    client_request_result(
        ClientRequestMethod::ResumeConversation,
        json!({ "id": 9, "result": {
            "conversationId": CONV, "model": "o3", "initialMessages": null, "rolloutPath": "/r.jsonl"
        }}),
    );
}

#[test]
fn archive_conversation() {
    let request = client_request(json!({
        "id": 10, "method": "archiveConversation",
        "params": { "conversationId": CONV, "rolloutPath": "/r/rollout-a.jsonl" }
    }));
    let ClientRequest::ArchiveConversation { params, .. } = request else { panic!() };
    assert_eq!(params.rollout_path, PathBuf::from("/r/rollout-a.jsonl"));
    client_request_result(
        ClientRequestMethod::ArchiveConversation,
        json!({ "id": 10, "result": {} }),
    );
}

#[test]
fn send_user_message() {
    let request = client_request(json!({
        "id": 11, "method": "sendUserMessage",
        "params": {
            "conversationId": CONV,
            "items": [
                { "type": "text", "data": { "text": "What does this screenshot show?" } },
                { "type": "image", "data": { "image_url": "data:image/png;base64,iVBORw0KGgo=" } },
                { "type": "localImage", "data": { "path": "/tmp/screenshot.png" } }
            ]
        }
    }));
    let ClientRequest::SendUserMessage { params, .. } = request else { panic!() };
    assert_eq!(
        params.items,
        vec![
            v1::InputItem::Text { text: "What does this screenshot show?".into() },
            v1::InputItem::Image { image_url: "data:image/png;base64,iVBORw0KGgo=".into() },
            v1::InputItem::LocalImage { path: "/tmp/screenshot.png".into() },
        ]
    );
    client_request_result(ClientRequestMethod::SendUserMessage, json!({ "id": 11, "result": {} }));
}

#[test]
fn send_user_turn() {
    let request = client_request(json!({
        "id": 12, "method": "sendUserTurn",
        "params": {
            "conversationId": CONV,
            "items": [{ "type": "text", "data": { "text": "Run the tests" } }],
            "cwd": "/home/me/project",
            "approvalPolicy": "untrusted",
            "sandboxPolicy": {
                "type": "workspace-write",
                "writable_roots": ["/home/me/.cache"],
                "network_access": true,
                "exclude_tmpdir_env_var": false,
                "exclude_slash_tmp": false
            },
            "model": "gpt-5.1-codex",
            "effort": "medium",
            "summary": "auto"
        }
    }));
    let ClientRequest::SendUserTurn { params, .. } = request else { panic!() };
    assert_eq!(params.approval_policy, AskForApproval::UnlessTrusted);
    assert!(matches!(
        params.sandbox_policy,
        SandboxPolicy::WorkspaceWrite { network_access: true, .. }
    ));
    assert_eq!(params.summary, ReasoningSummary::Auto);

    let request = client_request(json!({
        "id": 13, "method": "sendUserTurn",
        "params": {
            "conversationId": CONV,
            "items": [],
            "cwd": "/home/me/project",
            "approvalPolicy": "never",
            "sandboxPolicy": { "type": "read-only" },
            "model": "o3",
            "effort": null,
            "summary": "none"
        }
    }));
    let ClientRequest::SendUserTurn { params, .. } = request else { panic!() };
    assert_eq!(params.effort, None);
    client_request_result(ClientRequestMethod::SendUserTurn, json!({ "id": 13, "result": {} }));
}

#[test]
fn interrupt_conversation() {
    client_request(json!({
        "id": 14, "method": "interruptConversation", "params": { "conversationId": CONV }
    }));
    let result = client_request_result(
        ClientRequestMethod::InterruptConversation,
        json!({ "id": 14, "result": { "abortReason": "interrupted" } }),
    );
    let ClientRequestResult::InterruptConversation { result, .. } = result else { panic!() };
    assert_eq!(result.abort_reason, v1::TurnAbortReason::Interrupted);
}

#[test]
fn add_and_remove_conversation_listener() {
    let request = client_request(json!({
        "id": 15, "method": "addConversationListener",
        "params": { "conversationId": CONV, "experimentalRawEvents": true }
    }));
    let ClientRequest::AddConversationListener { params, .. } = request else { panic!() };
    assert!(params.experimental_raw_events);
    // `experimentalRawEvents` defaults to false and is always written.
    let request = reencode_client_request(json!({
        "id": 16, "method": "addConversationListener", "params": { "conversationId": CONV }
    }));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({ "id": 16, "method": "addConversationListener",
                "params": { "conversationId": CONV, "experimentalRawEvents": false } })
    );
    let sub = "5d6a1f7e-3b1c-4f0e-9a7e-1c2b3d4e5f60";
    client_request_result(
        ClientRequestMethod::AddConversationListener,
        json!({ "id": 16, "result": { "subscriptionId": sub } }),
    );

    client_request(json!({
        "id": 17, "method": "removeConversationListener", "params": { "subscriptionId": sub }
    }));
    client_request_result(
        ClientRequestMethod::RemoveConversationListener,
        json!({ "id": 17, "result": {} }),
    );
}

#[test]
fn git_diff_to_remote() {
    client_request(
        json!({ "id": 18, "method": "gitDiffToRemote", "params": { "cwd": "/home/me/project" } }),
    );
    let result = client_request_result(
        ClientRequestMethod::GitDiffToRemote,
        json!({ "id": 18, "result": {
            "sha": "9fceb02d0ae598e95dc970b74767f19372d61af8",
            "diff": "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new\n"
        }}),
    );
    let ClientRequestResult::GitDiffToRemote { result, .. } = result else { panic!() };
    assert_eq!(result.sha, v1::GitSha::new("9fceb02d0ae598e95dc970b74767f19372d61af8"));
}

#[test]
fn login_api_key() {
    let request = client_request(
        json!({ "id": 19, "method": "loginApiKey", "params": { "apiKey": "sk-test-123" } }),
    );
    let ClientRequest::LoginApiKey { params, .. } = request else { panic!() };
    assert_eq!(params.api_key, "sk-test-123");
    client_request_result(ClientRequestMethod::LoginApiKey, json!({ "id": 19, "result": {} }));
}

#[test]
fn login_chat_gpt() {
    let request = client_request(json!({ "id": 20, "method": "loginChatGpt" }));
    assert!(matches!(request, ClientRequest::LoginChatGpt { .. }));
    let result = client_request_result(
        ClientRequestMethod::LoginChatGpt,
        json!({ "id": 20, "result": {
            "loginId": LOGIN,
            "authUrl": "https://auth.openai.com/oauth/authorize?client_id=app&state=xyz"
        }}),
    );
    let ClientRequestResult::LoginChatGpt { result, .. } = result else { panic!() };
    assert_eq!(result.login_id, LOGIN);
}

#[test]
fn cancel_login_chat_gpt_answers_empty_object_or_error() {
    let request = client_request(
        json!({ "id": 21, "method": "cancelLoginChatGpt", "params": { "loginId": LOGIN } }),
    );
    let ClientRequest::CancelLoginChatGpt { params, .. } = request else { panic!() };
    assert_eq!(params.login_id, LOGIN);
    client_request_result(
        ClientRequestMethod::CancelLoginChatGpt,
        json!({ "id": 21, "result": {} }),
    );

    // C1: an unknown login id is still a JSON-RPC error in v1.
    let mut pending = PendingRequests::new();
    pending.insert(RequestId::Integer(22), ClientRequestMethod::CancelLoginChatGpt);
    let line =
        json!({ "id": 22, "error": { "code": -32600, "message": "login id not found: 1234" } });
    let decoded = decode_server_message(&line.to_string(), &mut pending).unwrap();
    let ServerMessage::Error(error) = &decoded else { panic!("{decoded:?}") };
    assert_eq!(error.error.code.0, -32600);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), line);
    assert!(pending.is_empty());
}

#[test]
fn logout_chat_gpt() {
    let request = client_request(json!({ "id": 23, "method": "logoutChatGpt" }));
    assert!(matches!(request, ClientRequest::LogoutChatGpt { .. }));
    client_request_result(ClientRequestMethod::LogoutChatGpt, json!({ "id": 23, "result": {} }));
}

#[test]
fn get_auth_status() {
    let request = client_request(json!({
        "id": 24, "method": "getAuthStatus", "params": { "includeToken": true, "refreshToken": null }
    }));
    let ClientRequest::GetAuthStatus { params, .. } = request else { panic!() };
    assert_eq!(params.include_token, Some(true));
    assert_eq!(params.refresh_token, None);

    let result = client_request_result(
        ClientRequestMethod::GetAuthStatus,
        json!({ "id": 24, "result": {
            "authMethod": "chatgpt", "authToken": "eyJhbGciOi.payload.sig", "requiresOpenaiAuth": true
        }}),
    );
    let ClientRequestResult::GetAuthStatus { result, .. } = result else { panic!() };
    assert_eq!(result.auth_method, Some(AuthMode::ChatGpt));
    client_request_result(
        ClientRequestMethod::GetAuthStatus,
        json!({ "id": 25, "result": { "authMethod": null, "authToken": null, "requiresOpenaiAuth": null } }),
    );
}

#[test]
fn get_user_saved_config() {
    let request = client_request(json!({ "id": 26, "method": "getUserSavedConfig" }));
    assert!(matches!(request, ClientRequest::GetUserSavedConfig { .. }));
    let result = client_request_result(
        ClientRequestMethod::GetUserSavedConfig,
        json!({ "id": 26, "result": { "config": {
            "approvalPolicy": "on-failure",
            "sandboxMode": "workspace-write",
            "sandboxSettings": {
                "writableRoots": ["/home/me/.cache"],
                "networkAccess": false,
                "excludeTmpdirEnvVar": null,
                "excludeSlashTmp": true
            },
            "forcedChatgptWorkspaceId": null,
            "forcedLoginMethod": "chatgpt",
            "model": "gpt-5.1-codex",
            "modelReasoningEffort": "xhigh",
            "modelReasoningSummary": "detailed",
            "modelVerbosity": "low",
            "tools": { "webSearch": true, "viewImage": null },
            "profile": "work",
            "profiles": {
                "work": {
                    "model": "o3",
                    "modelProvider": "azure",
                    "approvalPolicy": "never",
                    "modelReasoningEffort": null,
                    "modelReasoningSummary": "concise",
                    "modelVerbosity": null,
                    "chatgptBaseUrl": null
                }
            }
        }}}),
    );
    let ClientRequestResult::GetUserSavedConfig { result, .. } = result else { panic!() };
    assert_eq!(result.config.model_reasoning_effort, Some(ReasoningEffort::XHigh));
    assert_eq!(result.config.profiles["work"].model.as_deref(), Some("o3"));

    // An empty config: every setting null, `profiles` an empty object.
    client_request_result(
        ClientRequestMethod::GetUserSavedConfig,
        json!({ "id": 27, "result": { "config": {
            "approvalPolicy": null, "sandboxMode": null, "sandboxSettings": null,
            "forcedChatgptWorkspaceId": null, "forcedLoginMethod": null, "model": null,
            "modelReasoningEffort": null, "modelReasoningSummary": null, "modelVerbosity": null,
            "tools": null, "profile": null, "profiles": {}
        }}}),
    );
}

#[test]
fn set_default_model() {
    let request = client_request(json!({
        "id": 28, "method": "setDefaultModel", "params": { "model": "gpt-5.1-codex", "reasoningEffort": "low" }
    }));
    let ClientRequest::SetDefaultModel { params, .. } = request else { panic!() };
    assert_eq!(params.reasoning_effort, Some(ReasoningEffort::Low));
    client_request(json!({
        "id": 29, "method": "setDefaultModel", "params": { "model": null, "reasoningEffort": null }
    }));
    client_request_result(ClientRequestMethod::SetDefaultModel, json!({ "id": 29, "result": {} }));
}

#[test]
fn get_user_agent() {
    let request = client_request(json!({ "id": 30, "method": "getUserAgent" }));
    assert!(matches!(request, ClientRequest::GetUserAgent { .. }));
    client_request_result(
        ClientRequestMethod::GetUserAgent,
        json!({ "id": 30, "result": { "userAgent": "codex_vscode/0.63.0 (Mac OS 15.1.0; arm64) vscode/1.96.0" } }),
    );
}

#[test]
fn user_info() {
    let request = client_request(json!({ "id": 31, "method": "userInfo" }));
    assert!(matches!(request, ClientRequest::UserInfo { .. }));
    let result = client_request_result(
        ClientRequestMethod::UserInfo,
        json!({ "id": 31, "result": { "allegedUserEmail": "dev@example.com" } }),
    );
    let ClientRequestResult::UserInfo { result, .. } = result else { panic!() };
    assert_eq!(result.alleged_user_email.as_deref(), Some("dev@example.com"));
    client_request_result(
        ClientRequestMethod::UserInfo,
        json!({ "id": 32, "result": { "allegedUserEmail": null } }),
    );
}

#[test]
fn fuzzy_file_search() {
    let request = client_request(json!({
        "id": 33, "method": "fuzzyFileSearch",
        "params": { "query": "srvmain", "roots": ["/home/me/project"], "cancellationToken": "search-7" }
    }));
    let ClientRequest::FuzzyFileSearch { params, .. } = request else { panic!() };
    assert_eq!(params.cancellation_token.as_deref(), Some("search-7"));
    let result = client_request_result(
        ClientRequestMethod::FuzzyFileSearch,
        json!({ "id": 33, "result": { "files": [
            { "root": "/home/me/project", "path": "server/src/main.rs", "file_name": "main.rs",
              "score": 182, "indices": [0, 1, 2, 14, 15, 16, 17] },
            { "root": "/home/me/project", "path": "server/main.go", "file_name": "main.go",
              "score": 90, "indices": null }
        ]}}),
    );
    let ClientRequestResult::FuzzyFileSearch { result, .. } = result else { panic!() };
    assert_eq!(result.files[0].file_name, "main.rs");
    assert_eq!(result.files[1].indices, None);
}

#[test]
fn exec_one_off_command() {
    let request = client_request(json!({
        "id": 34, "method": "execOneOffCommand",
        "params": {
            "command": ["git", "status", "--short"],
            "timeoutMs": 10000,
            "cwd": "/home/me/project",
            "sandboxPolicy": { "type": "read-only" }
        }
    }));
    let ClientRequest::ExecOneOffCommand { params, .. } = request else { panic!() };
    assert_eq!(params.timeout_ms, Some(10_000));
    assert_eq!(params.sandbox_policy, Some(SandboxPolicy::ReadOnly));
    client_request(json!({
        "id": 35, "method": "execOneOffCommand",
        "params": { "command": ["ls"], "timeoutMs": null, "cwd": null, "sandboxPolicy": null }
    }));
    let result = client_request_result(
        ClientRequestMethod::ExecOneOffCommand,
        json!({ "id": 35, "result": { "exitCode": 2, "stdout": "", "stderr": "ls: cannot access 'x'\n" } }),
    );
    let ClientRequestResult::ExecOneOffCommand { result, .. } = result else { panic!() };
    assert_eq!(result.exit_code, 2);
}

// ---------------------------------------------------------------------------------------------
// Server → client requests and the client's answers
// ---------------------------------------------------------------------------------------------

#[test]
fn apply_patch_approval() {
    let request = server_request(json!({
        "id": 0, "method": "applyPatchApproval",
        "params": {
            "conversationId": CONV,
            "callId": "call_patch_1",
            "fileChanges": {
                "/home/me/project/NOTES.md": { "type": "add", "content": "# Notes\n" },
                "/home/me/project/old.txt": { "type": "delete", "content": "bye\n" },
                "/home/me/project/src/lib.rs": {
                    "type": "update",
                    "unified_diff": "@@ -1 +1 @@\n-old\n+new\n",
                    "move_path": null
                },
                "/home/me/project/src/a.rs": {
                    "type": "update", "unified_diff": "", "move_path": "/home/me/project/src/b.rs"
                }
            },
            "reason": "Needs to write outside the workspace",
            "grantRoot": "/home/me/shared"
        }
    }));
    let ServerRequest::ApplyPatchApproval { params, .. } = request else { panic!() };
    assert_eq!(params.file_changes.len(), 4);
    assert_eq!(
        params.file_changes[&PathBuf::from("/home/me/project/src/a.rs")],
        v1::FileChange::Update {
            unified_diff: String::new(),
            move_path: Some("/home/me/project/src/b.rs".into())
        }
    );
    // Absent optional fields are written as null.
    server_request(json!({
        "id": "s-1", "method": "applyPatchApproval",
        "params": { "conversationId": CONV, "callId": "c", "fileChanges": {}, "reason": null, "grantRoot": null }
    }));

    for decision in ["approved", "approved_for_session", "denied", "abort"] {
        let result = server_request_result(
            ServerRequestMethod::ApplyPatchApproval,
            json!({ "id": 0, "result": { "decision": decision } }),
        );
        let ServerRequestResult::ApplyPatchApproval { result, .. } = result else { panic!() };
        assert_eq!(serde_json::to_value(result.decision).unwrap(), json!(decision));
    }
}

#[test]
fn exec_command_approval() {
    let request = server_request(json!({
        "id": 1, "method": "execCommandApproval",
        "params": {
            "conversationId": CONV,
            "callId": "call_exec_1",
            "command": ["bash", "-lc", "cat README.md && rg TODO src"],
            "cwd": "/home/me/project",
            "reason": "Needs network access to install dependencies",
            "risk": { "description": "Reads files only.", "risk_level": "low" },
            "parsedCmd": [
                { "type": "read", "cmd": "cat README.md", "name": "README.md", "path": "README.md" },
                { "type": "search", "cmd": "rg TODO src", "query": "TODO", "path": "src" },
                { "type": "list_files", "cmd": "ls", "path": null },
                { "type": "unknown", "cmd": "make" }
            ]
        }
    }));
    let ServerRequest::ExecCommandApproval { params, .. } = request else { panic!() };
    assert_eq!(params.risk.unwrap().risk_level, v1::SandboxRiskLevel::Low);
    assert_eq!(params.parsed_cmd[3], v1::ParsedCommand::Unknown { cmd: "make".into() });
    server_request(json!({
        "id": 2, "method": "execCommandApproval",
        "params": {
            "conversationId": CONV, "callId": "c", "command": ["ls"], "cwd": "/",
            "reason": null, "risk": null, "parsedCmd": []
        }
    }));

    let result = server_request_result(
        ServerRequestMethod::ExecCommandApproval,
        json!({ "id": 1, "result": { "decision": "denied" } }),
    );
    let ServerRequestResult::ExecCommandApproval { result, .. } = result else { panic!() };
    assert_eq!(result.decision, v1::ReviewDecision::Denied);
}

// ---------------------------------------------------------------------------------------------
// Server → client notifications
// ---------------------------------------------------------------------------------------------

#[test]
fn auth_status_change() {
    let notification = server_notification(
        json!({ "method": "authStatusChange", "params": { "authMethod": "apikey" } }),
    );
    let ServerNotification::AuthStatusChange { params } = notification else { panic!() };
    assert_eq!(params.auth_method, Some(AuthMode::ApiKey));
    server_notification(json!({ "method": "authStatusChange", "params": { "authMethod": null } }));
}

#[test]
fn login_chat_gpt_complete() {
    let notification = server_notification(json!({
        "method": "loginChatGptComplete",
        "params": { "loginId": LOGIN, "success": false, "error": "Login timed out" }
    }));
    let ServerNotification::LoginChatGptComplete { params } = notification else { panic!() };
    assert!(!params.success);
    server_notification(json!({
        "method": "loginChatGptComplete", "params": { "loginId": LOGIN, "success": true, "error": null }
    }));
}

#[test]
fn session_configured() {
    let notification = server_notification(json!({
        "method": "sessionConfigured",
        "params": {
            "sessionId": CONV,
            "model": "gpt-5.1-codex",
            "reasoningEffort": "medium",
            "historyLogId": 7_340_032u64,
            "historyEntryCount": 412,
            "initialMessages": [
                { "type": "user_message", "message": "hi", "images": ["data:image/png;base64,AAAA"] },
                { "type": "agent_message", "message": "Hello!" }
            ],
            "rolloutPath": "/home/me/.codex/sessions/rollout-a.jsonl"
        }
    }));
    let ServerNotification::SessionConfigured { params } = notification else { panic!() };
    assert_eq!(params.session_id, conv());
    assert_eq!(params.history_log_id, 7_340_032);
    assert_eq!(params.history_entry_count, 412);

    // The v1 notification writes `null` for absent optional fields (unlike the core event).
    server_notification(json!({
        "method": "sessionConfigured",
        "params": {
            "sessionId": CONV, "model": "o3", "reasoningEffort": null, "historyLogId": 0,
            "historyEntryCount": 0, "initialMessages": null, "rolloutPath": "/r.jsonl"
        }
    }));
}
