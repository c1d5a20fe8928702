//! `app-server-kit conform server -- CMD [ARGS]`: starts the server under test once per
//! scenario, on its stdio, runs the scenarios side by side, and reports every check.

mod basics;
pub mod catalogue;
mod methods;
mod pagination;
mod turn;

use std::process::ExitCode;

use serde_json::json;

use super::check::Recorder;
use super::lines::spawn_reader;
use super::options::CommonArgs;
use super::session::{Answer, Session, SessionError};
use super::target::{StartError, Target};
use catalogue::{CATALOGUE, SCENARIOS};

/// Options of `conform server`.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// The server's command line, after `--`: it is started once per scenario and spoken to
    /// over its stdin and stdout.
    #[arg(last = true, required_unless_present = "url", value_name = "CMD")]
    pub command: Vec<String>,
    /// Connect to a server listening on this `ws://` URL (on this machine) instead of
    /// starting one: one connection per scenario, one JSON-RPC message per text frame.
    #[arg(long, value_name = "URL", conflicts_with = "command")]
    pub url: Option<String>,
    /// Run only this scenario (repeatable); the checks of the others are skipped.
    #[arg(long = "scenario", value_name = "NAME", value_parser = scenario_name)]
    pub scenarios: Vec<&'static str>,
    /// Options every conformance run takes.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Why a scenario stopped early.
#[derive(Debug, Clone)]
pub struct Abort {
    /// The check that was being evaluated (it fails), or `None` when the scenario could not
    /// start its work (its checks are skipped).
    pub check: Option<&'static str>,
    /// What happened.
    pub message: String,
}

impl Abort {
    /// The scenario cannot go on, and no check is to blame: the rest are skipped.
    pub fn skip(why: impl Into<String>) -> Self {
        Abort { check: None, message: why.into() }
    }
}

/// Turning a session error into the failure of the check being evaluated.
pub trait During<T> {
    /// The error, if any, fails `check` and stops the scenario.
    fn during(self, check: &'static str) -> Result<T, Abort>;
}

impl<T> During<T> for Result<T, SessionError> {
    fn during(self, check: &'static str) -> Result<T, Abort> {
        self.map_err(|err| Abort { check: Some(check), message: err.to_string() })
    }
}

/// Sends `initialize` and, when it is answered with a result, `initialized`. A failure to
/// send `initialized` is left to the next step to find (the server may have just exited):
/// `initialize` itself was answered.
pub async fn handshake(session: &mut Session) -> Result<Answer, SessionError> {
    let client_info = json!({ "name": "app-server-kit", "title": "app-server-kit conform", "version": env!("CARGO_PKG_VERSION") });
    let answer = session.request("initialize", Some(json!({ "clientInfo": client_info }))).await?;
    if answer.result().is_some() {
        let _ = session.notify("initialized").await;
    }
    Ok(answer)
}

/// The handshake every scenario but `handshake` starts with, then the scenario's clock:
/// when the handshake fails, the scenario's checks are skipped (check
/// `handshake.initialize` says why).
pub async fn start(session: &mut Session) -> Result<(), Abort> {
    match handshake(session).await {
        Ok(answer) if answer.result().is_some() => {
            session.start_clock();
            Ok(())
        }
        Ok(_) => Err(Abort::skip("the handshake failed: `initialize` was answered with an error")),
        Err(err) => Err(Abort::skip(format!("the handshake failed: {err}"))),
    }
}

/// Runs `conform server`.
pub fn main(args: ServerArgs) -> ExitCode {
    let target = match args.url {
        Some(url) => Target::Url(url),
        None => Target::Command(args.command),
    };
    let selected = args.scenarios;
    super::run(&args.common, &target, "server", &CATALOGUE, |common, target| async move {
        run(&common, &target, &selected).await
    })
}

/// Reads a `--scenario` value: one of [`SCENARIOS`] that has a connection of its own.
fn scenario_name(text: &str) -> Result<&'static str, String> {
    SCENARIOS
        .iter()
        .copied()
        .filter(|name| *name != "output")
        .find(|name| *name == text)
        .ok_or_else(|| {
            let known: Vec<&str> = SCENARIOS.iter().copied().filter(|n| *n != "output").collect();
            format!("expected one of {}", known.join(", "))
        })
}

/// Runs the `selected` scenarios (all when none is) against `target`, side by side, and
/// gathers what the checks found; a server that cannot be started is a [`StartError`].
pub async fn run(
    common: &CommonArgs,
    target: &Target,
    selected: &[&'static str],
) -> Result<Vec<super::check::CheckResult>, StartError> {
    let chosen = |name: &&&str| selected.is_empty() || selected.contains(name);
    let runs = SCENARIOS
        .iter()
        .filter(|name| **name != "output")
        .filter(chosen)
        .map(|name| run_one(name, common, target));
    let mut recorder = Recorder::new();
    for outcome in futures_util::future::join_all(runs).await {
        recorder.absorb(outcome?);
    }
    for check in CATALOGUE.iter().filter(|check| check.scenario != "output") {
        if !chosen(&&check.scenario) {
            recorder.skip(check.id, check.scenario, "the scenario was not selected (`--scenario`)");
        }
    }
    Ok(recorder.results(&CATALOGUE))
}

/// Runs scenario `name` on a connection of its own.
async fn run_one(
    name: &'static str,
    common: &CommonArgs,
    target: &Target,
) -> Result<Recorder, StartError> {
    let (reader, writer, ending) = target.connect(common.show_peer_stderr).await?.split();
    let incoming = spawn_reader(reader, common.max_line_bytes);
    let budgets = (common.handshake_timeout(), common.timeout());
    let mut session = Session::new(name, writer, incoming, budgets);
    let outcome = match name {
        "handshake" => basics::handshake_scenario(&mut session).await,
        "methods" => methods::methods_scenario(&mut session).await,
        "pagination" => pagination::pagination_scenario(&mut session).await,
        "login" => pagination::login_scenario(&mut session).await,
        "turn" => turn::turn_scenario(&mut session).await,
        "interrupt" => turn::interrupt_scenario(&mut session).await,
        "errors" => basics::errors_scenario(&mut session).await,
        "aliases" => basics::aliases_scenario(&mut session).await,
        _ => Err(Abort::skip(format!("no scenario `{name}`"))),
    };
    turn::inspect_received(&mut session);
    session.close().await;
    ending.end().await;
    let mut recorder = session.recorder;
    conclude(&mut recorder, name, outcome);
    Ok(recorder)
}

/// Records how scenario `name` ended: the check it stopped at fails, the checks it never
/// reached are skipped with the reason.
fn conclude(recorder: &mut Recorder, name: &'static str, outcome: Result<(), Abort>) {
    let why = match outcome {
        Ok(()) => "nothing in the scenario exercised it".to_owned(),
        Err(Abort { check: Some(check), message }) => {
            recorder.fail(check, name, message.clone(), None);
            format!("not reached: the scenario stopped at `{check}` ({message})")
        }
        Err(Abort { check: None, message }) => format!("not reached: {message}"),
    };
    for check in CATALOGUE.iter().filter(|check| check.scenario == name) {
        recorder.skip(check.id, name, why.clone());
    }
}
