//! JSON Lines over bytes: a reader that never holds more than one line of the configured
//! limit (public: the kit and other transports read lines with it too). Lines are written by
//! the [outbox](crate::outbox)'s writer task.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// The capacity the line buffer keeps between lines; a longer line's buffer is given back.
const KEPT_CAPACITY: usize = 64 * 1024;

/// One line as the reader found it.
pub enum Line<'a> {
    /// A line without its terminator (`\n` or `\r\n`), at most the limit plus one byte long
    /// (the decoder refuses that one byte too many in its own words).
    Text(&'a [u8]),
    /// A line longer than the limit: it was skipped without being held. `bytes` counts it
    /// without its terminator.
    TooLong {
        /// How long the line was.
        bytes: u64,
    },
    /// The other end closed its side.
    Eof,
}

/// Reads JSON Lines of at most `max` bytes from any byte stream, never holding more than one
/// line of the limit: a longer line is skipped as it is read and reported with its length.
/// A line that lies whole in the read buffer is lent without a copy. See [`Line`].
pub struct LineReader<R> {
    inner: BufReader<R>,
    buf: Vec<u8>,
    max: usize,
    /// Bytes of `inner`'s buffer the line handed out last still borrows: consumed when the
    /// next line is asked for.
    lent: usize,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    /// A reader of lines of at most `max` bytes.
    pub fn new(reader: R, max: usize) -> Self {
        LineReader { inner: BufReader::new(reader), buf: Vec::new(), max, lent: 0 }
    }

    /// The next line. A last line without a terminator is a line.
    ///
    /// A line that lies whole in the read buffer is lent from it, without a copy (the common
    /// case: many short lines per read); one that spans reads is gathered into a line buffer.
    pub async fn next(&mut self) -> io::Result<Line<'_>> {
        self.inner.consume(std::mem::take(&mut self.lent));
        let buffered = self.inner.fill_buf().await?;
        let end = memchr::memchr(b'\n', buffered);
        if let Some(end) = end.filter(|&end| end <= self.max + 1) {
            self.lent = end + 1;
            return Ok(Line::Text(without_cr(&self.inner.buffer()[..end])));
        }
        self.gather().await
    }

    /// Whether a whole line already waits in the read buffer (it came with the same read as
    /// the line before): [`LineReader::next`] then returns it without waiting.
    pub fn has_buffered_line(&self) -> bool {
        let lent = self.inner.buffer().get(self.lent..).unwrap_or_default();
        memchr::memchr(b'\n', lent).is_some()
    }

    /// The next line, gathered into the line buffer (it spans reads, or is too long).
    async fn gather(&mut self) -> io::Result<Line<'_>> {
        self.buf.clear();
        self.buf.shrink_to(KEPT_CAPACITY);
        // The line, an optional '\r' and the '\n': anything longer is over the limit.
        let cap = self.max as u64 + 2;
        let read = (&mut self.inner).take(cap).read_until(b'\n', &mut self.buf).await?;
        if read == 0 {
            return Ok(Line::Eof);
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            return Ok(Line::Text(without_cr(&self.buf)));
        }
        if (read as u64) < cap {
            return Ok(Line::Text(&self.buf));
        }
        let skipped = self.skip_rest_of_line().await?;
        Ok(Line::TooLong { bytes: read as u64 + skipped })
    }

    /// Skips to the end of the current line (its '\n' included) without holding it; returns
    /// how many bytes came before the '\n'.
    async fn skip_rest_of_line(&mut self) -> io::Result<u64> {
        let mut skipped = 0;
        loop {
            let available = self.inner.fill_buf().await?;
            if available.is_empty() {
                return Ok(skipped);
            }
            if let Some(at) = memchr::memchr(b'\n', available) {
                self.inner.consume(at + 1);
                return Ok(skipped + at as u64);
            }
            let len = available.len();
            self.inner.consume(len);
            skipped += len as u64;
        }
    }
}

/// A line without the '\r' of a CRLF terminator.
fn without_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn next(reader: &mut LineReader<&[u8]>) -> Result<Vec<u8>, u64> {
        match reader.next().await.unwrap() {
            Line::Text(bytes) => Ok(bytes.to_vec()),
            Line::TooLong { bytes } => Err(bytes),
            Line::Eof => Err(0),
        }
    }

    #[tokio::test]
    async fn a_line_over_the_limit_is_skipped_without_being_held() {
        let input = [&[b'x'; 100_000][..], b"\nok\r\n12345678\n123456789\nlast"].concat();
        let mut reader = LineReader::new(&input[..], 8);
        assert_eq!(next(&mut reader).await, Err(100_000));
        assert!(reader.buf.capacity() <= 64, "held {} bytes", reader.buf.capacity());
        assert_eq!(next(&mut reader).await, Ok(b"ok".to_vec()), "CRLF ends a line too");
        assert_eq!(next(&mut reader).await, Ok(b"12345678".to_vec()), "exactly the limit");
        // One byte over is handed on: the decoder refuses it in its own words.
        assert_eq!(next(&mut reader).await, Ok(b"123456789".to_vec()));
        assert_eq!(next(&mut reader).await, Ok(b"last".to_vec()), "a last line without '\\n'");
        assert_eq!(next(&mut reader).await, Err(0), "then EOF");
    }

    #[tokio::test]
    async fn lines_lent_from_the_read_buffer_and_lines_that_span_reads_read_the_same() {
        // The read buffer holds 8 KiB: the long line spans reads and is gathered; the short
        // ones around it lie whole in the buffer and are lent.
        let long = vec![b'y'; 20_000];
        let input = [b"a\n", &long[..], b"\r\nb\r\n\nc"].concat();
        let mut reader = LineReader::new(&input[..], 30_000);
        assert_eq!(next(&mut reader).await, Ok(b"a".to_vec()));
        assert!(!reader.has_buffered_line(), "the long line has not come whole yet");
        assert_eq!(next(&mut reader).await, Ok(long));
        assert_eq!(next(&mut reader).await, Ok(b"b".to_vec()));
        assert!(reader.has_buffered_line(), "the blank line came with `b`");
        assert_eq!(next(&mut reader).await, Ok(b"".to_vec()), "a blank line is a line");
        assert_eq!(next(&mut reader).await, Ok(b"c".to_vec()));
        assert_eq!(next(&mut reader).await, Err(0));
    }
}
