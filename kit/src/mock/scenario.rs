//! Scenario files (`--scenario FILE`): what a turn streams, in which order, with which
//! delays, which approvals it asks and what follows each decision. A scenario replaces the
//! prompt-driven turns (see `prompt.rs`) for every turn; `kit/scenarios/demo.jsonl` is the
//! demo turn the mock played by default before it followed the prompt
//! ([`Scenario::demo`]).
//!
//! # Format
//!
//! JSON Lines: one step per line, played in order; blank lines and lines starting with `#`
//! are skipped. Every step is an object with a `type` and, optionally, `delayMs`: the pause
//! before the step (scaled by `--speed`). The types:
//!
//! | `type` | members | what the client gets |
//! |---|---|---|
//! | `agentMessage` | `text`, `deltaDelayMs`?, `fixedPace`? (`true`: the deltas keep their pace whatever `--speed`) | `item/started`, one `item/agentMessage/delta` per word, `item/completed` |
//! | `reasoning` | `summary`, `deltaDelayMs`? | `item/started`, `item/reasoning/summaryPartAdded`, a `item/reasoning/summaryTextDelta` per word, `item/completed` |
//! | `command` | `command`, `cwd`?, `output` (list of chunks), `exitCode`? (0), `deltaDelayMs`?, `approval`? | `item/started`; with `approval`, the server request `item/commandExecution/requestApproval`; then (accepted, or no approval) one `item/commandExecution/outputDelta` per chunk and `item/completed` (`completed`, or `failed` for a non-zero exit code); declined: `item/completed` with status `declined` |
//! | `fileChange` | `path`, `diff`, `kind`? (`add`, `delete`, `update`: the default), `approval`? | `item/started`; with `approval`, `item/fileChange/requestApproval`; `item/completed` (`completed` or `declined`); when applied, `turn/diff/updated` with every diff of the turn so far |
//! | `error` | `message`, `willRetry`, `codexErrorInfo`? (`other`) | `willRetry: true`: an `error` notification, and the turn goes on; `false`: an `error` notification, and the turn ends `failed` with this error |
//! | `notification` | `method`, `params` | that server notification as it is (checked against the contract when the file is read) |
//! | `wait` | — | nothing: only the pause of `delayMs` |
//!
//! `approval` is an object: `reason`? (shown to the user), `onAccept`? and `onDecline`?
//! (lists of steps played after that decision, before the rest of the file). `accept`,
//! `acceptForSession` and `acceptWithExecpolicyAmendment` accept; `decline` declines;
//! `cancel` declines the item and interrupts the turn. An approval is asked even when the
//! thread's approval policy is `never` (the scenario says so).
//!
//! The turn always starts with `turn/started` and the user's message as a `userMessage`
//! item, and ends with `turn/completed` (`completed`, `interrupted` after `turn/interrupt` or
//! a `cancel` decision, `failed` after an `error` step with `willRetry: false`).
//! `kit/scenarios/approval.jsonl` is an example.

use std::fmt;
use std::path::Path;

use app_server_protocol::v2::CodexErrorInfo;
use app_server_protocol::{
    DecodeLimits, PendingRequests, ServerMessage, decode_server_message_with,
};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A turn's script: its steps in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The steps, played in order.
    pub steps: Vec<Step>,
}

/// One step of a scenario, with the pause before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The pause before the step, in milliseconds (before `--speed` scaling).
    pub delay_ms: u64,
    /// What the step does.
    pub action: Action,
}

/// What a step does; see the [module docs](self) for the wire it produces.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// An agent message streamed word by word.
    #[serde(rename_all = "camelCase")]
    AgentMessage {
        /// The whole message.
        text: String,
        /// The pause between deltas.
        #[serde(default)]
        delta_delay_ms: u64,
        /// Keeps the pause between deltas whatever `--speed` says (the stand-in model's
        /// `SLOW` answer: time to interrupt the turn, also at `--speed 0`).
        #[serde(default)]
        fixed_pace: bool,
    },
    /// A reasoning summary streamed word by word.
    #[serde(rename_all = "camelCase")]
    Reasoning {
        /// The whole summary.
        summary: String,
        /// The pause between deltas.
        #[serde(default)]
        delta_delay_ms: u64,
    },
    /// A command execution, with its output and optionally an approval first.
    #[serde(rename_all = "camelCase")]
    Command {
        /// The command line.
        command: String,
        /// Its working directory (the thread's when absent).
        #[serde(default)]
        cwd: Option<String>,
        /// Its output, one delta per chunk.
        #[serde(default)]
        output: Vec<String>,
        /// Its exit code.
        #[serde(default)]
        exit_code: i32,
        /// The pause between output deltas.
        #[serde(default)]
        delta_delay_ms: u64,
        /// The approval to ask first, if any.
        #[serde(default)]
        approval: Option<Approval>,
    },
    /// A file change, optionally approved first.
    #[serde(rename_all = "camelCase")]
    FileChange {
        /// The file.
        path: String,
        /// Its unified diff.
        diff: String,
        /// `add`, `delete` or `update`.
        #[serde(default)]
        kind: ChangeKind,
        /// The approval to ask first, if any.
        #[serde(default)]
        approval: Option<Approval>,
    },
    /// An `error` notification; `willRetry: false` ends the turn as failed.
    #[serde(rename_all = "camelCase")]
    Error {
        /// The error message.
        message: String,
        /// Whether the turn goes on.
        will_retry: bool,
        /// What kind of error (`other` when absent), in v2's spelling.
        #[serde(default)]
        codex_error_info: Option<CodexErrorInfo>,
    },
    /// Any server notification, sent as it is.
    Notification {
        /// Its method.
        method: String,
        /// Its params.
        #[serde(default)]
        params: Value,
    },
    /// Only the pause.
    Wait {},
}

/// The kind of a scripted file change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// A new file.
    Add,
    /// A removed file.
    Delete,
    /// A changed file.
    #[default]
    Update,
}

/// An approval a step asks for, and what follows each decision.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Approval {
    /// Why the agent asks.
    #[serde(default)]
    pub reason: Option<String>,
    /// Steps played after an accepting decision.
    #[serde(default)]
    pub on_accept: Vec<Step>,
    /// Steps played after `decline`.
    #[serde(default)]
    pub on_decline: Vec<Step>,
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut object = serde_json::Map::deserialize(deserializer)?;
        let delay_ms = match object.remove("delayMs") {
            None => 0,
            Some(delay) => delay.as_u64().ok_or_else(|| {
                D::Error::custom(format!(
                    "`delayMs` must be a whole number of milliseconds, found {delay}"
                ))
            })?,
        };
        let action = Action::deserialize(Value::Object(object)).map_err(D::Error::custom)?;
        Ok(Step { delay_ms, action })
    }
}

/// Why a scenario file was refused: the file, the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (as given).
    pub file: String,
    /// The line (from 1), 0 when the file could not be read.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Reads a scenario file; see the [module docs](self) for the format.
    pub fn read(path: &Path) -> Result<Scenario, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ScenarioError {
            file: file.clone(),
            line: 0,
            message: error.to_string(),
        })?;
        Scenario::parse(&text).map_err(|(line, message)| ScenarioError { file, line, message })
    }

    /// Parses a scenario's text; an error names the line (from 1) and what is wrong.
    pub fn parse(text: &str) -> Result<Scenario, (usize, String)> {
        let mut steps = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let step: Step =
                serde_json::from_str(line).map_err(|error| (index + 1, error.to_string()))?;
            check_step(&step).map_err(|message| (index + 1, message))?;
            steps.push(step);
        }
        if steps.is_empty() {
            return Err((0, "a scenario needs at least one step".to_owned()));
        }
        Ok(Scenario { steps })
    }

    /// The demo turn (`kit/scenarios/demo.jsonl`): reasoning, a message, a command that asks
    /// for approval (declined: the agent says it will not run it), two file changes (the
    /// turn diff grows) and a closing message, whatever the prompt.
    pub fn demo() -> Scenario {
        match Scenario::parse(DEMO) {
            Ok(scenario) => scenario,
            Err((line, message)) => {
                // Checked by a test; an empty turn rather than a panic if it ever breaks.
                eprintln!("app-server-kit: the demo scenario is invalid at line {line}: {message}");
                Scenario { steps: Vec::new() }
            }
        }
    }
}

/// Checks what serde cannot: a `notification` step must be a server notification the
/// contract accepts.
fn check_step(step: &Step) -> Result<(), String> {
    match &step.action {
        Action::Notification { method, params } => {
            let line = serde_json::json!({ "method": method, "params": params }).to_string();
            let mut pending = PendingRequests::new();
            match decode_server_message_with(&line, &mut pending, &DecodeLimits::default()) {
                Ok(ServerMessage::Notification(_)) => Ok(()),
                Ok(_) => Err(format!("{method:?} is not a server notification")),
                Err(error) => Err(format!("notification {method:?}: {error}")),
            }
        }
        Action::Command { approval: Some(approval), .. }
        | Action::FileChange { approval: Some(approval), .. } => {
            approval.on_accept.iter().chain(&approval.on_decline).try_for_each(check_step)
        }
        _ => Ok(()),
    }
}

/// The demo turn, in the scenario format.
const DEMO: &str = include_str!("../../scenarios/demo.jsonl");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_and_the_example_scenarios_parse() {
        assert!(Scenario::parse(DEMO).unwrap().steps.len() >= 5);
        let example = include_str!("../../scenarios/approval.jsonl");
        assert!(!Scenario::parse(example).unwrap().steps.is_empty());
    }

    #[test]
    fn bad_steps_name_their_line() {
        let (line, message) =
            Scenario::parse("# a comment\n{\"type\":\"wait\"}\n{\"type\":\"agentMesage\"}\n")
                .unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("unknown variant `agentMesage`"), "{message}");
        let (line, message) = Scenario::parse(
            "{\"type\":\"notification\",\"method\":\"turn/started\",\"params\":{}}",
        )
        .unwrap_err();
        assert_eq!(line, 1);
        assert!(message.contains("threadId"), "{message}");
        let (_, message) = Scenario::parse("{\"type\":\"wait\",\"delayMs\":-1}").unwrap_err();
        assert!(message.contains("delayMs"), "{message}");
        let (_, message) = Scenario::parse("{\"type\":\"wait\",\"colour\":1}").unwrap_err();
        assert!(message.contains("colour"), "{message}");
    }
}
