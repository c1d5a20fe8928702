//! Scenario files (`--scenario FILE`): rules checked in order before the built-in script.
//!
//! # Format
//!
//! JSON Lines: one rule per line, an object; blank lines and lines starting with `#` are
//! skipped. A rule says which requests it answers and what it answers with. The first rule
//! that matches a request answers it; when none does, the built-in script does (see
//! [`script`](super::script)).
//!
//! Which requests (all optional):
//!
//! | member | what |
//! |---|---|
//! | `on` | `"turn"` (the default: the last input item is a user message — the first request of a turn, or a retry of it), `"followUp"` (the last item is a tool's output), `"other"` (anything else), `"any"` |
//! | `contains`, `startsWith`, `equals`, `glob` | at most one: the text must contain / start with / equal this string, or match this glob (`*` any characters, `?` one) as a whole; case-sensitive. The text is the user's message (`turn`), the tool's output (`followUp`), or the last message (`other`). None: any text |
//! | `tool` | with `on` `"followUp"` or `"any"`: the output must be of a call of this tool (`shell`, `apply_patch`, …) |
//! | `times` | answers at most this many requests, then is skipped (e.g. `1` with a `status` of 500: the first try fails, the server's retry goes on to the next rules) |
//! | `name` | the rule's name in the request log (`scenario:LINE` by default) |
//!
//! What it answers with — a stream (any of `reasoning`, `text`, `call`, streamed in that
//! order) or an HTTP error (`status`):
//!
//! | member | what |
//! |---|---|
//! | `reasoning` | a reasoning summary: a string (streamed a word per delta) or a list of strings (the deltas) |
//! | `text` | an assistant message: a string (a word per delta) or a list of strings (the deltas) |
//! | `call` | a tool call: `{"name": "shell", "arguments": {…}, "callId"?: "…"}`; `arguments` an object (sent as its JSON text) or a string (sent as it is, even when it is not JSON) |
//! | `deltaDelayMs` | the pause before each delta but the first, in milliseconds |
//! | `disconnect` | `true`: the stream ends without `response.completed` |
//! | `status` | an HTTP status 400–599 instead of a stream, with `body` (a string, or any JSON value sent as its text; by default an `{"error": {…}}` object) |
//! | `delayMs` | the pause before the answer starts, in milliseconds |
//!
//! Delays are at most 600 000 ms. Example (`kit/scenarios/model.jsonl` has more):
//!
//! ```text
//! # A build question gets reasoning, a word-by-word answer, then runs the build.
//! {"contains":"build","reasoning":"Checking the build.","text":"I'll run the build.","call":{"name":"shell","arguments":{"command":["bash","-lc","make"],"workdir":null,"timeout_ms":10000}}}
//! {"on":"followUp","tool":"shell","contains":"rejected","text":"Understood, I won't run it."}
//! {"startsWith":"flaky","times":1,"status":503,"body":{"error":{"message":"try again"}}}
//! ```
//!
//! A bad file is refused with its line and what was expected:
//! ``rules.jsonl:3: `text`: expected a string or a non-empty list of strings, found 5``.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};

use super::http::error_body;
use super::script::{Answer, Reply, StreamAnswer, ToolCall, Turn, builtin, word_deltas};
pub use crate::mock::scenario::ScenarioError;

/// The longest delay a rule may ask for.
pub const MAX_DELAY_MS: u64 = 600_000;

/// What the stand-in answers: scenario rules, then the built-in script.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// The rules, checked in order.
    pub rules: Vec<Rule>,
    /// The pause between the deltas of the built-in `SLOW` answer (1 s by default).
    pub slow_delay: Duration,
}

impl Default for Script {
    fn default() -> Self {
        Script { rules: Vec::new(), slow_delay: Duration::from_secs(1) }
    }
}

/// One rule: which requests, and the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The name in the request log.
    pub name: String,
    /// Which kind of request.
    pub on: On,
    /// What the request's text must be like.
    pub text: TextMatch,
    /// For follow-ups: the tool whose output it must be.
    pub tool: Option<String>,
    /// How many requests the rule answers at most.
    pub times: Option<u64>,
    /// The answer.
    pub reply: Reply,
}

/// The kinds of request a rule answers (see [`Turn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The first request of a turn (the last item is a user message).
    Turn,
    /// A follow-up after a tool call.
    FollowUp,
    /// Any other request.
    Other,
    /// Every request.
    Any,
}

/// A condition on a request's text; case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextMatch {
    /// Any text.
    Any,
    /// The text contains this.
    Contains(String),
    /// The text starts with this.
    StartsWith(String),
    /// The text is exactly this.
    Equals(String),
    /// The whole text matches this glob: `*` any characters, `?` one character.
    Glob(String),
}

impl TextMatch {
    /// Whether `text` satisfies the condition.
    pub fn matches(&self, text: &str) -> bool {
        match self {
            TextMatch::Any => true,
            TextMatch::Contains(part) => text.contains(part.as_str()),
            TextMatch::StartsWith(prefix) => text.starts_with(prefix.as_str()),
            TextMatch::Equals(whole) => text == whole,
            TextMatch::Glob(pattern) => glob(pattern, text),
        }
    }
}

/// Whether `text` matches `pattern` as a whole (`*`: any run of characters, `?`: one).
fn glob(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it was last tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

impl Rule {
    /// Whether the rule answers this request (not counting `times`).
    pub fn matches(&self, turn: &Turn) -> bool {
        let kind = matches!(
            (self.on, turn),
            (On::Any, _)
                | (On::Turn, Turn::First { .. })
                | (On::FollowUp, Turn::FollowUp { .. })
                | (On::Other, Turn::Other { .. })
        );
        let tool = match (&self.tool, turn) {
            (None, _) => true,
            (Some(wanted), Turn::FollowUp { tool, .. }) => tool.as_ref() == Some(wanted),
            (Some(_), _) => false,
        };
        kind && tool && self.text.matches(turn.text())
    }
}

impl Script {
    /// The built-in script only.
    pub fn builtin() -> Script {
        Script::default()
    }

    /// This script with another pause between the deltas of the built-in `SLOW` answer.
    pub fn with_slow_delay(mut self, delay: Duration) -> Script {
        self.slow_delay = delay;
        self
    }

    /// Reads a scenario file; see the [module docs](self) for the format.
    pub fn read(path: &Path) -> Result<Script, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ScenarioError {
            file: file.clone(),
            line: 0,
            message: format!("cannot read the scenario: {error}"),
        })?;
        Script::parse(&text).map_err(|(line, message)| ScenarioError { file, line, message })
    }

    /// Parses a scenario's text; an error names the line (from 1; 0 for the whole file) and
    /// what was expected.
    pub fn parse(text: &str) -> Result<Script, (usize, String)> {
        let mut rules = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            rules.push(parse_rule(line, index + 1).map_err(|message| (index + 1, message))?);
        }
        if rules.is_empty() {
            return Err((0, "expected at least one rule (a JSON object per line)".to_owned()));
        }
        Ok(Script { rules, ..Script::default() })
    }

    /// The answer to a request body and the name of what chose it; `used` counts the
    /// requests each rule answered (for `times`), one counter per rule.
    pub(crate) fn choose(&self, body: &Value, used: &[AtomicU64]) -> (Reply, String) {
        let turn = Turn::of(body);
        for (index, rule) in self.rules.iter().enumerate() {
            if !rule.matches(&turn) {
                continue;
            }
            if let Some(times) = rule.times {
                let counter = used.get(index);
                if counter.is_none_or(|counter| counter.fetch_add(1, Ordering::SeqCst) >= times) {
                    continue;
                }
            }
            return (rule.reply.clone(), rule.name.clone());
        }
        let (reply, name) = builtin(&turn, self.slow_delay);
        (reply, name.to_owned())
    }
}

/// The members a rule may have.
const MEMBERS: [&str; 16] = [
    "name",
    "on",
    "contains",
    "startsWith",
    "equals",
    "glob",
    "tool",
    "times",
    "reasoning",
    "text",
    "call",
    "deltaDelayMs",
    "disconnect",
    "status",
    "body",
    "delayMs",
];

fn parse_rule(line: &str, line_number: usize) -> Result<Rule, String> {
    let value: Value = serde_json::from_str(line)
        .map_err(|error| format!("expected a JSON object (one rule per line): {error}"))?;
    let Value::Object(rule) = value else {
        return Err(format!("expected a JSON object (one rule per line), found {}", kind(&value)));
    };
    for key in rule.keys() {
        if key == "callId" {
            return Err("`callId` belongs inside `call`: `\"call\": {\"name\": …, \"callId\": …}`"
                .to_owned());
        }
        if !MEMBERS.contains(&key.as_str()) {
            return Err(format!(
                "unknown member `{key}`; expected one of {}",
                MEMBERS.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let name = string(&rule, "name")?.unwrap_or_else(|| format!("scenario:{line_number}"));
    let on = match string(&rule, "on")?.as_deref() {
        None | Some("turn") => On::Turn,
        Some("followUp") => On::FollowUp,
        Some("other") => On::Other,
        Some("any") => On::Any,
        Some(other) => {
            return Err(format!(
                "`on`: expected \"turn\", \"followUp\", \"other\" or \"any\", found {other:?}"
            ));
        }
    };
    let mut matchers = Vec::new();
    for key in ["contains", "startsWith", "equals", "glob"] {
        if let Some(text) = string(&rule, key)? {
            matchers.push(match key {
                "contains" => TextMatch::Contains(text),
                "startsWith" => TextMatch::StartsWith(text),
                "equals" => TextMatch::Equals(text),
                _ => TextMatch::Glob(text),
            });
        }
    }
    if matchers.len() > 1 {
        return Err("expected at most one of `contains`, `startsWith`, `equals`, `glob`".to_owned());
    }
    let text_match = matchers.pop().unwrap_or(TextMatch::Any);
    let tool = string(&rule, "tool")?;
    if tool.is_some() && !matches!(on, On::FollowUp | On::Any) {
        return Err("`tool` matches follow-ups: expected `\"on\": \"followUp\"` with it".to_owned());
    }
    let times = number(&rule, "times", u64::MAX)?;
    let delay = Duration::from_millis(number(&rule, "delayMs", MAX_DELAY_MS)?.unwrap_or(0));
    let reply = Reply { delay, answer: answer(&rule)? };
    Ok(Rule { name, on, text: text_match, tool, times, reply })
}

/// The answer members of a rule.
fn answer(rule: &Map<String, Value>) -> Result<Answer, String> {
    let streamed = ["reasoning", "text", "call", "deltaDelayMs", "disconnect"];
    if let Some(status) = number(rule, "status", 599)? {
        if !(400..=599).contains(&status) {
            return Err(format!("`status`: expected an HTTP error status 400–599, found {status}"));
        }
        if let Some(key) = streamed.iter().find(|key| rule.contains_key(**key)) {
            return Err(format!(
                "`{key}` belongs to a streamed answer: expected either `status` (and `body`) or stream members, not both"
            ));
        }
        let status = status as u16;
        let body = match rule.get("body") {
            None => String::from_utf8_lossy(&error_body(status, "scripted error")).into_owned(),
            Some(Value::String(text)) => text.clone(),
            Some(value) => value.to_string(),
        };
        return Ok(Answer::Status { status, body });
    }
    if rule.contains_key("body") {
        return Err("`body` goes with `status`: expected a `status` 400–599 too".to_owned());
    }
    let reasoning = deltas(rule, "reasoning")?;
    let text = deltas(rule, "text")?;
    let call = match rule.get("call") {
        None => None,
        Some(value) => Some(tool_call(value)?),
    };
    if reasoning.is_none() && text.is_none() && call.is_none() {
        return Err(
            "expected an answer: `text`, `reasoning`, `call` (a stream) or `status` (an HTTP error)"
                .to_owned(),
        );
    }
    let delta_delay =
        Duration::from_millis(number(rule, "deltaDelayMs", MAX_DELAY_MS)?.unwrap_or(0));
    let disconnect = match rule.get("disconnect") {
        None => false,
        Some(Value::Bool(flag)) => *flag,
        Some(other) => {
            return Err(format!("`disconnect`: expected true or false, found {}", kind(other)));
        }
    };
    Ok(Answer::Stream(StreamAnswer { reasoning, text, call, delta_delay, disconnect }))
}

fn tool_call(value: &Value) -> Result<ToolCall, String> {
    let Value::Object(call) = value else {
        return Err(format!(
            "`call`: expected an object {{\"name\": …, \"arguments\": …}}, found {}",
            kind(value)
        ));
    };
    if let Some(key) =
        call.keys().find(|key| !["name", "arguments", "callId"].contains(&key.as_str()))
    {
        return Err(format!(
            "`call.{key}`: unknown member; expected `name`, `arguments`, `callId`"
        ));
    }
    let name = match call.get("name") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        Some(other) => {
            return Err(format!("`call.name`: expected a tool name, found {}", kind(other)));
        }
        None => {
            return Err("`call.name`: expected a tool name (`shell`, `apply_patch`, …)".to_owned());
        }
    };
    let arguments = match call.get("arguments") {
        Some(Value::String(text)) => text.clone(),
        Some(object @ Value::Object(_)) => object.to_string(),
        Some(other) => {
            return Err(format!(
                "`call.arguments`: expected an object or a string, found {}",
                kind(other)
            ));
        }
        None => return Err("`call.arguments`: expected an object or a string".to_owned()),
    };
    let call_id = match call.get("callId") {
        None => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(other) => {
            return Err(format!(
                "`call.callId`: expected a non-empty string, found {}",
                kind(other)
            ));
        }
    };
    Ok(ToolCall { name, arguments, call_id })
}

/// A string member, if present.
fn string(rule: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match rule.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(format!("`{key}`: expected a string, found {}", kind(other))),
    }
}

/// A whole-number member, if present, at most `max`.
fn number(rule: &Map<String, Value>, key: &str, max: u64) -> Result<Option<u64>, String> {
    match rule.get(key) {
        None => Ok(None),
        Some(value) => match value.as_u64() {
            Some(number) if number <= max => Ok(Some(number)),
            _ => Err(format!("`{key}`: expected a whole number from 0 to {max}, found {value}")),
        },
    }
}

/// A text member: a string (a word per delta) or a non-empty list of strings (the deltas).
fn deltas(rule: &Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, String> {
    let expected = || format!("`{key}`: expected a string or a non-empty list of strings");
    match rule.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(word_deltas(text))),
        Some(Value::Array(parts)) if !parts.is_empty() => parts
            .iter()
            .map(|part| match part {
                Value::String(text) => Ok(text.clone()),
                other => Err(format!("{}, found {} in the list", expected(), kind(other))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!("{}, found {}", expected(), kind(other))),
    }
}

/// A value's JSON kind, with the value when it is short.
fn kind(value: &Value) -> String {
    match value {
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        other => {
            let text = other.to_string();
            if text.chars().count() > 40 {
                format!("{}…", text.chars().take(40).collect::<String>())
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_scenario_parses() {
        let script = Script::parse(include_str!("../../scenarios/model.jsonl")).unwrap();
        let names: Vec<_> = script.rules.iter().map(|rule| rule.name.as_str()).collect();
        assert_eq!(names, ["build", "declined", "flaky", "cut", "pause"]);
    }

    #[test]
    fn globs_match_the_whole_text() {
        assert!(glob("*deploy*", "please deploy now"));
        assert!(glob("RUN ?s", "RUN ls"));
        assert!(!glob("RUN ?s", "RUN lsx"));
        assert!(glob("a*b*c", "aXbYbc"));
        assert!(!glob("a*b", "ac"));
        assert!(glob("*", ""));
    }

    #[test]
    fn rules_parse_and_bad_ones_say_what_was_expected() {
        let script = Script::parse(
            "# c\n{\"contains\":\"x\",\"text\":[\"a\",\"b\"],\"deltaDelayMs\":5}\n\n{\"on\":\"followUp\",\"tool\":\"shell\",\"status\":503}\n",
        )
        .unwrap();
        assert_eq!(script.rules.len(), 2);
        assert_eq!(script.rules[0].name, "scenario:2");
        assert_eq!(script.rules[1].on, On::FollowUp);
        let cases = [
            ("{\"txt\":\"a\"}", "unknown member `txt`"),
            ("[1]", "expected a JSON object"),
            ("{\"text\":5}", "`text`: expected a string or a non-empty list of strings, found 5"),
            ("{\"contains\":\"a\"}", "expected an answer"),
            ("{\"status\":200}", "400–599"),
            ("{\"status\":500,\"text\":\"a\"}", "`text` belongs to a streamed answer"),
            ("{\"tool\":\"shell\",\"text\":\"a\"}", "\"on\": \"followUp\""),
            ("{\"call\":{\"name\":\"shell\"}}", "`call.arguments`"),
            ("{\"on\":\"later\",\"text\":\"a\"}", "`on`: expected"),
            ("{\"text\":\"a\",\"delayMs\":-1}", "`delayMs`: expected a whole number"),
            ("{\"contains\":\"a\",\"glob\":\"b\",\"text\":\"a\"}", "at most one"),
            ("not json", "expected a JSON object"),
        ];
        for (line, expected) in cases {
            let (number, message) = Script::parse(&format!("\n{line}")).unwrap_err();
            assert_eq!(number, 2, "{line}");
            assert!(message.contains(expected), "{line}: {message}");
        }
        assert_eq!(Script::parse("# nothing\n").unwrap_err().0, 0);
    }
}
