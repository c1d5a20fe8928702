//! The report for tools: one JSON document.
//!
//! `{"subject", "target", "checks": [{"id", "scenario", "description", "reference",
//! "status", "expectedFailure", "findings": [{"status", "scenario", "message", "line", "count"}],
//! "moreFindings"}], "staleExpectedFailures": [{"entry", "place", "reason", "why"}],
//! "summary": {"passed", "failed", "expectedFailures", "warnings", "skipped", "exitCode"}}`.

use serde_json::{Value, json};

use super::Report;
use crate::conform::check::CheckResult;

/// Renders `report` as a JSON value.
pub fn render(report: &Report) -> Value {
    let counts = report.counts();
    let stale: Vec<Value> = report
        .stale
        .iter()
        .map(|s| {
            json!({ "entry": s.entry.id, "place": s.entry.place, "reason": s.entry.reason, "why": s.why })
        })
        .collect();
    json!({
        "subject": report.subject,
        "target": report.target,
        "checks": report.results.iter().map(check).collect::<Vec<_>>(),
        "staleExpectedFailures": stale,
        "summary": {
            "passed": counts.passed,
            "failed": counts.failed,
            "expectedFailures": counts.expected,
            "warnings": counts.warned,
            "skipped": counts.skipped,
            "exitCode": report.exit_code(),
        },
    })
}

fn check(result: &CheckResult) -> Value {
    let findings: Vec<Value> = result
        .findings
        .iter()
        .map(|f| {
            json!({ "status": f.status.as_str(), "scenario": f.scenario, "message": f.message, "line": f.line, "count": f.count })
        })
        .collect();
    json!({
        "id": result.check.id,
        "scenario": result.check.scenario,
        "description": result.check.description,
        "reference": result.check.reference,
        "status": result.status.as_str(),
        "expectedFailure": result.expected_failure,
        "findings": findings,
        "moreFindings": result.more_findings,
    })
}
