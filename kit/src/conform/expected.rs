//! The expected-failures file: failures a team knows about and has not fixed yet, so that
//! CI stays green on them and goes red on anything new — and on an entry that no longer
//! fails (stale), so that the file shrinks as the peer gets fixed.
//!
//! Format: one entry a line; `#` starts a comment (the text after it is kept as the
//! entry's reason); blank lines are ignored. An entry is either
//! - a check id (it has a dot: `pagination.full-pages`, `method.thread/start`): that check
//!   may fail; it is stale when it passes or warns;
//! - a scenario name (no dot: `interrupt`): every check of that scenario may fail; it is
//!   stale when none of them fails and at least one passes.
//!
//! A skipped check proves nothing either way: its entry is neither used nor stale.

use std::path::Path;

use super::check::{Check, CheckResult, Status};

/// One entry of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The check id or scenario name.
    pub id: String,
    /// The comment on its line, if any.
    pub reason: Option<String>,
    /// Where it is: `FILE:LINE`.
    pub place: String,
}

/// An entry that no longer matches a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The entry.
    pub entry: Entry,
    /// Why it is stale.
    pub why: String,
}

/// Reads and checks the file: every entry must name a check or a scenario of `catalogue`.
pub fn load(path: &Path, catalogue: &[Check]) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    parse(&text, &path.display().to_string(), catalogue)
}

/// Parses the text of a file named `name`.
pub fn parse(text: &str, name: &str, catalogue: &[Check]) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let place = format!("{name}:{}", index + 1);
        let (entry, comment) = match line.split_once('#') {
            Some((entry, comment)) => (entry.trim(), Some(comment.trim().to_owned())),
            None => (line.trim(), None),
        };
        if entry.is_empty() {
            continue;
        }
        if entry.contains(char::is_whitespace) {
            return Err(format!(
                "{place}: expected one check id or scenario name, found `{entry}` (put reasons after `#`)"
            ));
        }
        let known = catalogue.iter().any(|c| c.id == entry || c.scenario == entry);
        if !known {
            return Err(format!(
                "{place}: `{entry}` is no check id or scenario name of this run (see `--format json` for the ids)"
            ));
        }
        let reason = comment.filter(|c| !c.is_empty());
        entries.push(Entry { id: entry.to_owned(), reason, place });
    }
    Ok(entries)
}

/// Marks the failures the entries expect, and returns the stale entries.
pub fn apply(entries: &[Entry], results: &mut [CheckResult]) -> Vec<Stale> {
    let mut stale = Vec::new();
    for entry in entries {
        let is_check = entry.id.contains('.');
        let covered = |r: &CheckResult| {
            if is_check { r.check.id == entry.id } else { r.check.scenario == entry.id }
        };
        let mut failed = false;
        let mut evaluated = false;
        for result in results.iter_mut().filter(|r| covered(r)) {
            evaluated |= result.status != Status::Skip;
            if result.status == Status::Fail {
                result.expected_failure = true;
                failed = true;
            }
        }
        if evaluated && !failed {
            let what = if is_check { "the check" } else { "every check of the scenario" };
            let why = format!("{what} no longer fails: remove the entry");
            stale.push(Stale { entry: entry.clone(), why });
        }
    }
    stale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conform::check::Recorder;

    const CHECKS: &[Check] = &[
        Check { id: "a.one", scenario: "a", description: "", reference: "" },
        Check { id: "a.two", scenario: "a", description: "", reference: "" },
        Check { id: "b.one", scenario: "b", description: "", reference: "" },
    ];

    #[test]
    fn bad_entries_say_where_and_what_was_expected() {
        let err = parse("a.one\n\nnope # why\n", "x.txt", CHECKS).unwrap_err();
        assert_eq!(
            err,
            "x.txt:3: `nope` is no check id or scenario name of this run (see `--format json` for the ids)"
        );
        let err = parse("a.one because\n", "x.txt", CHECKS).unwrap_err();
        assert!(err.starts_with("x.txt:1: expected one check id or scenario name"), "{err}");
    }

    #[test]
    fn listed_failures_are_expected_and_passing_entries_stale() {
        let mut recorder = Recorder::new();
        recorder.fail("a.one", "a", "bad", None);
        recorder.pass("a.two");
        recorder.pass("b.one");
        let mut results = recorder.results(CHECKS);
        let entries = parse("a.one # known\nb # fixed since\n", "f", CHECKS).unwrap();
        assert_eq!(entries[0].reason.as_deref(), Some("known"));
        let stale = apply(&entries, &mut results);
        assert!(results[0].expected_failure && !results[1].expected_failure);
        assert_eq!(stale.len(), 1);
        assert_eq!((stale[0].entry.id.as_str(), stale[0].entry.place.as_str()), ("b", "f:2"));
    }
}
