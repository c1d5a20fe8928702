//! The table macros. `request_table!` and `notification_table!` read the rows of one table;
//! what both generate (the method enum, its lookups and payload walk, the metadata row) is
//! written once here, in the helper macros they share.

/// Expands to the params type of a row: the one given, or [`NoParams`](super::NoParams).
macro_rules! params_type {
    () => {
        $crate::row::NoParams
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

/// Expands to an optional type name for [`MethodMeta`](super::MethodMeta).
macro_rules! type_name {
    () => {
        None
    };
    ($type:ty) => {
        Some(stringify!($type))
    };
}

/// Expands to the stability of a row: the one given, or `Stable`.
macro_rules! stability {
    () => {
        $crate::row::Stability::Stable
    };
    ($stability:ident) => {
        $crate::row::Stability::$stability
    };
}

/// Expands to the deprecation note of a row for [`MethodMeta`](super::MethodMeta).
macro_rules! deprecation_note {
    () => {
        None
    };
    ($note:literal) => {
        Some($note)
    };
}

/// Expands to the example params of a row for [`MethodMeta`](super::MethodMeta): its JSON,
/// as text.
macro_rules! example_text {
    () => {
        None
    };
    ($example:tt) => {
        Some(stringify!($example))
    };
}

/// Expands to the errors of a row for [`MethodMeta`](super::MethodMeta).
macro_rules! row_errors {
    () => {
        &[]
    };
    ($errors:expr) => {
        $errors
    };
}

/// Expands to the family path of a row for [`MethodMeta`](super::MethodMeta).
macro_rules! family_path {
    () => {
        None
    };
    ($path:literal) => {
        Some($path)
    };
}

/// Expands to the wire name of one notification: the row's name, or for a family the prefix
/// followed by the suffix its params name.
macro_rules! notification_name {
    ($wire:literal, $params:ident) => {
        ::std::borrow::Cow::Borrowed($wire)
    };
    ($wire:literal, $params:ident, $path:literal) => {
        ::std::borrow::Cow::Owned(format!(
            "{}{}",
            $wire,
            $crate::row::MethodFamily::suffix($params)
        ))
    };
}

/// Checks the name a family notification came with against its params (nothing to check for an
/// ordinary row).
macro_rules! check_family_name {
    ($wire:literal, $name:ident, $params:ident) => {
        Ok(())
    };
    ($wire:literal, $name:ident, $params:ident, $path:literal) => {
        $crate::row::check_family_name($wire, $name, $params)
    };
}

/// Visits a payload type of a row, if it has one (codegen only).
#[cfg(feature = "codegen")]
macro_rules! visit_payload {
    ($visitor:ident, $meta:expr, $role:ident) => {};
    ($visitor:ident, $meta:expr, $role:ident, $payload:ty) => {
        $visitor.visit::<$payload>($meta, $crate::row::PayloadRole::$role)
    };
}

/// Visits a payload type of a row with its [`Payload`](super::Payload) shape, if it has one.
macro_rules! visit_payload_shape {
    ($visitor:ident, $meta:expr, $role:ident) => {};
    ($visitor:ident, $meta:expr, $role:ident, $payload:ty) => {
        $visitor.visit::<$payload>($meta, $crate::row::PayloadRole::$role)
    };
}

/// Declares a method enum with its wire names, alias lookup, payload walk and table row, and
/// the `const` metadata slice of the table. Shared by both table macros.
macro_rules! method_enum {
    (
        direction: $direction:ident,
        kind: $kind:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: [$(
            $(#[doc = $doc:literal])*
            $Variant:ident => $wire:literal {
                params: [$($params:ty)?],
                result: [$($result:ty)?],
                api: $api:ident,
                stability: [$($stability:ident)?],
                aliases: [$($alias:literal),*],
                deprecated: [$($deprecated:literal)?],
                example: [$($example:tt)?],
                errors: [$($errors:expr)?],
                family: [$($family:literal)?],
            }
        )*]
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

            /// Looks a wire name up: the canonical name, a deprecated alias, or a name of a
            /// method family (its prefix and a non-empty suffix).
            pub fn from_wire(name: &str) -> Option<$MethodEnum> {
                let exact = match name {
                    $($wire $(| $alias)* => Some($MethodEnum::$Variant),)*
                    _ => None,
                };
                match exact {
                    // A family's bare prefix names no method of it.
                    Some(method) if method.meta().family.is_none() => Some(method),
                    _ => Self::ALL.iter().copied().find(|method| {
                        let meta = method.meta();
                        meta.family.is_some() && meta.answers_to(name)
                    }),
                }
            }

            /// The row of the method table for this method.
            pub fn meta(self) -> &'static $crate::row::MethodMeta {
                &$TABLE[self as usize]
            }

            /// Calls `visitor` with this method's params type and result type, where it has
            /// them.
            #[cfg(feature = "codegen")]
            #[allow(unused_variables)]
            pub fn visit_payloads<V: $crate::row::PayloadVisitor>(self, visitor: &mut V) {
                let meta = self.meta();
                match self {
                    $($MethodEnum::$Variant => {
                        visit_payload!(visitor, meta, Params $(, $params)?);
                        visit_payload!(visitor, meta, Result $(, $result)?);
                    })*
                }
            }
        }

        impl $MethodEnum {
            /// Calls `visitor` with this method's params type and result type, where it has
            /// them, each with its `row::Payload` shape. Hidden: the constructor tests
            /// walk it.
            #[doc(hidden)]
            #[allow(unused_variables)]
            pub fn visit_payload_shapes<V: $crate::row::PayloadShapeVisitor>(
                self,
                visitor: &mut V,
            ) {
                let meta = self.meta();
                match self {
                    $($MethodEnum::$Variant => {
                        visit_payload_shape!(visitor, meta, Params $(, $params)?);
                        visit_payload_shape!(visitor, meta, Result $(, $result)?);
                    })*
                }
            }
        }

        impl ::std::fmt::Display for $MethodEnum {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.wire_name())
            }
        }

        $(#[doc = $table_doc])*
        pub const $TABLE: &[$crate::row::MethodMeta] = &[
            $($crate::row::MethodMeta {
                variant: stringify!($Variant),
                wire_name: $wire,
                direction: $crate::jsonrpc::Direction::$direction,
                kind: $crate::row::MessageKind::$kind,
                api: $crate::row::ApiGeneration::$api,
                stability: stability!($($stability)?),
                params_type: type_name!($($params)?),
                result_type: type_name!($($result)?),
                aliases: &[$($alias),*],
                deprecated: deprecation_note!($($deprecated)?),
                family: family_path!($($family)?),
                doc: concat!($($doc, "\n",)*),
                example_params: example_text!($($example)?),
                errors: row_errors!($($errors)?),
            },)*
        ];
    };
}

/// Declares the notifications one side sends. See the module docs of [`crate::methods`].
macro_rules! notification_table {
    (
        direction: $direction:ident,
        $(#[doc = $enum_doc:literal])*
        notifications: $Enum:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $markers_doc:literal])*
        markers: $markers:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: { $($rows:tt)* }
    ) => {
        app_server_protocol_derive::table_rows! {
            notification_table_expand! [
                direction: $direction,
                $(#[doc = $enum_doc])*
                notifications: $Enum,
                $(#[doc = $method_doc])*
                methods: $MethodEnum,
                $(#[doc = $markers_doc])*
                markers: $markers,
                $(#[doc = $table_doc])*
                table: $TABLE,
            ]
            direction: $direction,
            kind: notification,
            rows: { $($rows)* }
        }
    };
}

/// The template of a notification table: what `notification_table!` expands to, from the rows
/// `table_rows!` parsed, every key present.
macro_rules! notification_table_expand {
    (
        direction: $direction:ident,
        $(#[doc = $enum_doc:literal])*
        notifications: $Enum:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $markers_doc:literal])*
        markers: $markers:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: [$(
            $(#[doc = $doc:literal])*
            $Variant:ident => $wire:literal {
                params: [$($params:ty)?],
                result: [],
                api: $api:ident,
                stability: [$($stability:ident)?],
                aliases: [$($alias:literal),*],
                deprecated: [$($deprecated:literal)?],
                example: [$($example:tt)?],
                errors: [$($errors:expr)?],
                family: [$($family:literal)?],
            }
        )*]
    ) => {
        method_enum! {
            direction: $direction,
            kind: Notification,
            $(#[doc = $method_doc])*
            methods: $MethodEnum,
            $(#[doc = $table_doc])*
            table: $TABLE,
            rows: [$(
                $(#[doc = $doc])*
                $Variant => $wire {
                    params: [$($params)?],
                    result: [],
                    api: $api,
                    stability: [$($stability)?],
                    aliases: [$($alias),*],
                    deprecated: [$($deprecated)?],
                    example: [$($example)?],
                    errors: [$($errors)?],
                    family: [$($family)?],
                }
            )*]
        }

        $(#[doc = $markers_doc])*
        pub mod $markers {
            #![allow(deprecated)]
            #[allow(unused_imports)]
            use super::*;

            $(
                $(#[doc = $doc])*
                $(#[deprecated(note = $deprecated)])?
                #[derive(Debug)]
                pub enum $Variant {}

                impl $crate::typed::Notification for $Variant {
                    const METHOD: &'static str = $wire;
                    const DIRECTION: $crate::jsonrpc::Direction =
                        $crate::jsonrpc::Direction::$direction;
                    type Params = params_type!($($params)?);
                    type Message = super::$Enum;

                    fn meta() -> &'static $crate::row::MethodMeta {
                        super::$MethodEnum::$Variant.meta()
                    }
                    fn message(params: Self::Params) -> super::$Enum {
                        super::$Enum::$Variant { params }
                    }
                }
            )*
        }

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

            /// The wire name this notification is sent with: its method's, or for a method
            /// family the prefix followed by the suffix its params name
            /// (`codex/event/agent_message_delta`).
            #[allow(unused_variables)]
            pub fn wire_name(&self) -> ::std::borrow::Cow<'static, str> {
                match self {
                    $($Enum::$Variant { params } => notification_name!($wire, params $(, $family)?),)*
                }
            }

            /// Checks that `name`, the method this notification arrived with, is the one its
            /// params go with (for a method family: the suffix its params name; an ordinary
            /// method always passes).
            #[allow(unused_variables)]
            pub fn check_wire_name(
                &self,
                name: &str,
            ) -> Result<(), $crate::row::PayloadError> {
                match self {
                    $($Enum::$Variant { params } => check_family_name!($wire, name, params $(, $family)?),)*
                }
            }

            /// Builds the typed notification from its method and raw params JSON text
            /// (`None` when the `params` member is absent).
            pub fn from_parts(
                method: $MethodEnum,
                params: Option<&str>,
            ) -> Result<$Enum, $crate::row::PayloadError> {
                Ok(match method {
                    $($MethodEnum::$Variant => $Enum::$Variant {
                        params: $crate::row::decode_payload(
                            params,
                            has_params!($($params)?),
                        )?,
                    },)*
                })
            }

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
                        $crate::row::serialize_notification(
                            serializer,
                            &notification_name!($wire, params $(, $family)?),
                            params,
                            has_params!($($params)?),
                        )
                    })*
                }
            }
        }
    };
}
