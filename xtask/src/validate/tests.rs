//! Tests of `cargo xtask validate`.

use super::*;
use crate::ci::workspace_root;

fn committed_transcript() -> String {
    std::fs::read_to_string(workspace_root().join("fixtures/transcripts/v2-session.jsonl")).unwrap()
}

#[test]
fn the_committed_transcript_is_valid_and_long() {
    let mut findings = Vec::new();
    let summary = validate(committed_transcript().as_bytes(), 1 << 20, &mut findings).unwrap();
    assert_eq!(findings, Vec::<String>::new());
    assert!(summary.messages >= 200, "{summary:?}");
    assert_eq!(summary.bad, 0);
    assert!(summary.by_method.len() >= 40, "{summary:?}");
}

#[test]
fn three_seeded_errors_are_reported_exactly_with_line_method_and_path() {
    let mut lines: Vec<String> = committed_transcript().lines().map(str::to_owned).collect();
    let find = |lines: &[String], needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle}"))
    };
    // A bare line whose method is broken cannot be attributed to a peer: seed the unknown
    // method into a line that names its sender (`>`/`<` or the `from` form).
    let find_marked = |lines: &[String], needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle) && (!l.starts_with('{') || l.starts_with("{\"from\"")))
            .unwrap_or_else(|| panic!("no marked line with {needle}"))
    };
    // 1. A wrong type deep in a request's params.
    let a = find(&lines, r#""method":"thread/archive""#);
    lines[a] = lines[a].replacen(r#""threadId":""#, r#""threadId":7,"was":""#, 1);
    // 2. An unknown notification method, from a client (a server's is a newer server's: see
    //    `unknown_notifications_are_information_and_legacy_events_are_checked_by_their_family`).
    let b = find_marked(&lines, r#""method":"initialized""#);
    let method = lines[b]
        .split(r#""method":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    lines[b] = lines[b].replacen(
        &format!(r#""method":"{method}""#),
        &format!(r#""method":"{method}s""#),
        1,
    );
    // 3. A notification that lost a required field (C12).
    let c = find(&lines, r#""method":"turn/diff/updated""#);
    lines[c] = lines[c].replacen(r#""turnId":"#, r#""turnIdentifier":"#, 1);
    let transcript = lines.join("\n");

    let mut findings = Vec::new();
    let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
    let bad: Vec<&String> =
        findings.iter().filter(|f| !f.contains("warning") && !f.starts_with("end:")).collect();
    assert_eq!(summary.bad, 3, "{findings:#?}");
    assert_eq!(bad.len(), 3, "{findings:#?}");
    let expected = [
        format!(
            "line {}: client → `thread/archive` at `params.threadId`: expected a string, found 7",
            a + 1
        ),
        format!("line {}: client → `{method}s` at `method`: unknown notification method", b + 1),
        format!(
            "line {}: server → `turn/diff/updated` at `params.turnId`: missing required member `turnId`",
            c + 1
        ),
    ];
    for prefix in &expected {
        assert!(
            bad.iter().any(|f| f.starts_with(prefix.as_str())),
            "no finding starts with {prefix:?}: {bad:#?}"
        );
    }
    assert_eq!(summary.by_method.get("thread/archive").map(|(_, bad)| *bad), Some(1));
}

#[test]
fn line_forms_are_recognised_and_blank_lines_skipped() {
    let transcript = concat!(
        "> {\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_1\"}}\n",
        "\n",
        "{\"from\":\"server\",\"message\":{\"id\":1,\"result\":{}}}\n",
        "{\"method\":\"item/agentMessage/delta\",\"params\":{\"itemId\":\"i\",\"delta\":\"Hi\"}}\n",
        "< {\"method\":\"initialized\"}\n",
    );
    let mut findings = Vec::new();
    let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
    assert_eq!(summary.messages, 4);
    assert_eq!(summary.bad, 1, "{findings:?}");
    assert!(
        findings[0].starts_with(
            "line 5: server → `initialized` at `method`: `initialized` is sent by the other side"
        ),
        "{findings:?}"
    );
}

#[test]
fn over_long_and_non_utf8_lines_are_reported_not_fatal() {
    let mut transcript = b"> {\"id\":1,\"method\":\"account/logout\"}\n".to_vec();
    transcript.extend(std::iter::repeat_n(b'x', 300));
    transcript.extend(b"\n\xff\xfe\n< {\"id\":1,\"result\":{}}\n");
    let mut findings = Vec::new();
    let summary = validate(transcript.as_slice(), 100, &mut findings).unwrap();
    assert_eq!((summary.messages, summary.bad), (4, 2), "{findings:?}");
    assert_eq!(
        findings,
        vec![
            "line 2: longer than 100 bytes; skipped".to_owned(),
            "line 3: not UTF-8: invalid byte 0xFF at byte offset 0".to_owned()
        ]
    );
}

#[test]
fn a_byte_order_mark_is_skipped_at_the_start_of_the_file_only() {
    let transcript =
        "\u{feff}> {\"id\":1,\"method\":\"account/logout\"}\n< \u{feff}{\"id\":1,\"result\":{}}\n";
    let mut findings = Vec::new();
    let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
    assert_eq!((summary.messages, summary.bad), (2, 1), "{findings:?}");
    assert!(findings[0].starts_with("line 2: server → `(unknown)`: not valid JSON: the line starts with a UTF-8 byte order mark"), "{findings:?}");
}

#[test]
fn a_failed_turn_without_error_is_a_warning_in_wire_spelling() {
    let transcript = "< {\"method\":\"turn/completed\",\"params\":{\"threadId\":\"thr\",\"turn\":{\"id\":\"t1\",\"items\":[],\"status\":\"failed\",\"error\":null}}}\n";
    let (summary, findings) = run(transcript);
    assert_eq!((summary.bad, summary.warnings), (0, 1));
    assert_eq!(
        findings,
        [
            "line 1: warning in `turn/completed`: turn `t1` has `\"status\": \"failed\"` but `\"error\": null`"
        ]
    );
}

/// Validates `transcript`; returns the summary and the findings.
fn run(transcript: &str) -> (Summary, Vec<String>) {
    let mut findings = Vec::new();
    let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
    (summary, findings)
}

/// The index of the first line containing `needle`.
fn find(lines: &[String], needle: &str) -> usize {
    lines.iter().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}"))
}

/// The findings about line `number`.
fn about(findings: &[String], number: usize) -> Vec<&String> {
    let prefix = format!("line {number}: ");
    findings.iter().filter(|f| f.starts_with(&prefix)).collect()
}

/// No finding names a Rust value where the wire has its own spelling.
fn assert_wire_spelling(findings: &[String]) {
    for finding in findings {
        let rust_words = ["None", "Some(", "Failed", "Integer(", "struct ", "enum ", "i64", "u32"];
        for rust in rust_words.into_iter().chain(["sequence", "floating point"]) {
            assert!(!finding.contains(rust), "Rust spelling {rust:?} in {finding:?}");
        }
    }
}

#[test]
fn a_server_breaking_the_output_contract_is_reported_once_per_line_with_path() {
    let mut lines: Vec<String> = committed_transcript().lines().map(str::to_owned).collect();
    // 1. A required member left out (`nextCursor` is nullable: the lenient decoder accepts it).
    let missing = find(&lines, r#"{"id":58,"result":{"data":[],"nextCursor":null}}"#);
    lines[missing] = lines[missing].replace(r#","nextCursor":null"#, "");
    // 2. A member the contract does not know, deep in a union (a warning).
    let unknown =
        find(&lines, r#""method":"item/completed","params":{"item":{"type":"commandExecution""#);
    lines[unknown] = lines[unknown].replacen(
        r#""type":"commandExecution","#,
        r#""type":"commandExecution","newMember":1,"#,
        1,
    );
    // 3. A `thread/list` request answered with a `thread/start` result.
    let thread_start = find(&lines, r#"{"id":66,"result":{"thread":"#);
    let other_result = lines[thread_start].replacen(r#"{"id":66,"#, r#"{"id":59,"#, 1);
    let wrong = find(&lines, r#"< {"id":59,"result":{"data":"#);
    lines[wrong] = format!("< {other_result}");
    // 4. A result made up (the issue's example), answering `config/batchWrite` id 23.
    let bogus = find(&lines, r#"< {"id":23,"error":"#);
    lines[bogus] = r#"< {"id":23,"result":{"bogus":1}}"#.to_owned();

    let (summary, findings) = run(&lines.join("\n"));
    assert_eq!((summary.bad, summary.warnings, summary.information), (3, 1, 0), "{findings:#?}");
    assert_eq!(findings.len(), 4, "{findings:#?}");
    let expected = [
        (
            missing,
            "server → `thread/list` at `result`: missing member `nextCursor` (output contract)",
        ),
        (
            unknown,
            "warning in `item/completed`: member(s) the output contract does not know: `params.item.newMember` (a client ignores them; a newer server may add members)",
        ),
        (
            wrong,
            "server → `thread/list` at `result.data`: missing required member `data` (code -32603)",
        ),
        (
            bogus,
            "server → `config/batchWrite` at `result.status`: missing required member `status` (code -32603)",
        ),
    ];
    for (index, text) in expected {
        assert_eq!(about(&findings, index + 1), [&format!("line {}: {text}", index + 1)]);
    }
    assert_wire_spelling(&findings);
}

#[test]
fn an_alternative_of_a_union_is_explained_by_the_members_it_lacks() {
    let mut lines: Vec<String> = committed_transcript().lines().map(str::to_owned).collect();
    let item =
        find(&lines, r#""method":"item/completed","params":{"item":{"type":"commandExecution""#);
    assert!(lines[item].contains(r#""exitCode":0,"#));
    lines[item] = lines[item].replacen(r#""exitCode":0,"#, "", 1);
    let (summary, findings) = run(&lines.join("\n"));
    assert_eq!(summary.bad, 1, "{findings:#?}");
    assert_eq!(
        findings,
        [format!(
            "line {}: server → `item/completed` at `params.item`: missing member `exitCode` (output contract)",
            item + 1
        )]
    );
}

#[test]
fn error_answers_to_requests_that_failed_to_decode_answer_them() {
    let transcript = concat!(
        "> {\"id\":1,\"method\":\"thread/frobnicate\",\"params\":{}}\n",
        "{\"id\":1,\"error\":{\"code\":-32601,\"message\":\"unknown request method `thread/frobnicate`\"}}\n",
        "> {\"id\":\"two\",\"method\":\"thread/archive\",\"params\":{\"threadId\":7}}\n",
        "< {\"id\":\"two\",\"error\":{\"code\":-32602,\"message\":\"invalid type: integer `7`, expected a string at `params.threadId`\"}}\n",
        "> {\"id\":3,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_1\"}}\n",
        "< {\"id\":3,\"result\":{}}\n",
    );
    let (summary, findings) = run(transcript);
    // The two requests are bad (a client author wants to know why); their answers are right.
    assert_eq!(
        findings,
        [
            "line 1: client → `thread/frobnicate` at `method`: unknown request method `thread/frobnicate` (code -32601)",
            "line 3: client → `thread/archive` at `params.threadId`: expected a string, found 7 (code -32602)",
        ]
    );
    assert_eq!((summary.messages, summary.bad, summary.warnings), (6, 2, 0));
}

#[test]
fn requests_never_answered_are_listed_with_their_ids_and_lines() {
    let transcript = concat!(
        "> {\"id\":5,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_1\"}}\n",
        "> {\"id\":\"x\",\"method\":\"nope\"}\n",
        "> {\"id\":6,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_2\"}}\n",
        "< {\"id\":6,\"result\":{}}\n",
    );
    let (summary, findings) = run(transcript);
    assert_eq!((summary.bad, summary.warnings), (1, 1), "{findings:#?}");
    assert_eq!(
        findings.last().map(String::as_str),
        Some(
            "end: 2 request(s) were never answered: client `thread/archive` id 5 (line 1); client `nope` id \"x\" (line 2)"
        )
    );
}

#[test]
fn a_client_is_held_to_the_input_contract_and_told_of_members_it_does_not_know() {
    let transcript = concat!(
        "> {\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_1\",\"threadID\":\"thr_1\"}}\n",
        "< {\"id\":1,\"result\":{}}\n",
        // Optional members may be left out on input.
        "> {\"id\":2,\"method\":\"thread/list\",\"params\":{}}\n",
        "< {\"id\":2,\"result\":{\"data\":[],\"nextCursor\":null}}\n",
    );
    let (summary, findings) = run(transcript);
    assert_eq!((summary.bad, summary.warnings, summary.information), (0, 1, 0));
    assert_eq!(
        findings,
        [
            "line 1: warning in `thread/archive`: member(s) the input contract does not know: `params.threadID` (the server ignores them)"
        ]
    );
}

#[test]
fn the_contract_of_every_message_of_every_method_compiles() {
    let contracts = contract::Contracts::shared().unwrap();
    let compiled = contracts.compile_all().unwrap();
    let messages: usize = app_server_protocol::all_methods()
        .map(|meta| match meta.kind {
            app_server_protocol::MessageKind::Request => 2,
            app_server_protocol::MessageKind::Notification => 1,
        })
        .sum();
    // Every request and notification, every response, and the error response of each sender.
    assert_eq!(compiled, messages + 2);
}

#[test]
fn decoder_errors_name_json_types_not_rust_types() {
    let transcript = concat!(
        "< {\"method\":\"turn/completed\",\"params\":{\"threadId\":\"t\",\"turn\":5}}\n",
        "< {\"method\":\"turn/completed\",\"params\":{\"threadId\":\"t\",\"turn\":{\"id\":\"t1\",\"items\":{},\"status\":\"completed\",\"error\":null}}}\n",
        "< {\"method\":\"thread/started\",\"params\":{\"thread\":{\"id\":\"x\",\"preview\":\"\",\"modelProvider\":\"openai\",\"createdAt\":1.5,\"path\":\"/p\",\"turns\":[]}}}\n",
        "> {\"id\":1,\"method\":\"thread/list\",\"params\":{\"limit\":-1}}\n",
        "< {\"id\":1,\"error\":{\"code\":-32602,\"message\":\"bad limit\"}}\n",
    );
    let (summary, findings) = run(transcript);
    assert_eq!(summary.bad, 4, "{findings:#?}");
    assert_eq!(
        findings,
        [
            "line 1: server → `turn/completed` at `params.turn`: expected an object, found 5 (code -32602)",
            "line 2: server → `turn/completed` at `params.turn.items`: expected an array, found an object (code -32602)",
            "line 3: server → `thread/started` at `params.thread.createdAt`: expected an integer from -9223372036854775808 to 9223372036854775807, found 1.5 (code -32602)",
            "line 4: client → `thread/list` at `params.limit`: expected an integer from 1 to 4294967295, found -1 (code -32602)",
        ]
    );
    assert_wire_spelling(&findings);
}

#[test]
fn the_contract_says_where_and_what_in_wire_terms() {
    use app_server_protocol::Direction::ServerToClient;
    use contract::{Contracts, Form};
    use serde_json::json;
    let contracts = Contracts::shared().unwrap();
    let check = |message: serde_json::Value| {
        let verdict =
            contracts.check(ServerToClient, Form::Notification, "turn/completed", &message);
        verdict.errors.iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    let turn = |status: &str| json!({"id": "t1", "items": [], "status": status, "error": null});
    assert_eq!(
        check(
            json!({"method": "turn/completed", "params": {"threadId": 5, "turn": turn("failed")}})
        ),
        ["at `params.threadId`: expected string, found 5"]
    );
    assert_eq!(
        check(
            json!({"method": "turn/completed", "params": {"threadId": "t", "turn": turn("Failed")}})
        ),
        [
            r#"at `params.turn.status`: expected one of "completed", "interrupted", "failed", "inProgress", found "Failed""#
        ]
    );
    assert_eq!(
        check(json!({"method": "turn/completed"})),
        ["at the top level: missing member `params`"]
    );
    assert_eq!(
        check(
            json!({"method": "turn/completed", "params": {"threadId": "t", "turn": turn("failed")}, "result": {}})
        ),
        ["at `result`: no such member is allowed here"]
    );
}

#[test]
fn unknown_notifications_are_information_and_legacy_events_are_checked_by_their_family() {
    let event = |method: &str, kind: &str| {
        format!(
            r#"< {{"method":"{method}","params":{{"id":"0","msg":{{"type":"{kind}","model_context_window":1}},"conversationId":"01a24e62-e7a2-7321-b0f9-8413b9ff7e51"}}}}"#
        )
    };
    let transcript = [
        event("codex/event/task_started", "task_started"),
        // The name and the event disagree: the decoder refuses it, naming the full method.
        event("codex/event/task_complete", "task_started"),
        // A member the contract does not know, inside an event: a warning, found through
        // the family's entry of the contract.
        event("codex/event/task_started", "task_started")
            .replace(r#""id":"0""#, r#""id":"0","extra":1"#),
        r#"< {"method":"thread/tokenUsage/updated","params":{"threadId":"t"}}"#.to_owned(),
        r#"> {"method":"thread/tokenUsage/updated","params":{"threadId":"t"}}"#.to_owned(),
    ]
    .join("\n");
    let (summary, findings) = run(&transcript);
    assert_eq!(
        (summary.messages, summary.bad, summary.warnings, summary.information),
        (5, 2, 1, 1)
    );
    assert_eq!(
        findings,
        [
            r#"line 2: server → `codex/event/task_complete` at `params.msg.type`: expected "task_complete" (the method's last segment), found "task_started" (code -32602)"#,
            "line 3: warning in `codex/event/task_started`: member(s) the output contract does not know: `params.extra` (a client ignores them; a newer server may add members)",
            "line 4: information: `thread/tokenUsage/updated` is a notification the contract does not know (a newer server's); a client passes it through",
            "line 5: client → `thread/tokenUsage/updated` at `method`: unknown notification method `thread/tokenUsage/updated` (code -32601)",
        ]
    );
    // A family's lines are counted under its name as documents show it.
    assert_eq!(summary.by_method.get("codex/event/{type}"), Some(&(3, 1)));
    assert_eq!(summary.by_method.get("thread/tokenUsage/updated"), Some(&(2, 1)));
}

#[test]
fn the_contract_of_a_family_is_found_through_the_method_table() {
    use app_server_protocol::Direction::ServerToClient;
    use contract::{Contracts, Form};
    let contracts = Contracts::shared().unwrap();
    let line = std::fs::read_to_string(
        workspace_root().join("fixtures/v1/codex/event/task-started.jsonl"),
    )
    .unwrap();
    let message = serde_json::from_str::<serde_json::Value>(&line).unwrap()["message"].clone();
    let method = message["method"].as_str().unwrap();
    let verdict = contracts.check(ServerToClient, Form::Notification, method, &message);
    assert_eq!(verdict, contract::Verdict::default());
    // The name must follow its event in the schema too; the bare prefix names no method.
    let mut renamed = message.clone();
    renamed["method"] = "codex/event/task_complete".into();
    assert!(
        !contracts.check(ServerToClient, Form::Notification, method, &renamed).errors.is_empty()
    );
    let bare = contracts.check(ServerToClient, Form::Notification, "codex/event/", &message);
    assert_eq!(bare.errors.len(), 1, "{bare:?}");
}

#[test]
fn values_of_open_types_a_newer_peer_adds_are_information_and_known_ones_keep_their_shape() {
    let mut lines: Vec<String> = committed_transcript().lines().map(str::to_owned).collect();
    // 1. An item of a kind no version knows (`item/started`), with members of its own.
    let item = find(&lines, r#""method":"item/started","params":{"item":{"type":"agentMessage""#);
    lines[item] = lines[item].replacen(
        r#""type":"agentMessage","#,
        r#""type":"enteredReviewMode","review":{"target":"uncommitted"},"#,
        1,
    );
    // 2. A reasoning effort no version knows, in a `model/list` result.
    let models = find(&lines, r#""defaultReasoningEffort":""#);
    let effort = lines[models].split(r#""defaultReasoningEffort":""#).nth(1).unwrap();
    let effort = effort.split('"').next().unwrap().to_owned();
    lines[models] = lines[models].replacen(
        &format!(r#""defaultReasoningEffort":"{effort}""#),
        r#""defaultReasoningEffort":"ultra""#,
        1,
    );
    // 3. A known tag still holds its variant to its shape (a reasoning item's lists are
    // optional on input, required on output).
    let known =
        find(&lines, r#""method":"item/completed","params":{"item":{"type":"agentMessage""#);
    lines[known] = lines[known].replacen(r#""type":"agentMessage","#, r#""type":"reasoning","#, 1);
    let (summary, findings) = run(&lines.join("\n"));
    assert_eq!((summary.bad, summary.information), (1, 2), "{findings:#?}");
    assert_eq!(
        about(&findings, item + 1),
        [&format!(
            "line {}: information in `item/started`: value(s) of open types the output contract does not know: `params.item` (ThreadItem) (a newer server's; a client takes it)",
            item + 1
        )]
    );
    let models_finding = about(&findings, models + 1);
    assert_eq!(models_finding.len(), 1, "{findings:#?}");
    assert!(
        models_finding[0].ends_with(": `result.data[0].defaultReasoningEffort` (ReasoningEffort) (a newer server's; a client takes it)"),
        "{findings:#?}"
    );
    // Explained inside the variant its tag names, not as "fits none of the alternatives".
    assert_eq!(
        about(&findings, known + 1),
        [&format!(
            "line {}: server → `item/completed` at `params.item`: missing member `summary`; at `params.item`: missing member `content` (output contract)",
            known + 1
        )]
    );
}

#[test]
fn a_value_no_open_type_takes_is_still_an_error_explained_inside_the_known_shapes() {
    use app_server_protocol::Direction::ServerToClient;
    use contract::{Contracts, Form};
    use serde_json::json;
    let contracts = Contracts::shared().unwrap();
    let params = |risk: serde_json::Value| {
        json!({"method": "item/commandExecution/requestApproval", "id": 1, "params": {
            "threadId": "t", "turnId": "u", "itemId": "i", "reason": null, "command": null,
            "cwd": null, "proposedExecpolicyAmendment": null,
            "risk": {"description": "d", "riskLevel": risk}}})
    };
    let check = |message: serde_json::Value| {
        contracts.check(
            ServerToClient,
            Form::Request,
            "item/commandExecution/requestApproval",
            &message,
        )
    };
    let newer = check(params(json!("catastrophic")));
    assert_eq!(newer.errors, Vec::new());
    assert_eq!(
        newer.open,
        [("params.risk.riskLevel".to_owned(), "v2.CommandRiskLevel".to_owned())]
    );
    let wrong = check(params(json!(3)));
    let wrong: Vec<String> = wrong.errors.iter().map(ToString::to_string).collect();
    // Still an error: an open enum takes strings only (worded as for a closed one).
    assert_eq!(wrong, ["at `params.risk.riskLevel`: fits none of the 3 alternatives, found 3"]);
    // An item whose known tag lacks a member: the variant's own error, not "fits none".
    let item = json!({"method": "item/started", "params": {"threadId": "t", "turnId": "u",
        "item": {"type": "agentMessage", "id": "i"}}});
    let verdict = contracts.check(ServerToClient, Form::Notification, "item/started", &item);
    let errors: Vec<String> = verdict.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors, ["at `params.item`: missing member `text`"]);
}
