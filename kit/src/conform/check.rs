//! What a conformance run is made of: checks with stable ids, the scenarios that evaluate
//! them, and what each check found (its status and the offending lines).

use std::collections::BTreeMap;

/// One rule of the contract the kit checks, named by a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// The stable id, `<area>.<rule>` (`pagination.full-pages`): what the reports, the
    /// expected-failures file and the tests name.
    pub id: &'static str,
    /// The scenario that evaluates it.
    pub scenario: &'static str,
    /// One line: what the check asserts.
    pub description: &'static str,
    /// The section of the contract it enforces: a repository file and a Markdown anchor
    /// (`generated/docs/API.md#threadlist`). A test resolves every reference.
    pub reference: &'static str,
}

/// What a check came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Evaluated, and the peer keeps the rule.
    Pass,
    /// Not evaluated: the scenario did not get there, or nothing exercised the rule.
    Skip,
    /// Evaluated; something is doubtful but not a breach (e.g. an internal error answer).
    Warn,
    /// Evaluated, and the peer breaks the rule.
    Fail,
}

impl Status {
    /// The status in the words of the reports: `pass`, `skip`, `warn`, `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Skip => "skip",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One thing a check found: why it failed, warned or was skipped, with the line at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The status this finding gives its check.
    pub status: Status,
    /// What was wrong and what was expected, in wire spelling.
    pub message: String,
    /// The offending line as it travelled (cut to a readable length), when there is one.
    pub line: Option<String>,
    /// The scenario in which it was found (checks every scenario evaluates, like the output
    /// contract, gather findings from all of them).
    pub scenario: &'static str,
}

/// How many findings a check keeps; the rest are only counted (a flooding peer must not
/// make the report, or the kit's memory, grow without bound).
pub const MAX_FINDINGS: usize = 20;

/// How much of an offending line a finding keeps.
pub const MAX_LINE_CHARS: usize = 400;

/// What one check came to in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The check.
    pub check: Check,
    /// Its status: the worst of its findings, `Pass` when it was evaluated and found nothing,
    /// `Skip` when it was never evaluated.
    pub status: Status,
    /// The first [`MAX_FINDINGS`] findings.
    pub findings: Vec<Finding>,
    /// Findings past the first [`MAX_FINDINGS`], only counted.
    pub more_findings: usize,
    /// Set when the expected-failures file lists this check (or its scenario) and the check
    /// failed: the failure does not fail the run.
    pub expected_failure: bool,
}

/// Collects what the checks of one run found, check by check.
#[derive(Debug, Default)]
pub struct Recorder {
    /// Per check id: whether it was evaluated, and its findings.
    entries: BTreeMap<&'static str, Entry>,
}

#[derive(Debug, Default)]
struct Entry {
    evaluated: bool,
    findings: Vec<Finding>,
    more: usize,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `id` was evaluated (a pass unless a finding says otherwise).
    pub fn pass(&mut self, id: &'static str) {
        self.entries.entry(id).or_default().evaluated = true;
    }

    /// Records a finding of `status` for `id` (a `Skip` finding says why it was not evaluated
    /// and does not count as an evaluation).
    pub fn finding(&mut self, id: &'static str, finding: Finding) {
        let entry = self.entries.entry(id).or_default();
        if finding.status != Status::Skip {
            entry.evaluated = true;
        }
        if entry.findings.len() < MAX_FINDINGS {
            entry.findings.push(finding);
        } else {
            entry.more += 1;
        }
    }

    /// Records a failure of `id` found in `scenario`, with the offending line if any.
    pub fn fail(
        &mut self,
        id: &'static str,
        scenario: &'static str,
        message: impl Into<String>,
        line: Option<&str>,
    ) {
        self.finding(id, Finding::new(Status::Fail, scenario, message, line));
    }

    /// Records a warning of `id` found in `scenario`.
    pub fn warn(
        &mut self,
        id: &'static str,
        scenario: &'static str,
        message: impl Into<String>,
        line: Option<&str>,
    ) {
        self.finding(id, Finding::new(Status::Warn, scenario, message, line));
    }

    /// Records why `id` was not evaluated, unless it already was.
    pub fn skip(&mut self, id: &'static str, scenario: &'static str, why: impl Into<String>) {
        if self.entries.get(id).is_some_and(|entry| entry.evaluated) {
            return;
        }
        self.finding(id, Finding::new(Status::Skip, scenario, why, None));
    }

    /// Moves everything `other` recorded into this recorder.
    pub fn absorb(&mut self, other: Recorder) {
        for (id, entry) in other.entries {
            if entry.evaluated {
                self.pass(id);
            }
            for finding in entry.findings {
                self.finding(id, finding);
            }
            self.entries.entry(id).or_default().more += entry.more;
        }
    }

    /// The result of every check of `catalogue`, in its order.
    pub fn results(mut self, catalogue: &[Check]) -> Vec<CheckResult> {
        catalogue.iter().map(|check| self.result(*check)).collect()
    }

    fn result(&mut self, check: Check) -> CheckResult {
        let entry = self.entries.remove(check.id).unwrap_or_default();
        let worst = entry.findings.iter().map(|f| f.status).filter(|s| *s != Status::Skip).max();
        let status = match (worst, entry.evaluated) {
            (Some(worst), _) => worst,
            (None, true) => Status::Pass,
            (None, false) => Status::Skip,
        };
        let mut findings = entry.findings;
        if status != Status::Skip {
            findings.retain(|finding| finding.status != Status::Skip);
        }
        CheckResult { check, status, findings, more_findings: entry.more, expected_failure: false }
    }
}

impl Finding {
    /// A finding; `line` is cut to [`MAX_LINE_CHARS`].
    pub fn new(
        status: Status,
        scenario: &'static str,
        message: impl Into<String>,
        line: Option<&str>,
    ) -> Self {
        Finding { status, message: message.into(), line: line.map(cut_line), scenario }
    }
}

/// A line cut to [`MAX_LINE_CHARS`] characters, with the length of what was left out.
pub fn cut_line(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        None => line.to_owned(),
        Some((at, _)) => format!("{}… ({} bytes in all)", &line[..at], line.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK: Check =
        Check { id: "a.b", scenario: "a", description: "d", reference: "README.md#x" };

    #[test]
    fn the_worst_finding_decides_and_skips_never_hide_an_evaluation() {
        let mut recorder = Recorder::new();
        recorder.skip("a.b", "a", "not reached");
        assert_eq!(Recorder::new().results(&[CHECK])[0].status, Status::Skip);
        recorder.pass("a.b");
        recorder.warn("a.b", "a", "odd", None);
        let result = recorder.results(&[CHECK]).remove(0);
        assert_eq!(result.status, Status::Warn);
        assert_eq!(result.findings.len(), 1, "the skip reason goes once it was evaluated");
    }

    #[test]
    fn findings_are_capped_and_lines_cut() {
        let mut recorder = Recorder::new();
        for _ in 0..MAX_FINDINGS + 5 {
            recorder.fail("a.b", "a", "bad", Some(&"x".repeat(1000)));
        }
        let result = recorder.results(&[CHECK]).remove(0);
        assert_eq!((result.findings.len(), result.more_findings), (MAX_FINDINGS, 5));
        assert!(result.findings[0].line.as_deref().unwrap().ends_with("(1000 bytes in all)"));
    }
}
