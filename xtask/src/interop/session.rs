//! One session against one release: its own CODEX_HOME, stand-in model API and server
//! process, talked to through our own peer (`app_server_peer::Client`), every line recorded.
//! What the session steps use: typed calls with time limits, turns, approvals, probes, and
//! checks that become findings when the release does not meet them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use app_server_peer::{Client, ClientContext, PeerConfig};
use app_server_protocol::handshake::ClientInfo;
use app_server_protocol::method::Request;
use app_server_protocol::method::TurnStart;
use app_server_protocol::{
    ClientRequest, ClientRequestMethod, ClientRequestResult, JsonRpcError, ServerRequestHandler,
    v1, v2,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::process::Child;
use tokio::task::JoinHandle;

use super::deviations::Finding;
use super::events::{Event, Events, tap_bad_lines};
use super::launch::{self, EXIT_GRACE, Model, ModelCommand, SessionDirs};
use super::recorder::{Recorder, TapReader, forward_client_lines};

/// How long a request may wait for its answer.
pub const REQUEST: Duration = Duration::from_secs(30);
/// How long a turn may take, from its start to its end.
pub const TURN: Duration = Duration::from_secs(60);
/// How long a check waits for something that should already have come with the turn.
pub const SETTLE: Duration = Duration::from_secs(5);

/// What the client answers to the server's approval requests, and what it was asked.
#[derive(Clone, Default)]
pub struct Approvals {
    state: Arc<Mutex<ApprovalState>>,
}

#[derive(Default)]
struct ApprovalState {
    decline: bool,
    asked: Vec<(String, Value)>,
}

impl Approvals {
    /// From now on, accept (`true`) or decline every approval request.
    pub fn accept(&self, accept: bool) {
        self.lock().decline = !accept;
    }

    /// The approval requests received so far: method and params.
    pub fn asked(&self) -> Vec<(String, Value)> {
        self.lock().asked.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ApprovalState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes the request and answers `{"decision": accept | decline}` in the method's words.
    fn answer<T: DeserializeOwned>(
        &self,
        method: &str,
        params: Value,
        [accept, decline]: [&str; 2],
    ) -> Result<T, JsonRpcError> {
        let mut state = self.lock();
        state.asked.push((method.to_owned(), params));
        let decision = if state.decline { decline } else { accept };
        serde_json::from_value(json!({ "decision": decision }))
            .map_err(|err| JsonRpcError::internal(format!("the harness's answer: {err}")))
    }
}

fn value(params: &impl serde::Serialize) -> Value {
    serde_json::to_value(params).unwrap_or(Value::Null)
}

#[allow(deprecated)] // v1 approvals: exactly what the v1 sessions exercise.
impl ServerRequestHandler<ClientContext> for Approvals {
    async fn command_execution_request_approval(
        &self,
        params: v2::CommandExecutionRequestApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v2::CommandExecutionRequestApprovalResponse, JsonRpcError> {
        let method = "item/commandExecution/requestApproval";
        self.answer(method, value(&params), ["accept", "decline"])
    }

    async fn file_change_request_approval(
        &self,
        params: v2::FileChangeRequestApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v2::FileChangeRequestApprovalResponse, JsonRpcError> {
        let method = "item/fileChange/requestApproval";
        self.answer(method, value(&params), ["accept", "decline"])
    }

    async fn exec_command_approval(
        &self,
        params: v1::ExecCommandApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v1::ExecCommandApprovalResponse, JsonRpcError> {
        self.answer("execCommandApproval", value(&params), ["approved", "denied"])
    }

    async fn apply_patch_approval(
        &self,
        params: v1::ApplyPatchApprovalParams,
        _ctx: &ClientContext,
    ) -> Result<v1::ApplyPatchApprovalResponse, JsonRpcError> {
        self.answer("applyPatchApproval", value(&params), ["approved", "denied"])
    }
}

/// A running session.
pub struct Session {
    /// The session's name, e.g. `v2-turn`.
    pub name: &'static str,
    /// The release's version.
    pub version: String,
    /// The connection, through our peer.
    pub client: Client,
    /// The server's notifications.
    pub events: Events,
    /// What the client answers to approvals.
    pub approvals: Approvals,
    /// The transcript.
    pub recorder: Recorder,
    /// The server's working folder.
    pub work: PathBuf,
    /// Checks the release did not meet.
    pub findings: Vec<Finding>,
    /// What the session wants said in the report (codes it got, …).
    pub notes: Vec<String>,
    server: Child,
    forward: JoinHandle<()>,
}

impl Session {
    /// Starts the release's server in `dirs` against `model`, connected through our peer, every
    /// line recorded into `transcript`.
    pub async fn open(
        name: &'static str,
        version: &str,
        binary: &Path,
        dirs: &SessionDirs,
        model: &Model,
        transcript: &Path,
    ) -> Result<Session, String> {
        let stderr = dirs.log("server");
        let server = launch::server_command(binary, dirs, &model.base_url, &stderr)?
            .spawn()
            .map_err(|err| format!("could not start {} app-server: {err}", binary.display()))?;
        Session::attach(name, version, server, dirs, transcript)
    }

    /// A session with a server already started (stdin and stdout piped), e.g. the mock.
    pub fn attach(
        name: &'static str,
        version: &str,
        mut server: Child,
        dirs: &SessionDirs,
        transcript: &Path,
    ) -> Result<Session, String> {
        let (Some(stdin), Some(stdout)) = (server.stdin.take(), server.stdout.take()) else {
            return Err("the server's stdio could not be piped".to_owned());
        };
        let (recorder, client_side) = Recorder::create(transcript)?;
        let (peer_end, forwarder_end) = tokio::io::duplex(64 * 1024);
        let forward =
            tokio::spawn(forward_client_lines(recorder.clone(), client_side, forwarder_end, stdin));
        let (config, bad_lines) =
            tap_bad_lines(PeerConfig::default().with_shutdown_grace(EXIT_GRACE));
        let approvals = Approvals::default();
        let client = Client::builder()
            .config(config)
            .handler(approvals.clone())
            .connect(TapReader::new(stdout, recorder.clone()), peer_end);
        let events = Events::start(client.notifications(), bad_lines, recorder.clone());
        Ok(Session {
            name,
            version: version.to_owned(),
            client,
            events,
            approvals,
            recorder,
            work: dirs.work(),
            findings: Vec::new(),
            notes: Vec::new(),
            server,
            forward,
        })
    }

    /// Ends the session: the server's input is closed (it exits), it is killed if it does not
    /// within the grace period, the notifications left are read, and the transcript is
    /// flushed. Returns the probe lines and how many refused notifications reached the stream
    /// as invalid items (an error if any did not).
    pub async fn close(self) -> Result<(Vec<usize>, usize), String> {
        let Session { client, recorder, mut server, forward, mut events, .. } = self;
        let _status = client.shutdown().await;
        let _done = tokio::time::timeout(EXIT_GRACE, forward).await;
        launch::stop_child(&mut server).await;
        let handed_on = events.finish(SETTLE).await;
        drop(events);
        recorder.finish()?;
        Ok((recorder.probe_lines(), handed_on?))
    }

    /// Sends a request of method `M` with `params` (JSON in wire spelling) and returns its
    /// result as JSON; an error answer, a closed connection or no answer within [`REQUEST`] is
    /// an error.
    pub async fn call<M>(&self, params: Value) -> Result<Value, String>
    where
        M: Request<
                Message = ClientRequest,
                Answer = ClientRequestResult,
                MethodEnum = ClientRequestMethod,
            >,
    {
        let typed: M::Params = serde_json::from_value(params)
            .map_err(|err| format!("the harness's `{}` params: {err}", M::METHOD))?;
        let result = tokio::time::timeout(REQUEST, self.client.request::<M>(typed))
            .await
            .map_err(|_| format!("`{}`: no answer within {} s", M::METHOD, REQUEST.as_secs()))?
            .map_err(|err| format!("`{}`: {err}", M::METHOD))?;
        serde_json::to_value(&result).map_err(|err| format!("`{}` result: {err}", M::METHOD))
    }

    /// The handshake: `initialize`, then `initialized`; checks the user agent names the
    /// release.
    pub async fn initialize(&mut self) -> Result<(), String> {
        let info = ClientInfo {
            name: "app_server_interop".to_owned(),
            title: None,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let answer = tokio::time::timeout(REQUEST, self.client.initialize(info))
            .await
            .map_err(|_| format!("`initialize`: no answer within {} s", REQUEST.as_secs()))?
            .map_err(|err| format!("`initialize`: {err}"))?;
        let agent = answer.user_agent.clone();
        self.check(
            agent.contains(&self.version),
            "initialize",
            format!("the user agent `{agent}` does not name the release {}", self.version),
        );
        Ok(())
    }

    /// A v2 thread in the work folder, after the handshake; returns its id.
    pub async fn start_thread(&mut self) -> Result<String, String> {
        self.initialize().await?;
        let cwd = self.work.display().to_string();
        let started =
            self.call::<app_server_protocol::method::ThreadStart>(json!({ "cwd": cwd })).await?;
        string_at(&started, "/thread/id", "thread/start")
    }

    /// Runs a v2 turn with `text` as input: starts it and waits (at most [`TURN`]) for its
    /// `turn/completed`, which it returns. Starts a new window of events.
    pub async fn turn(&mut self, thread: &str, text: &str) -> Result<Event, String> {
        self.events.mark();
        let turn = self.start_turn(thread, text).await?;
        self.events
            .wait_for("turn/completed", TURN, |event| event.str_at("/turn/id") == Some(&turn))
            .await
    }

    /// Starts a v2 turn with `text` as input; returns its id.
    pub async fn start_turn(&mut self, thread: &str, text: &str) -> Result<String, String> {
        let input = json!({ "threadId": thread, "input": [{ "type": "text", "text": text }] });
        let started = self.call::<TurnStart>(input).await?;
        string_at(&started, "/turn/id", "turn/start")
    }

    /// Checks that the turn ended with `status`.
    pub fn check_status(&mut self, completed: &Event, status: &str) {
        let found = completed.str_at("/turn/status").unwrap_or("(none)").to_owned();
        self.check(
            found == status,
            "turn/completed",
            format!("the turn completed with status `{found}`, expected `{status}`"),
        );
    }

    /// Checks that a notification of `method` for which `accept` holds came in this window
    /// (waiting at most [`SETTLE`] for it); `what` says what was expected.
    pub async fn expect(
        &mut self,
        method: &str,
        what: &str,
        accept: impl Fn(&Event) -> bool,
    ) -> Option<Event> {
        match self.events.wait_for(method, SETTLE, accept).await {
            Ok(event) => Some(event),
            Err(err) => {
                self.findings.push(Finding::check(
                    self.name,
                    method,
                    format!("expected {what}: {err}"),
                ));
                None
            }
        }
    }

    /// Checks that an approval request of `method` was received since `before` requests;
    /// returns its params.
    pub fn expect_approval(&mut self, method: &str, before: usize) -> Option<Value> {
        let asked = self.approvals.asked();
        let found = asked.into_iter().skip(before).find(|(m, _)| m == method).map(|(_, p)| p);
        if found.is_none() {
            let text = format!("expected a `{method}` request, none came");
            self.findings.push(Finding::check(self.name, method, text));
        }
        found
    }

    /// A check about `method`: when `ok` is false, `text` becomes a finding.
    pub fn check(&mut self, ok: bool, method: &str, text: String) {
        if !ok {
            self.findings.push(Finding::check(self.name, method, text));
        }
    }

    /// Sends a raw request the typed peer cannot send and returns the server's answer.
    pub async fn probe(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.recorder.probe(method, params, REQUEST).await
    }
}

/// The string at `pointer` in a result, or an error naming the method.
pub fn string_at(value: &Value, pointer: &str, method: &str) -> Result<String, String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("`{method}`: no string at `{pointer}` in its answer"))
}

/// Starts the stand-in model API for a session, with its stderr in the session's folder.
pub async fn start_model(command: &ModelCommand, dirs: &SessionDirs) -> Result<Model, String> {
    Model::start(command, &dirs.log("model")).await
}
