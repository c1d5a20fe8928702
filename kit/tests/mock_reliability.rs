//! Reliability: 100 WebSocket connections at once, each running turns, with every
//! connection recorded. Nothing a client received is lost or out of order (its notifications
//! are, in order, the start of what its transcript says the mock sent), every transcript
//! decodes and tells consistent turns, and the mock's memory stays bounded.

mod mock_support;

use std::collections::HashMap;
use std::path::Path;

use app_server_protocol::transcript::{Decoded, TranscriptDecoder, split_marked_line};
use app_server_protocol::v2::ThreadItem;
use app_server_protocol::{ServerMessage, ServerNotification};
use mock_support::{Approvals, ListeningMock, bounded, read_turn, turn_params};
use tokio::task::JoinSet;

const CONNECTIONS: usize = 100;
const TURNS: usize = 3;
/// The mock's resident memory after the run stays under this (it holds 100 threads of 3
/// turns; the runtime, the binary and 100 connections' buffers are most of it).
const RSS_BOUND_KIB: u64 = 96 * 1024;

/// What one client saw: its thread and its notifications, in order.
struct Seen {
    thread_id: String,
    notifications: Vec<ServerNotification>,
}

async fn one_client(url: String) -> Seen {
    let (reader, writer) = app_server_kit::transport::connect(&url).await.expect("connects");
    let client =
        app_server_peer::Client::builder().handler(Approvals::new(true)).connect(reader, writer);
    mock_support::initialize(&client).await;
    let mut stream = client.notifications();
    let thread = client
        .request::<app_server_protocol::method::ThreadStart>(
            app_server_protocol::v2::ThreadStartParams::new(),
        )
        .await
        .unwrap()
        .thread;
    let mut notifications = Vec::new();
    for turn in 0..TURNS {
        let started = client
            .request::<app_server_protocol::method::TurnStart>(turn_params(
                &thread.id,
                &format!("turn {turn}"),
            ))
            .await
            .unwrap();
        notifications.extend(read_turn(&mut stream, &started.turn.id).await);
    }
    client.shutdown().await.unwrap();
    Seen { thread_id: thread.id, notifications }
}

/// The notifications a transcript says the mock sent, in order, and the thread its client
/// ran turns on. Every line must decode.
fn read_transcript(path: &Path) -> (Option<String>, Vec<ServerNotification>) {
    let mut decoder = TranscriptDecoder::new();
    let (mut thread, mut sent) = (None, Vec::new());
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let (direction, text) = split_marked_line(line).unwrap();
        match decoder.decode(direction.expect("marked"), &text) {
            Ok(Decoded::ServerToClient(ServerMessage::Notification(notification))) => {
                sent.push(notification)
            }
            Ok(Decoded::ClientToServer(app_server_protocol::ClientMessage::Request(
                app_server_protocol::ClientRequest::TurnStart { params, .. },
            ))) => thread = Some(params.thread_id),
            Ok(_) => {}
            Err(error) => panic!("{}: a line does not decode: {error}\n{line}", path.display()),
        }
    }
    (thread, sent)
}

/// Each turn in `notifications` is consistent: it opens with `turn/started` and closes with
/// `turn/completed`; each item starts before it completes; an agent message is its deltas.
fn check_turns(notifications: &[ServerNotification]) {
    let mut open_turn = None;
    let mut deltas: HashMap<String, String> = HashMap::new();
    let mut started_items = std::collections::HashSet::new();
    for notification in notifications {
        match notification {
            ServerNotification::TurnStarted { params } => {
                assert!(
                    open_turn.replace(params.turn.id.clone()).is_none(),
                    "turns do not overlap"
                );
            }
            ServerNotification::TurnCompleted { params } => {
                assert_eq!(open_turn.take().as_deref(), Some(params.turn.id.as_str()));
            }
            ServerNotification::ItemStarted { params } => {
                assert_eq!(Some(&params.turn_id), open_turn.as_ref());
                started_items.insert(params.item.id().to_owned());
            }
            ServerNotification::AgentMessageDelta { params } => {
                deltas.entry(params.item_id.clone()).or_default().push_str(&params.delta);
            }
            ServerNotification::ItemCompleted { params } => {
                assert!(started_items.contains(params.item.id()), "completed before started");
                if let ThreadItem::AgentMessage { id, text } = &params.item {
                    assert_eq!(deltas.get(id).map(String::as_str).unwrap_or_default(), text);
                }
            }
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_connections_run_turns_and_nothing_is_lost_or_reordered() {
    bounded(120, async {
        let folder = std::env::temp_dir().join(format!("mock-reliability-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let record = folder.join("run.jsonl");
        let mock = ListeningMock::start(&[
            "--speed",
            "0",
            "--seed",
            "11",
            "--record",
            record.to_str().unwrap(),
        ])
        .await;
        let mut clients = JoinSet::new();
        for _ in 0..CONNECTIONS {
            clients.spawn(one_client(mock.url.clone()));
        }
        let mut seen = Vec::new();
        while let Some(client) = clients.join_next().await {
            seen.push(client.unwrap());
        }
        let rss = mock.rss_kib();
        assert!(rss < RSS_BOUND_KIB, "the mock holds {rss} KiB after the run");
        mock.stop().await;

        let mut transcripts = HashMap::new();
        for number in 1..=CONNECTIONS {
            let path = folder.join(format!("run.{number}.jsonl"));
            let (thread, sent) = read_transcript(&path);
            transcripts.insert(thread.expect("each connection ran turns"), sent);
        }
        let mut messages = 0;
        for client in &seen {
            let sent = &transcripts[&client.thread_id];
            assert!(client.notifications.len() <= sent.len());
            assert_eq!(
                &sent[..client.notifications.len()],
                client.notifications.as_slice(),
                "the client got what was sent, in order"
            );
            let completed = client
                .notifications
                .iter()
                .filter(|n| matches!(n, ServerNotification::TurnCompleted { .. }))
                .count();
            assert_eq!(completed, TURNS);
            check_turns(sent);
            messages += sent.len();
        }
        assert!(messages > CONNECTIONS * TURNS * 40, "{messages} notifications");
        eprintln!(
            "{CONNECTIONS} connections, {messages} notifications checked; mock RSS {rss} KiB"
        );
        // KEEP_MOCK_TRANSCRIPT=1 keeps the transcripts (e.g. for `cargo xtask validate`).
        if std::env::var_os("KEEP_MOCK_TRANSCRIPT").is_none() {
            std::fs::remove_dir_all(&folder).unwrap();
        }
    })
    .await;
}
