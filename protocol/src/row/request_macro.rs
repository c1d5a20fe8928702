//! `request_table!`, the macro of the two request tables: beside what every table gets (the
//! shared helpers in `macros.rs`), a request table also has typed results, the received
//! requests with their typed responders, the marker types and the handler trait.

/// Declares the requests one side sends. See the module docs of [`crate::methods`].
macro_rules! request_table {
    (
        direction: $direction:ident,
        $(#[doc = $enum_doc:literal])*
        requests: $Enum:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $result_doc:literal])*
        results: $ResultEnum:ident,
        $(#[doc = $incoming_doc:literal])*
        incoming: $Incoming:ident,
        $(#[doc = $markers_doc:literal])*
        markers: $markers:ident,
        $(#[doc = $handler_doc:literal])*
        handler: $Handler:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: { $($rows:tt)* }
    ) => {
        app_server_protocol_derive::table_rows! {
            request_table_expand! [
                direction: $direction,
                $(#[doc = $enum_doc])*
                requests: $Enum,
                $(#[doc = $method_doc])*
                methods: $MethodEnum,
                $(#[doc = $result_doc])*
                results: $ResultEnum,
                $(#[doc = $incoming_doc])*
                incoming: $Incoming,
                $(#[doc = $markers_doc])*
                markers: $markers,
                $(#[doc = $table_doc])*
                table: $TABLE,
            ]
            direction: $direction,
            kind: request,
            handler: {
                $crate;
                $(#[doc = $handler_doc])*
                trait $Handler;
                incoming $Incoming;
                answers $ResultEnum;
                markers $markers;
            },
            rows: { $($rows)* }
        }
    };
}

/// The template of a request table: what `request_table!` expands to, from the rows
/// `table_rows!` parsed, every key present.
macro_rules! request_table_expand {
    (
        direction: $direction:ident,
        $(#[doc = $enum_doc:literal])*
        requests: $Enum:ident,
        $(#[doc = $method_doc:literal])*
        methods: $MethodEnum:ident,
        $(#[doc = $result_doc:literal])*
        results: $ResultEnum:ident,
        $(#[doc = $incoming_doc:literal])*
        incoming: $Incoming:ident,
        $(#[doc = $markers_doc:literal])*
        markers: $markers:ident,
        $(#[doc = $table_doc:literal])*
        table: $TABLE:ident,
        rows: [$(
            $(#[doc = $doc:literal])*
            $Variant:ident => $wire:literal {
                params: [$($params:ty)?],
                result: [$result:ty],
                api: $api:ident,
                stability: [$($stability:ident)?],
                aliases: [$($alias:literal),*],
                deprecated: [$($deprecated:literal)?],
                example: [$($example:tt)?],
                errors: [$($errors:expr)?],
                family: [],
            }
        )*]
    ) => {
        method_enum! {
            direction: $direction,
            kind: Request,
            $(#[doc = $method_doc])*
            methods: $MethodEnum,
            $(#[doc = $table_doc])*
            table: $TABLE,
            rows: [$(
                $(#[doc = $doc])*
                $Variant => $wire {
                    params: [$($params)?],
                    result: [$result],
                    api: $api,
                    stability: [$($stability)?],
                    aliases: [$($alias),*],
                    deprecated: [$($deprecated)?],
                    example: [$($example)?],
                    errors: [$($errors)?],
                    family: [],
                }
            )*]
        }

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
            ) -> Result<$Enum, $crate::row::PayloadError> {
                Ok(match method {
                    $($MethodEnum::$Variant => $Enum::$Variant {
                        request_id,
                        params: $crate::row::decode_payload(
                            params,
                            has_params!($($params)?),
                        )?,
                    },)*
                })
            }

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
                        $crate::row::serialize_request(
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

                impl $crate::typed::Request for $Variant {
                    const METHOD: &'static str = $wire;
                    const DIRECTION: $crate::jsonrpc::Direction =
                        $crate::jsonrpc::Direction::$direction;
                    type Params = params_type!($($params)?);
                    type Result = $result;
                    type Message = super::$Enum;
                    type Answer = super::$ResultEnum;
                    type MethodEnum = super::$MethodEnum;
                    const METHOD_ENUM: super::$MethodEnum = super::$MethodEnum::$Variant;

                    fn meta() -> &'static $crate::row::MethodMeta {
                        super::$MethodEnum::$Variant.meta()
                    }
                    fn message(request_id: $crate::jsonrpc::RequestId, params: Self::Params) -> super::$Enum {
                        super::$Enum::$Variant { request_id, params }
                    }
                    fn answer(request_id: $crate::jsonrpc::RequestId, result: $result) -> super::$ResultEnum {
                        super::$ResultEnum::$Variant { request_id, result }
                    }
                    #[allow(unreachable_patterns)]
                    fn result_of(answer: super::$ResultEnum) -> Result<$result, super::$ResultEnum> {
                        match answer {
                            super::$ResultEnum::$Variant { result, .. } => Ok(result),
                            other => Err(other),
                        }
                    }
                }
            )*
        }


        $(#[doc = $incoming_doc])*
        #[allow(deprecated, clippy::large_enum_variant)]
        #[derive(Debug, PartialEq)]
        pub enum $Incoming {
            $(
                $(#[doc = $doc])*
                $Variant {
                    /// The request's params.
                    params: params_type!($($params)?),
                    /// Answers this request, with this method's result only.
                    responder: $crate::typed::Responder<$markers::$Variant>,
                },
            )*
        }

        #[allow(deprecated)]
        impl $Incoming {
            /// The method of this request.
            pub fn method(&self) -> $MethodEnum {
                match self { $($Incoming::$Variant { .. } => $MethodEnum::$Variant,)* }
            }

            /// The id of this request.
            pub fn request_id(&self) -> &$crate::jsonrpc::RequestId {
                match self { $($Incoming::$Variant { responder, .. } => responder.id(),)* }
            }
        }

        #[allow(deprecated)]
        impl $Enum {
            /// The request with a typed responder in place of its id: the way to answer it
            /// with its own method's result only.
            pub fn into_incoming(self) -> $Incoming {
                match self {
                    $($Enum::$Variant { request_id, params } => $Incoming::$Variant {
                        params,
                        responder: $crate::typed::Responder::new(request_id),
                    },)*
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
            ) -> Result<$ResultEnum, $crate::row::PayloadError> {
                Ok(match method {
                    $($MethodEnum::$Variant => $ResultEnum::$Variant {
                        request_id,
                        result: $crate::row::decode_payload(Some(result), true)?,
                    },)*
                })
            }

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
                        $crate::row::serialize_response(serializer, request_id, result)
                    })*
                }
            }
        }
    };
}
