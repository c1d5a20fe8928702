//! The v1 methods (frozen at the 0.63.0 wire), answered per their v1 types. v1
//! conversations are the same threads as v2's: `newConversation` creates one that
//! `thread/list` shows, and the other way round.

use std::future::Future;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use app_server_config_edit::content_version;
use app_server_peer::ServerContext;
use app_server_protocol::JsonRpcError;
use app_server_protocol::core_types::{AuthMode, ConversationId};
use app_server_protocol::v1::{self, ConversationSummary, GitSha, SessionSource};
use app_server_protocol::v2::{ConfigEdit, MergeStrategy, Thread, UserInput};
use serde_json::Value;

use super::agent::{Settings, TurnRequest, create_thread, start_turn};
use super::connection::state::ConnectionState;
use super::shared::Mock;
use super::turn::Api;

/// `newConversation`: a new thread.
pub(crate) fn new_conversation(
    mock: &Mock,
    ctx: &ServerContext,
    params: v1::NewConversationParams,
) -> Result<v1::NewConversationResponse, JsonRpcError> {
    let sandbox = params.sandbox.map(Into::into);
    let approval = params.approval_policy.map(Into::into);
    let settings =
        Settings::new(mock, params.model, params.model_provider, params.cwd, approval, sandbox);
    let thread = create_thread(mock, ctx, &settings, Api::V1);
    let mut response = v1::NewConversationResponse::new(
        conversation_id(&thread.id)?,
        settings.model,
        PathBuf::from(&thread.path),
    );
    response.reasoning_effort = Some(app_server_protocol::core_types::ReasoningEffort::Medium);
    Ok(response)
}

fn conversation_id(id: &str) -> Result<ConversationId, JsonRpcError> {
    ConversationId::parse(id).map_err(|error| JsonRpcError::internal(error.to_string()))
}

/// The v1 summary of a thread.
fn summary(thread: &Thread, cwd: &str) -> Result<ConversationSummary, JsonRpcError> {
    Ok(ConversationSummary {
        conversation_id: conversation_id(&thread.id)?,
        path: PathBuf::from(&thread.path),
        preview: thread.preview.clone(),
        timestamp: Some(rfc3339(thread.created_at)),
        model_provider: thread.model_provider.clone(),
        cwd: PathBuf::from(cwd),
        cli_version: app_server_protocol::VERSION.to_owned(),
        source: SessionSource::VSCode,
        git_info: None,
    })
}

/// A v1 turn: the conversation, the user's input and (`sendUserTurn`) where it runs.
pub(crate) struct UserTurn {
    pub(crate) conversation_id: ConversationId,
    pub(crate) items: Vec<v1::InputItem>,
    pub(crate) cwd: Option<String>,
}

/// `sendUserMessage` and `sendUserTurn`: a turn played in v1's words (the legacy event
/// stream, `execCommandApproval` and `applyPatchApproval`), as released servers play it.
pub(crate) fn user_turn(
    mock: &Mock,
    conn: &Arc<ConnectionState>,
    ctx: &ServerContext,
    turn: UserTurn,
) -> Result<(), JsonRpcError> {
    let input = turn
        .items
        .into_iter()
        .map(|item| match item {
            v1::InputItem::Text { text } => UserInput::Text { text },
            v1::InputItem::Image { image_url } => UserInput::Image { url: image_url },
            v1::InputItem::LocalImage { path } => {
                UserInput::LocalImage { path: path.display().to_string() }
            }
        })
        .collect();
    let request = TurnRequest {
        thread_id: turn.conversation_id.to_string(),
        input,
        cwd: turn.cwd,
        api: Api::V1,
        steps: None,
    };
    start_turn(mock, conn, ctx, request).map(drop)
}

/// `getConversationSummary`: by id or by rollout path.
pub(crate) fn conversation_summary(
    mock: &Mock,
    params: v1::GetConversationSummaryParams,
) -> Result<v1::GetConversationSummaryResponse, JsonRpcError> {
    let threads = mock.threads();
    let id = match params {
        v1::GetConversationSummaryParams::ConversationId { conversation_id } => {
            conversation_id.to_string()
        }
        v1::GetConversationSummaryParams::RolloutPath { rollout_path } => {
            thread_id_of_rollout(&rollout_path)?
        }
    };
    let record = threads.get(&id)?;
    Ok(v1::GetConversationSummaryResponse::new(summary(&record.thread, &record.cwd)?))
}

/// `listConversations`: full pages of the same listing as `thread/list`.
pub(crate) fn list_conversations(
    mock: &Mock,
    params: v1::ListConversationsParams,
) -> Result<v1::ListConversationsResponse, JsonRpcError> {
    let limit = params.page_size.map(|size| NonZeroU32::try_from(size).unwrap_or(NonZeroU32::MAX));
    let threads = mock.threads();
    let page = threads.list(params.cursor.as_deref(), limit, params.model_providers.as_deref())?;
    let items = page
        .items
        .iter()
        .map(|thread| {
            summary(
                thread,
                &threads.get(&thread.id).map(|record| record.cwd.clone()).unwrap_or_default(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut response = v1::ListConversationsResponse::new(items);
    response.next_cursor = page.next_cursor;
    Ok(response)
}

/// `resumeConversation`: by id, or by the rollout path of a known thread.
pub(crate) fn resume_conversation(
    mock: &Mock,
    params: v1::ResumeConversationParams,
) -> Result<v1::ResumeConversationResponse, JsonRpcError> {
    let id = match (&params.conversation_id, &params.path) {
        (Some(id), _) => id.to_string(),
        (None, Some(path)) => thread_id_of_rollout(path)?,
        (None, None) => {
            return Err(JsonRpcError::invalid_request("give `conversationId` or `path` to resume"));
        }
    };
    let threads = mock.threads();
    let record = threads.get(&id)?;
    let mut response = v1::ResumeConversationResponse::new(
        conversation_id(&id)?,
        record.model.clone(),
        PathBuf::from(&record.thread.path),
    );
    response.initial_messages = Some(Vec::new());
    Ok(response)
}

/// `gitDiffToRemote`: a fixed diff against a fixed commit.
pub(crate) fn git_diff() -> v1::GitDiffToRemoteResponse {
    let diff = "diff --git a/src/parse.rs b/src/parse.rs\n--- a/src/parse.rs\n+++ b/src/parse.rs\n@@ -10 +10 @@\n-    for index in 0..items.len() - 1 {\n+    for index in 0..items.len() {\n";
    v1::GitDiffToRemoteResponse::new(GitSha::new("3f1c2a9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"), diff)
}

/// Sends `authStatusChange` once the answer went out.
#[allow(deprecated)]
pub(crate) fn announce_auth(
    auth: Option<AuthMode>,
) -> impl FnOnce(ServerContext) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
    move |ctx| {
        Box::pin(async move {
            let mut params = v1::AuthStatusChangeNotification::new();
            params.auth_method = auth;
            let _closed = ctx.notify::<app_server_protocol::method::AuthStatusChange>(params).await;
        })
    }
}

/// `getAuthStatus`: how the user is signed in; a made-up token when asked for.
pub(crate) fn auth_status(
    mock: &Mock,
    params: &v1::GetAuthStatusParams,
) -> v1::GetAuthStatusResponse {
    let auth = mock.accounts().auth;
    let mut response = v1::GetAuthStatusResponse::new();
    response.auth_method = auth;
    response.requires_openai_auth = Some(true);
    if params.include_token == Some(true) && auth.is_some() {
        response.auth_token =
            Some(app_server_protocol::Secret::new("mock-token-not-a-secret".to_owned()));
    }
    response
}

/// `getUserSavedConfig`: the config file, in v1's shape.
pub(crate) fn saved_config(mock: &Mock) -> Result<v1::GetUserSavedConfigResponse, JsonRpcError> {
    let Value::Object(mut file) = mock.config().json()? else {
        return Err(JsonRpcError::internal("the config file is not a table"));
    };
    let mut config = serde_json::Map::new();
    for (key, v1_key) in [
        ("approval_policy", "approvalPolicy"),
        ("sandbox_mode", "sandboxMode"),
        ("forced_chatgpt_workspace_id", "forcedChatgptWorkspaceId"),
        ("forced_login_method", "forcedLoginMethod"),
        ("model", "model"),
        ("model_reasoning_effort", "modelReasoningEffort"),
        ("model_reasoning_summary", "modelReasoningSummary"),
        ("model_verbosity", "modelVerbosity"),
        ("profile", "profile"),
    ] {
        config.insert(v1_key.to_owned(), file.remove(key).unwrap_or(Value::Null));
    }
    config.insert(
        "sandboxSettings".to_owned(),
        camel_case_members(file.remove("sandbox_workspace_write")),
    );
    config.insert("tools".to_owned(), camel_case_members(file.remove("tools")));
    let profiles = match file.remove("profiles") {
        Some(Value::Object(profiles)) => profiles
            .into_iter()
            .map(|(name, profile)| (name, camel_case_members(Some(profile))))
            .collect(),
        _ => serde_json::Map::new(),
    };
    config.insert("profiles".to_owned(), Value::Object(profiles));
    let config: v1::UserSavedConfig =
        serde_json::from_value(Value::Object(config)).map_err(|error| {
            JsonRpcError::internal(format!(
                "the config file does not fit v1's saved config: {error}"
            ))
        })?;
    Ok(v1::GetUserSavedConfigResponse::new(config))
}

/// A config table's members with camelCase names (v1 spells its config that way).
fn camel_case_members(table: Option<Value>) -> Value {
    let Some(Value::Object(members)) = table else { return Value::Null };
    let camel = |key: &str| {
        let mut parts = key.split('_');
        let first = parts.next().unwrap_or_default().to_owned();
        parts.fold(first, |mut out, part| {
            let mut chars = part.chars();
            if let Some(head) = chars.next() {
                out.extend(head.to_uppercase());
                out.push_str(chars.as_str());
            }
            out
        })
    };
    Value::Object(members.into_iter().map(|(key, value)| (camel(&key), value)).collect())
}

/// `setDefaultModel`: writes `model` and `model_reasoning_effort` into the config file.
pub(crate) fn set_default_model(
    mock: &Mock,
    params: v1::SetDefaultModelParams,
) -> Result<v1::SetDefaultModelResponse, JsonRpcError> {
    let effort =
        params.reasoning_effort.map(|effort| serde_json::to_value(effort).unwrap_or(Value::Null));
    let edits = [
        ConfigEdit {
            key_path: "model".into(),
            value: params.model.map_or(Value::Null, Value::String),
            merge_strategy: MergeStrategy::Replace,
        },
        ConfigEdit {
            key_path: "model_reasoning_effort".into(),
            value: effort.unwrap_or(Value::Null),
            merge_strategy: MergeStrategy::Replace,
        },
    ];
    let version = content_version(&std::fs::read_to_string(mock.config_path()).unwrap_or_default());
    mock.config().write(&edits, None, Some(&version))?;
    Ok(v1::SetDefaultModelResponse::new())
}

/// The files `fuzzyFileSearch` searches in each root.
const FILES: &[&str] = &[
    "src/main.rs",
    "src/lib.rs",
    "src/parse.rs",
    "tests/regression.rs",
    "README.md",
    "Cargo.toml",
];

/// `fuzzyFileSearch`: the made-up files of each root whose path holds the query's characters
/// in order, best (shortest) match first.
pub(crate) fn fuzzy_file_search(params: &v1::FuzzyFileSearchParams) -> v1::FuzzyFileSearchResponse {
    let mut files = Vec::new();
    for root in &params.roots {
        for path in FILES {
            if let Some(indices) = subsequence(path, &params.query) {
                let score = 1000u32.saturating_sub(
                    indices.last().copied().unwrap_or(0) - indices.first().copied().unwrap_or(0),
                );
                let file_name = path.rsplit('/').next().unwrap_or(path).to_owned();
                files.push(v1::FuzzyFileSearchResult {
                    root: root.clone(),
                    path: (*path).to_owned(),
                    file_name,
                    score,
                    indices: Some(indices),
                });
            }
        }
    }
    files.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.path.cmp(&b.path)));
    v1::FuzzyFileSearchResponse::new(files)
}

/// The character indices of `query` in `path`, in order, ignoring case.
fn subsequence(path: &str, query: &str) -> Option<Vec<u32>> {
    let mut indices = Vec::new();
    let mut wanted = query.chars().flat_map(char::to_lowercase).peekable();
    for (index, c) in path.chars().enumerate() {
        if wanted.peek().is_some_and(|w| c.to_lowercase().eq(std::iter::once(*w))) {
            indices.push(index as u32);
            wanted.next();
        }
    }
    wanted.peek().is_none().then_some(indices)
}

/// `execOneOffCommand`: the mock runs nothing; it answers as `echo` would, and exit code 127
/// (command not found) for anything else.
pub(crate) fn exec_one_off(
    params: &v1::ExecOneOffCommandParams,
) -> Result<v1::ExecOneOffCommandResponse, JsonRpcError> {
    let Some((program, args)) = params.command.split_first() else {
        return Err(JsonRpcError::invalid_params(
            "params.command",
            "a command with at least its program",
        ));
    };
    Ok(if program == "echo" {
        v1::ExecOneOffCommandResponse::new(0, format!("{}\n", args.join(" ")), "")
    } else {
        v1::ExecOneOffCommandResponse::new(
            127,
            "",
            format!("{program}: the mock app server runs no command\n"),
        )
    })
}

/// Unix seconds as an RFC 3339 UTC timestamp (`2025-12-02T00:00:00Z`).
fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// The thread id a rollout file of the mock is named after (`…/rollout-<id>.jsonl`).
fn thread_id_of_rollout(path: &Path) -> Result<String, JsonRpcError> {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .and_then(|stem| stem.strip_prefix("rollout-"))
        .map(str::to_owned)
        .ok_or_else(|| {
            JsonRpcError::invalid_request(format!(
                "no conversation is stored at {}",
                path.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_fuzzy_matches() {
        assert_eq!(rfc3339(1_764_633_600), "2025-12-02T00:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(subsequence("src/parse.rs", "prs"), Some(vec![4, 6, 7]));
        assert_eq!(subsequence("src/lib.rs", "zz"), None);
    }
}
