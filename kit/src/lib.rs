//! The app server kit: a mock app server for frontend teams ([`mock`]), a conformance kit
//! that checks servers and clients against the contract ([`conform`]), and a stand-in model
//! API ([`model`]) that a real app server can run against offline. The mock and the kit run
//! on the typed peer (`app-server-peer`); the binary `app-server-kit` is their command line.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod command;
pub mod conform;
pub mod mock;
pub mod model;
pub mod report;
pub mod transport;
