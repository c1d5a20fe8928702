//! `cargo xtask walk`: the promise of ARCHITECTURE.md's "Where to start" — a method is added
//! by its types, one row, one fixture, one CHANGELOG line, the mock's handler and
//! `cargo xtask codegen`, and nothing else — kept by doing it. On a throwaway copy of the
//! repository (`git ls-files`, under `target/walk/`), the walk adds the v2 method
//! `thread/rename` by those steps alone ([`steps`]), runs codegen, then the checks that judge a
//! method (the protocol crate's tests, the mock's and the conformance kit's, codegen
//! `--check`, the fixtures). It then makes a second copy without the mock's handler, which must
//! fail to compile with the handler's name in the error.
//!
//! The copies build into `target/walk/target`, seeded once with hard links to the main
//! `target/debug` (no disk used; the registry crates need no rebuild). Every command has a
//! time limit.

mod steps;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant};
use std::{fs, thread};

/// How long one command of the walk may take (a cold build of the copy included).
const COMMAND_LIMIT: Duration = Duration::from_secs(30 * 60);

/// The checks run on the copy with the method added, in order.
const CHECKS: &[&[&str]] = &[
    &["xtask", "codegen"],
    &["test", "-p", "app-server-protocol", "--tests", "--locked"],
    &["test", "-p", "app-server-kit", "--locked", "--lib", "--test", "mock_methods"],
    &["test", "-p", "app-server-kit", "--locked", "--test", "conform_server_mock"],
    &["xtask", "codegen", "--check"],
    &["xtask", "fixtures"],
];

/// Runs the walk from the repository at `root`.
pub fn run(root: &Path) -> Result<ExitCode, String> {
    let walk = root.join("target/walk");
    let target = walk.join("target");
    seed_target(root, &target)?;

    let added = walk.join("added");
    copy_repository(root, &added)?;
    steps::add_method(&added, true)?;
    println!("walk: added `{}` to a copy in {}", steps::METHOD, added.display());
    for args in CHECKS {
        let output = cargo(&added, &target, args)?;
        if !output.status.success() {
            print_output(&output);
            return Err(format!("walk: `cargo {}` failed on the copy", args.join(" ")));
        }
        println!("walk: `cargo {}` passed", args.join(" "));
    }

    let unhandled = walk.join("unhandled");
    copy_repository(root, &unhandled)?;
    steps::add_method(&unhandled, false)?;
    let output = cargo(&unhandled, &target, &["build", "-p", "app-server-kit", "--locked"])?;
    let named = judge_missing_handler(&output)?;
    println!("walk: without the mock's handler the kit does not compile, and names `{named}`");
    Ok(ExitCode::SUCCESS)
}

/// A missing handler must be a compile error that names it; returns the name it used.
fn judge_missing_handler(output: &Output) -> Result<&'static str, String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        return Err(format!(
            "walk: without the mock's `{}` the kit still compiles: a method the mock does not implement must be a compile error that names it",
            steps::HANDLER
        ));
    }
    let named = [steps::HANDLER, steps::METHOD, steps::VARIANT]
        .into_iter()
        .find(|name| stderr.contains(name));
    let Some(named) = named else {
        print_output(output);
        return Err(format!(
            "walk: without the mock's handler the kit fails to compile, but the error does not name `{}`",
            steps::HANDLER
        ));
    };
    Ok(named)
}

/// Copies the files git tracks or would track (not ignored: not `target/`, not `node_modules`)
/// into a fresh `to`; the
/// pinned TypeScript tools are linked, not installed again.
fn copy_repository(root: &Path, to: &Path) -> Result<(), String> {
    if to.exists() {
        fs::remove_dir_all(to).map_err(|error| format!("{}: {error}", to.display()))?;
    }
    let listed = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .map_err(|error| format!("git ls-files: {error}"))?;
    if !listed.status.success() {
        return Err(format!("git ls-files: {}", String::from_utf8_lossy(&listed.stderr)));
    }
    for file in listed.stdout.split(|byte| *byte == 0).filter(|name| !name.is_empty()) {
        let file = PathBuf::from(String::from_utf8_lossy(file).into_owned());
        let (from, into) = (root.join(&file), to.join(&file));
        if !from.is_file() {
            continue; // deleted in the work tree, not yet committed
        }
        if let Some(parent) = into.parent() {
            fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
        }
        fs::copy(&from, &into).map_err(|error| format!("{}: {error}", from.display()))?;
    }
    let tools = root.join("tools/ts-check/node_modules");
    if tools.is_dir() {
        std::os::unix::fs::symlink(&tools, to.join("tools/ts-check/node_modules"))
            .map_err(|error| format!("linking {}: {error}", tools.display()))?;
    }
    Ok(())
}

/// Seeds the walk's target folder once with hard links to the main build's dependencies.
fn seed_target(root: &Path, target: &Path) -> Result<(), String> {
    let debug = target.join("debug");
    if debug.exists() || !root.join("target/debug/deps").is_dir() {
        return Ok(());
    }
    fs::create_dir_all(&debug).map_err(|error| format!("{}: {error}", debug.display()))?;
    for folder in ["deps", "build", ".fingerprint"] {
        let from = root.join("target/debug").join(folder);
        if !from.is_dir() {
            continue;
        }
        let status = Command::new("cp")
            .arg("-al")
            .arg(&from)
            .arg(debug.join(folder))
            .status()
            .map_err(|error| format!("cp -al {}: {error}", from.display()))?;
        if !status.success() {
            return Err(format!("cp -al {} failed", from.display()));
        }
    }
    Ok(())
}

/// Runs `cargo <args>` in the copy at `dir`, building into `target`, within the time limit.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<Output, String> {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cargo {}: {error}", args.join(" ")))?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _partial = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(stdout.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let stderr = read(stderr.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|error| error.to_string())? {
            break status;
        }
        if started.elapsed() > COMMAND_LIMIT {
            let _gone = child.kill();
            let _reaped = child.wait();
            return Err(format!(
                "walk: `cargo {}` took longer than {} s",
                args.join(" "),
                COMMAND_LIMIT.as_secs()
            ));
        }
        thread::sleep(Duration::from_millis(200));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Output { status, stdout, stderr })
}

fn print_output(output: &Output) {
    let tail = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    };
    println!("{}", tail(&output.stdout));
    eprintln!("{}", tail(&output.stderr));
}
