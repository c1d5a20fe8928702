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
            let next = next_incoming(&mut lines).await;
            let closed = matches!(next, Incoming::Closed(_));
            if tx.send(next).await.is_err() || closed {
                return;
            }
        }
    });
    rx
}

/// As [`spawn_reader`], but the lines that came in one read arrive together, in order: a
/// judge that must know what the peer wrote before it could have seen an answer (an id reused
/// while pending) reads a whole write of the peer before anything that crossed it.
pub fn spawn_batch_reader<R>(reader: R, max_line_bytes: usize) -> mpsc::Receiver<Vec<Incoming>>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::channel(QUEUE);
    tokio::spawn(async move {
        let mut lines = LineReader::new(reader, max_line_bytes);
        loop {
            let mut batch = vec![next_incoming(&mut lines).await];
            while !matches!(batch.last(), Some(Incoming::Closed(_))) && lines.has_buffered_line() {
                batch.push(next_incoming(&mut lines).await);
            }
            let closed = matches!(batch.last(), Some(Incoming::Closed(_)));
            if tx.send(batch).await.is_err() || closed {
                return;
            }
        }
    });
    rx
}

/// The next thing the peer sent.
async fn next_incoming<R: AsyncRead + Unpin>(lines: &mut LineReader<R>) -> Incoming {
    match lines.next().await {
        Ok(Line::Text(bytes)) => match std::str::from_utf8(bytes) {
            Ok(line) => Incoming::Line(line.to_owned()),
            Err(err) => Incoming::NotUtf8 { offset: err.valid_up_to() },
        },
        Ok(Line::TooLong { bytes }) => Incoming::TooLong { bytes },
        Ok(Line::Eof) => Incoming::Closed(None),
        Err(err) => Incoming::Closed(Some(err.to_string())),
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

    #[tokio::test]
    async fn the_lines_of_one_read_arrive_together() {
        // Two writes: the pipe holds the second until the first is read.
        let (mut peer, kit) = tokio::io::duplex(64);
        let mut rx = spawn_batch_reader(kit, 1024);
        use tokio::io::AsyncWriteExt;
        peer.write_all(b"{\"id\":2}\n{\"id\":2}\n").await.unwrap();
        let first = rx.recv().await.unwrap();
        assert_eq!(
            first,
            [Incoming::Line("{\"id\":2}".into()), Incoming::Line("{\"id\":2}".into())]
        );
        peer.write_all(b"x\n").await.unwrap();
        drop(peer);
        let mut rest = Vec::new();
        while let Some(batch) = rx.recv().await {
            rest.extend(batch);
        }
        assert_eq!(rest, [Incoming::Line("x".into()), Incoming::Closed(None)]);
    }
}
