//! `cargo xtask <command>`: the project's own tooling (codegen and checks).
//!
//! Each command reads top-down: collect what it needs, render or check it, then write or
//! report.

mod ci;
mod codegen;
mod compat;
mod fixtures;
mod interop;
mod layout;
mod validate;
mod walk;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project tooling for the app-server protocol crate.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every test and check of the project, installing what they need first.
    /// This is what CI runs.
    Ci,
    /// Render TypeScript, JSON Schema, OpenRPC and API docs into generated/.
    Codegen(codegen::Args),
    /// Compare the surface with a released baseline: every change with its place, direction,
    /// paths and verdict (breaking / safe / unknown); exit 1 on an unaccepted break, 2 when
    /// the check cannot run. `snapshot` cuts a baseline.
    Compat(compat::Args),
    /// Check every wire fixture: serde round trip, JSON Schema, TypeScript; invalid inputs;
    /// coverage of every method.
    Fixtures(fixtures::Args),
    /// Run sessions through our own peer against the released servers pinned in
    /// interop/releases.toml (fetched from npm into target/interop/cache, or $INTEROP_CACHE),
    /// offline against the stand-in model API; validate every transcript and hold each
    /// finding against interop/<version>/deviations.toml. `fetch` only fetches.
    Interop(interop::Args),
    /// Check the repository's shape: no file import cycles in any crate, and
    /// ARCHITECTURE.md's dependency table true to `cargo metadata`; exit 1 when not.
    Layout,
    /// Add a v2 method (`thread/rename`) to a throwaway copy of the repository by the steps
    /// ARCHITECTURE.md documents alone, then run codegen and the tests that judge a method on
    /// it; check that leaving out the mock's handler is a compile error naming it.
    Walk,
    /// Validate a captured transcript (JSON Lines, both directions) against each sender's
    /// contract: each bad line with its line number, method and JSON path, members the
    /// contract does not know as warnings, requests never answered, then a summary.
    Validate(validate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ci => ci::run(),
        Command::Codegen(args) => {
            let root = ci::workspace_root();
            compat::committed_report(&root).and_then(|report| codegen::run(&args, &root, report))
        }
        // Its own exit codes: 0 pass, 1 breaking, 2 could not run.
        Command::Compat(args) => return compat::main(&args, &ci::workspace_root()),
        Command::Fixtures(args) => fixtures::run(&args, &ci::workspace_root()),
        Command::Interop(args) => interop::run(&args, &ci::workspace_root()),
        Command::Layout => layout::run(&ci::workspace_root()),
        Command::Validate(args) => validate::run(&args),
        Command::Walk => walk::run(&ci::workspace_root()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
