//! What the decoder refuses before it parses: lines over the size limit, bytes that are not
//! UTF-8; and the clear words for the hostile inputs serde_json refuses (a byte order mark, a
//! NUL byte).

use super::{DecodeError, DecodeErrorKind};

/// Limits the decoder enforces on every line, before parsing it.
///
/// ```
/// use app_server_protocol::{DecodeLimits, PendingRequests, decode_client_message_with};
///
/// let limits = DecodeLimits::default().with_max_message_bytes(64);
/// let line = format!(r#"{{"id":1,"method":"thread/archive","params":{{"threadId":"{}"}}}}"#, "x".repeat(100));
/// let err = decode_client_message_with(&line, &mut PendingRequests::new(), &limits).unwrap_err();
/// assert_eq!(err.code().0, -32600);
/// assert_eq!(err.message, "message too large: 159 bytes, the limit is 64 bytes; it was not parsed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeLimits {
    /// The longest line accepted, in bytes (without its line terminator). A longer line is
    /// refused with [`DecodeErrorKind::MessageTooLarge`] (-32600) before any parsing.
    pub max_message_bytes: usize,
}

impl DecodeLimits {
    /// The default maximum message size: 16 MiB.
    pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

    /// The default limits (16 MiB per message).
    pub const fn new() -> Self {
        DecodeLimits { max_message_bytes: Self::DEFAULT_MAX_MESSAGE_BYTES }
    }

    /// These limits with another maximum message size, in bytes.
    pub const fn with_max_message_bytes(mut self, max_message_bytes: usize) -> Self {
        self.max_message_bytes = max_message_bytes;
        self
    }

    /// Refuses a line of `len` bytes when it is over the size limit.
    pub(crate) fn check_size(&self, len: usize) -> Result<(), DecodeError> {
        if len <= self.max_message_bytes {
            return Ok(());
        }
        Err(DecodeError::new(
            DecodeErrorKind::MessageTooLarge,
            format!(
                "message too large: {len} bytes, the limit is {} bytes; it was not parsed",
                self.max_message_bytes
            ),
        ))
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self::new()
    }
}

/// The line as text, or a -32700 error naming the first byte that is not UTF-8 and its offset.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|err| {
        let at = err.valid_up_to();
        let message = match err.error_len() {
            Some(_) => format!("not UTF-8: invalid byte 0x{:02X} at byte offset {at}", bytes[at]),
            None => format!("not UTF-8: the line ends inside a multi-byte character that starts at byte offset {at}"),
        };
        DecodeError::new(DecodeErrorKind::Parse, message)
    })
}

/// The byte order mark, U+FEFF, as it starts a UTF-8 line.
const BOM: char = '\u{feff}';

/// Words for a line serde_json cannot parse (-32700): a byte order mark or a raw NUL byte is
/// named as such; anything else gets serde_json's description with its position.
pub(super) fn not_json(line: &str, err: &serde_json::Error) -> DecodeError {
    let message = if line.trim_start_matches([' ', '\t', '\r', '\n']).starts_with(BOM) {
        "not valid JSON: the line starts with a UTF-8 byte order mark (U+FEFF); JSON sent over the wire must not \
         start with one (RFC 8259 §8.1): send the message without it"
            .to_owned()
    } else if let Some(at) = line.find('\0') {
        format!(
            "not valid JSON: a NUL byte (0x00) at byte offset {at}; control characters must be escaped (`\\u0000`) \
             inside strings and cannot appear outside them"
        )
    } else {
        format!("not valid JSON: {err}")
    };
    DecodeError::new(DecodeErrorKind::Parse, message)
}
