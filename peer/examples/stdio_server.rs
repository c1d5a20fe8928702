//! A small app server over stdio: the handshake, `thread/start`, `thread/list` (full pages
//! with the protocol crate's pagination helper, over an in-memory store), and `turn/start`,
//! which answers and then streams a turn: `turn/started`, an agent message with its deltas,
//! a command approval whose decision decides the next item, `turn/completed`.
//!
//! Run it by hand and type JSON lines, or let `stdio_client` spawn it:
//!
//! ```sh
//! cargo run -p app-server-peer --example stdio_server
//! {"id":0,"method":"initialize","params":{"clientInfo":{"name":"me","version":"1"}}}
//! ```

use std::convert::Infallible;
use std::sync::Mutex;

use app_server_behaviour::pagination::{PageError, SourcePage, fill_page};
use app_server_peer::{CallError, PeerConfig, Server, ServerContext};
use app_server_protocol::handshake::{InitializeParams, InitializeResponse};
use app_server_protocol::method::{
    AgentMessageDelta, CommandExecutionRequestApproval, ItemCompleted, ItemStarted, TurnCompleted,
    TurnStarted,
};
use app_server_protocol::{ClientRequestHandler, ErrorCode, JsonRpcError, v2};
use serde_json::json;

/// How many threads the store returns per raw page: smaller than a client's page, so that
/// `fill_page` has to gather several raw pages into one full page.
const RAW_PAGE: usize = 2;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let config = PeerConfig::default()
        .on_bad_line(|bad| eprintln!("stdio_server: line {}: {}", bad.line, bad.error));
    Server::new(ExampleServer::default())
        .config(config)
        .on_notification(|notification, _ctx| {
            eprintln!("stdio_server: the client sent {notification:?}");
        })
        .serve_stdio()
        .await
}

/// The server's state: its threads, newest last.
#[derive(Default)]
struct ExampleServer {
    threads: Mutex<Vec<v2::Thread>>,
}

impl ClientRequestHandler<ServerContext> for ExampleServer {
    async fn initialize(
        &self,
        params: InitializeParams,
        _ctx: &ServerContext,
    ) -> Result<InitializeResponse, JsonRpcError> {
        let client = params.client_info;
        let user_agent = format!(
            "stdio_server/{} ({}; {})",
            app_server_protocol::VERSION,
            client.name,
            client.version
        );
        Ok(payload::initialized(&user_agent))
    }

    async fn thread_start(
        &self,
        params: v2::ThreadStartParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadStartResponse, JsonRpcError> {
        let cwd = params.cwd.unwrap_or_else(|| "/work".to_owned());
        let provider = params.model_provider.unwrap_or_else(|| "openai".to_owned());
        let thread = {
            let mut threads = self.threads.lock().unwrap();
            let thread = payload::thread(threads.len() + 1, &provider);
            threads.push(thread.clone());
            thread
        };
        Ok(payload::thread_started(
            thread,
            params.model.as_deref().unwrap_or("gpt-5.1-codex"),
            &cwd,
        ))
    }

    async fn thread_list(
        &self,
        params: v2::ThreadListParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadListResponse, JsonRpcError> {
        let newest_first: Vec<v2::Thread> =
            self.threads.lock().unwrap().iter().rev().cloned().collect();
        let mut source = |cursor: Option<&str>| raw_page(&newest_first, cursor);
        let providers = params.model_providers;
        let wanted = |thread: &v2::Thread| {
            providers.as_ref().is_none_or(|providers| providers.contains(&thread.model_provider))
        };
        let page = fill_page(&mut source, wanted, params.cursor.as_deref(), params.limit)
            .map_err(page_error)?;
        Ok(payload::thread_list(page.items, page.next_cursor))
    }

    async fn turn_start(
        &self,
        params: v2::TurnStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::TurnStartResponse, JsonRpcError> {
        let turn_id = {
            let mut threads = self.threads.lock().unwrap();
            let Some(thread) = threads.iter_mut().find(|thread| thread.id == params.thread_id)
            else {
                return Err(JsonRpcError::new(
                    ErrorCode::INVALID_REQUEST,
                    format!("no thread {}", params.thread_id),
                ));
            };
            thread.preview = input_text(&params.input);
            format!("turn_{}", thread.id.trim_start_matches("thr_"))
        };
        // The turn runs after the answer: a task of its own streams it through the context.
        let streaming =
            Turn { ctx: ctx.clone(), thread_id: params.thread_id, turn_id: turn_id.clone() };
        tokio::spawn(async move {
            if let Err(error) = streaming.run().await {
                eprintln!("stdio_server: the turn stopped: {error}");
            }
        });
        Ok(payload::turn_start(&turn_id))
    }
}

/// One raw page of the store: `RAW_PAGE` threads from the index the cursor names.
fn raw_page(
    threads: &[v2::Thread],
    cursor: Option<&str>,
) -> Result<SourcePage<v2::Thread>, Infallible> {
    let start = cursor.and_then(|cursor| cursor.parse().ok()).unwrap_or(0).min(threads.len());
    let end = (start + RAW_PAGE).min(threads.len());
    let next_cursor = (end < threads.len()).then(|| end.to_string());
    Ok(SourcePage { items: threads[start..end].to_vec(), next_cursor })
}

fn page_error(error: PageError<Infallible>) -> JsonRpcError {
    let code = error.json_rpc_code().unwrap_or(ErrorCode::INTERNAL_ERROR);
    JsonRpcError::new(code, error.to_string())
}

fn input_text(input: &[v2::UserInput]) -> String {
    let texts = input.iter().filter_map(|part| match part {
        v2::UserInput::Text { text } => Some(text.as_str()),
        _ => None,
    });
    texts.collect::<Vec<_>>().join(" ")
}

/// A turn being streamed to the client.
struct Turn {
    ctx: ServerContext,
    thread_id: String,
    turn_id: String,
}

impl Turn {
    /// After the answer to `turn/start`: `turn/started`, the agent's message, the command
    /// (if approved), `turn/completed`.
    async fn run(self) -> Result<(), CallError> {
        self.ctx.answered().await;
        self.ctx
            .notify::<TurnStarted>(payload::turn_started(&self.thread_id, &self.turn_id))
            .await?;
        self.agent_message(&["I will run ", "the tests ", "before I change anything."]).await?;
        let command = self.command("cargo test").await?;
        self.item_completed(command).await?;
        self.ctx
            .notify::<TurnCompleted>(payload::turn_completed(&self.thread_id, &self.turn_id))
            .await
    }

    /// An agent message, streamed delta by delta.
    async fn agent_message(&self, deltas: &[&str]) -> Result<(), CallError> {
        let id = format!("{}_message", self.turn_id);
        self.item_started(payload::agent_message(&id, "")).await?;
        for delta in deltas {
            self.ctx.notify::<AgentMessageDelta>(payload::delta(&id, delta)).await?;
        }
        self.item_completed(payload::agent_message(&id, &deltas.concat())).await
    }

    /// Asks the client to approve `command`; runs it (pretends to) when approved. Returns the
    /// command's final item.
    async fn command(&self, command: &str) -> Result<v2::ThreadItem, CallError> {
        let id = format!("{}_command", self.turn_id);
        let asked = payload::approval(&self.thread_id, &self.turn_id, &id, command);
        let answer = self.ctx.request::<CommandExecutionRequestApproval>(asked).await;
        let approved = match answer {
            Ok(answer) => !matches!(
                answer.decision,
                v2::CommandExecutionApprovalDecision::Decline
                    | v2::CommandExecutionApprovalDecision::Cancel
            ),
            Err(CallError::Rpc(error)) => {
                eprintln!("stdio_server: the approval failed: {}", error.message);
                false
            }
            Err(other) => return Err(other),
        };
        if !approved {
            return Ok(payload::command(&id, command, "declined", None));
        }
        self.item_started(payload::command(&id, command, "inProgress", None)).await?;
        Ok(payload::command(&id, command, "completed", Some("test result: ok. 12 passed\n")))
    }

    async fn item_started(&self, item: v2::ThreadItem) -> Result<(), CallError> {
        self.ctx
            .notify::<ItemStarted>(payload::item_started(item, &self.thread_id, &self.turn_id))
            .await
    }

    async fn item_completed(&self, item: v2::ThreadItem) -> Result<(), CallError> {
        self.ctx
            .notify::<ItemCompleted>(payload::item_completed(item, &self.thread_id, &self.turn_id))
            .await
    }
}

/// Every payload this server builds, from its wire JSON (the shapes of `fixtures/v2/`).
mod payload {
    use super::*;

    macro_rules! from_json {
        ($($json:tt)+) => {
            serde_json::from_value(json!($($json)+)).expect("a payload of its wire shape")
        };
    }

    pub fn initialized(user_agent: &str) -> InitializeResponse {
        from_json!({ "userAgent": user_agent })
    }

    /// The `n`-th thread; the first is the oldest.
    pub fn thread(n: usize, provider: &str) -> v2::Thread {
        from_json!({
            "id": format!("thr_{n}"), "preview": "", "modelProvider": provider,
            "createdAt": 1_763_630_000 + n as i64, "path": format!("/sessions/thr_{n}.jsonl"),
            "turns": []
        })
    }

    pub fn thread_started(thread: v2::Thread, model: &str, cwd: &str) -> v2::ThreadStartResponse {
        from_json!({
            "thread": thread, "model": model, "modelProvider": thread.model_provider, "cwd": cwd,
            "approvalPolicy": "onRequest",
            "sandbox": { "type": "workspaceWrite", "writableRoots": [], "networkAccess": false,
                         "excludeTmpdirEnvVar": false, "excludeSlashTmp": false },
            "reasoningEffort": "medium"
        })
    }

    pub fn thread_list(
        data: Vec<v2::Thread>,
        next_cursor: Option<String>,
    ) -> v2::ThreadListResponse {
        from_json!({ "data": data, "nextCursor": next_cursor })
    }

    fn turn(id: &str, status: &str) -> serde_json::Value {
        json!({ "id": id, "items": [], "status": status, "error": null })
    }

    pub fn turn_start(turn_id: &str) -> v2::TurnStartResponse {
        from_json!({ "turn": turn(turn_id, "inProgress") })
    }

    pub fn turn_started(thread_id: &str, turn_id: &str) -> v2::TurnStartedNotification {
        from_json!({ "threadId": thread_id, "turn": turn(turn_id, "inProgress") })
    }

    pub fn turn_completed(thread_id: &str, turn_id: &str) -> v2::TurnCompletedNotification {
        from_json!({ "threadId": thread_id, "turn": turn(turn_id, "completed") })
    }

    pub fn agent_message(id: &str, text: &str) -> v2::ThreadItem {
        from_json!({ "type": "agentMessage", "id": id, "text": text })
    }

    pub fn command(id: &str, command: &str, status: &str, output: Option<&str>) -> v2::ThreadItem {
        let done = status == "completed";
        from_json!({
            "type": "commandExecution", "id": id, "command": command, "cwd": "/work",
            "status": status, "commandActions": [{ "type": "unknown", "command": command }],
            "aggregatedOutput": output, "exitCode": done.then_some(0),
            "durationMs": done.then_some(1840)
        })
    }

    pub fn item_started(
        item: v2::ThreadItem,
        thread_id: &str,
        turn_id: &str,
    ) -> v2::ItemStartedNotification {
        from_json!({ "item": item, "threadId": thread_id, "turnId": turn_id })
    }

    pub fn item_completed(
        item: v2::ThreadItem,
        thread_id: &str,
        turn_id: &str,
    ) -> v2::ItemCompletedNotification {
        from_json!({ "item": item, "threadId": thread_id, "turnId": turn_id })
    }

    pub fn delta(item_id: &str, delta: &str) -> v2::AgentMessageDeltaNotification {
        from_json!({ "itemId": item_id, "delta": delta })
    }

    pub fn approval(
        thread_id: &str,
        turn_id: &str,
        item_id: &str,
        command: &str,
    ) -> v2::CommandExecutionRequestApprovalParams {
        from_json!({
            "threadId": thread_id, "turnId": turn_id, "itemId": item_id,
            "reason": "Runs the test suite", "risk": null, "command": command, "cwd": "/work",
            "proposedExecpolicyAmendment": null
        })
    }
}
