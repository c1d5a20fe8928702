//! Credentials that travel in params and results: API keys and access tokens.
//!
//! [`Secret`] holds one. On the wire it is a plain JSON string (TypeScript `string`, JSON
//! Schema `{"type": "string"}`), but it never shows itself: `Debug` and `Display` print
//! `<redacted>`, and when the value does not fit (a number, an array …) the decode error says
//! what kind of value was found, never the value. Reading it is explicit: [`Secret::expose`].
//!
//! The decoder also scrubs the values of credential-named members (`apiKey`, `authToken`, any
//! `…token…`, `…secret…`, `…password…`; see [`is_secret_key`]) from every decode error message
//! and path, whatever went wrong and wherever (see `codec::redact`).
//!
//! ```
//! use app_server_protocol::Secret;
//!
//! let key = Secret::from("sk-proj-4f9a2b7c1d8e3f6a0b5c9d2e7f1a4b8c");
//! assert_eq!(format!("{key:?} {key}"), "Secret(<redacted>) <redacted>");
//! assert_eq!(key.expose(), "sk-proj-4f9a2b7c1d8e3f6a0b5c9d2e7f1a4b8c");
//! assert_eq!(serde_json::to_string(&key).unwrap(), "\"sk-proj-4f9a2b7c1d8e3f6a0b5c9d2e7f1a4b8c\"");
//! ```

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// What `Debug` and `Display` print instead of a secret.
pub const REDACTED: &str = "<redacted>";

/// An API key or access token: a JSON string on the wire, `<redacted>` in `Debug`/`Display`
/// and in decode errors.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for the code that must use it (store it, send it upstream).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The credential itself, by value.
    pub fn into_inner(self) -> String {
        self.0
    }

    /// Whether the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl PartialEq<str> for Secret {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Secret {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Reads a string. Every other kind of value is refused with a message that names the kind
/// only: serde's default messages quote numbers and strings (`integer `123``), and a
/// credential sent in the wrong shape is still a credential.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecretVisitor)
    }
}

struct SecretVisitor;

fn refuse<E: de::Error>(found: &str) -> E {
    E::custom(format_args!(
        "invalid type: {found}, expected a string (a secret: its value is not shown)"
    ))
}

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (a secret)")
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Secret, E> {
        Ok(Secret(value.to_owned()))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Secret, E> {
        Ok(Secret(value))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Secret, E> {
        Err(refuse("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Secret, E> {
        Err(refuse("an integer"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Secret, E> {
        Err(refuse("an integer"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Secret, E> {
        Err(refuse("a number"))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Secret, E> {
        Err(refuse("bytes"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Secret, E> {
        Err(refuse("null"))
    }
    fn visit_none<E: de::Error>(self) -> Result<Secret, E> {
        Err(refuse("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(refuse("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(refuse("an object"))
    }
}

/// Whether a member name names a credential: the `Secret` fields of the protocol (`apiKey`,
/// `authToken`) and, for any message, names containing `apikey`, `api_key`, `token`, `secret`,
/// `password`, `bearer` or `authorization` (case-insensitive) — except the names of token
/// counts (`input_tokens`, `last_token_usage`, `tokenCount`, `max_output_tokens`): a `token`
/// name that also says `tokens`, `usage`, `count` or `limit` is a number of tokens, not one.
/// Decode errors never show the values of such members.
pub fn is_secret_key(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let credential = ["apikey", "api_key", "api-key", "secret", "password", "bearer"]
        .iter()
        .chain(&["authorization", "credential"])
        .any(|needle| lower.contains(needle));
    credential || (lower.contains("token") && !is_token_count(&lower))
}

/// Whether a lower-case name containing `token` names a number of tokens.
fn is_token_count(lower: &str) -> bool {
    ["tokens", "usage", "count", "limit"].iter().any(|word| lower.contains(word))
}

#[cfg(feature = "codegen")]
mod codegen {
    //! On the wire a secret is a string: TypeScript `string`, JSON Schema `{"type":"string"}`.

    use std::borrow::Cow;

    use super::Secret;

    impl ts_rs::TS for Secret {
        type WithoutGenerics = Self;
        type OptionInnerType = Self;
        fn name(_: &ts_rs::Config) -> String {
            "string".to_owned()
        }
        fn inline(cfg: &ts_rs::Config) -> String {
            <Self as ts_rs::TS>::name(cfg)
        }
    }

    impl schemars::JsonSchema for Secret {
        fn inline_schema() -> bool {
            true
        }
        fn schema_name() -> Cow<'static, str> {
            <String as schemars::JsonSchema>::schema_name()
        }
        fn schema_id() -> Cow<'static, str> {
            <String as schemars::JsonSchema>::schema_id()
        }
        fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
            <String as schemars::JsonSchema>::json_schema(generator)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_key;

    #[test]
    fn credential_names_are_secret_and_token_counts_are_not() {
        for name in ["apiKey", "authToken", "refresh_token", "idToken", "client_secret", "token"] {
            assert!(is_secret_key(name), "{name} names a credential");
        }
        for name in [
            "input_tokens",
            "cached_input_tokens",
            "last_token_usage",
            "tokenUsage",
            "tokenCount",
            "max_output_tokens",
            "tokenLimit",
            "threadId",
        ] {
            assert!(!is_secret_key(name), "{name} does not name a credential");
        }
    }
}
