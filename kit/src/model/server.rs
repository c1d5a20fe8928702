//! The server: a loopback listener, a task per connection, the routes, the request record
//! and the log.

use std::collections::VecDeque;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use super::config::codex_config_toml;
use super::http::{self, Read, Refusal};
use super::scenario::Script;
use super::script::Answer;
use super::sse;

/// Where and how a [`ModelServer`] runs: built with [`ModelOptions::default`] and the
/// `with_*` setters.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// The address to listen on; must be a loopback address. Default `127.0.0.1:0` (a free
    /// port).
    pub listen: SocketAddr,
    /// A file each request is appended to, as a JSON line.
    pub log: Option<PathBuf>,
    /// How many of the latest requests [`ModelServer::requests`] keeps (1000 by default; `0`
    /// keeps none, for a long-running server).
    pub keep: usize,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions { listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), log: None, keep: 1000 }
    }
}

impl ModelOptions {
    /// These options with another address to listen on (a loopback one).
    pub fn with_listen(mut self, listen: SocketAddr) -> Self {
        self.listen = listen;
        self
    }

    /// These options with a request log file.
    pub fn with_log(mut self, log: PathBuf) -> Self {
        self.log = Some(log);
        self
    }

    /// These options keeping at most `keep` requests in memory.
    pub fn with_keep(mut self, keep: usize) -> Self {
        self.keep = keep;
        self
    }
}

/// A request the stand-in received, as [`ModelServer::requests`] returns it and `--log`
/// writes it (one JSON line, these members in camelCase).
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedRequest {
    /// `POST`, `GET`, … (empty when the request line could not be read).
    pub method: String,
    /// The path (`/v1/responses`), without the query (empty when the request line could
    /// not be read).
    pub path: String,
    /// The status answered (200 for a stream).
    pub status: u16,
    /// What chose the answer: `default:text`, `default:run`, …, a scenario rule's name, or
    /// `null` for a request that is not a model request (or was refused).
    pub rule: Option<String>,
    /// The last item of the request's `input` (`null` when there is none; the string when
    /// `input` is one).
    pub last_item: Value,
    /// The whole JSON body (`null` when it was not JSON).
    pub body: Value,
}

impl ReceivedRequest {
    /// The log line: everything but the body.
    fn log_line(&self) -> String {
        json!({
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "rule": self.rule,
            "lastItem": self.last_item,
        })
        .to_string()
    }
}

/// A running stand-in model API on a loopback port. Stops when dropped (or [`stop`]ped):
/// the listener and every connection in progress end.
///
/// [`stop`]: ModelServer::stop
#[derive(Debug)]
pub struct ModelServer {
    address: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct State {
    script: Script,
    /// Requests answered per rule (for `times`).
    used: Vec<AtomicU64>,
    /// Makes the ids of each answer unique.
    serial: AtomicU64,
    keep: usize,
    requests: Mutex<VecDeque<ReceivedRequest>>,
    log: Option<Mutex<std::fs::File>>,
}

impl ModelServer {
    /// Starts a server on a free loopback port answering with `script`. Call it inside a
    /// tokio runtime.
    pub async fn start(script: Script) -> std::io::Result<ModelServer> {
        ModelServer::start_with(script, ModelOptions::default()).await
    }

    /// Starts a server with these options; a non-loopback address is refused
    /// (`InvalidInput`), as is a log file that cannot be opened for appending.
    pub async fn start_with(script: Script, options: ModelOptions) -> std::io::Result<ModelServer> {
        if !options.listen.ip().is_loopback() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a loopback address: the stand-in model serves 127.0.0.1 or [::1] only",
                    options.listen
                ),
            ));
        }
        let log = match &options.log {
            None => None,
            Some(path) => {
                let file =
                    std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(
                        |error| {
                            std::io::Error::new(
                                error.kind(),
                                format!("--log {}: {error}", path.display()),
                            )
                        },
                    )?;
                Some(Mutex::new(file))
            }
        };
        let listener = TcpListener::bind(options.listen).await?;
        let address = listener.local_addr()?;
        let used = script.rules.iter().map(|_| AtomicU64::new(0)).collect();
        let state = Arc::new(State {
            script,
            used,
            serial: AtomicU64::new(0),
            keep: options.keep,
            requests: Mutex::new(VecDeque::new()),
            log,
        });
        let task = tokio::spawn(accept(listener, Arc::clone(&state)));
        Ok(ModelServer { address, state, task })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The base URL a model client uses: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.address)
    }

    /// The `config.toml` that points a real Codex server at this stand-in (see
    /// [`codex_config_toml`]).
    pub fn codex_config_toml(&self) -> String {
        codex_config_toml(&self.base_url())
    }

    /// The requests received so far, oldest first (at most [`ModelOptions::keep`], the
    /// latest).
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.state.requests.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect()
    }

    /// Stops the server and waits until its listener is closed.
    pub async fn stop(mut self) {
        self.task.abort();
        let _aborted = (&mut self.task).await;
    }
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Accepts connections until aborted; the connections' tasks belong to this one (aborted
/// with it).
async fn accept(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve(stream, Arc::clone(&state)));
                }
                Err(error) => {
                    eprintln!("app-server-kit model: accept: {error}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            Some(_finished) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves one connection: one request, one answer, then the connection is closed.
async fn serve(mut stream: TcpStream, state: Arc<State>) {
    let _nodelay = stream.set_nodelay(true);
    let (mut reader, mut writer) = stream.split();
    let read =
        tokio::time::timeout(http::READ_TIMEOUT, http::read_request(&mut reader, &mut writer));
    let written = match read.await {
        Err(_elapsed) => {
            let reason = format!("the request did not arrive within {:?}", http::READ_TIMEOUT);
            let refusal = Refusal::new(408, reason);
            http::write_refusal(&mut writer, &refusal).await
        }
        Ok(Err(_)) | Ok(Ok(Read::Closed)) => Ok(()),
        Ok(Ok(Read::Refused(refusal))) => {
            let (method, path) = refusal.request.clone().unwrap_or_default();
            state.record(ReceivedRequest {
                method,
                path,
                status: refusal.status,
                rule: None,
                last_item: Value::Null,
                body: Value::Null,
            });
            http::write_refusal(&mut writer, &refusal).await
        }
        Ok(Ok(Read::Request(request))) => route(&state, request, &mut writer).await,
    };
    if written.is_ok() && writer.shutdown().await.is_ok() {
        // A lingering close: what the peer sent and was not read (the body of a refused
        // request) is read and dropped, so closing does not reset the connection before the
        // peer has read the answer. Bounded in bytes and time.
        let drain = async {
            let mut buffer = [0u8; 4096];
            let mut drained = 0;
            while drained < 1 << 20 {
                match reader.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => drained += read,
                }
            }
        };
        let _drained = tokio::time::timeout(std::time::Duration::from_secs(1), drain).await;
    }
}

/// What a path is.
fn is_responses(path: &str) -> bool {
    matches!(path.trim_end_matches('/'), "/v1/responses" | "/responses")
}

fn is_models(path: &str) -> bool {
    matches!(path.trim_end_matches('/'), "/v1/models" | "/models")
}

async fn route<W>(state: &State, request: http::Request, writer: &mut W) -> std::io::Result<()>
where
    W: tokio::io::AsyncWrite + Unpin,
{
    let mut record = ReceivedRequest {
        method: request.method.clone(),
        path: request.path.clone(),
        status: 200,
        rule: None,
        last_item: Value::Null,
        body: Value::Null,
    };
    let allowed = match request.method.as_str() {
        "POST" if is_responses(&request.path) => {
            return respond(state, request, record, writer).await;
        }
        "GET" if is_models(&request.path) => {
            state.record(record);
            let body = json!({ "object": "list", "data": [{
                "id": "gpt-5.1-codex", "object": "model", "created": 0, "owned_by": "app-server-kit",
            }] });
            let body = body.to_string();
            return http::write_response(writer, 200, &[], "application/json", body.as_bytes())
                .await;
        }
        _ if is_responses(&request.path) => "POST",
        _ if is_models(&request.path) => "GET",
        _ => "",
    };
    let refusal = if allowed.is_empty() {
        Refusal::new(
            404,
            format!(
                "no route {} {}: the stand-in answers POST /v1/responses and GET /v1/models",
                request.method, request.path
            ),
        )
    } else {
        Refusal::new(405, format!("{} answers {allowed} only", request.path))
    };
    record.status = refusal.status;
    state.record(record);
    let body = http::error_body(refusal.status, &refusal.reason);
    let headers: &[(&str, &str)] = if allowed.is_empty() { &[] } else { &[("allow", allowed)] };
    http::write_response(writer, refusal.status, headers, "application/json", &body).await
}

/// Answers a model request: reads the body, lets the script choose, plays the answer.
async fn respond<W>(
    state: &State,
    request: http::Request,
    mut record: ReceivedRequest,
    writer: &mut W,
) -> std::io::Result<()>
where
    W: tokio::io::AsyncWrite + Unpin,
{
    let refuse = |status: u16, reason: String| Refusal::new(status, reason);
    let body = match request.header("content-encoding") {
        Some(encoding) if !encoding.eq_ignore_ascii_case("identity") => Err(refuse(
            415,
            format!("`Content-Encoding: {encoding}` is not supported: send the JSON as it is"),
        )),
        _ => serde_json::from_slice::<Value>(&request.body)
            .map_err(|error| refuse(400, format!("the body is not JSON: {error}"))),
    }
    .and_then(|body| match body.get("input") {
        Some(Value::Array(_) | Value::String(_)) => Ok(body),
        _ => Err(refuse(
            400,
            "expected a JSON object with an `input` (a list of items, or a string)".to_owned(),
        )),
    });
    let body = match body {
        Ok(body) => body,
        Err(refusal) => {
            record.status = refusal.status;
            state.record(record);
            return http::write_refusal(writer, &refusal).await;
        }
    };
    let (reply, rule) = state.script.choose(&body, &state.used);
    record.last_item = match body.get("input") {
        Some(Value::Array(items)) => items.last().cloned().unwrap_or(Value::Null),
        Some(text @ Value::String(_)) => text.clone(),
        _ => Value::Null,
    };
    record.body = body;
    record.rule = Some(rule);
    if let Answer::Status { status, .. } = &reply.answer {
        record.status = *status;
    }
    state.record(record);
    let serial = state.serial.fetch_add(1, Ordering::Relaxed);
    tokio::time::sleep(reply.delay).await;
    match reply.answer {
        Answer::Status { status, body } => {
            http::write_response(writer, status, &[], "application/json", body.as_bytes()).await
        }
        Answer::Stream(answer) => {
            writer.write_all(http::SSE_HEAD).await?;
            writer.flush().await?;
            for event in sse::events(&answer, serial) {
                tokio::time::sleep(event.delay).await;
                writer.write_all(event.encode().as_bytes()).await?;
                writer.flush().await?;
            }
            Ok(())
        }
    }
}

impl State {
    /// Keeps a request (the latest `keep`) and appends it to the log.
    fn record(&self, request: ReceivedRequest) {
        if let Some(log) = &self.log {
            let mut file = log.lock().unwrap_or_else(PoisonError::into_inner);
            if let Err(error) = writeln!(file, "{}", request.log_line()) {
                eprintln!("app-server-kit model: cannot write the log: {error}");
            }
        }
        if self.keep == 0 {
            return;
        }
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        if requests.len() == self.keep {
            requests.pop_front();
        }
        requests.push_back(request);
    }
}
