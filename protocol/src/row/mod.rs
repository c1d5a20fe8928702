//! What one row of the method table ([`crate::methods`]) says — [`MethodMeta`], its
//! [`ApiGeneration`], [`Stability`], [`MethodError`]s — and the machinery that turns rows into
//! code. (Its earlier name, `method_table`, still imports.)
//!
//! The table is written with two macros, `request_table!` and `notification_table!`; each row
//! declares one method. From the rows they generate, per direction:
//!
//! - a fieldless method enum (e.g. [`crate::ClientRequestMethod`]) with the wire name, the
//!   lookup by wire name (canonical name or deprecated alias) and the row's [`MethodMeta`];
//! - the typed message enum (e.g. [`crate::ClientRequest`]) whose variants hold the typed params;
//! - for requests, the typed result enum (e.g. [`crate::ClientRequestResult`]) whose variants
//!   hold the typed result of the answered method;
//! - a `const` slice of [`MethodMeta`] that codegen, docs and coverage checks walk.

#[macro_use]
mod errors;
#[macro_use]
mod macros;
#[macro_use]
mod request_macro;
mod wire;

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

pub(crate) use wire::{
    decode_payload, serialize_notification, serialize_request, serialize_response,
};

pub use errors::{ErrorData, MethodError};

use crate::jsonrpc::Direction;

/// Which API generation a method belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiGeneration {
    /// Used by v1 and v2 clients alike (the `initialize` handshake).
    Shared,
    /// The legacy API, frozen at the 0.63.0 wire.
    V1,
    /// The current API.
    V2,
}

impl ApiGeneration {
    /// `"shared"`, `"v1"` or `"v2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiGeneration::Shared => "shared",
            ApiGeneration::V1 => "v1",
            ApiGeneration::V2 => "v2",
        }
    }
}

/// How settled a method's wire is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stability {
    /// Covered by the compatibility promise.
    Stable,
    /// May change without a deprecation period.
    Experimental,
}

impl Stability {
    /// `"stable"` or `"experimental"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stability::Stable => "stable",
            Stability::Experimental => "experimental",
        }
    }
}

/// Whether a method is a request (answered by a response) or a notification (never answered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageKind {
    /// Carries an `id` and is answered by a response or an error.
    Request,
    /// Carries no `id` and is never answered.
    Notification,
}

/// One row of the method table, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodMeta {
    /// The Rust variant name, e.g. `"ThreadStart"`.
    pub variant: &'static str,
    /// The canonical wire name, e.g. `"thread/start"`. Outputs always use it. For a method
    /// family ([`MethodMeta::family`]) it is the prefix every name of the family starts with
    /// (`"codex/event/"`).
    pub wire_name: &'static str,
    /// For a method family — one row for every method `<wire_name><suffix>`, such as the
    /// legacy event stream's `codex/event/<type>` — the JSON path, inside the params, of the
    /// member whose value is the suffix (`"msg.type"`); `None` for an ordinary method.
    pub family: Option<&'static str>,
    /// Who sends the request or notification.
    pub direction: Direction,
    /// Request or notification.
    pub kind: MessageKind,
    /// The API generation.
    pub api: ApiGeneration,
    /// How settled the wire is.
    pub stability: Stability,
    /// The params type as written in the table (e.g. `"v2::ThreadStartParams"`), or `None` for
    /// methods without params (the `params` member is omitted on the wire).
    pub params_type: Option<&'static str>,
    /// The result type as written in the table, or `None` for notifications.
    pub result_type: Option<&'static str>,
    /// Earlier wire names still accepted on input; they decode to this method.
    pub aliases: &'static [&'static str],
    /// Why and how to migrate away, when the method itself is deprecated.
    pub deprecated: Option<&'static str>,
    /// The method's documentation, from the table's doc comment.
    pub doc: &'static str,
    /// Valid example params as JSON text, from the row's `example:` (what the conformance kit
    /// sends, what documents show); `None` for a row without one. Every v2 request a client
    /// sends with params has one (a test names the rows that lack it). Members named
    /// `threadId` / `turnId` hold placeholder ids that a caller with live ones replaces.
    pub example_params: Option<&'static str>,
    /// The errors particular to this method, from the row's `errors:` (see [`MethodError`]).
    pub errors: &'static [MethodError],
}

impl MethodMeta {
    /// Which way the params travel: with the request or notification, from its sender.
    pub fn params_direction(&self) -> Direction {
        self.direction
    }

    /// Which way the result of a request travels: back to the sender.
    pub fn result_direction(&self) -> Direction {
        self.direction.reverse()
    }

    /// The bare params type name (`"ThreadStartParams"`), without the module path.
    pub fn params_type_name(&self) -> Option<&'static str> {
        self.params_type.map(last_path_segment)
    }

    /// The bare result type name (`"ThreadStartResponse"`), without the module path.
    pub fn result_type_name(&self) -> Option<&'static str> {
        self.result_type.map(last_path_segment)
    }

    /// Whether `name` is this method's wire name or one of its aliases (for a family: a
    /// name made of the family's prefix and a non-empty suffix).
    pub fn answers_to(&self, name: &str) -> bool {
        match self.family {
            Some(_) => family_suffix(self.wire_name, name).is_some(),
            None => self.wire_name == name || self.aliases.contains(&name),
        }
    }

    /// The wire name as documents show it: the name, or for a family its pattern
    /// (`codex/event/{type}`, the placeholder named after the last segment of
    /// [`MethodMeta::family`]).
    pub fn display_name(&self) -> String {
        match self.family {
            Some(path) => {
                let placeholder = path.rsplit('.').next().unwrap_or(path);
                format!("{}{{{placeholder}}}", self.wire_name)
            }
            None => self.wire_name.to_owned(),
        }
    }
}

/// The suffix of `name` in the family whose names start with `prefix`: `None` when `name` does
/// not start with it or nothing follows.
pub(crate) fn family_suffix<'a>(prefix: &str, name: &'a str) -> Option<&'a str> {
    name.strip_prefix(prefix).filter(|suffix| !suffix.is_empty())
}

/// The check behind a family notification's `check_wire_name`: the suffix of `name` must be
/// the one the params name; otherwise the error is at the params member that names it.
pub(crate) fn check_family_name<P: MethodFamily>(
    prefix: &str,
    name: &str,
    params: &P,
) -> Result<(), PayloadError> {
    let found = params.suffix();
    match family_suffix(prefix, name) {
        Some(suffix) if suffix == found => Ok(()),
        suffix => Err(PayloadError {
            path: P::SUFFIX_PATH.to_owned(),
            message: format!(
                "expected \"{}\" (the method's last segment), found \"{found}\"",
                suffix.unwrap_or_default()
            ),
        }),
    }
}

/// The params of a method family (see [`MethodMeta::family`]): the params name the suffix of
/// the method they travel with, so that the method can be written from them and checked
/// against them on input.
pub trait MethodFamily {
    /// The JSON path, inside the params, of the member whose value is the suffix.
    const SUFFIX_PATH: &'static str;
    /// The method name's suffix these params go with (`"agent_message_delta"`).
    fn suffix(&self) -> &'static str;
}

fn last_path_segment(path: &'static str) -> &'static str {
    let path = path.trim();
    match path.rfind("::") {
        Some(at) => path[at + 2..].trim(),
        None => path,
    }
}

/// The params of a method that takes none.
///
/// On the wire the `params` member is omitted. On input, an absent `params`, `null`, or any
/// object is accepted (the object's members are ignored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoParams;

impl Serialize for NoParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_none()
    }
}

impl<'de> Deserialize<'de> for NoParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoParamsVisitor;
        impl<'de> Visitor<'de> for NoParamsVisitor {
            type Value = NoParams;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("no params (absent, null or an object)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<NoParams, E> {
                Ok(NoParams)
            }
            fn visit_none<E: de::Error>(self) -> Result<NoParams, E> {
                Ok(NoParams)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoParams, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(NoParams)
            }
        }
        deserializer.deserialize_any(NoParamsVisitor)
    }
}

/// Which payload of a method a type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadRole {
    /// The `params` of a request or notification.
    Params,
    /// The `result` of a request.
    Result,
}

/// Walks the payload types of the method table (codegen only): the params type of every
/// method that has params and the result type of every request.
#[cfg(feature = "codegen")]
pub trait PayloadVisitor {
    /// Called once per payload of a method.
    fn visit<T: ts_rs::TS + schemars::JsonSchema + 'static>(
        &mut self,
        method: &'static MethodMeta,
        role: PayloadRole,
    );
}

/// The shape of a payload type, as [`Payload`] states it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadShape {
    /// A struct with `#[derive(Payload)]`: `new` takes the `required` members, and `Default`
    /// exists exactly when there are none.
    Struct {
        /// The wire names of the members the decoder cannot do without, in declaration order.
        required: &'static [&'static str],
    },
    /// An enum, built by its variants: no constructor, no `Default`.
    Enum,
}

/// What `#[derive(Payload)]` (or, for an enum payload, a one-line impl beside it) states about
/// a payload type. Every params and result type of the method table implements it (the table
/// does not compile otherwise), so that a test can check each against its decoder. Hidden: not
/// part of the crate's API.
#[doc(hidden)]
pub trait Payload: Sized {
    /// The payload's shape.
    const SHAPE: PayloadShape;
    /// `Some(Default::default())` exactly when the type implements `Default`.
    fn default_value() -> Option<Self>;
}

/// Walks the payload types of the method table with their [`Payload`] shape (for the tests that
/// check constructors against the decoder). Hidden: not part of the crate's API.
#[doc(hidden)]
pub trait PayloadShapeVisitor {
    /// Called once per payload of a method.
    fn visit<T: Payload + Serialize + de::DeserializeOwned + fmt::Debug + PartialEq + 'static>(
        &mut self,
        method: &'static MethodMeta,
        role: PayloadRole,
    );
}

/// A params or result payload that does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    /// Where in the payload the problem is, as a JSON path relative to the payload
    /// (`"input[0].type"`; `"."` for the payload itself).
    pub path: String,
    /// What was found and what was expected, e.g. ``"invalid type: integer `3`, expected a string"``.
    pub message: String,
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}
