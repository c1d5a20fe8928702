//! Threads (`thread/*` params, responses and notification), `turn/start`, the empty
//! responses, the v2 sandbox twins and `review/start`.

use std::collections::BTreeMap;

use app_server_protocol::core_types::{
    self, ContentItem, ReasoningEffort, ReasoningSummary, ResponseItem,
};
use app_server_protocol::v2::{
    AskForApproval, ReviewStartParams, ReviewTarget, SandboxMode, SandboxPolicy, Thread,
    ThreadArchiveParams, ThreadArchiveResponse, ThreadCompactResponse, ThreadListParams,
    ThreadListResponse, ThreadResumeParams, ThreadResumeResponse, ThreadStartParams,
    ThreadStartResponse, ThreadStartedNotification, Turn, TurnInterruptParams,
    TurnInterruptResponse, TurnStartParams, TurnStartResponse, TurnStatus, UserInput,
    WindowsWorldWritableWarningNotification,
};
use std::num::NonZeroU32;

use serde_json::{Value, json};

use super::{completed_turn, decodes_to_canonical, encode, rejects, round_trip};

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

fn thread_wire(turns: Value) -> Value {
    json!({
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "preview": "Fix the failing login test",
        "modelProvider": "openai",
        "createdAt": 1732540800,
        "path": "/home/dev/.codex/sessions/2024/11/25/rollout-67e55044.jsonl",
        "turns": turns
    })
}

fn thread(turns: Vec<Turn>) -> Thread {
    Thread {
        id: "67e55044-10b1-426f-9247-bb680e5fe0c8".into(),
        preview: "Fix the failing login test".into(),
        model_provider: "openai".into(),
        created_at: 1732540800,
        path: "/home/dev/.codex/sessions/2024/11/25/rollout-67e55044.jsonl".into(),
        turns,
    }
}

#[test]
fn thread_start_params_omit_absent_fields_and_accept_nulls() {
    assert_eq!(encode(&ThreadStartParams::default()), json!({}));
    let full = ThreadStartParams::new()
        .with_model("gpt-5.1-codex")
        .with_model_provider("openai")
        .with_cwd("/work/repo")
        .with_approval_policy(AskForApproval::UnlessTrusted)
        .with_sandbox(SandboxMode::WorkspaceWrite)
        .with_config(BTreeMap::from([("model_reasoning_effort".to_owned(), json!("high"))]))
        .with_base_instructions("You are terse.")
        .with_developer_instructions("Prefer small diffs.");
    round_trip(
        json!({
            "model": "gpt-5.1-codex",
            "modelProvider": "openai",
            "cwd": "/work/repo",
            "approvalPolicy": "unlessTrusted",
            "sandbox": "workspaceWrite",
            "config": {"model_reasoning_effort": "high"},
            "baseInstructions": "You are terse.",
            "developerInstructions": "Prefer small diffs."
        }),
        full,
    );
    // A baseline client writes explicit nulls: they read as absent.
    decodes_to_canonical(
        json!({"model": null, "cwd": "/w", "approvalPolicy": null, "sandbox": null, "config": null}),
        ThreadStartParams::new().with_cwd("/w"),
        json!({"cwd": "/w"}),
    );
    rejects::<ThreadStartParams>(json!({"sandbox": "workspace-write"}), "unknown variant");
}

#[test]
fn thread_start_and_resume_responses() {
    let wire = json!({
        "thread": thread_wire(json!([])),
        "model": "gpt-5.1-codex",
        "modelProvider": "openai",
        "cwd": "/work/repo",
        "approvalPolicy": "onRequest",
        "sandbox": {
            "type": "workspaceWrite",
            "writableRoots": [],
            "networkAccess": false,
            "excludeTmpdirEnvVar": false,
            "excludeSlashTmp": false
        },
        "reasoningEffort": null
    });
    round_trip(
        wire,
        ThreadStartResponse::new(
            thread(vec![]),
            "gpt-5.1-codex",
            "openai",
            "/work/repo",
            AskForApproval::OnRequest,
            SandboxPolicy::WorkspaceWrite {
                writable_roots: vec![],
                network_access: false,
                exclude_tmpdir_env_var: false,
                exclude_slash_tmp: false,
            },
        ),
    );
    let resumed = json!({
        "thread": thread_wire(json!([{
            "id": "turn-1",
            "items": [{"type": "agentMessage", "id": "item-1", "text": "Hello!"}],
            "status": "completed",
            "error": null
        }])),
        "model": "gpt-5.1-codex",
        "modelProvider": "openai",
        "cwd": "/work/repo",
        "approvalPolicy": "never",
        "sandbox": {"type": "dangerFullAccess"},
        "reasoningEffort": "xhigh"
    });
    let decoded: ThreadResumeResponse = serde_json::from_value(resumed.clone()).unwrap();
    assert_eq!(decoded.thread, thread(vec![completed_turn()]));
    assert_eq!(decoded.reasoning_effort, Some(ReasoningEffort::XHigh));
    assert_eq!(decoded.sandbox, SandboxPolicy::DangerFullAccess);
    assert_eq!(encode(&decoded), resumed);
}

#[test]
fn thread_started_notification() {
    round_trip(
        json!({"thread": thread_wire(json!([]))}),
        ThreadStartedNotification::new(thread(vec![])),
    );
}

#[test]
fn thread_resume_params_with_history() {
    let wire = json!({
        "threadId": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "history": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hello!"}]}
        ],
        "sandbox": "readOnly"
    });
    round_trip(
        wire,
        ThreadResumeParams::new("67e55044-10b1-426f-9247-bb680e5fe0c8")
            .with_history(vec![
                ResponseItem::Message {
                    id: None,
                    role: "user".into(),
                    content: vec![ContentItem::InputText { text: "hi".into() }],
                },
                ResponseItem::Message {
                    id: None,
                    role: "assistant".into(),
                    content: vec![ContentItem::OutputText { text: "Hello!".into() }],
                },
            ])
            .with_sandbox(SandboxMode::ReadOnly),
    );
    rejects::<ThreadResumeParams>(json!({"path": "/x.jsonl"}), "missing field `threadId`");
}

#[test]
fn thread_list_params_and_full_page_contract() {
    assert_eq!(encode(&ThreadListParams::default()), json!({}));
    round_trip(
        json!({"cursor": "c-2", "limit": 10, "modelProviders": ["openai", "oss"]}),
        ThreadListParams::new()
            .with_cursor("c-2")
            .with_limit(NonZeroU32::new(10).unwrap())
            .with_model_providers(vec!["openai".into(), "oss".into()]),
    );
    decodes_to_canonical(
        json!({"cursor": null, "limit": null, "modelProviders": null}),
        ThreadListParams::default(),
        json!({}),
    );
    rejects::<ThreadListParams>(json!({"limit": -1}), "invalid value");
    // The bound is part of the type: `0` does not decode.
    rejects::<ThreadListParams>(json!({"limit": 0}), "invalid value: integer `0`");
    assert_eq!(ThreadListParams::DEFAULT_LIMIT.get(), 25);
    assert_eq!(ThreadListParams::default().effective_limit().get(), 25);
    assert_eq!(
        ThreadListParams::new().with_limit(NonZeroU32::new(7).unwrap()).effective_limit().get(),
        7
    );
}

#[test]
fn thread_list_response_writes_next_cursor_null() {
    round_trip(
        json!({"data": [thread_wire(json!([]))], "nextCursor": null}),
        ThreadListResponse::new(vec![thread(vec![])]),
    );
    round_trip(
        json!({"data": [], "nextCursor": "c-3"}),
        ThreadListResponse::new(vec![]).with_next_cursor("c-3"),
    );
    // The baseline may leave `nextCursor` out; it reads as null.
    decodes_to_canonical(
        json!({"data": []}),
        ThreadListResponse::new(vec![]),
        json!({"data": [], "nextCursor": null}),
    );
}

#[test]
fn empty_params_and_responses() {
    round_trip(json!({"threadId": "thr-1"}), ThreadArchiveParams::new("thr-1"));
    round_trip(json!({}), ThreadArchiveResponse::new());
    round_trip(json!({}), ThreadCompactResponse::new());
    round_trip(json!({}), TurnInterruptResponse::new());
    round_trip(
        json!({"threadId": "thr-1", "turnId": "turn-1"}),
        TurnInterruptParams::new("thr-1", "turn-1"),
    );
}

// ---------------------------------------------------------------------------------------------
// Turns: turn/start
// ---------------------------------------------------------------------------------------------

#[test]
fn turn_start_params_minimal_and_full() {
    round_trip(
        json!({"threadId": "thr-1", "input": [{"type": "text", "text": "Run the tests"}]}),
        TurnStartParams::new("thr-1", vec![UserInput::Text { text: "Run the tests".into() }]),
    );
    round_trip(
        json!({
            "threadId": "thr-1",
            "input": [{"type": "text", "text": "Run the tests"}],
            "cwd": "/work/repo",
            "approvalPolicy": "onFailure",
            "sandboxPolicy": {
                "type": "workspaceWrite",
                "writableRoots": ["/data"],
                "networkAccess": true,
                "excludeTmpdirEnvVar": false,
                "excludeSlashTmp": true
            },
            "model": "gpt-5.1-codex",
            "effort": "high",
            "summary": "concise"
        }),
        TurnStartParams::new("thr-1", vec![UserInput::Text { text: "Run the tests".into() }])
            .with_cwd("/work/repo")
            .with_approval_policy(AskForApproval::OnFailure)
            .with_sandbox_policy(SandboxPolicy::WorkspaceWrite {
                writable_roots: vec!["/data".into()],
                network_access: true,
                exclude_tmpdir_env_var: false,
                exclude_slash_tmp: true,
            })
            .with_model("gpt-5.1-codex")
            .with_effort(ReasoningEffort::High)
            .with_summary(ReasoningSummary::Concise),
    );
    rejects::<TurnStartParams>(json!({"threadId": "thr-1"}), "missing field `input`");
}

#[test]
fn turn_start_response() {
    round_trip(
        json!({"turn": {"id": "turn-1", "items": [], "status": "inProgress", "error": null}}),
        TurnStartResponse::new(Turn {
            id: "turn-1".into(),
            items: vec![],
            status: TurnStatus::InProgress,
            error: None,
        }),
    );
}

// ---------------------------------------------------------------------------------------------
// Sandbox twins and review
// ---------------------------------------------------------------------------------------------

#[test]
fn v2_sandbox_twins_are_camel_case_and_convert_to_core() {
    for (policy, wire) in [
        (AskForApproval::UnlessTrusted, "unlessTrusted"),
        (AskForApproval::OnFailure, "onFailure"),
        (AskForApproval::OnRequest, "onRequest"),
        (AskForApproval::Never, "never"),
    ] {
        round_trip(json!(wire), policy);
        assert_eq!(AskForApproval::from(core_types::AskForApproval::from(policy)), policy);
    }
    for (mode, wire) in [
        (SandboxMode::ReadOnly, "readOnly"),
        (SandboxMode::WorkspaceWrite, "workspaceWrite"),
        (SandboxMode::DangerFullAccess, "dangerFullAccess"),
    ] {
        round_trip(json!(wire), mode);
        assert_eq!(SandboxMode::from(core_types::SandboxMode::from(mode)), mode);
    }
    rejects::<AskForApproval>(json!("on-request"), "unknown variant");
    round_trip(json!({"type": "readOnly"}), SandboxPolicy::ReadOnly);
    round_trip(json!({"type": "dangerFullAccess"}), SandboxPolicy::DangerFullAccess);
    let workspace = SandboxPolicy::WorkspaceWrite {
        writable_roots: vec![],
        network_access: false,
        exclude_tmpdir_env_var: false,
        exclude_slash_tmp: false,
    };
    decodes_to_canonical(
        json!({"type": "workspaceWrite"}),
        workspace.clone(),
        json!({
            "type": "workspaceWrite",
            "writableRoots": [],
            "networkAccess": false,
            "excludeTmpdirEnvVar": false,
            "excludeSlashTmp": false
        }),
    );
    let core = core_types::SandboxPolicy::from(workspace.clone());
    assert_eq!(
        encode(&core),
        json!({"type": "workspace-write", "network_access": false, "exclude_tmpdir_env_var": false, "exclude_slash_tmp": false})
    );
    assert_eq!(SandboxPolicy::from(core), workspace);
}

#[test]
fn windows_world_writable_warning() {
    round_trip(
        json!({"samplePaths": ["C:\\Users\\Public", "C:\\temp"], "extraCount": 3, "failedScan": false}),
        WindowsWorldWritableWarningNotification::new(
            vec!["C:\\Users\\Public".into(), "C:\\temp".into()],
            3,
            false,
        ),
    );
    rejects::<WindowsWorldWritableWarningNotification>(
        json!({"samplePaths": [], "extraCount": -1, "failedScan": false}),
        "invalid value",
    );
}

#[test]
fn review_start_params_and_targets() {
    round_trip(
        json!({"threadId": "thr-1", "target": {"type": "uncommittedChanges"}, "appendToOriginalThread": true}),
        ReviewStartParams::new("thr-1", ReviewTarget::UncommittedChanges)
            .with_append_to_original_thread(true),
    );
    decodes_to_canonical(
        json!({"threadId": "thr-1", "target": {"type": "baseBranch", "branch": "main"}}),
        ReviewStartParams::new("thr-1", ReviewTarget::BaseBranch { branch: "main".into() })
            .with_append_to_original_thread(false),
        json!({"threadId": "thr-1", "target": {"type": "baseBranch", "branch": "main"}, "appendToOriginalThread": false}),
    );
    round_trip(
        json!({"type": "commit", "sha": "1a2b3c4", "title": "Fix login redirect"}),
        ReviewTarget::Commit { sha: "1a2b3c4".into(), title: Some("Fix login redirect".into()) },
    );
    decodes_to_canonical(
        json!({"type": "commit", "sha": "1a2b3c4", "title": null}),
        ReviewTarget::Commit { sha: "1a2b3c4".into(), title: None },
        json!({"type": "commit", "sha": "1a2b3c4"}),
    );
    round_trip(
        json!({"type": "custom", "instructions": "Focus on error handling"}),
        ReviewTarget::Custom { instructions: "Focus on error handling".into() },
    );
    rejects::<ReviewTarget>(json!({"type": "base_branch", "branch": "main"}), "unknown variant");
}
