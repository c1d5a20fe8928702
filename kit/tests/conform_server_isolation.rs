//! `conform server` as a harness: each scenario against a process and folders of its own,
//! nothing left behind when the kit exits, the same verdicts run after run, transcripts
//! recorded; "not served" found whatever code says it; and the kit's broken relays, each
//! failing the check it names.

mod conform_support;

use std::path::{Path, PathBuf};

use conform_support::{KIT, Run, kit};

/// A file of this test in the temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conform-isolation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `conform server --format json` with `args` before `--` and `server` after it.
fn conform(args: &[&str], server: &[&str]) -> Run {
    let mut all = vec!["conform", "server", "--format", "json"];
    all.extend_from_slice(args);
    all.push("--");
    all.extend_from_slice(server);
    kit(&all)
}

/// Whether process `pid` still runs (a zombie waiting for its reaper does not): a killed
/// process takes a moment to go, so this waits for it, boundedly.
fn alive(pid: u32) -> bool {
    let running = || {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // `pid (comm) STATE …`: the state follows the last `)`.
        let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start().chars().next());
        matches!(state, Some(Some(state)) if state != 'Z' && state != 'X')
    };
    for _ in 0..100 {
        if !running() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    true
}

#[test]
fn every_process_and_folder_a_scenario_started_is_gone_when_the_kit_exits() {
    let pids = scratch("pids.txt");
    let folders = scratch("folders.txt");
    // The server leaves a process of its own running (a child in its process group), says
    // where its folders are, and becomes the mock.
    let script = format!(
        "sleep 300 & echo $! >> {pids}; echo {{tmpdir}} $FRESH >> {folders}; exec {KIT} mock --speed 0",
        pids = pids.display(),
        folders = folders.display()
    );
    let run = conform(
        &["--scenario", "handshake", "--scenario", "errors", "--fresh-dir-env", "FRESH"],
        &["sh", "-c", &script],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let pids: Vec<u32> =
        std::fs::read_to_string(&pids).unwrap().lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(pids.len(), 2, "one server per scenario");
    let lines = std::fs::read_to_string(&folders).unwrap();
    let folders: Vec<Vec<&str>> = lines.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(folders.len(), 2);
    assert_ne!(folders[0][0], folders[1][0], "each scenario has a folder of its own");
    for folder in &folders {
        assert!(
            folder[1].starts_with(folder[0]),
            "the fresh folder is in the scenario's: {folder:?}"
        );
    }
    // The kit killed each server's process group and removed its folders before it exited.
    for pid in pids {
        assert!(!alive(pid), "process {pid} outlived the kit");
    }
    for folder in folders {
        assert!(!Path::new(folder[0]).exists(), "{} was left behind", folder[0]);
    }
}

#[test]
fn runs_against_the_same_server_give_the_same_verdicts() {
    let verdicts = |run: &Run| {
        let report = run.report();
        let checks = report["checks"].as_array().unwrap().clone();
        checks.iter().map(|c| format!("{}={}", c["id"], c["status"])).collect::<Vec<_>>()
    };
    let server = [KIT, "mock", "--speed", "0"];
    let first = verdicts(&conform(&[], &server));
    for _ in 0..2 {
        assert_eq!(verdicts(&conform(&[], &server)), first);
    }
}

#[test]
fn record_writes_each_scenario_s_transcript() {
    let dir = scratch("transcripts");
    let dir_text = dir.display().to_string();
    let run = conform(
        &["--scenario", "turn", "--record", &dir_text],
        &[KIT, "mock", "--speed", "0", "--seed", "3"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("turn.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("> {") && lines[0].contains("\"initialize\""), "{}", lines[0]);
    assert!(lines.iter().all(|l| l.starts_with("> {") || l.starts_with("< {")));
    assert!(lines.iter().any(|l| l.starts_with("< ") && l.contains("turn/completed")));
    assert!(!dir.join("errors.jsonl").exists(), "only the scenarios that ran");
}

#[test]
fn a_method_answered_as_unknown_is_not_served_whatever_the_code() {
    for code in ["-32601", "-32600"] {
        // The mock's error fault says "unknown method" only for -32601; -32600 is a refusal.
        let fault = format!("error=config/read:{code}");
        let run =
            conform(&["--scenario", "methods"], &[KIT, "mock", "--speed", "0", "--fault", &fault]);
        let check = run.check("method.config/read");
        let message = check["findings"][0]["message"].as_str().unwrap_or_default().to_owned();
        match code {
            "-32601" => {
                assert_eq!(check["status"], "fail");
                assert!(message.starts_with("`config/read` is not served"), "{message}");
            }
            _ => assert_eq!(check["status"], "pass", "{message}"),
        }
    }
}

/// A mock scenario file whose turns fail: a retried `error`, then a terminal one.
fn failing_turns() -> String {
    let path = scratch("failing.jsonl");
    let steps = [
        r#"{"type":"error","message":"Reconnecting... 1/1","willRetry":true}"#,
        r#"{"type":"error","message":"stream disconnected","willRetry":false}"#,
    ];
    std::fs::write(&path, steps.join("\n")).unwrap();
    path.display().to_string()
}

#[test]
fn a_failing_turn_passes_the_failure_checks() {
    let failing = failing_turns();
    let run =
        conform(&["--scenario", "failure"], &[KIT, "mock", "--speed", "0", "--scenario", &failing]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    for check in ["turn.failed", "notify.error-ids", "notify.error-will-retry"] {
        assert_eq!(run.check(check)["status"], "pass", "{check}");
    }
}

#[test]
fn an_interrupted_kit_leaves_no_process_behind() {
    let pids = scratch("interrupted-pids.txt");
    let script = format!(
        "sleep 300 & echo $! >> {pids}; exec {KIT} mock --speed 0 --fault hang",
        pids = pids.display()
    );
    let mut child = std::process::Command::new(KIT)
        .args([
            "conform",
            "server",
            "--scenario",
            "turn",
            "--timeout-ms",
            "60000",
            "--",
            "sh",
            "-c",
        ])
        .arg(&script)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait (boundedly) until the server's child runs, then Ctrl-C the kit.
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&pids).unwrap_or_default().trim().is_empty() {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the server never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kit_pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(kit_pid, rustix::process::Signal::INT).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "an interrupted run cannot report");
    let pid: u32 = std::fs::read_to_string(&pids).unwrap().trim().parse().unwrap();
    assert!(!alive(pid), "process {pid} outlived the interrupted kit");
}

#[test]
fn each_broken_relay_fails_the_check_it_names() {
    let listed = std::process::Command::new(KIT).args(["conform", "relay", "--list"]).output();
    let listed = String::from_utf8(listed.unwrap().stdout).unwrap();
    assert_eq!(listed.lines().count(), 8, "{listed}");
    let failing = failing_turns();
    for line in listed.lines() {
        let [rule, check, scenario] = line.split(' ').collect::<Vec<_>>()[..] else {
            panic!("{line}")
        };
        let mut server = vec![KIT, "conform", "relay", "--break", rule, "--", KIT, "mock"];
        server.extend(["--speed", "0", "--fault", "error-will-retry"]);
        if scenario == "failure" {
            // Turns that fail, as a model that fails makes them.
            server.extend(["--scenario", &failing]);
        }
        let run = conform(&["--scenario", scenario, "--timeout-ms", "3000"], &server);
        assert_eq!(run.check(check)["status"], "fail", "{rule}: {}", run.stdout);
        // Without the relay, the same run passes the check.
        let direct = conform(&["--scenario", scenario], &server[6..]);
        assert_eq!(direct.check(check)["status"], "pass", "{rule} without the relay");
    }
}
