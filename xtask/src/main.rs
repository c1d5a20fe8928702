//! `cargo xtask <command>`: the project's own tooling (codegen and checks).
//!
//! Each command reads top-down: collect what it needs, render or check it, then write or
//! report.

mod ci;
mod codegen;
mod compat;
mod conformance;
mod fixtures;
mod validate;

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
    /// Compare the surface with a released baseline: every change with its JSON path, flow
    /// and verdict (breaking / safe / unknown); fails on unaccepted breaks. `snapshot`
    /// cuts a baseline.
    Compat(compat::Args),
    /// Check every wire fixture: serde round trip, JSON Schema, TypeScript; invalid inputs;
    /// coverage of every method.
    Fixtures(fixtures::Args),
    /// Validate a captured transcript (JSON Lines, both directions) against each sender's
    /// contract: each bad line with its line number, method and JSON path, members the
    /// contract does not know as warnings, requests never answered, then a summary.
    Validate(validate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ci => ci::run(),
        Command::Codegen(args) => codegen::run(&args, &ci::workspace_root()),
        Command::Compat(args) => compat::run(&args, &ci::workspace_root()),
        Command::Fixtures(args) => fixtures::run(&args, &ci::workspace_root()),
        Command::Validate(args) => validate::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
