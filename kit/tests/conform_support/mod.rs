//! What the conformance tests share: running `app-server-kit conform …` as a real process,
//! bounded in time, and reading its JSON report.
#![allow(dead_code)] // each test file uses its own part

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The kit's binary, built by cargo for the tests.
pub const KIT: &str = env!("CARGO_BIN_EXE_app-server-kit");

/// The wall-clock bound of one run of the kit in a test: far above what a run takes (a
/// second or two), so it only ends a kit that hangs.
const RUN_BOUND: Duration = Duration::from_secs(60);

/// The path of one of the kit's example programs. `cargo test -p app-server-kit` builds the
/// examples with the tests; a run filtered with `--test` does not (build them with
/// `cargo build -p app-server-kit --examples`).
pub fn example(name: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary's path");
    let debug = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    let path: PathBuf = debug.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo test -p app-server-kit` (it builds the examples) or `cargo build -p app-server-kit --examples`",
        path.display()
    );
    path.display().to_string()
}

/// What one run of the kit gave.
pub struct Run {
    /// Its exit code.
    pub code: i32,
    /// Its stdout.
    pub stdout: String,
    /// Its stderr.
    pub stderr: String,
}

impl Run {
    /// The report, read as JSON (`--format json`).
    pub fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| {
            panic!("not a JSON report ({err}):\n{}\n{}", self.stdout, self.stderr)
        })
    }

    /// The ids of the checks with `status`.
    pub fn ids(&self, status: &str) -> BTreeSet<String> {
        let report = self.report();
        let checks = report["checks"].as_array().expect("checks").clone();
        checks
            .iter()
            .filter(|c| c["status"] == status)
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect()
    }

    /// The check with `id`.
    pub fn check(&self, id: &str) -> Value {
        let report = self.report();
        let checks = report["checks"].as_array().expect("checks").clone();
        checks.into_iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no check {id}"))
    }
}

/// Runs the kit with `args`, bounded by [`RUN_BOUND`].
pub fn kit(args: &[&str]) -> Run {
    let mut child = Command::new(KIT)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kit starts");
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || read_all(&mut stdout));
    let err = std::thread::spawn(move || read_all(&mut stderr));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > RUN_BOUND {
            let _ = child.kill();
            panic!("the kit ran longer than {RUN_BOUND:?}: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn read_all(reader: &mut impl std::io::Read) -> String {
    let mut text = String::new();
    let _ = reader.read_to_string(&mut text);
    text
}

/// A set of ids from a list.
pub fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}
