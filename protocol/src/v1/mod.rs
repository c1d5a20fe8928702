//! API v1: the legacy API, frozen at the 0.63.0 wire. v1 clients still run in the field, so
//! every message here stays byte-for-byte what the baseline describes: v1 params and results
//! are camelCase, the core-protocol types they embed (the [`EventMsg`] family, [`FileChange`],
//! [`ParsedCommand`], [`ReviewDecision`] …) keep the core protocol's snake_case spelling, and
//! optional fields are written as explicit `null` except where the baseline omits them.
//!
//! Every v1 method is deprecated in favour of a v2 method where one exists; the method table in
//! [`crate::methods`] names the replacement. Types here whose name also exists in v2 (e.g.
//! [`UserInput`], [`McpAuthStatus`], [`CodexErrorInfo`], [`RateLimitSnapshot`]) are the core
//! spellings; the v2 twins live in [`crate::v2`].

pub mod approval;
pub mod auth;
pub mod config;
pub mod conversation;
pub mod events;
pub mod messaging;
pub mod tools;

pub use approval::*;
pub use auth::*;
pub use config::*;
pub use conversation::*;
pub use events::*;
pub use messaging::*;
pub use tools::*;
