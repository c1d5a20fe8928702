//! `conform client`: a scripted well-behaved client passes; each broken client fails the
//! check it breaks, named by id.

mod conform_support;

use conform_support::{Run, example, kit, set};

/// Runs `conform client` on `scripted_client MODE`. A client that keeps the rules ends the
/// session itself, so the budgets are generous; a client that waits forever is cut off by
/// the session budget (`timeout_ms`), and one that never answers by `answer_ms`.
fn conform_client(mode: &str, timeout_ms: &str, answer_ms: &str) -> Run {
    let client = example("scripted_client");
    kit(&[
        "conform",
        "client",
        "--format",
        "json",
        "--timeout-ms",
        timeout_ms,
        "--answer-timeout-ms",
        answer_ms,
        "--",
        &client,
        mode,
    ])
}

#[test]
fn a_well_behaved_client_passes_every_check() {
    let run = conform_client("good", "20000", "10000");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.ids("pass"),
        set(&[
            "client.initialize-first",
            "client.initialized",
            "client.input-contract",
            "client.unique-ids",
            "client.approvals-answered",
            "client.unknown-request-answered",
        ])
    );
}

#[test]
fn a_client_that_skips_initialized_fails_the_handshake_check() {
    let run = conform_client("skip-initialized", "1500", "10000");
    assert_eq!(run.code, 1);
    assert_eq!(run.ids("fail"), set(&["client.initialized"]));
    let finding = &run.check("client.initialized")["findings"][0];
    assert_eq!(finding["message"], "`thread/start` sent before `initialized`");
}

#[test]
fn a_client_that_reuses_an_id_fails_unique_ids() {
    let run = conform_client("reuse-id", "20000", "10000");
    assert_eq!(run.ids("fail"), set(&["client.unique-ids"]));
}

#[test]
fn a_client_that_sends_snake_case_fails_the_input_contract() {
    let run = conform_client("snake-case", "20000", "10000");
    assert_eq!(run.ids("fail"), set(&["client.input-contract"]));
    let finding = &run.check("client.input-contract")["findings"][0];
    assert_eq!(
        finding["message"],
        "`params.model_provider` is not a member the contract knows (snake_case: the contract spells it `modelProvider`)"
    );
}

#[test]
fn a_client_that_never_answers_an_approval_fails_in_time() {
    let run = conform_client("no-approval-answer", "1500", "500");
    assert_eq!(run.ids("fail"), set(&["client.approvals-answered"]));
    let finding = &run.check("client.approvals-answered")["findings"][0];
    assert!(finding["message"].as_str().unwrap().contains("within 500 ms"), "{finding}");
}

#[test]
fn a_client_that_ignores_an_unknown_request_fails_it() {
    let run = conform_client("ignore-unknown-request", "20000", "10000");
    assert_eq!(run.ids("fail"), set(&["client.unknown-request-answered"]));
}
