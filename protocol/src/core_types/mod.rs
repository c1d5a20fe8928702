//! Types of the agent's core protocol that both API generations embed: the model's
//! conversation items (`ResponseItem` family), MCP types, model and sandbox settings, account
//! basics and the shell tool's call arguments. They keep the core protocol's spelling on the
//! wire (often snake_case), because changing it would break existing clients.

pub mod account;
pub mod config;
pub mod ids;
pub mod mcp;
pub mod response_item;
pub mod shell_tool;

pub use account::*;
pub use config::*;
pub use ids::*;
pub use mcp::*;
pub use response_item::*;
pub use shell_tool::*;
