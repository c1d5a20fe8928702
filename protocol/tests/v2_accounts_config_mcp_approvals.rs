//! Wire tests of accounts, models, config, MCP, approvals and feedback (v2), and of the core
//! types they use (MCP types, config enums, account enums, shell tool call params).
//!
//! Every test decodes literal JSON, checks the typed value, re-encodes and compares with the
//! literal JSON (same keys, same nulls). Change ids (CHANGELOG.md): C1, C3, C4, C5, C6, C8, C9.

use std::collections::BTreeMap;

use app_server_protocol::core_types::{
    Annotations, AskForApproval, AudioContent, AuthMode, BlobResourceContents, CallToolResult,
    ContentBlock, EmbeddedResource, EmbeddedResourceResource, ForcedLoginMethod, ImageContent,
    PlanType, ReasoningEffort, ReasoningSummary, Resource, ResourceLink, ResourceTemplate, Role,
    SandboxMode, SandboxPermissions, SandboxPolicy, ShellToolCallParams, TextContent,
    TextResourceContents, Tool, ToolAnnotations, ToolInputSchema, ToolOutputSchema, Verbosity,
};
use app_server_protocol::v2::{
    Account, AccountLoginCompletedNotification, AccountRateLimitsUpdatedNotification,
    AccountUpdatedNotification, CancelLoginAccountParams, CancelLoginAccountResponse,
    CancelLoginAccountStatus, CommandExecutionApprovalDecision,
    CommandExecutionRequestApprovalParams, CommandExecutionRequestApprovalResponse,
    CommandRiskLevel, Config, ConfigBatchWriteParams, ConfigEdit, ConfigLayer, ConfigLayerMetadata,
    ConfigLayerSource, ConfigProfile, ConfigReadParams, ConfigReadResponse, ConfigValueWriteParams,
    ConfigWriteErrorCode, ConfigWriteErrorData, ConfigWriteResponse, ConfigWriteStatus,
    CreditsSnapshot, FeedbackUploadParams, FeedbackUploadResponse, FileChangeApprovalDecision,
    FileChangeRequestApprovalParams, FileChangeRequestApprovalResponse, GetAccountParams,
    GetAccountRateLimitsResponse, GetAccountResponse, ListMcpServerStatusParams,
    ListMcpServerStatusResponse, LoginAccountParams, LoginAccountResponse, LogoutAccountResponse,
    McpAuthStatus, McpServerOauthLoginCompletedNotification, McpServerOauthLoginParams,
    McpServerOauthLoginResponse, McpServerStatus, MergeStrategy, Model, ModelListParams,
    ModelListResponse, ModelPreset, ModelUpgrade, OverriddenMetadata, RateLimitSnapshot,
    RateLimitWindow, ReasoningEffortOption, ReasoningEffortPreset, SandboxCommandAssessment,
    SandboxWorkspaceWrite, ToolsConfig,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `wire`, checks it equals `expected`, re-encodes and checks the JSON is `wire` again.
fn round_trip<T>(wire: Value, expected: T)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_value(wire.clone())
        .unwrap_or_else(|err| panic!("decoding {wire} failed: {err}"));
    assert_eq!(decoded, expected, "decoded value of {wire}");
    let encoded = serde_json::to_value(&decoded).expect("encode");
    assert_eq!(encoded, wire, "re-encoded JSON");
}

/// Decodes `input` (a non-canonical but accepted form) and checks value and canonical output.
fn decodes_to<T>(input: Value, expected: T, canonical: Value)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_value(input.clone())
        .unwrap_or_else(|err| panic!("decoding {input} failed: {err}"));
    assert_eq!(decoded, expected, "decoded value of {input}");
    assert_eq!(serde_json::to_value(&decoded).expect("encode"), canonical, "canonical output");
}

/// Checks that `input` is rejected, and that the error message mentions `needle`.
fn rejects<T: DeserializeOwned + std::fmt::Debug>(input: Value, needle: &str) {
    match serde_json::from_value::<T>(input.clone()) {
        Ok(value) => panic!("{input} should be rejected, decoded as {value:?}"),
        Err(err) => assert!(
            err.to_string().contains(needle),
            "error for {input} should mention {needle:?}: {err}"
        ),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// C1: idempotent login cancellation
// ---------------------------------------------------------------------------------------------

#[test]
fn c1_cancel_login_response_statuses() {
    round_trip(
        json!({"status": "canceled"}),
        CancelLoginAccountResponse::new(CancelLoginAccountStatus::Canceled),
    );
    round_trip(
        json!({"status": "notFound"}),
        CancelLoginAccountResponse::new(CancelLoginAccountStatus::NotFound),
    );
    rejects::<CancelLoginAccountResponse>(json!({"status": "not_found"}), "unknown variant");
    rejects::<CancelLoginAccountResponse>(json!({}), "missing field `status`");
    round_trip(json!({"loginId": "5b1c"}), CancelLoginAccountParams::new("5b1c"));
}

// ---------------------------------------------------------------------------------------------
// C3: model presets and their conversion
// ---------------------------------------------------------------------------------------------

fn balanced_preset() -> ModelPreset {
    ModelPreset {
        id: "codex-auto-balanced".into(),
        model: "gpt-5-codex".into(),
        display_name: "Codex Auto (balanced)".into(),
        description: "Good for most coding tasks".into(),
        default_reasoning_effort: ReasoningEffort::Medium,
        supported_reasoning_efforts: vec![
            ReasoningEffortPreset {
                effort: ReasoningEffort::Low,
                description: "Fast answers".into(),
            },
            ReasoningEffortPreset {
                effort: ReasoningEffort::XHigh,
                description: "Deepest thinking".into(),
            },
        ],
        is_default: true,
        upgrade: Some(ModelUpgrade {
            id: "codex-next".into(),
            reasoning_effort_mapping: Some(BTreeMap::from([
                (ReasoningEffort::Minimal, ReasoningEffort::Low),
                (ReasoningEffort::XHigh, ReasoningEffort::High),
            ])),
        }),
    }
}

#[test]
fn c3_model_preset_wire() {
    round_trip(
        json!({
            "id": "codex-auto-balanced",
            "model": "gpt-5-codex",
            "displayName": "Codex Auto (balanced)",
            "description": "Good for most coding tasks",
            "defaultReasoningEffort": "medium",
            "supportedReasoningEfforts": [
                {"effort": "low", "description": "Fast answers"},
                {"effort": "xhigh", "description": "Deepest thinking"}
            ],
            "isDefault": true,
            "upgrade": {
                "id": "codex-next",
                "reasoningEffortMapping": {"minimal": "low", "xhigh": "high"}
            }
        }),
        balanced_preset(),
    );
    // `upgrade` and `reasoningEffortMapping` are written as explicit nulls.
    let mut preset = balanced_preset();
    preset.upgrade = None;
    preset.supported_reasoning_efforts.truncate(1);
    round_trip(
        json!({
            "id": "codex-auto-balanced",
            "model": "gpt-5-codex",
            "displayName": "Codex Auto (balanced)",
            "description": "Good for most coding tasks",
            "defaultReasoningEffort": "medium",
            "supportedReasoningEfforts": [{"effort": "low", "description": "Fast answers"}],
            "isDefault": true,
            "upgrade": null
        }),
        preset,
    );
    round_trip(
        json!({"id": "codex-next", "reasoningEffortMapping": null}),
        ModelUpgrade { id: "codex-next".into(), reasoning_effort_mapping: None },
    );
    // Reasoning efforts are an open enum: an effort a newer server knows is kept, not refused.
    let upgrade: ModelUpgrade =
        serde_json::from_value(json!({"id": "x", "reasoningEffortMapping": {"huge": "low"}}))
            .unwrap();
    let mapping = upgrade.reasoning_effort_mapping.unwrap();
    assert_eq!(mapping.get(&ReasoningEffort::Unknown("huge".into())), Some(&ReasoningEffort::Low));
    rejects::<ModelUpgrade>(json!({"id": "x", "reasoningEffortMapping": {"low": 3}}), "string");
}

#[test]
fn c3_preset_converts_to_model_list_item() {
    let model = Model::from(balanced_preset());
    assert_eq!(
        serde_json::to_value(&model).unwrap(),
        json!({
            "id": "codex-auto-balanced",
            "model": "gpt-5-codex",
            "displayName": "Codex Auto (balanced)",
            "description": "Good for most coding tasks",
            "supportedReasoningEfforts": [
                {"reasoningEffort": "low", "description": "Fast answers"},
                {"reasoningEffort": "xhigh", "description": "Deepest thinking"}
            ],
            "defaultReasoningEffort": "medium",
            "isDefault": true
        })
    );
    let mut not_default = balanced_preset();
    not_default.is_default = false;
    assert!(!Model::from(not_default).is_default);
}

#[test]
fn model_list_wire() {
    // Params are sent by clients: absent members are omitted, `null` reads as absent.
    round_trip(json!({}), ModelListParams::default());
    round_trip(
        json!({"cursor": "abc", "limit": 10}),
        ModelListParams::new()
            .with_cursor("abc")
            .with_limit(std::num::NonZeroU32::new(10).unwrap()),
    );
    decodes_to(json!({"cursor": null, "limit": null}), ModelListParams::default(), json!({}));
    rejects::<ModelListParams>(json!({"limit": -1}), "invalid value");
    rejects::<ModelListParams>(json!({"limit": 0}), "invalid value: integer `0`");
    round_trip(
        json!({
            "data": [{
                "id": "gpt-5",
                "model": "gpt-5",
                "displayName": "GPT-5",
                "description": "General purpose",
                "supportedReasoningEfforts": [
                    {"reasoningEffort": "minimal", "description": "Quick"}
                ],
                "defaultReasoningEffort": "minimal",
                "isDefault": false
            }],
            "nextCursor": null
        }),
        ModelListResponse::new(vec![Model {
            id: "gpt-5".into(),
            model: "gpt-5".into(),
            display_name: "GPT-5".into(),
            description: "General purpose".into(),
            supported_reasoning_efforts: vec![ReasoningEffortOption {
                reasoning_effort: ReasoningEffort::Minimal,
                description: "Quick".into(),
            }],
            default_reasoning_effort: ReasoningEffort::Minimal,
            is_default: false,
        }]),
    );
}

// ---------------------------------------------------------------------------------------------
// C4: config read and write
// ---------------------------------------------------------------------------------------------

fn user_layer() -> ConfigLayerSource {
    ConfigLayerSource::User { file: "/home/ada/.codex/config.toml".into() }
}

#[test]
fn c4_config_read_params() {
    round_trip(json!({}), ConfigReadParams::default());
    round_trip(
        json!({"includeLayers": true, "cwd": "/repo"}),
        ConfigReadParams::new().with_include_layers(true).with_cwd("/repo"),
    );
    decodes_to(json!({"includeLayers": null, "cwd": null}), ConfigReadParams::default(), json!({}));
}

#[test]
fn c4_config_mirrors_the_file() {
    let wire = json!({
        "model": null,
        "review_model": "gpt-5-codex",
        "model_provider": "openai",
        "approval_policy": "on-request",
        "sandbox_mode": "workspace-write",
        "sandbox_workspace_write": {
            "writable_roots": ["/data"],
            "network_access": true,
            "exclude_tmpdir_env_var": null,
            "exclude_slash_tmp": false,
            "future_flag": 3
        },
        "profile": "work",
        "profiles": {
            "work": {
                "model": "o3",
                "model_provider": null,
                "approval_policy": "untrusted",
                "model_reasoning_effort": "high",
                "model_reasoning_summary": "detailed",
                "model_verbosity": "low",
                "chatgpt_base_url": null,
                "model_context_window": 200000
            }
        },
        "model_reasoning_effort": "xhigh",
        "model_reasoning_summary": "none",
        "model_verbosity": "high",
        "forced_chatgpt_workspace_id": null,
        "forced_login_method": "chatgpt",
        "instructions": null,
        "developer_instructions": "Prefer small commits.",
        "compact_prompt": null,
        "tools": {"web_search": true, "view_image": null},
        "mcp_servers": {"docs": {"command": "docs-server", "args": ["--stdio"]}},
        "notify": ["notify-send", "codex"]
    });
    let expected = Config {
        model: None,
        review_model: Some("gpt-5-codex".into()),
        model_provider: Some("openai".into()),
        approval_policy: Some(AskForApproval::OnRequest),
        sandbox_mode: Some(SandboxMode::WorkspaceWrite),
        sandbox_workspace_write: Some(SandboxWorkspaceWrite {
            writable_roots: strings(&["/data"]),
            network_access: Some(true),
            exclude_tmpdir_env_var: None,
            exclude_slash_tmp: Some(false),
            other: BTreeMap::from([("future_flag".to_string(), json!(3))]),
        }),
        profile: Some("work".into()),
        profiles: Some(BTreeMap::from([(
            "work".to_string(),
            ConfigProfile {
                model: Some("o3".into()),
                model_provider: None,
                approval_policy: Some(AskForApproval::UnlessTrusted),
                model_reasoning_effort: Some(ReasoningEffort::High),
                model_reasoning_summary: Some(ReasoningSummary::Detailed),
                model_verbosity: Some(Verbosity::Low),
                chatgpt_base_url: None,
                other: BTreeMap::from([("model_context_window".to_string(), json!(200000))]),
            },
        )])),
        model_reasoning_effort: Some(ReasoningEffort::XHigh),
        model_reasoning_summary: Some(ReasoningSummary::None),
        model_verbosity: Some(Verbosity::High),
        forced_chatgpt_workspace_id: None,
        forced_login_method: Some(ForcedLoginMethod::Chatgpt),
        instructions: None,
        developer_instructions: Some("Prefer small commits.".into()),
        compact_prompt: None,
        tools: Some(ToolsConfig {
            web_search: Some(true),
            view_image: None,
            other: BTreeMap::new(),
        }),
        other: BTreeMap::from([
            (
                "mcp_servers".to_string(),
                json!({"docs": {"command": "docs-server", "args": ["--stdio"]}}),
            ),
            ("notify".to_string(), json!(["notify-send", "codex"])),
        ]),
    };
    round_trip(wire, expected);
}

#[test]
fn c4_config_typed_keys_always_present_on_output() {
    let all_null = json!({
        "model": null, "review_model": null, "model_provider": null, "approval_policy": null,
        "sandbox_mode": null, "sandbox_workspace_write": null, "profile": null,
        "profiles": null, "model_reasoning_effort": null, "model_reasoning_summary": null,
        "model_verbosity": null, "forced_chatgpt_workspace_id": null,
        "forced_login_method": null, "instructions": null, "developer_instructions": null,
        "compact_prompt": null, "tools": null
    });
    decodes_to(json!({}), Config::default(), all_null.clone());
    round_trip(all_null, Config::default());
    // A profile / table read from an empty table writes its typed keys as nulls too.
    decodes_to(
        json!({}),
        ConfigProfile::default(),
        json!({
            "model": null, "model_provider": null, "approval_policy": null,
            "model_reasoning_effort": null, "model_reasoning_summary": null,
            "model_verbosity": null, "chatgpt_base_url": null
        }),
    );
    decodes_to(
        json!({}),
        SandboxWorkspaceWrite::default(),
        json!({
            "writable_roots": [], "network_access": null, "exclude_tmpdir_env_var": null,
            "exclude_slash_tmp": null
        }),
    );
}

#[test]
fn c4_config_values_use_the_files_spellings() {
    // The v2 camelCase spellings are not the file's.
    rejects::<Config>(json!({"approval_policy": "onRequest"}), "unknown variant");
    rejects::<Config>(json!({"sandbox_mode": "workspaceWrite"}), "unknown variant");
    for (wire, value) in [
        ("untrusted", AskForApproval::UnlessTrusted),
        ("on-failure", AskForApproval::OnFailure),
        ("on-request", AskForApproval::OnRequest),
        ("never", AskForApproval::Never),
    ] {
        round_trip(json!(wire), value);
    }
    for (wire, value) in [
        ("read-only", SandboxMode::ReadOnly),
        ("workspace-write", SandboxMode::WorkspaceWrite),
        ("danger-full-access", SandboxMode::DangerFullAccess),
    ] {
        round_trip(json!(wire), value);
    }
    round_trip(json!("api"), ForcedLoginMethod::Api);
    for (wire, value) in [
        ("none", ReasoningEffort::None),
        ("minimal", ReasoningEffort::Minimal),
        ("low", ReasoningEffort::Low),
        ("medium", ReasoningEffort::Medium),
        ("high", ReasoningEffort::High),
        ("xhigh", ReasoningEffort::XHigh),
    ] {
        round_trip(json!(wire), value);
    }
    for (wire, value) in [
        ("auto", ReasoningSummary::Auto),
        ("concise", ReasoningSummary::Concise),
        ("detailed", ReasoningSummary::Detailed),
        ("none", ReasoningSummary::None),
    ] {
        round_trip(json!(wire), value);
    }
    round_trip(json!("medium"), Verbosity::Medium);
}

#[test]
fn c4_config_layer_sources() {
    round_trip(
        json!({"type": "system", "file": "/etc/codex/config.toml"}),
        ConfigLayerSource::System { file: "/etc/codex/config.toml".into() },
    );
    round_trip(json!({"type": "user", "file": "/home/ada/.codex/config.toml"}), user_layer());
    round_trip(
        json!({"type": "project", "dotCodexFolder": "/repo/.codex"}),
        ConfigLayerSource::Project { dot_codex_folder: "/repo/.codex".into() },
    );
    round_trip(json!({"type": "sessionFlags"}), ConfigLayerSource::SessionFlags);
    round_trip(
        json!({"type": "mdm", "domain": "com.example.codex", "key": "config_toml"}),
        ConfigLayerSource::Mdm { domain: "com.example.codex".into(), key: "config_toml".into() },
    );
    rejects::<ConfigLayerSource>(json!({"type": "session_flags"}), "unknown variant");
}

#[test]
fn c4_config_read_response() {
    round_trip(
        json!({
            "config": {
                "model": "gpt-5-codex", "review_model": null, "model_provider": null,
                "approval_policy": null, "sandbox_mode": "read-only",
                "sandbox_workspace_write": null, "profile": null, "profiles": null,
                "model_reasoning_effort": null, "model_reasoning_summary": null,
                "model_verbosity": null, "forced_chatgpt_workspace_id": null,
                "forced_login_method": null, "instructions": null,
                "developer_instructions": null, "compact_prompt": null, "tools": null
            },
            "origins": {
                "model": {
                    "name": {"type": "user", "file": "/home/ada/.codex/config.toml"},
                    "version": "sha256:aa11"
                },
                "sandbox_mode": {"name": {"type": "sessionFlags"}, "version": "sha256:bb22"}
            },
            "layers": [
                {
                    "name": {"type": "user", "file": "/home/ada/.codex/config.toml"},
                    "version": "sha256:aa11",
                    "config": {"model": "gpt-5-codex"}
                },
                {
                    "name": {"type": "sessionFlags"},
                    "version": "sha256:bb22",
                    "config": {"sandbox_mode": "read-only"}
                }
            ]
        }),
        ConfigReadResponse::new(
            Config {
                model: Some("gpt-5-codex".into()),
                sandbox_mode: Some(SandboxMode::ReadOnly),
                ..Config::default()
            },
            BTreeMap::from([
                (
                    "model".to_string(),
                    ConfigLayerMetadata { name: user_layer(), version: "sha256:aa11".into() },
                ),
                (
                    "sandbox_mode".to_string(),
                    ConfigLayerMetadata {
                        name: ConfigLayerSource::SessionFlags,
                        version: "sha256:bb22".into(),
                    },
                ),
            ]),
        )
        .with_layers(vec![
            ConfigLayer {
                name: user_layer(),
                version: "sha256:aa11".into(),
                config: json!({"model": "gpt-5-codex"}),
            },
            ConfigLayer {
                name: ConfigLayerSource::SessionFlags,
                version: "sha256:bb22".into(),
                config: json!({"sandbox_mode": "read-only"}),
            },
        ]),
    );
    // Without `includeLayers`, `layers` is an explicit null.
    let response = ConfigReadResponse::new(Config::default(), BTreeMap::new());
    let encoded = serde_json::to_value(&response).unwrap();
    assert_eq!(encoded["layers"], Value::Null);
    assert_eq!(encoded["origins"], json!({}));
    assert!(encoded.as_object().unwrap().contains_key("layers"));
}

#[test]
fn c4_config_write_params() {
    round_trip(
        json!({
            "keyPath": "mcp_servers.\"my.server\".command",
            "value": "docs-server",
            "mergeStrategy": "replace"
        }),
        ConfigValueWriteParams::new(
            "mcp_servers.\"my.server\".command",
            json!("docs-server"),
            MergeStrategy::Replace,
        ),
    );
    round_trip(
        json!({
            "keyPath": "tools",
            "value": {"web_search": true},
            "mergeStrategy": "upsert",
            "filePath": "/home/ada/.codex/config.toml",
            "expectedVersion": "sha256:aa11"
        }),
        ConfigValueWriteParams::new("tools", json!({"web_search": true}), MergeStrategy::Upsert)
            .with_file_path("/home/ada/.codex/config.toml")
            .with_expected_version("sha256:aa11"),
    );
    rejects::<ConfigValueWriteParams>(
        json!({"keyPath": "model", "mergeStrategy": "replace"}),
        "missing field `value`",
    );
    round_trip(
        json!({
            "edits": [
                {"keyPath": "model", "value": "o3", "mergeStrategy": "replace"},
                {"keyPath": "profiles.work", "value": {"model": "o3"}, "mergeStrategy": "upsert"}
            ],
            "expectedVersion": "sha256:aa11"
        }),
        ConfigBatchWriteParams::new(vec![
            ConfigEdit {
                key_path: "model".into(),
                value: json!("o3"),
                merge_strategy: MergeStrategy::Replace,
            },
            ConfigEdit {
                key_path: "profiles.work".into(),
                value: json!({"model": "o3"}),
                merge_strategy: MergeStrategy::Upsert,
            },
        ])
        .with_expected_version("sha256:aa11"),
    );
}

#[test]
fn c4_config_write_response() {
    round_trip(
        json!({
            "status": "ok",
            "version": "sha256:cc33",
            "filePath": "/home/ada/.codex/config.toml",
            "overriddenMetadata": null
        }),
        ConfigWriteResponse::new(
            ConfigWriteStatus::Ok,
            "sha256:cc33",
            "/home/ada/.codex/config.toml",
        ),
    );
    round_trip(
        json!({
            "status": "okOverridden",
            "version": "sha256:cc33",
            "filePath": "/home/ada/.codex/config.toml",
            "overriddenMetadata": {
                "message": "model is overridden by the project config",
                "overridingLayer": {
                    "name": {"type": "project", "dotCodexFolder": "/repo/.codex"},
                    "version": "sha256:dd44"
                },
                "effectiveValue": "o3"
            }
        }),
        ConfigWriteResponse::new(
            ConfigWriteStatus::OkOverridden,
            "sha256:cc33",
            "/home/ada/.codex/config.toml",
        )
        .with_overridden_metadata(OverriddenMetadata {
            message: "model is overridden by the project config".into(),
            overriding_layer: ConfigLayerMetadata {
                name: ConfigLayerSource::Project { dot_codex_folder: "/repo/.codex".into() },
                version: "sha256:dd44".into(),
            },
            effective_value: json!("o3"),
        }),
    );
}

#[test]
fn c4_config_write_error_data() {
    for (wire, code) in [
        ("configLayerReadonly", ConfigWriteErrorCode::ConfigLayerReadonly),
        ("configVersionConflict", ConfigWriteErrorCode::ConfigVersionConflict),
        ("configValidationError", ConfigWriteErrorCode::ConfigValidationError),
        ("configPathNotFound", ConfigWriteErrorCode::ConfigPathNotFound),
        ("configSchemaUnknownKey", ConfigWriteErrorCode::ConfigSchemaUnknownKey),
        ("userLayerNotFound", ConfigWriteErrorCode::UserLayerNotFound),
    ] {
        round_trip(json!({"configWriteErrorCode": wire}), ConfigWriteErrorData::from(code));
        assert_eq!(code.as_str(), wire);
    }
    round_trip(json!("replace"), MergeStrategy::Replace);
}

// ---------------------------------------------------------------------------------------------
// C5: sandbox permissions of the shell tool
// ---------------------------------------------------------------------------------------------

#[test]
fn c5_sandbox_permissions_values_and_legacy_boolean() {
    round_trip(json!("use_default"), SandboxPermissions::UseDefault);
    round_trip(json!("require_escalated"), SandboxPermissions::RequireEscalated);
    assert_eq!(SandboxPermissions::default(), SandboxPermissions::UseDefault);
    assert_eq!(SandboxPermissions::from(true), SandboxPermissions::RequireEscalated);
    assert_eq!(SandboxPermissions::from(false), SandboxPermissions::UseDefault);
    rejects::<SandboxPermissions>(json!("requireEscalated"), "unknown variant");
}

#[test]
fn c5_shell_tool_call_params_canonical() {
    round_trip(
        json!({
            "command": ["bash", "-lc", "npm install"],
            "workdir": "/repo",
            "timeout_ms": 120000,
            "sandbox_permissions": "require_escalated",
            "justification": "needs network to install dependencies"
        }),
        ShellToolCallParams {
            command: strings(&["bash", "-lc", "npm install"]),
            workdir: Some("/repo".into()),
            timeout_ms: Some(120_000),
            sandbox_permissions: SandboxPermissions::RequireEscalated,
            justification: Some("needs network to install dependencies".into()),
        },
    );
    // `use_default` and absent optional members are omitted on output.
    round_trip(
        json!({"command": ["ls"]}),
        ShellToolCallParams { command: strings(&["ls"]), ..Default::default() },
    );
    decodes_to(
        json!({
            "command": ["ls"], "workdir": null, "timeout_ms": null,
            "sandbox_permissions": "use_default", "justification": null
        }),
        ShellToolCallParams { command: strings(&["ls"]), ..Default::default() },
        json!({"command": ["ls"]}),
    );
    // `timeout` is an older name of `timeout_ms`.
    decodes_to(
        json!({"command": ["ls"], "timeout": 500}),
        ShellToolCallParams {
            command: strings(&["ls"]),
            timeout_ms: Some(500),
            ..Default::default()
        },
        json!({"command": ["ls"], "timeout_ms": 500}),
    );
    rejects::<ShellToolCallParams>(json!({"workdir": "/repo"}), "missing field `command`");
}

#[test]
fn c5_shell_tool_call_params_legacy_key() {
    let escalated = ShellToolCallParams {
        command: strings(&["git", "push"]),
        sandbox_permissions: SandboxPermissions::RequireEscalated,
        ..Default::default()
    };
    decodes_to(
        json!({"command": ["git", "push"], "with_escalated_permissions": true}),
        escalated.clone(),
        json!({"command": ["git", "push"], "sandbox_permissions": "require_escalated"}),
    );
    decodes_to(
        json!({"command": ["git", "push"], "with_escalated_permissions": false}),
        ShellToolCallParams { command: strings(&["git", "push"]), ..Default::default() },
        json!({"command": ["git", "push"]}),
    );
    decodes_to(
        json!({"command": ["git", "push"], "with_escalated_permissions": null}),
        ShellToolCallParams { command: strings(&["git", "push"]), ..Default::default() },
        json!({"command": ["git", "push"]}),
    );
    // Both keys, agreeing: accepted.
    decodes_to(
        json!({
            "command": ["git", "push"],
            "with_escalated_permissions": true,
            "sandbox_permissions": "require_escalated"
        }),
        escalated,
        json!({"command": ["git", "push"], "sandbox_permissions": "require_escalated"}),
    );
    decodes_to(
        json!({
            "command": ["ls"],
            "with_escalated_permissions": false,
            "sandbox_permissions": "use_default"
        }),
        ShellToolCallParams { command: strings(&["ls"]), ..Default::default() },
        json!({"command": ["ls"]}),
    );
    // Both keys, disagreeing: rejected.
    rejects::<ShellToolCallParams>(
        json!({
            "command": ["git", "push"],
            "with_escalated_permissions": true,
            "sandbox_permissions": "use_default"
        }),
        "conflicting sandbox permissions",
    );
    rejects::<ShellToolCallParams>(
        json!({
            "command": ["git", "push"],
            "with_escalated_permissions": false,
            "sandbox_permissions": "require_escalated"
        }),
        "conflicting sandbox permissions",
    );
}

// ---------------------------------------------------------------------------------------------
// C6: MCP OAuth login
// ---------------------------------------------------------------------------------------------

#[test]
fn c6_mcp_oauth_login_wire() {
    round_trip(json!({"name": "github"}), McpServerOauthLoginParams::new("github"));
    round_trip(
        json!({"name": "github", "scopes": ["repo", "read:org"], "timeoutSecs": 300}),
        McpServerOauthLoginParams::new("github")
            .with_scopes(strings(&["repo", "read:org"]))
            .with_timeout_secs(300),
    );
    decodes_to(
        json!({"name": "github", "scopes": null, "timeoutSecs": null}),
        McpServerOauthLoginParams::new("github"),
        json!({"name": "github"}),
    );
    round_trip(
        json!({"authorizationUrl": "https://auth.example.com/authorize?client_id=abc"}),
        McpServerOauthLoginResponse::new("https://auth.example.com/authorize?client_id=abc"),
    );
    round_trip(
        json!({"name": "github", "success": true, "error": null}),
        McpServerOauthLoginCompletedNotification::new("github", true),
    );
    round_trip(
        json!({"name": "github", "success": false, "error": "timed out after 300s"}),
        McpServerOauthLoginCompletedNotification::new("github", false)
            .with_error("timed out after 300s"),
    );
}

// ---------------------------------------------------------------------------------------------
// C8: command approval decisions and exec-policy amendments
// ---------------------------------------------------------------------------------------------

fn response(decision: CommandExecutionApprovalDecision) -> CommandExecutionRequestApprovalResponse {
    CommandExecutionRequestApprovalResponse::new(decision)
}

#[test]
fn c8_every_decision_value() {
    use CommandExecutionApprovalDecision as D;
    round_trip(json!("accept"), D::Accept);
    round_trip(json!("acceptForSession"), D::AcceptForSession);
    round_trip(
        json!({"acceptWithExecpolicyAmendment": {"execpolicyAmendment": ["cargo", "test"]}}),
        D::AcceptWithExecpolicyAmendment { execpolicy_amendment: strings(&["cargo", "test"]) },
    );
    round_trip(json!("decline"), D::Decline);
    round_trip(json!("cancel"), D::Cancel);
    // Canonical encoding of the response.
    round_trip(json!({"decision": "accept"}), response(D::Accept));
    round_trip(json!({"decision": "acceptForSession"}), response(D::AcceptForSession));
    round_trip(json!({"decision": "decline"}), response(D::Decline));
    round_trip(json!({"decision": "cancel"}), response(D::Cancel));
    round_trip(
        json!({"decision": {"acceptWithExecpolicyAmendment": {"execpolicyAmendment": ["ls"]}}}),
        response(D::AcceptWithExecpolicyAmendment { execpolicy_amendment: strings(&["ls"]) }),
    );
}

#[test]
fn c8_snake_case_inner_key_accepted_variant_alias_not() {
    use CommandExecutionApprovalDecision as D;
    decodes_to(
        json!({"decision": {"acceptWithExecpolicyAmendment": {"execpolicy_amendment": ["npm", "ci"]}}}),
        response(D::AcceptWithExecpolicyAmendment {
            execpolicy_amendment: strings(&["npm", "ci"]),
        }),
        json!({"decision": {"acceptWithExecpolicyAmendment": {"execpolicyAmendment": ["npm", "ci"]}}}),
    );
    rejects::<CommandExecutionApprovalDecision>(
        json!({"accept_with_execpolicy_amendment": {"execpolicyAmendment": ["ls"]}}),
        "unknown variant",
    );
    rejects::<CommandExecutionApprovalDecision>(json!("accept_for_session"), "unknown variant");
    rejects::<CommandExecutionApprovalDecision>(
        json!({"acceptWithExecpolicyAmendment": {}}),
        "missing field `execpolicyAmendment`",
    );
}

#[test]
fn c8_baseline_response_shape_accepted() {
    use CommandExecutionApprovalDecision as D;
    let cases = [
        (
            json!({"decision": "accept", "acceptSettings": {"forSession": true}}),
            D::AcceptForSession,
        ),
        (json!({"decision": "accept", "acceptSettings": {"forSession": false}}), D::Accept),
        (json!({"decision": "accept", "acceptSettings": {"forSession": null}}), D::Accept),
        (json!({"decision": "accept", "acceptSettings": {}}), D::Accept),
        (json!({"decision": "accept", "acceptSettings": null}), D::Accept),
        (json!({"decision": "accept"}), D::Accept),
        (json!({"decision": "decline", "acceptSettings": null}), D::Decline),
        (json!({"decision": "decline", "acceptSettings": {"forSession": false}}), D::Decline),
        // The baseline ignored `acceptSettings` unless the decision was `accept`.
        (json!({"decision": "decline", "acceptSettings": {"forSession": true}}), D::Decline),
        (json!({"decision": "cancel", "acceptSettings": {"forSession": true}}), D::Cancel),
        (json!({"decision": "cancel"}), D::Cancel),
        (
            json!({"decision": "acceptForSession", "acceptSettings": {"forSession": true}}),
            D::AcceptForSession,
        ),
    ];
    for (input, decision) in cases {
        let canonical = json!({"decision": serde_json::to_value(&decision).unwrap()});
        decodes_to(input, response(decision), canonical);
    }
}

#[test]
fn c8_contradictory_legacy_settings_rejected() {
    rejects::<CommandExecutionRequestApprovalResponse>(
        json!({"decision": "acceptForSession", "acceptSettings": {"forSession": false}}),
        "contradictory approval",
    );
    rejects::<CommandExecutionRequestApprovalResponse>(
        json!({
            "decision": {"acceptWithExecpolicyAmendment": {"execpolicyAmendment": ["ls"]}},
            "acceptSettings": {"forSession": true}
        }),
        "contradictory approval",
    );
    rejects::<CommandExecutionRequestApprovalResponse>(
        json!({"acceptSettings": {"forSession": true}}),
        "missing field `decision`",
    );
}

#[test]
fn c8_request_params() {
    round_trip(
        json!({
            "threadId": "thr_1",
            "turnId": "turn_1",
            "itemId": "item_7",
            "reason": "needs network access",
            "risk": {"description": "Downloads packages", "riskLevel": "medium"},
            "command": "cargo test -p app",
            "cwd": "/repo",
            "proposedExecpolicyAmendment": ["cargo", "test"]
        }),
        CommandExecutionRequestApprovalParams::new("thr_1", "turn_1", "item_7")
            .with_reason("needs network access")
            .with_risk(SandboxCommandAssessment {
                description: "Downloads packages".into(),
                risk_level: CommandRiskLevel::Medium,
            })
            .with_command("cargo test -p app")
            .with_cwd("/repo")
            .with_proposed_execpolicy_amendment(strings(&["cargo", "test"])),
    );
    let bare = CommandExecutionRequestApprovalParams::new("thr_1", "turn_1", "item_7");
    let bare_wire = json!({
        "threadId": "thr_1", "turnId": "turn_1", "itemId": "item_7", "reason": null,
        "risk": null, "command": null, "cwd": null, "proposedExecpolicyAmendment": null
    });
    round_trip(bare_wire.clone(), bare.clone());
    // A baseline-shaped request (without the C8 members) reads them as null.
    decodes_to(
        json!({"threadId": "thr_1", "turnId": "turn_1", "itemId": "item_7"}),
        bare.clone(),
        bare_wire.clone(),
    );
    // Never an empty array: read and written as null.
    decodes_to(
        json!({
            "threadId": "thr_1", "turnId": "turn_1", "itemId": "item_7",
            "proposedExecpolicyAmendment": []
        }),
        bare.clone(),
        bare_wire.clone(),
    );
    let mut empty = bare;
    empty.proposed_execpolicy_amendment = Some(Vec::new());
    assert_eq!(serde_json::to_value(&empty).unwrap(), bare_wire);
    for (wire, level) in [
        ("low", CommandRiskLevel::Low),
        ("medium", CommandRiskLevel::Medium),
        ("high", CommandRiskLevel::High),
    ] {
        round_trip(json!(wire), level);
    }
}

#[test]
fn c8_file_change_approval() {
    for (wire, decision) in [
        ("accept", FileChangeApprovalDecision::Accept),
        ("acceptForSession", FileChangeApprovalDecision::AcceptForSession),
        ("decline", FileChangeApprovalDecision::Decline),
        ("cancel", FileChangeApprovalDecision::Cancel),
    ] {
        round_trip(json!({"decision": wire}), FileChangeRequestApprovalResponse::new(decision));
    }
    rejects::<FileChangeRequestApprovalResponse>(json!({"decision": "approve"}), "unknown variant");
    round_trip(
        json!({
            "threadId": "thr_1", "turnId": "turn_1", "itemId": "item_8",
            "reason": null, "grantRoot": "/repo/vendor"
        }),
        FileChangeRequestApprovalParams::new("thr_1", "turn_1", "item_8")
            .with_grant_root("/repo/vendor"),
    );
}

// ---------------------------------------------------------------------------------------------
// C9: listing MCP servers
// ---------------------------------------------------------------------------------------------

fn search_tool_minimal() -> Tool {
    Tool {
        annotations: None,
        description: None,
        input_schema: ToolInputSchema { properties: None, required: None, r#type: "object".into() },
        name: "search".into(),
        output_schema: None,
        title: None,
    }
}

#[test]
fn c9_mcp_auth_status_values() {
    for (wire, status) in [
        ("unsupported", McpAuthStatus::Unsupported),
        ("notLoggedIn", McpAuthStatus::NotLoggedIn),
        ("bearerToken", McpAuthStatus::BearerToken),
        ("oAuth", McpAuthStatus::OAuth),
    ] {
        round_trip(json!(wire), status);
    }
    // The core protocol's snake_case spellings are not the v2 ones.
    rejects::<McpAuthStatus>(json!("not_logged_in"), "unknown variant");
    rejects::<McpAuthStatus>(json!("o_auth"), "unknown variant");
}

#[test]
fn c9_list_mcp_server_status() {
    round_trip(json!({}), ListMcpServerStatusParams::default());
    round_trip(
        json!({"cursor": "page-2", "limit": 5}),
        ListMcpServerStatusParams::new()
            .with_cursor("page-2")
            .with_limit(std::num::NonZeroU32::new(5).unwrap()),
    );
    rejects::<ListMcpServerStatusParams>(json!({"limit": 0}), "invalid value: integer `0`");
    decodes_to(
        json!({"cursor": null, "limit": null}),
        ListMcpServerStatusParams::default(),
        json!({}),
    );
    round_trip(
        json!({
            "data": [{
                "name": "docs",
                "tools": {
                    "search": {"inputSchema": {"type": "object"}, "name": "search"}
                },
                "resources": [{"name": "README.md", "uri": "file:///repo/README.md"}],
                "resourceTemplates": [{"name": "page", "uriTemplate": "docs://{page}"}],
                "authStatus": "oAuth"
            }],
            "nextCursor": "page-2"
        }),
        ListMcpServerStatusResponse::new(vec![McpServerStatus {
            name: "docs".into(),
            tools: BTreeMap::from([("search".to_string(), search_tool_minimal())]),
            resources: vec![Resource {
                annotations: None,
                description: None,
                mime_type: None,
                name: "README.md".into(),
                size: None,
                title: None,
                uri: "file:///repo/README.md".into(),
            }],
            resource_templates: vec![ResourceTemplate {
                annotations: None,
                description: None,
                mime_type: None,
                name: "page".into(),
                title: None,
                uri_template: "docs://{page}".into(),
            }],
            auth_status: McpAuthStatus::OAuth,
        }])
        .with_next_cursor("page-2"),
    );
    round_trip(json!({"data": [], "nextCursor": null}), ListMcpServerStatusResponse::new(vec![]));
}

// ---------------------------------------------------------------------------------------------
// MCP types (optional members omitted when absent)
// ---------------------------------------------------------------------------------------------

#[test]
fn mcp_tool_with_and_without_optional_members() {
    round_trip(json!({"inputSchema": {"type": "object"}, "name": "search"}), search_tool_minimal());
    // `null` optional members read as absent, and are then omitted.
    decodes_to(
        json!({
            "annotations": null, "description": null, "outputSchema": null, "title": null,
            "inputSchema": {"type": "object", "properties": null, "required": null},
            "name": "search"
        }),
        search_tool_minimal(),
        json!({"inputSchema": {"type": "object"}, "name": "search"}),
    );
    round_trip(
        json!({
            "annotations": {
                "destructiveHint": false,
                "idempotentHint": true,
                "openWorldHint": true,
                "readOnlyHint": true,
                "title": "Search the docs"
            },
            "description": "Full-text search over the documentation",
            "inputSchema": {
                "type": "object",
                "properties": {"query": {"type": "string"}},
                "required": ["query"]
            },
            "name": "search",
            "outputSchema": {
                "type": "object",
                "properties": {"hits": {"type": "array"}},
                "required": ["hits"]
            },
            "title": "Search"
        }),
        Tool {
            annotations: Some(ToolAnnotations {
                destructive_hint: Some(false),
                idempotent_hint: Some(true),
                open_world_hint: Some(true),
                read_only_hint: Some(true),
                title: Some("Search the docs".into()),
            }),
            description: Some("Full-text search over the documentation".into()),
            input_schema: ToolInputSchema {
                properties: Some(json!({"query": {"type": "string"}})),
                required: Some(strings(&["query"])),
                r#type: "object".into(),
            },
            name: "search".into(),
            output_schema: Some(ToolOutputSchema {
                properties: Some(json!({"hits": {"type": "array"}})),
                required: Some(strings(&["hits"])),
                r#type: "object".into(),
            }),
            title: Some("Search".into()),
        },
    );
    round_trip(json!({}), ToolAnnotations::default());
}

#[test]
fn mcp_resources_with_every_member() {
    let annotations = Annotations {
        audience: Some(vec![Role::User, Role::Assistant]),
        last_modified: Some("2025-01-12T15:00:58Z".into()),
        priority: Some(0.5),
    };
    round_trip(
        json!({
            "annotations": {
                "audience": ["user", "assistant"],
                "lastModified": "2025-01-12T15:00:58Z",
                "priority": 0.5
            },
            "description": "Project readme",
            "mimeType": "text/markdown",
            "name": "README.md",
            "size": 2048,
            "title": "Readme",
            "uri": "file:///repo/README.md"
        }),
        Resource {
            annotations: Some(annotations.clone()),
            description: Some("Project readme".into()),
            mime_type: Some("text/markdown".into()),
            name: "README.md".into(),
            size: Some(2048),
            title: Some("Readme".into()),
            uri: "file:///repo/README.md".into(),
        },
    );
    round_trip(
        json!({
            "annotations": {"priority": 1.0},
            "description": "A docs page",
            "mimeType": "text/html",
            "name": "page",
            "title": "Docs page",
            "uriTemplate": "docs://{page}"
        }),
        ResourceTemplate {
            annotations: Some(Annotations { priority: Some(1.0), ..Annotations::default() }),
            description: Some("A docs page".into()),
            mime_type: Some("text/html".into()),
            name: "page".into(),
            title: Some("Docs page".into()),
            uri_template: "docs://{page}".into(),
        },
    );
    round_trip(json!({}), Annotations::default());
}

#[test]
fn mcp_content_blocks() {
    round_trip(json!({"text": "hello", "type": "text"}), ContentBlock::text("hello"));
    round_trip(
        json!({"annotations": {"audience": ["user"]}, "text": "hi", "type": "text"}),
        ContentBlock::TextContent(TextContent {
            annotations: Some(Annotations {
                audience: Some(vec![Role::User]),
                ..Annotations::default()
            }),
            text: "hi".into(),
            r#type: "text".into(),
        }),
    );
    round_trip(
        json!({"data": "iVBORw0KGgo=", "mimeType": "image/png", "type": "image"}),
        ContentBlock::ImageContent(ImageContent {
            annotations: None,
            data: "iVBORw0KGgo=".into(),
            mime_type: "image/png".into(),
            r#type: "image".into(),
        }),
    );
    // Same members as an image: the `type` picks the variant.
    round_trip(
        json!({"data": "UklGRg==", "mimeType": "audio/wav", "type": "audio"}),
        ContentBlock::AudioContent(AudioContent {
            annotations: None,
            data: "UklGRg==".into(),
            mime_type: "audio/wav".into(),
            r#type: "audio".into(),
        }),
    );
    round_trip(
        json!({
            "description": "Build log",
            "mimeType": "text/plain",
            "name": "build.log",
            "size": 12,
            "type": "resource_link",
            "uri": "file:///tmp/build.log"
        }),
        ContentBlock::ResourceLink(ResourceLink {
            annotations: None,
            description: Some("Build log".into()),
            mime_type: Some("text/plain".into()),
            name: "build.log".into(),
            size: Some(12),
            title: None,
            r#type: "resource_link".into(),
            uri: "file:///tmp/build.log".into(),
        }),
    );
    round_trip(
        json!({
            "resource": {"mimeType": "text/plain", "text": "ok", "uri": "file:///a.txt"},
            "type": "resource"
        }),
        ContentBlock::EmbeddedResource(EmbeddedResource {
            annotations: None,
            resource: EmbeddedResourceResource::TextResourceContents(TextResourceContents {
                mime_type: Some("text/plain".into()),
                text: "ok".into(),
                uri: "file:///a.txt".into(),
            }),
            r#type: "resource".into(),
        }),
    );
    round_trip(
        json!({"resource": {"blob": "JVBERi0=", "uri": "file:///a.pdf"}, "type": "resource"}),
        ContentBlock::EmbeddedResource(EmbeddedResource {
            annotations: None,
            resource: EmbeddedResourceResource::BlobResourceContents(BlobResourceContents {
                blob: "JVBERi0=".into(),
                mime_type: None,
                uri: "file:///a.pdf".into(),
            }),
            r#type: "resource".into(),
        }),
    );
    // An unknown `type` falls back to the first shape that fits, keeping `type` as sent.
    round_trip(
        json!({"text": "x", "type": "markdown"}),
        ContentBlock::TextContent(TextContent {
            annotations: None,
            text: "x".into(),
            r#type: "markdown".into(),
        }),
    );
    // Members that do not fit the `type` still decode by shape, as the baseline's untagged
    // union did; the error of the `type`'s own shape is reported when nothing fits.
    round_trip(
        json!({"data": "AAAA", "mimeType": "image/png", "type": "text"}),
        ContentBlock::ImageContent(ImageContent {
            annotations: None,
            data: "AAAA".into(),
            mime_type: "image/png".into(),
            r#type: "text".into(),
        }),
    );
    rejects::<ContentBlock>(json!({"type": "text"}), "missing field `text`");
    rejects::<ContentBlock>(json!({"type": "video", "url": "x"}), "did not match any");
}

#[test]
fn mcp_call_tool_result() {
    round_trip(
        json!({"content": [{"text": "3 hits", "type": "text"}]}),
        CallToolResult {
            content: vec![ContentBlock::text("3 hits")],
            is_error: None,
            structured_content: None,
        },
    );
    round_trip(
        json!({
            "content": [{"text": "boom", "type": "text"}],
            "isError": true,
            "structuredContent": {"hits": []}
        }),
        CallToolResult {
            content: vec![ContentBlock::text("boom")],
            is_error: Some(true),
            structured_content: Some(json!({"hits": []})),
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

#[test]
fn account_variants_and_read() {
    round_trip(json!({"type": "apiKey"}), Account::ApiKey);
    round_trip(
        json!({"type": "chatgpt", "email": "ada@example.com", "planType": "pro"}),
        Account::Chatgpt { email: "ada@example.com".into(), plan_type: PlanType::Pro },
    );
    rejects::<Account>(json!({"type": "chatgpt", "email": "a@b.c"}), "missing field `planType`");
    round_trip(
        json!({"account": null, "requiresOpenaiAuth": false}),
        GetAccountResponse::new(false),
    );
    round_trip(
        json!({"account": {"type": "apiKey"}, "requiresOpenaiAuth": true}),
        GetAccountResponse::new(true).with_account(Account::ApiKey),
    );
    round_trip(json!({"refreshToken": true}), GetAccountParams::new().with_refresh_token(true));
    decodes_to(json!({}), GetAccountParams::default(), json!({"refreshToken": false}));
}

#[test]
fn plan_type_catch_all() {
    for (wire, plan) in [
        ("free", PlanType::Free),
        ("plus", PlanType::Plus),
        ("pro", PlanType::Pro),
        ("team", PlanType::Team),
        ("business", PlanType::Business),
        ("enterprise", PlanType::Enterprise),
        ("edu", PlanType::Edu),
        ("unknown", PlanType::Unknown),
    ] {
        round_trip(json!(wire), plan);
    }
    decodes_to(json!("galaxy-brain"), PlanType::Unknown, json!("unknown"));
    rejects::<PlanType>(json!(3), "invalid type");
    round_trip(json!("apikey"), AuthMode::ApiKey);
    round_trip(json!("chatgpt"), AuthMode::ChatGpt);
}

#[test]
fn login_account_variants() {
    round_trip(
        json!({"type": "apiKey", "apiKey": "sk-test"}),
        LoginAccountParams::ApiKey { api_key: "sk-test".into() },
    );
    round_trip(json!({"type": "chatgpt"}), LoginAccountParams::Chatgpt);
    rejects::<LoginAccountParams>(json!({"type": "apiKey"}), "missing field `apiKey`");
    round_trip(json!({"type": "apiKey"}), LoginAccountResponse::ApiKey);
    round_trip(
        json!({"type": "chatgpt", "loginId": "l-1", "authUrl": "https://auth.example.com/x"}),
        LoginAccountResponse::Chatgpt {
            login_id: "l-1".into(),
            auth_url: "https://auth.example.com/x".into(),
        },
    );
    round_trip(json!({}), LogoutAccountResponse::new());
    round_trip(
        json!({"loginId": "l-1", "success": false, "error": "user closed the browser"}),
        AccountLoginCompletedNotification::new(false)
            .with_login_id("l-1")
            .with_error("user closed the browser"),
    );
    round_trip(
        json!({"loginId": null, "success": true, "error": null}),
        AccountLoginCompletedNotification::new(true),
    );
    round_trip(
        json!({"authMode": "chatgpt"}),
        AccountUpdatedNotification::new().with_auth_mode(AuthMode::ChatGpt),
    );
    round_trip(json!({"authMode": null}), AccountUpdatedNotification::new());
}

#[test]
fn rate_limits() {
    let snapshot = RateLimitSnapshot {
        primary: Some(RateLimitWindow {
            used_percent: 42,
            window_duration_mins: Some(300),
            resets_at: Some(1_767_225_600),
        }),
        secondary: Some(RateLimitWindow {
            used_percent: 7,
            window_duration_mins: None,
            resets_at: None,
        }),
        credits: Some(CreditsSnapshot {
            has_credits: true,
            unlimited: false,
            balance: Some("12.50".into()),
        }),
    };
    let wire = json!({
        "primary": {"usedPercent": 42, "windowDurationMins": 300, "resetsAt": 1767225600},
        "secondary": {"usedPercent": 7, "windowDurationMins": null, "resetsAt": null},
        "credits": {"hasCredits": true, "unlimited": false, "balance": "12.50"}
    });
    round_trip(json!({"rateLimits": wire}), GetAccountRateLimitsResponse::new(snapshot.clone()));
    round_trip(json!({"rateLimits": wire}), AccountRateLimitsUpdatedNotification::new(snapshot));
    round_trip(
        json!({"rateLimits": {"primary": null, "secondary": null, "credits": null}}),
        GetAccountRateLimitsResponse::new(RateLimitSnapshot::default()),
    );
}

// ---------------------------------------------------------------------------------------------
// Feedback, core sandbox policy
// ---------------------------------------------------------------------------------------------

#[test]
fn feedback_upload() {
    let conversation_id = "67e55044-10b1-426f-9247-bb680e5fe0c8";
    let params: FeedbackUploadParams = serde_json::from_value(json!({
        "classification": "bug",
        "reason": "The diff view froze",
        "conversationId": conversation_id,
        "includeLogs": true
    }))
    .unwrap();
    assert_eq!(params.classification, "bug");
    assert_eq!(params.reason.as_deref(), Some("The diff view froze"));
    assert!(params.conversation_id.is_some());
    assert!(params.include_logs);
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        json!({
            "classification": "bug",
            "reason": "The diff view froze",
            "conversationId": conversation_id,
            "includeLogs": true
        })
    );
    // Client-sent params: absent optional members are omitted.
    round_trip(
        json!({"classification": "good_result", "includeLogs": false}),
        FeedbackUploadParams::new("good_result", false),
    );
    round_trip(json!({"threadId": "fb-1"}), FeedbackUploadResponse::new("fb-1"));
}

#[test]
fn core_sandbox_policy() {
    round_trip(json!({"type": "read-only"}), SandboxPolicy::ReadOnly);
    round_trip(json!({"type": "danger-full-access"}), SandboxPolicy::DangerFullAccess);
    round_trip(
        json!({
            "type": "workspace-write",
            "writable_roots": ["/data"],
            "network_access": true,
            "exclude_tmpdir_env_var": false,
            "exclude_slash_tmp": true
        }),
        SandboxPolicy::WorkspaceWrite {
            writable_roots: strings(&["/data"]),
            network_access: true,
            exclude_tmpdir_env_var: false,
            exclude_slash_tmp: true,
        },
    );
    // `writable_roots` is omitted when empty; the booleans default to false.
    decodes_to(
        json!({"type": "workspace-write"}),
        SandboxPolicy::WorkspaceWrite {
            writable_roots: vec![],
            network_access: false,
            exclude_tmpdir_env_var: false,
            exclude_slash_tmp: false,
        },
        json!({
            "type": "workspace-write",
            "network_access": false,
            "exclude_tmpdir_env_var": false,
            "exclude_slash_tmp": false
        }),
    );
    rejects::<SandboxPolicy>(json!({"type": "workspaceWrite"}), "unknown variant");
}
