//! v1 utility methods that are not tied to a conversation: `gitDiffToRemote`,
//! `fuzzyFileSearch` and `execOneOffCommand`.

use std::path::PathBuf;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::SandboxPolicy;

/// A git commit hash, written as a plain string, e.g.
/// `"9fceb02d0ae598e95dc970b74767f19372d61af8"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct GitSha(pub String);

impl GitSha {
    /// Wraps a commit hash.
    pub fn new(sha: impl Into<String>) -> Self {
        GitSha(sha.into())
    }

    /// The commit hash as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Params of `gitDiffToRemote`: the diff between a working tree and its remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GitDiffToRemoteParams {
    /// A folder inside the git working tree.
    pub cwd: PathBuf,
}

/// Result of `gitDiffToRemote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GitDiffToRemoteResponse {
    /// The commit known to the remote that the diff is taken against.
    pub sha: GitSha,
    /// The unified diff from that commit to the working tree.
    pub diff: String,
}

/// Params of `fuzzyFileSearch`: finds files whose path matches a fuzzy query, e.g. for an
/// `@file` picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FuzzyFileSearchParams {
    /// The text typed so far, e.g. `"srvmain"`.
    pub query: String,
    /// Folders to search in (absolute paths).
    pub roots: Vec<String>,
    /// A token naming this search; a later search with the same token cancels this one (its
    /// answer then has no files). `null` when the search cannot be cancelled.
    pub cancellation_token: Option<String>,
}

/// Result of `fuzzyFileSearch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct FuzzyFileSearchResponse {
    /// The matching files, best match first.
    pub files: Vec<FuzzyFileSearchResult>,
}

/// One file found by `fuzzyFileSearch`. Keys are snake_case on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct FuzzyFileSearchResult {
    /// The search root the file was found under (one of the request's `roots`).
    pub root: String,
    /// Path of the file relative to `root`.
    pub path: String,
    /// The file's name (last path segment).
    pub file_name: String,
    /// How well the path matches; higher is better. Only comparable within one search.
    pub score: u32,
    /// Positions (character indices into `path`) of the matched query characters, for
    /// highlighting; `null` when not computed.
    pub indices: Option<Vec<u32>>,
}

/// Params of `execOneOffCommand`: runs a command under the server's sandbox, outside any
/// conversation, and returns its output when it exits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExecOneOffCommandParams {
    /// The command as an argument vector, e.g. `["git", "status"]`.
    pub command: Vec<String>,
    /// How long the command may run, in milliseconds; `null` uses the server's default.
    pub timeout_ms: Option<u64>,
    /// Working directory; `null` uses the server's working directory.
    pub cwd: Option<PathBuf>,
    /// The sandbox to run in; `null` uses the configured sandbox.
    pub sandbox_policy: Option<SandboxPolicy>,
}

/// Result of `execOneOffCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExecOneOffCommandResponse {
    /// The command's exit code (non-zero on failure or timeout).
    pub exit_code: i32,
    /// Everything the command wrote to standard output.
    pub stdout: String,
    /// Everything the command wrote to standard error.
    pub stderr: String,
}
