//! The report of a conformance run, in three forms: a summary for people ([`human`]), one
//! JSON document for tools ([`json`]) and JUnit XML for CI ([`junit`]); and the exit code.

pub mod human;
pub mod json;
pub mod junit;

use crate::conform::check::{CheckResult, Status};
use crate::conform::expected::Stale;

/// Everything a run found.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was checked: `server` or `client`.
    pub subject: &'static str,
    /// The peer under test, in words (its command line or URL).
    pub target: String,
    /// Every check, in catalogue order.
    pub results: Vec<CheckResult>,
    /// Entries of the expected-failures file that no longer match a failure.
    pub stale: Vec<Stale>,
}

/// How many checks ended how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed, not counting expected failures.
    pub failed: usize,
    /// Failures the expected-failures file lists.
    pub expected: usize,
    /// Checks with warnings.
    pub warned: usize,
    /// Checks not evaluated.
    pub skipped: usize,
}

impl Report {
    /// The counts per outcome.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for result in &self.results {
            match result.status {
                Status::Pass | Status::Info => counts.passed += 1,
                Status::Fail if result.expected_failure => counts.expected += 1,
                Status::Fail => counts.failed += 1,
                Status::Warn => counts.warned += 1,
                Status::Skip => counts.skipped += 1,
            }
        }
        counts
    }

    /// 0 when nothing failed unexpectedly and no expected-failures entry is stale, else 1.
    pub fn exit_code(&self) -> u8 {
        let counts = self.counts();
        u8::from(counts.failed > 0 || !self.stale.is_empty())
    }

    /// The scenarios, in the order of their first check.
    pub fn scenarios(&self) -> Vec<&'static str> {
        let mut scenarios: Vec<&'static str> = Vec::new();
        for result in &self.results {
            if !scenarios.contains(&result.check.scenario) {
                scenarios.push(result.check.scenario);
            }
        }
        scenarios
    }

    /// The one-line summary: `conform server: 30 passed, 1 failed, …; exit 1`.
    pub fn summary_line(&self) -> String {
        let c = self.counts();
        format!(
            "conform {}: {} checks: {} passed, {} failed, {} expected failures, {} warnings, {} skipped; {} stale expected-failure entries; exit {}",
            self.subject,
            self.results.len(),
            c.passed,
            c.failed,
            c.expected,
            c.warned,
            c.skipped,
            self.stale.len(),
            self.exit_code()
        )
    }
}
