//! `app-server-kit conform relay --break RULE -- CMD [ARGS]`: a broken server made from a good
//! one. The relay starts the server, passes every line between its stdio and the server's,
//! and breaks one rule of the contract on the way — so that a server author (and the kit's
//! own tests) can see the check that rule belongs to fail against a real server:
//!
//! ```sh
//! app-server-kit conform server --model stand-in -- \
//!     app-server-kit conform relay --break drop-will-retry -- codex app-server
//! ```
//!
//! Each [`Break`] names the check it must fail ([`Break::check`]).

use std::collections::HashMap;
use std::process::{ExitCode, Stdio};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::process::Command;

/// The rule a relay breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Break {
    /// `error` notifications lose `willRetry`.
    DropWillRetry,
    /// `error` notifications lose `threadId` and `turnId`.
    DropErrorIds,
    /// Approval requests reach the client with an id the server never used, so the client's
    /// answer never reaches the request the server waits on.
    ApprovalWrongId,
    /// Every `Turn` the server sends loses `error`.
    TurnWithoutError,
    /// A `thread/list` page with a `nextCursor` loses its last thread.
    ShortPage,
    /// `turn/completed` of an interrupted turn says `completed`.
    InterruptedAsCompleted,
    /// `turn/completed` of a failed turn says `completed`, with `error: null`.
    FailedAsCompleted,
    /// `turn/started` is never sent.
    DropTurnStarted,
}

impl Break {
    /// Every rule the relay can break.
    pub const ALL: [Break; 8] = [
        Break::DropWillRetry,
        Break::DropErrorIds,
        Break::ApprovalWrongId,
        Break::TurnWithoutError,
        Break::ShortPage,
        Break::InterruptedAsCompleted,
        Break::FailedAsCompleted,
        Break::DropTurnStarted,
    ];

    /// The check of `conform server` that fails when this rule is broken.
    pub fn check(self) -> &'static str {
        match self {
            Break::DropWillRetry => "notify.error-will-retry",
            Break::DropErrorIds => "notify.error-ids",
            Break::ApprovalWrongId => "approval.command-accept",
            Break::TurnWithoutError => "turn.error-member",
            Break::ShortPage => "pagination.full-pages",
            Break::InterruptedAsCompleted => "turn.interrupt",
            Break::FailedAsCompleted => "turn.failed",
            Break::DropTurnStarted => "turn.lifecycle",
        }
    }

    /// Its name on the command line (`drop-will-retry`).
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

/// Options of `conform relay`.
#[derive(Debug, clap::Args)]
pub struct RelayArgs {
    /// The rule to break.
    #[arg(long = "break", value_enum, value_name = "RULE", required_unless_present = "list")]
    pub rule: Option<Break>,
    /// Print every rule with the check it fails and that check's scenario, one a line
    /// (`drop-will-retry notify.error-will-retry failure`), and exit.
    #[arg(long)]
    pub list: bool,
    /// The server's command line, after `--`, spoken to over its stdio.
    #[arg(last = true, required_unless_present = "list", value_name = "CMD")]
    pub command: Vec<String>,
}

/// Runs the relay until the client closes stdin or the server closes stdout; exit 2 when the
/// server cannot be started.
pub fn main(args: RelayArgs) -> ExitCode {
    let Some(rule) = args.rule.filter(|_| !args.list) else {
        let catalogue = &super::server::catalogue::CATALOGUE;
        for rule in Break::ALL {
            let scenario =
                catalogue.iter().find(|c| c.id == rule.check()).map_or("", |c| c.scenario);
            println!("{} {} {scenario}", rule.name(), rule.check());
        }
        return ExitCode::SUCCESS;
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => return super::cannot_run("relay", &format!("cannot start the runtime: {err}")),
    };
    match runtime.block_on(relay(rule, args.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => super::cannot_run("relay", &err),
    }
}

async fn relay(rule: Break, command: Vec<String>) -> Result<(), String> {
    let (program, rest) = command.split_first().ok_or("no command given: `-- CMD [ARGS]`")?;
    let mut child = Command::new(program)
        .args(rest)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| format!("cannot start `{program}`: {err}"))?;
    let (Some(mut to_server), Some(from_server)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(format!("`{program}` started without piped stdio"));
    };
    let mut breaker = Breaker { rule, asked: HashMap::new() };
    let mut from_client = BufReader::new(tokio::io::stdin()).lines();
    let mut from_server = BufReader::new(from_server).lines();
    let mut to_client = tokio::io::stdout();
    let mut client_open = true;
    loop {
        tokio::select! {
            line = from_client.next_line(), if client_open => match line {
                Ok(Some(line)) => {
                    breaker.client_line(&line);
                    if write_line(&mut to_server, &line).await.is_err() {
                        break;
                    }
                }
                _ => {
                    client_open = false;
                    let _ = to_server.shutdown().await;
                }
            },
            line = from_server.next_line() => match line {
                Ok(Some(line)) => {
                    if let Some(line) = breaker.server_line(line)
                        && write_line(&mut to_client, &line).await.is_err()
                    {
                        break;
                    }
                }
                _ => break,
            },
        }
    }
    drop(to_server);
    let _ = tokio::time::timeout(std::time::Duration::from_millis(500), child.wait()).await;
    Ok(())
}

async fn write_line(writer: &mut (impl AsyncWrite + Unpin), line: &str) -> std::io::Result<()> {
    writer.write_all(line.as_bytes()).await?;
    writer.write_all(b"\n").await?;
    writer.flush().await
}

/// Breaks one rule in the lines that pass.
struct Breaker {
    rule: Break,
    /// The method of each request the client sent, by id (to know what an answer answers).
    asked: HashMap<String, String>,
}

impl Breaker {
    fn client_line(&mut self, line: &str) {
        let Ok(value) = serde_json::from_str::<Value>(line) else { return };
        if let (Some(id), Some(method)) = (value.get("id"), value.get("method")) {
            self.asked.insert(id.to_string(), method.as_str().unwrap_or_default().to_owned());
        }
    }

    /// The line to pass to the client, broken; `None` to drop it.
    fn server_line(&mut self, line: String) -> Option<String> {
        let Ok(mut value) = serde_json::from_str::<Value>(&line) else { return Some(line) };
        let method = value.get("method").and_then(Value::as_str).map(str::to_owned);
        let answers = match (&method, value.get("id")) {
            (None, Some(id)) => self.asked.remove(&id.to_string()),
            _ => None,
        };
        let changed = match method.as_deref() {
            Some(method) => self.notification(method, &mut value),
            None => self.answer(answers.as_deref(), &mut value),
        };
        match changed {
            Change::Kept => Some(line),
            Change::Changed => Some(value.to_string()),
            Change::Dropped => None,
        }
    }

    fn notification(&self, method: &str, value: &mut Value) -> Change {
        let params = value.get_mut("params");
        match (self.rule, method) {
            (Break::DropWillRetry, "error") => remove(params, &["willRetry"]),
            (Break::DropErrorIds, "error") => remove(params, &["threadId", "turnId"]),
            (Break::DropTurnStarted, "turn/started") => Change::Dropped,
            (
                Break::ApprovalWrongId,
                "item/commandExecution/requestApproval" | "item/fileChange/requestApproval",
            ) => {
                let id = value.get("id").map(Value::to_string).unwrap_or_default();
                value["id"] = json!(format!("relay-{id}"));
                Change::Changed
            }
            (Break::TurnWithoutError, _) => {
                remove(params.and_then(|p| p.get_mut("turn")), &["error"])
            }
            (Break::InterruptedAsCompleted, "turn/completed") => {
                restate(params, "interrupted", json!("completed"), None)
            }
            (Break::FailedAsCompleted, "turn/completed") => {
                restate(params, "failed", json!("completed"), Some(Value::Null))
            }
            _ => Change::Kept,
        }
    }

    fn answer(&self, answers: Option<&str>, value: &mut Value) -> Change {
        let result = value.get_mut("result");
        match (self.rule, answers) {
            (Break::TurnWithoutError, _) => {
                remove(result.and_then(|r| r.get_mut("turn")), &["error"])
            }
            (Break::ShortPage, Some("thread/list")) => {
                let Some(result) = result else { return Change::Kept };
                if result.get("nextCursor").is_none_or(Value::is_null) {
                    return Change::Kept;
                }
                let data = result.get_mut("data").and_then(Value::as_array_mut);
                match data.and_then(Vec::pop) {
                    Some(_) => Change::Changed,
                    None => Change::Kept,
                }
            }
            _ => Change::Kept,
        }
    }
}

/// What the breaker did to a line.
enum Change {
    Kept,
    Changed,
    Dropped,
}

/// Removes `members` from the object `at`.
fn remove(at: Option<&mut Value>, members: &[&str]) -> Change {
    let Some(object) = at.and_then(Value::as_object_mut) else { return Change::Kept };
    let removed = members.iter().filter(|m| object.remove(**m).is_some()).count();
    if removed > 0 { Change::Changed } else { Change::Kept }
}

/// Gives `params.turn` of status `from` the status `to` (and `error`, when given).
fn restate(params: Option<&mut Value>, from: &str, to: Value, error: Option<Value>) -> Change {
    let Some(turn) = params.and_then(|p| p.get_mut("turn")) else { return Change::Kept };
    if turn.get("status").and_then(Value::as_str) != Some(from) {
        return Change::Kept;
    }
    turn["status"] = to;
    if let Some(error) = error {
        turn["error"] = error;
    }
    Change::Changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relayed(rule: Break, client: &[&str], server: &str) -> Option<Value> {
        let mut breaker = Breaker { rule, asked: HashMap::new() };
        for line in client {
            breaker.client_line(line);
        }
        breaker.server_line(server.to_owned()).map(|line| serde_json::from_str(&line).unwrap())
    }

    #[test]
    fn each_rule_breaks_what_it_names_and_nothing_else() {
        let error = r#"{"method":"error","params":{"error":{"message":"x"},"threadId":"t","turnId":"u","willRetry":true}}"#;
        let broken = relayed(Break::DropWillRetry, &[], error).unwrap();
        assert!(broken["params"].get("willRetry").is_none() && broken["params"]["threadId"] == "t");
        let broken = relayed(Break::DropErrorIds, &[], error).unwrap();
        assert!(
            broken["params"].get("threadId").is_none() && broken["params"]["willRetry"] == true
        );
        let approval = r#"{"id":0,"method":"item/commandExecution/requestApproval","params":{}}"#;
        assert_eq!(relayed(Break::ApprovalWrongId, &[], approval).unwrap()["id"], "relay-0");
        let started = r#"{"method":"turn/started","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"inProgress","error":null}}}"#;
        assert!(relayed(Break::DropTurnStarted, &[], started).is_none());
        let broken = relayed(Break::TurnWithoutError, &[], started).unwrap();
        assert!(broken["params"]["turn"].get("error").is_none());
        let page = r#"{"id":3,"result":{"data":[{"id":"a"},{"id":"b"}],"nextCursor":"c"}}"#;
        let list = r#"{"id":3,"method":"thread/list","params":{"limit":2}}"#;
        let broken = relayed(Break::ShortPage, &[list], page).unwrap();
        assert_eq!(broken["result"]["data"].as_array().unwrap().len(), 1);
        let other = r#"{"id":3,"method":"model/list","params":{}}"#;
        assert_eq!(
            relayed(Break::ShortPage, &[other], page).unwrap()["result"]["data"][1]["id"],
            "b"
        );
        let failed = r#"{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"failed","error":{"message":"m"}}}}"#;
        let broken = relayed(Break::FailedAsCompleted, &[], failed).unwrap();
        assert_eq!(broken["params"]["turn"]["status"], "completed");
        assert!(broken["params"]["turn"]["error"].is_null());
        let kept = relayed(Break::InterruptedAsCompleted, &[], failed).unwrap();
        assert_eq!(kept["params"]["turn"]["status"], "failed");
        let mut breaker = Breaker { rule: Break::DropWillRetry, asked: HashMap::new() };
        assert_eq!(breaker.server_line("not JSON".into()).as_deref(), Some("not JSON"));
    }

    #[test]
    fn every_rule_names_a_check_of_conform_server() {
        let catalogue = &super::super::server::catalogue::CATALOGUE;
        for rule in Break::ALL {
            assert!(catalogue.iter().any(|c| c.id == rule.check()), "{}", rule.name());
        }
    }
}
