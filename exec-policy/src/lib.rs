//! A prefix-rule command policy, with the caller's fallback for commands no rule covers and
//! the rule for offering an exec-policy amendment (C8): the behaviour a server implements
//! before it sends `item/commandExecution/requestApproval`.
//!
//! This is behaviour, not contract: it lives beside the wire contract (`app-server-protocol`)
//! so that a fix here needs no new release of the contract. It needs no wire type from it
//! either, and does not depend on it: the amendment it proposes is a plain argv
//! (`Vec<String>`), which is what `proposedExecpolicyAmendment` carries on the wire.
//!
//! # Rules and decisions
//!
//! A [`PrefixRule`] is a command prefix (`["git", "add"]`) with a [`Decision`]: `Allow`,
//! `Prompt` (ask the user) or `Forbidden`. A rule matches a command whose first words equal
//! its prefix, word for word (`git add -A` matches `["git", "add"]`; `git` alone does not).
//! When several rules match, the strictest decision wins. Words are compared as the shell
//! passes them (quotes and escapes removed) and literally otherwise: `/usr/bin/git` is not
//! `git`, and command runners such as `env`, `sudo`, `time` or `xargs` are the command
//! itself (give them rules of their own, or let the fallback judge them).
//!
//! # Evaluating a command line
//!
//! [`Policy::evaluate_script`] splits the command line into its simple commands with a real
//! shell parser (see [`parse`]: `&&`, `||`, `;`, `|`, quotes, escapes, subshells,
//! redirections; `bash -lc "…"` wrappers are unwrapped and their script parsed in turn), then
//! decides each one:
//!
//! - a command some rule matches gets the rule's decision;
//! - a command no rule matches goes to the caller-supplied fallback (the server's heuristics,
//!   e.g. "is this a known read-only command?"), whose decision it gets;
//! - a command that writes to a file through a redirection is at least `Prompt` (the rule or
//!   heuristic judged the command, not where its output goes);
//! - a piece the parser cannot read statically (expansions, control flow, …), or a script
//!   that does not parse at all, is `Prompt`: the policy refuses to guess.
//!
//! The overall decision is the strictest of the parts. So `apple | rm -rf ./` with `apple`
//! allowed still asks: `rm -rf ./` has no rule, and the fallback flags it.
//!
//! [`Policy::evaluate_argv`] does the same for a command given as an argv (what the shell tool
//! receives): a shell wrapper's script is parsed, any other argv is one command.
//!
//! # The amendment offer
//!
//! The approval request may propose a prefix the user can allow from now on
//! (`proposedExecpolicyAmendment`, answered with `acceptWithExecpolicyAmendment`).
//! [`Evaluation::proposed_amendment`] holds it, and follows the rule: only when the command
//! line is a single command (no `&&`, `||`, `;`, `|` chain, nothing unreadable, no file
//! redirection) that no existing rule matches — and not one the fallback forbids. The
//! proposed prefix is that command's whole argv. Add an accepted amendment with
//! [`Policy::add_amendment`].
//!
//! # Example
//!
//! ```
//! use app_server_exec_policy::{Decision, Policy, PrefixRule};
//!
//! let policy = Policy::from_rules([
//!     PrefixRule::new(["apple"], Decision::Allow),
//!     PrefixRule::new(["git", "status"], Decision::Allow),
//!     PrefixRule::new(["git", "push"], Decision::Forbidden),
//! ])?;
//! // The server's heuristics for commands without a rule: here, everything asks.
//! let fallback = |_argv: &[String]| Decision::Prompt;
//!
//! let piped = policy.evaluate_script("apple | rm -rf ./", fallback);
//! assert_eq!(piped.decision, Decision::Prompt);
//! assert_eq!(piped.proposed_amendment, None); // a pipeline: no offer
//!
//! assert_eq!(policy.evaluate_script("git status && apple", fallback).decision, Decision::Allow);
//! assert_eq!(
//!     policy.evaluate_script(r#"bash -lc "git status; git push --force""#, fallback).decision,
//!     Decision::Forbidden,
//! );
//!
//! let single = policy.evaluate_script("cargo test -p app", fallback);
//! assert_eq!(single.decision, Decision::Prompt);
//! assert_eq!(
//!     single.proposed_amendment,
//!     Some(vec!["cargo".to_string(), "test".into(), "-p".into(), "app".into()]),
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod parse;

use std::fmt;

use parse::{ParsedCommand, ScriptPart, parse_script, shell_wrapper_script};

/// How deeply `bash -lc "bash -lc …"` wrappers are unwrapped before giving up (`Prompt`).
const MAX_WRAPPER_DEPTH: usize = 4;

/// What to do with a command. Ordered from most to least permissive, so the strictest of
/// several decisions is their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// Run it without asking.
    Allow,
    /// Ask the user first.
    Prompt,
    /// Never run it.
    Forbidden,
}

impl Decision {
    /// The stricter of two decisions.
    pub fn strictest(self, other: Decision) -> Decision {
        self.max(other)
    }
}

/// A rule: commands starting with `prefix` get `decision`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrefixRule {
    /// The leading words a command must have, e.g. `["git", "add"]`. Never empty in a
    /// [`Policy`].
    pub prefix: Vec<String>,
    /// What to do with a matching command.
    pub decision: Decision,
}

impl PrefixRule {
    /// A rule from its prefix words and decision.
    pub fn new<I, S>(prefix: I, decision: Decision) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        PrefixRule { prefix: prefix.into_iter().map(Into::into).collect(), decision }
    }

    /// Whether `argv` starts with this rule's prefix, word for word.
    pub fn matches(&self, argv: &[String]) -> bool {
        argv.starts_with(&self.prefix)
    }
}

/// Why a rule cannot be added to a [`Policy`].
///
/// Non-exhaustive: a later version may add reasons, so a `match` needs a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// The rule's prefix is empty; it would match every command.
    EmptyPrefix,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::EmptyPrefix => f.write_str("a prefix rule needs at least one word"),
        }
    }
}

impl std::error::Error for PolicyError {}

/// A set of prefix rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    rules: Vec<PrefixRule>,
}

/// The decision of one part of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartEvaluation {
    /// A simple command, decided by a rule or by the fallback.
    Command {
        /// The command's words.
        argv: Vec<String>,
        /// Its decision.
        decision: Decision,
        /// The strictest rule matching it; `None` when the fallback decided.
        matched_rule: Option<PrefixRule>,
        /// Whether it writes to a file through a redirection (which makes it at least
        /// `Prompt`).
        writes_files: bool,
    },
    /// A piece the parser could not read (or a script that does not parse): `Prompt`.
    Unreadable {
        /// The piece's text.
        text: String,
        /// Why it could not be read.
        reason: String,
    },
}

impl PartEvaluation {
    /// This part's decision (`Prompt` for an unreadable part).
    pub fn decision(&self) -> Decision {
        match self {
            PartEvaluation::Command { decision, .. } => *decision,
            PartEvaluation::Unreadable { .. } => Decision::Prompt,
        }
    }
}

/// The policy's verdict on a whole command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The strictest decision of the parts (`Prompt` when there is nothing to run).
    pub decision: Decision,
    /// Every part, in source order (wrappers' scripts inlined).
    pub parts: Vec<PartEvaluation>,
    /// The prefix to propose as `proposedExecpolicyAmendment`, per the offer rule of the
    /// module docs; never empty.
    pub proposed_amendment: Option<Vec<String>>,
}

impl Policy {
    /// An empty policy: every command goes to the fallback.
    pub fn new() -> Self {
        Policy::default()
    }

    /// A policy holding `rules`; fails on a rule with an empty prefix.
    pub fn from_rules<I>(rules: I) -> Result<Self, PolicyError>
    where
        I: IntoIterator<Item = PrefixRule>,
    {
        let mut policy = Policy::new();
        for rule in rules {
            policy.add_rule(rule)?;
        }
        Ok(policy)
    }

    /// Adds a rule; fails when its prefix is empty.
    pub fn add_rule(&mut self, rule: PrefixRule) -> Result<(), PolicyError> {
        if rule.prefix.is_empty() {
            return Err(PolicyError::EmptyPrefix);
        }
        self.rules.push(rule);
        Ok(())
    }

    /// Adds the `Allow` rule an accepted `acceptWithExecpolicyAmendment` asks for.
    pub fn add_amendment(&mut self, prefix: Vec<String>) -> Result<(), PolicyError> {
        self.add_rule(PrefixRule { prefix, decision: Decision::Allow })
    }

    /// The rules, in the order they were added.
    pub fn rules(&self) -> &[PrefixRule] {
        &self.rules
    }

    /// The strictest rule matching `argv` (the longest prefix among equally strict ones);
    /// `None` when no rule matches.
    pub fn matching_rule(&self, argv: &[String]) -> Option<&PrefixRule> {
        self.rules
            .iter()
            .filter(|rule| rule.matches(argv))
            .max_by_key(|rule| (rule.decision, rule.prefix.len()))
    }

    /// Evaluates a command line as the user would type it; see the module docs.
    /// `fallback` decides the commands no rule matches.
    pub fn evaluate_script<F>(&self, script: &str, mut fallback: F) -> Evaluation
    where
        F: FnMut(&[String]) -> Decision,
    {
        let mut parts = Vec::new();
        self.script_parts(script, &mut fallback, 0, &mut parts);
        self.conclude(parts)
    }

    /// Evaluates a command given as an argv; a shell wrapper (`bash -lc "<script>"`) is
    /// evaluated as its script, any other argv as one command.
    pub fn evaluate_argv<F>(&self, argv: &[String], mut fallback: F) -> Evaluation
    where
        F: FnMut(&[String]) -> Decision,
    {
        let mut parts = Vec::new();
        let command = ParsedCommand { argv: argv.to_vec(), writes_files: false };
        self.command_part(command, &mut fallback, 0, &mut parts);
        self.conclude(parts)
    }

    fn conclude(&self, parts: Vec<PartEvaluation>) -> Evaluation {
        let decision = if parts.is_empty() {
            Decision::Prompt
        } else {
            parts.iter().map(PartEvaluation::decision).fold(Decision::Allow, Decision::strictest)
        };
        let proposed_amendment = match parts.as_slice() {
            [
                PartEvaluation::Command { argv, decision, matched_rule: None, writes_files: false },
            ] if !argv.is_empty() && *decision != Decision::Forbidden => Some(argv.clone()),
            _ => None,
        };
        Evaluation { decision, parts, proposed_amendment }
    }

    fn script_parts<F>(
        &self,
        script: &str,
        fallback: &mut F,
        depth: usize,
        out: &mut Vec<PartEvaluation>,
    ) where
        F: FnMut(&[String]) -> Decision,
    {
        match parse_script(script) {
            Ok(parts) => {
                for part in parts {
                    match part {
                        ScriptPart::Command(command) => {
                            self.command_part(command, fallback, depth, out);
                        }
                        ScriptPart::Opaque { text, reason } => {
                            out.push(PartEvaluation::Unreadable { text, reason });
                        }
                    }
                }
            }
            Err(error) => out.push(PartEvaluation::Unreadable {
                text: script.to_owned(),
                reason: error.to_string(),
            }),
        }
    }

    fn command_part<F>(
        &self,
        command: ParsedCommand,
        fallback: &mut F,
        depth: usize,
        out: &mut Vec<PartEvaluation>,
    ) where
        F: FnMut(&[String]) -> Decision,
    {
        if let Some(script) = shell_wrapper_script(&command.argv) {
            if depth >= MAX_WRAPPER_DEPTH {
                out.push(PartEvaluation::Unreadable {
                    text: script.to_owned(),
                    reason: "shell wrappers nested too deeply".to_owned(),
                });
                return;
            }
            let start = out.len();
            self.script_parts(script, fallback, depth + 1, out);
            if command.writes_files {
                for part in &mut out[start..] {
                    if let PartEvaluation::Command { decision, writes_files, .. } = part {
                        *writes_files = true;
                        *decision = (*decision).strictest(Decision::Prompt);
                    }
                }
            }
            return;
        }
        if command.argv.is_empty() {
            out.push(PartEvaluation::Unreadable {
                text: String::new(),
                reason: "an empty command".to_owned(),
            });
            return;
        }
        let matched_rule = self.matching_rule(&command.argv).cloned();
        let mut decision = match &matched_rule {
            Some(rule) => rule.decision,
            None => fallback(&command.argv),
        };
        if command.writes_files {
            decision = decision.strictest(Decision::Prompt);
        }
        out.push(PartEvaluation::Command {
            argv: command.argv,
            decision,
            matched_rule,
            writes_files: command.writes_files,
        });
    }
}
