//! The stand-in model API (`app-server-kit model`) over real HTTP on loopback: every branch
//! of the built-in script, scenario rules, bad scenario files, malformed HTTP, and the binary
//! (its `base_url=` line, its log, how it stops).

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::{Duration, Instant};

use app_server_kit::model::{ModelOptions, ModelServer, Script};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

/// Every test's time bound: a hang fails the test instead of the run.
async fn bounded<T>(secs: u64, test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), test).await.expect("the test took too long")
}

/// A response as read until the server closed the connection.
#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// The Server-Sent Events of a stream: (event, data), each data JSON naming its type.
    fn events(&self) -> Vec<(String, Value)> {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        assert!(self.head.contains("content-type: text/event-stream"), "{}", self.head);
        let text = std::str::from_utf8(&self.body).expect("UTF-8 events");
        assert!(text.ends_with("\n\n"), "the stream ends with a whole event");
        text.split_terminator("\n\n")
            .map(|block| {
                let (event, data) = block.split_once('\n').expect("two lines an event");
                let event = event.strip_prefix("event: ").expect("an event line").to_owned();
                let data = data.strip_prefix("data: ").expect("a data line");
                let data: Value = serde_json::from_str(data).expect("JSON data");
                assert_eq!(data["type"], event.as_str(), "the data names its event");
                (event, data)
            })
            .collect()
    }
}

/// The kinds of a stream's events, runs of the same delta kind folded into one `…delta*`.
fn shape(events: &[(String, Value)]) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for (event, _) in events {
        let folded = if event.ends_with(".delta") { format!("{event}*") } else { event.clone() };
        if kinds.last() != Some(&folded) || !folded.ends_with('*') {
            kinds.push(folded);
        }
    }
    kinds
}

/// Sends raw bytes and reads the answer until the server closes the connection.
async fn raw(address: SocketAddr, bytes: &[u8]) -> Response {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(bytes).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read the answer");
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8(answer[..end].to_vec()).expect("a UTF-8 head");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    Response { status, head, body: answer[end + 4..].to_vec() }
}

async fn post(address: SocketAddr, body: &Value) -> Response {
    let body = body.to_string();
    let request = format!(
        "POST /v1/responses HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    raw(address, request.as_bytes()).await
}

fn message(role: &str, text: &str) -> Value {
    json!({ "type": "message", "role": role, "content": [{ "type": "input_text", "text": text }] })
}

/// A turn's first request: instructions, then the user's message last.
fn user(text: &str) -> Value {
    json!({ "model": "gpt-5.1-codex", "stream": true, "input": [
        message("developer", "You are a coding agent. RUN nothing here."),
        message("user", text),
    ] })
}

/// The function call of a stream: its `output_item.done` item, after checking `added`
/// carries the same item and `arguments` is a JSON text.
fn call_of(events: &[(String, Value)]) -> (Value, Value) {
    let items: Vec<&Value> = events
        .iter()
        .filter(|(event, data)| {
            event.starts_with("response.output_item.") && data["item"]["type"] == "function_call"
        })
        .map(|(_, data)| &data["item"])
        .collect();
    assert_eq!(items.len(), 2, "added and done");
    assert_eq!(items[0], items[1]);
    let arguments = items[1]["arguments"].as_str().expect("arguments is a string");
    let arguments: Value = serde_json::from_str(arguments).expect("arguments parse as JSON");
    assert!(items[1]["call_id"].as_str().is_some_and(|id| !id.is_empty()));
    (items[1].clone(), arguments)
}

fn text_of(events: &[(String, Value)]) -> String {
    events
        .iter()
        .filter(|(event, _)| event == "response.output_text.delta")
        .map(|(_, data)| data["delta"].as_str().expect("a delta"))
        .collect()
}

#[tokio::test]
async fn plain_prompts_get_reasoning_then_a_text_in_several_deltas() {
    bounded(20, async {
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let events = post(model.local_addr(), &user("hello there")).await.events();
        assert_eq!(
            shape(&events),
            [
                "response.created",
                "response.output_item.added",
                "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta*",
                "response.output_item.done",
                "response.output_item.added",
                "response.output_text.delta*",
                "response.output_item.done",
                "response.completed",
            ]
        );
        let deltas = events.iter().filter(|(e, _)| e == "response.output_text.delta").count();
        assert!(deltas >= 2, "{deltas} text deltas");
        let (_, done) = &events[events.len() - 2];
        assert_eq!(done["item"]["role"], "assistant");
        assert_eq!(done["item"]["content"][0]["text"], text_of(&events).as_str());
        let (_, completed) = events.last().unwrap();
        assert!(completed["response"]["usage"]["total_tokens"].is_u64());
        let requests = model.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].rule.as_deref(), Some("default:text"));
        assert_eq!(requests[0].last_item, message("user", "hello there"));
    })
    .await;
}

#[tokio::test]
async fn run_calls_the_shell_with_the_rest_of_the_line() {
    bounded(20, async {
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let events =
            post(model.local_addr(), &user("please RUN ls -la\nand tell me")).await.events();
        assert_eq!(
            shape(&events),
            [
                "response.created",
                "response.output_item.added",
                "response.output_item.done",
                "response.completed"
            ]
        );
        let (item, arguments) = call_of(&events);
        assert_eq!(item["name"], "shell");
        assert_eq!(
            arguments,
            json!({ "command": ["bash", "-lc", "ls -la"], "workdir": null, "timeout_ms": 10000 })
        );
        let (_, arguments) = call_of(&post(model.local_addr(), &user("RUN")).await.events());
        assert_eq!(arguments["command"], json!(["bash", "-lc", "echo hello 1>&2"]));
        // Not a keyword: not a whole uppercase word.
        let events = post(model.local_addr(), &user("RUNNING run")).await.events();
        assert!(!text_of(&events).is_empty());
    })
    .await;
}

#[tokio::test]
async fn patch_calls_apply_patch_adding_a_file() {
    bounded(20, async {
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let (item, arguments) =
            call_of(&post(model.local_addr(), &user("PATCH notes.txt")).await.events());
        assert_eq!(item["name"], "apply_patch");
        let patch = arguments["input"].as_str().unwrap();
        assert!(patch.starts_with("*** Begin Patch\n*** Add File: notes.txt\n+"), "{patch}");
        assert!(patch.ends_with("*** End Patch\n"), "{patch}");
        let (_, arguments) = call_of(&post(model.local_addr(), &user("PATCH")).await.events());
        assert!(arguments["input"].as_str().unwrap().contains("*** Add File: hello.txt\n"));
    })
    .await;
}

#[tokio::test]
async fn fail_answers_500_to_every_try_of_the_turn() {
    bounded(20, async {
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let request = user("FAIL now");
        for _try in 0..2 {
            let response = post(model.local_addr(), &request).await;
            assert_eq!(response.status, 500);
            assert!(response.json()["error"]["message"].is_string());
        }
        // The next turn is answered again.
        post(model.local_addr(), &user("and now?")).await.events();
        let rules: Vec<_> = model.requests().into_iter().map(|r| r.rule.unwrap()).collect();
        assert_eq!(rules, ["default:fail", "default:fail", "default:text"]);
    })
    .await;
}

#[tokio::test]
async fn a_follow_up_after_a_tool_call_gets_a_closing_message() {
    bounded(20, async {
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let body = json!({ "input": [
            message("user", "RUN ls"),
            { "type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "shell", "arguments": "{}" },
            { "type": "function_call_output", "call_id": "call_1", "output": "Exit code: 0" },
        ] });
        let events = post(model.local_addr(), &body).await.events();
        assert!(events.iter().all(|(_, data)| data["item"]["type"] != "function_call"));
        assert!(text_of(&events).contains("shell"), "{}", text_of(&events));
        assert_eq!(events.last().unwrap().0, "response.completed");
        // A request the server makes for itself (not ending in a user message) gets text.
        let other = json!({ "input": [message("user", "RUN ls"), message("assistant", "ok")] });
        assert!(!text_of(&post(model.local_addr(), &other).await.events()).is_empty());
        let empty = json!({ "input": [] });
        assert!(!text_of(&post(model.local_addr(), &empty).await.events()).is_empty());
        // `input` may be a plain string: the user's message.
        let (item, _) = call_of(&post(model.local_addr(), &json!({ "input": "RUN ls" })).await.events());
        assert_eq!(item["name"], "shell");
        let rules: Vec<_> = model.requests().into_iter().map(|r| r.rule.unwrap()).collect();
        assert_eq!(rules, ["default:follow-up", "default:other", "default:other", "default:run"]);
    })
    .await;
}

#[tokio::test]
async fn slow_streams_its_deltas_apart() {
    bounded(20, async {
        // Paced: the deltas come the slow delay apart, then the answer completes.
        let paced = Script::builtin().with_slow_delay(Duration::from_millis(60));
        let model = ModelServer::start(paced).await.unwrap();
        let started = Instant::now();
        let events = post(model.local_addr(), &user("SLOW please")).await.events();
        let deltas = events.iter().filter(|(e, _)| e == "response.output_text.delta").count();
        assert!(deltas >= 3, "{deltas}");
        assert!(started.elapsed() >= Duration::from_millis(60) * (deltas as u32 - 1));
        assert_eq!(events.last().unwrap().0, "response.completed");

        // The default pace: a first delta at once, then a pause long enough to interrupt.
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let body = user("SLOW").to_string();
        let mut stream = TcpStream::connect(model.local_addr()).await.unwrap();
        let request =
            format!("POST /v1/responses HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut seen = String::new();
        let mut buffer = [0u8; 4096];
        while !seen.contains("response.output_text.delta\ndata") || !seen.ends_with("\n\n") {
            let read = stream.read(&mut buffer).await.unwrap();
            assert!(read > 0, "the stream ended early: {seen}");
            seen.push_str(std::str::from_utf8(&buffer[..read]).unwrap());
        }
        let more = tokio::time::timeout(Duration::from_millis(400), stream.read(&mut buffer)).await;
        assert!(more.is_err(), "nothing more within 400 ms after the first delta");
        // The client goes away (an interrupted turn): the server takes it in its stride.
        drop(stream);
        post(model.local_addr(), &user("hello")).await.events();
    })
    .await;
}

fn scenario_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("model-api-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn scenario_rules_come_before_the_builtin_script() {
    bounded(20, async {
        let path = scenario_file(
            "rules.jsonl",
            r#"# rules
{"name":"run-text","contains":"RUN","text":["scripted ","answer"],"reasoning":"why"}
{"startsWith":"flaky","times":1,"status":503,"body":{"error":{"message":"try again"}}}
{"on":"followUp","tool":"shell","contains":"rejected","text":"Understood."}
{"glob":"deploy *","call":{"name":"shell","callId":"call_x","arguments":{"command":["bash","-lc","make deploy"],"workdir":null,"timeout_ms":10000}}}
{"equals":"cut","text":"half","disconnect":true}
"#,
        );
        let script = Script::read(&path).unwrap();
        let _removed = std::fs::remove_file(&path);
        let model = ModelServer::start(script).await.unwrap();
        let address = model.local_addr();

        let events = post(address, &user("RUN ls")).await.events();
        assert_eq!(text_of(&events), "scripted answer");
        assert!(events.iter().any(|(e, _)| e == "response.reasoning_summary_text.delta"));

        let first = post(address, &user("flaky one")).await;
        assert_eq!(first.status, 503);
        assert_eq!(first.json()["error"]["message"], "try again");
        // `times: 1`: the retry goes on to the built-in script.
        post(address, &user("flaky one")).await.events();

        let declined = json!({ "input": [
            { "type": "function_call", "call_id": "c9", "name": "shell", "arguments": "{}" },
            { "type": "function_call_output", "call_id": "c9", "output": "exec command rejected by user" },
        ] });
        assert_eq!(text_of(&post(address, &declined).await.events()), "Understood.");

        let (item, arguments) = call_of(&post(address, &user("deploy now")).await.events());
        assert_eq!(item["call_id"], "call_x");
        assert_eq!(arguments["command"][2], "make deploy");

        let cut = post(address, &user("cut")).await.events();
        assert!(cut.iter().all(|(e, _)| e != "response.completed"), "no response.completed");

        let rules: Vec<_> = model.requests().into_iter().map(|r| r.rule.unwrap()).collect();
        assert_eq!(
            rules,
            [
                "run-text",
                "scenario:3",
                "default:text",
                "scenario:4",
                "scenario:5",
                "scenario:6"
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_bad_scenario_file_names_its_file_its_line_and_what_was_expected() {
    bounded(20, async {
        let path = scenario_file(
            "bad.jsonl",
            "# fine so far\n{\"contains\":\"a\",\"text\":\"ok\"}\n{\"contains\":\"b\",\"text\":5}\n",
        );
        let error = Script::read(&path).unwrap_err();
        let expected =
            format!("{}:3: `text`: expected a string or a non-empty list of strings, found 5", path.display());
        assert_eq!(error.to_string(), expected);
        let output = Command::new(env!("CARGO_BIN_EXE_app-server-kit"))
            .args(["model", "--scenario"])
            .arg(&path)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .unwrap();
        let _removed = std::fs::remove_file(&path);
        assert_eq!(output.status.code(), Some(2));
        assert!(output.stdout.is_empty(), "no base_url line");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&expected), "{stderr}");
        let missing = Script::read(std::path::Path::new("/nonexistent/rules.jsonl")).unwrap_err();
        assert!(missing.to_string().starts_with("/nonexistent/rules.jsonl: cannot read"), "{missing}");
    })
    .await;
}

#[tokio::test]
async fn malformed_http_is_refused_with_a_reason_and_the_server_goes_on() {
    bounded(20, async {
        let model = ModelServer::start(Script::builtin()).await.unwrap();
        let address = model.local_addr();
        let cases: [(&[u8], u16, &str); 9] = [
            (b"garbage\r\n\r\n", 400, "request line"),
            (b"POST /v1/responses HTTP/1.1\r\nContent-Length: 8\r\n\r\nnot json", 400, "not JSON"),
            (b"POST /v1/responses HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 400, "`input`"),
            (
                b"POST /v1/responses HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                411,
                "Content-Length",
            ),
            (b"POST /v1/responses HTTP/1.1\r\n\r\n", 411, "Content-Length"),
            (b"POST /v1/responses HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413, "longer"),
            (b"GET /v1/responses HTTP/1.1\r\n\r\n", 405, "POST"),
            (b"GET /elsewhere HTTP/1.1\r\n\r\n", 404, "no route"),
            (b"POST /v1/responses HTTP/1.1\r\nBroken header\r\n\r\n", 400, "header"),
        ];
        for (bytes, status, reason) in cases {
            let response = raw(address, bytes).await;
            assert_eq!(response.status, status, "{}", String::from_utf8_lossy(bytes));
            let message = response.json()["error"]["message"].as_str().unwrap().to_owned();
            assert!(message.contains(reason), "{message}");
        }
        let long = [b"GET / HTTP/1.1\r\nX: ".as_slice(), &[b'a'; 20_000], b"\r\n\r\n"].concat();
        assert_eq!(raw(address, &long).await.status, 431);
        // A peer that connects and leaves at once.
        drop(TcpStream::connect(address).await.unwrap());
        let models = raw(address, b"GET /v1/models HTTP/1.1\r\n\r\n").await;
        assert_eq!(models.status, 200);
        assert_eq!(models.json()["data"][0]["id"], "gpt-5.1-codex");
        post(address, &user("still there?")).await.events();
    })
    .await;
}

#[tokio::test]
async fn the_log_has_a_line_per_request_and_non_loopback_addresses_are_refused() {
    bounded(20, async {
        let log = std::env::temp_dir().join(format!("model-api-{}-log.jsonl", std::process::id()));
        let _fresh = std::fs::remove_file(&log);
        let model = ModelServer::start_with(
            Script::builtin(),
            ModelOptions::default().with_log(log.clone()),
        )
        .await
        .unwrap();
        post(model.local_addr(), &user("RUN true")).await.events();
        raw(model.local_addr(), b"GET /nowhere HTTP/1.1\r\n\r\n").await;
        let chunked = b"POST /v1/responses HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        raw(model.local_addr(), chunked).await;
        model.stop().await;
        let text = std::fs::read_to_string(&log).unwrap();
        let _removed = std::fs::remove_file(&log);
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(lines[0]["path"], "/v1/responses");
        assert_eq!(lines[0]["rule"], "default:run");
        assert_eq!(lines[0]["lastItem"], message("user", "RUN true"));
        assert_eq!(lines[1]["status"], 404);
        assert_eq!(
            (&lines[2]["path"], &lines[2]["status"]),
            (&json!("/v1/responses"), &json!(411))
        );
        assert_eq!(lines[2]["rule"], Value::Null);

        let everywhere = ModelOptions::default().with_listen("0.0.0.0:0".parse().unwrap());
        let error = ModelServer::start_with(Script::builtin(), everywhere).await.unwrap_err();
        assert!(error.to_string().contains("loopback"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn the_binary_prints_its_base_url_serves_and_stops() {
    bounded(30, async {
        let log = std::env::temp_dir().join(format!("model-api-{}-bin.jsonl", std::process::id()));
        let _fresh = std::fs::remove_file(&log);
        let mut child = Command::new(env!("CARGO_BIN_EXE_app-server-kit"))
            .args([
                "model",
                "--listen",
                "127.0.0.1:0",
                "--exit-on-stdin-eof",
                "--print-config",
                "--log",
            ])
            .arg(&log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).await.unwrap();
        let base_url = line.trim_end().strip_prefix("base_url=").expect("a base_url= line");
        let address: SocketAddr = base_url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix("/v1"))
            .expect("http://ADDR/v1")
            .parse()
            .unwrap();
        assert!(address.ip().is_loopback() && address.port() != 0);
        post(address, &user("hello")).await.events();

        // Closing stdin stops it; nothing more is printed on stdout.
        drop(child.stdin.take());
        let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        assert!(status.expect("exits after stdin closed").unwrap().success());
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).await.unwrap();
        assert_eq!(rest, "", "one line on stdout");
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).await.unwrap();
        assert!(stderr.contains(&format!("base_url = \"{base_url}\"")), "{stderr}");
        let logged = std::fs::read_to_string(&log).unwrap();
        let _removed = std::fs::remove_file(&log);
        assert_eq!(logged.lines().count(), 1, "{logged}");

        let refused = Command::new(env!("CARGO_BIN_EXE_app-server-kit"))
            .args(["model", "--listen", "0.0.0.0:0"])
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .unwrap();
        assert_eq!(refused.status.code(), Some(2));
        assert!(refused.stdout.is_empty());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("loopback"));
    })
    .await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_binary_stops_on_ctrl_c() {
    bounded(30, async {
        let mut child = Command::new(env!("CARGO_BIN_EXE_app-server-kit"))
            .args(["model"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).await.unwrap();
        assert!(line.starts_with("base_url=http://127.0.0.1:"), "{line}");
        let pid = child.id().expect("running").to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().await.unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        assert!(status.expect("exits after SIGINT").unwrap().success());
    })
    .await;
}
