//! A turn as the mock plays it, over stdio, against the real binary: the order of the
//! notifications, the approval and what each decision does, the diff that grows, the turn
//! stored on its thread, and an interrupt.

mod mock_support;

use app_server_peer::NotificationItem;
use app_server_protocol::ServerNotification;
use app_server_protocol::method::{ThreadResume, TurnInterrupt, TurnStart};
use app_server_protocol::v2::{
    self, CommandExecutionStatus, PatchApplyStatus, ThreadItem, TurnStatus,
};
use mock_support::{Approvals, bounded, methods, read_turn, spawn_mock, start_turn, turn_params};

fn completed_items(notifications: &[ServerNotification]) -> Vec<ThreadItem> {
    notifications
        .iter()
        .filter_map(|notification| match notification {
            ServerNotification::ItemCompleted { params } => Some(params.item.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_declined_command_ends_declined_and_the_turn_goes_on_to_completed() {
    bounded(30, async {
        let approvals = Approvals::new(false);
        let client = spawn_mock(
            &["--scenario", mock_support::DEMO, "--seed", "3", "--speed", "0"],
            approvals.clone(),
        )
        .await;
        let mut notifications = client.notifications();
        let (thread_id, turn_id) = start_turn(&client, "Fix the failing test").await;
        let turn = read_turn(&mut notifications, &turn_id).await;
        let methods = methods(&turn);
        let first_turn_message = methods.iter().position(|m| *m == "turn/started").unwrap();
        assert!(
            methods[..first_turn_message]
                .iter()
                .all(|m| *m == "thread/started" || *m == "codex/event/"),
            "{methods:?}"
        );
        assert_eq!(approvals.asked(), 1, "one command approval");
        for method in [
            "item/started",
            "item/agentMessage/delta",
            "item/reasoning/summaryTextDelta",
            "turn/diff/updated",
        ] {
            assert!(methods.contains(&method), "{method} in {methods:?}");
        }
        assert!(
            !methods.contains(&"item/commandExecution/outputDelta"),
            "a declined command has no output"
        );
        let items = completed_items(&turn);
        assert!(matches!(&items[0], ThreadItem::UserMessage { .. }), "{items:?}");
        let command = items.iter().find_map(|item| match item {
            ThreadItem::CommandExecution { status, aggregated_output, .. } => {
                Some((*status, aggregated_output.clone()))
            }
            _ => None,
        });
        assert_eq!(command, Some((CommandExecutionStatus::Declined, None)));
        // The agent's message is the concatenation of its deltas.
        let deltas: String = turn
            .iter()
            .filter_map(|n| match n {
                ServerNotification::AgentMessageDelta { params } => Some(params.delta.clone()),
                _ => None,
            })
            .collect();
        let texts: String = items
            .iter()
            .filter_map(|item| match item {
                ThreadItem::AgentMessage { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(deltas, texts);
        // The diff grows: each turn/diff/updated holds the previous one.
        let diffs: Vec<String> = turn
            .iter()
            .filter_map(|n| match n {
                ServerNotification::TurnDiffUpdated { params } => Some(params.diff.clone()),
                _ => None,
            })
            .collect();
        // One per applied change, and the whole turn's diff again at its end (as released
        // servers send it).
        assert_eq!(diffs.len(), 3);
        assert!(diffs[1].starts_with(&diffs[0]) && diffs[1].len() > diffs[0].len());
        assert_eq!(diffs[2], diffs[1]);
        let Some(ServerNotification::TurnCompleted { params }) = turn.last() else {
            unreachable!()
        };
        assert_eq!((params.turn.status, &params.turn.error), (TurnStatus::Completed, &None));
        assert_eq!(params.thread_id, thread_id);

        // thread/resume returns the stored turn with its items.
        let resumed = client
            .request::<ThreadResume>(v2::ThreadResumeParams::new(thread_id.clone()))
            .await
            .unwrap();
        assert_eq!(resumed.thread.turns.len(), 1);
        assert_eq!(resumed.thread.turns[0].items, items);
        assert_eq!(resumed.thread.preview, "Fix the failing test");
        client.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_accepted_command_streams_its_output_and_completes() {
    bounded(30, async {
        let approvals = Approvals::new(true);
        let client =
            spawn_mock(&["--scenario", mock_support::DEMO, "--speed", "0"], approvals.clone())
                .await;
        let mut notifications = client.notifications();
        let (_, turn_id) = start_turn(&client, "Run the tests").await;
        let turn = read_turn(&mut notifications, &turn_id).await;
        let output: String = turn
            .iter()
            .filter_map(|n| match n {
                ServerNotification::CommandExecutionOutputDelta { params } => {
                    Some(params.delta.clone())
                }
                _ => None,
            })
            .collect();
        let command = completed_items(&turn).into_iter().find_map(|item| match item {
            ThreadItem::CommandExecution { status, aggregated_output, exit_code, .. } => {
                Some((status, aggregated_output, exit_code))
            }
            _ => None,
        });
        assert_eq!(
            command,
            Some((CommandExecutionStatus::Failed, Some(output.clone()), Some(101)))
        );
        assert!(output.contains("test result: FAILED"), "{output}");
        let changes: Vec<PatchApplyStatus> = completed_items(&turn)
            .into_iter()
            .filter_map(|item| match item {
                ThreadItem::FileChange { status, .. } => Some(status),
                _ => None,
            })
            .collect();
        assert_eq!(changes, [PatchApplyStatus::Completed, PatchApplyStatus::Completed]);
        client.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn turn_interrupt_ends_a_running_turn_as_interrupted_and_a_second_turn_can_start() {
    bounded(30, async {
        let client =
            spawn_mock(&["--scenario", mock_support::DEMO, "--speed", "0.2"], Approvals::new(true))
                .await;
        let mut notifications = client.notifications();
        let (thread_id, turn_id) = start_turn(&client, "Take your time").await;
        // A second turn while one runs is refused.
        let busy = client.request::<TurnStart>(turn_params(&thread_id, "again")).await.unwrap_err();
        assert!(busy.to_string().contains("still running"), "{busy}");
        loop {
            match notifications.next().await.expect("more notifications") {
                NotificationItem::Known(ServerNotification::TurnStarted { .. }) => break,
                _ => continue,
            }
        }
        client
            .request::<TurnInterrupt>(v2::TurnInterruptParams::new(
                thread_id.clone(),
                turn_id.clone(),
            ))
            .await
            .unwrap();
        let rest = read_turn(&mut notifications, &turn_id).await;
        let Some(ServerNotification::TurnCompleted { params }) = rest.last() else {
            unreachable!()
        };
        assert_eq!((params.turn.status, &params.turn.error), (TurnStatus::Interrupted, &None));
        // Interrupting it again is refused: it is not running.
        let again = client
            .request::<TurnInterrupt>(v2::TurnInterruptParams::new(thread_id.clone(), turn_id))
            .await;
        assert!(again.is_err());
        let next = client.request::<TurnStart>(turn_params(&thread_id, "next")).await.unwrap();
        assert_eq!(next.turn.status, TurnStatus::InProgress);
        client.shutdown().await.unwrap();
    })
    .await;
}
