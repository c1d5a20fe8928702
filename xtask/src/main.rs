//! `cargo xtask <command>`: the project's own tooling (codegen and checks).
//!
//! Each command reads top-down: collect what it needs, render or check it, then write or
//! report.

mod ci;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ci => ci::run(),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
