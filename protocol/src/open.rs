//! Open unions and enums: the variants and values a newer peer may add survive decoding.
//!
//! Adding a variant to a union or a value to an enum that the server sends is a change the
//! compatibility rules call safe for the types marked open (`"x-open-enum": true` in the
//! schemas). A client built against this crate decodes such a message all the same: an
//! unknown variant of an open union is kept whole in its `Unknown` case ([`UnknownVariant`]),
//! an unknown value of an open enum is kept as its string; both are written back as they came.
//! Matching on these types therefore needs a catch-all arm, which the compiler asks for.

use serde::Serialize;
use serde_json::{Map, Value};

/// A variant of an open union that this crate does not know — a newer peer's — kept whole:
/// every member as it came, the tag included. It is written back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct UnknownVariant(pub Map<String, Value>);

/// Hashed by its JSON text (members in key order), so that unions holding one stay `Hash`.
impl std::hash::Hash for UnknownVariant {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        serde_json::to_string(&self.0).unwrap_or_default().hash(state);
    }
}

impl UnknownVariant {
    /// The value of the union's tag member (`"type"` for every open union of this protocol),
    /// e.g. `"enteredReviewMode"`.
    pub fn tag(&self, member: &str) -> Option<&str> {
        self.0.get(member).and_then(Value::as_str)
    }
}

impl From<Map<String, Value>> for UnknownVariant {
    fn from(members: Map<String, Value>) -> Self {
        UnknownVariant(members)
    }
}

/// Implements `Deserialize` for an open string enum: each known wire value decodes to its
/// variant, any other string to `$Enum::Unknown(value)`; anything but a string is refused as
/// serde would ("expected a string"). `Serialize` comes from serde's derive with the `Unknown`
/// variant marked `#[serde(untagged)]`, so that it is written back as it came.
macro_rules! open_string_enum {
    ($Enum:ident { $($Variant:ident => $wire:literal),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $Enum {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct WireVisitor;
                impl ::serde::de::Visitor<'_> for WireVisitor {
                    type Value = $Enum;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> Result<$Enum, E> {
                        Ok(match value {
                            $($wire => $Enum::$Variant,)*
                            other => $Enum::Unknown(other.to_owned()),
                        })
                    }
                }
                deserializer.deserialize_str(WireVisitor)
            }
        }

        impl $Enum {
            /// The wire value: the known value's spelling, or the unknown value as it came.
            pub fn as_str(&self) -> &str {
                match self {
                    $($Enum::$Variant => $wire,)*
                    $Enum::Unknown(value) => value,
                }
            }
        }
    };
}
