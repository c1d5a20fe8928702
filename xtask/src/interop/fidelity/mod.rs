//! The fidelity test: one scripted session — v2 (a text turn, a command approval accepted
//! and declined, a file change, a failing turn) and v1 (commands approved and denied, a
//! patch) — against the mock (`app-server-kit mock`) and against a pinned release (through
//! the stand-in model API, whose keywords the mock follows too). The two transcripts are cut
//! into the script's steps and, step by step, the sequences of notification methods, server
//! requests (with their ids) and answers are compared; every difference must be listed in
//! `interop/<version>/fidelity.toml` with its reason, and every entry must match one
//! ([`list`]). The run prints what agreed and each listed difference.

#![allow(deprecated)] // the v1 requests: exactly what the v1 steps exercise

mod compare;
mod difference;
mod list;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use app_server_protocol::DecodeLimits;
use app_server_protocol::method::{
    AddConversationListener, NewConversation, SendUserMessage, SendUserTurn, ThreadStart,
};
use serde_json::{Value, json};
use tokio::process::Command;

use super::launch::{ModelCommand, SessionDirs};
use super::releases::Release;
use super::session::{REQUEST, Session, TURN, start_model, string_at};

/// The step names of the script, in the order of its requests.
pub const STEPS: &[&str] = &[
    "initialize",
    "v2 thread/start",
    "v2 text turn",
    "v2 command accepted",
    "v2 command declined",
    "v2 file change",
    "v2 failing turn",
    "v1 newConversation",
    "v1 addConversationListener",
    "v1 command approved",
    "v1 command denied",
    "v1 patch approved",
];

/// The list file of `version`, when the release has one.
pub fn list_path(root: &Path, version: &str) -> PathBuf {
    root.join("interop").join(version).join("fidelity.toml")
}

/// Runs the session against the mock and against `release`, compares and prints; `Ok(true)`
/// when everything agrees or is listed and no entry is stale.
pub async fn run(
    root: &Path,
    target: &Path,
    release: &Release,
    binary: &Path,
    model: &ModelCommand,
) -> Result<bool, String> {
    let list = list::load(&list_path(root, &release.version))?;
    let folder = target.join("interop/transcripts/fidelity");
    std::fs::create_dir_all(&folder).map_err(|err| format!("{}: {err}", folder.display()))?;
    let released = folder.join(format!("{}.jsonl", release.version));
    let mocked = folder.join("mock.jsonl");
    let kit = target.join("debug").join(format!("app-server-kit{}", std::env::consts::EXE_SUFFIX));
    if !kit.exists() {
        return Err(format!(
            "fidelity: no mock at {} (run `cargo build -p app-server-kit`)",
            kit.display()
        ));
    }
    run_side(
        &release.version,
        &released,
        |dirs, base_url| {
            let stderr = dirs.log("server");
            let command = super::launch::server_command(binary, dirs, base_url, &stderr)?;
            Ok(command)
        },
        model,
    )
    .await?;
    run_side("mock", &mocked, |dirs, _| Ok(mock_command(&kit, dirs)), model).await?;
    let contract = mock_findings(&mocked)?;
    let released = compare::read(&released, STEPS)?;
    let mocked = compare::read(&mocked, STEPS)?;
    let differences = compare::differences(&released, &mocked);
    let outcome = list::judge(&list, &differences);
    print!(
        "{}",
        compare::render(&release.version, &released, &mocked, &differences, &list, &outcome)
    );
    for finding in &contract {
        println!("fidelity: the mock's transcript breaks the contract: {finding}");
    }
    Ok(outcome.passed() && contract.is_empty())
}

/// What `cargo xtask validate` finds in the mock's transcript: the mock follows our
/// contract where released servers deviate, so nothing (no error, warning or information).
fn mock_findings(transcript: &Path) -> Result<Vec<String>, String> {
    let file = std::fs::File::open(transcript)
        .map_err(|err| format!("{}: {err}", transcript.display()))?;
    let mut findings = Vec::new();
    crate::validate::validate(file, DecodeLimits::DEFAULT_MAX_MESSAGE_BYTES, &mut findings)
        .map_err(|err| format!("{}: {err}", transcript.display()))?;
    Ok(findings)
}

/// The mock as the release is run: stdio, its own folder, no delays, a fixed seed.
fn mock_command(kit: &Path, dirs: &SessionDirs) -> Command {
    let mut command = Command::new(kit);
    command
        .args(["mock", "--seed", "7", "--speed", "0"])
        .current_dir(dirs.work())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Runs the script against the server `command` makes, recorded into `transcript`.
async fn run_side(
    name: &str,
    transcript: &Path,
    command: impl FnOnce(&SessionDirs, &str) -> Result<Command, String>,
    model_command: &ModelCommand,
) -> Result<(), String> {
    let _ = std::fs::remove_file(transcript);
    let dirs = SessionDirs::create(name, "fidelity")?;
    let model = start_model(model_command, &dirs).await?;
    let server = command(&dirs, &model.base_url)?
        .spawn()
        .map_err(|err| format!("fidelity: could not start the {name} server: {err}"))?;
    let mut session = Session::attach("fidelity", name, server, &dirs, transcript)?;
    let limit = TURN * 10;
    let steps = match tokio::time::timeout(limit, script(&mut session)).await {
        Ok(steps) => steps,
        Err(_) => Err(format!("the session took longer than {} s", limit.as_secs())),
    };
    let closed = session.close().await;
    model.stop().await;
    steps.map_err(|err| format!("fidelity ({name}): {err}"))?;
    closed.map(drop).map_err(|err| format!("fidelity ({name}): {err}"))
}

/// The script: the requests of [`STEPS`], in order, each step waiting for what ends it.
async fn script(s: &mut Session) -> Result<(), String> {
    s.initialize().await?;
    let cwd = s.work.display().to_string();
    s.events.mark();
    let started = s.call::<ThreadStart>(json!({ "cwd": cwd })).await?;
    let thread = string_at(&started, "/thread/id", "thread/start")?;
    s.events.wait_for("thread/started", REQUEST, |_| true).await?;
    for (text, accept) in [
        ("hello", true),
        ("RUN", true),
        ("RUN", false),
        ("PATCH fidelity.txt", true),
        ("FAIL", true),
    ] {
        s.approvals.accept(accept);
        s.turn(&thread, text).await?;
    }
    s.events.mark();
    let created = s.call::<NewConversation>(json!({ "cwd": cwd })).await?;
    let conversation = string_at(&created, "/conversationId", "newConversation")?;
    s.call::<AddConversationListener>(json!({ "conversationId": conversation })).await?;
    for (text, accept, full) in
        [("RUN", true, true), ("RUN", false, true), ("PATCH fidelity-v1.txt", true, false)]
    {
        s.approvals.accept(accept);
        v1_turn(s, &conversation, text, full).await?;
    }
    Ok(())
}

/// `sendUserTurn` (`full`) or `sendUserMessage` with `text`, until the turn's last event.
async fn v1_turn(
    s: &mut Session,
    conversation: &str,
    text: &str,
    full: bool,
) -> Result<(), String> {
    s.events.mark();
    let items: Value = json!([{ "type": "text", "data": { "text": text } }]);
    if full {
        let cwd = s.work.display().to_string();
        s.call::<SendUserTurn>(json!({
            "conversationId": conversation,
            "items": items,
            "cwd": cwd,
            "approvalPolicy": "untrusted",
            "sandboxPolicy": { "type": "workspace-write" },
            "model": "gpt-5.1-codex",
            "summary": "auto",
        }))
        .await?;
    } else {
        s.call::<SendUserMessage>(json!({ "conversationId": conversation, "items": items }))
            .await?;
    }
    // `turn/completed` follows `task_complete` (both servers send it to v1 clients too):
    // waiting for the last one keeps each turn's events in its own step.
    s.events.wait_for("codex/event/task_complete", TURN, |_| true).await?;
    s.events.wait_for("turn/completed", TURN, |_| true).await.map(drop)
}
