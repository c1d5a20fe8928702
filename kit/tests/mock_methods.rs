//! Every client → server method (v1 and v2) has a deliberate answer: each request of the
//! repository's wire fixtures is sent to the mock (its thread, turn and login ids replaced by
//! live ones), no answer is -32601, every method gets a result at least once, and every line
//! of the recorded transcript decodes with the contract's decoders.

mod mock_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use app_server_protocol::transcript::{TranscriptDecoder, split_marked_line};
use app_server_protocol::{CLIENT_REQUESTS, Direction};
use mock_support::{RawMock, bounded};
use serde_json::{Value, json};

/// Every `.jsonl` file under `dir`.
fn fixture_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixture_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "jsonl") {
            found.push(path);
        }
    }
}

/// Every request a client sends in the v1 and v2 fixtures.
fn fixture_requests() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    fixture_files(&root.join("v1"), &mut files);
    fixture_files(&root.join("v2"), &mut files);
    files.sort();
    let mut requests = Vec::new();
    for file in files {
        for line in
            std::fs::read_to_string(&file).unwrap().lines().filter(|line| !line.trim().is_empty())
        {
            let entry: Value = serde_json::from_str(line).unwrap();
            let message = &entry["message"];
            if entry["from"] == "client"
                && message.get("id").is_some()
                && message["method"].is_string()
            {
                requests.push((file.clone(), message.clone()));
            }
        }
    }
    requests
}

/// The live ids a request's params are given in place of the fixture's.
struct Live {
    thread_id: String,
    path: String,
    turn_id: Option<String>,
    login_id: Option<String>,
}

fn substitute(value: &mut Value, live: &Live) {
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                match (key.as_str(), &*member) {
                    ("threadId" | "conversationId", Value::String(_)) => {
                        *member = json!(live.thread_id)
                    }
                    ("rolloutPath" | "path", Value::String(_)) => *member = json!(live.path),
                    ("turnId", _) if live.turn_id.is_some() => *member = json!(live.turn_id),
                    ("loginId", _) if live.login_id.is_some() => *member = json!(live.login_id),
                    _ => substitute(member, live),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| substitute(item, live)),
        _ => {}
    }
}

/// A thread (and, when asked, a running turn and a pending login) for one request.
async fn live_ids(mock: &mut RawMock, params: &Value) -> Live {
    let thread = mock.call("thread/start", json!({})).await;
    let thread = &thread["result"]["thread"];
    let mut live = Live {
        thread_id: thread["id"].as_str().unwrap().to_owned(),
        path: thread["path"].as_str().unwrap().to_owned(),
        turn_id: None,
        login_id: None,
    };
    let text = params.to_string();
    if text.contains("\"turnId\"") {
        let turn =
            mock.call("turn/start", json!({ "threadId": live.thread_id, "input": [] })).await;
        live.turn_id = turn["result"]["turn"]["id"].as_str().map(str::to_owned);
    }
    if text.contains("\"loginId\"") {
        let login = mock.call("loginChatGpt", Value::Null).await;
        live.login_id = login["result"]["loginId"].as_str().map(str::to_owned);
    }
    live
}

#[tokio::test]
async fn every_client_method_of_the_fixtures_gets_a_deliberate_answer() {
    bounded(120, async {
        let folder = std::env::temp_dir().join(format!("mock-methods-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        // Turns that wait for their interrupt, so that turn/interrupt has one to interrupt.
        let scenario = folder.join("slow.jsonl");
        std::fs::write(&scenario, "{\"type\":\"agentMessage\",\"text\":\"Working on it.\"}\n{\"type\":\"wait\",\"delayMs\":600000}\n").unwrap();
        let record = folder.join("methods.jsonl");
        let args = ["--seed", "5", "--scenario", scenario.to_str().unwrap(), "--record", record.to_str().unwrap()];
        let mut mock = RawMock::initialized(&args).await;

        let mut outcomes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut succeeded = BTreeSet::new();
        for (file, request) in fixture_requests() {
            let method = request["method"].as_str().unwrap().to_owned();
            if method == "initialize" {
                continue;
            }
            let mut params = request.get("params").cloned().unwrap_or(Value::Null);
            let live = live_ids(&mut mock, &params).await;
            substitute(&mut params, &live);
            let answer = mock.call(&method, params).await;
            let outcome = match (answer.get("result"), answer["error"]["code"].as_i64()) {
                (Some(_), _) => "result".to_owned(),
                (None, Some(code)) => format!("error {code}: {}", answer["error"]["message"]),
                _ => panic!("neither result nor error: {answer}"),
            };
            assert_ne!(answer["error"]["code"], -32601, "{method} ({}) is answered -32601", file.display());
            if answer.get("result").is_some() {
                succeeded.insert(app_server_protocol::ClientRequestMethod::from_wire(&method).unwrap().wire_name());
            }
            outcomes.entry(method).or_default().push(format!("{}: {outcome}", file.file_name().unwrap().to_string_lossy()));
        }
        let missing: Vec<&str> = CLIENT_REQUESTS
            .iter()
            .map(|meta| meta.wire_name)
            .filter(|name| *name != "initialize" && !succeeded.contains(name))
            .collect();
        assert!(missing.is_empty(), "methods without a successful answer: {missing:?}\n{outcomes:#?}");
        mock.finish().await;

        // Every line of the transcript decodes: what the server sent with the client's decoder,
        // each answer typed by the method of its request.
        let transcript = std::fs::read_to_string(&record).unwrap();
        let mut decoder = TranscriptDecoder::new();
        let mut lines = 0;
        for line in transcript.lines() {
            let (direction, text) = split_marked_line(line).unwrap();
            let direction = direction.expect("every recorded line is marked");
            if let Err(error) = decoder.decode(direction, &text) {
                panic!("{} line does not decode: {error}\n{line}", direction.as_str());
            }
            lines += 1;
        }
        assert!(lines > 200, "{lines} lines");
        assert!(transcript.lines().any(|line| line.starts_with("< ") && line.contains("\"method\":\"turn/started\"")));
        let _ = Direction::ALL;
        if std::env::var_os("KEEP_MOCK_TRANSCRIPT").is_none() {
            std::fs::remove_dir_all(&folder).unwrap();
        }
    })
    .await;
}
