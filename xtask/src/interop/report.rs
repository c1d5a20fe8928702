//! What a release's run found: per session pass or fail, the lines counted by what became of
//! them, the findings held against the deviation list, and the report printed from it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::deviations::{Deviation, Finding, Matched, Sender, Severity, match_findings};

/// How many unlisted findings are printed per release (the transcripts hold them all).
const SHOWN_UNLISTED: usize = 60;

/// The lines of transcripts, by what became of them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Every line (message) of the transcripts.
    pub lines: usize,
    /// Lines that keep their sender's contract (warnings aside).
    pub decoded: usize,
    /// The server's lines with a method our decoder does not know (-32601): passed through.
    pub unknown: usize,
    /// Other lines that break the contract: each must be on the deviation list.
    pub deviating: usize,
    /// The harness's deliberate bad requests (probes).
    pub probes: usize,
    /// Warnings of the validator (broken invariants, members the contract does not know,
    /// requests never answered).
    pub warnings: usize,
    /// Information of the validator other than unknown notifications (values of open types
    /// the contract does not know: a client takes them).
    pub information: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.lines += other.lines;
        self.decoded += other.decoded;
        self.unknown += other.unknown;
        self.deviating += other.deviating;
        self.probes += other.probes;
        self.warnings += other.warnings;
        self.information += other.information;
    }
}

/// Reads the validator's findings of one transcript of `messages` lines: counts the lines and
/// returns the findings to hold against the deviation list (those about the probes' own lines,
/// which are bad on purpose, are only counted).
pub fn classify(
    session: &str,
    messages: usize,
    texts: Vec<String>,
    probe_lines: &[usize],
) -> (Counts, Vec<Finding>) {
    let mut unknown = BTreeSet::new();
    let mut deviating = BTreeSet::new();
    let mut probes = BTreeSet::new();
    let mut counts = Counts { lines: messages, ..Counts::default() };
    let mut findings = Vec::new();
    for text in texts {
        let finding = Finding::from_validator(session, text);
        let line = finding.line;
        if finding.is_unknown_method() {
            unknown.insert(line);
        } else if finding.severity == Severity::Warning {
            counts.warnings += 1;
        } else if finding.severity == Severity::Information {
            counts.information += 1;
        } else if finding.sender == Some(Sender::Client)
            && line.is_some_and(|l| probe_lines.contains(&l))
        {
            probes.insert(line);
            continue;
        } else {
            deviating.insert(line);
        }
        findings.push(finding);
    }
    counts.unknown = unknown.len();
    counts.deviating = deviating.difference(&unknown).count();
    counts.probes = probes.len();
    counts.decoded = messages.saturating_sub(counts.unknown + counts.deviating + counts.probes);
    (counts, findings)
}

/// One session's outcome.
#[derive(Debug, Default)]
pub struct SessionResult {
    /// Its name.
    pub name: String,
    /// Its transcript.
    pub transcript: PathBuf,
    /// Why it stopped, when it did not run to its end.
    pub error: Option<String>,
    /// Its lines, counted.
    pub counts: Counts,
    /// The validator's findings and its failed checks.
    pub findings: Vec<Finding>,
    /// What it wants said (codes it got, …).
    pub notes: Vec<String>,
    /// Its temporary folder, when kept.
    pub kept: Option<PathBuf>,
    /// The transcript lines of its probes (bad on purpose).
    pub probe_lines: Vec<usize>,
    /// Notifications the decoder refused, every one of which reached the client's stream as
    /// an invalid item (the session fails otherwise).
    pub refused: usize,
}

/// A release's outcome.
#[derive(Debug)]
pub struct ReleaseResult {
    /// The release.
    pub version: String,
    /// Its sessions, in the order they ran.
    pub sessions: Vec<SessionResult>,
    /// Its deviation list.
    pub deviations: Vec<Deviation>,
    /// Whether every session ran (stale entries are judged only then).
    pub complete: bool,
    matched: Matched,
    findings: Vec<Finding>,
}

impl ReleaseResult {
    /// Holds the findings of every session against the deviation list.
    pub fn new(
        version: &str,
        sessions: Vec<SessionResult>,
        deviations: Vec<Deviation>,
        complete: bool,
    ) -> Self {
        let findings: Vec<Finding> =
            sessions.iter().flat_map(|s| s.findings.iter().cloned()).collect();
        let matched = match_findings(&deviations, &findings);
        ReleaseResult {
            version: version.to_owned(),
            sessions,
            deviations,
            complete,
            matched,
            findings,
        }
    }

    /// The lines of every session, counted.
    pub fn counts(&self) -> Counts {
        let mut total = Counts::default();
        for session in &self.sessions {
            total.add(session.counts);
        }
        total
    }

    /// The findings no entry covers.
    pub fn unlisted(&self) -> Vec<&Finding> {
        self.matched.unlisted(&self.findings)
    }

    /// The entries that cover no finding (judged only when every session ran).
    pub fn stale(&self) -> Vec<&Deviation> {
        if self.complete { self.matched.stale(&self.deviations) } else { Vec::new() }
    }

    /// Whether session `name` passed: it ran to its end and each of its findings is listed.
    pub fn session_passed(&self, session: &SessionResult) -> bool {
        session.error.is_none() && self.unlisted().iter().all(|f| f.session != session.name)
    }

    /// Whether the release passed: every session, no stale entry.
    pub fn passed(&self) -> bool {
        self.sessions.iter().all(|s| self.session_passed(s)) && self.stale().is_empty()
    }

    /// The report, as printed.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let passed = self.sessions.iter().filter(|s| self.session_passed(s)).count();
        let _ = writeln!(
            out,
            "== {}: {passed} of {} sessions passed",
            self.version,
            self.sessions.len()
        );
        for session in &self.sessions {
            let verdict = if self.session_passed(session) { "pass" } else { "FAIL" };
            let _ = writeln!(
                out,
                "  {verdict} {:<20} {:>4} lines  {}",
                session.name,
                session.counts.lines,
                session.transcript.display()
            );
            if let Some(error) = &session.error {
                let _ = writeln!(out, "       stopped: {error}");
            }
            for note in &session.notes {
                let _ = writeln!(out, "       {note}");
            }
            if let Some(kept) = &session.kept {
                let _ = writeln!(out, "       kept: {}", kept.display());
            }
        }
        let c = self.counts();
        let unlisted = self.unlisted();
        // Every line off the contract is on the deviation list unless something is unlisted.
        let listed = if unlisted.is_empty() { "on the deviation list" } else { "off the contract" };
        let _ = writeln!(
            out,
            "  lines: {} — {} decoded, {} passed through as unknown, {} {listed}; {} deliberate bad requests; {} warnings (broken invariants, members the contract does not know); {} information (values of open types it does not know)",
            c.lines, c.decoded, c.unknown, c.deviating, c.probes, c.warnings, c.information
        );
        let refused: usize = self.sessions.iter().map(|session| session.refused).sum();
        let _ = writeln!(
            out,
            "  refused notifications: {refused}, each handed on to the client's stream as an invalid item"
        );
        let _ = writeln!(out, "  deviations ({} entries):", self.deviations.len());
        for (deviation, count) in self.deviations.iter().zip(&self.matched.counts) {
            let _ = writeln!(out, "    {:<40} ×{count}", deviation.id);
        }
        if !unlisted.is_empty() {
            let _ = writeln!(out, "  FAIL: {} findings not on the deviation list:", unlisted.len());
            let groups = group(&unlisted);
            for kind in groups.iter().take(SHOWN_UNLISTED) {
                let _ = writeln!(
                    out,
                    "    {} [×{} in {}]",
                    kind.first.text,
                    kind.count,
                    kind.sessions.join(", ")
                );
            }
            if groups.len() > SHOWN_UNLISTED {
                let _ = writeln!(
                    out,
                    "    … and {} more kinds (see the transcripts)",
                    groups.len() - SHOWN_UNLISTED
                );
            }
        }
        for deviation in self.stale() {
            let _ = writeln!(
                out,
                "  FAIL: stale deviation `{}` (line {}): it matches no finding — the release no longer differs there; remove it",
                deviation.id, deviation.line
            );
        }
        if !self.complete {
            let _ = writeln!(out, "  (not every session ran: stale entries are not judged)");
        }
        out
    }
}

/// A kind of finding: the first of its kind, how many there are, in which sessions.
struct Kind<'f> {
    first: &'f Finding,
    count: usize,
    sessions: Vec<&'f str>,
}

/// Findings that differ only in their session and line number, folded into kinds, in the
/// order first seen.
fn group<'f>(findings: &[&'f Finding]) -> Vec<Kind<'f>> {
    let key = |f: &Finding| -> String {
        let text = f.text.strip_prefix(&format!("session `{}`: ", f.session)).unwrap_or(&f.text);
        match text.strip_prefix("line ").and_then(|rest| rest.split_once(": ")) {
            Some((_, rest)) => rest.to_owned(),
            None => text.to_owned(),
        }
    };
    let mut kinds: Vec<(String, Kind<'f>)> = Vec::new();
    for finding in findings {
        let finding: &'f Finding = finding;
        let k = key(finding);
        match kinds.iter_mut().find(|(seen, _)| *seen == k) {
            Some((_, kind)) => {
                kind.count += 1;
                if !kind.sessions.contains(&finding.session.as_str()) {
                    kind.sessions.push(&finding.session);
                }
            }
            None => {
                kinds.push((k, Kind { first: finding, count: 1, sessions: vec![&finding.session] }))
            }
        }
    }
    kinds.into_iter().map(|(_, kind)| kind).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::deviations::parse;

    fn texts(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| (*l).to_owned()).collect()
    }

    const UNKNOWN: &str = "line 3: information: `thread/tokenUsage/updated` is a notification the contract does not know (a newer server's); a client passes it through";
    const REFUSED_UNKNOWN: &str = "line 8: server → `thread/tokenUsage/updated` at `method`: unknown notification method `thread/tokenUsage/updated` (code -32601)";
    const MEMBERS: &str = "line 6: warning in `thread/start`: member(s) the output contract does not know: `result.thread.cwd` (…)";
    const MISSING: &str = "line 4: server → `turn/completed` at `params.threadId`: missing required member `threadId` (code -32602)";
    const WARNING: &str = "line 5: warning in `turn/completed`: turn `0` has `\"status\": \"failed\"` but `\"error\": null`";
    const PROBE: &str =
        "line 7: client → `no/such` at `method`: unknown request method `no/such` (code -32601)";

    #[test]
    fn counts_lines_by_what_became_of_them() {
        let all = [UNKNOWN, MISSING, WARNING, PROBE, MEMBERS, REFUSED_UNKNOWN];
        let (counts, findings) = classify("s", 10, texts(&all), &[7]);
        assert_eq!(
            counts,
            Counts {
                lines: 10,
                decoded: 6,
                unknown: 2,
                deviating: 1,
                probes: 1,
                warnings: 2,
                information: 0
            }
        );
        // The probe's own line is bad on purpose: counted, not held against the list.
        assert_eq!(findings.len(), 5);
        assert!(findings.iter().all(|f| f.line != Some(7)));

        // A client line that is not a probe is a finding like any other.
        let (counts, findings) = classify("s", 10, texts(&[PROBE]), &[]);
        assert_eq!((counts.deviating, counts.probes, findings.len()), (1, 0, 1));
    }

    fn session(name: &str, findings: &[&str], error: Option<&str>) -> SessionResult {
        let (counts, findings) = classify(name, 10, texts(findings), &[]);
        SessionResult {
            name: name.into(),
            counts,
            findings,
            error: error.map(Into::into),
            ..Default::default()
        }
    }

    const LIST: &str = r#"
[[deviation]]
id = "token-usage"
method = "thread/tokenUsage/updated"
match = "a notification the contract does not know"
reason = "r"

[[deviation]]
id = "c12"
method = "turn/completed"
match = "missing required member `threadId`"
reason = "r"
"#;

    #[test]
    fn a_release_passes_when_every_finding_is_listed_and_no_entry_is_stale() {
        let sessions =
            vec![session("a", &[UNKNOWN], None), session("b", &[MISSING, WARNING], None)];
        let release = ReleaseResult::new("0.66.0", sessions, parse(LIST).unwrap(), true);
        // The warning is listed by nothing: session b fails, a passes.
        assert_eq!(release.unlisted().len(), 1);
        assert!(release.session_passed(&release.sessions[0]));
        assert!(!release.session_passed(&release.sessions[1]));
        assert!(!release.passed());
        let report = release.render();
        assert!(report.contains("== 0.66.0: 1 of 2 sessions passed"), "{report}");
        assert!(report.contains(&format!("    {WARNING} [×1 in b]")), "{report}");
        assert!(report.contains("FAIL: 1 findings not on the deviation list"), "{report}");
        assert!(report.contains("lines: 20 — 18 decoded, 1 passed through as unknown, 1 off the contract; 0 deliberate bad requests; 1 warnings (broken invariants, members the contract does not know); 0 information"), "{report}");

        let sessions = vec![session("a", &[UNKNOWN], None), session("b", &[MISSING], None)];
        let release = ReleaseResult::new("0.66.0", sessions, parse(LIST).unwrap(), true);
        assert!(release.passed(), "{}", release.render());
        assert!(release.render().contains(", 1 on the deviation list;"));
    }

    #[test]
    fn unlisted_findings_are_folded_by_kind() {
        let other_line = UNKNOWN.replace("line 3:", "line 9:");
        let (_, mut findings) = classify("a", 10, texts(&[UNKNOWN, MISSING, &other_line]), &[]);
        let (_, more) = classify("b", 10, texts(&[UNKNOWN]), &[]);
        findings.extend(more);
        let refs: Vec<&Finding> = findings.iter().collect();
        let kinds = group(&refs);
        assert_eq!(kinds.len(), 2);
        assert_eq!(
            (kinds[0].first.line, kinds[0].count, kinds[0].sessions.clone()),
            (Some(3), 3, vec!["a", "b"])
        );
        assert_eq!((kinds[1].first.line, kinds[1].count), (Some(4), 1));
    }

    #[test]
    fn a_stale_entry_fails_the_release_when_every_session_ran() {
        let sessions = vec![session("a", &[UNKNOWN], None)];
        let release = ReleaseResult::new("0.66.0", sessions, parse(LIST).unwrap(), true);
        assert_eq!(release.stale().len(), 1);
        assert!(!release.passed());
        assert!(release.render().contains("stale deviation `c12`"));

        let sessions = vec![session("a", &[UNKNOWN], None)];
        let partial = ReleaseResult::new("0.66.0", sessions, parse(LIST).unwrap(), false);
        assert!(partial.passed(), "only some sessions ran: staleness is not judged");
    }

    #[test]
    fn a_session_that_stopped_fails() {
        let sessions =
            vec![session("a", &[UNKNOWN], Some("no answer")), session("b", &[MISSING], None)];
        let release = ReleaseResult::new("0.66.0", sessions, parse(LIST).unwrap(), true);
        assert!(!release.session_passed(&release.sessions[0]));
        assert!(!release.passed());
        assert!(release.render().contains("stopped: no answer"));
    }
}
