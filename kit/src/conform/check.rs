//! What a conformance run is made of: checks with stable ids, the scenarios that evaluate
//! them, and what each check found (its status and the offending lines).

use std::collections::{BTreeMap, HashMap};

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

/// What a check came to (and how much a finding weighs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Evaluated, and the peer keeps the rule.
    Pass,
    /// A finding only: what a newer peer may send and a receiver passes over (a
    /// notification the contract does not know). It leaves its check passing.
    Info,
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
            Status::Info => "info",
            Status::Skip => "skip",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One thing a check found: why it failed, warned or was skipped, with the line at fault.
/// The same finding found again (same status, scenario, message and line) is counted, not
/// repeated.
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
    /// How many times it was found (1 unless the peer repeated itself).
    pub count: usize,
}

/// How many distinct findings a check keeps in memory; past that they are only counted. It is
/// no cap of the report — a real peer comes nowhere near it — but the bound that keeps a
/// flooding peer that varies every line from filling the kit's memory.
pub const MAX_FINDINGS: usize = 100_000;

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
    /// Every distinct finding, in the order found (up to [`MAX_FINDINGS`]).
    pub findings: Vec<Finding>,
    /// Distinct findings past [`MAX_FINDINGS`], only counted.
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
    /// Where each distinct finding is in `findings`.
    index: HashMap<(Status, &'static str, String, Option<String>), usize>,
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
    /// and does not count as an evaluation); one found before is counted again.
    pub fn finding(&mut self, id: &'static str, finding: Finding) {
        let entry = self.entries.entry(id).or_default();
        if finding.status != Status::Skip {
            entry.evaluated = true;
        }
        let key = (finding.status, finding.scenario, finding.message.clone(), finding.line.clone());
        if let Some(&at) = entry.index.get(&key) {
            entry.findings[at].count += finding.count;
        } else if entry.findings.len() < MAX_FINDINGS {
            entry.index.insert(key, entry.findings.len());
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

    /// Records information on `id` found in `scenario`: it leaves the check passing.
    pub fn inform(
        &mut self,
        id: &'static str,
        scenario: &'static str,
        message: impl Into<String>,
        line: Option<&str>,
    ) {
        self.finding(id, Finding::new(Status::Info, scenario, message, line));
    }

    /// Records why `id` was not evaluated, unless it already was or a reason is recorded.
    pub fn skip(&mut self, id: &'static str, scenario: &'static str, why: impl Into<String>) {
        let entry = self.entries.get(id);
        if entry.is_some_and(|e| e.evaluated || e.findings.iter().any(|f| f.status == Status::Skip))
        {
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
        let weighs = |s: &Status| !matches!(s, Status::Skip | Status::Info);
        let worst = entry.findings.iter().map(|f| f.status).filter(weighs).max();
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
        Finding { status, message: message.into(), line: line.map(cut_line), scenario, count: 1 }
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
    fn every_finding_is_kept_repeats_counted_and_lines_cut() {
        let mut recorder = Recorder::new();
        for i in 0..50 {
            recorder.fail("a.b", "a", format!("bad {i}"), Some(&"x".repeat(1000)));
            recorder.fail("a.b", "a", "again", None);
        }
        recorder.inform("a.b", "a", "new", None);
        let result = recorder.results(&[CHECK]).remove(0);
        assert_eq!((result.findings.len(), result.more_findings), (52, 0));
        assert_eq!(result.findings[1].count, 50, "the repeated finding is counted");
        assert!(result.findings[0].line.as_deref().unwrap().ends_with("(1000 bytes in all)"));
        assert_eq!(result.status, Status::Fail);
    }

    #[test]
    fn information_leaves_a_check_passing() {
        let mut recorder = Recorder::new();
        recorder.pass("a.b");
        recorder.inform("a.b", "a", "a notification the contract does not know", None);
        let result = recorder.results(&[CHECK]).remove(0);
        assert_eq!((result.status, result.findings.len()), (Status::Pass, 1));
    }
}
