//! The machinery behind the method table in [`crate::methods`].
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

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::jsonrpc::{Direction, RequestId};

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
    /// The canonical wire name, e.g. `"thread/start"`. Outputs always use it.
    pub wire_name: &'static str,
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

    /// Whether `name` is this method's wire name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.wire_name == name || self.aliases.contains(&name)
    }
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
#[cfg(feature = "codegen")]
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

/// Decodes a payload (params or result) from its raw JSON text, reporting the path of the
/// first offending field. `raw` of `None` means the member was absent.
pub(crate) fn decode_payload<T: DeserializeOwned>(
    raw: Option<&str>,
    has_payload: bool,
) -> Result<T, PayloadError> {
    let text = match (raw, has_payload) {
        (Some(text), _) => text,
        (None, false) => "null",
        // Absent params of a method that has some: read as `{}` so that params made only of
        // optional fields may be left out, and report what is missing otherwise.
        (None, true) => "{}",
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        PayloadError { path, message: strip_position(&err.into_inner().to_string()) }
    })?;
    Ok(value)
}

/// serde_json appends ` at line L column C` to its messages; the position is relative to the
/// payload, not to the line the peer sent, so it only confuses. The JSON path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message.to_owned(),
    }
}

/// Writes `{"id": …, "method": …, "params": …}`; `params` is left out for methods without.
pub(crate) fn serialize_request<S: Serializer, P: Serialize>(
    serializer: S,
    id: &RequestId,
    method: &str,
    params: &P,
    has_params: bool,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(if has_params { 3 } else { 2 }))?;
    map.serialize_entry("id", id)?;
    map.serialize_entry("method", method)?;
    if has_params {
        map.serialize_entry("params", params)?;
    }
    map.end()
}

/// Writes `{"method": …, "params": …}`; `params` is left out for methods without.
pub(crate) fn serialize_notification<S: Serializer, P: Serialize>(
    serializer: S,
    method: &str,
    params: &P,
    has_params: bool,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(if has_params { 2 } else { 1 }))?;
    map.serialize_entry("method", method)?;
    if has_params {
        map.serialize_entry("params", params)?;
    }
    map.end()
}

/// Writes `{"id": …, "result": …}`.
pub(crate) fn serialize_response<S: Serializer, R: Serialize>(
    serializer: S,
    id: &RequestId,
    result: &R,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(2))?;
    map.serialize_entry("id", id)?;
    map.serialize_entry("result", result)?;
    map.end()
}

/// Expands to the params type of a row: the one given, or [`NoParams`].
macro_rules! params_type {
    () => {
        $crate::method_table::NoParams
    };
    ($params:ty) => {
        $params
    };
}

/// Expands to whether a row declares params.
macro_rules! has_params {
    () => {
        false
    };
    ($params:ty) => {
        true
    };
}

/// Expands to the params type name of a row for [`MethodMeta`].
macro_rules! params_type_name {
    () => {
        None
    };
    ($params:ty) => {
        Some(stringify!($params))
    };
}

/// Visits the params type of a row, if it has one (codegen only).
#[cfg(feature = "codegen")]
macro_rules! visit_params {
    ($visitor:ident, $meta:expr) => {};
    ($visitor:ident, $meta:expr, $params:ty) => {
        $visitor.visit::<$params>($meta, $crate::method_table::PayloadRole::Params)
    };
}

/// Expands to the deprecation note of a row for [`MethodMeta`].
macro_rules! deprecation_note {
    () => {
        None
    };
    ($note:literal) => {
        Some($note)
    };
}

/// Declares a method enum: its variants, the wire names and aliases, and its table row.
macro_rules! method_enum {
    (
        $(#[doc = $method_doc:literal])*
        $MethodEnum:ident, $TABLE:ident,
        [$( $(#[doc = $doc:literal])* $Variant:ident => $wire:literal [$($alias:literal),*] ),*]
    ) => {
        $(#[doc = $method_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $MethodEnum {
            $( $(#[doc = $doc])* $Variant, )*
        }

        impl $MethodEnum {
            /// Every method, in table order.
            pub const ALL: &'static [$MethodEnum] = &[$($MethodEnum::$Variant),*];

            /// The canonical wire name.
            pub const fn wire_name(self) -> &'static str {
                match self { $($MethodEnum::$Variant => $wire,)* }
            }

            /// Looks a wire name up: the canonical name or a deprecated alias.
            pub fn from_wire(name: &str) -> Option<$MethodEnum> {
                match name {
                    $($wire $(| $alias)* => Some($MethodEnum::$Variant),)*
                    _ => None,
                }
            }

            /// The row of the method table for this method.
            pub fn meta(self) -> &'static $crate::method_table::MethodMeta {
                &$TABLE[self as usize]
            }
        }

        impl ::std::fmt::Display for $MethodEnum {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.wire_name())
            }
        }

    };
}

/// Declares the requests one side sends. See the module docs.
macro_rules! request_table {
    (
        direction: $direction:ident,
        $(#[doc = $enum_doc:literal])*
        requests: $Enum:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $result_doc:literal])*
        results: $ResultEnum:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: {
            $(
                $(#[doc = $doc:literal])*
                $Variant:ident => $wire:literal {
                    $(params: $params:ty,)?
                    result: $result:ty,
                    api: $api:ident,
                    stability: $stability:ident,
                    aliases: [$($alias:literal),* $(,)?],
                    $(deprecated: $deprecated:literal,)?
                }
            )*
        }
    ) => {
        method_enum! {
            $(#[doc = $method_doc])*
            $MethodEnum, $TABLE,
            [$( $(#[doc = $doc])* $Variant => $wire [$($alias),*] ),*]
        }

        impl $MethodEnum {

            /// Calls `visitor` with this method's params type (if any) and result type.
            #[cfg(feature = "codegen")]
            pub fn visit_payloads<V: $crate::method_table::PayloadVisitor>(self, visitor: &mut V) {
                let meta = self.meta();
                match self {
                    $($MethodEnum::$Variant => {
                        visit_params!(visitor, meta $(, $params)?);
                        visitor.visit::<$result>(meta, $crate::method_table::PayloadRole::Result);
                    })*
                }
            }
        }

        $(#[doc = $table_doc])*
        pub const $TABLE: &[$crate::method_table::MethodMeta] = &[
            $($crate::method_table::MethodMeta {
                variant: stringify!($Variant),
                wire_name: $wire,
                direction: $crate::jsonrpc::Direction::$direction,
                kind: $crate::method_table::MessageKind::Request,
                api: $crate::method_table::ApiGeneration::$api,
                stability: $crate::method_table::Stability::$stability,
                params_type: params_type_name!($($params)?),
                result_type: Some(stringify!($result)),
                aliases: &[$($alias),*],
                deprecated: deprecation_note!($($deprecated)?),
                doc: concat!($($doc, "\n",)*),
            },)*
        ];

        $(#[doc = $enum_doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $Enum {
            $(
                $(#[doc = $doc])*
                $Variant {
                    /// The request id; the response carries the same id.
                    request_id: $crate::jsonrpc::RequestId,
                    /// The request's params.
                    params: params_type!($($params)?),
                },
            )*
        }

        impl $Enum {
            /// The method of this request.
            pub fn method(&self) -> $MethodEnum {
                match self { $($Enum::$Variant { .. } => $MethodEnum::$Variant,)* }
            }

            /// The id of this request.
            pub fn request_id(&self) -> &$crate::jsonrpc::RequestId {
                match self { $($Enum::$Variant { request_id, .. } => request_id,)* }
            }

            /// Builds the typed request from its id, method and raw params JSON text
            /// (`None` when the `params` member is absent).
            pub fn from_parts(
                request_id: $crate::jsonrpc::RequestId,
                method: $MethodEnum,
                params: Option<&str>,
            ) -> Result<$Enum, $crate::method_table::PayloadError> {
                Ok(match method {
                    $($MethodEnum::$Variant => $Enum::$Variant {
                        request_id,
                        params: $crate::method_table::decode_payload(
                            params,
                            has_params!($($params)?),
                        )?,
                    },)*
                })
            }
        }

        impl $Enum {
            /// Decodes the request of `method` with its params read straight from
            /// `deserializer`, in one pass, and puts it into `out` as `wrap` makes it (used by
            /// the decoder's fast path). The message is built in `out` itself: returning it
            /// instead would copy the whole message (a few hundred bytes) at every level.
            #[doc(hidden)]
            pub fn deserialize_params_into<'de, D: ::serde::Deserializer<'de>, M>(
                request_id: $crate::jsonrpc::RequestId,
                method: $MethodEnum,
                deserializer: D,
                out: &mut M,
                wrap: impl FnOnce($Enum) -> M,
            ) -> Result<(), D::Error> {
                match method {
                    $($MethodEnum::$Variant => {
                        let params = <params_type!($($params)?) as ::serde::Deserialize>::deserialize(deserializer)?;
                        *out = wrap($Enum::$Variant { request_id, params });
                    })*
                }
                Ok(())
            }
        }

        impl ::serde::Serialize for $Enum {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $($Enum::$Variant { request_id, params } => {
                        $crate::method_table::serialize_request(
                            serializer,
                            request_id,
                            $wire,
                            params,
                            has_params!($($params)?),
                        )
                    })*
                }
            }
        }

        $(#[doc = $result_doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $ResultEnum {
            $(
                $(#[doc = $doc])*
                $Variant {
                    /// The id of the request this answers.
                    request_id: $crate::jsonrpc::RequestId,
                    /// The method's result.
                    result: $result,
                },
            )*
        }

        impl $ResultEnum {
            /// The method of the request this answers.
            pub fn method(&self) -> $MethodEnum {
                match self { $($ResultEnum::$Variant { .. } => $MethodEnum::$Variant,)* }
            }

            /// The id of the request this answers.
            pub fn request_id(&self) -> &$crate::jsonrpc::RequestId {
                match self { $($ResultEnum::$Variant { request_id, .. } => request_id,)* }
            }

            /// Builds the typed result of `method` from the raw `result` JSON text.
            pub fn from_parts(
                request_id: $crate::jsonrpc::RequestId,
                method: $MethodEnum,
                result: &str,
            ) -> Result<$ResultEnum, $crate::method_table::PayloadError> {
                Ok(match method {
                    $($MethodEnum::$Variant => $ResultEnum::$Variant {
                        request_id,
                        result: $crate::method_table::decode_payload(Some(result), true)?,
                    },)*
                })
            }
        }

        impl $ResultEnum {
            /// Decodes the result of `method` straight from `deserializer`, in one pass, into
            /// `out` wrapped by `wrap` (used by the decoder's fast path; see
            /// `deserialize_params_into` of the request enum).
            #[doc(hidden)]
            pub fn deserialize_result_into<'de, D: ::serde::Deserializer<'de>, M>(
                request_id: $crate::jsonrpc::RequestId,
                method: $MethodEnum,
                deserializer: D,
                out: &mut M,
                wrap: impl FnOnce($ResultEnum) -> M,
            ) -> Result<(), D::Error> {
                match method {
                    $($MethodEnum::$Variant => {
                        let result = <$result as ::serde::Deserialize>::deserialize(deserializer)?;
                        *out = wrap($ResultEnum::$Variant { request_id, result });
                    })*
                }
                Ok(())
            }
        }

        impl ::serde::Serialize for $ResultEnum {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $($ResultEnum::$Variant { request_id, result } => {
                        $crate::method_table::serialize_response(serializer, request_id, result)
                    })*
                }
            }
        }
    };
}

/// Declares the notifications one side sends. See the module docs.
macro_rules! notification_table {
    (
        direction: $direction:ident,
        $(#[doc = $enum_doc:literal])*
        notifications: $Enum:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: {
            $(
                $(#[doc = $doc:literal])*
                $Variant:ident => $wire:literal {
                    $(params: $params:ty,)?
                    api: $api:ident,
                    stability: $stability:ident,
                    aliases: [$($alias:literal),* $(,)?],
                    $(deprecated: $deprecated:literal,)?
                }
            )*
        }
    ) => {
        method_enum! {
            $(#[doc = $method_doc])*
            $MethodEnum, $TABLE,
            [$( $(#[doc = $doc])* $Variant => $wire [$($alias),*] ),*]
        }

        impl $MethodEnum {

            /// Calls `visitor` with this method's params type, if it has one.
            #[cfg(feature = "codegen")]
            #[allow(unused_variables)]
            pub fn visit_payloads<V: $crate::method_table::PayloadVisitor>(self, visitor: &mut V) {
                let meta = self.meta();
                match self {
                    $($MethodEnum::$Variant => {
                        visit_params!(visitor, meta $(, $params)?);
                    })*
                }
            }
        }

        $(#[doc = $table_doc])*
        pub const $TABLE: &[$crate::method_table::MethodMeta] = &[
            $($crate::method_table::MethodMeta {
                variant: stringify!($Variant),
                wire_name: $wire,
                direction: $crate::jsonrpc::Direction::$direction,
                kind: $crate::method_table::MessageKind::Notification,
                api: $crate::method_table::ApiGeneration::$api,
                stability: $crate::method_table::Stability::$stability,
                params_type: params_type_name!($($params)?),
                result_type: None,
                aliases: &[$($alias),*],
                deprecated: deprecation_note!($($deprecated)?),
                doc: concat!($($doc, "\n",)*),
            },)*
        ];

        $(#[doc = $enum_doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $Enum {
            $(
                $(#[doc = $doc])*
                $Variant {
                    /// The notification's params.
                    params: params_type!($($params)?),
                },
            )*
        }

        impl $Enum {
            /// The method of this notification.
            pub fn method(&self) -> $MethodEnum {
                match self { $($Enum::$Variant { .. } => $MethodEnum::$Variant,)* }
            }

            /// Builds the typed notification from its method and raw params JSON text
            /// (`None` when the `params` member is absent).
            pub fn from_parts(
                method: $MethodEnum,
                params: Option<&str>,
            ) -> Result<$Enum, $crate::method_table::PayloadError> {
                Ok(match method {
                    $($MethodEnum::$Variant => $Enum::$Variant {
                        params: $crate::method_table::decode_payload(
                            params,
                            has_params!($($params)?),
                        )?,
                    },)*
                })
            }
        }

        impl $Enum {
            /// Decodes the notification of `method` with its params read straight from
            /// `deserializer`, in one pass, into `out` as `wrap` makes it (used by the decoder's
            /// fast path; see `deserialize_params_into` of the request enums).
            #[doc(hidden)]
            pub fn deserialize_params_into<'de, D: ::serde::Deserializer<'de>, M>(
                method: $MethodEnum,
                deserializer: D,
                out: &mut M,
                wrap: impl FnOnce($Enum) -> M,
            ) -> Result<(), D::Error> {
                match method {
                    $($MethodEnum::$Variant => {
                        let params = <params_type!($($params)?) as ::serde::Deserialize>::deserialize(deserializer)?;
                        *out = wrap($Enum::$Variant { params });
                    })*
                }
                Ok(())
            }
        }

        impl ::serde::Serialize for $Enum {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $($Enum::$Variant { params } => {
                        $crate::method_table::serialize_notification(
                            serializer,
                            $wire,
                            params,
                            has_params!($($params)?),
                        )
                    })*
                }
            }
        }
    };
}
