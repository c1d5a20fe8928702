//! Identifiers shared by both API generations: [`ConversationId`], the UUID that names a
//! conversation (a thread, in v2 terms).

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The id of a conversation: a UUID string in the canonical hyphenated form,
/// e.g. `"67e55044-10b1-426f-9247-bb680e5fe0c8"`.
///
/// On input, a string that is not a UUID in the `8-4-4-4-12` hexadecimal form is rejected.
/// Upper-case hex digits are accepted; the id is always written in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", schemars(extend("format" = "uuid")))]
pub struct ConversationId(
    #[cfg_attr(
        feature = "codegen",
        schemars(pattern(
            r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))
    )]
    String,
);

/// The error returned when a string is not a valid [`ConversationId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidConversationId {
    input: String,
}

impl InvalidConversationId {
    /// The rejected input.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for InvalidConversationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid conversation id {:?}: expected a UUID like \
             \"67e55044-10b1-426f-9247-bb680e5fe0c8\"",
            self.input
        )
    }
}

impl std::error::Error for InvalidConversationId {}

/// Lengths of the five hyphen-separated groups of a UUID.
const GROUP_LENGTHS: [usize; 5] = [8, 4, 4, 4, 12];

impl ConversationId {
    /// Parses a UUID string (`8-4-4-4-12` hex digits, either case).
    pub fn parse(input: &str) -> Result<Self, InvalidConversationId> {
        let invalid = || InvalidConversationId { input: input.to_owned() };
        let mut groups = input.split('-');
        for expected in GROUP_LENGTHS {
            let group = groups.next().ok_or_else(invalid)?;
            if group.len() != expected || !group.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid());
            }
        }
        if groups.next().is_some() {
            return Err(invalid());
        }
        Ok(ConversationId(input.to_ascii_lowercase()))
    }

    /// Builds the id whose 128 bits are `value` (big-endian, as UUIDs are written).
    /// Handy for tests and for servers that generate UUIDs themselves.
    pub fn from_u128(value: u128) -> Self {
        let hex = format!("{value:032x}");
        ConversationId(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// The id as a lower-case hyphenated UUID string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for ConversationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ConversationId {
    type Err = InvalidConversationId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConversationId::parse(s)
    }
}

impl TryFrom<String> for ConversationId {
    type Error = InvalidConversationId;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ConversationId::parse(&value)
    }
}

impl TryFrom<&str> for ConversationId {
    type Error = InvalidConversationId;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        ConversationId::parse(value)
    }
}

impl From<ConversationId> for String {
    fn from(value: ConversationId) -> Self {
        value.0
    }
}

impl AsRef<str> for ConversationId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for ConversationId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ConversationId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = ConversationId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a conversation id (a UUID string)")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ConversationId, E> {
                ConversationId::parse(value).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(IdVisitor)
    }
}
