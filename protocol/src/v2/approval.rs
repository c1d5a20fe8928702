//! Approvals the server asks the client for: running a command
//! (`item/commandExecution/requestApproval`) and applying file changes
//! (`item/fileChange/requestApproval`), with the client's answers.
//!
//! The params are sent by the server (every field present, `null` when absent). The responses
//! are sent by the CLIENT, so the server decodes them leniently: the command approval response
//! also accepts the older `decision` + `acceptSettings` shape and the snake_case inner key
//! `execpolicy_amendment`.

use app_server_protocol_derive::Payload;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Params of `item/commandExecution/requestApproval`: the agent wants to run a command and
/// needs the user's approval.
///
/// `proposedExecpolicyAmendment` is never an empty array on the wire: an empty array is
/// written, and read, as `null`.
#[derive(Debug, Clone, PartialEq, Eq, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandExecutionRequestApprovalParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommandExecutionRequestApprovalParams {
    /// The thread the command belongs to.
    pub thread_id: String,
    /// The turn the command belongs to.
    pub turn_id: String,
    /// The id of the `commandExecution` item the approval is for.
    pub item_id: String,
    /// Why the agent asks, e.g. `"needs network access to download dependencies"`; `null`
    /// when it gave no reason.
    pub reason: Option<String>,
    /// The model's assessment of the command's risk; `null` when none was made.
    pub risk: Option<SandboxCommandAssessment>,
    /// The command line as the user would type it, e.g. `"cargo test -p app"`, so that the
    /// client can show what it is approving; `null` when unknown.
    pub command: Option<String>,
    /// The working directory the command runs in (absolute path); `null` when unknown.
    pub cwd: Option<String>,
    /// A command prefix the client may offer to allow from now on (answer with
    /// `acceptWithExecpolicyAmendment`), e.g. `["cargo", "test"]`; `null` when no amendment
    /// is proposed. Never an empty array.
    pub proposed_execpolicy_amendment: Option<Vec<String>>,
}

/// The encoder's view of the params: the same members, borrowed, with an empty amendment
/// written as `null`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApprovalParamsOut<'a> {
    thread_id: &'a str,
    turn_id: &'a str,
    item_id: &'a str,
    reason: &'a Option<String>,
    risk: &'a Option<SandboxCommandAssessment>,
    command: &'a Option<String>,
    cwd: &'a Option<String>,
    proposed_execpolicy_amendment: Option<&'a Vec<String>>,
}

/// The decoder's view of the params.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApprovalParamsIn {
    thread_id: String,
    turn_id: String,
    item_id: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    risk: Option<SandboxCommandAssessment>,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    proposed_execpolicy_amendment: Option<Vec<String>>,
}

impl Serialize for CommandExecutionRequestApprovalParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ApprovalParamsOut {
            thread_id: &self.thread_id,
            turn_id: &self.turn_id,
            item_id: &self.item_id,
            reason: &self.reason,
            risk: &self.risk,
            command: &self.command,
            cwd: &self.cwd,
            proposed_execpolicy_amendment: self
                .proposed_execpolicy_amendment
                .as_ref()
                .filter(|prefix| !prefix.is_empty()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CommandExecutionRequestApprovalParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let input = ApprovalParamsIn::deserialize(deserializer)?;
        Ok(CommandExecutionRequestApprovalParams {
            thread_id: input.thread_id,
            turn_id: input.turn_id,
            item_id: input.item_id,
            reason: input.reason,
            risk: input.risk,
            command: input.command,
            cwd: input.cwd,
            proposed_execpolicy_amendment: input
                .proposed_execpolicy_amendment
                .filter(|prefix| !prefix.is_empty()),
        })
    }
}

/// The model's assessment of how risky a command is (v2 spelling: camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.SandboxCommandAssessment"))]
#[serde(rename_all = "camelCase")]
pub struct SandboxCommandAssessment {
    /// What the command does, in a sentence meant for the user.
    pub description: String,
    /// How risky it is.
    pub risk_level: CommandRiskLevel,
}

/// How risky a command is, per the model's assessment.
///
/// Wire values: `"low"`, `"medium"`, `"high"`. Open: a level a newer server sends decodes to
/// [`CommandRiskLevel::Unknown`] holding it, so the approval request still reaches the user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandRiskLevel"))]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[serde(rename_all = "camelCase")]
pub enum CommandRiskLevel {
    /// Little can go wrong.
    Low,
    /// Could change or lose some data.
    Medium,
    /// Could do serious or irreversible damage.
    High,
    /// A level this crate does not know (a newer server's), as it came on the wire.
    #[serde(untagged)]
    #[cfg_attr(feature = "codegen", ts(skip))]
    #[cfg_attr(feature = "codegen", schemars(skip))]
    Unknown(String),
}

open_string_enum!(CommandRiskLevel { Low => "low", Medium => "medium", High => "high" });

/// Result of `item/commandExecution/requestApproval`: the user's decision, e.g.
/// `{"decision":"accept"}` or
/// `{"decision":{"acceptWithExecpolicyAmendment":{"execpolicyAmendment":["cargo","test"]}}}`.
///
/// Sent by the client. Also accepted on input, for older clients: the earlier shape
/// `{"decision":"accept","acceptSettings":{"forSession":true}}`, read as `acceptForSession`;
/// with `acceptSettings` `{"forSession":false}`, `null` or absent, the `decision` is read as
/// given. `acceptSettings` is ignored with `decline` and `cancel`, and contradictory
/// combinations with the newer decisions are rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandExecutionRequestApprovalResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommandExecutionRequestApprovalResponse {
    /// What the user decided.
    pub decision: CommandExecutionApprovalDecision,
}

/// The user's decision on a command.
///
/// Wire values: `"accept"`, `"acceptForSession"`,
/// `{"acceptWithExecpolicyAmendment":{"execpolicyAmendment":["cargo","test"]}}`, `"decline"`,
/// `"cancel"`. On input the inner key may also be spelled `execpolicy_amendment`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.CommandExecutionApprovalDecision"))]
#[serde(rename_all = "camelCase")]
pub enum CommandExecutionApprovalDecision {
    /// Run the command, this once.
    Accept,
    /// Run the command, and run the same command again without asking for the rest of the
    /// session.
    AcceptForSession,
    /// Run the command, and allow every command starting with the given prefix from now on
    /// (the prefix proposed in `proposedExecpolicyAmendment`).
    #[serde(rename_all = "camelCase")]
    AcceptWithExecpolicyAmendment {
        /// The command prefix to allow, e.g. `["cargo", "test"]`.
        execpolicy_amendment: Vec<String>,
    },
    /// Do not run the command; the agent carries on with the turn.
    Decline,
    /// Do not run the command, and interrupt the turn.
    Cancel,
}

/// The decoder's view of a decision: canonical spellings plus the snake_case inner key.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum DecisionInput {
    Accept,
    AcceptForSession,
    AcceptWithExecpolicyAmendment {
        #[serde(rename = "execpolicyAmendment", alias = "execpolicy_amendment")]
        execpolicy_amendment: Vec<String>,
    },
    Decline,
    Cancel,
}

impl From<DecisionInput> for CommandExecutionApprovalDecision {
    fn from(input: DecisionInput) -> Self {
        match input {
            DecisionInput::Accept => CommandExecutionApprovalDecision::Accept,
            DecisionInput::AcceptForSession => CommandExecutionApprovalDecision::AcceptForSession,
            DecisionInput::AcceptWithExecpolicyAmendment { execpolicy_amendment } => {
                CommandExecutionApprovalDecision::AcceptWithExecpolicyAmendment {
                    execpolicy_amendment,
                }
            }
            DecisionInput::Decline => CommandExecutionApprovalDecision::Decline,
            DecisionInput::Cancel => CommandExecutionApprovalDecision::Cancel,
        }
    }
}

impl<'de> Deserialize<'de> for CommandExecutionApprovalDecision {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DecisionInput::deserialize(deserializer).map(Into::into)
    }
}

/// The decoder's view of a response: the canonical member plus the legacy `acceptSettings`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResponseInput {
    decision: CommandExecutionApprovalDecision,
    #[serde(default)]
    accept_settings: Option<AcceptSettingsInput>,
}

/// The baseline's `acceptSettings` object.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AcceptSettingsInput {
    #[serde(default)]
    for_session: Option<bool>,
}

impl<'de> Deserialize<'de> for CommandExecutionRequestApprovalResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use CommandExecutionApprovalDecision as Decision;
        let input = ResponseInput::deserialize(deserializer)?;
        let for_session =
            input.accept_settings.map(|settings| settings.for_session.unwrap_or(false));
        let decision = match (input.decision, for_session) {
            // The baseline shape: `accept` plus `forSession: true` approves for the session.
            (Decision::Accept, Some(true)) => Decision::AcceptForSession,
            (Decision::AcceptForSession, Some(false)) => {
                return Err(D::Error::custom(
                    "contradictory approval: decision `acceptForSession` with legacy \
                     `acceptSettings.forSession: false`; send only `decision`",
                ));
            }
            (Decision::AcceptWithExecpolicyAmendment { .. }, Some(true)) => {
                return Err(D::Error::custom(
                    "contradictory approval: decision `acceptWithExecpolicyAmendment` with \
                     legacy `acceptSettings.forSession: true`; send only `decision`",
                ));
            }
            // No settings, `forSession: false`, or settings that the decision ignores
            // (`decline`, `cancel`): the decision as given.
            (decision, _) => decision,
        };
        Ok(CommandExecutionRequestApprovalResponse { decision })
    }
}

/// Params of `item/fileChange/requestApproval`: the agent wants to apply file changes and
/// needs the user's approval. The changes themselves are in the `fileChange` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.FileChangeRequestApprovalParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileChangeRequestApprovalParams {
    /// The thread the changes belong to.
    pub thread_id: String,
    /// The turn the changes belong to.
    pub turn_id: String,
    /// The id of the `fileChange` item the approval is for.
    pub item_id: String,
    /// Why the agent asks, e.g. `"needs to write outside the workspace"`; `null` when it gave
    /// no reason.
    pub reason: Option<String>,
    /// A folder (absolute path) the agent asks to be allowed to write to for the rest of the
    /// session; `null` when it asks for no such grant. Experimental.
    pub grant_root: Option<String>,
}

/// Result of `item/fileChange/requestApproval`, e.g. `{"decision":"accept"}`. Sent by the
/// client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.FileChangeRequestApprovalResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileChangeRequestApprovalResponse {
    /// What the user decided.
    pub decision: FileChangeApprovalDecision,
}

/// The user's decision on a set of file changes.
///
/// Wire values: `"accept"`, `"acceptForSession"`, `"decline"`, `"cancel"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.FileChangeApprovalDecision"))]
#[serde(rename_all = "camelCase")]
pub enum FileChangeApprovalDecision {
    /// Apply the changes.
    Accept,
    /// Apply the changes, and apply further changes to the same files without asking for the
    /// rest of the session.
    AcceptForSession,
    /// Do not apply the changes; the agent carries on with the turn.
    Decline,
    /// Do not apply the changes, and interrupt the turn.
    Cancel,
}
