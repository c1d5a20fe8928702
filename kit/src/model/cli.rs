//! The command line of `app-server-kit model`.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use tokio::io::AsyncReadExt;

use super::{ModelOptions, ModelServer, Script};
use crate::command;

/// Command-line options of `app-server-kit model`.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Listen on this loopback address (port 0 picks a free one). Once listening, the one
    /// line `base_url=http://127.0.0.1:PORT/v1` is printed on stdout.
    #[arg(long, value_name = "ADDR", default_value_t = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))]
    pub listen: SocketAddr,
    /// Rules (JSON Lines, one rule per line) checked in order before the built-in script.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Appends one JSON line per request received: method, path, status, the rule that
    /// answered, the last input item.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Exits when stdin reaches end of file (a harness closes it to stop the server).
    #[arg(long)]
    pub exit_on_stdin_eof: bool,
    /// Prints the `config.toml` a real Codex server needs to use this stand-in on stderr.
    #[arg(long)]
    pub print_config: bool,
}

/// Runs `app-server-kit model`: 0 after Ctrl-C, SIGTERM or (with `--exit-on-stdin-eof`) the
/// end of stdin; 2 when it could not start (a bad scenario, a non-loopback or busy address).
pub fn main(args: ModelArgs) -> ExitCode {
    command::run("model", Some(2), run(args))
}

fn fail(message: &str) -> ExitCode {
    command::fail("model", message)
}

async fn run(args: ModelArgs) -> ExitCode {
    let script = match &args.scenario {
        None => Script::builtin(),
        Some(path) => match Script::read(path) {
            Ok(script) => script,
            Err(error) => return fail(&error.to_string()),
        },
    };
    let rules = script.rules.len();
    let mut options = ModelOptions::default().with_listen(args.listen).with_keep(0);
    options.log = args.log;
    // Listened for before the address is announced: a signal right after it is not lost.
    let mut stop = match Stop::new() {
        Ok(stop) => stop,
        Err(error) => return fail(&format!("cannot listen for signals: {error}")),
    };
    let server = match ModelServer::start_with(script, options).await {
        Ok(server) => server,
        Err(error) => return fail(&format!("--listen {}: {error}", args.listen)),
    };
    let announced = {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "base_url={}", server.base_url()).and_then(|()| stdout.flush())
    };
    if let Err(error) = announced {
        return fail(&format!("cannot write the base URL on stdout: {error}"));
    }
    eprintln!(
        "app-server-kit model: listening on {} ({} scenario rules, then the built-in script)",
        server.base_url(),
        rules
    );
    if args.print_config {
        eprint!("{}", server.codex_config_toml());
    }
    tokio::select! {
        () = stop.wait() => {}
        () = stdin_eof(), if args.exit_on_stdin_eof => {
            eprintln!("app-server-kit model: stdin closed, stopping");
        }
    }
    server.stop().await;
    ExitCode::SUCCESS
}

/// Returns when stdin reaches end of file (or cannot be read); what it carries is ignored.
async fn stdin_eof() {
    let mut stdin = tokio::io::stdin();
    let mut buffer = [0u8; 1024];
    while let Ok(read) = stdin.read(&mut buffer).await {
        if read == 0 {
            break;
        }
    }
}

/// Ctrl-C (SIGINT) and SIGTERM, listened for from the moment this is made.
#[cfg(unix)]
struct Stop {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Stop {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Stop {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn wait(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Ctrl-C, where there are no Unix signals.
#[cfg(not(unix))]
struct Stop;

#[cfg(not(unix))]
impl Stop {
    fn new() -> std::io::Result<Self> {
        Ok(Stop)
    }

    async fn wait(&mut self) {
        let _received = tokio::signal::ctrl_c().await;
    }
}
