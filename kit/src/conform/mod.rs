//! `app-server-kit conform`: checks a server or a client against the contract, scenario by
//! scenario, and reports each check by its stable id.
//!
//! A run is a set of scenarios ([`server`]: the kit plays the client, each scenario against a
//! server process of its own ([`launch`]); `client`: the kit plays the server) that evaluate
//! checks with stable ids ([`check`]), each tied to the section of the contract it enforces;
//! [`relay`] is a server with one rule broken, to see a check fail. Every line the peer sends is judged by its sender's contract
//! ([`contract`]). The report ([`crate::report`]) is text, JSON or JUnit XML; listed
//! failures ([`expected`]) do not fail the run, stale entries do. Exit code 0 when nothing
//! failed unexpectedly, 1 otherwise, 2 when the peer could not be started or the options
//! are wrong.

pub mod check;
pub mod client;
pub mod contract;
pub mod expected;
pub mod launch;
pub mod lines;
pub mod options;
pub mod relay;
pub mod server;
pub mod session;
pub mod target;

use std::future::Future;
use std::io::Write;
use std::process::ExitCode;

use check::{Check, CheckResult};
use options::{CommonArgs, Format};
use target::{StartError, Target};

use crate::report::{self, Report};

/// The subcommands of `app-server-kit conform`.
#[derive(Debug, clap::Subcommand)]
pub enum ConformCommand {
    /// Check a server: start it (`-- CMD [ARGS]`) and run the scenarios against it.
    Server(server::ServerArgs),
    /// Check a client: start it (`-- CMD [ARGS]`) with the kit, playing the mock server, on
    /// its stdio.
    Client(client::ClientArgs),
    /// Relay a server (`-- CMD [ARGS]`) on stdio, breaking one rule of the contract on the
    /// way: a broken server to see the kit's check of that rule fail.
    Relay(relay::RelayArgs),
}

/// Runs `app-server-kit conform …`.
pub fn main(command: ConformCommand) -> ExitCode {
    match command {
        ConformCommand::Server(args) => server::main(args),
        ConformCommand::Client(args) => client::main(args),
        ConformCommand::Relay(args) => relay::main(args),
    }
}

/// Exit code 2: the peer could not be started, or the options are wrong.
const CANNOT_RUN: u8 = 2;

/// Runs a conformance run: reads the expected failures, runs `body` on a runtime, applies
/// the expected failures, writes the report and returns the exit code.
pub fn run<F, Fut>(
    common: &CommonArgs,
    target: &Target,
    subject: &'static str,
    catalogue: &[Check],
    body: F,
) -> ExitCode
where
    F: FnOnce(CommonArgs, Target) -> Fut,
    Fut: Future<Output = Result<Vec<CheckResult>, StartError>>,
{
    let entries = match &common.expected_failures {
        Some(path) => match expected::load(path, catalogue) {
            Ok(entries) => entries,
            Err(err) => return cannot_run(subject, &err),
        },
        None => Vec::new(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => return cannot_run(subject, &format!("cannot start the runtime: {err}")),
    };
    // Ctrl-C drops the run: every process it started is killed with its process group.
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = body(common.clone(), target.clone()) => Some(outcome),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    let Some(outcome) = outcome else {
        runtime.shutdown_timeout(std::time::Duration::from_millis(500));
        return cannot_run(subject, "interrupted (Ctrl-C)");
    };
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    let mut results = match outcome {
        Ok(results) => results,
        Err(err) => return cannot_run(subject, &err.to_string()),
    };
    let stale = expected::apply(&entries, &mut results);
    let report = Report { subject, target: target.describe(), results, stale };
    if let Err(err) = write_report(common, &report) {
        return cannot_run(subject, &err);
    }
    eprintln!("{}", report.summary_line());
    ExitCode::from(report.exit_code())
}

/// Writes the report to stdout in the chosen format, and as JUnit XML to `--junit FILE`
/// (a closed stdout is an error, not a panic).
fn write_report(common: &CommonArgs, report: &Report) -> Result<(), String> {
    let text = match common.format {
        Format::Human => report::human::render(report),
        Format::Json => format!("{:#}\n", report::json::render(report)),
        Format::Junit => report::junit::render(report),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("writing the report to stdout: {err}"))?;
    if let Some(path) = &common.junit {
        std::fs::write(path, report::junit::render(report))
            .map_err(|err| format!("{}: {err}", path.display()))?;
    }
    Ok(())
}

/// Reports that the run could not happen; exit code 2.
pub fn cannot_run(subject: &str, why: &str) -> ExitCode {
    eprintln!("conform {subject}: {why}; exit {CANNOT_RUN}");
    ExitCode::from(CANNOT_RUN)
}
