//! The command line of `app-server-kit mock`: options, and serving stdio or a loopback
//! WebSocket listener.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use tokio::net::TcpListener;

use super::connection::serve_connection;
use super::fault::{Fault, Faults};
use super::scenario::Scenario;
use super::shared::{Mock, MockOptions};
use super::tap::{Tap, numbered};
use crate::{command, transport};

/// Command-line options of `app-server-kit mock`.
#[derive(Debug, clap::Args)]
pub struct MockArgs {
    /// Serve WebSocket connections on this loopback address (e.g. `127.0.0.1:4500`; port 0
    /// picks a free one) instead of stdio. The bound address is printed on stderr.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Makes ids, timestamps and timing the same every run.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Divides every delay by X (`2` plays turns twice as fast, `0` without any delay).
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub speed: f64,
    /// Plays this scenario (JSON Lines, see `kit/scenarios/`) for every turn instead of
    /// following the prompt (`RUN`, `PATCH`, `FAIL`, `SLOW`: the stand-in model's script).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Breaks the contract on purpose (repeatable): short-page-with-cursor, cancel-errors,
    /// turn-without-error, notification-without-thread-id, wrong-result-type,
    /// snake-case-key, hang, delay=METHOD:MS, drop-response=METHOD, error=METHOD:CODE,
    /// malformed-line, disconnect-mid-turn, error-will-retry.
    #[arg(long = "fault", value_name = "NAME[=ARG]")]
    pub faults: Vec<Fault>,
    /// Sends no legacy `codex/event/*` stream (released servers send it beside the v2
    /// notifications, and so does the mock by default).
    #[arg(long)]
    pub no_legacy_events: bool,
    /// Writes each connection as a transcript (`> ` client lines, `< ` server lines) that
    /// `cargo xtask validate` reads. With `--listen`, connection N goes to FILE with `.N`
    /// before its extension (`run.jsonl` → `run.1.jsonl`).
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
}

/// Runs `app-server-kit mock`: 0 when the client (stdio) closed its side, 2 when the mock
/// could not start (a bad option, a scenario that does not parse, an address in use).
pub fn main(args: MockArgs) -> ExitCode {
    command::run("mock", None, run(args))
}

fn fail(message: &str) -> ExitCode {
    command::fail("mock", message)
}

async fn run(args: MockArgs) -> ExitCode {
    if !(args.speed.is_finite() && args.speed >= 0.0) {
        return fail(&format!("--speed must be a number ≥ 0, found {}", args.speed));
    }
    let mut options = MockOptions::default()
        .with_speed(args.speed)
        .with_faults(Faults::new(args.faults))
        .with_legacy_events(!args.no_legacy_events);
    options.seed = args.seed;
    if let Some(path) = &args.scenario {
        match Scenario::read(path) {
            Ok(scenario) => options.scenario = Some(scenario),
            Err(error) => return fail(&error.to_string()),
        }
    }
    let mock = match Mock::new(options) {
        Ok(mock) => mock,
        Err(error) => return fail(&format!("cannot create the config file: {error}")),
    };
    let served = match args.listen {
        None => serve_stdio(&mock, args.record).await,
        Some(address) => listen(&mock, address, args.record).await,
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error.to_string()),
    }
}

async fn serve_stdio(mock: &Mock, record: Option<PathBuf>) -> std::io::Result<()> {
    let mut interrupt = Interrupt::new()?;
    let tap = record.as_deref().map(Tap::record).transpose()?;
    tokio::select! {
        served = serve_connection(mock, tokio::io::stdin(), tokio::io::stdout(), tap) => served,
        () = interrupt.wait() => Ok(()),
    }
}

/// Accepts WebSocket connections on a loopback address until interrupted (Ctrl-C).
async fn listen(mock: &Mock, address: SocketAddr, record: Option<PathBuf>) -> std::io::Result<()> {
    if !address.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "--listen {address}: the mock serves loopback addresses only (127.0.0.1 or [::1])"
            ),
        ));
    }
    // Listened for before the address is announced: an interrupt right after it is not lost.
    let mut interrupt = Interrupt::new()?;
    let listener = TcpListener::bind(address).await?;
    eprintln!("app-server-kit mock: listening on ws://{}", listener.local_addr()?);
    let mut accepted = 0u64;
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = interrupt.wait() => return Ok(()),
        };
        accepted += 1;
        let tap = match &record {
            Some(path) => Some(Tap::record(&numbered(path, accepted))?),
            None => None,
        };
        let mock = mock.clone();
        tokio::spawn(async move {
            let _nodelay = stream.set_nodelay(true);
            let served = match transport::accept(stream).await {
                Ok((reader, writer)) => serve_connection(&mock, reader, writer, tap).await,
                Err(error) => Err(error),
            };
            if let Err(error) = served {
                eprintln!("app-server-kit mock: connection {accepted}: {error}");
            }
        });
    }
}

/// Ctrl-C (SIGINT), listened for from the moment this is made to the end of the mock: one
/// that comes before the mock waits for it, or while it handles a connection, still ends it
/// (a `ctrl_c()` future made anew in each loop turn listens only once polled, and SIGINT kills
/// a process that does not listen yet).
#[cfg(unix)]
struct Interrupt(tokio::signal::unix::Signal);

#[cfg(unix)]
impl Interrupt {
    fn new() -> std::io::Result<Self> {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).map(Interrupt)
    }

    async fn wait(&mut self) {
        let _received = self.0.recv().await;
    }
}

/// Ctrl-C, where there are no Unix signals.
#[cfg(not(unix))]
struct Interrupt;

#[cfg(not(unix))]
impl Interrupt {
    fn new() -> std::io::Result<Self> {
        Ok(Interrupt)
    }

    async fn wait(&mut self) {
        let _received = tokio::signal::ctrl_c().await;
    }
}
