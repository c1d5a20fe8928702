//! `conform server` against the mock (`app-server-kit mock`): the mock passes with no failure
//! and no warning; each fault mode fails exactly the checks it breaks, named by id.

mod conform_support;

use conform_support::{KIT, Run, kit, set};

/// Runs `conform server` against `app-server-kit mock --speed 0` with `faults` on (and
/// `extra` mock options). The mock's turns follow the kit's prompts (the stand-in model's
/// script), so the approval and failure scenarios run against it.
fn conform_mock(timeout_ms: &str, faults: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["conform", "server", "--format", "json", "--timeout-ms", timeout_ms];
    args.extend_from_slice(&["--", KIT, "mock", "--speed", "0", "--seed", "7"]);
    for fault in faults {
        args.extend_from_slice(&["--fault", fault]);
    }
    args.extend_from_slice(extra);
    kit(&args)
}

/// The checks that fail, with the run's report on failure of the assertion.
fn failing(run: &Run) -> std::collections::BTreeSet<String> {
    let failing = run.ids("fail");
    if run.code != 1 {
        panic!("exit {} (expected 1):\n{}\n{}", run.code, run.stdout, run.stderr);
    }
    failing
}

#[test]
fn the_mock_passes_with_no_failure_and_no_warning() {
    let run = conform_mock("10000", &[], &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.ids("fail"), set(&[]));
    assert_eq!(run.ids("warn"), set(&[]));
    // What a mock whose turns follow no prompt cannot show (no file-change approval, no
    // failing model) is skipped, each with its reason — never passed.
    let may_skip = set(&[
        "approval.file-change",
        "turn.failed",
        "notify.error-ids",
        "notify.error-will-retry",
    ]);
    assert!(run.ids("skip").is_subset(&may_skip), "{:?}", run.ids("skip"));
    for id in run.ids("skip") {
        let reason = run.check(&id)["findings"][0]["message"].as_str().unwrap().to_owned();
        assert!(reason.contains("stand-in"), "{id}: {reason}");
    }
}

#[test]
fn an_error_that_will_be_retried_is_checked_when_the_mock_sends_one() {
    let run = conform_mock("10000", &["error-will-retry"], &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.ids("pass").is_superset(&set(&["notify.error-ids", "notify.error-will-retry"])));
}

#[test]
fn a_short_page_with_a_cursor_fails_full_pages_and_loses_threads() {
    let run = conform_mock("10000", &["short-page-with-cursor"], &[]);
    // The cursor of a short page skips what the page left out: paging loses threads too.
    assert_eq!(failing(&run), set(&["pagination.full-pages", "pagination.next-cursor"]));
    let finding = &run.check("pagination.full-pages")["findings"][0];
    assert!(finding["line"].as_str().unwrap().contains("nextCursor"), "{finding}");
}

#[test]
fn a_cancel_that_errors_fails_idempotent_cancel() {
    let run = conform_mock("10000", &["cancel-errors"], &[]);
    assert_eq!(failing(&run), set(&["login.cancel-idempotent"]));
}

#[test]
fn a_turn_without_error_fails_the_turn_rules_and_the_output_contract() {
    let run = conform_mock("10000", &["turn-without-error"], &[]);
    // `turn.failed` too: the `failure` scenario's turn fails with a null `turn.error`.
    assert_eq!(failing(&run), set(&["turn.error-member", "turn.failed", "output.contract"]));
    let finding = &run.check("output.contract")["findings"][0];
    assert!(finding["message"].as_str().unwrap().contains("turn.error` is missing"), "{finding}");
    let finding = &run.check("turn.error-member")["findings"][0];
    let message = finding["message"].as_str().unwrap();
    assert!(message.starts_with("the `Turn` at `result.turn` has no `error` member"), "{message}");
}

#[test]
fn a_notification_without_thread_id_fails_the_id_rule_and_the_output_contract() {
    let run = conform_mock("10000", &["notification-without-thread-id"], &[]);
    assert_eq!(failing(&run), set(&["notify.item-ids", "output.contract"]));
}

#[test]
fn a_wrong_result_type_fails_the_method_and_the_output_contract() {
    let run = conform_mock("10000", &["wrong-result-type"], &[]);
    assert_eq!(failing(&run), set(&["method.thread/start", "output.contract"]));
}

#[test]
fn a_snake_case_key_fails_the_output_contract_naming_the_camel_case_member() {
    let run = conform_mock("10000", &["snake-case-key"], &[]);
    // `modelProvider` is required in the `thread/start` result: the answer does not fit.
    assert_eq!(failing(&run), set(&["method.thread/start", "output.contract"]));
    let finding = &run.check("output.contract")["findings"][0];
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.ends_with(
            "(the line has `model_provider`: snake_case; the contract spells it `modelProvider`)"
        ),
        "{message}"
    );
}

#[test]
fn a_delta_before_its_item_fails_item_order() {
    // A scripted turn (the mock's `--scenario`): a delta of an item never started, then a
    // command that asks for approval (so that the `interrupt` scenario has a turn to stop).
    let scenario = std::env::temp_dir().join(format!("conform-ghost-{}.jsonl", std::process::id()));
    let steps = [
        r#"{"type":"notification","method":"item/agentMessage/delta","params":{"itemId":"ghost","delta":"of no item"}}"#,
        r#"{"type":"command","command":"ls","output":["a\n"],"exitCode":0,"approval":{"reason":"list the folder"}}"#,
    ];
    std::fs::write(&scenario, steps.join("\n")).unwrap();
    let path = scenario.to_str().unwrap();
    let run = conform_mock("10000", &[], &["--scenario", path]);
    let _ = std::fs::remove_file(&scenario);
    assert_eq!(failing(&run), set(&["turn.item-order"]));
    let finding = &run.check("turn.item-order")["findings"][0];
    assert_eq!(finding["message"], "a delta before its item's `item/started`");
}

#[test]
fn a_hanging_mock_fails_the_first_check_of_every_scenario() {
    // The handshake is answered within its own (default) budget; 500 ms is what the mock
    // then never uses.
    let run = conform_mock("500", &["hang"], &[]);
    assert_eq!(
        failing(&run),
        set(&[
            "method.thread/start",
            "pagination.full-pages",
            "login.cancel-idempotent",
            "turn.lifecycle",
            "approval.command-accept",
            "turn.failed",
            "turn.interrupt",
            "errors.unknown-method",
            "aliases.accepted",
        ])
    );
}
