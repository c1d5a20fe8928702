//! Records every line of a session, both directions, in the transcript form `cargo xtask
//! validate` reads (`> ` + line: client → server, `< ` + line: server → client).
//!
//! The peer has no line tap, so the harness sits on the byte streams:
//!
//! ```text
//! peer writer ──► duplex pipe ──► forward_client_lines ──► server's stdin
//!                                  (split into lines, each recorded `> `;
//!                                   probe lines injected between two lines)
//! server's stdout ──► TapReader ──► peer reader
//!                     (each chunk split into lines, each recorded `< `)
//! ```
//!
//! Probes are raw requests the typed peer cannot send (an unknown method, params of the wrong
//! type): written between the peer's lines, their answers picked out of the server's lines by
//! their string id (the peer, which never sent them, reports those answers as bad lines).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::{mpsc, oneshot};

/// The longest line held (the peer's default limit, 16 MiB); the rest of a longer line is
/// dropped from the transcript, which then shows a truncated (invalid) line.
const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
/// How many of the server's lines are kept for the waiting logic to read a line the peer
/// refused (a session has a few hundred).
const MAX_KEPT_LINES: usize = 1_000_000;
/// The prefix of the ids of probes: strings, so they never collide with the peer's integers.
const PROBE_ID_PREFIX: &str = "interop-probe-";

/// Splits a byte stream into lines, whatever the chunks: a line may span chunks, a chunk may
/// hold many lines. A line is handed over without its `\n`.
#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
}

impl LineSplitter {
    /// Feeds one chunk; calls `line` for every line it completes.
    pub fn push(&mut self, mut chunk: &[u8], line: &mut dyn FnMut(&[u8])) {
        while let Some(end) = chunk.iter().position(|&b| b == b'\n') {
            if self.partial.is_empty() {
                line(&chunk[..end]);
            } else {
                self.keep(&chunk[..end]);
                line(&self.partial);
                self.partial.clear();
            }
            chunk = &chunk[end + 1..];
        }
        self.keep(chunk);
    }

    /// The end of the stream: a last line without `\n`, if any.
    pub fn finish(&mut self, line: &mut dyn FnMut(&[u8])) {
        if !self.partial.is_empty() {
            line(&self.partial);
            self.partial.clear();
        }
    }

    fn keep(&mut self, bytes: &[u8]) {
        let room = MAX_LINE_BYTES.saturating_sub(self.partial.len());
        self.partial.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

/// The transcript of one session, shared by the two taps and the session.
#[derive(Clone)]
pub struct Recorder {
    state: Arc<Mutex<State>>,
    inject: mpsc::UnboundedSender<Vec<u8>>,
}

struct State {
    out: BufWriter<File>,
    /// Lines written to the transcript.
    written: usize,
    /// The server's lines, in the peer's numbering (line `n` at index `n - 1`).
    server_lines: Vec<Vec<u8>>,
    /// Probes waiting for their answer, by id.
    probes: HashMap<String, oneshot::Sender<Value>>,
    next_probe: u64,
    /// The transcript lines of the probes.
    probe_lines: Vec<usize>,
    /// The first write error (reported when the session ends).
    error: Option<String>,
}

/// What the client-side forwarder needs; handed out once by [`Recorder::create`].
pub struct ClientSide {
    injected: mpsc::UnboundedReceiver<Vec<u8>>,
}

impl Recorder {
    /// A recorder writing to `path` (created, truncated).
    pub fn create(path: &Path) -> Result<(Recorder, ClientSide), String> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|err| format!("{}: {err}", folder.display()))?;
        }
        let file = File::create(path).map_err(|err| format!("{}: {err}", path.display()))?;
        let state = State {
            out: BufWriter::new(file),
            written: 0,
            server_lines: Vec::new(),
            probes: HashMap::new(),
            next_probe: 1,
            probe_lines: Vec::new(),
            error: None,
        };
        let (inject, injected) = mpsc::unbounded_channel();
        let recorder = Recorder { state: Arc::new(Mutex::new(state)), inject };
        Ok((recorder, ClientSide { injected }))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server's line numbered `number` by the peer (1 for the first), if kept.
    pub fn server_line(&self, number: u64) -> Option<Vec<u8>> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.state().server_lines.get(index).cloned()
    }

    /// The transcript lines of the probes sent so far.
    pub fn probe_lines(&self) -> Vec<usize> {
        self.state().probe_lines.clone()
    }

    /// Sends a raw request the typed peer cannot send, `{"id": "interop-probe-N", "method":
    /// method, "params": params}`, and waits (at most `limit`) for the server's answer.
    pub async fn probe(
        &self,
        method: &str,
        params: Value,
        limit: Duration,
    ) -> Result<Value, String> {
        let (id, answered) = {
            let mut state = self.state();
            let id = format!("{PROBE_ID_PREFIX}{}", state.next_probe);
            state.next_probe += 1;
            let (tx, rx) = oneshot::channel();
            state.probes.insert(id.clone(), tx);
            (id, rx)
        };
        let line = serde_json::json!({ "id": id, "method": method, "params": params }).to_string();
        self.inject
            .send(line.into_bytes())
            .map_err(|_| format!("probe `{method}`: the connection to the server is closed"))?;
        match tokio::time::timeout(limit, answered).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(_)) => Err(format!("probe `{method}`: the session ended before the answer")),
            Err(_) => Err(format!("probe `{method}`: no answer within {} s", limit.as_secs())),
        }
    }

    /// Records a line the client sent.
    fn client_line(&self, line: &[u8], probe: bool) {
        let mut state = self.state();
        state.write(b"> ", line);
        if probe {
            let number = state.written;
            state.probe_lines.push(number);
        }
    }

    /// Records a line the server sent; hands a probe's answer to its waiter.
    fn server_line_received(&self, line: &[u8]) {
        let mut state = self.state();
        state.write(b"< ", line);
        if state.server_lines.len() < MAX_KEPT_LINES {
            state.server_lines.push(line.to_vec());
        }
        if state.probes.is_empty() || !contains(line, PROBE_ID_PREFIX.as_bytes()) {
            return;
        }
        let Ok(answer) = serde_json::from_slice::<Value>(line) else { return };
        let id = answer.get("id").and_then(Value::as_str).map(str::to_owned);
        if let Some(waiter) = id.and_then(|id| state.probes.remove(&id)) {
            let _gone = waiter.send(answer);
        }
    }

    /// Flushes the transcript; the first error writing it, if any.
    pub fn finish(&self) -> Result<usize, String> {
        let mut state = self.state();
        if let Err(err) = state.out.flush() {
            state.error.get_or_insert_with(|| err.to_string());
        }
        match &state.error {
            Some(err) => Err(format!("writing the transcript: {err}")),
            None => Ok(state.written),
        }
    }
}

impl State {
    fn write(&mut self, mark: &[u8], line: &[u8]) {
        self.written += 1;
        let written = self
            .out
            .write_all(mark)
            .and_then(|()| self.out.write_all(line))
            .and_then(|()| self.out.write_all(b"\n"));
        if let Err(err) = written {
            self.error.get_or_insert_with(|| err.to_string());
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Copies what the peer writes to the server's stdin line by line, recording each line, and
/// writes the probes between lines. Ends when the peer closes its side (then the server's
/// stdin is closed: it reads EOF) or the server's stdin fails.
pub async fn forward_client_lines<R, W>(
    recorder: Recorder,
    side: ClientSide,
    mut from_peer: R,
    mut to_server: W,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let ClientSide { mut injected } = side;
    let mut splitter = LineSplitter::default();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut out = Vec::new();
    loop {
        tokio::select! {
            read = from_peer.read(&mut chunk) => {
                let n = match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                splitter.push(&chunk[..n], &mut |line| {
                    recorder.client_line(line, false);
                    out.extend_from_slice(line);
                    out.push(b'\n');
                });
            }
            Some(line) = injected.recv() => {
                recorder.client_line(&line, true);
                out.extend_from_slice(&line);
                out.push(b'\n');
            }
        }
        if !out.is_empty() {
            let written = to_server.write_all(&out).await;
            out.clear();
            if written.is_err() || to_server.flush().await.is_err() {
                break;
            }
        }
    }
    splitter.finish(&mut |line| {
        recorder.client_line(line, false);
        out.extend_from_slice(line);
    });
    let _eof = to_server.write_all(&out).await;
    let _closed = to_server.shutdown().await;
}

/// The server's stdout as the peer reads it, every line recorded on its way.
pub struct TapReader<R> {
    inner: R,
    recorder: Recorder,
    splitter: LineSplitter,
}

impl<R> TapReader<R> {
    /// Taps `inner`.
    pub fn new(inner: R, recorder: Recorder) -> Self {
        TapReader { inner, recorder, splitter: LineSplitter::default() }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for TapReader<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let recorder = &this.recorder;
            let fresh = &buf.filled()[before..];
            if fresh.is_empty() {
                this.splitter.finish(&mut |line| recorder.server_line_received(line));
            } else {
                this.splitter.push(fresh, &mut |line| recorder.server_line_received(line));
            }
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> Vec<String> {
        let mut splitter = LineSplitter::default();
        let mut lines = Vec::new();
        for chunk in chunks {
            splitter
                .push(chunk, &mut |line| lines.push(String::from_utf8_lossy(line).into_owned()));
        }
        splitter.finish(&mut |line| lines.push(String::from_utf8_lossy(line).into_owned()));
        lines
    }

    #[test]
    fn lines_across_chunks() {
        assert_eq!(
            split(&[b"{\"a\":1}\n{\"b\"", b":2}\n{\"c\":3}\n"]),
            ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]
        );
        assert_eq!(split(&[b"ab", b"c", b"d\ne", b"", b"f\n"]), ["abcd", "ef"]);
        assert_eq!(split(&[b"\n\n"]), ["", ""]);
        assert_eq!(split(&[b"one\ntwo"]), ["one", "two"], "a last line without a line end");
        assert_eq!(split(&[b"x\n", b"\n", b"y"]), ["x", "", "y"]);
        assert!(split(&[]).is_empty());
    }

    /// Reads what the server got until a line end.
    async fn server_gets(server_reads: &mut tokio::io::DuplexStream) -> String {
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.ends_with(b"\n") {
            let n = server_reads.read(&mut byte).await.unwrap();
            assert_eq!(n, 1, "the forwarder closed early");
            got.push(byte[0]);
        }
        String::from_utf8(got).unwrap()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn records_both_directions_and_answers_probes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let (recorder, client_side) = Recorder::create(&path).unwrap();

        // The peer's writes arrive in odd chunks; the server gets whole lines.
        let (mut peer_writes, forwarder_reads) = tokio::io::duplex(1024);
        let (server_stdin, mut server_reads) = tokio::io::duplex(1024);
        let forward = tokio::spawn(forward_client_lines(
            recorder.clone(),
            client_side,
            forwarder_reads,
            server_stdin,
        ));
        peer_writes.write_all(b"{\"id\":0,\"method\":\"ini").await.unwrap();
        peer_writes.write_all(b"tialize\"}\n").await.unwrap();
        assert_eq!(server_gets(&mut server_reads).await, "{\"id\":0,\"method\":\"initialize\"}\n");

        // The server answers in one chunk holding two lines; the peer reads them unchanged.
        let (mut server_stdout, peer_reads) = tokio::io::duplex(1024);
        let mut tap = TapReader::new(peer_reads, recorder.clone());
        server_stdout.write_all(b"{\"id\":0,\"result\":{}}\n{\"method\":\"x\"}\n").await.unwrap();
        let mut seen = vec![0u8; 256];
        let n = tap.read(&mut seen).await.unwrap();
        assert_eq!(&seen[..n], b"{\"id\":0,\"result\":{}}\n{\"method\":\"x\"}\n");

        // A probe goes out between lines; its answer is picked out by its id.
        let probe = {
            let recorder = recorder.clone();
            tokio::spawn(async move {
                recorder.probe("no/such", serde_json::json!({}), Duration::from_secs(5)).await
            })
        };
        assert_eq!(
            server_gets(&mut server_reads).await,
            "{\"id\":\"interop-probe-1\",\"method\":\"no/such\",\"params\":{}}\n"
        );
        server_stdout
            .write_all(
                b"{\"id\":\"interop-probe-1\",\"error\":{\"code\":-32600,\"message\":\"m\"}}\n",
            )
            .await
            .unwrap();
        let _ = tap.read(&mut seen).await.unwrap();
        let answer = probe.await.unwrap().unwrap();
        assert_eq!(answer["error"]["code"], -32600);
        assert_eq!(recorder.server_line(2).unwrap(), b"{\"method\":\"x\"}");
        assert_eq!(recorder.server_line(9), None);

        // The peer closes its side: the server reads EOF.
        drop(peer_writes);
        forward.await.unwrap();
        let mut rest = Vec::new();
        server_reads.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty());

        assert_eq!(recorder.finish().unwrap(), 5);
        assert_eq!(recorder.probe_lines(), [4]);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "> {\"id\":0,\"method\":\"initialize\"}");
        assert_eq!(lines[1], "< {\"id\":0,\"result\":{}}");
        assert_eq!(lines[2], "< {\"method\":\"x\"}");
        assert!(lines[3].starts_with("> {\"id\":\"interop-probe-1\""), "{}", lines[3]);
        assert!(lines[4].starts_with("< {\"id\":\"interop-probe-1\""), "{}", lines[4]);
    }
}
