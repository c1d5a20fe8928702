//! `cargo xtask interop`: our contract and our peer against real released servers.
//!
//! For each release pinned in `interop/releases.toml` (fetched from the npm registry into a
//! cache, sha256-checked), each session ([`sessions::ALL`]) runs against its own `codex
//! app-server` process, offline: a temporary CODEX_HOME whose config points the model provider
//! at the stand-in model API (`app-server-kit model`). The session talks through our own peer
//! (`app_server_peer::Client`) and records every line, both directions, into
//! `target/interop/transcripts/<version>/<session>.jsonl`. Each transcript is then validated
//! in process (the code of `cargo xtask validate`), and every finding — and every session
//! check the release does not meet — must be on the release's list of known deviations,
//! `interop/<version>/deviations.toml`, whose every entry must match something. Exit 1 on any
//! failure.
//!
//! A release with `interop/<version>/fidelity.toml` also runs the fidelity test of the mock
//! against it (`fidelity/`).
//!
//! Then the conformance kit (`conform.rs`): `app-server-kit conform server --model stand-in`
//! against each release, run `--conform-runs` times with identical verdicts, held to
//! `interop/<version>/conform.toml`; each of the kit's broken relays in front of the newest
//! release fails the check it names; the kit against our mock fails and skips nothing.
//!
//! Files: `releases.rs` (the pinned releases), `fetch.rs` (the cache), `launch.rs` (processes
//! and folders), `recorder.rs` (the transcript taps), `events.rs` (waiting for
//! notifications), `session.rs` (what steps use), `sessions/` (the steps), `deviations.rs`
//! (findings and the lists), `report.rs` (counts and the printed report).

mod conform;
mod deviations;
mod events;
mod fetch;
mod fidelity;
mod launch;
mod recorder;
mod releases;
mod report;
mod session;
mod sessions;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use app_server_protocol::DecodeLimits;

use launch::{ModelCommand, SessionDirs};
use releases::Release;
use report::{ReleaseResult, SessionResult};
use session::Session;

/// How long one session may take in all before it is stopped.
const SESSION_LIMIT: Duration = Duration::from_secs(300);

/// Options of `cargo xtask interop`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Subcommand>,
    /// Only this release (repeatable), e.g. `--release 0.66.0`.
    #[arg(long = "release", global = true, value_name = "VERSION")]
    releases: Vec<String>,
    /// Only this session (repeatable), e.g. `--session v2-turn`; stale deviation entries are
    /// then not judged.
    #[arg(long = "session", value_name = "NAME")]
    sessions: Vec<String>,
    /// Keep each session's temporary folder (CODEX_HOME, work folder, stderr logs) and print
    /// where it is.
    #[arg(long)]
    keep: bool,
    /// How many times `app-server-kit conform server` runs against each release: every run
    /// must give the verdicts of `interop/<version>/conform.toml` (so runs agree); 0 skips the
    /// conformance kit (and its relays and mock run).
    #[arg(long, default_value_t = 2, value_name = "N")]
    conform_runs: usize,
}

#[derive(Debug, clap::Subcommand)]
enum Subcommand {
    /// Only fetch the pinned releases into the cache (`target/interop/cache`, or
    /// `$INTEROP_CACHE`) and check their sha256.
    Fetch,
}

/// Runs the command.
pub fn run(args: &Args, root: &Path) -> Result<ExitCode, String> {
    let all = releases::load(&root.join("interop/releases.toml"))?;
    let chosen = choose_releases(&all, &args.releases)?;
    let specs = choose_sessions(&args.sessions)?;
    let target = target_dir(root);
    let cache = fetch::cache_root(&target);
    let mut binaries = Vec::new();
    for release in &chosen {
        let binary = fetch::ensure(&cache, release, &mut |line| eprintln!("interop: {line}"))?;
        binaries.push(binary);
    }
    if matches!(args.command, Some(Subcommand::Fetch)) {
        for (release, binary) in chosen.iter().zip(&binaries) {
            println!("{} {} {}", release.version, release.binary_sha256, binary.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        return Err(
            "the pinned binaries are Linux x64 ones: run the interop suite on Linux x64".to_owned()
        );
    }
    // Every deviation file is read before anything runs: a broken one fails at once.
    let mut lists = Vec::new();
    let mut expected = Vec::new();
    for release in &chosen {
        let folder = root.join("interop").join(&release.version);
        lists.push(deviations::load(&folder.join("deviations.toml"))?);
        expected.push(conform::load(&folder.join("conform.toml"))?);
    }
    let (model, build) = ModelCommand::resolve(&target)?;
    if build || args.conform_runs > 0 {
        build_kit(root)?;
    } else {
        eprintln!(
            "interop: the stand-in model API is `{}` (${})",
            model.shown(),
            launch::MODEL_COMMAND_VAR
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the async runtime: {err}"))?;
    let complete = specs.len() == sessions::ALL.len();
    let mut failed = false;
    let kit = conform::Kit {
        binary: target
            .join("debug")
            .join(format!("app-server-kit{}", std::env::consts::EXE_SUFFIX)),
    };
    for ((release, binary), deviations) in chosen.iter().zip(&binaries).zip(lists) {
        let mut results = Vec::new();
        for spec in &specs {
            eprintln!("interop: {} {}: {}", release.version, spec.name, spec.about);
            let transcript = target
                .join("interop/transcripts")
                .join(&release.version)
                .join(format!("{}.jsonl", spec.name));
            let mut result = runtime.block_on(run_session(
                spec,
                release,
                binary,
                &model,
                &transcript,
                args.keep,
            ));
            check_transcript(&mut result)?;
            results.push(result);
        }
        let result = ReleaseResult::new(&release.version, results, deviations, complete);
        print!("{}", result.render());
        failed |= !result.passed();
        if complete && fidelity::list_path(root, &release.version).exists() {
            let run = fidelity::run(root, &target, release, binary, &model);
            failed |= !runtime.block_on(run)?;
        }
    }
    if args.conform_runs > 0 {
        failed |= !run_conform(&kit, &chosen, &binaries, &expected, args.conform_runs);
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The conformance kit against each release (held to its `conform.toml`), its relays against
/// the newest release, and against our mock; prints what it found, returns whether all is
/// well.
fn run_conform(
    kit: &conform::Kit,
    releases: &[&Release],
    binaries: &[PathBuf],
    expected: &[Vec<conform::Expected>],
    runs: usize,
) -> bool {
    let mut ok = true;
    let mut print = |title: String, (lines, passed): (Vec<String>, bool)| {
        println!("{title}: {}", if passed { "ok" } else { "FAILED" });
        for line in lines {
            println!("{line}");
        }
        ok &= passed;
    };
    for ((release, binary), expected) in releases.iter().zip(binaries).zip(expected) {
        eprintln!("interop: {} conform server ({runs} runs)", release.version);
        let found = conform::check_release(kit, &release.version, binary, expected, runs);
        print(format!("interop {}: conform server --model stand-in", release.version), found);
    }
    if let (Some(release), Some(binary)) = (releases.last(), binaries.last()) {
        eprintln!("interop: {} conform relays", release.version);
        let found = conform::check_relays(kit, binary);
        print(format!("interop {}: the kit's broken relays", release.version), found);
    }
    eprintln!("interop: conform server against the mock");
    print(
        "interop: conform server against app-server-kit mock".to_owned(),
        conform::check_mock(kit),
    );
    ok
}

/// The releases named by `--release`, or all of them.
fn choose_releases<'r>(all: &'r [Release], names: &[String]) -> Result<Vec<&'r Release>, String> {
    if names.is_empty() {
        return Ok(all.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            all.iter().find(|r| &r.version == name).ok_or_else(|| {
                let known: Vec<&str> = all.iter().map(|r| r.version.as_str()).collect();
                format!(
                    "no release `{name}` in interop/releases.toml (pinned: {})",
                    known.join(", ")
                )
            })
        })
        .collect()
}

/// The sessions named by `--session`, or all of them, in their order.
fn choose_sessions(names: &[String]) -> Result<Vec<&'static sessions::Spec>, String> {
    for name in names {
        if sessions::find(name).is_none() {
            let known: Vec<&str> = sessions::ALL.iter().map(|s| s.name).collect();
            return Err(format!("no session `{name}` (sessions: {})", known.join(", ")));
        }
    }
    Ok(sessions::ALL
        .iter()
        .filter(|s| names.is_empty() || names.iter().any(|n| n == s.name))
        .collect())
}

/// The cargo target folder: `$CARGO_TARGET_DIR`, or `target/` under the root.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// Builds the kit's binary (the stand-in model API).
fn build_kit(root: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "app-server-kit", "--bin", "app-server-kit"])
        .current_dir(root)
        .status()
        .map_err(|err| format!("could not run cargo to build app-server-kit: {err}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo build -p app-server-kit --bin app-server-kit` failed ({status})"
        ));
    }
    Ok(())
}

/// Runs one session from start to end: folders, stand-in model API, server, steps, and the
/// teardown whatever happened.
async fn run_session(
    spec: &sessions::Spec,
    release: &Release,
    binary: &Path,
    model: &ModelCommand,
    transcript: &Path,
    keep: bool,
) -> SessionResult {
    let mut result = SessionResult {
        name: spec.name.to_owned(),
        transcript: transcript.to_owned(),
        ..SessionResult::default()
    };
    // A transcript of an earlier run must not pass for this one's.
    if let Err(err) = std::fs::remove_file(transcript)
        && err.kind() != std::io::ErrorKind::NotFound
    {
        result.error = Some(format!("{}: {err}", transcript.display()));
        return result;
    }
    let dirs = match SessionDirs::create(&release.version, spec.name) {
        Ok(dirs) => dirs,
        Err(err) => {
            result.error = Some(err);
            return result;
        }
    };
    let outcome = session_in(spec, release, binary, model, transcript, &dirs, &mut result).await;
    if let Err(err) = outcome {
        let logs: Vec<String> = ["server", "model"]
            .iter()
            .map(|name| format!("{name} stderr: {}", launch::tail(&dirs.log(name))))
            .collect();
        result.error = Some(format!("{err} ({})", logs.join("; ")));
    }
    result.kept = dirs.finish(keep);
    result
}

async fn session_in(
    spec: &sessions::Spec,
    release: &Release,
    binary: &Path,
    model_command: &ModelCommand,
    transcript: &Path,
    dirs: &SessionDirs,
    result: &mut SessionResult,
) -> Result<(), String> {
    let model = session::start_model(model_command, dirs).await?;
    let mut session =
        Session::open(spec.name, &release.version, binary, dirs, &model, transcript).await?;
    let steps = match tokio::time::timeout(SESSION_LIMIT, (spec.steps)(&mut session)).await {
        Ok(steps) => steps,
        Err(_) => Err(format!("the session took longer than {} s", SESSION_LIMIT.as_secs())),
    };
    result.findings = std::mem::take(&mut session.findings);
    result.notes = std::mem::take(&mut session.notes);
    let closed = session.close().await;
    model.stop().await;
    let closed = closed.map(|(probe_lines, refused)| {
        result.probe_lines = probe_lines;
        result.refused = refused;
    });
    // Why the steps stopped says more than a transcript that could not be flushed after.
    steps.and(closed)
}

/// Validates a session's transcript in process and counts its lines; the validator's findings
/// join the session's.
fn check_transcript(result: &mut SessionResult) -> Result<(), String> {
    let Ok(file) = std::fs::File::open(&result.transcript) else {
        // The session stopped before it had a transcript: its error says why.
        return Ok(());
    };
    let mut texts = Vec::new();
    let summary =
        crate::validate::validate(file, DecodeLimits::DEFAULT_MAX_MESSAGE_BYTES, &mut texts)
            .map_err(|err| format!("{}: {err}", result.transcript.display()))?;
    let (counts, mut findings) =
        report::classify(&result.name, summary.messages, texts, &result.probe_lines);
    result.counts = counts;
    findings.append(&mut result.findings);
    result.findings = findings;
    Ok(())
}
