//! The core `ResponseItem` family reached from `thread/resume`'s `history` (snake_case, catch-all
//! `other`, `id` read but never written, the function-call output's two forms), and
//! `ConversationId`.

use app_server_protocol::core_types::{
    ContentItem, ConversationId, FunctionCallOutputContentItem, FunctionCallOutputPayload,
    GhostCommit, LocalShellAction, LocalShellExecAction, LocalShellStatus, ReasoningItemContent,
    ReasoningItemReasoningSummary, ResponseItem, WebSearchAction,
};
use serde_json::json;

use super::{decodes_to_canonical, encode, rejects, round_trip};

// ---------------------------------------------------------------------------------------------
// Core ResponseItem family (thread/resume history)
// ---------------------------------------------------------------------------------------------

#[test]
fn response_item_message_drops_id_on_output() {
    let expected = ResponseItem::Message {
        id: Some("msg_01".into()),
        role: "assistant".into(),
        content: vec![ContentItem::OutputText { text: "Done.".into() }],
    };
    decodes_to_canonical(
        json!({"type": "message", "id": "msg_01", "role": "assistant", "content": [{"type": "output_text", "text": "Done."}]}),
        expected,
        json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Done."}]}),
    );
    round_trip(
        json!({
            "type": "message",
            "role": "user",
            "content": [
                {"type": "input_text", "text": "What is in this image?"},
                {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo="}
            ]
        }),
        ResponseItem::Message {
            id: None,
            role: "user".into(),
            content: vec![
                ContentItem::InputText { text: "What is in this image?".into() },
                ContentItem::InputImage { image_url: "data:image/png;base64,iVBORw0KGgo=".into() },
            ],
        },
    );
}

#[test]
fn response_item_reasoning_content_follows_the_0_63_crate() {
    let summary = json!([{"type": "summary_text", "text": "**Planning**"}]);
    // With a reasoning_text part: written.
    round_trip(
        json!({
            "type": "reasoning",
            "summary": summary,
            "content": [{"type": "reasoning_text", "text": "Look at the failing test first."}],
            "encrypted_content": "gAAAAB..."
        }),
        ResponseItem::Reasoning {
            id: String::new(),
            summary: vec![ReasoningItemReasoningSummary::SummaryText {
                text: "**Planning**".into(),
            }],
            content: Some(vec![ReasoningItemContent::ReasoningText {
                text: "Look at the failing test first.".into(),
            }]),
            encrypted_content: Some("gAAAAB...".into()),
        },
    );
    // Only `text` parts: omitted. `id` read, never written.
    decodes_to_canonical(
        json!({
            "type": "reasoning",
            "id": "rs_01",
            "summary": summary,
            "content": [{"type": "text", "text": "plain"}],
            "encrypted_content": null
        }),
        ResponseItem::Reasoning {
            id: "rs_01".into(),
            summary: vec![ReasoningItemReasoningSummary::SummaryText {
                text: "**Planning**".into(),
            }],
            content: Some(vec![ReasoningItemContent::Text { text: "plain".into() }]),
            encrypted_content: None,
        },
        json!({"type": "reasoning", "summary": summary, "encrypted_content": null}),
    );
    // `null` / absent content: written as `null`, as the 0.63.0 crate writes it.
    for input in [
        json!({"type": "reasoning", "summary": [], "content": null, "encrypted_content": null}),
        json!({"type": "reasoning", "summary": []}),
    ] {
        decodes_to_canonical(
            input,
            ResponseItem::Reasoning {
                id: String::new(),
                summary: vec![],
                content: None,
                encrypted_content: None,
            },
            json!({"type": "reasoning", "summary": [], "content": null, "encrypted_content": null}),
        );
    }
    // An empty list holds no `reasoning_text` part: omitted.
    decodes_to_canonical(
        json!({"type": "reasoning", "summary": [], "content": [], "encrypted_content": null}),
        ResponseItem::Reasoning {
            id: String::new(),
            summary: vec![],
            content: Some(vec![]),
            encrypted_content: None,
        },
        json!({"type": "reasoning", "summary": [], "encrypted_content": null}),
    );
}

#[test]
fn response_item_local_shell_call() {
    round_trip(
        json!({
            "type": "local_shell_call",
            "call_id": "call_7",
            "status": "in_progress",
            "action": {
                "type": "exec",
                "command": ["ls", "-la"],
                "timeout_ms": 10000,
                "working_directory": "/work/repo",
                "env": {"LANG": "C", "PAGER": "cat"},
                "user": null
            }
        }),
        ResponseItem::LocalShellCall {
            id: None,
            call_id: Some("call_7".into()),
            status: LocalShellStatus::InProgress,
            action: LocalShellAction::Exec(LocalShellExecAction {
                command: vec!["ls".into(), "-la".into()],
                timeout_ms: Some(10000),
                working_directory: Some("/work/repo".into()),
                env: Some(
                    [("LANG".to_owned(), "C".to_owned()), ("PAGER".to_owned(), "cat".to_owned())]
                        .into(),
                ),
                user: None,
            }),
        },
    );
    decodes_to_canonical(
        json!({"type": "local_shell_call", "id": "lsh_1", "call_id": null, "status": "incomplete",
               "action": {"type": "exec", "command": ["pwd"]}}),
        ResponseItem::LocalShellCall {
            id: Some("lsh_1".into()),
            call_id: None,
            status: LocalShellStatus::Incomplete,
            action: LocalShellAction::Exec(LocalShellExecAction {
                command: vec!["pwd".into()],
                timeout_ms: None,
                working_directory: None,
                env: None,
                user: None,
            }),
        },
        json!({"type": "local_shell_call", "call_id": null, "status": "incomplete",
               "action": {"type": "exec", "command": ["pwd"], "timeout_ms": null,
                          "working_directory": null, "env": null, "user": null}}),
    );
    round_trip(json!("completed"), LocalShellStatus::Completed);
}

#[test]
fn response_item_function_call_and_output_forms() {
    decodes_to_canonical(
        json!({"type": "function_call", "id": "fc_1", "name": "shell",
               "arguments": "{\"command\":[\"ls\"]}", "call_id": "call_42"}),
        ResponseItem::FunctionCall {
            id: Some("fc_1".into()),
            name: "shell".into(),
            arguments: "{\"command\":[\"ls\"]}".into(),
            call_id: "call_42".into(),
        },
        json!({"type": "function_call", "name": "shell", "arguments": "{\"command\":[\"ls\"]}", "call_id": "call_42"}),
    );
    // Output as a plain string.
    round_trip(
        json!({"type": "function_call_output", "call_id": "call_42", "output": "Cargo.toml\nsrc\n"}),
        ResponseItem::FunctionCallOutput {
            call_id: "call_42".into(),
            output: FunctionCallOutputPayload {
                content: "Cargo.toml\nsrc\n".into(),
                content_items: None,
                success: None,
            },
        },
    );
    // Output as an array of content items.
    let items_wire = json!([
        {"type": "input_text", "text": "Screenshot taken"},
        {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo="}
    ]);
    let items = vec![
        FunctionCallOutputContentItem::InputText { text: "Screenshot taken".into() },
        FunctionCallOutputContentItem::InputImage {
            image_url: "data:image/png;base64,iVBORw0KGgo=".into(),
        },
    ];
    round_trip(
        json!({"type": "function_call_output", "call_id": "call_43", "output": items_wire}),
        ResponseItem::FunctionCallOutput {
            call_id: "call_43".into(),
            output: FunctionCallOutputPayload {
                // The text form is the items' JSON text.
                content: serde_json::to_string(&items).unwrap(),
                content_items: Some(items.clone()),
                success: None,
            },
        },
    );
    // `success` is not on the wire; content items win over the text.
    let payload = FunctionCallOutputPayload {
        content: "ignored".into(),
        content_items: Some(items),
        success: Some(true),
    };
    assert_eq!(encode(&payload), items_wire);
    let text = FunctionCallOutputPayload {
        content: "ok".into(),
        content_items: None,
        success: Some(false),
    };
    assert_eq!(encode(&text), json!("ok"));
    assert_eq!(
        FunctionCallOutputPayload::from_text("ok"),
        FunctionCallOutputPayload { success: None, ..text }
    );
    // Neither a string nor an array: rejected.
    rejects::<FunctionCallOutputPayload>(json!({"content": "x"}), "a string or an array");
    rejects::<FunctionCallOutputPayload>(json!(42), "a string or an array");
    rejects::<FunctionCallOutputPayload>(
        json!([{"type": "output_text", "text": "x"}]),
        "unknown variant",
    );
}

#[test]
fn response_item_custom_tool_call_and_output() {
    round_trip(
        json!({"type": "custom_tool_call", "status": "completed", "call_id": "call_9",
               "name": "apply_patch", "input": "*** Begin Patch\n*** End Patch\n"}),
        ResponseItem::CustomToolCall {
            id: None,
            status: Some("completed".into()),
            call_id: "call_9".into(),
            name: "apply_patch".into(),
            input: "*** Begin Patch\n*** End Patch\n".into(),
        },
    );
    // `status` omitted when absent (also when read as null); `id` never written.
    decodes_to_canonical(
        json!({"type": "custom_tool_call", "id": "ctc_1", "status": null, "call_id": "call_9",
               "name": "apply_patch", "input": ""}),
        ResponseItem::CustomToolCall {
            id: Some("ctc_1".into()),
            status: None,
            call_id: "call_9".into(),
            name: "apply_patch".into(),
            input: "".into(),
        },
        json!({"type": "custom_tool_call", "call_id": "call_9", "name": "apply_patch", "input": ""}),
    );
    round_trip(
        json!({"type": "custom_tool_call_output", "call_id": "call_9", "output": "Success. Updated 1 file."}),
        ResponseItem::CustomToolCallOutput {
            call_id: "call_9".into(),
            output: "Success. Updated 1 file.".into(),
        },
    );
}

#[test]
fn response_item_web_search_call_and_actions() {
    decodes_to_canonical(
        json!({"type": "web_search_call", "id": "ws_1", "status": "completed",
               "action": {"type": "search", "query": "tokio select cancel safety"}}),
        ResponseItem::WebSearchCall {
            id: Some("ws_1".into()),
            status: Some("completed".into()),
            action: WebSearchAction::Search { query: Some("tokio select cancel safety".into()) },
        },
        json!({"type": "web_search_call", "status": "completed",
               "action": {"type": "search", "query": "tokio select cancel safety"}}),
    );
    round_trip(
        json!({"type": "web_search_call", "action": {"type": "open_page", "url": "https://docs.rs/tokio"}}),
        ResponseItem::WebSearchCall {
            id: None,
            status: None,
            action: WebSearchAction::OpenPage { url: Some("https://docs.rs/tokio".into()) },
        },
    );
    round_trip(
        json!({"type": "find_in_page", "url": "https://docs.rs/tokio", "pattern": "select!"}),
        WebSearchAction::FindInPage {
            url: Some("https://docs.rs/tokio".into()),
            pattern: Some("select!".into()),
        },
    );
    // Absent fields are omitted on output, nulls read as absent.
    decodes_to_canonical(
        json!({"type": "find_in_page", "url": null}),
        WebSearchAction::FindInPage { url: None, pattern: None },
        json!({"type": "find_in_page"}),
    );
    round_trip(json!({"type": "search"}), WebSearchAction::Search { query: None });
    // Catch-all: unknown action types decode to `other`.
    round_trip(json!({"type": "other"}), WebSearchAction::Other);
    decodes_to_canonical(
        json!({"type": "scroll_page", "offset": 300}),
        WebSearchAction::Other,
        json!({"type": "other"}),
    );
    // A known tag with a wrong field type is still an error, not `other`.
    rejects::<WebSearchAction>(json!({"type": "search", "query": 5}), "invalid type");
}

#[test]
fn response_item_ghost_snapshot_and_compaction_summary() {
    round_trip(
        json!({"type": "ghost_snapshot", "ghost_commit": {
            "id": "3f2a9c1", "parent": "9b8e7d6",
            "preexisting_untracked_files": ["notes.txt"], "preexisting_untracked_dirs": ["tmp/"]
        }}),
        ResponseItem::GhostSnapshot {
            ghost_commit: GhostCommit {
                id: "3f2a9c1".into(),
                parent: Some("9b8e7d6".into()),
                preexisting_untracked_files: vec!["notes.txt".into()],
                preexisting_untracked_dirs: vec!["tmp/".into()],
            },
        },
    );
    round_trip(
        json!({"id": "3f2a9c1", "parent": null, "preexisting_untracked_files": [], "preexisting_untracked_dirs": []}),
        GhostCommit {
            id: "3f2a9c1".into(),
            parent: None,
            preexisting_untracked_files: vec![],
            preexisting_untracked_dirs: vec![],
        },
    );
    round_trip(
        json!({"type": "compaction_summary", "encrypted_content": "gAAAAB-summary"}),
        ResponseItem::CompactionSummary { encrypted_content: "gAAAAB-summary".into() },
    );
}

#[test]
fn response_item_unknown_types_decode_to_other() {
    round_trip(json!({"type": "other"}), ResponseItem::Other);
    decodes_to_canonical(
        json!({"type": "image_generation_call", "id": "ig_1", "result": "iVBORw0KGgo="}),
        ResponseItem::Other,
        json!({"type": "other"}),
    );
    // A history with an unknown item in the middle still decodes.
    let history: Vec<ResponseItem> = serde_json::from_value(json!([
        {"type": "message", "role": "user", "content": []},
        {"type": "mcp_list_tools", "tools": []},
        {"type": "custom_tool_call_output", "call_id": "c", "output": "ok"}
    ]))
    .unwrap();
    assert_eq!(history[1], ResponseItem::Other);
    assert_eq!(history.len(), 3);
    // Known tags with a missing field are errors, not `other`.
    rejects::<ResponseItem>(
        json!({"type": "function_call", "name": "shell", "call_id": "c"}),
        "missing field `arguments`",
    );
    rejects::<ResponseItem>(json!({"type": "message", "role": "user"}), "missing field `content`");
    rejects::<ResponseItem>(json!({"role": "user", "content": []}), "missing field `type`");
    // Tags are case-sensitive: `functionCall` is not `function_call`, so it is unknown.
    decodes_to_canonical(
        json!({"type": "functionCall", "name": "x"}),
        ResponseItem::Other,
        json!({"type": "other"}),
    );
}

// ---------------------------------------------------------------------------------------------
// ConversationId
// ---------------------------------------------------------------------------------------------

#[test]
fn conversation_id_is_a_validated_uuid_string() {
    let id: ConversationId =
        serde_json::from_value(json!("67e55044-10b1-426f-9247-bb680e5fe0c8")).unwrap();
    assert_eq!(id.as_str(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(encode(&id), json!("67e55044-10b1-426f-9247-bb680e5fe0c8"));
    assert_eq!(id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!("67e55044-10b1-426f-9247-bb680e5fe0c8".parse::<ConversationId>().unwrap(), id);

    // Upper case is accepted and written in lower case.
    decodes_to_canonical(
        json!("67E55044-10B1-426F-9247-BB680E5FE0C8"),
        id.clone(),
        json!("67e55044-10b1-426f-9247-bb680e5fe0c8"),
    );
    assert_eq!(ConversationId::from_u128(0x67e55044_10b1_426f_9247_bb680e5fe0c8), id);
    assert_eq!(ConversationId::from_u128(1).as_str(), "00000000-0000-0000-0000-000000000001");

    for bad in [
        "",
        "thr_123",
        "67e55044-10b1-426f-9247-bb680e5fe0c",
        "67e55044-10b1-426f-9247-bb680e5fe0c8a",
        "67e5504410b1426f9247bb680e5fe0c8",
        "67e55044-10b1-426f-9247bb680e5fe0c8",
        "67e55044-10b1-426f-9247-bb680e5fe0c8-",
        "67e5504g-10b1-426f-9247-bb680e5fe0c8",
        "67e55044_10b1_426f_9247_bb680e5fe0c8",
        "+7e55044-10b1-426f-9247-bb680e5fe0c8",
    ] {
        rejects::<ConversationId>(json!(bad), "invalid conversation id");
        assert!(bad.parse::<ConversationId>().is_err(), "{bad:?}");
    }
    rejects::<ConversationId>(json!(42), "invalid type");
    rejects::<ConversationId>(json!(null), "invalid type");
}
