//! `cargo xtask <command>`: the project's own tooling (codegen and checks).
//!
//! Each command reads top-down: collect what it needs, render or check it, then write or
//! report.

mod ci;
mod codegen;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ci => ci::run(),
        Command::Codegen(args) => codegen::run(&args, &ci::workspace_root()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
