//! The benchmark corpora, generated from a fixed seed (same bytes on every run and machine).
//!
//! The messages have the shapes of the wire fixtures (`fixtures/v2/**`): our wire, with the
//! changes C1–C13 (CHANGELOG.md) (item and turn notifications carry `threadId`/`turnId`, turns carry
//! `error`, …). Members come in the order our encoder writes them (`id`, `method`, `params`).
//!
//! - [`server_stream`]: what a client reads while the agent works: per turn the `turn/start`
//!   response, `turn/started`, items started and completed, mostly `item/agentMessage/delta` and
//!   `item/commandExecution/outputDelta`, reasoning deltas, an approval request now and then,
//!   `turn/diff/updated`, rate limits, `turn/completed`; and a few large `thread/resume`
//!   responses carrying hundreds of items.
//! - [`client_mix`]: what a server reads: a mix of v2 requests, `initialized`, and answers to
//!   approval requests.

/// What kind of message a line is (the benchmark's "direct" paths are told; ours is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Notification,
    Response,
}

/// One generated line.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub kind: Kind,
    /// The method of a request or notification; for a response, the method it answers.
    pub method: &'static str,
    /// For a response: the id of the request it answers.
    pub id: Option<i64>,
}

/// A small xorshift64* generator: fixed seed, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

/// The seed of every corpus.
pub const SEED: u64 = 0x5EED_2025_1120_0914;

/// JSON string literal of `s`.
fn js(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_owned(), js)
}

const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn ulid_tail(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| CROCKFORD[rng.range(0, 31)] as char).collect()
}

const WORDS: &[&str] = &[
    "the",
    "refund",
    "test",
    "charge",
    "amount",
    "issue_refund",
    "fails",
    "because",
    "each",
    "comparison",
    "uses",
    "full",
    "instead",
    "of",
    "remaining",
    "balance",
    "I",
    "will",
    "check",
    "factory",
    "fixture",
    "so",
    "that",
    "we",
    "can",
    "reproduce",
    "it",
    "deterministically",
    "and",
    "then",
    "fix",
    "limit",
    "in",
    "`src/payments/refunds.py`",
    "with",
    "a",
    "regression",
    "`pytest -q`",
    "passes",
    "now",
    "after",
    "change",
    "module",
    "function",
    "returns",
    "error",
];
const PUNCT: &[&str] = &[".", ",", ":", ";", ".\n\n", "\n- ", " —", "?"];

/// A streamed token of an agent message or reasoning text (1–3 words, sometimes punctuation).
fn token(rng: &mut Rng) -> String {
    let mut t = String::new();
    for _ in 0..rng.range(1, 3) {
        t.push(' ');
        t.push_str(*rng.pick(WORDS));
    }
    if rng.chance(15) {
        t.push_str(*rng.pick(PUNCT));
    }
    t
}

const PATHS: &[&str] = &[
    "src/payments/refunds.py",
    "src/payments/charges.py",
    "tests/test_refunds.py",
    "tests/test_refund_limits.py",
    "tests/factories.py",
    "src/payments/api/views.py",
    "web/src/components/RefundConfirmation.tsx",
    "README.md",
    "pyproject.toml",
];

/// One line of command output, with its newline.
fn output_line(rng: &mut Rng) -> String {
    match rng.range(0, 5) {
        0 => format!(
            "{:<72} [{:>3}%]\n",
            format!("tests/test_refunds.py {}", ".".repeat(rng.range(3, 30))),
            rng.range(0, 100)
        ),
        1 => format!(
            "{}:{}:    if amount_cents > charge.amount_cents:\n",
            rng.pick(PATHS),
            rng.range(1, 400)
        ),
        2 => format!(" M {}\n", rng.pick(PATHS)),
        3 => format!(
            "-rw-r--r--  1 dana  staff  {:>6} Nov 20 09:{:02} {}\n",
            rng.range(100, 90000),
            rng.range(0, 59),
            rng.pick(PATHS)
        ),
        4 => "E       assert refund.amount_cents <= charge.amount_cents - already_refunded\n"
            .to_owned(),
        _ => format!(
            "    {} = Refund(charge_id=charge.id, amount_cents={})\n",
            rng.pick(WORDS),
            rng.range(1, 9999)
        ),
    }
}

const COMMANDS: &[&str] = &[
    "pytest -q tests/test_refunds.py",
    "rg -n \"amount_cents\" src",
    "git status --short",
    "ls -la src/payments",
    "sed -n '30,60p' src/payments/refunds.py",
    "pytest -q",
];
const CWD: &str = "/home/dana/src/payments-api";
const DIFF: &str = "@@ -41,7 +41,8 @@ def issue_refund(charge: Charge, amount_cents: int) -> Refund:\n     if amount_cents <= 0:\n         raise ValueError(\"refund amount must be positive\")\n-    if amount_cents > charge.amount_cents:\n+    already_refunded = sum(r.amount_cents for r in charge.refunds)\n+    if amount_cents > charge.amount_cents - already_refunded:\n         raise RefundExceedsCharge(charge.id, amount_cents)\n";

fn command_actions(command: &str) -> String {
    if let Some(rest) = command.strip_prefix("sed -n '30,60p' ") {
        format!(
            r#"[{{"type": "read", "command": {}, "name": "refunds.py", "path": {}}}]"#,
            js(command),
            js(rest)
        )
    } else if command.starts_with("rg ") {
        format!(
            r#"[{{"type": "search", "command": {}, "query": "amount_cents", "path": "src"}}]"#,
            js(command)
        )
    } else if command.starts_with("ls ") {
        format!(r#"[{{"type": "listFiles", "command": {}, "path": "src/payments"}}]"#, js(command))
    } else {
        format!(r#"[{{"type": "unknown", "command": {}}}]"#, js(command))
    }
}

/// Items of a turn, as JSON objects: `(started form, completed form)`, and the deltas streamed
/// in between (already rendered as whole notification lines by the caller).
struct Ids<'a> {
    thread: &'a str,
    turn: &'a str,
}

fn command_item(id: &str, command: &str, output: Option<(&str, i32, u64)>) -> String {
    let (status, out, exit, dur) = match output {
        None => ("inProgress", "null".to_owned(), "null".to_owned(), "null".to_owned()),
        Some((out, code, ms)) => (
            if code == 0 { "completed" } else { "failed" },
            js(out),
            code.to_string(),
            ms.to_string(),
        ),
    };
    format!(
        r#"{{"type": "commandExecution", "id": {}, "command": {}, "cwd": {}, "status": "{status}", "commandActions": {}, "aggregatedOutput": {out}, "exitCode": {exit}, "durationMs": {dur}}}"#,
        js(id),
        js(command),
        js(CWD),
        command_actions(command)
    )
}

fn file_change_item(id: &str, status: &str) -> String {
    format!(
        r#"{{"type": "fileChange", "id": {}, "changes": [{{"path": "src/payments/refunds.py", "kind": {{"type": "update", "move_path": null}}, "diff": {}}}], "status": "{status}"}}"#,
        js(id),
        js(DIFF)
    )
}

fn turn_json(id: &str, items: &str, status: &str) -> String {
    let error = if status == "failed" {
        r#"{"message": "stream disconnected before completion", "codexErrorInfo": {"responseStreamDisconnected": {"httpStatusCode": 502}}}"#
    } else {
        "null"
    };
    format!(r#"{{"id": {}, "items": [{items}], "status": "{status}", "error": {error}}}"#, js(id))
}

struct Out<'a> {
    lines: &'a mut Vec<Line>,
}

impl Out<'_> {
    fn notify(&mut self, method: &'static str, params: String) {
        let text = format!(r#"{{"method": {}, "params": {params}}}"#, js(method));
        self.lines.push(Line { text, kind: Kind::Notification, method, id: None });
    }
    fn request(&mut self, id: i64, method: &'static str, params: Option<String>) {
        let text = match params {
            Some(params) => {
                format!(r#"{{"id": {id}, "method": {}, "params": {params}}}"#, js(method))
            }
            None => format!(r#"{{"id": {id}, "method": {}}}"#, js(method)),
        };
        self.lines.push(Line { text, kind: Kind::Request, method, id: Some(id) });
    }
    fn respond(&mut self, id: i64, answers: &'static str, result: String) {
        let text = format!(r#"{{"id": {id}, "result": {result}}}"#);
        self.lines.push(Line { text, kind: Kind::Response, method: answers, id: Some(id) });
    }
    fn item(&mut self, ids: &Ids<'_>, method: &'static str, item: &str) {
        self.notify(
            method,
            format!(
                r#"{{"item": {item}, "threadId": {}, "turnId": {}}}"#,
                js(ids.thread),
                js(ids.turn)
            ),
        );
    }
}

/// Streams one item of a turn into `out` (started, deltas, completed) and returns its
/// completed JSON (for the history of a `thread/resume` response). With `out` = `None` only
/// the completed form is made.
fn stream_item(
    rng: &mut Rng,
    mut out: Option<&mut Out<'_>>,
    ids: &Ids<'_>,
    next_request: &mut i64,
) -> String {
    let id = format!("item_01JD8X{}", ulid_tail(rng, 4));
    let quoted = js(&id);
    match rng.range(0, 9) {
        // Reasoning: summary part, summary deltas, sometimes raw content deltas.
        0 | 1 => {
            let mut summary = String::from("**Reproducing the failure**\n\n");
            let mut content = String::new();
            if let Some(out) = out.as_deref_mut() {
                out.item(
                    ids,
                    "item/started",
                    &format!(
                        r#"{{"type": "reasoning", "id": {quoted}, "summary": [], "content": []}}"#
                    ),
                );
                out.notify(
                    "item/reasoning/summaryPartAdded",
                    format!(r#"{{"itemId": {quoted}, "summaryIndex": 0}}"#),
                );
            }
            for _ in 0..rng.range(15, 60) {
                let t = token(rng);
                if let Some(out) = out.as_deref_mut() {
                    out.notify(
                        "item/reasoning/summaryTextDelta",
                        format!(
                            r#"{{"itemId": {quoted}, "delta": {}, "summaryIndex": 0}}"#,
                            js(&t)
                        ),
                    );
                }
                summary.push_str(&t);
            }
            if rng.chance(40) {
                for _ in 0..rng.range(10, 40) {
                    let t = token(rng);
                    if let Some(out) = out.as_deref_mut() {
                        out.notify(
                            "item/reasoning/textDelta",
                            format!(
                                r#"{{"itemId": {quoted}, "delta": {}, "contentIndex": 0}}"#,
                                js(&t)
                            ),
                        );
                    }
                    content.push_str(&t);
                }
            }
            let content = if content.is_empty() { String::new() } else { js(&content) };
            let done = format!(
                r#"{{"type": "reasoning", "id": {quoted}, "summary": [{}], "content": [{content}]}}"#,
                js(&summary)
            );
            if let Some(out) = out {
                out.item(ids, "item/completed", &done);
            }
            done
        }
        // A command: output deltas, sometimes an approval request first.
        2..=5 => {
            let command = *rng.pick(COMMANDS);
            if let Some(out) = out.as_deref_mut() {
                if rng.chance(15) {
                    *next_request += 1;
                    out.request(*next_request, "item/commandExecution/requestApproval", Some(format!(
                        r#"{{"threadId": {}, "turnId": {}, "itemId": {quoted}, "reason": "Running the test suite needs to write .pytest_cache outside the sandbox", "risk": null, "command": {}, "cwd": {}, "proposedExecpolicyAmendment": ["pytest"]}}"#,
                        js(ids.thread), js(ids.turn), js(command), js(CWD)
                    )));
                }
                out.item(ids, "item/started", &command_item(&id, command, None));
            }
            let mut output = String::new();
            for _ in 0..rng.range(3, 60) {
                let line = output_line(rng);
                if let Some(out) = out.as_deref_mut() {
                    out.notify(
                        "item/commandExecution/outputDelta",
                        format!(r#"{{"itemId": {quoted}, "delta": {}}}"#, js(&line)),
                    );
                }
                output.push_str(&line);
            }
            let code = if rng.chance(25) { 1 } else { 0 };
            let ms = rng.range(10, 9000) as u64;
            let done = command_item(&id, command, Some((&output, code, ms)));
            if let Some(out) = out {
                out.item(ids, "item/completed", &done);
            }
            done
        }
        // A file change, and the turn's diff re-sent after it.
        6 => {
            if let Some(out) = out.as_deref_mut() {
                if rng.chance(20) {
                    *next_request += 1;
                    out.request(*next_request, "item/fileChange/requestApproval", Some(format!(
                        r#"{{"threadId": {}, "turnId": {}, "itemId": {quoted}, "reason": null, "grantRoot": null}}"#,
                        js(ids.thread), js(ids.turn)
                    )));
                }
                out.item(ids, "item/started", &file_change_item(&id, "inProgress"));
            }
            let done = file_change_item(&id, "completed");
            if let Some(out) = out {
                out.item(ids, "item/completed", &done);
                let diff = format!(
                    "diff --git a/src/payments/refunds.py b/src/payments/refunds.py\n--- a/src/payments/refunds.py\n+++ b/src/payments/refunds.py\n{DIFF}"
                );
                out.notify(
                    "turn/diff/updated",
                    format!(
                        r#"{{"threadId": {}, "turnId": {}, "diff": {}}}"#,
                        js(ids.thread),
                        js(ids.turn),
                        js(&diff)
                    ),
                );
            }
            done
        }
        // The agent's message, token by token.
        _ => {
            if let Some(out) = out.as_deref_mut() {
                out.item(
                    ids,
                    "item/started",
                    &format!(r#"{{"type": "agentMessage", "id": {quoted}, "text": ""}}"#),
                );
            }
            let mut text = String::new();
            for _ in 0..rng.range(40, 250) {
                let t = token(rng);
                if let Some(out) = out.as_deref_mut() {
                    out.notify(
                        "item/agentMessage/delta",
                        format!(r#"{{"itemId": {quoted}, "delta": {}}}"#, js(&t)),
                    );
                }
                text.push_str(&t);
            }
            let done =
                format!(r#"{{"type": "agentMessage", "id": {quoted}, "text": {}}}"#, js(&text));
            if let Some(out) = out {
                out.item(ids, "item/completed", &done);
            }
            done
        }
    }
}

fn user_message(rng: &mut Rng) -> (String, String) {
    let id = format!("item_01JD8X{}", ulid_tail(rng, 4));
    let text = [
        "The refund test in tests/test_refunds.py is flaky, find out why and fix it",
        "Now run the whole suite with coverage",
        "Summarise the refund module's public API in the README",
    ];
    let text = *rng.pick(&text);
    (
        id.clone(),
        format!(
            r#"{{"type": "userMessage", "id": {}, "content": [{{"type": "text", "text": {}}}]}}"#,
            js(&id),
            js(text)
        ),
    )
}

const THREAD: &str = "thr_01JD8X4Q2M";

fn thread_json(id: &str, turns: &str) -> String {
    format!(
        r#"{{"id": {}, "preview": "The refund test in tests/test_refunds.py is flaky, find out why and fix it", "modelProvider": "openai", "createdAt": 1763630043, "path": {}, "turns": [{turns}]}}"#,
        js(id),
        js(&format!(
            "/home/dana/.codex/sessions/2025/11/20/rollout-2025-11-20T09-14-03-{id}.jsonl"
        ))
    )
}

/// A `thread/resume` response whose history holds `items` items over several turns.
fn resume_response(rng: &mut Rng, out: &mut Out<'_>, id: i64, items: usize) {
    let mut turns = Vec::new();
    let mut made = 0;
    let mut unused = 0;
    while made < items {
        let turn_id = format!("turn_01JD8X{}", ulid_tail(rng, 4));
        let ids = Ids { thread: THREAD, turn: &turn_id };
        let mut list = vec![user_message(rng).1];
        for _ in 0..rng.range(4, 20) {
            list.push(stream_item(rng, None, &ids, &mut unused));
        }
        made += list.len();
        let status = *rng.pick(&["completed", "completed", "completed", "interrupted", "failed"]);
        turns.push(turn_json(&turn_id, &list.join(", "), status));
    }
    let thread = thread_json(THREAD, &turns.join(", "));
    out.respond(id, "thread/resume", format!(
        r#"{{"thread": {thread}, "model": "gpt-5.1-codex", "modelProvider": "openai", "cwd": {}, "approvalPolicy": "onRequest", "sandbox": {{"type": "workspaceWrite", "writableRoots": ["/home/dana/.cache/pip"], "networkAccess": false, "excludeTmpdirEnvVar": false, "excludeSlashTmp": false}}, "reasoningEffort": "medium"}}"#,
        js(CWD)
    ));
}

/// The server → client stream: `turns` turns, with a large `thread/resume` response before
/// the first and every `resume_every` turns.
pub fn server_stream(turns: usize, resume_every: usize) -> Vec<Line> {
    let mut rng = Rng::new(SEED);
    let mut lines = Vec::new();
    let mut out = Out { lines: &mut lines };
    let mut client_id = 100_i64;
    let mut server_id = 0_i64;
    out.notify("thread/started", format!(r#"{{"thread": {}}}"#, thread_json(THREAD, "")));
    for turn in 0..turns {
        if turn % resume_every == 0 {
            client_id += 1;
            let items = rng.range(100, 250);
            resume_response(&mut rng, &mut out, client_id, items);
        }
        let turn_id = format!("turn_01JD8X{}", ulid_tail(&mut rng, 4));
        let ids = Ids { thread: THREAD, turn: &turn_id };
        client_id += 1;
        out.respond(
            client_id,
            "turn/start",
            format!(r#"{{"turn": {}}}"#, turn_json(&turn_id, "", "inProgress")),
        );
        out.notify(
            "turn/started",
            format!(
                r#"{{"threadId": {}, "turn": {}}}"#,
                js(THREAD),
                turn_json(&turn_id, "", "inProgress")
            ),
        );
        let (_, user) = user_message(&mut rng);
        out.item(&ids, "item/started", &user);
        out.item(&ids, "item/completed", &user);
        for _ in 0..rng.range(3, 9) {
            stream_item(&mut rng, Some(&mut out), &ids, &mut server_id);
        }
        if rng.chance(30) {
            out.notify("error", format!(
                r#"{{"error": {{"message": "Reconnecting... 1/5", "codexErrorInfo": {{"responseStreamDisconnected": {{"httpStatusCode": null}}}}}}, "willRetry": true, "threadId": {}, "turnId": {}}}"#,
                js(THREAD), js(&turn_id)
            ));
        }
        out.notify("account/rateLimits/updated", format!(
            r#"{{"rateLimits": {{"primary": {{"usedPercent": {}, "windowDurationMins": 300, "resetsAt": 1763647200}}, "secondary": {{"usedPercent": {}, "windowDurationMins": 10080, "resetsAt": 1764201600}}, "credits": null}}}}"#,
            rng.range(1, 99), rng.range(1, 99)
        ));
        let status = if rng.chance(10) { "interrupted" } else { "completed" };
        out.notify(
            "turn/completed",
            format!(
                r#"{{"threadId": {}, "turn": {}}}"#,
                js(THREAD),
                turn_json(&turn_id, "", status)
            ),
        );
    }
    lines
}

/// The client → server mix: `count` messages.
pub fn client_mix(count: usize) -> Vec<Line> {
    let mut rng = Rng::new(SEED ^ 0xC11E_47);
    let mut lines = Vec::new();
    let mut out = Out { lines: &mut lines };
    out.request(0, "initialize", Some(r#"{"clientInfo": {"name": "codex_vscode", "title": "Codex for VS Code", "version": "0.4.46"}}"#.to_owned()));
    out.notify_bare("initialized");
    let mut id = 0_i64;
    let mut approval = 0_i64;
    while out.lines.len() < count {
        id += 1;
        let thread = format!("thr_01JD8X{}", ulid_tail(&mut rng, 4));
        match rng.range(0, 19) {
            0..=5 => {
                let mut text = String::new();
                for _ in 0..rng.range(3, 60) {
                    text.push_str(&token(&mut rng));
                }
                let extra = if rng.chance(30) {
                    format!(
                        r#", {{"type": "localImage", "path": "/home/dana/Pictures/Screenshots/refund-{}.png"}}], "cwd": {}, "approvalPolicy": "onRequest", "sandboxPolicy": {{"type": "workspaceWrite", "writableRoots": ["/home/dana/.cache"], "networkAccess": true, "excludeTmpdirEnvVar": false, "excludeSlashTmp": false}}, "model": "gpt-5.1-codex-max", "effort": "high", "summary": "detailed"}}"#,
                        rng.range(1, 99), js(CWD)
                    )
                } else {
                    "]}".to_owned()
                };
                out.request(id, "turn/start", Some(format!(r#"{{"threadId": {}, "input": [{{"type": "text", "text": {}}}{extra}"#, js(&thread), js(text.trim()))));
            }
            6 | 7 => out.request(id, "thread/start", Some(format!(r#"{{"model": "gpt-5.1-codex", "cwd": {}, "approvalPolicy": "onRequest", "sandbox": "workspaceWrite"}}"#, js(CWD)))),
            8 => out.request(id, "thread/resume", Some(format!(r#"{{"threadId": {}}}"#, js(&thread)))),
            9 => out.request(id, "thread/list", Some(format!(r#"{{"cursor": {}, "limit": 25}}"#, opt(rng.chance(50).then_some("2025-11-20T09:14:03|thr_01JD8X4Q2M"))))),
            10 => out.request(id, "model/list", Some(r#"{"limit": 50}"#.to_owned())),
            11 => out.request(id, "account/read", Some(r#"{"refreshToken": false}"#.to_owned())),
            12 => out.request(id, "account/rateLimits/read", None),
            13 => out.request(id, "turn/interrupt", Some(format!(r#"{{"threadId": {}, "turnId": "turn_01JD8XB2V7"}}"#, js(&thread)))),
            14 => out.request(id, "review/start", Some(format!(r#"{{"threadId": {}, "target": {{"type": "baseBranch", "branch": "main"}}, "appendToOriginalThread": true}}"#, js(&thread)))),
            15 => out.request(id, "thread/archive", Some(format!(r#"{{"threadId": {}}}"#, js(&thread)))),
            16 => out.request(id, "config/read", Some(format!(r#"{{"includeLayers": false, "cwd": {}}}"#, js(CWD)))),
            // Answers to the server's approval requests.
            _ => {
                approval += 1;
                if rng.chance(50) {
                    let decision = *rng.pick(&["\"accept\"", "\"decline\"", "\"acceptForSession\"", r#"{"acceptWithExecpolicyAmendment": {"execpolicyAmendment": ["pytest"]}}"#]);
                    out.respond(approval, "item/commandExecution/requestApproval", format!(r#"{{"decision": {decision}}}"#));
                } else {
                    let decision = *rng.pick(&["\"accept\"", "\"decline\"", "\"cancel\""]);
                    out.respond(approval, "item/fileChange/requestApproval", format!(r#"{{"decision": {decision}}}"#));
                }
            }
        }
    }
    lines
}

impl Out<'_> {
    fn notify_bare(&mut self, method: &'static str) {
        let text = format!(r#"{{"method": {}}}"#, js(method));
        self.lines.push(Line { text, kind: Kind::Notification, method, id: None });
    }
}
