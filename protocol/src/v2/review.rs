//! Code review requests: the params of `review/start` ([`ReviewStartParams`]) and what to
//! review ([`ReviewTarget`]). The answer is a `TurnStartResponse`: a review runs as a turn, and
//! its result arrives as a `codeReview` item.

use app_server_protocol_derive::{DeserializeTagFirst, Payload};
use serde::{Deserialize, Serialize};

/// Params of `review/start`: start a code review turn on a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReviewStartParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReviewStartParams {
    /// The thread to run the review on.
    pub thread_id: String,
    /// What to review.
    pub target: ReviewTarget,
    /// When `true`, the review's findings are also added to the thread's history, so later
    /// turns can refer to them. `false` (the default when absent) keeps the review separate.
    #[serde(default)]
    pub append_to_original_thread: bool,
}

/// What a code review looks at. Tagged by `type`.
///
/// Examples: `{"type":"uncommittedChanges"}`, `{"type":"baseBranch","branch":"main"}`,
/// `{"type":"commit","sha":"1a2b3c4","title":"Fix login"}`,
/// `{"type":"custom","instructions":"Check error handling in src/net"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReviewTarget"))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ReviewTarget {
    /// The working tree's staged, unstaged and untracked changes.
    UncommittedChanges,
    /// The changes of the current branch since it diverged from `branch` (like a pull request
    /// against that branch).
    #[serde(rename_all = "camelCase")]
    BaseBranch {
        /// The branch to compare against, e.g. `"main"`.
        branch: String,
    },
    /// The changes introduced by one commit.
    #[serde(rename_all = "camelCase")]
    Commit {
        /// The commit's SHA (full or abbreviated).
        sha: String,
        /// The commit's title, shown in the review's heading; omitted (or `null`) when the
        /// client does not know it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// Free-form review instructions written by the user.
    #[serde(rename_all = "camelCase")]
    Custom {
        /// What to review and how, in the user's words.
        instructions: String,
    },
}
