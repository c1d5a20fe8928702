//! The report for CI: JUnit XML, a `<testsuite>` per scenario and a `<testcase>` per check
//! (`classname` `conform.<subject>.<scenario>`, `name` the check id). A failure is a
//! `<failure>` with the findings; an expected failure and a skipped check are `<skipped>`; a
//! warning passes with its findings in `<system-out>`. Stale expected-failure entries are
//! failures of a suite of their own, `expected-failures`.

use std::fmt::Write;

use super::Report;
use crate::conform::check::{CheckResult, Status};

/// Renders `report` as a JUnit XML document.
pub fn render(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = report.counts();
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
        escape(&format!("app-server-kit conform {} {}", report.subject, report.target)),
        report.results.len() + report.stale.len(),
        counts.failed + report.stale.len(),
        counts.skipped + counts.expected
    );
    for scenario in report.scenarios() {
        let results: Vec<&CheckResult> =
            report.results.iter().filter(|r| r.check.scenario == scenario).collect();
        let failures = results.iter().filter(|r| is_failure(r)).count();
        let skipped = results.iter().filter(|r| is_skipped(r)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            escape(scenario),
            results.len()
        );
        for result in results {
            testcase(&mut out, report.subject, result);
        }
        out.push_str("  </testsuite>\n");
    }
    if !report.stale.is_empty() {
        let n = report.stale.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"expected-failures\" tests=\"{n}\" failures=\"{n}\" skipped=\"0\">"
        );
        for stale in &report.stale {
            let _ = writeln!(
                out,
                "    <testcase classname=\"conform.{}.expected-failures\" name=\"{}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                report.subject,
                escape(&stale.entry.id),
                escape(&stale.why),
                escape(&stale.entry.place)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn is_failure(result: &CheckResult) -> bool {
    result.status == Status::Fail && !result.expected_failure
}

fn is_skipped(result: &CheckResult) -> bool {
    result.status == Status::Skip || (result.status == Status::Fail && result.expected_failure)
}

fn testcase(out: &mut String, subject: &str, result: &CheckResult) {
    let check = &result.check;
    let _ = writeln!(
        out,
        "    <testcase classname=\"conform.{subject}.{}\" name=\"{}\">",
        escape(check.scenario),
        escape(check.id)
    );
    let details = details(result);
    let first = result.findings.first().map(|f| f.message.as_str()).unwrap_or(check.description);
    match result.status {
        Status::Fail if result.expected_failure => {
            let message = format!("expected failure: {first}");
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(&message));
        }
        Status::Fail => {
            let _ = writeln!(
                out,
                "      <failure message=\"{}\">{}</failure>",
                escape(first),
                escape(&details)
            );
        }
        Status::Skip => {
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(first));
        }
        Status::Warn => {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&details));
        }
        Status::Pass | Status::Info if !result.findings.is_empty() => {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&details));
        }
        Status::Pass | Status::Info => {}
    }
    out.push_str("    </testcase>\n");
}

/// The check's reference and findings, one a line.
fn details(result: &CheckResult) -> String {
    let mut text = format!("{}\nsee {}\n", result.check.description, result.check.reference);
    for finding in &result.findings {
        let times =
            if finding.count > 1 { format!(" ({} times)", finding.count) } else { String::new() };
        let _ = writeln!(
            text,
            "[{}] {}: {}{times}",
            finding.scenario,
            finding.status.as_str(),
            finding.message
        );
        if let Some(line) = &finding.line {
            let _ = writeln!(text, "  line: {line}");
        }
    }
    text
}

/// Escapes text for XML content and attribute values; characters XML 1.0 cannot carry
/// (control characters other than tab, newline, carriage return) become `?`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            ch if (ch as u32) < 0x20 || ch == '\u{fffe}' || ch == '\u{ffff}' => out.push('?'),
            ch => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;?\n"
        );
    }
}
