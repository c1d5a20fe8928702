//! A scripted client for the conformance kit's tests: the handshake, a thread, a turn whose
//! approvals it answers, then it exits when the turn completes. Its one argument makes it
//! misbehave in one way:
//!
//! - `good` (the default): keeps every rule;
//! - `skip-initialized`: never sends `initialized`;
//! - `reuse-id`: sends two requests with the same id before either is answered;
//! - `snake-case`: sends `model_provider` (the contract spells it `modelProvider`);
//! - `no-approval-answer`: never answers an approval request;
//! - `ignore-unknown-request`: never answers a server request it does not know.
//!
//! Plain JSON lines over stdio with serde_json: nothing here leans on the crates under test.

use std::io::{BufRead, StdinLock, Write};

use serde_json::{Value, json};

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "good".to_owned());
    let mut client = Client { mode, input: std::io::stdin().lock() };
    client.send(json!({ "id": 1, "method": "initialize", "params": {
        "clientInfo": { "name": "scripted_client", "version": "1.0" } } }));
    client.wait_for(|m| m["id"] == 1);
    if client.mode != "skip-initialized" {
        client.send(json!({ "method": "initialized" }));
    }
    let thread_params = if client.mode == "snake-case" {
        json!({ "model_provider": "openai" })
    } else {
        json!({ "modelProvider": "openai" })
    };
    let start = json!({ "id": 2, "method": "thread/start", "params": thread_params });
    if client.mode == "reuse-id" {
        // Both lines in one write, so that the second is on its way before the first can
        // be answered.
        let list = json!({ "id": 2, "method": "thread/list", "params": { "limit": 5 } });
        client.send_lines(&[start, list]);
    } else {
        client.send(start);
    }
    let started = client.wait_for(|m| m["id"] == 2 && m["result"].get("thread").is_some());
    let thread_id = started["result"]["thread"]["id"].clone();
    client.send(json!({ "id": 3, "method": "turn/start", "params": {
        "threadId": thread_id, "input": [{ "type": "text", "text": "run the tests" }] } }));
    client.wait_for(|m| m["method"] == "turn/completed");
}

struct Client {
    mode: String,
    input: StdinLock<'static>,
}

impl Client {
    fn send(&self, message: Value) {
        self.send_lines(&[message]);
    }

    /// Writes the messages, one a line, in one write.
    fn send_lines(&self, messages: &[Value]) {
        let text: String = messages.iter().map(|m| format!("{m}\n")).collect();
        let mut out = std::io::stdout().lock();
        if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
            std::process::exit(0);
        }
    }

    /// Reads messages until one fits `wanted`, answering the server's requests on the way;
    /// exits at the end of the input.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let mut line = String::new();
        loop {
            line.clear();
            match self.input.read_line(&mut line) {
                Ok(0) | Err(_) => std::process::exit(0),
                Ok(_) => {}
            }
            let Ok(message) = serde_json::from_str::<Value>(&line) else { continue };
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer(&message);
            }
            if wanted(&message) {
                return message;
            }
        }
    }

    fn answer(&self, request: &Value) {
        let id = request["id"].clone();
        let method = request["method"].as_str().unwrap_or_default();
        if method.ends_with("/requestApproval") {
            if self.mode != "no-approval-answer" {
                self.send(json!({ "id": id, "result": { "decision": "accept" } }));
            }
        } else if self.mode != "ignore-unknown-request" {
            self.send(
                json!({ "id": id, "error": { "code": -32601, "message": "unknown method" } }),
            );
        }
    }
}
