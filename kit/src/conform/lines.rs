//! Reading the peer under test line by line, whatever it sends: a reader task over the
//! transport's bounded [`LineReader`] (never more than one line of the limit held; longer
//! lines skipped, their length reported) hands each line to the checker through a bounded
//! channel — so a flooding peer waits for the checker instead of filling the kit's memory.

use tokio::io::AsyncRead;
use tokio::sync::mpsc;

use crate::transport::{Line, LineReader};

/// One thing the peer under test sent, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A line, without its terminator.
    Line(String),
    /// A line longer than the limit, skipped without being held.
    TooLong {
        /// Its length in bytes.
        bytes: u64,
    },
    /// A line that is not UTF-8.
    NotUtf8 {
        /// The byte offset of the first invalid byte.
        offset: usize,
    },
    /// The peer closed its side (or reading failed: the reason).
    Closed(Option<String>),
}

/// How many read lines wait for the checker before the reader stops reading.
const QUEUE: usize = 2;

/// Starts a task reading `reader` into a bounded channel of [`Incoming`]; lines over
/// `max_line_bytes` are skipped. The task ends after sending `Closed`, or when the receiver
/// is dropped.
pub fn spawn_reader<R>(reader: R, max_line_bytes: usize) -> mpsc::Receiver<Incoming>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::channel(QUEUE);
    tokio::spawn(async move {
        let mut lines = LineReader::new(reader, max_line_bytes);
        loop {
            let next = match lines.next().await {
                Ok(Line::Text(bytes)) => match String::from_utf8(bytes) {
                    Ok(line) => Incoming::Line(line),
                    Err(err) => Incoming::NotUtf8 { offset: err.utf8_error().valid_up_to() },
                },
                Ok(Line::TooLong { bytes }) => Incoming::TooLong { bytes },
                Ok(Line::Eof) => Incoming::Closed(None),
                Err(err) => Incoming::Closed(Some(err.to_string())),
            };
            let closed = matches!(next, Incoming::Closed(_));
            if tx.send(next).await.is_err() || closed {
                return;
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn long_lines_are_skipped_and_bad_bytes_named() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"a\":1}\r\n");
        input.extend_from_slice(&[b'x'; 100]);
        input.extend_from_slice(b"\nok\n");
        input.extend_from_slice(b"ab\xffc\nlast");
        let mut rx = spawn_reader(std::io::Cursor::new(input), 10);
        let mut got = Vec::new();
        while let Some(next) = rx.recv().await {
            got.push(next);
        }
        assert_eq!(
            got,
            [
                Incoming::Line("{\"a\":1}".into()),
                Incoming::TooLong { bytes: 100 },
                Incoming::Line("ok".into()),
                Incoming::NotUtf8 { offset: 2 },
                Incoming::Line("last".into()),
                Incoming::Closed(None),
            ]
        );
    }
}
