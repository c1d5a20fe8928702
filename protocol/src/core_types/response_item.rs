//! The model's conversation items ([`ResponseItem`] and what it contains), in the core
//! protocol's snake_case spelling. v2 clients meet them in `thread/resume`'s `history`; v1
//! embeds them too. Their wire is kept exactly as the baseline has it:
//!
//! - tags are snake_case (`"function_call_output"`), and so are the fields (`call_id`);
//! - an unknown item `type` (or web search action `type`) decodes to the catch-all `Other`
//!   instead of failing, and `Other` is written as `{"type":"other"}`;
//! - the `id` of `message`, `reasoning`, `local_shell_call`, `function_call`,
//!   `custom_tool_call` and `web_search_call` items is read but never written;
//! - a `reasoning` item's `content` is written as `null` when absent and left out when it
//!   holds no `reasoning_text` part (as the 0.63.0 crate does); `status` of custom tool calls and web searches is omitted when
//!   absent;
//! - a function call's output ([`FunctionCallOutputPayload`]) is a plain string or an array of
//!   content items.

use std::collections::BTreeMap;
use std::fmt;

use app_server_protocol_derive::DeserializeTagFirst;
use serde::de::{self, Deserializer, SeqAccess, Visitor, value::SeqAccessDeserializer};
use serde::{Deserialize, Serialize, Serializer};

/// One item of the model's conversation: a message, a reasoning step, a tool call or its
/// output, a snapshot … Tagged by `type` (snake_case).
///
/// Example: `{"type":"function_call","name":"shell","arguments":"{\"command\":[\"ls\"]}",
/// "call_id":"call_42"}`. Unknown `type`s decode to [`ResponseItem::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[non_exhaustive]
pub enum ResponseItem {
    /// A message from the user, the assistant, the system or the developer.
    Message {
        /// The provider's id of the item. Read on input, never written.
        #[serde(default, skip_serializing)]
        id: Option<String>,
        /// Who wrote the message: `"user"`, `"assistant"`, `"system"` or `"developer"`.
        role: String,
        /// The message's parts (text and images).
        content: Vec<ContentItem>,
    },
    /// A reasoning step of the model.
    Reasoning {
        /// The provider's id of the item. Read on input (empty when absent), never written.
        #[serde(default, skip_serializing)]
        id: String,
        /// The reasoning summary parts, for display.
        summary: Vec<ReasoningItemReasoningSummary>,
        /// The raw reasoning parts; `null` when not available. A list without any
        /// `reasoning_text` part is left out on output.
        #[serde(default, skip_serializing_if = "reasoning_content_is_omitted")]
        content: Option<Vec<ReasoningItemContent>>,
        /// The reasoning in encrypted form, to send back to the provider; `null` when absent.
        encrypted_content: Option<String>,
    },
    /// A call of the provider's built-in local shell tool.
    LocalShellCall {
        /// The provider's id of the item. Read on input, never written.
        #[serde(default, skip_serializing)]
        id: Option<String>,
        /// The id that links the call to its output; `null` when the provider gave none.
        call_id: Option<String>,
        /// Whether the call is running, completed or incomplete.
        status: LocalShellStatus,
        /// What to run.
        action: LocalShellAction,
    },
    /// A call of a function tool by the model.
    FunctionCall {
        /// The provider's id of the item. Read on input, never written.
        #[serde(default, skip_serializing)]
        id: Option<String>,
        /// The function's name, e.g. `"shell"`.
        name: String,
        /// The arguments as a JSON-encoded string, e.g. `"{\"command\":[\"ls\"]}"`.
        arguments: String,
        /// The id that links the call to its output.
        call_id: String,
    },
    /// The output of a function call, sent back to the model.
    FunctionCallOutput {
        /// The id of the call this answers.
        call_id: String,
        /// The output: a string or a list of content items.
        output: FunctionCallOutputPayload,
    },
    /// A call of a custom (free-form input) tool by the model.
    CustomToolCall {
        /// The provider's id of the item. Read on input, never written.
        #[serde(default, skip_serializing)]
        id: Option<String>,
        /// The provider's status of the call, e.g. `"completed"`; omitted when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// The id that links the call to its output.
        call_id: String,
        /// The tool's name.
        name: String,
        /// The tool's input, as free-form text.
        input: String,
    },
    /// The output of a custom tool call, sent back to the model.
    CustomToolCallOutput {
        /// The id of the call this answers.
        call_id: String,
        /// The output text.
        output: String,
    },
    /// A web search run by the provider's built-in search tool.
    WebSearchCall {
        /// The provider's id of the item. Read on input, never written.
        #[serde(default, skip_serializing)]
        id: Option<String>,
        /// The provider's status of the search, e.g. `"completed"`; omitted when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// What the search did.
        action: WebSearchAction,
    },
    /// A snapshot of the working tree taken by the agent (for undo).
    GhostSnapshot {
        /// The snapshot commit.
        ghost_commit: GhostCommit,
    },
    /// A summary that replaced earlier items when the conversation was compacted.
    CompactionSummary {
        /// The summary in encrypted form, to send back to the provider.
        encrypted_content: String,
    },
    /// An item of a kind this version does not know. Any unknown `type` decodes to it; it is
    /// written as `{"type":"other"}`.
    #[tag_first(other)]
    Other,
}

/// Whether a reasoning item's `content` is left out on output: a list that holds no
/// `reasoning_text` part is; an absent list is written as `null`. This is the 0.63.0 crate's
/// behaviour (wire-notes §2 says "omitted" for both, but the crate is what peers run).
fn reasoning_content_is_omitted(content: &Option<Vec<ReasoningItemContent>>) -> bool {
    content.as_ref().is_some_and(|parts| {
        !parts.iter().any(|part| matches!(part, ReasoningItemContent::ReasoningText { .. }))
    })
}

/// One part of a message. Tagged by `type` (snake_case).
///
/// Examples: `{"type":"input_text","text":"hi"}`,
/// `{"type":"input_image","image_url":"data:image/png;base64,iVBORw0…"}`,
/// `{"type":"output_text","text":"Hello!"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentItem {
    /// Text sent to the model (by the user, the system or the developer).
    InputText {
        /// The text.
        text: String,
    },
    /// An image sent to the model.
    InputImage {
        /// The image's URL (`https:` or an inline `data:` URL).
        image_url: String,
    },
    /// Text written by the model.
    OutputText {
        /// The text.
        text: String,
    },
}

/// The output of a function call, as sent back to the model.
///
/// On the wire it is either a plain string (the text output) or an array of content items
/// (text and images). Both are accepted on input; it is written as the array when
/// `content_items` is set, otherwise as the string. `success` is never on the wire.
///
/// Examples: `"exit code 0\nok"`, `[{"type":"input_text","text":"see image"},
/// {"type":"input_image","image_url":"data:image/png;base64,iVBORw0…"}]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(
    feature = "codegen",
    ts(as = "FunctionCallOutputWire"),
    schemars(with = "FunctionCallOutputWire")
)]
pub struct FunctionCallOutputPayload {
    /// The output as text. When the output was read as an array, this is the array's JSON
    /// text (so that text-only consumers still see everything).
    pub content: String,
    /// The output as content items; `None` when the output is plain text.
    pub content_items: Option<Vec<FunctionCallOutputContentItem>>,
    /// Whether the call succeeded, when the agent knows. Not part of the wire: always `None`
    /// after decoding.
    pub success: Option<bool>,
}

impl FunctionCallOutputPayload {
    /// A plain-text output.
    pub fn from_text(text: impl Into<String>) -> Self {
        FunctionCallOutputPayload { content: text.into(), content_items: None, success: None }
    }

    /// An output made of content items (`content` is set to their JSON text).
    pub fn from_content_items(items: Vec<FunctionCallOutputContentItem>) -> Self {
        let content = serde_json::to_string(&items).unwrap_or_default();
        FunctionCallOutputPayload { content, content_items: Some(items), success: None }
    }
}

/// The wire shape of [`FunctionCallOutputPayload`], for the code generators only (the
/// payload's own `Serialize`/`Deserialize` impls below implement it).
#[cfg(feature = "codegen")]
#[derive(Serialize, ts_rs::TS, schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum FunctionCallOutputWire {
    /// The output as text.
    Text(String),
    /// The output as content items.
    ContentItems(Vec<FunctionCallOutputContentItem>),
}

impl Serialize for FunctionCallOutputPayload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.content_items {
            Some(items) => items.serialize(serializer),
            None => serializer.serialize_str(&self.content),
        }
    }
}

impl<'de> Deserialize<'de> for FunctionCallOutputPayload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PayloadVisitor;

        impl<'de> Visitor<'de> for PayloadVisitor {
            type Value = FunctionCallOutputPayload;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a function call output: a string or an array of content items")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(FunctionCallOutputPayload::from_text(value))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
                Ok(FunctionCallOutputPayload::from_text(value))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let items = Vec::<FunctionCallOutputContentItem>::deserialize(
                    SeqAccessDeserializer::new(seq),
                )?;
                Ok(FunctionCallOutputPayload::from_content_items(items))
            }
        }

        deserializer.deserialize_any(PayloadVisitor)
    }
}

/// One part of a function call's output. Tagged by `type` (snake_case).
///
/// Examples: `{"type":"input_text","text":"ok"}`,
/// `{"type":"input_image","image_url":"data:image/png;base64,iVBORw0…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FunctionCallOutputContentItem {
    /// Text.
    InputText {
        /// The text.
        text: String,
    },
    /// An image.
    InputImage {
        /// The image's URL (`https:` or an inline `data:` URL).
        image_url: String,
    },
}

/// A snapshot of the working tree, stored as a commit that is not on any branch, so that the
/// agent can undo its changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct GhostCommit {
    /// The snapshot commit's SHA.
    pub id: String,
    /// The commit the snapshot was taken on top of; `null` in a repository without commits.
    pub parent: Option<String>,
    /// Untracked files that existed before the snapshot (paths), which undo must keep.
    pub preexisting_untracked_files: Vec<String>,
    /// Untracked folders that existed before the snapshot (paths), which undo must keep.
    pub preexisting_untracked_dirs: Vec<String>,
}

/// What a local shell call does. Tagged by `type`; the only action is `exec`, whose fields sit
/// next to the tag: `{"type":"exec","command":["ls","-la"],"timeout_ms":null,
/// "working_directory":null,"env":null,"user":null}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LocalShellAction {
    /// Run a command.
    Exec(LocalShellExecAction),
}

/// A command to run for a local shell call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct LocalShellExecAction {
    /// The program and its arguments, e.g. `["ls", "-la"]`.
    pub command: Vec<String>,
    /// The time limit in milliseconds; `null` for the default. Values beyond 2^53 are not
    /// portable to JavaScript.
    pub timeout_ms: Option<u64>,
    /// The working directory; `null` for the default.
    pub working_directory: Option<String>,
    /// Extra environment variables; `null` when there are none.
    pub env: Option<BTreeMap<String, String>>,
    /// The user to run the command as; `null` for the current user.
    pub user: Option<String>,
}

/// The state of a local shell call.
///
/// Wire values: `"completed"`, `"in_progress"`, `"incomplete"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocalShellStatus {
    /// The call finished.
    Completed,
    /// The call is running.
    InProgress,
    /// The call stopped before finishing.
    Incomplete,
}

/// One part of a reasoning item's raw content. Tagged by `type` (snake_case).
///
/// Examples: `{"type":"reasoning_text","text":"First, check the tests."}`,
/// `{"type":"text","text":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReasoningItemContent {
    /// Raw reasoning text.
    ReasoningText {
        /// The text.
        text: String,
    },
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
}

/// One part of a reasoning item's summary. Tagged by `type`:
/// `{"type":"summary_text","text":"**Checking tests**"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReasoningItemReasoningSummary {
    /// A summary text (Markdown).
    SummaryText {
        /// The text.
        text: String,
    },
}

/// What a web search call did. Tagged by `type` (snake_case); unknown `type`s decode to
/// [`WebSearchAction::Other`]. Absent fields are omitted on output.
///
/// Examples: `{"type":"search","query":"rust serde untagged"}`,
/// `{"type":"open_page","url":"https://serde.rs"}`,
/// `{"type":"find_in_page","url":"https://serde.rs","pattern":"flatten"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[non_exhaustive]
pub enum WebSearchAction {
    /// Searched the web.
    Search {
        /// The query; omitted when unknown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        query: Option<String>,
    },
    /// Opened a page.
    OpenPage {
        /// The page's URL; omitted when unknown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
    /// Searched for text within a page.
    FindInPage {
        /// The page's URL; omitted when unknown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// The text searched for; omitted when unknown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pattern: Option<String>,
    },
    /// An action of a kind this version does not know. Any unknown `type` decodes to it; it
    /// is written as `{"type":"other"}`.
    #[tag_first(other)]
    Other,
}
