//! SCRATCH (fixture author's local check) — delete before finishing.
use std::path::{Path, PathBuf};

use app_server_protocol::{
    ClientMessage, ClientRequestMethod, PendingRequests, RequestId, ServerMessage,
    ServerRequestMethod, decode_client_message, decode_server_message,
};
use serde_json::Value;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "jsonl") {
            out.push(p);
        }
    }
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => diff(&format!("{path}.{k}"), v, w, out),
                    None => out.push(format!("{path}.{k}: expected {v}, missing in re-encoding")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) {
                    out.push(format!("{path}.{k}: not expected, re-encoded as {w}"));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), v, w, out);
            }
        }
        _ => {
            if a != b {
                out.push(format!("{path}: expected {a}, re-encoded {b}"));
            }
        }
    }
}

fn id_from_key(k: &str) -> RequestId {
    match k.parse::<i64>() {
        Ok(n) => RequestId::Integer(n),
        Err(_) => RequestId::String(k.to_owned()),
    }
}

#[test]
fn scratch_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let mut client_pending = PendingRequests::<ClientRequestMethod>::new();
        let mut server_pending = PendingRequests::<ServerRequestMethod>::new();
        let invalid = rel.starts_with("invalid/");
        for (i, line) in text.lines().enumerate() {
            let at = format!("{rel}:{}", i + 1);
            if line.trim().is_empty() {
                failures.push(format!("{at}: blank line"));
                continue;
            }
            count += 1;
            let entry: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{at}: fixture line is not JSON: {e}"));
                    continue;
                }
            };
            let from = entry["from"].as_str().unwrap_or("?").to_owned();
            if invalid {
                let raw = entry["line"].as_str().expect("line").to_owned();
                let expect = &entry["expect"];
                let mut cp = PendingRequests::<ClientRequestMethod>::new();
                let mut sp = PendingRequests::<ServerRequestMethod>::new();
                if let Some(p) = entry.get("pending").and_then(Value::as_object) {
                    for (k, m) in p {
                        let m = m.as_str().unwrap();
                        if from == "client" {
                            sp.insert(id_from_key(k), ServerRequestMethod::from_wire(m).expect(m));
                        } else {
                            cp.insert(id_from_key(k), ClientRequestMethod::from_wire(m).expect(m));
                        }
                    }
                }
                let err = if from == "client" {
                    decode_client_message(&raw, &mut sp).err()
                } else {
                    decode_server_message(&raw, &mut cp).err()
                };
                match err {
                    None => failures.push(format!("{at}: decoded, expected an error")),
                    Some(err) => {
                        let code = expect["code"].as_i64().unwrap();
                        let path = expect["path"].as_str();
                        println!("{at}: {err}");
                        if err.code().0 != code || err.path.as_deref() != path {
                            failures.push(format!(
                                "{at}: got code {} path {:?} ({}), expected {code} {path:?}",
                                err.code().0,
                                err.path,
                                err.message
                            ));
                        }
                    }
                }
                continue;
            }
            let message = &entry["message"];
            let expected = entry.get("canonical").unwrap_or(message);
            let has_canonical = entry.get("canonical").is_some();
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if has_canonical
                && !(name.starts_with("legacy-") || name.starts_with("alias-") || name.starts_with("jsonrpc-"))
            {
                failures.push(format!("{at}: canonical in a file not named legacy-/alias-"));
            }
            let raw = serde_json::to_string(message).unwrap();
            let got = if from == "client" {
                decode_client_message(&raw, &mut server_pending).map(|m| {
                    if let ClientMessage::Request(r) = &m {
                        client_pending.register(r);
                    }
                    serde_json::to_value(&m).unwrap()
                })
            } else if from == "server" {
                decode_server_message(&raw, &mut client_pending).map(|m| {
                    if let ServerMessage::Request(r) = &m {
                        server_pending.register_server_request(r);
                    }
                    serde_json::to_value(&m).unwrap()
                })
            } else {
                failures.push(format!("{at}: bad from"));
                continue;
            };
            match got {
                Err(e) => failures.push(format!("{at}: decode error: {e}")),
                Ok(v) => {
                    let mut d = Vec::new();
                    diff("", expected, &v, &mut d);
                    for x in d {
                        failures.push(format!("{at}: {x}"));
                    }
                    // canonical must be a fixed point too
                    if has_canonical {
                        let raw2 = serde_json::to_string(expected).unwrap();
                        let _ = raw2;
                    }
                }
            }
        }
        if !invalid && (client_pending.len() + server_pending.len()) > 0 {
            failures.push(format!("{rel}: request(s) left unanswered"));
        }
    }
    println!("{} files, {count} lines", files.len());
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}
