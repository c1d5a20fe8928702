//! Scripted turns: `--scenario FILE` replaces the built-in turn (the committed example
//! file, played with both decisions), a bad file is refused with its line, `--seed` makes
//! ids and timestamps repeat, `--speed` scales the delays.

mod mock_support;

use std::time::{Duration, Instant};

use app_server_protocol::ServerNotification;
use app_server_protocol::v2::{CommandExecutionStatus, ThreadItem, TurnStatus};
use mock_support::{Approvals, RawMock, bounded, read_turn, spawn_mock, start_turn};
use serde_json::{Value, json};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/approval.jsonl");

fn agent_texts(turn: &[ServerNotification]) -> Vec<String> {
    turn.iter()
        .filter_map(|n| match n {
            ServerNotification::ItemCompleted { params } => match &params.item {
                ThreadItem::AgentMessage { text, .. } => Some(text.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_example_scenario_plays_what_follows_each_decision() {
    bounded(30, async {
        for accept in [true, false] {
            let approvals = Approvals::new(accept);
            let client =
                spawn_mock(&["--speed", "0", "--scenario", EXAMPLE], approvals.clone()).await;
            let mut notifications = client.notifications();
            let (_, turn_id) = start_turn(&client, "Fix the build").await;
            let turn = read_turn(&mut notifications, &turn_id).await;
            assert_eq!(approvals.asked(), 2, "a command and a file change");
            let texts = agent_texts(&turn);
            let follow_up = if accept {
                "The build fails on a type error in App.tsx."
            } else {
                "Without the build output I'll guess from the code."
            };
            assert!(texts.iter().any(|text| text == follow_up), "{texts:?}");
            let retried = turn
                .iter()
                .any(|n| matches!(n, ServerNotification::Error { params } if params.will_retry));
            assert!(retried, "the scripted transient error");
            assert!(
                turn.iter()
                    .any(|n| matches!(n, ServerNotification::AccountRateLimitsUpdated { .. }))
            );
            let command = turn.iter().find_map(|n| match n {
                ServerNotification::ItemCompleted { params } => match &params.item {
                    ThreadItem::CommandExecution { status, .. } => Some(*status),
                    _ => None,
                },
                _ => None,
            });
            let expected = if accept {
                CommandExecutionStatus::Failed
            } else {
                CommandExecutionStatus::Declined
            };
            assert_eq!(
                command,
                Some(expected),
                "exit code 2 fails the command; declined when declined"
            );
            let Some(ServerNotification::TurnCompleted { params }) = turn.last() else {
                unreachable!()
            };
            assert_eq!(params.turn.status, TurnStatus::Completed);
            client.shutdown().await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn a_failing_step_and_a_bad_file() {
    bounded(30, async {
        let folder = std::env::temp_dir().join(format!("mock-scenarios-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let failing = folder.join("failing.jsonl");
        std::fs::write(&failing, "{\"type\":\"agentMessage\",\"text\":\"Trying.\"}\n{\"type\":\"error\",\"message\":\"Usage limit reached\",\"willRetry\":false}\n{\"type\":\"agentMessage\",\"text\":\"never\"}\n").unwrap();
        let client = spawn_mock(&["--speed", "0", "--scenario", failing.to_str().unwrap()], Approvals::new(true)).await;
        let mut notifications = client.notifications();
        let (_, turn_id) = start_turn(&client, "go").await;
        let turn = read_turn(&mut notifications, &turn_id).await;
        assert_eq!(agent_texts(&turn), ["Trying."]);
        let Some(ServerNotification::TurnCompleted { params }) = turn.last() else { unreachable!() };
        assert_eq!(params.turn.status, TurnStatus::Failed);
        assert_eq!(params.turn.error.as_ref().map(|error| error.message.as_str()), Some("Usage limit reached"));
        client.shutdown().await.unwrap();

        let bad = folder.join("bad.jsonl");
        std::fs::write(&bad, "# fine\n{\"type\":\"wait\"}\n{\"type\":\"command\"}\n").unwrap();
        let output = mock_support::mock_command(&["--scenario", bad.to_str().unwrap()]).output().await.unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("bad.jsonl:3:") && stderr.contains("missing field `command`"), "{stderr}");
        std::fs::remove_dir_all(&folder).unwrap();
    })
    .await;
}

/// The ids and timestamps one scripted session gets.
async fn session_ids(seed: &str) -> Vec<Value> {
    let mut mock = RawMock::initialized(&["--speed", "0", "--seed", seed]).await;
    let thread = mock.call("thread/start", json!({})).await;
    let thread_id = thread["result"]["thread"]["id"].clone();
    let turn = mock.call("turn/start", json!({ "threadId": thread_id, "input": [] })).await;
    let mut ids = vec![
        thread_id,
        thread["result"]["thread"]["createdAt"].clone(),
        turn["result"]["turn"]["id"].clone(),
    ];
    let login = mock.call("account/login/start", json!({ "type": "chatgpt" })).await;
    ids.push(login["result"]["loginId"].clone());
    mock.finish().await;
    ids
}

#[tokio::test]
async fn a_seed_repeats_ids_and_timestamps() {
    bounded(30, async {
        let first = session_ids("42").await;
        assert_eq!(first, session_ids("42").await);
        assert_ne!(first[0], session_ids("43").await[0]);
    })
    .await;
}

#[tokio::test]
async fn speed_scales_the_delays() {
    bounded(30, async {
        let folder = std::env::temp_dir().join(format!("mock-speed-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let slow = folder.join("slow.jsonl");
        std::fs::write(&slow, "{\"type\":\"wait\",\"delayMs\":60000}\n{\"type\":\"agentMessage\",\"text\":\"done\"}\n").unwrap();
        for (speed, at_least) in [("0", Duration::ZERO), ("100", Duration::from_millis(450))] {
            let client = spawn_mock(&["--speed", speed, "--scenario", slow.to_str().unwrap()], Approvals::new(true)).await;
            let mut notifications = client.notifications();
            let began = Instant::now();
            let (_, turn_id) = start_turn(&client, "wait").await;
            read_turn(&mut notifications, &turn_id).await;
            // A minute of scripted waiting: none at speed 0, 0.6 s ± 25% at speed 100.
            assert!(began.elapsed() >= at_least, "speed {speed}: {:?}", began.elapsed());
            client.shutdown().await.unwrap();
        }
        std::fs::remove_dir_all(&folder).unwrap();
    })
    .await;
}
