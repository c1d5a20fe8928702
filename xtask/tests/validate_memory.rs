//! `cargo xtask validate` streams: it validates a transcript of any size in
//! constant memory. The transcript is made on the fly from the committed
//! `fixtures/transcripts/v2-session.jsonl`, repeated, into a temporary folder; the built xtask
//! binary validates it under `/usr/bin/time -v` (or, without it, with its `VmHWM` polled in
//! `/proc`), and its peak RSS must stay under 100 MiB. Measured: 29 MiB for 1 GiB (46 s in a
//! release build), the compiled contracts each message is checked against included.
//!
//! The normal test run validates 64 MiB. The 1 GiB run is `#[ignore]`d (it takes a minute or
//! two in a release build):
//!
//! ```sh
//! cargo test -p xtask --release --test validate_memory -- --ignored --nocapture
//! ```

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const MIB: u64 = 1024 * 1024;
const RSS_LIMIT_KIB: u64 = 100 * 1024;

struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("xtask-{label}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Writes the committed session transcript again and again until the file holds `size` bytes;
/// returns how many times it was written.
fn make_transcript(path: &Path, size: u64) -> u64 {
    let session =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/transcripts/v2-session.jsonl");
    let mut session =
        fs::read(&session).unwrap_or_else(|err| panic!("{}: {err}", session.display()));
    if !session.ends_with(b"\n") {
        session.push(b'\n');
    }
    let mut out = BufWriter::new(File::create(path).unwrap());
    let (mut written, mut copies) = (0u64, 0u64);
    while written < size {
        out.write_all(&session).unwrap();
        written += session.len() as u64;
        copies += 1;
    }
    out.flush().unwrap();
    copies
}

/// Runs `xtask validate FILE` and returns (its stdout, its peak RSS in KiB): measured by
/// `/usr/bin/time -v` when it is installed, else by polling the child's `VmHWM` (its peak RSS
/// so far) in `/proc`.
fn validate_measuring_rss(file: &Path) -> (String, u64) {
    let xtask = env!("CARGO_BIN_EXE_xtask");
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return validate_polling_rss(xtask, file);
    }
    let output =
        Command::new(time).arg("-v").arg(xtask).arg("validate").arg(file).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "validate failed ({}):\n{}\n{stderr}",
        output.status,
        tail(&stdout)
    );
    let rss = stderr
        .lines()
        .find_map(|line| line.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|kib| kib.trim().parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no peak RSS in /usr/bin/time's output:\n{stderr}"));
    (stdout, rss)
}

fn validate_polling_rss(xtask: &str, file: &Path) -> (String, u64) {
    let log = file.with_extension("stdout");
    let mut child = Command::new(xtask)
        .arg("validate")
        .arg(file)
        .stdout(File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let status = loop {
        if let Ok(text) = fs::read_to_string(&status_file) {
            let hwm = text.lines().find_map(|l| l.strip_prefix("VmHWM:"));
            if let Some(kib) =
                hwm.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let stdout = fs::read_to_string(&log).unwrap();
    assert!(status.success(), "validate failed ({status}):\n{}", tail(&stdout));
    assert!(peak > 0, "could not read the peak RSS of the validator from {status_file}");
    (stdout, peak)
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

fn check(size: u64, label: &str) {
    let dir = TempDir::new(label);
    let file = dir.0.join("transcript.jsonl");
    let copies = make_transcript(&file, size);
    let bytes = fs::metadata(&file).unwrap().len();
    let started = Instant::now();
    let (stdout, rss_kib) = validate_measuring_rss(&file);
    let summary = stdout.lines().find(|l| l.contains(" messages, ")).unwrap_or_default().to_owned();
    println!(
        "validated {} MiB ({copies} copies of the session) in {:.1?}: peak RSS {:.1} MiB; {summary}",
        bytes / MIB,
        started.elapsed(),
        rss_kib as f64 / 1024.0
    );
    assert!(summary.contains(", 0 bad,"), "{}", tail(&stdout));
    assert!(
        rss_kib < RSS_LIMIT_KIB,
        "peak RSS {rss_kib} KiB is not under {RSS_LIMIT_KIB} KiB for {bytes} bytes"
    );
}

#[test]
fn validating_64_mib_stays_under_100_mib_of_memory() {
    check(64 * MIB, "validate-64m");
}

#[test]
#[ignore = "1 GiB: run with --release -- --ignored (see the module docs)"]
fn validating_1_gib_stays_under_100_mib_of_memory() {
    check(1024 * MIB, "validate-1g");
}
