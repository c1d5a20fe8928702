//! The arguments the model sends when it calls the shell tool ([`ShellToolCallParams`]), and
//! the sandbox permissions a call may request ([`SandboxPermissions`]).
//!
//! These are not app-server messages: they are what the model writes into a function call, so
//! they keep the tool's snake_case spelling. The JSON Schema of [`ShellToolCallParams`] is what
//! the model is given as the tool's parameter schema.
//!
//! Older models send the boolean `with_escalated_permissions` instead of
//! `sandbox_permissions`; it is still accepted on input and mapped (`true` →
//! `require_escalated`, `false` → `use_default`). When both keys are present and disagree the
//! input is rejected. Output only ever uses `sandbox_permissions`.
//!
//! # Example
//!
//! ```
//! use app_server_protocol::core_types::{SandboxPermissions, ShellToolCallParams};
//!
//! // The current shape.
//! let current: ShellToolCallParams = serde_json::from_str(
//!     r#"{"command":["git","push"],"sandbox_permissions":"require_escalated","justification":"needs network"}"#,
//! )?;
//! // The legacy shape of older models: the boolean maps to the same value.
//! let legacy: ShellToolCallParams = serde_json::from_str(
//!     r#"{"command":["git","push"],"with_escalated_permissions":true,"justification":"needs network"}"#,
//! )?;
//! assert_eq!(current, legacy);
//! assert_eq!(legacy.sandbox_permissions, SandboxPermissions::RequireEscalated);
//! assert_eq!(SandboxPermissions::from(false), SandboxPermissions::UseDefault);
//!
//! // Output uses `sandbox_permissions` only, and omits it when it is `use_default`.
//! assert_eq!(
//!     serde_json::to_string(&legacy)?,
//!     r#"{"command":["git","push"],"sandbox_permissions":"require_escalated","justification":"needs network"}"#,
//! );
//! let plain: ShellToolCallParams =
//!     serde_json::from_str(r#"{"command":["ls"],"with_escalated_permissions":false}"#)?;
//! assert_eq!(serde_json::to_string(&plain)?, r#"{"command":["ls"]}"#);
//!
//! // Both keys, disagreeing: rejected.
//! let conflict = serde_json::from_str::<ShellToolCallParams>(
//!     r#"{"command":["ls"],"sandbox_permissions":"use_default","with_escalated_permissions":true}"#,
//! );
//! assert!(conflict.unwrap_err().to_string().contains("conflicting sandbox permissions"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// The sandbox a shell command asks to run in.
///
/// Wire values: `"use_default"` (the default), `"require_escalated"`. An enum rather than a
/// boolean so that finer requests can be added later (e.g. a read-only sandbox asking for a
/// write-capable one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SandboxPermissions {
    /// Run in the session's configured sandbox.
    #[default]
    UseDefault,
    /// Run outside the sandbox (with the user's approval, depending on the approval policy).
    RequireEscalated,
}

impl SandboxPermissions {
    /// Whether this is the default, [`SandboxPermissions::UseDefault`].
    pub fn is_default(&self) -> bool {
        *self == SandboxPermissions::UseDefault
    }

    /// Whether the command asks to leave the sandbox.
    pub fn requires_escalated_permissions(&self) -> bool {
        *self == SandboxPermissions::RequireEscalated
    }
}

/// The legacy `with_escalated_permissions` boolean: `true` → `require_escalated`, `false` →
/// `use_default`.
impl From<bool> for SandboxPermissions {
    fn from(with_escalated_permissions: bool) -> Self {
        if with_escalated_permissions {
            SandboxPermissions::RequireEscalated
        } else {
            SandboxPermissions::UseDefault
        }
    }
}

/// The arguments of a shell tool call, as the model writes them.
///
/// Example: `{"command":["ls","-la"],"workdir":"/repo","timeout_ms":10000,
/// "sandbox_permissions":"require_escalated","justification":"needs network"}`.
/// Optional members are omitted when absent, and `sandbox_permissions` is omitted when it is
/// `use_default`. On input, `null` reads like an absent member, `timeout` is accepted as an
/// older name of `timeout_ms`, and the legacy boolean `with_escalated_permissions` is mapped
/// to `sandbox_permissions` (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ShellToolCallParams {
    /// The program and its arguments, e.g. `["bash", "-lc", "cargo test"]`.
    pub command: Vec<String>,
    /// The working directory to run in; the session's working directory when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workdir: Option<String>,
    /// The longest the command may run, in milliseconds; the server's default when absent.
    /// Values beyond 2^53 are not portable to JavaScript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Which sandbox the command asks for. Omitted when `use_default`.
    #[serde(default, skip_serializing_if = "SandboxPermissions::is_default")]
    pub sandbox_permissions: SandboxPermissions,
    /// Why the command needs escalated permissions, shown to the user when asking for
    /// approval. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// What the decoder accepts: the canonical keys plus the legacy ones.
#[derive(Deserialize)]
struct ShellToolCallParamsInput {
    command: Vec<String>,
    #[serde(default)]
    workdir: Option<String>,
    #[serde(default, alias = "timeout")]
    timeout_ms: Option<u64>,
    #[serde(default)]
    sandbox_permissions: Option<SandboxPermissions>,
    #[serde(default)]
    with_escalated_permissions: Option<bool>,
    #[serde(default)]
    justification: Option<String>,
}

impl<'de> Deserialize<'de> for ShellToolCallParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let input = ShellToolCallParamsInput::deserialize(deserializer)?;
        let legacy = input.with_escalated_permissions.map(SandboxPermissions::from);
        let sandbox_permissions = match (input.sandbox_permissions, legacy) {
            (Some(current), Some(legacy)) if current != legacy => {
                return Err(D::Error::custom(format!(
                    "conflicting sandbox permissions: `sandbox_permissions` is `{}` but the \
                     legacy `with_escalated_permissions` is `{}`; send only \
                     `sandbox_permissions`",
                    match current {
                        SandboxPermissions::UseDefault => "use_default",
                        SandboxPermissions::RequireEscalated => "require_escalated",
                    },
                    input.with_escalated_permissions.unwrap_or_default(),
                )));
            }
            (Some(current), _) => current,
            (None, Some(legacy)) => legacy,
            (None, None) => SandboxPermissions::UseDefault,
        };
        Ok(ShellToolCallParams {
            command: input.command,
            workdir: input.workdir,
            timeout_ms: input.timeout_ms,
            sandbox_permissions,
            justification: input.justification,
        })
    }
}
