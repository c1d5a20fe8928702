//! The report: Markdown text for people (and the committed `compat/report-<version>.md`),
//! JSON for tooling. Changes are grouped by verdict — breaking, accepted, unknown, safe —
//! each group in discovery order (method table first, then payloads in table order). Each
//! change shows its reason from `compat/allow.toml` when it has one, and the method paths
//! that reach it (Markdown shows the first [`SHOWN_PATHS`], JSON all).

use serde_json::{Value, json};

use super::rules::Verdict;
use super::{ALLOW_FILE, Change, Outcome};

/// How many paths a change lists in Markdown before "and N more".
pub const SHOWN_PATHS: usize = 8;

const GROUPS: &[(Verdict, &str, &str)] = &[
    (Verdict::Breaking, "Breaking", "Not listed in `compat/allow.toml`: the check fails."),
    (
        Verdict::Accepted,
        "Accepted",
        "Breaking or unknown, listed in `compat/allow.toml` with the reason shown.",
    ),
    (
        Verdict::Unknown,
        "Unknown",
        "The check cannot judge these; list them in `compat/allow.toml` once a person has.",
    ),
    (
        Verdict::Safe,
        "Safe",
        "A peer built against the baseline is not affected. Deliberate changes carry their reason from `compat/allow.toml`.",
    ),
];

/// The Markdown report.
pub fn text(outcome: &Outcome) -> String {
    let version = &outcome.version;
    let mut out = String::new();
    out.push_str(&format!("# Compatibility of the current surface with baseline {version}\n\n"));
    out.push_str(&format!(
        "Printed by `cargo xtask compat --baseline {version}` (`--write-report` writes this file); do not edit.\n"
    ));
    out.push_str(&format!("Baseline folder `{}`: {}.\n\n", outcome.dir, outcome.source));
    out.push_str(
        "Each line: kind (direction) `where`: what changed. `where` is the place relative to the nearest named type \
         or the method (what `compat/allow.toml` matches); the direction is the one the changed data travels in \
         (client → server: what the server receives; server → client: what it sends); `via` lists the paths from \
         the methods that reach it, one per method; `reason` is the entry of `compat/allow.toml` that lists the change.\n\n",
    );
    out.push_str(&format!(
        "{} changes: {} breaking, {} accepted, {} unknown, {} safe.\n",
        outcome.changes.len(),
        outcome.count(Verdict::Breaking),
        outcome.count(Verdict::Accepted),
        outcome.count(Verdict::Unknown),
        outcome.count(Verdict::Safe)
    ));
    for (verdict, title, note) in GROUPS {
        let group: Vec<&Change> =
            outcome.changes.iter().filter(|c| c.verdict == *verdict).collect();
        out.push_str(&format!("\n## {title} ({})\n\n", group.len()));
        if group.is_empty() {
            out.push_str("None.\n");
            continue;
        }
        out.push_str(&format!("{note}\n\n"));
        for change in group {
            line(&mut out, change);
        }
    }
    if !outcome.stale.is_empty() {
        out.push_str(&format!(
            "\n## Stale allow entries ({})\n\nThey are the first match of no change: remove them.\n\n",
            outcome.stale.len()
        ));
        for entry in &outcome.stale {
            out.push_str(&format!(
                "- {ALLOW_FILE} line {}: `{}` `{}` ({})\n",
                entry.line, entry.kind, entry.at, entry.reason
            ));
        }
    }
    out
}

/// One change: its line, its paths, its reason.
fn line(out: &mut String, change: &Change) {
    out.push_str(&format!(
        "- `{}` ({}) `{}`: {}\n",
        change.kind, change.direction, change.at, change.detail
    ));
    if !change.is_table() {
        for path in change.paths.iter().take(SHOWN_PATHS) {
            out.push_str(&format!("  - via `{path}`\n"));
        }
        if change.paths.len() > SHOWN_PATHS {
            out.push_str(&format!("  - and {} more\n", change.paths.len() - SHOWN_PATHS));
        }
    }
    if let Some(reason) = &change.reason {
        out.push_str(&format!("  - reason: {reason}\n"));
    }
}

/// The JSON report; `stale_report` when the committed Markdown report is not what the
/// command prints now.
pub fn json(outcome: &Outcome, stale_report: bool) -> Value {
    json!({
        "baseline": { "version": outcome.version, "source": outcome.source, "dir": outcome.dir },
        "summary": {
            "changes": outcome.changes.len(),
            "breaking": outcome.count(Verdict::Breaking),
            "accepted": outcome.count(Verdict::Accepted),
            "unknown": outcome.count(Verdict::Unknown),
            "safe": outcome.count(Verdict::Safe),
            "withReason": outcome.changes.iter().filter(|c| c.reason.is_some()).count(),
            "failing": outcome.failing(),
            "staleAllowEntries": outcome.stale.len(),
            "staleReport": stale_report,
            "exitCode": outcome.status(stale_report).code(),
        },
        "changes": outcome.changes.iter().map(|c| json!({
            "verdict": c.verdict.as_str(),
            "kind": c.kind.as_str(),
            "direction": c.direction.as_str(),
            "at": c.at,
            "paths": c.paths,
            "detail": c.detail,
            "reason": c.reason,
        })).collect::<Vec<_>>(),
        "staleAllowEntries": outcome.stale.iter().map(|e| json!({
            "line": e.line,
            "kind": e.kind.as_str(),
            "at": e.at,
            "direction": e.direction.map(|d| d.as_str()),
            "reason": e.reason,
        })).collect::<Vec<_>>(),
    })
}

/// The text of a JSON report, its `summary` first (so that `| head` shows it), a final
/// newline.
pub fn json_text(report: &Value) -> String {
    #[derive(serde::Serialize)]
    struct SummaryFirst<'a> {
        summary: &'a Value,
        #[serde(flatten)]
        rest: serde_json::Map<String, Value>,
    }
    let mut rest = report.as_object().cloned().unwrap_or_default();
    let summary = rest.remove("summary").unwrap_or(Value::Null);
    let mut text = serde_json::to_string_pretty(&SummaryFirst { summary: &summary, rest })
        .expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// The JSON of a run that could not compare.
pub fn json_error(error: &str) -> Value {
    json!({ "error": error, "summary": { "exitCode": super::Status::CouldNotRun.code() } })
}
