//! Server behaviour the app server contract promises but its types cannot enforce, for servers
//! (the kit's mock, the peer's example server) to share:
//!
//! - [`pagination`]: full pages from a filtered, paginated source, with cursors that chain (the
//!   paging promise of `thread/list`, `model/list`, `mcpServerStatus/list`, v1
//!   `listConversations`);
//! - [`model_default`]: which model is the default when the config names none, and the
//!   `model/list` page that marks exactly that one `isDefault`.
//!
//! These lived in the contract crate; they are behaviour, so a fix to them must not force a
//! release of the wire contract (`app-server-protocol`), which this crate depends on for the
//! wire types only.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod model_default;
pub mod pagination;
