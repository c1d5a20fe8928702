//! What a model request is answered with: the kinds of request ([`Turn`]), the answers
//! ([`Reply`], [`Answer`]), and the built-in script that picks one by keyword.
//!
//! # Which request is which
//!
//! A real server sends the whole conversation in every request; only the **last input item**
//! says why it asks:
//!
//! - a user message: the first request of a turn; its text is what the user typed, and a
//!   retry of that request (after a 500) carries the same text, so it gets the same answer;
//! - a tool output (`function_call_output`, or any `…_call_output`): a follow-up after the
//!   server ran a tool the model called;
//! - anything else (a request the server makes for itself, e.g. for a title or a summary):
//!   "other", always answered with a short text.
//!
//! # The built-in script
//!
//! Used when no scenario rule matched. The first of these uppercase keywords found as a
//! whole word in the user's text picks the answer (case-sensitive):
//!
//! | keyword | answer |
//! |---|---|
//! | `RUN` | a `shell` tool call: `["bash", "-lc", CMD]`, CMD being the rest of the line after `RUN`; when empty, `echo hello 1>&2` (harmless, and not a command a real server runs without asking, as it does plain `echo`, so an approval is asked under `untrusted`) |
//! | `PATCH` | an `apply_patch` tool call adding a file: the word after `PATCH`, `hello.txt` when none |
//! | `FAIL` | HTTP 500, to every try of the turn (the server retries, then fails the turn) |
//! | `SLOW` | a text answer in five deltas [`Script::slow_delay`](super::Script::slow_delay) apart (1 s: 4 s in all, each pause within the server's 5 s idle timeout), time enough to interrupt the turn |
//! | none | a reasoning summary, then a text answer (several deltas) |
//!
//! A follow-up is answered with a closing text message; any other request with a short text.
//!
//! What the keywords decide is a [`Plan`]; the mock app server (`app-server-kit mock`) plays
//! the same plan as a real server plays this model's answer, so both follow one table.

use std::time::Duration;

use serde_json::{Value, json};

use super::http::error_body;

/// Why the server made a request, read from the last item of its `input`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// The first request of a turn (or a retry of it): the last item is a user message.
    First {
        /// The text of that message (its `input_text` parts, joined by newlines).
        text: String,
    },
    /// A follow-up: the last item is the output of a tool call.
    FollowUp {
        /// The name of the tool, when the call is in the input too.
        tool: Option<String>,
        /// The tool's output as text.
        output: String,
    },
    /// Anything else.
    Other {
        /// The text of the last item when it is a message, else empty.
        text: String,
    },
}

impl Turn {
    /// Reads a request body (`{"input": [...], ...}`; an `input` that is a string is a user
    /// message).
    pub fn of(body: &Value) -> Turn {
        if let Some(text) = body.get("input").and_then(Value::as_str) {
            return Turn::First { text: text.to_owned() };
        }
        let items = body.get("input").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let Some(last) = items.last() else {
            return Turn::Other { text: String::new() };
        };
        let kind = last.get("type").and_then(Value::as_str);
        let role = last.get("role").and_then(Value::as_str);
        if let Some(kind) = kind
            && kind.ends_with("_call_output")
        {
            let call_id = last.get("call_id").and_then(Value::as_str);
            let tool = items.iter().rev().find_map(|item| {
                let is_call = item
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|kind| kind.ends_with("_call"));
                let same =
                    call_id.is_some() && item.get("call_id").and_then(Value::as_str) == call_id;
                if is_call && same {
                    item.get("name").and_then(Value::as_str).map(str::to_owned)
                } else {
                    None
                }
            });
            return Turn::FollowUp { tool, output: text_of(last.get("output")) };
        }
        let is_message = kind.is_none_or(|kind| kind == "message");
        if is_message && role == Some("user") {
            return Turn::First { text: text_of(last.get("content")) };
        }
        let text = if is_message { text_of(last.get("content")) } else { String::new() };
        Turn::Other { text }
    }

    /// The text rules match on: the user's text, the tool's output, or the other text.
    pub fn text(&self) -> &str {
        match self {
            Turn::First { text } | Turn::Other { text } => text,
            Turn::FollowUp { output, .. } => output,
        }
    }
}

/// The text of a `content` or `output` member: a string, or the `text` of each part.
fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|part| part.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// An answer and the pause before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The pause before anything is sent (the status line included).
    pub delay: Duration,
    /// What is sent.
    pub answer: Answer,
}

/// What a request is answered with.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// 200 and a stream of Server-Sent Events.
    Stream(StreamAnswer),
    /// An HTTP error.
    Status {
        /// The status (400–599).
        status: u16,
        /// The body, sent as `application/json`.
        body: String,
    },
}

/// A streamed answer: any of reasoning, text and a tool call, in that order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamAnswer {
    /// The reasoning summary, one entry per delta.
    pub reasoning: Option<Vec<String>>,
    /// The assistant message, one entry per delta.
    pub text: Option<Vec<String>>,
    /// A tool call after the text.
    pub call: Option<ToolCall>,
    /// The pause before each delta but the first (and before each later output item).
    pub delta_delay: Duration,
    /// Ends the stream without `response.completed`, as a dropped connection would.
    pub disconnect: bool,
}

/// A `function_call` output item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    /// The tool (`shell`, `apply_patch`, …).
    pub name: String,
    /// Its arguments: a JSON text, sent as a string.
    pub arguments: String,
    /// The call id; `call_N` (N unique within the server) when `None`.
    pub call_id: Option<String>,
}

impl ToolCall {
    /// A `shell` call running `bash -lc COMMAND` (the shape a real server executes).
    pub fn shell(command: &str) -> ToolCall {
        let arguments = json!({
            "command": ["bash", "-lc", command],
            "workdir": null,
            "timeout_ms": 10_000,
        });
        ToolCall { name: "shell".to_owned(), arguments: arguments.to_string(), call_id: None }
    }

    /// An `apply_patch` call with this patch (`*** Begin Patch` … `*** End Patch`).
    pub fn apply_patch(patch: &str) -> ToolCall {
        let arguments = json!({ "input": patch });
        ToolCall { name: "apply_patch".to_owned(), arguments: arguments.to_string(), call_id: None }
    }
}

/// Splits a text into deltas of a word each (a word keeps the spaces after it).
pub fn word_deltas(text: &str) -> Vec<String> {
    let mut deltas = Vec::new();
    let mut current = String::new();
    for character in text.chars() {
        if !character.is_whitespace() && current.ends_with(char::is_whitespace) {
            deltas.push(std::mem::take(&mut current));
        }
        current.push(character);
    }
    if !current.is_empty() || deltas.is_empty() {
        deltas.push(current);
    }
    deltas
}

fn text_reply(text: &str, delta_delay: Duration) -> Reply {
    Reply {
        delay: Duration::ZERO,
        answer: Answer::Stream(StreamAnswer {
            text: Some(word_deltas(text)),
            delta_delay,
            ..StreamAnswer::default()
        }),
    }
}

fn call_reply(call: ToolCall) -> Reply {
    Reply {
        delay: Duration::ZERO,
        answer: Answer::Stream(StreamAnswer { call: Some(call), ..StreamAnswer::default() }),
    }
}

/// The keywords of the built-in script.
const KEYWORDS: [&str; 4] = ["RUN", "PATCH", "FAIL", "SLOW"];

/// The first keyword found as a whole word, and the rest of its line.
fn keyword(text: &str) -> Option<(&'static str, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    KEYWORDS
        .iter()
        .filter_map(|keyword| {
            text.match_indices(keyword)
                .find(|(at, _)| {
                    let before = text[..*at].chars().next_back();
                    let after = text[at + keyword.len()..].chars().next();
                    !before.is_some_and(is_word) && !after.is_some_and(is_word)
                })
                .map(|(at, _)| (at, *keyword))
        })
        .min_by_key(|(at, _)| *at)
        .map(|(at, keyword)| {
            let rest = &text[at + keyword.len()..];
            (keyword, rest.split('\n').next().unwrap_or_default())
        })
}

/// What a built-in answer adds as a file: the content of the `PATCH` file.
pub const PATCH_CONTENT: &str = "hello from the stand-in model\n";

/// The command `RUN` runs when the rest of its line is empty. Plain `echo hello` is "known
/// safe" to a real server, which runs it without asking; the redirection makes it ask for
/// approval (0.63.0 and 0.66.0 alike).
pub const DEFAULT_COMMAND: &str = "echo hello 1>&2";

/// What the built-in script makes of a user's message, before it becomes an answer: the
/// stand-in model answers with it ([`builtin`]), and the mock app server plays the turn a
/// real server plays with that answer (one keyword table for both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// No keyword: a reasoning summary, then a text answer.
    Text {
        /// The reasoning summary.
        reasoning: &'static str,
        /// The answer.
        text: &'static str,
    },
    /// `RUN`: a `shell` call running `bash -lc COMMAND`.
    Run {
        /// The command line given to `bash -lc`.
        command: String,
    },
    /// `PATCH`: an `apply_patch` call adding a file with [`PATCH_CONTENT`].
    Patch {
        /// The file, relative to the working folder.
        file: String,
    },
    /// `FAIL`: HTTP 500 to every try of the turn.
    Fail,
    /// `SLOW`: a text answer streamed a word per [`Script::slow_delay`](super::Script::slow_delay).
    Slow {
        /// The answer.
        text: &'static str,
    },
}

impl Plan {
    /// The plan for a user's message.
    pub fn of(text: &str) -> Plan {
        match keyword(text) {
            Some(("RUN", rest)) => {
                let command = rest.trim().trim_start_matches(':').trim();
                let command = if command.is_empty() { DEFAULT_COMMAND } else { command };
                Plan::Run { command: command.to_owned() }
            }
            Some(("PATCH", rest)) => {
                let rest = rest.trim().trim_start_matches(':');
                let file = rest.split_whitespace().next().unwrap_or("hello.txt");
                Plan::Patch { file: file.to_owned() }
            }
            Some(("FAIL", _)) => Plan::Fail,
            Some(("SLOW", _)) => Plan::Slow { text: "This answer streams very slowly." },
            _ => Plan::Text {
                reasoning: "Reading the request.",
                text: "Hello from the stand-in model.",
            },
        }
    }
}

/// The closing message that answers the follow-up after a call of `tool`.
pub fn follow_up_text(tool: &str) -> String {
    format!("Done: the {tool} call returned.")
}

/// The message of the HTTP 500 that `FAIL` answers with.
pub const FAIL_MESSAGE: &str = "app-server-kit model: FAIL asks for a server error";

/// The answer of the built-in script and its name (`default:run`, …).
pub fn builtin(turn: &Turn, slow_delay: Duration) -> (Reply, &'static str) {
    match turn {
        Turn::FollowUp { tool, .. } => {
            let tool = tool.as_deref().unwrap_or("tool");
            (text_reply(&follow_up_text(tool), Duration::ZERO), "default:follow-up")
        }
        Turn::Other { .. } => {
            (text_reply("Stand-in model answer.", Duration::ZERO), "default:other")
        }
        Turn::First { text } => match Plan::of(text) {
            Plan::Run { command } => (call_reply(ToolCall::shell(&command)), "default:run"),
            Plan::Patch { file } => {
                let content: String =
                    PATCH_CONTENT.lines().map(|line| format!("+{line}\n")).collect();
                let patch =
                    format!("*** Begin Patch\n*** Add File: {file}\n{content}*** End Patch\n");
                (call_reply(ToolCall::apply_patch(&patch)), "default:patch")
            }
            Plan::Fail => {
                let body = error_body(500, FAIL_MESSAGE);
                let body = String::from_utf8_lossy(&body).into_owned();
                (
                    Reply { delay: Duration::ZERO, answer: Answer::Status { status: 500, body } },
                    "default:fail",
                )
            }
            Plan::Slow { text } => (text_reply(text, slow_delay), "default:slow"),
            Plan::Text { reasoning, text } => {
                let answer = StreamAnswer {
                    reasoning: Some(word_deltas(reasoning)),
                    text: Some(word_deltas(text)),
                    ..StreamAnswer::default()
                };
                (Reply { delay: Duration::ZERO, answer: Answer::Stream(answer) }, "default:text")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Value {
        json!({ "input": [
            { "type": "message", "role": "developer", "content": [{ "type": "input_text", "text": "RUN" }] },
            { "type": "message", "role": "user", "content": [{ "type": "input_text", "text": text }] },
        ] })
    }

    #[test]
    fn the_last_item_says_which_request_it_is() {
        assert_eq!(Turn::of(&user("hi")), Turn::First { text: "hi".into() });
        let follow_up = json!({ "input": [
            { "type": "function_call", "call_id": "c1", "name": "shell", "arguments": "{}" },
            { "type": "function_call_output", "call_id": "c1", "output": "ok" },
        ] });
        assert_eq!(
            Turn::of(&follow_up),
            Turn::FollowUp { tool: Some("shell".into()), output: "ok".into() }
        );
        assert_eq!(Turn::of(&json!({})), Turn::Other { text: String::new() });
        let assistant =
            json!({ "input": [{ "type": "message", "role": "assistant", "content": "x" }] });
        assert_eq!(Turn::of(&assistant), Turn::Other { text: "x".into() });
    }

    #[test]
    fn keywords_are_whole_uppercase_words_and_the_first_wins() {
        assert_eq!(keyword("please RUN ls -la\nthen"), Some(("RUN", " ls -la")));
        assert_eq!(keyword("SLOW then FAIL"), Some(("SLOW", " then FAIL")));
        assert_eq!(keyword("RUNNING run TRUNCATE"), None);
        assert_eq!(keyword("ok, PATCH."), Some(("PATCH", ".")));
        let slow = Duration::from_secs(1);
        assert_eq!(builtin(&Turn::First { text: "RUN".into() }, slow).1, "default:run");
        let (reply, name) = builtin(&Turn::First { text: "RUN: ls".into() }, slow);
        assert_eq!(name, "default:run");
        let Answer::Stream(StreamAnswer { call: Some(call), .. }) = reply.answer else {
            panic!("not a call")
        };
        let arguments: Value = serde_json::from_str(&call.arguments).unwrap();
        assert_eq!(arguments["command"], json!(["bash", "-lc", "ls"]));
    }

    #[test]
    fn word_deltas_keep_every_character() {
        assert_eq!(word_deltas("a bc  d"), ["a ", "bc  ", "d"]);
        assert_eq!(word_deltas(""), [""]);
        assert_eq!(word_deltas(" x").concat(), " x");
    }
}
