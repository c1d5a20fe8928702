//! Every `ThreadItem` variant, `UserInput`, the item parts, and the item delta notifications.

use app_server_protocol::v2::{
    AgentMessageDeltaNotification, CommandAction, CommandExecutionOutputDeltaNotification,
    CommandExecutionStatus, FileUpdateChange, McpToolCallError, McpToolCallProgressNotification,
    McpToolCallStatus, PatchApplyStatus, PatchChangeKind, ReasoningSummaryPartAddedNotification,
    ReasoningSummaryTextDeltaNotification, ReasoningTextDeltaNotification, ThreadItem, TodoItem,
    UserInput,
};
use serde_json::{Value, json};

use super::{agent_message, decodes_to_canonical, encode, rejects, round_trip};

// ---------------------------------------------------------------------------------------------
// ThreadItem: every variant
// ---------------------------------------------------------------------------------------------

#[test]
fn thread_item_user_message() {
    let item = ThreadItem::UserMessage {
        id: "item-0".into(),
        content: vec![
            UserInput::Text { text: "What does this screenshot show?".into() },
            UserInput::Image { url: "data:image/png;base64,iVBORw0KGgo=".into() },
            UserInput::LocalImage { path: "/home/dev/shot.png".into() },
        ],
    };
    round_trip(
        json!({
            "type": "userMessage",
            "id": "item-0",
            "content": [
                {"type": "text", "text": "What does this screenshot show?"},
                {"type": "image", "url": "data:image/png;base64,iVBORw0KGgo="},
                {"type": "localImage", "path": "/home/dev/shot.png"}
            ]
        }),
        item,
    );
    rejects::<UserInput>(json!({"type": "local_image", "path": "/x"}), "unknown variant");
}

#[test]
fn thread_item_agent_message() {
    round_trip(
        json!({"type": "agentMessage", "id": "item-1", "text": "All **12** tests pass."}),
        agent_message("item-1", "All **12** tests pass."),
    );
}

#[test]
fn thread_item_reasoning() {
    round_trip(
        json!({
            "type": "reasoning",
            "id": "item-2",
            "summary": ["**Reading the tests**", "**Fixing the bug**"],
            "content": ["The failing assertion compares ..."]
        }),
        ThreadItem::Reasoning {
            id: "item-2".into(),
            summary: vec!["**Reading the tests**".into(), "**Fixing the bug**".into()],
            content: vec!["The failing assertion compares ...".into()],
        },
    );
    // `summary` and `content` default to empty lists; output always writes them.
    decodes_to_canonical(
        json!({"type": "reasoning", "id": "item-2"}),
        ThreadItem::Reasoning { id: "item-2".into(), summary: vec![], content: vec![] },
        json!({"type": "reasoning", "id": "item-2", "summary": [], "content": []}),
    );
}

#[test]
fn thread_item_command_execution_running_and_finished() {
    round_trip(
        json!({
            "type": "commandExecution",
            "id": "item-3",
            "command": "rg -n todo src",
            "cwd": "/work/repo",
            "status": "inProgress",
            "commandActions": [
                {"type": "search", "command": "rg -n todo src", "query": "todo", "path": "src"}
            ],
            "aggregatedOutput": null,
            "exitCode": null,
            "durationMs": null
        }),
        ThreadItem::CommandExecution {
            id: "item-3".into(),
            command: "rg -n todo src".into(),
            cwd: "/work/repo".into(),
            status: CommandExecutionStatus::InProgress,
            command_actions: vec![CommandAction::Search {
                command: "rg -n todo src".into(),
                query: Some("todo".into()),
                path: Some("src".into()),
            }],
            aggregated_output: None,
            exit_code: None,
            duration_ms: None,
        },
    );
    round_trip(
        json!({
            "type": "commandExecution",
            "id": "item-4",
            "command": "cat Cargo.toml && ls && make",
            "cwd": "/work/repo",
            "status": "failed",
            "commandActions": [
                {"type": "read", "command": "cat Cargo.toml", "name": "Cargo.toml", "path": "Cargo.toml"},
                {"type": "listFiles", "command": "ls", "path": null},
                {"type": "search", "command": "rg", "query": null, "path": null},
                {"type": "unknown", "command": "make"}
            ],
            "aggregatedOutput": "make: *** No targets.  Stop.\n",
            "exitCode": -2,
            "durationMs": 1534
        }),
        ThreadItem::CommandExecution {
            id: "item-4".into(),
            command: "cat Cargo.toml && ls && make".into(),
            cwd: "/work/repo".into(),
            status: CommandExecutionStatus::Failed,
            command_actions: vec![
                CommandAction::Read {
                    command: "cat Cargo.toml".into(),
                    name: "Cargo.toml".into(),
                    path: "Cargo.toml".into(),
                },
                CommandAction::ListFiles { command: "ls".into(), path: None },
                CommandAction::Search { command: "rg".into(), query: None, path: None },
                CommandAction::Unknown { command: "make".into() },
            ],
            aggregated_output: Some("make: *** No targets.  Stop.\n".into()),
            exit_code: Some(-2),
            duration_ms: Some(1534),
        },
    );
    for (status, wire) in [
        (CommandExecutionStatus::InProgress, "inProgress"),
        (CommandExecutionStatus::Completed, "completed"),
        (CommandExecutionStatus::Failed, "failed"),
        (CommandExecutionStatus::Declined, "declined"),
    ] {
        round_trip(json!(wire), status);
    }
}

#[test]
fn thread_item_file_change() {
    round_trip(
        json!({
            "type": "fileChange",
            "id": "item-5",
            "changes": [
                {"path": "src/new.rs", "kind": {"type": "add"}, "diff": "pub fn f() {}\n"},
                {"path": "src/old.rs", "kind": {"type": "delete"}, "diff": ""},
                {"path": "src/lib.rs", "kind": {"type": "update", "move_path": null}, "diff": "@@ -1 +1 @@\n-a\n+b\n"},
                {"path": "src/a.rs", "kind": {"type": "update", "move_path": "src/b.rs"}, "diff": ""}
            ],
            "status": "completed"
        }),
        ThreadItem::FileChange {
            id: "item-5".into(),
            changes: vec![
                FileUpdateChange {
                    path: "src/new.rs".into(),
                    kind: PatchChangeKind::Add,
                    diff: "pub fn f() {}\n".into(),
                },
                FileUpdateChange {
                    path: "src/old.rs".into(),
                    kind: PatchChangeKind::Delete,
                    diff: "".into(),
                },
                FileUpdateChange {
                    path: "src/lib.rs".into(),
                    kind: PatchChangeKind::Update { move_path: None },
                    diff: "@@ -1 +1 @@\n-a\n+b\n".into(),
                },
                FileUpdateChange {
                    path: "src/a.rs".into(),
                    kind: PatchChangeKind::Update { move_path: Some("src/b.rs".into()) },
                    diff: "".into(),
                },
            ],
            status: PatchApplyStatus::Completed,
        },
    );
    // `move_path` stays snake_case: the camelCase spelling is not the wire key.
    decodes_to_canonical(
        json!({"type": "update", "movePath": "x"}),
        PatchChangeKind::Update { move_path: None },
        json!({"type": "update", "move_path": null}),
    );
    for (status, wire) in [
        (PatchApplyStatus::InProgress, "inProgress"),
        (PatchApplyStatus::Completed, "completed"),
        (PatchApplyStatus::Failed, "failed"),
        (PatchApplyStatus::Declined, "declined"),
    ] {
        round_trip(json!(wire), status);
    }
}

#[test]
fn thread_item_mcp_tool_call_running_completed_failed() {
    round_trip(
        json!({
            "type": "mcpToolCall",
            "id": "item-6",
            "server": "github",
            "tool": "search_issues",
            "status": "inProgress",
            "arguments": {"query": "is:open label:bug", "limit": 5},
            "result": null,
            "error": null
        }),
        ThreadItem::McpToolCall {
            id: "item-6".into(),
            server: "github".into(),
            tool: "search_issues".into(),
            status: McpToolCallStatus::InProgress,
            arguments: json!({"query": "is:open label:bug", "limit": 5}),
            result: None,
            error: None,
        },
    );
    let completed = json!({
        "type": "mcpToolCall",
        "id": "item-6",
        "server": "github",
        "tool": "search_issues",
        "status": "completed",
        "arguments": {"query": "is:open label:bug"},
        "result": {"content": [{"type": "text", "text": "3 issues found"}], "structuredContent": {"count": 3}},
        "error": null
    });
    let decoded: ThreadItem = serde_json::from_value(completed.clone()).unwrap();
    match &decoded {
        ThreadItem::McpToolCall { status, result: Some(result), error: None, .. } => {
            assert_eq!(*status, McpToolCallStatus::Completed);
            assert_eq!(result.content.len(), 1);
            assert_eq!(result.structured_content, Some(json!({"count": 3})));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(encode(&decoded), completed);

    round_trip(
        json!({
            "type": "mcpToolCall",
            "id": "item-7",
            "server": "github",
            "tool": "search_issues",
            "status": "failed",
            "arguments": null,
            "result": null,
            "error": {"message": "tool timed out after 60s"}
        }),
        ThreadItem::McpToolCall {
            id: "item-7".into(),
            server: "github".into(),
            tool: "search_issues".into(),
            status: McpToolCallStatus::Failed,
            arguments: Value::Null,
            result: None,
            error: Some(McpToolCallError { message: "tool timed out after 60s".into() }),
        },
    );
    // `arguments` is required (any JSON, but present).
    rejects::<ThreadItem>(
        json!({"type": "mcpToolCall", "id": "i", "server": "s", "tool": "t", "status": "completed"}),
        "missing field `arguments`",
    );
}

#[test]
fn thread_item_web_search_todo_list_image_view_code_review() {
    round_trip(
        json!({"type": "webSearch", "id": "item-8", "query": "serde internally tagged enum"}),
        ThreadItem::WebSearch { id: "item-8".into(), query: "serde internally tagged enum".into() },
    );
    round_trip(
        json!({
            "type": "todoList",
            "id": "item-9",
            "items": [
                {"id": "1", "text": "Reproduce the bug", "completed": true},
                {"id": "2", "text": "Add a regression test", "completed": false}
            ]
        }),
        ThreadItem::TodoList {
            id: "item-9".into(),
            items: vec![
                TodoItem { id: "1".into(), text: "Reproduce the bug".into(), completed: true },
                TodoItem { id: "2".into(), text: "Add a regression test".into(), completed: false },
            ],
        },
    );
    round_trip(
        json!({"type": "imageView", "id": "item-10", "path": "/work/repo/docs/arch.png"}),
        ThreadItem::ImageView { id: "item-10".into(), path: "/work/repo/docs/arch.png".into() },
    );
    round_trip(
        json!({"type": "codeReview", "id": "item-11", "review": "No issues found."}),
        ThreadItem::CodeReview { id: "item-11".into(), review: "No issues found.".into() },
    );
}

#[test]
fn thread_item_keeps_unknown_types_and_never_reads_a_snake_case_tag_as_a_known_kind() {
    // The union is open: a kind it does not know (here a snake_case spelling) is kept whole,
    // never read as `agentMessage`.
    let item = json!({"type": "agent_message", "id": "i", "text": "x"});
    let decoded: ThreadItem = serde_json::from_value(item.clone()).unwrap();
    assert!(matches!(&decoded, ThreadItem::Unknown(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), item);
    rejects::<ThreadItem>(json!({"id": "i", "text": "x"}), "missing field `type`");
    assert_eq!(agent_message("abc", "x").id(), "abc");
}

#[test]
fn item_delta_notifications() {
    round_trip(
        json!({"itemId": "item-1", "delta": "Hel"}),
        AgentMessageDeltaNotification::new("item-1", "Hel"),
    );
    round_trip(
        json!({"itemId": "item-3", "delta": "running 12 tests\n"}),
        CommandExecutionOutputDeltaNotification::new("item-3", "running 12 tests\n"),
    );
    round_trip(
        json!({"itemId": "item-6", "message": "fetching page 2"}),
        McpToolCallProgressNotification::new("item-6", "fetching page 2"),
    );
    round_trip(
        json!({"itemId": "item-2", "delta": "**Read", "summaryIndex": 0}),
        ReasoningSummaryTextDeltaNotification::new("item-2", "**Read", 0),
    );
    round_trip(
        json!({"itemId": "item-2", "summaryIndex": 1}),
        ReasoningSummaryPartAddedNotification::new("item-2", 1),
    );
    round_trip(
        json!({"itemId": "item-2", "delta": "First", "contentIndex": 0}),
        ReasoningTextDeltaNotification::new("item-2", "First", 0),
    );
    rejects::<ReasoningSummaryTextDeltaNotification>(
        json!({"itemId": "i", "delta": "x"}),
        "missing field `summaryIndex`",
    );
}
