//! The report: Markdown text for people (and the committed `compat/report-<version>.md`),
//! JSON for tooling. Changes are grouped by verdict — breaking, accepted, unknown, safe —
//! each group in discovery order (method table first, then payloads in table order).

use serde_json::{Value, json};

use super::Change;
use super::allow::Entry;
use super::rules::Verdict;

/// What the report is about.
pub struct Header<'a> {
    pub version: &'a str,
    pub source: &'a str,
    pub dir: &'a str,
}

const GROUPS: &[(Verdict, &str, &str)] = &[
    (Verdict::Breaking, "Breaking", "Not listed in `compat/allow.toml`: the check fails."),
    (
        Verdict::Accepted,
        "Accepted",
        "Breaking or unknown, accepted in `compat/allow.toml` with the reason shown.",
    ),
    (
        Verdict::Unknown,
        "Unknown",
        "The check cannot judge these; list them in `compat/allow.toml` once a person has.",
    ),
    (Verdict::Safe, "Safe", "A peer built against the baseline is not affected."),
];

fn count(changes: &[Change], verdict: Verdict) -> usize {
    changes.iter().filter(|c| c.verdict == verdict).count()
}

/// The Markdown report.
pub fn text(header: &Header<'_>, changes: &[Change], unused: &[&Entry]) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Compatibility of the current surface with baseline {}\n\n",
        header.version
    ));
    out.push_str(&format!(
        "Printed by `cargo xtask compat --baseline {}` (`--write-report` writes this file); do not edit.\n",
        header.version
    ));
    out.push_str(&format!("Baseline folder `{}`: {}.\n\n", header.dir, header.source));
    out.push_str(
        "Each line: kind (flow) `where`: what changed. `where` is the place relative to the nearest named type \
         (what `compat/allow.toml` matches); `via` is the first path from a method that reaches it. \
         Flow: input = what the server receives, output = what it sends.\n\n",
    );
    out.push_str(&format!(
        "{} changes: {} breaking, {} accepted, {} unknown, {} safe.\n",
        changes.len(),
        count(changes, Verdict::Breaking),
        count(changes, Verdict::Accepted),
        count(changes, Verdict::Unknown),
        count(changes, Verdict::Safe)
    ));
    for (verdict, title, note) in GROUPS {
        let group: Vec<&Change> = changes.iter().filter(|c| c.verdict == *verdict).collect();
        out.push_str(&format!("\n## {title} ({})\n\n", group.len()));
        if group.is_empty() {
            out.push_str("None.\n");
            continue;
        }
        out.push_str(&format!("{note}\n\n"));
        for change in group {
            let flow = change.flow.map_or(String::new(), |f| format!(" ({})", f.as_str()));
            out.push_str(&format!(
                "- `{}`{flow} `{}`: {}\n",
                change.kind, change.at, change.detail
            ));
            if change.flow.is_some() {
                out.push_str(&format!("  - via `{}`\n", change.path));
            }
            if let Some(reason) = &change.reason {
                out.push_str(&format!("  - accepted: {reason}\n"));
            }
        }
    }
    if !unused.is_empty() {
        out.push_str(&format!("\n## Unused allow entries ({})\n\nThey match no breaking or unknown change: remove them.\n\n", unused.len()));
        for entry in unused {
            out.push_str(&format!(
                "- line {}: `{}` `{}` ({})\n",
                entry.line, entry.kind, entry.at, entry.reason
            ));
        }
    }
    out
}

/// The JSON report.
pub fn json(header: &Header<'_>, changes: &[Change], unused: &[&Entry]) -> Value {
    json!({
        "baseline": { "version": header.version, "source": header.source, "dir": header.dir },
        "summary": {
            "changes": changes.len(),
            "breaking": count(changes, Verdict::Breaking),
            "accepted": count(changes, Verdict::Accepted),
            "unknown": count(changes, Verdict::Unknown),
            "safe": count(changes, Verdict::Safe),
            "unusedAllowEntries": unused.len(),
        },
        "changes": changes.iter().map(|c| json!({
            "verdict": c.verdict.as_str(),
            "kind": c.kind.as_str(),
            "flow": c.flow.map(|f| f.as_str()),
            "at": c.at,
            "path": c.path,
            "detail": c.detail,
            "reason": c.reason,
        })).collect::<Vec<_>>(),
        "unusedAllowEntries": unused.iter().map(|e| json!({
            "line": e.line,
            "kind": e.kind.as_str(),
            "at": e.at,
            "reason": e.reason,
        })).collect::<Vec<_>>(),
    })
}
