//! The reports and the expected-failures file of a conformance run, end to end (against the
//! broken server that exits after the handshake: a fast run with known failures).

mod conform_support;

use conform_support::{example, kit};

/// The checks that fail against `broken_server crash`, as scenario names and check ids.
const KNOWN: &str = "\
# what the crashing server breaks
method.thread/start
pagination            # every check of the scenario
login.cancel-idempotent
turn
approvals
failure
interrupt
errors.unknown-method
aliases
";

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("conform-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn conform(extra: &[&str]) -> conform_support::Run {
    let server = example("broken_server");
    let mut args = vec!["conform", "server", "--timeout-ms", "5000"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--", &server, "crash"]);
    kit(&args)
}

#[test]
fn listed_failures_do_not_fail_the_run() {
    let file = temp_file("known.txt", KNOWN);
    let run = conform(&["--format", "json", "--expected-failures", &file]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let summary = &run.report()["summary"];
    assert_eq!(
        (summary["failed"].as_u64(), summary["expectedFailures"].as_u64()),
        (Some(0), Some(9))
    );
    assert_eq!(run.check("turn.lifecycle")["expectedFailure"], true);
}

#[test]
fn an_entry_that_passes_now_is_stale_and_fails_the_run() {
    let file = temp_file("stale.txt", &format!("{KNOWN}handshake.initialize # fixed\n"));
    let run = conform(&["--format", "json", "--expected-failures", &file]);
    assert_eq!(run.code, 1);
    let stale = &run.report()["staleExpectedFailures"];
    assert_eq!(stale[0]["entry"], "handshake.initialize");
    assert_eq!(stale[0]["place"], format!("{file}:11"));
    assert_eq!(stale[0]["reason"], "fixed");
}

#[test]
fn a_bad_expected_failures_file_says_where_and_exits_2() {
    let file = temp_file("bad.txt", "pagination.full-pages\npagination.full-page\n");
    let run = conform(&["--expected-failures", &file]);
    assert_eq!(run.code, 2);
    let expected = format!("{file}:2: `pagination.full-page` is no check id or scenario name");
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

#[test]
fn junit_xml_has_a_suite_per_scenario_and_a_case_per_check() {
    let junit = std::env::temp_dir().join(format!("conform-junit-{}.xml", std::process::id()));
    let run = conform(&["--junit", junit.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let xml = std::fs::read_to_string(&junit).unwrap();
    let _ = std::fs::remove_file(&junit);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "), "{xml}");
    assert!(
        xml.contains("<testsuite name=\"pagination\" tests=\"3\" failures=\"1\" skipped=\"2\">"),
        "{xml}"
    );
    assert!(xml.contains("<testcase classname=\"conform.server.handshake\" name=\"handshake.initialize\">\n    </testcase>"));
    assert!(xml.contains("<testcase classname=\"conform.server.turn\" name=\"turn.lifecycle\">\n      <failure message="));
    // The human summary went to stdout, the summary line to stderr.
    assert!(run.stdout.contains("FAIL  turn.lifecycle"), "{}", run.stdout);
    assert!(run.stderr.trim_end().ends_with("exit 1"), "{}", run.stderr);
}

#[test]
fn a_selected_scenario_runs_alone_and_the_others_are_skipped() {
    let run = conform(&["--format", "json", "--scenario", "errors"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.ids("fail"), conform_support::set(&["errors.unknown-method"]));
    let skipped = run.check("pagination.full-pages");
    assert_eq!(skipped["status"], "skip");
    assert_eq!(skipped["findings"][0]["message"], "the scenario was not selected (`--scenario`)");
}
