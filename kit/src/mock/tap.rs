//! The tap: what sees every raw line of a connection, in both directions, in order.
//! `--record FILE` is a tap that writes the connection as a transcript `cargo xtask validate`
//! reads: `> {…}` for what the client sent, `< {…}` for what the server sent.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use app_server_protocol::Direction;

type TapFn = dyn Fn(Direction, &str) + Send + Sync;

/// Sees each raw line of a connection with its direction: every line the client sent as it
/// arrives (before the server handles it), every line the server sends as it is written
/// (after faults rewrote it). Lines of one direction come in order; a request is always seen
/// before its answer. Cheap to clone.
#[derive(Clone)]
pub struct Tap(Arc<TapFn>);

impl std::fmt::Debug for Tap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tap")
    }
}

impl Tap {
    /// A tap that calls `see` with each line (without its line break). Keep it short: it
    /// runs on the connection's reading and writing tasks.
    pub fn new(see: impl Fn(Direction, &str) + Send + Sync + 'static) -> Self {
        Tap(Arc::new(see))
    }

    /// Shows `line`, sent in `direction`, to the tap.
    pub fn see(&self, direction: Direction, line: &str) {
        (self.0)(direction, line);
    }

    /// A tap that writes a transcript to `path` (created or truncated): `> line` for what the
    /// client sent, `< line` for what the server sent, flushed line by line.
    pub fn record(path: &Path) -> io::Result<Tap> {
        let file = File::create(path).map_err(|error| {
            io::Error::new(error.kind(), format!("cannot create {}: {error}", path.display()))
        })?;
        let file = Mutex::new(BufWriter::new(file));
        Ok(Tap::new(move |direction, line| {
            let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
            let mark = match direction {
                Direction::ClientToServer => '>',
                Direction::ServerToClient => '<',
            };
            // A transcript that cannot be written must not stop the connection.
            let _ignored = writeln!(file, "{mark} {line}").and_then(|()| file.flush());
        }))
    }
}

/// The transcript path of connection `number` for `--record PATH` with `--listen`: the
/// connection number before the extension (`run.jsonl` → `run.3.jsonl`).
pub(crate) fn numbered(path: &Path, number: u64) -> PathBuf {
    let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match path.extension() {
        Some(extension) => format!("{stem}.{number}.{}", extension.to_string_lossy()),
        None => format!("{stem}.{number}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_transcripts() {
        assert_eq!(numbered(Path::new("/tmp/run.jsonl"), 3), Path::new("/tmp/run.3.jsonl"));
        assert_eq!(numbered(Path::new("run"), 1), Path::new("run.1"));
    }
}
