//! A deliberately broken app server for the conformance kit's tests: it answers the
//! handshake, then misbehaves as its one argument says.
//!
//! - `hang`: reads every line and never answers again;
//! - `crash`: exits (code 3) right after answering `initialize`;
//! - `garbage`: answers every later request with a line that is not JSON;
//! - `huge`: writes a 2 MiB line before each answer (-32601 to everything);
//! - `flood`: after `initialized`, writes notifications without end (of a known method, with
//!   params that break its contract: a notification a client does not know is no fault).
//!
//! Plain std, line by line: nothing here may lean on the crates under test.

use std::io::{BufRead, Write};

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return };
        let id = request_id(&line);
        if line.contains("\"initialize\"") {
            let _ = writeln!(out, r#"{{"id":{id},"result":{{"userAgent":"broken/{mode}"}}}}"#);
            let _ = out.flush();
            if mode == "crash" {
                std::process::exit(3);
            }
            continue;
        }
        if line.contains("\"initialized\"") && mode == "flood" {
            flood(&mut out);
            return;
        }
        if id == "null" {
            continue;
        }
        match mode.as_str() {
            "garbage" => {
                let _ = writeln!(out, "this is not JSON, id {id}");
            }
            "huge" => {
                let _ = writeln!(out, "{}", "x".repeat(2 * 1024 * 1024));
                let _ = writeln!(out, r#"{{"id":{id},"error":{{"code":-32601,"message":"no"}}}}"#);
            }
            _ => {}
        }
        let _ = out.flush();
    }
}

/// Writes notifications until the reader goes away.
fn flood(out: &mut impl Write) {
    let line = r#"{"method":"account/rateLimits/updated","params":{"n":1}}"#;
    while writeln!(out, "{line}").is_ok() {}
}

/// The `id` of a request line as it is written (`7`, `"a"`), or `null`.
fn request_id(line: &str) -> String {
    let Some(start) = line.find("\"id\":") else { return "null".to_owned() };
    let rest = line[start + 5..].trim_start();
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().to_owned()
}
