//! `cargo xtask validate <FILE.jsonl>`: validate a captured transcript of a real session, one
//! JSON message per line, both directions mixed, streaming (constant memory, whatever the
//! file's size), to find out who broke the contract.
//!
//! Accepted line forms (blank lines are skipped):
//! - `> {…}`: a message the client sent to the server; `< {…}`: one the server sent;
//! - `{"from": "client" | "server", "message": {…}}` (the fixture form);
//! - a bare message `{…}`: its sender is inferred — a method only a client sends, or only the
//!   server sends, names its sender; a response or error is from the peer that did not send
//!   the pending request with its id.
//!
//! Each message is judged by its sender's contract ([`contract`]): first decoded by the typed,
//! lenient decoder of its receiver, then checked against the contract of what it is — a
//! request's or notification's params by its method, a response's result by the method of the
//! request it answers (the pending requests say which). What the server sends must keep the
//! strict output contract: a missing member or a wrong type is an error, a member the contract
//! does not know a warning (a newer server may add members: the receiver ignores it, but the
//! contract lags the sender), a notification it does not know information, and so is a value
//! of an open enum or union it does not know (a newer server may add them: see [`open`]; a known value is
//! still held to its shape). What a client sends must keep the
//! input contract, lenient where the decoder is. An error answering a request that failed to
//! decode answers that request. Each bad line is reported once, with its line number, method,
//! JSON path and what was expected, in wire spelling; then the requests never answered, with
//! their ids and lines, and a summary by method. Exit code 1 when any line is bad.
//!
//! Memory stays constant whatever the file's size: one line is held at a time (at most
//! `--max-line-bytes`, which is also the decoder's message size limit), plus the pending
//! requests, the per-method counts and the compiled contracts. A UTF-8 byte order mark at the
//! very start of the file (an editor's artifact) is skipped; anywhere else the decoder
//! refuses it.

mod check;
mod contract;
mod explain;
mod members;
mod open;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use app_server_protocol::DecodeLimits;

use check::Checker;

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
    /// Warnings: messages that break an invariant (a failed turn without error), members the
    /// contract does not know, requests never answered.
    pub warnings: usize,
    /// Information: what a newer peer may send and a receiver passes over — notifications
    /// and values of open types the contract does not know.
    pub information: usize,
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

/// Validates a transcript from any reader, reporting to `sink`.
pub fn validate(
    reader: impl Read,
    max_line_bytes: usize,
    sink: &mut impl Sink,
) -> Result<Summary, String> {
    let limits = DecodeLimits::default().with_max_message_bytes(max_line_bytes);
    let mut checker = Checker::new(limits)?;
    let mut lines =
        Lines { reader: BufReader::new(reader), buffer: Vec::new(), max_line_bytes, number: 0 };
    while let Some((number, line)) = lines.next_line()? {
        match line {
            Line::TooLong => checker.unreadable(
                format!("line {number}: longer than {max_line_bytes} bytes; skipped"),
                sink,
            ),
            Line::NotUtf8 { byte, offset } => checker.unreadable(
                format!(
                    "line {number}: not UTF-8: invalid byte 0x{byte:02X} at byte offset {offset}"
                ),
                sink,
            ),
            Line::Text(text) if text.trim().is_empty() => {}
            Line::Text(text) => checker.line(number, text, sink),
        }
    }
    Ok(checker.finish(sink))
}

/// The lines of a transcript, read one at a time into one buffer.
struct Lines<R> {
    reader: BufReader<R>,
    buffer: Vec<u8>,
    max_line_bytes: usize,
    number: usize,
}

/// One line as read.
enum Line<'a> {
    /// Longer than the limit; skipped without being held.
    TooLong,
    /// Not UTF-8: the first invalid byte and its offset.
    NotUtf8 { byte: u8, offset: usize },
    /// The line's text, without its line end (a byte order mark on line 1 removed).
    Text(&'a str),
}

impl<R: Read> Lines<R> {
    /// The next line and its number, `None` at the end of the file.
    fn next_line(&mut self) -> Result<Option<(usize, Line<'_>)>, String> {
        self.buffer.clear();
        self.number += 1;
        let number = self.number;
        let read = (&mut self.reader)
            .take(self.max_line_bytes as u64 + 1)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|err| format!("line {number}: {err}"))?;
        if read == 0 {
            return Ok(None);
        }
        if self.buffer.len() > self.max_line_bytes && !self.buffer.ends_with(b"\n") {
            self.skip_rest().map_err(|err| format!("line {number}: {err}"))?;
            return Ok(Some((number, Line::TooLong)));
        }
        let mut bytes = self.buffer.as_slice();
        if number == 1 {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        let line = match std::str::from_utf8(bytes) {
            Ok(text) => Line::Text(text.trim_end_matches(['\n', '\r'])),
            Err(err) => {
                let offset = err.valid_up_to();
                Line::NotUtf8 { byte: bytes[offset], offset }
            }
        };
        Ok(Some((number, line)))
    }

    /// Skips the rest of an over-long line without holding it.
    fn skip_rest(&mut self) -> std::io::Result<()> {
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let n = (&mut self.reader).take(64 * 1024).read_until(b'\n', &mut rest)?;
            if n == 0 || rest.ends_with(b"\n") {
                return Ok(());
            }
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
        "{}: {} messages, {} bad, {} warnings, {} information",
        file.display(),
        summary.messages,
        summary.bad,
        summary.warnings,
        summary.information
    );
    for (method, (count, bad)) in &summary.by_method {
        if *bad > 0 {
            println!("  {method}: {count} messages, {bad} bad");
        } else {
            println!("  {method}: {count} messages");
        }
    }
}
