//! The report for people: a line per check grouped by scenario, the findings under each
//! check that did not pass (the first [`SHOWN`] of them; the JSON and JUnit reports carry
//! all), the information a passing check noted, counted, the stale entries, and the summary
//! line.

use std::fmt::Write;

use super::Report;
use crate::conform::check::{CheckResult, Status};

/// How many findings of one check the text report shows.
pub const SHOWN: usize = 12;

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
        (Status::Pass | Status::Info, _) => "pass ",
    };
    let check = &result.check;
    let _ = writeln!(out, "  {label} {}: {}", check.id, check.description);
    if matches!(result.status, Status::Pass | Status::Info) {
        if !result.findings.is_empty() {
            let noted: usize = result.findings.iter().map(|f| f.count).sum();
            let first = &result.findings[0].message;
            let _ = writeln!(out, "        ({noted} information notes, e.g. {first})");
        }
        return;
    }
    let _ = writeln!(out, "        see {}", check.reference);
    // The worst first: a failure is not buried under the warnings of the same check.
    let mut findings: Vec<_> = result.findings.iter().collect();
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.status));
    for finding in findings.into_iter().take(SHOWN) {
        let times =
            if finding.count > 1 { format!(" ({} times)", finding.count) } else { String::new() };
        let kind = match finding.status {
            Status::Warn if result.status == Status::Fail => "warning: ",
            Status::Info => "information: ",
            _ => "",
        };
        let _ = writeln!(out, "        - [{}] {kind}{}{times}", finding.scenario, finding.message);
        if let Some(line) = &finding.line {
            let _ = writeln!(out, "          line: {line}");
        }
    }
    let more = result.findings.len().saturating_sub(SHOWN) + result.more_findings;
    if more > 0 {
        let _ = writeln!(out, "        … and {more} more (`--format json` lists them all)");
    }
}
