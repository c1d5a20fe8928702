//! `app-server-kit conform server -- CMD [ARGS]`: starts the server under test once per
//! scenario, on its stdio, runs the scenarios side by side, and reports every check.

mod approvals;
mod basics;
pub mod catalogue;
mod methods;
mod pagination;
mod turn;

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::check::Recorder;
use super::launch::Launch;
use super::lines::spawn_reader;
use super::options::CommonArgs;
use super::session::{Answer, Session, SessionError};
use super::target::{StartError, Target};
use crate::mock::Tap;
use crate::model::{API_KEY, ModelServer, Script};
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
    /// Set this environment variable of the server to a fresh, empty folder for each
    /// scenario (repeatable), e.g. `CODEX_HOME`: every scenario then meets a server with a
    /// home of its own, so that no verdict depends on what another scenario did. The server
    /// then runs in a fresh working folder too; `{tmpdir}` in its arguments is the scenario's
    /// folder.
    #[arg(long = "fresh-dir-env", value_name = "VAR", conflicts_with = "url")]
    pub fresh_env: Vec<String>,
    /// Start a model API for the server: `stand-in` runs the kit's scripted stand-in
    /// (`app-server-kit model`) on a loopback port and writes the `config.toml` that points a
    /// Codex server at it into each fresh folder (`--fresh-dir-env`, `CODEX_HOME` when none
    /// is given), with `OPENAI_API_KEY=sk-test` in the server's environment. The scenarios'
    /// prompts drive it into approvals, patches, failures and slow answers.
    #[arg(long, value_enum, value_name = "MODEL", conflicts_with = "url")]
    pub model: Option<ModelApi>,
    /// Write each scenario's transcript to `DIR/<scenario>.jsonl` (`> ` lines the kit sent,
    /// `< ` lines the server sent), which `cargo xtask validate` reads.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// How many scenarios run at once (each against its own server process; against `--url`
    /// they share one server and run one at a time).
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Options every conformance run takes.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The model API `--model` starts for the server under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelApi {
    /// The kit's scripted stand-in of the Responses API (`app-server-kit model`).
    StandIn,
}

/// How a run reaches the server, and what it does besides.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenarios to run (all when empty).
    pub selected: Vec<&'static str>,
    /// Where transcripts go (`--record`).
    pub record: Option<PathBuf>,
    /// How many scenarios run at once.
    pub jobs: usize,
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
        None => Target::Command(Launch {
            argv: args.command,
            fresh_env: args.fresh_env,
            ..Launch::default()
        }),
    };
    let plan = Plan { selected: args.scenarios, record: args.record, jobs: usize::from(args.jobs) };
    let model = args.model;
    super::run(&args.common, &target, "server", &CATALOGUE, |common, target| async move {
        let (target, _model) = with_model(target, model).await?;
        run(&common, &target, &plan).await
    })
}

/// Starts the model API `--model` asks for and points every start of the server at it; the
/// server is kept until the run ends.
async fn with_model(
    target: Target,
    model: Option<ModelApi>,
) -> Result<(Target, Option<ModelServer>), StartError> {
    let (Some(ModelApi::StandIn), Target::Command(mut launch)) = (model, target.clone()) else {
        return Ok((target, None));
    };
    let server = ModelServer::start(Script::builtin())
        .await
        .map_err(|err| StartError(format!("cannot start the stand-in model API: {err}")))?;
    if launch.fresh_env.is_empty() {
        launch.fresh_env.push("CODEX_HOME".to_owned());
    }
    launch.config = Some(server.codex_config_toml());
    launch.env.push(("OPENAI_API_KEY".to_owned(), API_KEY.to_owned()));
    Ok((Target::Command(launch), Some(server)))
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

/// Runs the selected scenarios (all when none is) against `target`, each on a connection of
/// its own (`plan.jobs` at once), and gathers what the checks found, in scenario order; a
/// server that cannot be started is a [`StartError`].
pub async fn run(
    common: &CommonArgs,
    target: &Target,
    plan: &Plan,
) -> Result<Vec<super::check::CheckResult>, StartError> {
    use futures_util::StreamExt;
    let selected = &plan.selected;
    let chosen = |name: &&&str| selected.is_empty() || selected.contains(name);
    if let Some(dir) = &plan.record {
        std::fs::create_dir_all(dir)
            .map_err(|err| StartError(format!("--record {}: {err}", dir.display())))?;
    }
    let runs = SCENARIOS
        .iter()
        .filter(|name| **name != "output")
        .filter(chosen)
        .map(|name| run_one(name, common, target, plan.record.as_deref()));
    // Scenarios against one `--url` share its server: one at a time, so that no scenario's
    // threads appear in the middle of another's listing.
    let jobs = if matches!(target, Target::Url(_)) { 1 } else { plan.jobs.max(1) };
    let outcomes: Vec<_> = futures_util::stream::iter(runs).buffered(jobs).collect().await;
    let mut recorder = Recorder::new();
    for outcome in outcomes {
        recorder.absorb(outcome?);
    }
    for check in CATALOGUE.iter().filter(|check| check.scenario != "output") {
        if !chosen(&&check.scenario) {
            recorder.skip(check.id, check.scenario, "the scenario was not selected (`--scenario`)");
        }
    }
    Ok(recorder.results(&CATALOGUE))
}

/// Runs scenario `name` on a connection of its own (its transcript into `record` when set).
async fn run_one(
    name: &'static str,
    common: &CommonArgs,
    target: &Target,
    record: Option<&std::path::Path>,
) -> Result<Recorder, StartError> {
    let tap = match record {
        Some(dir) => {
            let path = dir.join(format!("{name}.jsonl"));
            Some(Tap::record(&path).map_err(|err| StartError(format!("--record: {err}")))?)
        }
        None => None,
    };
    let (reader, writer, ending) = target.connect(name, common.show_peer_stderr).await?.split();
    let incoming = spawn_reader(reader, common.max_line_bytes);
    let budgets = (common.handshake_timeout(), common.timeout());
    let mut session = Session::new(name, writer, incoming, budgets);
    if let Some(tap) = tap {
        session = session.with_tap(tap);
    }
    let outcome = match name {
        "handshake" => basics::handshake_scenario(&mut session).await,
        "methods" => methods::methods_scenario(&mut session).await,
        "pagination" => pagination::pagination_scenario(&mut session).await,
        "login" => pagination::login_scenario(&mut session).await,
        "turn" => turn::turn_scenario(&mut session).await,
        "approvals" => approvals::approvals_scenario(&mut session).await,
        "failure" => approvals::failure_scenario(&mut session).await,
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
