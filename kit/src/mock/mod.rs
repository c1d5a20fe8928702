//! `app-server-kit mock`: a stateful stand-in app server (issue 16 §1). Being written.

use std::process::ExitCode;

/// Command-line options of `app-server-kit mock`.
#[derive(Debug, clap::Args)]
pub struct MockArgs {}

/// Runs `app-server-kit mock`.
pub fn main(_args: MockArgs) -> ExitCode {
    eprintln!("app-server-kit mock: not built yet");
    ExitCode::from(2)
}
