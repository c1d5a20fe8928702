//! The report for people: a line per check grouped by scenario, the findings under each
//! check that did not pass, the stale entries, and the summary line.

use std::fmt::Write;

use super::Report;
use crate::conform::check::{CheckResult, Status};

/// Renders `report` as text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "conform {} against `{}`", report.subject, report.target);
    for scenario in report.scenarios() {
        let _ = writeln!(out, "\n{scenario}");
        for result in report.results.iter().filter(|r| r.check.scenario == scenario) {
            render_result(&mut out, result);
        }
    }
    for stale in &report.stale {
        let _ = writeln!(out, "\nSTALE {} ({}): {}", stale.entry.id, stale.entry.place, stale.why);
    }
    let _ = writeln!(out, "\n{}", report.summary_line());
    out
}

fn render_result(out: &mut String, result: &CheckResult) {
    let label = match (result.status, result.expected_failure) {
        (Status::Fail, true) => "XFAIL",
        (Status::Fail, false) => "FAIL ",
        (Status::Warn, _) => "WARN ",
        (Status::Skip, _) => "skip ",
        (Status::Pass, _) => "pass ",
    };
    let check = &result.check;
    let _ = writeln!(out, "  {label} {}: {}", check.id, check.description);
    if result.status == Status::Pass {
        return;
    }
    let _ = writeln!(out, "        see {}", check.reference);
    for finding in &result.findings {
        let _ = writeln!(out, "        - [{}] {}", finding.scenario, finding.message);
        if let Some(line) = &finding.line {
            let _ = writeln!(out, "          line: {line}");
        }
    }
    if result.more_findings > 0 {
        let _ = writeln!(out, "        … and {} more", result.more_findings);
    }
}
