//! Reading the peer under test line by line, whatever it sends: a reader task that never
//! holds more than one line of the limit, skips longer lines (reporting their length), and
//! hands each line to the checker through a bounded channel — so a flooding peer waits for
//! the checker instead of filling the kit's memory.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};
use tokio::sync::mpsc;

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
        let mut reader = BufReader::new(reader);
        loop {
            let next = read_line(&mut reader, max_line_bytes).await;
            let closed = matches!(next, Incoming::Closed(_));
            if tx.send(next).await.is_err() || closed {
                return;
            }
        }
    });
    rx
}

/// Reads one line of at most `max` bytes.
async fn read_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>, max: usize) -> Incoming {
    let mut buf = Vec::new();
    let cap = max as u64 + 2;
    let read = match (&mut *reader).take(cap).read_until(b'\n', &mut buf).await {
        Ok(read) => read,
        Err(err) => return Incoming::Closed(Some(err.to_string())),
    };
    if read == 0 {
        return Incoming::Closed(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    } else if read as u64 == cap {
        return match skip_rest_of_line(reader).await {
            Ok(skipped) => Incoming::TooLong { bytes: read as u64 + skipped },
            Err(err) => Incoming::Closed(Some(err.to_string())),
        };
    }
    match String::from_utf8(buf) {
        Ok(line) => Incoming::Line(line),
        Err(err) => Incoming::NotUtf8 { offset: err.utf8_error().valid_up_to() },
    }
}

/// Skips to the end of the current line without holding it; returns the bytes skipped.
async fn skip_rest_of_line<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<u64> {
    let mut skipped = 0;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(skipped);
        }
        if let Some(at) = available.iter().position(|&byte| byte == b'\n') {
            reader.consume(at + 1);
            return Ok(skipped + at as u64);
        }
        let len = available.len();
        reader.consume(len);
        skipped += len as u64;
    }
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
