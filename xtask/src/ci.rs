//! `cargo xtask ci`: every test and check, in the order a failure is cheapest to find.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

/// One step of the run: a program with its arguments, run from the workspace root.
struct Step {
    what: &'static str,
    program: &'static str,
    args: &'static [&'static str],
}

const STEPS: &[Step] = &[
    Step {
        what: "protocol crate: unit, integration and doc tests (default features: serde only)",
        program: "cargo",
        args: &["test", "-p", "app-server-protocol", "--locked"],
    },
    Step {
        what: "xtask: its own tests (protocol with the codegen feature)",
        program: "cargo",
        args: &["test", "-p", "xtask", "--locked"],
    },
];

pub fn run() -> Result<ExitCode, String> {
    let root = workspace_root();
    for step in STEPS {
        eprintln!("==> {}: {} {}", step.what, step.program, step.args.join(" "));
        let status = Command::new(step.program)
            .args(step.args)
            .current_dir(&root)
            .status()
            .map_err(|err| format!("could not run `{}`: {err}", step.program))?;
        if !status.success() {
            eprintln!("==> FAILED: {}", step.what);
            return Ok(ExitCode::FAILURE);
        }
    }
    eprintln!("==> all checks passed");
    Ok(ExitCode::SUCCESS)
}
