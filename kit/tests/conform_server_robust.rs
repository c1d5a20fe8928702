//! `conform server` against servers that hang, crash, flood, send garbage or huge lines:
//! each yields failures of the checks that waited on it, never a hang or a panic of the kit.

mod conform_support;

use conform_support::{example, kit, set};

/// The first check of every scenario that talks to the server after the handshake.
const FIRST_CHECKS: [&str; 9] = [
    "method.thread/start",
    "pagination.full-pages",
    "login.cancel-idempotent",
    "turn.lifecycle",
    "approval.command-accept",
    "turn.failed",
    "turn.interrupt",
    "errors.unknown-method",
    "aliases.accepted",
];

/// Runs `conform server` on `broken_server MODE`. The handshake, which every mode answers,
/// keeps its generous default budget; `timeout_ms` is the budget after it, which a server
/// that never answers again always uses up (once per batch of scenarios run side by side),
/// so it is short for those and generous for the others.
fn conform(mode: &str) -> conform_support::Run {
    let server = example("broken_server");
    let timeout_ms = if mode == "huge" { "10000" } else { "500" };
    kit(&[
        "conform",
        "server",
        "--format",
        "json",
        "--timeout-ms",
        timeout_ms,
        "--max-line-bytes",
        "1048576",
        "--",
        &server,
        mode,
    ])
}

#[test]
fn a_hanging_server_fails_the_check_each_scenario_waited_on() {
    let run = conform("hang");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.ids("fail"), set(&FIRST_CHECKS));
    assert_eq!(run.ids("pass"), set(&["handshake.initialize", "output.json", "output.contract"]));
    let check = run.check("pagination.full-pages");
    let message = check["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("within the scenario's 500 ms"), "{message}");
    let skipped = run.check("pagination.limit-zero");
    let why = skipped["findings"][0]["message"].as_str().unwrap();
    assert!(
        why.starts_with("not reached: the scenario stopped at `pagination.full-pages`"),
        "{why}"
    );
}

#[test]
fn a_server_that_exits_after_the_handshake_fails_without_hanging() {
    let run = conform("crash");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.ids("fail"), set(&FIRST_CHECKS));
    assert!(run.ids("pass").contains("handshake.initialize"));
}

#[test]
fn garbage_lines_fail_output_json_with_the_line() {
    let run = conform("garbage");
    assert_eq!(run.code, 1);
    let mut expected = set(&FIRST_CHECKS);
    expected.insert("output.json".to_owned());
    assert_eq!(run.ids("fail"), expected);
    let check = run.check("output.json");
    assert!(check["findings"][0]["line"].as_str().unwrap().starts_with("this is not JSON"));
}

#[test]
fn a_line_over_the_limit_is_a_failure_and_the_server_is_still_heard() {
    let run = conform("huge");
    assert_eq!(run.code, 1);
    let check = run.check("output.json");
    assert_eq!(check["status"], "fail");
    let message = check["findings"][0]["message"].as_str().unwrap();
    assert_eq!(message, "a line of 2097152 bytes, over the limit; skipped");
    // The -32601 after each huge line arrives: the unknown method is answered as it should.
    assert!(run.ids("pass").contains("errors.unknown-method"));
}

#[test]
fn a_flooding_server_is_cut_off_by_the_scenario_budget() {
    let run = conform("flood");
    assert_eq!(run.code, 1);
    let mut expected = set(&FIRST_CHECKS);
    expected.insert("output.contract".to_owned());
    assert_eq!(run.ids("fail"), expected);
    let check = run.check("output.contract");
    // The flood repeats one line: one finding per scenario, counted, not a report of
    // millions of lines.
    let findings = check["findings"].as_array().unwrap();
    assert_eq!(findings.len(), FIRST_CHECKS.len(), "{findings:?}");
    assert!(findings.iter().all(|f| f["count"].as_u64().unwrap() > 1), "{findings:?}");
    assert_eq!(check["moreFindings"], 0);
}

#[test]
fn a_server_that_cannot_be_started_exits_2() {
    let run = kit(&["conform", "server", "--", "/nonexistent/app-server"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot start `/nonexistent/app-server`"), "{}", run.stderr);
}
