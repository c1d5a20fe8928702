//! The mock over WebSocket on loopback: one JSON-RPC message per text frame, many
//! connections at once sharing threads, a client that disconnects (between turns or in the
//! middle of one) loses nothing for the others.

mod mock_support;

use app_server_peer::NotificationItem;
use app_server_protocol::ServerNotification;
use app_server_protocol::method::{ThreadList, ThreadResume, TurnStart};
use app_server_protocol::v2::{self, TurnStatus};
use futures_util::{SinkExt, StreamExt};
use mock_support::{Approvals, ListeningMock, bounded, read_turn, start_turn, turn_params};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_come_and_go_and_the_mock_keeps_serving_the_others() {
    bounded(60, async {
        let mock = ListeningMock::start(&[
            "--scenario",
            mock_support::DEMO,
            "--speed",
            "0",
            "--seed",
            "9",
        ])
        .await;
        assert!(mock.url.starts_with("ws://127.0.0.1:"), "{}", mock.url);

        // B stays connected throughout and sees the threads the others start.
        let b = mock.client(Approvals::new(true)).await;
        let mut b_notifications = b.notifications();

        // A runs a whole turn with an approval, then disconnects.
        let approvals = Approvals::new(true);
        let a = mock.client(approvals.clone()).await;
        let mut a_notifications = a.notifications();
        let (a_thread, a_turn) = start_turn(&a, "from A").await;
        let turn = read_turn(&mut a_notifications, &a_turn).await;
        assert_eq!(approvals.asked(), 1);
        let Some(ServerNotification::TurnCompleted { params }) = turn.last() else {
            unreachable!()
        };
        assert_eq!(params.turn.status, TurnStatus::Completed);
        a.shutdown().await.unwrap();

        // C disconnects in the middle of a turn (the mock waits for its approval): its
        // connection just goes away.
        let held = Approvals::held();
        let c = mock.client(held.clone()).await;
        let c_notifications = c.notifications();
        let (c_thread, _) = start_turn(&c, "from C").await;
        while held.asked() == 0 {
            tokio::task::yield_now().await;
        }
        drop(c_notifications);
        drop(c);

        // B was told of both threads, lists both, and resumes A's with its turn.
        let mut started = Vec::new();
        while started.len() < 2 {
            if let Some(NotificationItem::Known(ServerNotification::ThreadStarted { params })) =
                b_notifications.next().await
            {
                started.push(params.thread.id);
            }
        }
        assert_eq!(started, [a_thread.clone(), c_thread.clone()]);
        let listed = b.request::<ThreadList>(v2::ThreadListParams::new()).await.unwrap();
        let ids: Vec<&str> = listed.data.iter().map(|thread| thread.id.as_str()).collect();
        assert_eq!(ids, [c_thread.as_str(), a_thread.as_str()]);
        let resumed =
            b.request::<ThreadResume>(v2::ThreadResumeParams::new(a_thread.clone())).await.unwrap();
        assert_eq!(resumed.thread.turns.len(), 1);
        assert_eq!(resumed.thread.turns[0].status, TurnStatus::Completed);

        // C's turn ends as interrupted on its thread once the mock notices; B can go on with it.
        let c_turns = loop {
            let resumed = b
                .request::<ThreadResume>(v2::ThreadResumeParams::new(c_thread.clone()))
                .await
                .unwrap();
            if !resumed.thread.turns.is_empty() {
                break resumed.thread.turns;
            }
            tokio::task::yield_now().await;
        };
        assert_eq!(c_turns[0].status, TurnStatus::Interrupted);
        let next = b.request::<TurnStart>(turn_params(&c_thread, "B takes over")).await.unwrap();
        let turn = read_turn(&mut b_notifications, &next.turn.id).await;
        let Some(ServerNotification::TurnCompleted { params }) = turn.last() else {
            unreachable!()
        };
        assert_eq!(params.turn.status, TurnStatus::Completed);
        b.shutdown().await.unwrap();
        mock.stop().await;
    })
    .await;
}

#[tokio::test]
async fn one_message_per_text_frame_and_bad_frames_get_what_stdio_lines_get() {
    bounded(30, async {
        let mock = ListeningMock::start(&["--scenario", mock_support::DEMO, "--speed", "0"]).await;
        let address = mock.url.trim_start_matches("ws://").to_owned();
        let stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let (mut socket, _) = tokio_tungstenite::client_async(mock.url.as_str(), stream).await.expect("connects");
        let mut send = async |text: &str| socket.send(Message::text(text)).await.unwrap();
        // Pretty-printed JSON in one frame is one message.
        send("{\n  \"id\": 1,\n  \"method\": \"initialize\",\n  \"params\": {\"clientInfo\": {\"name\": \"ws\", \"version\": \"1\"}}\n}").await;
        send("not json").await;
        send("{\"id\":2,\"method\":\"thread/list\",\"params\":{\"limit\":0}}").await;
        send("{\"id\":3,\"method\":\"thread/list\",\"params\":{\"limit\":1}}").await;
        let mut answers = Vec::new();
        while answers.len() < 3 {
            match socket.next().await.expect("a frame").unwrap() {
                Message::Text(text) => answers.push(serde_json::from_str::<serde_json::Value>(text.as_str()).unwrap()),
                other => panic!("unexpected frame {other:?}"),
            }
        }
        answers.sort_by_key(|answer| answer["id"].as_i64());
        assert!(answers[0]["result"]["userAgent"].is_string(), "{answers:?}");
        assert_eq!(answers[1]["error"]["data"]["path"], "params.limit");
        assert_eq!(answers[2]["result"]["nextCursor"], serde_json::Value::Null);
        socket.close(None).await.unwrap();
        mock.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_mock_listens_on_loopback_only() {
    bounded(30, async {
        let output = mock_support::mock_command(&["--listen", "0.0.0.0:0"]).output().await.unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("loopback"), "{stderr}");
    })
    .await;
}
