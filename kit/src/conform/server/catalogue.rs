//! Every check `conform server` runs, with its id, scenario, one-line description and the
//! section of the contract it enforces.

use std::sync::LazyLock;

use app_server_protocol::{ApiGeneration, CLIENT_REQUESTS, MethodMeta};

use crate::conform::check::Check;
use crate::conform::session::{OUTPUT_CONTRACT, OUTPUT_JSON};

/// The scenarios of `conform server`, in the order they are reported.
pub const SCENARIOS: &[&str] = &[
    "handshake",
    "methods",
    "pagination",
    "login",
    "turn",
    "approvals",
    "failure",
    "interrupt",
    "errors",
    "aliases",
    "output",
];

/// The checks with a fixed id (the per-method checks of scenario `methods` are made from the
/// method table: [`method_check_id`]).
const FIXED: &[Check] = &[
    check(
        "handshake.initialize",
        "handshake",
        "`initialize` is answered with a result that carries `userAgent`",
        "generated/docs/API.md#the-handshake",
    ),
    check(
        "pagination.full-pages",
        "pagination",
        "a `thread/list` page with a `nextCursor` holds exactly `limit` threads, over several page sizes",
        "generated/docs/API.md#threadlist",
    ),
    check(
        "pagination.next-cursor",
        "pagination",
        "`nextCursor` is null exactly when the listing is exhausted: paging lists what one big page lists",
        "generated/docs/API.md#threadlist",
    ),
    check(
        "pagination.limit-zero",
        "pagination",
        "`limit: 0` is refused with -32602 at `params.limit`",
        "generated/docs/API.md#threadlist",
    ),
    check(
        "login.cancel-idempotent",
        "login",
        "`account/login/cancel` answers a status for a pending, a cancelled and an unknown login, never an error",
        "generated/docs/API.md#accountlogincancel",
    ),
    check(
        "turn.lifecycle",
        "turn",
        "a turn sends `turn/started` before its items and ends with `turn/completed`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "turn.item-order",
        "turn",
        "each item's deltas come after its `item/started` and before its `item/completed`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "turn.error-member",
        "turn",
        "every `Turn` the server sends has `error`, non-null exactly when `status` is `failed`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "notify.item-ids",
        "turn",
        "`item/started`, `item/completed` and approval requests carry `threadId` and `turnId`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "notify.turn-thread-id",
        "turn",
        "`turn/*` notifications carry `threadId`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "approval.command-accept",
        "approvals",
        "a command that asks for approval (`RUN`) and is accepted runs: its item completes `completed` or `failed`, then the turn completes",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "approval.command-decline",
        "approvals",
        "a declined command is skipped: its item completes `declined`, and the turn carries on to `turn/completed`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "approval.file-change",
        "approvals",
        "a file change that asks for approval (`PATCH`) and is accepted is applied: its item completes `completed`, then the turn completes",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "turn.failed",
        "failure",
        "a turn whose model fails (`FAIL`) ends with an `error` with `willRetry: false`, then `turn/completed` with status `failed` and a non-null `error`",
        "generated/docs/API.md#a-turn",
    ),
    check(
        "notify.error-ids",
        "failure",
        "`error` notifications carry `threadId` and `turnId`",
        "generated/docs/API.md#error",
    ),
    check(
        "notify.error-will-retry",
        "failure",
        "`error` notifications carry a boolean `willRetry`",
        "generated/docs/API.md#error",
    ),
    check(
        "turn.interrupt",
        "interrupt",
        "`turn/interrupt` answers `{}` and the turn completes with status `interrupted`",
        "generated/docs/API.md#turninterrupt",
    ),
    check(
        "errors.unknown-method",
        "errors",
        "an unknown method is answered -32601",
        "generated/docs/API.md#errors",
    ),
    check(
        "errors.invalid-params",
        "errors",
        "params of the wrong type are answered -32602 with the member's path in `error.data.path`",
        "generated/docs/API.md#errors",
    ),
    check(
        "errors.positional-params",
        "errors",
        "params passed by position (an array) are refused with -32602",
        "README.md#conventions-of-the-wire",
    ),
    check(
        "errors.keeps-serving",
        "errors",
        "after a line that is not JSON the server keeps serving",
        "generated/docs/API.md#errors",
    ),
    check(
        "aliases.accepted",
        "aliases",
        "every deprecated method alias is served and answered like its method (an error that says the alias is unknown, or -32602, fails)",
        "README.md#conventions-of-the-wire",
    ),
    check(
        OUTPUT_JSON,
        "output",
        "every line the server sends is one JSON-RPC message (a JSON object, UTF-8, within the size limit)",
        "README.md#conventions-of-the-wire",
    ),
    check(
        OUTPUT_CONTRACT,
        "output",
        "every message the server sends keeps the output contract: it decodes, carries every member, and has no snake_case or input-only form (an unknown member warns; an unknown notification is information)",
        "README.md#conventions-of-the-wire",
    ),
];

const fn check(
    id: &'static str,
    scenario: &'static str,
    description: &'static str,
    reference: &'static str,
) -> Check {
    Check { id, scenario, description, reference }
}

/// The v2 methods a client calls, each checked with valid params (`initialize` has a
/// scenario of its own).
pub fn v2_methods() -> impl Iterator<Item = &'static MethodMeta> {
    CLIENT_REQUESTS.iter().filter(|meta| meta.api == ApiGeneration::V2)
}

/// The id of the check of `method` in scenario `methods`: `method.thread/start`.
pub fn method_check_id(wire_name: &str) -> &'static str {
    CATALOGUE
        .iter()
        .find(|check| check.id.strip_prefix("method.") == Some(wire_name))
        .map(|check| check.id)
        .unwrap_or("method.unknown")
}

/// The anchor of a method's section in `generated/docs/API.md`: its name without
/// punctuation, lowercased (`thread/list` → `threadlist`), as Markdown renderers make it.
pub fn method_anchor(wire_name: &str) -> String {
    wire_name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Every check of `conform server`, in report order.
pub static CATALOGUE: LazyLock<Vec<Check>> = LazyLock::new(|| {
    let mut checks: Vec<Check> = FIXED[..1].to_vec();
    for meta in v2_methods() {
        let id: &'static str = Box::leak(format!("method.{}", meta.wire_name).into_boxed_str());
        let reference: &'static str = Box::leak(
            format!("generated/docs/API.md#{}", method_anchor(meta.wire_name)).into_boxed_str(),
        );
        checks.push(check(
            id,
            "methods",
            "the method is served and valid params are accepted: a result that fits it, or an error that neither says the method is unknown nor is -32602 (-32603 warns)",
            reference,
        ));
    }
    checks.extend_from_slice(&FIXED[1..]);
    checks.sort_by_key(|check| SCENARIOS.iter().position(|s| *s == check.scenario));
    checks
});
