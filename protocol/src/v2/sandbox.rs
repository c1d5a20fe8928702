//! The v2 (camelCase) twins of the core sandbox settings: [`AskForApproval`], [`SandboxMode`],
//! [`SandboxPolicy`], plus the Windows world-writable warning notification.
//!
//! The core protocol and the config file spell these in kebab-case / snake_case
//! (`"on-request"`, `writable_roots`); see `crate::core_types`. v2 messages use the camelCase
//! spellings defined here. `From` conversions go both ways.

use app_server_protocol_derive::{DeserializeTagFirst, Payload};
use serde::{Deserialize, Serialize};

use crate::core_types;

/// When the agent asks the user for approval before running a command.
///
/// Wire values: `"unlessTrusted"`, `"onFailure"`, `"onRequest"`, `"never"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.AskForApproval"))]
#[serde(rename_all = "camelCase")]
pub enum AskForApproval {
    /// Only commands known to be safe and read-only run without asking; every other command
    /// asks first.
    UnlessTrusted,
    /// Commands run in the sandbox without asking; the user is asked only when a command failed
    /// there and could be retried outside the sandbox.
    OnFailure,
    /// The model decides when to ask. This is the usual setting.
    #[default]
    OnRequest,
    /// Never ask; failures are reported straight back to the model.
    Never,
}

/// The sandbox a thread's commands run in, as a simple mode (see [`SandboxPolicy`] for the
/// detailed form used by `turn/start`).
///
/// Wire values: `"readOnly"`, `"workspaceWrite"`, `"dangerFullAccess"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.SandboxMode"))]
#[serde(rename_all = "camelCase")]
pub enum SandboxMode {
    /// Commands may read any file but write none.
    #[default]
    ReadOnly,
    /// Commands may write inside the workspace (the thread's working directory) and the
    /// configured extra roots.
    WorkspaceWrite,
    /// No sandbox at all: commands may do anything the user can. Use with care.
    DangerFullAccess,
}

/// What the agent's commands may do, in detail.
///
/// Tagged by `type`. Examples: `{"type":"readOnly"}`,
/// `{"type":"workspaceWrite","writableRoots":["/data"],"networkAccess":false,
/// "excludeTmpdirEnvVar":false,"excludeSlashTmp":false}`. The server always writes every field of
/// `workspaceWrite`; when reading, absent fields take their defaults (`[]` / `false`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.SandboxPolicy"))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SandboxPolicy {
    /// No restrictions at all. Use with care.
    DangerFullAccess,
    /// Every file may be read, none written; no network access.
    ReadOnly,
    /// Like `readOnly`, plus write access to the workspace (the working directory), the
    /// temporary folders and the listed extra roots.
    #[serde(rename_all = "camelCase")]
    WorkspaceWrite {
        /// Extra folders (absolute paths) commands may write to. Empty when there are none.
        #[serde(default)]
        writable_roots: Vec<String>,
        /// Whether commands may open outbound network connections.
        #[serde(default)]
        network_access: bool,
        /// When `true`, the folder named by the `TMPDIR` environment variable is NOT writable.
        #[serde(default)]
        exclude_tmpdir_env_var: bool,
        /// When `true`, `/tmp` is NOT writable (Unix only).
        #[serde(default)]
        exclude_slash_tmp: bool,
    },
}

/// Sent on Windows when some folders are writable by every user, which weakens the sandbox.
/// A client typically shows a warning with the sample paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.WindowsWorldWritableWarningNotification"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WindowsWorldWritableWarningNotification {
    /// A few of the world-writable folders found (absolute paths), for display.
    pub sample_paths: Vec<String>,
    /// How many more world-writable folders were found beyond `samplePaths`.
    pub extra_count: usize,
    /// `true` when the scan itself failed, so the list may be incomplete.
    pub failed_scan: bool,
}

impl From<core_types::AskForApproval> for AskForApproval {
    fn from(value: core_types::AskForApproval) -> Self {
        match value {
            core_types::AskForApproval::UnlessTrusted => AskForApproval::UnlessTrusted,
            core_types::AskForApproval::OnFailure => AskForApproval::OnFailure,
            core_types::AskForApproval::OnRequest => AskForApproval::OnRequest,
            core_types::AskForApproval::Never => AskForApproval::Never,
        }
    }
}

impl From<AskForApproval> for core_types::AskForApproval {
    fn from(value: AskForApproval) -> Self {
        match value {
            AskForApproval::UnlessTrusted => core_types::AskForApproval::UnlessTrusted,
            AskForApproval::OnFailure => core_types::AskForApproval::OnFailure,
            AskForApproval::OnRequest => core_types::AskForApproval::OnRequest,
            AskForApproval::Never => core_types::AskForApproval::Never,
        }
    }
}

impl From<core_types::SandboxMode> for SandboxMode {
    fn from(value: core_types::SandboxMode) -> Self {
        match value {
            core_types::SandboxMode::ReadOnly => SandboxMode::ReadOnly,
            core_types::SandboxMode::WorkspaceWrite => SandboxMode::WorkspaceWrite,
            core_types::SandboxMode::DangerFullAccess => SandboxMode::DangerFullAccess,
        }
    }
}

impl From<SandboxMode> for core_types::SandboxMode {
    fn from(value: SandboxMode) -> Self {
        match value {
            SandboxMode::ReadOnly => core_types::SandboxMode::ReadOnly,
            SandboxMode::WorkspaceWrite => core_types::SandboxMode::WorkspaceWrite,
            SandboxMode::DangerFullAccess => core_types::SandboxMode::DangerFullAccess,
        }
    }
}

impl From<core_types::SandboxPolicy> for SandboxPolicy {
    fn from(value: core_types::SandboxPolicy) -> Self {
        match value {
            core_types::SandboxPolicy::DangerFullAccess => SandboxPolicy::DangerFullAccess,
            core_types::SandboxPolicy::ReadOnly => SandboxPolicy::ReadOnly,
            core_types::SandboxPolicy::WorkspaceWrite {
                writable_roots,
                network_access,
                exclude_tmpdir_env_var,
                exclude_slash_tmp,
            } => SandboxPolicy::WorkspaceWrite {
                writable_roots,
                network_access,
                exclude_tmpdir_env_var,
                exclude_slash_tmp,
            },
        }
    }
}

impl From<SandboxPolicy> for core_types::SandboxPolicy {
    fn from(value: SandboxPolicy) -> Self {
        match value {
            SandboxPolicy::DangerFullAccess => core_types::SandboxPolicy::DangerFullAccess,
            SandboxPolicy::ReadOnly => core_types::SandboxPolicy::ReadOnly,
            SandboxPolicy::WorkspaceWrite {
                writable_roots,
                network_access,
                exclude_tmpdir_env_var,
                exclude_slash_tmp,
            } => core_types::SandboxPolicy::WorkspaceWrite {
                writable_roots,
                network_access,
                exclude_tmpdir_env_var,
                exclude_slash_tmp,
            },
        }
    }
}
