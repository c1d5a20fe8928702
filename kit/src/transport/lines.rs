//! Reading JSON Lines of bounded length from a byte stream.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// One line as [`LineReader::next`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line without its terminator (`\n` or `\r\n`), as bytes: not necessarily UTF-8 (the
    /// decoder refuses invalid UTF-8 with -32700 and the byte offset).
    Text(Vec<u8>),
    /// A line longer than the limit: skipped without being held. `bytes` is its length.
    TooLong {
        /// How long the line was, without its terminator.
        bytes: u64,
    },
    /// The other end closed its side.
    Eof,
}

/// Reads lines of at most `max` bytes from a byte stream.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: BufReader<R>,
    buf: Vec<u8>,
    max: usize,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    /// A reader of lines of at most `max` bytes.
    pub fn new(reader: R, max: usize) -> Self {
        LineReader { inner: BufReader::new(reader), buf: Vec::new(), max }
    }

    /// The next line. A last line without a terminator is a line.
    pub async fn next(&mut self) -> io::Result<Line> {
        self.buf.clear();
        let cap = self.max as u64 + 2;
        let read = (&mut self.inner).take(cap).read_until(b'\n', &mut self.buf).await?;
        if read == 0 {
            return Ok(Line::Eof);
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
        } else if read as u64 >= cap {
            let skipped = self.skip_rest_of_line().await?;
            return Ok(Line::TooLong { bytes: read as u64 + skipped });
        }
        let line = self.buf.clone();
        if self.buf.capacity() > 64 * 1024 {
            self.buf = Vec::new();
        }
        Ok(Line::Text(line))
    }

    /// Whether a whole line already waits in the read buffer (it came with the same read as
    /// the line before): [`LineReader::next`] then returns it without waiting.
    pub fn has_buffered_line(&self) -> bool {
        self.inner.buffer().contains(&b'\n')
    }

    /// Skips to the end of the current line without holding it; returns how many bytes came
    /// before the `\n`.
    async fn skip_rest_of_line(&mut self) -> io::Result<u64> {
        let mut skipped = 0;
        loop {
            let available = self.inner.fill_buf().await?;
            if available.is_empty() {
                return Ok(skipped);
            }
            if let Some(at) = available.iter().position(|&byte| byte == b'\n') {
                self.inner.consume(at + 1);
                return Ok(skipped + at as u64);
            }
            let len = available.len();
            self.inner.consume(len);
            skipped += len as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_over_the_limit_are_skipped_and_crlf_ends_a_line() {
        let input = [&[b'x'; 1000][..], b"\nok\r\nlast"].concat();
        let mut reader = LineReader::new(&input[..], 8);
        assert_eq!(reader.next().await.unwrap(), Line::TooLong { bytes: 1000 });
        assert_eq!(reader.next().await.unwrap(), Line::Text(b"ok".to_vec()));
        assert_eq!(reader.next().await.unwrap(), Line::Text(b"last".to_vec()));
        assert_eq!(reader.next().await.unwrap(), Line::Eof);
    }
}
