//! Findings and the known deviations of a release (`interop/<version>/deviations.toml`).
//!
//! A finding is what the validator said about a line of a session's transcript, or a check of
//! a session that the release did not meet. Every finding of a release must be matched by an
//! entry of its deviation file (its `method`, when the entry names one, and the `match`
//! substring of the finding's text); every entry must match at least one finding, or it is
//! stale. Both fail the suite: the list says exactly how each release differs from the
//! contract, no more and no less.

use std::path::Path;

use super::releases::string_tables;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// A line that does not keep its sender's contract, or a failed session check.
    Error,
    /// A warning of the validator (a broken invariant, requests never answered).
    Warning,
    /// What the validator notes a receiver passes over: a notification or members the
    /// contract does not know (a newer server's).
    Information,
}

/// Who sent the line a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The client (the harness).
    Client,
    /// The server (the release).
    Server,
}

/// One thing a release did that the contract does not describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The session it was found in.
    pub session: String,
    /// The line of the session's transcript, for a finding of the validator.
    pub line: Option<usize>,
    /// Who sent that line, when the finding says.
    pub sender: Option<Sender>,
    /// Error or warning.
    pub severity: Severity,
    /// The method the finding is about, when it names one.
    pub method: Option<String>,
    /// The finding as printed.
    pub text: String,
}

impl Finding {
    /// Reads a finding of `cargo xtask validate` (`line 12: server → \`turn/completed\` at …`,
    /// `line 3: warning in \`thread/start\`: …`, `end: 1 request(s) were never answered: …`).
    pub fn from_validator(session: &str, text: String) -> Finding {
        let (line, rest) = match text.strip_prefix("line ").and_then(|rest| rest.split_once(": ")) {
            Some((number, rest)) => (number.parse().ok(), rest),
            None => (None, text.as_str()),
        };
        let backticked = |s: &str| s.split_once('`').map(|(name, _)| name.to_owned());
        let (severity, sender, method) = if let Some(rest) = rest.strip_prefix("warning in `") {
            (Severity::Warning, None, backticked(rest))
        } else if let Some(rest) =
            rest.strip_prefix("information in `").or_else(|| rest.strip_prefix("information: `"))
        {
            (Severity::Information, Some(Sender::Server), backticked(rest))
        } else if let Some(rest) = rest.strip_prefix("server → `") {
            (Severity::Error, Some(Sender::Server), backticked(rest))
        } else if let Some(rest) = rest.strip_prefix("client → `") {
            (Severity::Error, Some(Sender::Client), backticked(rest))
        } else if rest.starts_with("end: ") {
            (Severity::Warning, None, None)
        } else {
            (Severity::Error, None, None)
        };
        Finding { session: session.to_owned(), line, sender, severity, method, text }
    }

    /// A session check the release did not meet.
    pub fn check(session: &str, method: &str, text: String) -> Finding {
        Finding {
            session: session.to_owned(),
            line: None,
            sender: None,
            severity: Severity::Error,
            method: Some(method.to_owned()),
            text: format!("session `{session}`: {text}"),
        }
    }

    /// Whether the finding is a notification of the server's whose method the contract does
    /// not know: passed through as unknown rather than wrong (or, by a decoder that does not
    /// pass them through, refused -32601).
    pub fn is_unknown_method(&self) -> bool {
        match self.severity {
            Severity::Information => {
                self.text.contains("is a notification the contract does not know")
            }
            Severity::Error => {
                self.sender == Some(Sender::Server) && self.text.ends_with("(code -32601)")
            }
            Severity::Warning => false,
        }
    }
}

/// One entry of a deviation file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    /// A stable name, e.g. `c12-turn-completed-thread-id`.
    pub id: String,
    /// The method of the findings it covers: exact, or a prefix ending in `*`
    /// (`codex/event/*`); any method when absent.
    pub method: Option<String>,
    /// A substring of the text of the findings it covers.
    pub matches: String,
    /// Why the release differs.
    pub reason: String,
    /// The line of the entry in its file.
    pub line: usize,
}

impl Deviation {
    /// Whether this entry covers `finding`.
    pub fn covers(&self, finding: &Finding) -> bool {
        let method_fits = match (&self.method, &finding.method) {
            (None, _) => true,
            (Some(pattern), Some(method)) => match pattern.strip_suffix('*') {
                Some(prefix) => method.starts_with(prefix),
                None => pattern == method,
            },
            (Some(_), None) => false,
        };
        method_fits && finding.text.contains(&self.matches)
    }
}

/// Reads a deviation file; a missing file is an error (a release with no deviation has an
/// empty one).
pub fn load(path: &Path) -> Result<Vec<Deviation>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        format!(
            "{}: {err} (every release needs one; empty when it deviates in nothing)",
            path.display()
        )
    })?;
    parse(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// Parses the text of a deviation file. Errors start with the line number.
pub fn parse(text: &str) -> Result<Vec<Deviation>, String> {
    let tables = string_tables(text, "deviation", &["id", "method", "match", "reason"])?;
    let mut deviations: Vec<Deviation> = Vec::new();
    for table in tables {
        let id = table.required("id")?;
        if deviations.iter().any(|d| d.id == id) {
            return Err(format!("{}: id `{id}` is listed twice", table.line_of("id")));
        }
        deviations.push(Deviation {
            id,
            method: table.optional("method"),
            matches: table.required("match")?,
            reason: table.required("reason")?,
            line: table.line,
        });
    }
    Ok(deviations)
}

/// What matching found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Matched {
    /// For each entry (in file order), how many findings it covers.
    pub counts: Vec<usize>,
    /// For each finding (in order), the index of the entry covering it, if any.
    pub covered_by: Vec<Option<usize>>,
}

impl Matched {
    /// The findings no entry covers.
    pub fn unlisted<'f>(&self, findings: &'f [Finding]) -> Vec<&'f Finding> {
        findings
            .iter()
            .zip(&self.covered_by)
            .filter(|(_, by)| by.is_none())
            .map(|(f, _)| f)
            .collect()
    }

    /// The entries that cover no finding.
    pub fn stale<'d>(&self, deviations: &'d [Deviation]) -> Vec<&'d Deviation> {
        deviations.iter().zip(&self.counts).filter(|(_, n)| **n == 0).map(|(d, _)| d).collect()
    }
}

/// Gives each finding the first entry that covers it.
pub fn match_findings(deviations: &[Deviation], findings: &[Finding]) -> Matched {
    let mut counts = vec![0; deviations.len()];
    let covered_by = findings
        .iter()
        .map(|finding| {
            let index = deviations.iter().position(|d| d.covers(finding))?;
            counts[index] += 1;
            Some(index)
        })
        .collect();
    Matched { counts, covered_by }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[deviation]]
id = "c12-turn-completed-thread-id"
method = "turn/completed"
match = "missing required member `threadId`"
reason = "0.63 predates C12"

[[deviation]]
id = "legacy-event-stream"
method = "codex/event/*"
match = "unknown notification method"
reason = "0.63 and 0.66 send the legacy event stream"
"#;

    fn validator(text: &str) -> Finding {
        Finding::from_validator("v2-turn", text.to_owned())
    }

    #[test]
    fn reads_the_validators_findings() {
        let f = validator(
            "line 43: server → `turn/completed` at `params.threadId`: missing required member `threadId` (code -32602)",
        );
        assert_eq!(f.line, Some(43));
        assert_eq!(f.sender, Some(Sender::Server));
        assert_eq!(f.method.as_deref(), Some("turn/completed"));
        assert_eq!(f.severity, Severity::Error);
        assert!(!f.is_unknown_method());

        let f = validator(
            "line 5: server → `codex/event/task_started` at `method`: unknown notification method `codex/event/task_started` (code -32601)",
        );
        assert!(f.is_unknown_method());

        let f = validator(
            "line 6: warning in `thread/started`: member(s) the output contract does not know: `params.thread.cwd` (…)",
        );
        assert_eq!((f.line, f.severity), (Some(6), Severity::Warning));
        assert_eq!(f.method.as_deref(), Some("thread/started"));

        let f = validator(
            "line 9: client → `no/such` at `method`: unknown request method `no/such` (code -32601)",
        );
        assert_eq!(f.sender, Some(Sender::Client));
        assert!(!f.is_unknown_method());

        let f = validator(
            "line 41: information: `thread/tokenUsage/updated` is a notification the contract does not know (a newer server's); a client passes it through",
        );
        assert_eq!((f.line, f.severity), (Some(41), Severity::Information));
        assert_eq!(f.method.as_deref(), Some("thread/tokenUsage/updated"));
        assert!(f.is_unknown_method());

        let f = validator(
            "line 5: warning in `thread/start`: member(s) the output contract does not know: `result.thread.cwd` (…)",
        );
        assert_eq!((f.severity, f.method.as_deref()), (Severity::Warning, Some("thread/start")));
        assert!(!f.is_unknown_method());

        let f = validator(
            "end: 1 request(s) were never answered: server `execCommandApproval` id 0 (line 7)",
        );
        assert_eq!((f.line, f.severity, f.method), (None, Severity::Warning, None));

        let f = validator("line 2: not UTF-8: invalid byte 0xFF at byte offset 0");
        assert_eq!((f.line, f.severity, f.method), (Some(2), Severity::Error, None));
    }

    #[test]
    fn every_finding_must_be_listed_and_every_entry_must_match() {
        let deviations = parse(FILE).unwrap();
        let findings = vec![
            validator(
                "line 43: server → `turn/completed` at `params.threadId`: missing required member `threadId` (code -32602)",
            ),
            validator(
                "line 44: server → `codex/event/task_complete` at `method`: unknown notification method `codex/event/task_complete` (code -32601)",
            ),
            validator(
                "line 45: server → `codex/event/token_count` at `method`: unknown notification method `codex/event/token_count` (code -32601)",
            ),
            // Same text, another method: the first entry names its method, so it does not cover it.
            validator(
                "line 46: server → `item/started` at `params.threadId`: missing required member `threadId` (code -32602)",
            ),
        ];
        let matched = match_findings(&deviations, &findings);
        assert_eq!(matched.counts, [1, 2]);
        assert_eq!(matched.covered_by, [Some(0), Some(1), Some(1), None]);
        let unlisted = matched.unlisted(&findings);
        assert_eq!(unlisted.len(), 1);
        assert_eq!(unlisted[0].line, Some(46));
        assert!(matched.stale(&deviations).is_empty());

        // Without the legacy stream the second entry is stale.
        let matched = match_findings(&deviations, &findings[..1]);
        let stale: Vec<&str> = matched.stale(&deviations).iter().map(|d| d.id.as_str()).collect();
        assert_eq!(stale, ["legacy-event-stream"]);
    }

    #[test]
    fn session_checks_are_findings_too() {
        let deviations = parse(
            "[[deviation]]\nid = \"unknown-method-code\"\nmethod = \"no/such\"\nmatch = \"answered -32600\"\nreason = \"r\"\n",
        )
        .unwrap();
        let check = Finding::check(
            "v2-errors",
            "no/such",
            "`no/such` answered -32600 (…), the contract says -32601".into(),
        );
        assert_eq!(
            check.text,
            "session `v2-errors`: `no/such` answered -32600 (…), the contract says -32601"
        );
        assert_eq!(match_findings(&deviations, &[check]).counts, [1]);
    }

    #[test]
    fn an_entry_without_a_method_covers_any() {
        let deviations =
            parse("[[deviation]]\nid = \"a\"\nmatch = \"never answered\"\nreason = \"r\"\n")
                .unwrap();
        let finding = validator("end: 1 request(s) were never answered: …");
        assert_eq!(match_findings(&deviations, &[finding]).counts, [1]);
    }

    #[test]
    fn refuses_bad_files() {
        assert_eq!(parse(FILE).unwrap().len(), 2);
        assert_eq!(parse("").unwrap(), []);
        let twice =
            format!("{FILE}{}", &FILE[FILE.find("[[deviation]]\nid = \"legacy").unwrap()..]);
        assert!(parse(&twice).unwrap_err().contains("id `legacy-event-stream` is listed twice"));
        let no_reason = FILE.replace("reason = \"0.63 predates C12\"\n", "");
        assert_eq!(parse(&no_reason).unwrap_err(), "2: [[deviation]] has no `reason`");
        let empty = FILE.replace("match = \"unknown notification method\"", "match = \"\"");
        assert!(parse(&empty).unwrap_err().contains("`match` is empty"));
        assert!(
            parse("[[deviation]]\nid = \"a\"\nwhy = \"x\"")
                .unwrap_err()
                .contains("unknown key `why`")
        );
        let missing = load(Path::new("/nonexistent/deviations.toml")).unwrap_err();
        assert!(missing.contains("every release needs one"), "{missing}");
    }

    /// The README's table of deviations: per release column, the ids ticked.
    fn readme_table(readme: &str) -> Vec<(String, Vec<String>)> {
        let section =
            readme.split("## Interoperability").nth(1).expect("an Interoperability section");
        let section = section.split("\n## ").next().unwrap_or(section);
        let rows: Vec<Vec<&str>> = section
            .lines()
            .filter(|line| line.starts_with('|'))
            .map(|line| line.trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        let header = rows.iter().find(|row| row.first() == Some(&"deviation")).expect("its header");
        let mut columns: Vec<(String, Vec<String>)> =
            header[1..header.len() - 1].iter().map(|v| ((*v).to_owned(), Vec::new())).collect();
        for row in rows.iter().filter(|row| row.first().is_some_and(|c| c.starts_with('`'))) {
            for (i, (_, ids)) in columns.iter_mut().enumerate() {
                if row.get(i + 1) == Some(&"✓") {
                    ids.push(row[0].trim_matches('`').to_owned());
                }
            }
        }
        columns
    }

    #[test]
    fn the_readme_lists_every_deviation_of_every_release() {
        let root = crate::ci::workspace_root();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let table = readme_table(&readme);
        let releases = super::super::releases::load(&root.join("interop/releases.toml")).unwrap();
        let versions: Vec<&str> = table.iter().map(|(v, _)| v.as_str()).collect();
        let pinned: Vec<&str> = releases.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(versions, pinned, "the README's table has a column per pinned release");
        for (version, ticked) in &table {
            let file = root.join("interop").join(version).join("deviations.toml");
            let mut ids: Vec<String> = load(&file).unwrap().into_iter().map(|d| d.id).collect();
            let mut ticked = ticked.clone();
            ids.sort();
            ticked.sort();
            assert_eq!(
                ticked,
                ids,
                "README.md's deviation table, column {version}, against {}",
                file.display()
            );
        }
    }

    #[test]
    fn the_committed_files_parse() {
        let root = crate::ci::workspace_root();
        let path = root.join("interop/releases.toml");
        for release in super::super::releases::load(&path).unwrap() {
            let file = root.join("interop").join(&release.version).join("deviations.toml");
            load(&file).unwrap();
        }
    }
}
