//! Just enough HTTP/1.1 for the stand-in: one request per connection (request line, headers,
//! a `Content-Length` body), every answer sent with `Connection: close`.
//!
//! Everything the peer sends is bounded and checked: the head (request line and headers) is
//! at most [`MAX_HEAD`] bytes and must arrive within [`READ_TIMEOUT`], the body at most
//! [`MAX_BODY`]; chunked bodies are refused with 411 (a model client sends `Content-Length`).
//! A request that breaks a rule becomes a [`Refusal`] (a status and a reason the connection
//! answers with), never a panic.

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The longest request head (request line and headers) read, in bytes.
pub const MAX_HEAD: usize = 16 * 1024;

/// The longest request body read, in bytes (a model request carries the whole conversation,
/// so this is generous).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// How long a peer may take to send a whole request.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A request as read: its line, its headers and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The headers, names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body (empty without `Content-Length`).
    pub body: Vec<u8>,
}

impl Request {
    /// The value of the first header of this (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// Why a request is not served: the status to answer and the reason, for the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status (4xx).
    pub status: u16,
    /// What was wrong, in words.
    pub reason: String,
    /// The request's method and path, when its request line could be read.
    pub request: Option<(String, String)>,
}

impl Refusal {
    /// A refusal with this status and reason.
    pub fn new(status: u16, reason: impl Into<String>) -> Self {
        Refusal { status, reason: reason.into(), request: None }
    }
}

/// What reading a request gave.
#[derive(Debug)]
pub enum Read {
    /// A whole request.
    Request(Request),
    /// The peer closed the connection before sending anything.
    Closed,
    /// A request the stand-in will not serve.
    Refused(Refusal),
}

/// Reads one request, answering `Expect: 100-continue` on `writer` before reading the body.
/// I/O errors are returned; everything wrong with what the peer sent is a [`Read::Refused`].
pub async fn read_request<R, W>(reader: &mut R, writer: &mut W) -> std::io::Result<Read>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buffer = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Ok(refused(431, format!("the request head is longer than {MAX_HEAD} bytes")));
        }
        let mut chunk = [0u8; 4096];
        let read = reader.read(&mut chunk).await?;
        if read == 0 {
            if buffer.is_empty() {
                return Ok(Read::Closed);
            }
            return Ok(refused(400, "the connection ended before the request head did"));
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    if head_end > MAX_HEAD {
        return Ok(refused(431, format!("the request head is longer than {MAX_HEAD} bytes")));
    }
    let (method, path, headers) = match parse_head(&buffer[..head_end]) {
        Ok(head) => head,
        Err(refusal) => return Ok(Read::Refused(refusal)),
    };
    let mut request = Request { method, path, headers, body: Vec::new() };
    let refused = |status: u16, reason: String| {
        let request = Some((request.method.clone(), request.path.clone()));
        Read::Refused(Refusal { status, reason, request })
    };
    let length = match body_length(&request) {
        Ok(length) => length,
        Err(refusal) => return Ok(refused(refusal.status, refusal.reason)),
    };
    let mut body = buffer.split_off(head_end + 4);
    if body.len() > length {
        return Ok(refused(400, "more bytes were sent than `Content-Length` says".to_owned()));
    }
    if length > body.len()
        && request.header("expect").is_some_and(|value| value.eq_ignore_ascii_case("100-continue"))
    {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        writer.flush().await?;
    }
    body.reserve_exact(length - body.len());
    while body.len() < length {
        let mut chunk = vec![0u8; (length - body.len()).min(64 * 1024)];
        let read = reader.read(&mut chunk).await?;
        if read == 0 {
            let reason = format!(
                "the connection ended after {} of the {length} body bytes `Content-Length` announced",
                body.len()
            );
            return Ok(refused(400, reason));
        }
        body.extend_from_slice(&chunk[..read]);
    }
    request.body = body;
    Ok(Read::Request(request))
}

fn refused(status: u16, reason: impl Into<String>) -> Read {
    Read::Refused(Refusal::new(status, reason))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

type Head = (String, String, Vec<(String, String)>);

/// The request line and the headers of a head (without its closing empty line).
fn parse_head(head: &[u8]) -> Result<Head, Refusal> {
    let head = std::str::from_utf8(head)
        .map_err(|_| Refusal::new(400, "the request head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::new(
            400,
            format!(
                "malformed request line {:?}: expected `METHOD /path HTTP/1.1`",
                truncate(request_line)
            ),
        ));
    };
    if method.is_empty() || !method.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Err(Refusal::new(400, format!("malformed method {:?}", truncate(method))));
    }
    if !target.starts_with('/') {
        return Err(Refusal::new(
            400,
            format!("malformed request target {:?}: expected a path", truncate(target)),
        ));
    }
    if !version.starts_with("HTTP/1.") {
        return Err(Refusal::new(
            505,
            format!("unsupported version {:?}: expected HTTP/1.1", truncate(version)),
        ));
    }
    let path = target.split(['?', '#']).next().unwrap_or(target).to_owned();
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(Refusal::new(
                400,
                format!("malformed header line {:?}: expected `Name: value`", truncate(line)),
            ));
        };
        if name.is_empty() || name.bytes().any(|byte| !byte.is_ascii_graphic()) {
            return Err(Refusal::new(400, format!("malformed header name {:?}", truncate(name))));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok((method.to_owned(), path, headers))
}

/// The body's length from `Content-Length`; chunked bodies are refused.
fn body_length(request: &Request) -> Result<usize, Refusal> {
    if request.header("transfer-encoding").is_some() {
        return Err(Refusal::new(
            411,
            "`Transfer-Encoding` request bodies are not supported: send `Content-Length`",
        ));
    }
    let mut lengths = request.headers.iter().filter(|(name, _)| name == "content-length");
    let Some((_, first)) = lengths.next() else {
        return if request.method == "POST" || request.method == "PUT" {
            Err(Refusal::new(411, "a request with a body needs `Content-Length`"))
        } else {
            Ok(0)
        };
    };
    if lengths.any(|(_, other)| other != first) {
        return Err(Refusal::new(400, "conflicting `Content-Length` headers"));
    }
    if first.is_empty() || !first.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(Refusal::new(
            400,
            format!("malformed `Content-Length` {:?}: expected a number", truncate(first)),
        ));
    }
    match first.parse::<usize>() {
        Ok(length) if length <= MAX_BODY => Ok(length),
        _ => Err(Refusal::new(413, format!("the body is longer than {MAX_BODY} bytes"))),
    }
}

/// At most 80 characters of what the peer sent, for a reason.
fn truncate(text: &str) -> &str {
    match text.char_indices().nth(80) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

/// The reason phrase of the statuses the stand-in answers with.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Writes a whole response with a body, `Content-Length` and `Connection: close`.
pub async fn write_response<W: AsyncWrite + Unpin>(
    writer: &mut W,
    status: u16,
    extra_headers: &[(&str, &str)],
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        reason_phrase(status),
        body.len()
    );
    for (name, value) in extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    writer.write_all(&bytes).await?;
    writer.flush().await
}

/// The body of an error answer, in the shape the Responses API uses.
pub fn error_body(status: u16, message: &str) -> Vec<u8> {
    let kind = if status >= 500 { "server_error" } else { "invalid_request_error" };
    json!({ "error": { "message": message, "type": kind, "code": null } }).to_string().into_bytes()
}

/// Answers a refusal: its status, and its reason as a JSON error body.
pub async fn write_refusal<W: AsyncWrite + Unpin>(
    writer: &mut W,
    refusal: &Refusal,
) -> std::io::Result<()> {
    let body = error_body(refusal.status, &refusal.reason);
    write_response(writer, refusal.status, &[], "application/json", &body).await
}

/// The head of a streamed answer: Server-Sent Events until the connection closes.
pub const SSE_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(bytes: &[u8]) -> Read {
        let mut reader = bytes;
        let mut sink = Vec::new();
        read_request(&mut reader, &mut sink).await.unwrap()
    }

    #[tokio::test]
    async fn reads_a_post_and_refuses_what_it_cannot_serve() {
        let Read::Request(request) =
            read(b"POST /v1/responses?x=1 HTTP/1.1\r\nContent-Length: 2\r\nX-A:  b \r\n\r\n{}")
                .await
        else {
            panic!("not a request");
        };
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/v1/responses");
        assert_eq!(request.header("x-a"), Some("b"));
        assert_eq!(request.body, b"{}");
        assert!(matches!(read(b"").await, Read::Closed));
        let cases: [(&[u8], u16); 8] = [
            (b"hello\r\n\r\n", 400),
            (b"GET / HTTP/2\r\n\r\n", 505),
            (b"POST / HTTP/1.1\r\n\r\n", 411),
            (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
            (b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413),
            (b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", 400),
            (b"GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
        ];
        for (bytes, status) in cases {
            match read(bytes).await {
                Read::Refused(refusal) => assert_eq!(refusal.status, status, "{refusal:?}"),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bytes)),
            }
        }
        let long = [b"GET / HTTP/1.1\r\nX: ".as_slice(), &[b'a'; MAX_HEAD], b"\r\n\r\n"].concat();
        assert!(matches!(read(&long).await, Read::Refused(Refusal { status: 431, .. })));
    }
}
