//! What the kit's long-running subcommands (`mock`, `model`) share around their async body:
//! the runtime they run on, how they stop it, and how a failure to start is reported.

use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

/// Runs `body` on a multi-threaded runtime (`worker_threads` of them, or tokio's default) and
/// returns its exit code; 2 when the runtime cannot start. The runtime is shut down without
/// waiting long: the stdin reader is a blocking thread that may wait for input forever.
pub(crate) fn run(
    name: &str,
    worker_threads: Option<usize>,
    body: impl Future<Output = ExitCode>,
) -> ExitCode {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = worker_threads {
        builder.worker_threads(threads);
    }
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(name, &format!("cannot start the async runtime: {error}")),
    };
    let code = runtime.block_on(body);
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

/// Reports why subcommand `name` could not start, on stderr; exit code 2.
pub(crate) fn fail(name: &str, message: &str) -> ExitCode {
    eprintln!("app-server-kit {name}: {message}");
    ExitCode::from(2)
}
