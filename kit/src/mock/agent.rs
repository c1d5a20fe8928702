//! The v2 thread and turn methods: what `thread/start`, `thread/resume`, `thread/list`,
//! `thread/archive`, `turn/start`, `turn/interrupt` and `review/start` do to the shared
//! threads, and the turns they start.

use std::sync::Arc;

use app_server_peer::ServerContext;
use app_server_protocol::JsonRpcError;
use app_server_protocol::method::ThreadStarted;
use app_server_protocol::v2::{
    self, AskForApproval, ReviewTarget, SandboxMode, SandboxPolicy, Thread, UserInput,
};

use super::catalogue::default_model_id;
use super::connection::state::ConnectionState;
use super::event_stream::mcp_startup_complete;
use super::prompt::prompt_text;
use super::scenario::{Scenario, Step};
use super::shared::Mock;
use super::turn::{Api, TurnPlan, TurnRun};

/// The model provider of threads that name none.
pub(crate) const PROVIDER: &str = "openai";

/// The settings a thread runs with.
pub(crate) struct Settings {
    pub(crate) model: String,
    pub(crate) provider: String,
    pub(crate) cwd: String,
    pub(crate) approval: AskForApproval,
    pub(crate) sandbox: SandboxPolicy,
}

impl Settings {
    /// The settings from a request's overrides, the rest from the config's defaults.
    pub(crate) fn new(
        mock: &Mock,
        model: Option<String>,
        provider: Option<String>,
        cwd: Option<String>,
        approval: Option<AskForApproval>,
        sandbox: Option<SandboxMode>,
    ) -> Self {
        let cwd = cwd.unwrap_or_else(|| default_cwd(mock));
        let sandbox = match sandbox.unwrap_or(SandboxMode::WorkspaceWrite) {
            SandboxMode::ReadOnly => SandboxPolicy::ReadOnly,
            SandboxMode::DangerFullAccess => SandboxPolicy::DangerFullAccess,
            SandboxMode::WorkspaceWrite => SandboxPolicy::WorkspaceWrite {
                writable_roots: vec![cwd.clone()],
                network_access: false,
                exclude_tmpdir_env_var: false,
                exclude_slash_tmp: false,
            },
        };
        Settings {
            model: model.unwrap_or_else(default_model_id),
            provider: provider.unwrap_or_else(|| PROVIDER.to_owned()),
            cwd,
            approval: approval.unwrap_or_default(),
            sandbox,
        }
    }
}

/// The working directory of threads that name none: a folder beside the config file.
pub(crate) fn default_cwd(mock: &Mock) -> String {
    mock.config().folder().join("workspace").display().to_string()
}

/// Creates a thread and, for `Api::V2`, tells every connection (`thread/started`, after the
/// answer on the caller's connection; released servers announce no v1 conversation).
/// Returns the new thread.
pub(crate) fn create_thread(
    mock: &Mock,
    ctx: &ServerContext,
    settings: &Settings,
    api: Api,
) -> Thread {
    let id = mock.ids().uuid_v7();
    let path = mock.config().folder().join("sessions").join(format!("rollout-{id}.jsonl"));
    let thread = Thread {
        id,
        preview: String::new(),
        model_provider: settings.provider.clone(),
        created_at: mock.ids().now(),
        path: path.display().to_string(),
        turns: Vec::new(),
    };
    let thread = mock.threads().insert(thread, settings.cwd.clone(), settings.model.clone());
    broadcast_started(mock, ctx, &thread, api);
    thread
}

/// After the answer: `mcp_startup_complete` on the caller's connection (legacy stream), then
/// `thread/started` to every connection.
fn broadcast_started(mock: &Mock, caller: &ServerContext, thread: &Thread, api: Api) {
    let connections = mock.connections();
    let caller = caller.clone();
    let thread = thread.clone();
    let legacy = mock.legacy_events();
    tokio::spawn(async move {
        caller.answered().await;
        if legacy {
            let _closed = mcp_startup_complete(&caller, &thread.id).await;
        }
        if api == Api::V1 {
            return;
        }
        for ctx in connections {
            let params = v2::ThreadStartedNotification::new(thread.clone());
            // Each connection on its own task: one that does not read holds up nobody. The
            // context is the one of the connection's `initialize`: its answer goes out first.
            tokio::spawn(async move {
                ctx.answered().await;
                ctx.notify::<ThreadStarted>(params).await
            });
        }
    });
}

/// `thread/start`.
pub(crate) fn thread_start(
    mock: &Mock,
    ctx: &ServerContext,
    params: v2::ThreadStartParams,
) -> v2::ThreadStartResponse {
    let settings = Settings::new(
        mock,
        params.model,
        params.model_provider,
        params.cwd,
        params.approval_policy,
        params.sandbox,
    );
    let thread = create_thread(mock, ctx, &settings, Api::V2);
    let mut response = v2::ThreadStartResponse::new(
        thread,
        settings.model,
        settings.provider,
        settings.cwd,
        settings.approval,
        settings.sandbox,
    );
    response.reasoning_effort = Some(app_server_protocol::core_types::ReasoningEffort::Medium);
    response
}

/// `thread/resume`: the thread with its turns; the request's settings override the stored
/// ones for the answer.
pub(crate) fn thread_resume(
    mock: &Mock,
    params: v2::ThreadResumeParams,
) -> Result<v2::ThreadResumeResponse, JsonRpcError> {
    let (thread, cwd, model) = {
        let threads = mock.threads();
        let record = threads.get(&params.thread_id)?;
        (record.thread.clone(), record.cwd.clone(), record.model.clone())
    };
    let settings = Settings::new(
        mock,
        params.model.or(Some(model)),
        params.model_provider.or(Some(thread.model_provider.clone())),
        params.cwd.or(Some(cwd)),
        params.approval_policy,
        params.sandbox,
    );
    let mut response = v2::ThreadResumeResponse::new(
        thread,
        settings.model,
        settings.provider,
        settings.cwd,
        settings.approval,
        settings.sandbox,
    );
    response.reasoning_effort = Some(app_server_protocol::core_types::ReasoningEffort::Medium);
    Ok(response)
}

/// `thread/list`: full pages, newest first; the `short-page-with-cursor` fault leaves out
/// the last thread of a full page that has a next page.
pub(crate) fn thread_list(
    mock: &Mock,
    params: &v2::ThreadListParams,
) -> Result<v2::ThreadListResponse, JsonRpcError> {
    let mut page = mock.threads().list(
        params.cursor.as_deref(),
        params.limit,
        params.model_providers.as_deref(),
    )?;
    if mock.faults().has(&super::fault::Fault::ShortPageWithCursor) && page.next_cursor.is_some() {
        page.items.pop();
    }
    let mut response = v2::ThreadListResponse::new(page.items);
    response.next_cursor = page.next_cursor;
    Ok(response)
}

/// What starts a turn: the thread, the user's input, where it runs, the API it came
/// through and, for a review, its own steps.
pub(crate) struct TurnRequest {
    pub(crate) thread_id: String,
    pub(crate) input: Vec<UserInput>,
    pub(crate) cwd: Option<String>,
    pub(crate) api: Api,
    pub(crate) steps: Option<Arc<Vec<Step>>>,
}

/// Starts playing a turn on a thread (`turn/start`, `review/start`, v1 `sendUserTurn` and
/// `sendUserMessage`): its steps follow the prompt (or the scenario file). Returns the
/// turn in progress.
pub(crate) fn start_turn(
    mock: &Mock,
    conn: &Arc<ConnectionState>,
    ctx: &ServerContext,
    request: TurnRequest,
) -> Result<v2::Turn, JsonRpcError> {
    let text = prompt_text(&request.input);
    let (turn_id, interrupted, thread_cwd) = {
        let mut threads = mock.threads();
        let (turn_id, interrupted) = threads.start_turn(&request.thread_id, &text)?;
        (turn_id, interrupted, threads.get(&request.thread_id)?.cwd.clone())
    };
    let cwd = request.cwd.unwrap_or(thread_cwd);
    let steps = request.steps.unwrap_or_else(|| mock.steps(&text, &cwd));
    let plan = TurnPlan {
        thread_id: request.thread_id,
        turn_id: turn_id.clone(),
        cwd,
        input: request.input,
        api: request.api,
        interrupted,
    };
    let run = TurnRun::new(mock.clone(), Arc::clone(conn), ctx.clone(), plan);
    tokio::spawn(run.play(steps));
    Ok(TurnRun::started_turn(&turn_id))
}

/// `turn/start`.
pub(crate) fn turn_start(
    mock: &Mock,
    conn: &Arc<ConnectionState>,
    ctx: &ServerContext,
    params: v2::TurnStartParams,
) -> Result<v2::TurnStartResponse, JsonRpcError> {
    let request = TurnRequest {
        thread_id: params.thread_id,
        input: params.input,
        cwd: params.cwd,
        api: Api::V2,
        steps: None,
    };
    Ok(v2::TurnStartResponse::new(start_turn(mock, conn, ctx, request)?))
}

/// `review/start`: a turn that reviews the target.
pub(crate) fn review_start(
    mock: &Mock,
    conn: &Arc<ConnectionState>,
    ctx: &ServerContext,
    params: v2::ReviewStartParams,
) -> Result<v2::TurnStartResponse, JsonRpcError> {
    let what = match &params.target {
        ReviewTarget::UncommittedChanges => "the uncommitted changes".to_owned(),
        ReviewTarget::BaseBranch { branch } => format!("the changes against {branch}"),
        ReviewTarget::Commit { sha, .. } => format!("commit {sha}"),
        ReviewTarget::Custom { instructions } => format!("as asked: {instructions}"),
    };
    let script = format!(
        "{{\"type\":\"reasoning\",\"summary\":\"Reviewing {what}.\"}}\n{{\"type\":\"agentMessage\",\"text\":\"Review of {what}: no blocking issues; consider a test for the empty input.\",\"deltaDelayMs\":15}}\n",
        what = what.replace(['"', '\\'], "'"),
    );
    let steps =
        Scenario::parse(&script).map_err(|(_, message)| JsonRpcError::internal(message))?.steps;
    let request = TurnRequest {
        thread_id: params.thread_id,
        input: vec![UserInput::Text { text: format!("Review {what}") }],
        cwd: None,
        api: Api::V2,
        steps: Some(Arc::new(steps)),
    };
    Ok(v2::TurnStartResponse::new(start_turn(mock, conn, ctx, request)?))
}
