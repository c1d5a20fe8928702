//! `app-server-kit conform`: checks a server or a client against the contract (issue 16 §2–3).
//! Being written.

use std::process::ExitCode;

/// The subcommands of `app-server-kit conform`.
#[derive(Debug, clap::Subcommand)]
pub enum ConformCommand {
    /// Check a server.
    Server,
    /// Check a client.
    Client,
}

/// Runs `app-server-kit conform …`.
pub fn main(_command: ConformCommand) -> ExitCode {
    eprintln!("app-server-kit conform: not built yet");
    ExitCode::from(2)
}
