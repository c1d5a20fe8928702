//! `cargo xtask validate <FILE.jsonl>`: validate a captured transcript of a real session, one
//! JSON message per line, both directions mixed, streaming (constant memory, whatever the
//! file's size).
//!
//! Accepted line forms (blank lines are skipped):
//! - `> {…}`: a message the client sent to the server; `< {…}`: one the server sent;
//! - `{"from": "client" | "server", "message": {…}}` (the fixture form);
//! - a bare message `{…}`: its sender is inferred — a method only a client sends, or only the
//!   server sends, names its sender; a response or error is from the peer that did not send
//!   the pending request with its id.
//!
//! Each bad line is reported with its line number, method, JSON path and what was expected;
//! a summary follows. Exit code 1 when any line is bad.
//!
//! Memory stays constant whatever the file's size: one line is held at a time (at most
//! `--max-line-bytes`, which is also the decoder's message size limit), plus the pending
//! requests and the per-method counts. A UTF-8 byte order mark at the very start of the file
//! (an editor's artifact) is skipped; anywhere else the decoder refuses it.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use app_server_protocol::transcript::{Decoded, TranscriptDecoder, split_marked_line};
use app_server_protocol::{DecodeLimits, ServerMessage, ServerNotification};

/// Options of `cargo xtask validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The transcript: JSON Lines, both directions mixed.
    pub file: PathBuf,
    /// The longest line accepted, in bytes; a longer line is reported and skipped.
    #[arg(long, default_value_t = DecodeLimits::DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_line_bytes: usize,
}

/// What a run found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Messages read (blank lines excluded).
    pub messages: usize,
    /// Lines that failed.
    pub bad: usize,
    /// Warnings (valid messages that break an invariant, e.g. a failed turn without error).
    pub warnings: usize,
    /// Per method: (messages, bad).
    pub by_method: BTreeMap<String, (usize, usize)>,
}

/// One finding, printed as it is found.
pub trait Sink {
    /// A bad line or a warning.
    fn finding(&mut self, text: String);
}

impl Sink for Vec<String> {
    fn finding(&mut self, text: String) {
        self.push(text);
    }
}

struct Stdout;

impl Sink for Stdout {
    fn finding(&mut self, text: String) {
        println!("{text}");
    }
}

/// A turn that breaks "`error` is non-null exactly when `status` is `failed`" (C10).
fn turn_warning(decoded: &Decoded) -> Option<String> {
    let Decoded::ServerToClient(ServerMessage::Notification(notification)) = decoded else {
        return None;
    };
    let turn = match notification {
        ServerNotification::TurnStarted { params } => &params.turn,
        ServerNotification::TurnCompleted { params } => &params.turn,
        _ => return None,
    };
    (!turn.is_consistent()).then(|| {
        format!(
            "turn `{}` has status {:?} but error {}",
            turn.id,
            turn.status,
            if turn.error.is_some() { "set" } else { "null" }
        )
    })
}

/// Validates a transcript from any reader, reporting to `sink`.
pub fn validate(
    reader: impl Read,
    max_line_bytes: usize,
    sink: &mut impl Sink,
) -> Result<Summary, String> {
    let mut reader = BufReader::new(reader);
    let mut transcript = TranscriptDecoder::with_limits(
        DecodeLimits::default().with_max_message_bytes(max_line_bytes),
    );
    let mut summary = Summary::default();
    let mut buffer = Vec::new();
    let mut number = 0usize;
    loop {
        buffer.clear();
        number += 1;
        let read = (&mut reader)
            .take(max_line_bytes as u64 + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(|err| format!("line {number}: {err}"))?;
        if read == 0 {
            break;
        }
        if buffer.len() > max_line_bytes && !buffer.ends_with(b"\n") {
            summary.messages += 1;
            summary.bad += 1;
            sink.finding(format!("line {number}: longer than {max_line_bytes} bytes; skipped"));
            // Skip the rest of the over-long line without holding it.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let n = (&mut reader)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut rest)
                    .map_err(|err| format!("line {number}: {err}"))?;
                if n == 0 || rest.ends_with(b"\n") {
                    break;
                }
            }
            continue;
        }
        let mut bytes = buffer.as_slice();
        if number == 1 {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        let line = match std::str::from_utf8(bytes) {
            Ok(line) => line,
            Err(err) => {
                summary.messages += 1;
                summary.bad += 1;
                let at = err.valid_up_to();
                sink.finding(format!(
                    "line {number}: not UTF-8: invalid byte 0x{:02X} at byte offset {at}",
                    bytes[at]
                ));
                continue;
            }
        };
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        summary.messages += 1;
        check_line(number, line, &mut transcript, &mut summary, sink);
    }
    let (client_pending, server_pending) = transcript.pending_counts();
    if client_pending + server_pending > 0 {
        summary.warnings += 1;
        sink.finding(format!("end: {client_pending} client request(s) and {server_pending} server request(s) were never answered"));
    }
    Ok(summary)
}

fn check_line(
    number: usize,
    line: &str,
    transcript: &mut TranscriptDecoder,
    summary: &mut Summary,
    sink: &mut impl Sink,
) {
    let (marked, text) = match split_marked_line(line) {
        Ok(split) => split,
        Err(err) => {
            summary.bad += 1;
            sink.finding(format!("line {number}: {err}"));
            return;
        }
    };
    let Some(from) = marked.or_else(|| transcript.infer_direction(&text)) else {
        summary.bad += 1;
        summary.by_method.entry("(unknown)".to_owned()).or_default().1 += 1;
        sink.finding(format!(
            "line {number}: cannot tell who sent this line (no `>`/`<` mark, no known method, no pending request with its id)"
        ));
        return;
    };
    match transcript.decode(from, &text) {
        Ok(decoded) => {
            let method = decoded.method_name().unwrap_or("(error response)");
            summary.by_method.entry(method.to_owned()).or_default().0 += 1;
            if let Some(warning) = turn_warning(&decoded) {
                summary.warnings += 1;
                sink.finding(format!("line {number}: warning in `{method}`: {warning}"));
            }
        }
        Err(err) => {
            summary.bad += 1;
            let method = err.method.clone().unwrap_or_else(|| "(unknown)".to_owned());
            let entry = summary.by_method.entry(method.clone()).or_default();
            entry.0 += 1;
            entry.1 += 1;
            let path = err.path.as_deref().map(|p| format!(" at `{p}`")).unwrap_or_default();
            sink.finding(format!(
                "line {number}: {} → `{method}`{path}: {} (code {})",
                from.sender(),
                err.message,
                err.code().0
            ));
        }
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let file = File::open(&args.file).map_err(|err| format!("{}: {err}", args.file.display()))?;
    let summary = validate(file, args.max_line_bytes, &mut Stdout)?;
    print_summary(&args.file, &summary);
    Ok(if summary.bad == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn print_summary(file: &Path, summary: &Summary) {
    println!(
        "{}: {} messages, {} bad, {} warnings",
        file.display(),
        summary.messages,
        summary.bad,
        summary.warnings
    );
    for (method, (count, bad)) in &summary.by_method {
        if *bad > 0 {
            println!("  {method}: {count} messages, {bad} bad");
        } else {
            println!("  {method}: {count} messages");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::workspace_root;

    fn committed_transcript() -> String {
        std::fs::read_to_string(workspace_root().join("fixtures/transcripts/v2-session.jsonl"))
            .unwrap()
    }

    #[test]
    fn the_committed_transcript_is_valid_and_long() {
        let mut findings = Vec::new();
        let summary = validate(committed_transcript().as_bytes(), 1 << 20, &mut findings).unwrap();
        assert_eq!(findings, Vec::<String>::new());
        assert!(summary.messages >= 200, "{summary:?}");
        assert_eq!(summary.bad, 0);
        assert!(summary.by_method.len() >= 40, "{summary:?}");
    }

    #[test]
    fn three_seeded_errors_are_reported_exactly_with_line_method_and_path() {
        let mut lines: Vec<String> = committed_transcript().lines().map(str::to_owned).collect();
        let find = |lines: &[String], needle: &str| {
            lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("no line with {needle}"))
        };
        // A bare line whose method is broken cannot be attributed to a peer: seed the unknown
        // method into a line that names its sender (`>`/`<` or the `from` form).
        let find_marked = |lines: &[String], needle: &str| {
            lines
                .iter()
                .position(|l| {
                    l.contains(needle) && (!l.starts_with('{') || l.starts_with("{\"from\""))
                })
                .unwrap_or_else(|| panic!("no marked line with {needle}"))
        };
        // 1. A wrong type deep in a request's params.
        let a = find(&lines, r#""method":"thread/archive""#);
        lines[a] = lines[a].replacen(r#""threadId":""#, r#""threadId":7,"was":""#, 1);
        // 2. An unknown notification method.
        let b = find_marked(&lines, r#""method":"item/"#);
        let method = lines[b]
            .split(r#""method":""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        lines[b] = lines[b].replacen(
            &format!(r#""method":"{method}""#),
            &format!(r#""method":"{method}s""#),
            1,
        );
        // 3. A notification that lost a required field (C12).
        let c = find(&lines, r#""method":"turn/diff/updated""#);
        lines[c] = lines[c].replacen(r#""turnId":"#, r#""turnIdentifier":"#, 1);
        let transcript = lines.join("\n");

        let mut findings = Vec::new();
        let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
        let bad: Vec<&String> =
            findings.iter().filter(|f| !f.contains("warning") && !f.starts_with("end:")).collect();
        assert_eq!(summary.bad, 3, "{findings:#?}");
        assert_eq!(bad.len(), 3, "{findings:#?}");
        let expected = [
            format!(
                "line {}: client → `thread/archive` at `params.threadId`: expected a string, found 7",
                a + 1
            ),
            format!(
                "line {}: server → `{method}s` at `method`: unknown notification method",
                b + 1
            ),
            format!(
                "line {}: server → `turn/diff/updated` at `params.turnId`: missing required member `turnId`",
                c + 1
            ),
        ];
        for prefix in &expected {
            assert!(
                bad.iter().any(|f| f.starts_with(prefix.as_str())),
                "no finding starts with {prefix:?}: {bad:#?}"
            );
        }
        assert_eq!(summary.by_method.get("thread/archive").map(|(_, bad)| *bad), Some(1));
    }

    #[test]
    fn line_forms_are_recognised_and_blank_lines_skipped() {
        let transcript = concat!(
            "> {\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"thr_1\"}}\n",
            "\n",
            "{\"from\":\"server\",\"message\":{\"id\":1,\"result\":{}}}\n",
            "{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":\"thr_1\",\"turnId\":\"t\",\"itemId\":\"i\",\"delta\":\"Hi\"}}\n",
            "< {\"method\":\"initialized\"}\n",
        );
        let mut findings = Vec::new();
        let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
        assert_eq!(summary.messages, 4);
        assert_eq!(summary.bad, 1, "{findings:?}");
        assert!(findings[0].starts_with("line 5: server → `initialized` at `method`: `initialized` is sent by the other side"), "{findings:?}");
    }

    #[test]
    fn over_long_and_non_utf8_lines_are_reported_not_fatal() {
        let mut transcript = b"> {\"id\":1,\"method\":\"account/logout\"}\n".to_vec();
        transcript.extend(std::iter::repeat_n(b'x', 300));
        transcript.extend(b"\n\xff\xfe\n< {\"id\":1,\"result\":{}}\n");
        let mut findings = Vec::new();
        let summary = validate(transcript.as_slice(), 100, &mut findings).unwrap();
        assert_eq!((summary.messages, summary.bad), (4, 2), "{findings:?}");
        assert_eq!(
            findings,
            vec![
                "line 2: longer than 100 bytes; skipped".to_owned(),
                "line 3: not UTF-8: invalid byte 0xFF at byte offset 0".to_owned()
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_at_the_start_of_the_file_only() {
        let transcript = "\u{feff}> {\"id\":1,\"method\":\"account/logout\"}\n< \u{feff}{\"id\":1,\"result\":{}}\n";
        let mut findings = Vec::new();
        let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
        assert_eq!((summary.messages, summary.bad), (2, 1), "{findings:?}");
        assert!(findings[0].starts_with("line 2: server → `(unknown)`: not valid JSON: the line starts with a UTF-8 byte order mark"), "{findings:?}");
    }

    #[test]
    fn a_failed_turn_without_error_is_a_warning() {
        let transcript = "< {\"method\":\"turn/completed\",\"params\":{\"threadId\":\"thr\",\"turn\":{\"id\":\"t1\",\"items\":[],\"status\":\"failed\",\"error\":null}}}\n";
        let mut findings = Vec::new();
        let summary = validate(transcript.as_bytes(), 1 << 20, &mut findings).unwrap();
        assert_eq!((summary.bad, summary.warnings), (0, 1));
        assert!(findings[0].contains("warning in `turn/completed`"), "{findings:?}");
    }
}
