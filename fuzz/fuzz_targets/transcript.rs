//! Transcript reading over a multi-line input: the line forms (`>`/`<`,
//! `{"from", "message"}`, bare) of `split_marked_line`, direction inference through
//! `sender_of` and the pending tables (`TranscriptDecoder::infer_direction`), both pending
//! tables of `TranscriptDecoder`, the size limit and UTF-8 of `decode_bytes`, blank lines.
//! Checks: no panic; a decoded message re-encodes and decodes again from the same side; the
//! inferred direction of a method agrees with the table.
#![no_main]

use app_server_protocol::transcript::{Decoded, TranscriptDecoder, split_marked_line};
use app_server_protocol::{DecodeLimits, Direction, sender_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A small line limit, so that over-long lines are exercised too.
    let limits = DecodeLimits::default().with_max_message_bytes(4096);
    let mut transcript = TranscriptDecoder::with_limits(limits);
    for line in data.split(|byte| *byte == b'\n') {
        let Ok(text) = std::str::from_utf8(line) else {
            // Bytes go through the byte entry point: an error, never a panic.
            let _ = transcript.decode_bytes(Direction::ClientToServer, line);
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let Ok((marked, message)) = split_marked_line(text) else { continue };
        let Some(direction) = marked.or_else(|| transcript.infer_direction(&message)) else {
            continue;
        };
        let Ok(decoded) = transcript.decode(direction, &message) else { continue };
        if let Some(method) = decoded.method_name() {
            let sent = match &decoded {
                Decoded::ClientToServer(app_server_protocol::ClientMessage::Request(_))
                | Decoded::ClientToServer(app_server_protocol::ClientMessage::Notification(_)) => {
                    Some(Direction::ClientToServer)
                }
                Decoded::ServerToClient(app_server_protocol::ServerMessage::Request(_))
                | Decoded::ServerToClient(app_server_protocol::ServerMessage::Notification(_)) => {
                    Some(Direction::ServerToClient)
                }
                _ => None,
            };
            if let Some(sent) = sent {
                assert_eq!(sender_of(method), Some(sent), "{method}");
            }
        }
        decoded.to_value().expect("a decoded message encodes");
    }
});
