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

use super::Mock;
use super::catalogue::default_model_id;
use super::connection::state::ConnectionState;
use super::scenario::Scenario;
use super::turn::{TurnPlan, TurnRun};

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

/// Creates a thread and tells every connection (`thread/started`, after the answer on the
/// caller's connection). Returns the new thread.
pub(crate) fn create_thread(mock: &Mock, ctx: &ServerContext, settings: &Settings) -> Thread {
    let id = mock.ids().uuid();
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
    broadcast_started(mock, ctx, &thread);
    thread
}

fn broadcast_started(mock: &Mock, caller: &ServerContext, thread: &Thread) {
    let connections = mock.connections();
    let caller = caller.clone();
    let thread = thread.clone();
    tokio::spawn(async move {
        caller.answered().await;
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
    let thread = create_thread(mock, ctx, &settings);
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

/// `turn/start`: starts playing the mock's scenario on the thread; answers the turn in
/// progress.
pub(crate) fn turn_start(
    mock: &Mock,
    conn: &Arc<ConnectionState>,
    ctx: &ServerContext,
    thread_id: String,
    input: Vec<UserInput>,
    cwd: Option<String>,
    steps: Arc<Vec<super::scenario::Step>>,
) -> Result<v2::TurnStartResponse, JsonRpcError> {
    let turn_id = mock.ids().next("turn");
    let preview = input
        .iter()
        .find_map(|input| match input {
            UserInput::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .unwrap_or_default();
    let (interrupted, thread_cwd) = {
        let mut threads = mock.threads();
        let interrupted = threads.start_turn(&thread_id, &turn_id, preview)?;
        (interrupted, threads.get(&thread_id)?.cwd.clone())
    };
    let cwd = cwd.unwrap_or(thread_cwd);
    let plan = TurnPlan { thread_id, turn_id: turn_id.clone(), cwd, input, interrupted };
    let run = TurnRun::new(mock.clone(), Arc::clone(conn), ctx.clone(), plan);
    tokio::spawn(run.play(steps));
    Ok(v2::TurnStartResponse::new(TurnRun::started_turn(&turn_id)))
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
    let input = vec![UserInput::Text { text: format!("Review {what}") }];
    turn_start(mock, conn, ctx, params.thread_id, input, None, Arc::new(steps))
}
