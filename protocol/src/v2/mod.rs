//! API v2: the current API. Methods are named `<resource>/<verb>`, fields are camelCase, and
//! every output field is always present (`null` when absent).
//!
//! Types whose name also exists in the core protocol or in v1 (e.g. [`SandboxPolicy`],
//! [`AskForApproval`]) are the v2 twins; they live here, apart from the others, by module.

pub mod account;
pub mod approval;
pub mod config;
pub mod feedback;
pub mod item;
pub mod item_detail;
pub mod mcp;
pub mod model;
pub mod review;
pub mod sandbox;
pub mod thread;
pub mod turn;

pub use account::*;
pub use approval::*;
pub use config::*;
pub use feedback::*;
pub use item::*;
pub use item_detail::*;
pub use mcp::*;
pub use model::*;
pub use review::*;
pub use sandbox::*;
pub use thread::*;
pub use turn::*;
