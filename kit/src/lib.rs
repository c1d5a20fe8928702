//! The app server kit: a mock app server for frontend teams ([`mock`]) and a conformance kit
//! that checks servers and clients against the contract ([`conform`]). Both run on the typed
//! peer (`app-server-peer`); the binary `app-server-kit` is their command line.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod conform;
pub mod mock;
pub mod report;
pub mod transport;
