//! What a client decodes that its contract does not type: a newer server's notifications are
//! kept (method and raw params), not refused; the legacy event stream is a method family whose
//! name must agree with its event; a server still refuses a client's unknown notification.

use app_server_protocol::{
    ClientNotification, PendingRequests, ServerMessage, ServerNotification, UnknownNotification,
    decode_client_message, decode_server_message, v1,
};
use serde_json::json;

const LEGACY: &str = r#"{"method":"codex/event/agent_message_delta","params":{"id":"0","msg":{"type":"agent_message_delta","delta":"Hel"},"conversationId":"01a24e62-e7a2-7321-b0f9-8413b9ff7e51"}}"#;

#[test]
fn an_unknown_server_notification_is_kept_with_its_params_and_encodes_back_the_same() {
    let line = r#"{"method":"item/fileChange/outputDelta","params":{"threadId":"t","turnId":"0","itemId":"call_1","delta":"ok"}}"#;
    let decoded = decode_server_message(line, &mut PendingRequests::new()).unwrap();
    let ServerMessage::UnknownNotification(UnknownNotification { method, params }) = &decoded
    else {
        panic!("expected an unknown notification, got {decoded:?}");
    };
    assert_eq!(method, "item/fileChange/outputDelta");
    assert_eq!(params.as_ref().unwrap()["delta"], json!("ok"));
    // Encoded again, it is the same JSON value (members may come in another order).
    let again: serde_json::Value = serde_json::from_str(&decoded.to_line().unwrap()).unwrap();
    assert_eq!(again, serde_json::from_str::<serde_json::Value>(line).unwrap());

    let bare = decode_server_message(r#"{"method":"x/y"}"#, &mut PendingRequests::new()).unwrap();
    assert_eq!(bare.to_line().unwrap(), r#"{"method":"x/y"}"#, "absent params stay absent");
}

#[test]
fn an_unknown_notification_with_params_that_are_not_an_object_is_still_refused() {
    let err =
        decode_server_message(r#"{"method":"x/y","params":[1]}"#, &mut PendingRequests::new())
            .unwrap_err();
    assert_eq!((err.code().0, err.path.as_deref()), (-32602, Some("params")));
    assert_eq!(err.notification_method(), Some("x/y"));
}

#[test]
fn a_server_refuses_a_clients_unknown_notification_and_a_client_refuses_a_client_method() {
    let err =
        decode_client_message(r#"{"method":"x/y"}"#, &mut PendingRequests::new()).unwrap_err();
    assert_eq!(err.code().0, -32601);
    // A method the client sends, arriving from the server, is not "unknown": it is refused.
    let err = decode_server_message(r#"{"method":"initialized"}"#, &mut PendingRequests::new())
        .unwrap_err();
    assert_eq!(err.code().0, -32601);
    assert!(matches!(
        decode_client_message(r#"{"method":"initialized"}"#, &mut PendingRequests::new()),
        Ok(app_server_protocol::ClientMessage::Notification(
            ClientNotification::Initialized { .. }
        ))
    ));
}

#[test]
fn a_legacy_event_is_typed_and_written_with_the_name_its_event_gives() {
    let decoded = decode_server_message(LEGACY, &mut PendingRequests::new()).unwrap();
    let ServerMessage::Notification(notification) = &decoded else {
        panic!("expected a typed notification, got {decoded:?}");
    };
    let ServerNotification::LegacyEvent { params } = notification else {
        panic!("expected the legacy event family, got {notification:?}");
    };
    assert!(matches!(params.msg, v1::EventMsg::AgentMessageDelta(_)));
    assert_eq!(notification.wire_name(), "codex/event/agent_message_delta");
    assert_eq!(decoded.to_line().unwrap(), LEGACY);
}

#[test]
fn a_legacy_event_whose_method_and_type_disagree_is_refused_at_the_type() {
    let line = LEGACY.replace("codex/event/agent_message_delta", "codex/event/agent_message");
    let err = decode_server_message(&line, &mut PendingRequests::new()).unwrap_err();
    assert_eq!(err.code().0, -32602);
    assert_eq!(err.path.as_deref(), Some("params.msg.type"));
    assert_eq!(
        err.message,
        r#"expected "agent_message" (the method's last segment), found "agent_message_delta""#
    );
    assert_eq!(err.notification_method(), Some("codex/event/agent_message"));
}

#[test]
fn a_legacy_event_of_a_type_this_crate_does_not_know_is_refused_with_its_method() {
    // The family covers the event types of the contract; an event type a newer server adds
    // does not fit `EventMsg` and is refused at the type, with the method for the stream.
    let line = r#"{"method":"codex/event/brand_new","params":{"id":"0","msg":{"type":"brand_new"},"conversationId":"01a24e62-e7a2-7321-b0f9-8413b9ff7e51"}}"#;
    let err = decode_server_message(line, &mut PendingRequests::new()).unwrap_err();
    assert_eq!((err.code().0, err.path.as_deref()), (-32602, Some("params.msg.type")));
    assert_eq!(err.notification_method(), Some("codex/event/brand_new"));
}

#[test]
fn an_item_of_a_kind_this_crate_does_not_know_keeps_its_message_and_its_members() {
    use app_server_protocol::v2::ThreadItem;
    // 0.66 sends items of kinds this contract does not have (`enteredReviewMode`).
    let line = r#"{"method":"item/started","params":{"item":{"type":"enteredReviewMode","id":"item_9","review":"current changes"},"threadId":"t","turnId":"1"}}"#;
    let decoded = decode_server_message(line, &mut PendingRequests::new()).unwrap();
    let ServerMessage::Notification(ServerNotification::ItemStarted { params }) = &decoded else {
        panic!("expected item/started, got {decoded:?}");
    };
    let ThreadItem::Unknown(item) = &params.item else {
        panic!("expected the unknown item, got {:?}", params.item);
    };
    assert_eq!(item.tag("type"), Some("enteredReviewMode"));
    assert_eq!((params.item.id(), params.item.item_type()), ("item_9", "enteredReviewMode"));
    let again: serde_json::Value = serde_json::from_str(&decoded.to_line().unwrap()).unwrap();
    assert_eq!(again, serde_json::from_str::<serde_json::Value>(line).unwrap());

    // The tag may come late (the buffered path), and may even spell the catch-all's name.
    for item in [
        json!({"id": "i", "type": "brandNew", "extra": [1, 2]}),
        json!({"type": "unknown", "id": "i"}),
        json!({"type": "other"}),
    ] {
        let decoded: ThreadItem = serde_json::from_value(item.clone()).unwrap();
        assert!(matches!(decoded, ThreadItem::Unknown(_)), "{item}");
        assert_eq!(serde_json::to_value(&decoded).unwrap(), item);
    }
    // A known kind is still held to its type.
    let err = serde_json::from_value::<ThreadItem>(json!({"type": "agentMessage", "id": 1}));
    assert!(err.is_err());
}

#[test]
fn open_enums_keep_a_value_they_do_not_know() {
    use app_server_protocol::core_types::ReasoningEffort;
    use app_server_protocol::v2::{CommandAction, CommandRiskLevel};
    let effort: ReasoningEffort = serde_json::from_value(json!("ultra")).unwrap();
    assert_eq!(effort, ReasoningEffort::Unknown("ultra".into()));
    assert_eq!(
        (effort.as_str(), serde_json::to_value(&effort).unwrap()),
        ("ultra", json!("ultra"))
    );
    let known: ReasoningEffort = serde_json::from_value(json!("xhigh")).unwrap();
    assert_eq!(known, ReasoningEffort::XHigh);
    let err = serde_json::from_value::<ReasoningEffort>(json!(3)).unwrap_err();
    assert!(err.to_string().contains("expected a string"), "{err}");

    let level: CommandRiskLevel = serde_json::from_value(json!("critical")).unwrap();
    assert_eq!(serde_json::to_value(&level).unwrap(), json!("critical"));

    let action: CommandAction =
        serde_json::from_value(json!({"type": "format", "command": "cargo fmt"})).unwrap();
    assert!(matches!(action, CommandAction::Other(_)));
    let known: CommandAction =
        serde_json::from_value(json!({"type": "unknown", "command": "make"})).unwrap();
    assert_eq!(known, CommandAction::Unknown { command: "make".into() });
}

#[test]
fn a_model_list_with_an_effort_this_crate_does_not_know_still_decodes() {
    use app_server_protocol::{ClientRequest, ClientRequestResult, v2};
    let mut pending = PendingRequests::new();
    pending.register(&ClientRequest::ModelList {
        request_id: 3.into(),
        params: v2::ModelListParams::new(),
    });
    let line = r#"{"id":3,"result":{"data":[{"id":"m","model":"m","displayName":"M","description":"d","supportedReasoningEfforts":[{"reasoningEffort":"ultra","description":"new"}],"defaultReasoningEffort":"ultra","isDefault":true}],"nextCursor":null}}"#;
    let decoded = decode_server_message(line, &mut pending).unwrap();
    let ServerMessage::Response(ClientRequestResult::ModelList { result, .. }) = decoded else {
        panic!("expected the model/list answer, got {decoded:?}");
    };
    assert_eq!(result.data[0].default_reasoning_effort.as_str(), "ultra");
}

#[test]
fn a_legacy_event_whose_params_come_before_its_method_is_checked_the_same() {
    let late = r#"{"params":{"id":"0","msg":{"type":"agent_message_delta","delta":"Hel"},"conversationId":"01a24e62-e7a2-7321-b0f9-8413b9ff7e51"},"method":"codex/event/agent_message_delta"}"#;
    let decoded = decode_server_message(late, &mut PendingRequests::new()).unwrap();
    assert_eq!(decoded.to_line().unwrap(), LEGACY);
    let wrong = late.replace("codex/event/agent_message_delta", "codex/event/agent_message");
    let err = decode_server_message(&wrong, &mut PendingRequests::new()).unwrap_err();
    assert_eq!((err.code().0, err.path.as_deref()), (-32602, Some("params.msg.type")));
}
