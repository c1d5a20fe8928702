//! `app-server-kit conform client -- CMD [ARGS]`: starts the client under test with the kit
//! on its stdio and plays the server for it — the mock, in process — while every line of
//! both directions passes through the kit:
//!
//! ```text
//! client stdout ──► Watch::client_line ──► mock     (the kit's own answers kept back)
//! client stdin  ◄── Watch::server_line ◄── mock     (+ the kit's unknown request)
//! ```
//!
//! The session ends when the client closes its side (or exits), or when `--timeout-ms`
//! passes; then what was never answered fails.

pub mod catalogue;
pub mod watch;

use std::future::Future;
use std::io;
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt, DuplexStream, ReadHalf, WriteHalf};
use tokio::time::Instant;

use super::check::CheckResult;
use super::lines::{Incoming, spawn_batch_reader, spawn_reader};
use super::options::CommonArgs;
use super::target::{BoxedWriter, StartError, Target};
use crate::mock::{Mock, MockOptions, serve_connection};
use catalogue::{CATALOGUE, INPUT_CONTRACT, SESSION};
use watch::{Route, Watch, unknown_request};

/// Options of `conform client`.
#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// The client's command line, after `--`: it is started once, with the kit (playing the
    /// server) on its stdin and stdout.
    #[arg(last = true, required_unless_present = "listen", value_name = "CMD")]
    pub command: Vec<String>,
    /// Wait for the client to connect over WebSocket on this loopback address instead of
    /// starting it (port 0 picks a free port; the URL is printed on stderr).
    #[arg(long, value_name = "ADDR", conflicts_with = "command")]
    pub listen: Option<std::net::SocketAddr>,
    /// The time the client has to answer each request of the server (approvals, and the
    /// kit's unknown request), in milliseconds.
    #[arg(long, default_value_t = 5_000, value_name = "MS")]
    pub answer_timeout_ms: u64,
    /// Options every conformance run takes (`--timeout-ms` bounds the whole session here).
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs `conform client`: the client against the mock (seeded, without delays).
pub fn main(args: ClientArgs) -> std::process::ExitCode {
    let target = match args.listen {
        Some(addr) => match super::target::listen(addr) {
            Ok(target) => target,
            Err(err) => return super::cannot_run("client", &err.0),
        },
        None => Target::Command(super::launch::Launch::plain(args.command)),
    };
    if let Target::Listen(listener) = &target
        && let Ok(addr) = listener.local_addr()
    {
        eprintln!("conform client: listening on ws://{addr}");
    }
    let answer_timeout = Duration::from_millis(args.answer_timeout_ms);
    super::run(&args.common, &target, "client", CATALOGUE, |common, target| async move {
        // The client under test sends prompts of its own: the demo turn asks an approval
        // whatever they are (the prompt script would ask one for `RUN` and `PATCH` only).
        let options = MockOptions::default()
            .with_seed(1)
            .with_speed(0.0)
            .with_scenario(crate::mock::Scenario::demo());
        let mock = Mock::new(options)
            .map_err(|err| StartError(format!("cannot set up the mock: {err}")))?;
        run(&common, answer_timeout, &target, move |reader, writer| async move {
            serve_connection(&mock, reader, writer, None).await
        })
        .await
    })
}

/// The server half of the pipe between the kit and the mock.
pub type MockReader = ReadHalf<DuplexStream>;
/// The server half of the pipe between the kit and the mock.
pub type MockWriter = WriteHalf<DuplexStream>;

/// How much the pipe between the kit and the mock holds.
const PIPE_BYTES: usize = 256 * 1024;

/// Runs one client session against `target`, the server played by `serve` (given the
/// server's ends of a pipe), and gathers what the checks found.
pub async fn run<S, F>(
    common: &CommonArgs,
    answer_timeout: Duration,
    target: &Target,
    serve: S,
) -> Result<Vec<CheckResult>, StartError>
where
    S: FnOnce(MockReader, MockWriter) -> F,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    let connected =
        tokio::time::timeout(common.timeout(), target.connect("client", common.show_peer_stderr));
    let connected = connected
        .await
        .map_err(|_| StartError(format!("no client connected within {} ms", common.timeout_ms)))?;
    let (client_reader, to_client, ending) = connected?.split();
    let mut from_client = spawn_batch_reader(client_reader, common.max_line_bytes);
    let (kit_end, mock_end) = tokio::io::duplex(PIPE_BYTES);
    let (mock_reader, mock_writer) = tokio::io::split(mock_end);
    let served = tokio::spawn(serve(mock_reader, mock_writer));
    let (from_mock, to_mock) = tokio::io::split(kit_end);
    let mut from_mock = spawn_reader(from_mock, common.max_line_bytes);
    let mut relay = Relay {
        watch: Watch::new(answer_timeout),
        to_client,
        to_mock,
        deadline: Instant::now() + common.timeout(),
    };
    let how = loop {
        let wake = relay.watch.next_deadline().map_or(relay.deadline, |n| n.min(relay.deadline));
        // Biased to the client's lines, which come a whole read at a time: a line the client
        // wrote before an answer reached it is judged before that answer is passed on (e.g.
        // an id reused while pending).
        let ended = tokio::select! {
            biased;
            batch = from_client.recv() => relay.client_wrote(batch).await,
            incoming = from_mock.recv() => relay.mock_sent(incoming).await,
            () = tokio::time::sleep_until(wake) => relay.tick(common.timeout_ms),
        };
        if let Some(how) = ended {
            break how;
        }
    };
    let Relay { mut watch, mut to_client, .. } = relay;
    watch.finish(&how);
    let _ = tokio::time::timeout(Duration::from_millis(200), to_client.shutdown()).await;
    drop(to_client); // a child's stdin closes only when dropped
    ending.end().await;
    served.abort();
    Ok(watch.recorder.results(CATALOGUE))
}

/// The kit between the client and the mock: it judges each line and passes it on.
struct Relay {
    watch: Watch,
    to_client: BoxedWriter,
    to_mock: MockWriter,
    /// The end of the session.
    deadline: Instant,
}

impl Relay {
    /// Handles the lines of one read of the client, in order; says how the session ended,
    /// when it did.
    async fn client_wrote(&mut self, batch: Option<Vec<Incoming>>) -> Option<String> {
        let Some(batch) = batch else { return self.client_sent(None).await };
        for incoming in batch {
            if let Some(how) = self.client_sent(Some(incoming)).await {
                return Some(how);
            }
        }
        None
    }

    /// Handles what the client sent; says how the session ended, when it did.
    async fn client_sent(&mut self, incoming: Option<Incoming>) -> Option<String> {
        let line = match incoming {
            Some(Incoming::Line(line)) => line,
            Some(Incoming::TooLong { bytes }) => {
                let message = format!("a line of {bytes} bytes, over the limit");
                self.watch.recorder.fail(INPUT_CONTRACT, SESSION, message, None);
                return None;
            }
            Some(Incoming::NotUtf8 { offset }) => {
                let message = format!("a line that is not UTF-8 (invalid byte at offset {offset})");
                self.watch.recorder.fail(INPUT_CONTRACT, SESSION, message, None);
                return None;
            }
            Some(Incoming::Closed(_)) | None => {
                return Some("before the client closed its side".to_owned());
            }
        };
        let (route, handshake_done) = self.watch.client_line(&line);
        if route == Route::Forward {
            write_line(&mut self.to_mock, &line, self.deadline).await;
        }
        if handshake_done {
            let request = unknown_request();
            self.watch.server_line(&request);
            write_line(&mut self.to_client, &request, self.deadline).await;
        }
        None
    }

    /// Passes on what the mock sent; says how the session ended, when it did.
    async fn mock_sent(&mut self, incoming: Option<Incoming>) -> Option<String> {
        match incoming {
            Some(Incoming::Line(line)) => {
                self.watch.server_line(&line);
                write_line(&mut self.to_client, &line, self.deadline).await;
                None
            }
            Some(_) => None,
            None => Some("before the mock ended the connection".to_owned()),
        }
    }

    /// Time passed: the session ends at its deadline; else unanswered requests expire.
    fn tick(&mut self, timeout_ms: u64) -> Option<String> {
        if Instant::now() >= self.deadline {
            return Some(format!("within the session's {timeout_ms} ms"));
        }
        self.watch.expire();
        None
    }
}

/// Writes one line, giving up at `deadline` (a peer that does not read) or on an error (a
/// peer that is gone: its EOF ends the session).
async fn write_line(writer: &mut (impl AsyncWrite + Unpin), line: &str, deadline: Instant) {
    let write = async {
        writer.write_all(line.as_bytes()).await?;
        writer.write_all(b"\n").await?;
        writer.flush().await
    };
    let _ = tokio::time::timeout_at(deadline, write).await;
}
