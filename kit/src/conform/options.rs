//! The options `conform server` and `conform client` share: time budget, output format,
//! expected failures.

use std::path::PathBuf;
use std::time::Duration;

use app_server_protocol::DecodeLimits;

/// How the report is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary for people: a line per check, the offending lines under each failure.
    Human,
    /// One JSON document: every check with its status and findings, and a summary.
    Json,
    /// JUnit XML: a test suite per scenario, a test case per check.
    Junit,
}

/// Options every conformance run takes.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// The time each scenario may take after its handshake, in milliseconds (for `conform
    /// client`: the whole session): what the peer has not done by then fails the check that
    /// waited for it.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub timeout_ms: u64,
    /// The time the handshake of each scenario of `conform server` may take, in
    /// milliseconds (a server starting up may be slower than it answers later).
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub handshake_timeout_ms: u64,
    /// How the report is written to stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write the report as JUnit XML to this file (for CI).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Failures that do not fail the run: one check id or scenario name a line, `#` starts a
    /// comment. An entry whose check now passes fails the run (it is stale).
    #[arg(long, value_name = "FILE")]
    pub expected_failures: Option<PathBuf>,
    /// The longest line accepted from the peer, in bytes; a longer line is a failure.
    #[arg(long, default_value_t = DecodeLimits::DEFAULT_MAX_MESSAGE_BYTES, value_name = "BYTES")]
    pub max_line_bytes: usize,
    /// Let the peer's stderr through to the kit's stderr (it is discarded otherwise).
    #[arg(long)]
    pub show_peer_stderr: bool,
}

impl CommonArgs {
    /// The time budget of one scenario (after its handshake).
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    /// The time budget of the handshake of one scenario.
    pub fn handshake_timeout(&self) -> Duration {
        Duration::from_millis(self.handshake_timeout_ms)
    }
}
