"""What the decoder says about what a released or a newer server sends beyond the typed
contract, as the Rust decoder says it: the method family ``codex/event/{type}``, notifications
no table knows (kept by a client, refused by a server), and refused notifications that keep
their method."""

from __future__ import annotations

import json

import pytest

from app_server_protocol import (
    DecodeError,
    Notification,
    PendingRequests,
    UnknownNotification,
    decode_client_message,
    decode_server_message,
    encode_message,
    message_value,
    methods,
    types,
)

CONVERSATION = "01a24e62-e7a2-7321-b0f9-8413b9ff7e51"


def _legacy(method: str, msg: dict[str, object]) -> str:
    return json.dumps({"method": method, "params": {"id": "0", "msg": msg, "conversationId": CONVERSATION}})


DELTA = _legacy("codex/event/agent_message_delta", {"type": "agent_message_delta", "delta": "Hel"})


def test_a_legacy_event_decodes_under_its_full_name_typed_by_its_family() -> None:
    message = decode_server_message(DELTA, PendingRequests())
    assert isinstance(message, Notification)
    assert message.method == "codex/event/agent_message_delta"
    assert isinstance(message.params, types.LegacyEventNotification)
    assert message_value(message) == json.loads(DELTA)


def test_the_family_is_one_entry_keyed_by_its_prefix() -> None:
    spec = methods.SERVER_NOTIFICATIONS["codex/event/"]
    assert (spec.family, spec.display_name) == ("msg.type", "codex/event/{type}")
    assert spec.answers_to("codex/event/task_started")
    assert not spec.answers_to("codex/event/")
    # The bare prefix names no method: a client keeps it as a notification it does not know.
    assert isinstance(decode_server_message('{"method":"codex/event/"}', PendingRequests()), UnknownNotification)


def test_a_legacy_event_whose_name_and_type_disagree_is_refused_at_the_type() -> None:
    line = DELTA.replace("codex/event/agent_message_delta", "codex/event/agent_message")
    with pytest.raises(DecodeError) as caught:
        decode_server_message(line, PendingRequests())
    err = caught.value
    assert (err.code, err.path) == (-32602, "params.msg.type")
    assert err.message == 'expected "agent_message" (the method\'s last segment), found "agent_message_delta"'
    assert err.notification_method == "codex/event/agent_message"
    assert err.to_error_response() is None


def test_a_newer_servers_notification_is_kept_and_encodes_back_the_same() -> None:
    line = '{"method":"thread/tokenUsage/updated","params":{"threadId":"t","tokenUsage":{"total":{"totalTokens":42}}}}'
    message = decode_server_message(line, PendingRequests())
    assert message == UnknownNotification("thread/tokenUsage/updated", json.loads(line)["params"])
    assert encode_message(message) == line
    for bare in ['{"method":"x/y"}', '{"method":"x/y","params":null}']:
        kept = decode_server_message(bare, PendingRequests())
        assert kept == UnknownNotification("x/y", None)
        assert encode_message(kept) == '{"method":"x/y"}'
    # A member written twice: the last, as serde_json keeps it.
    twice = decode_server_message('{"method":"x/y","params":{"a":1,"a":[2]}}', PendingRequests())
    assert twice == UnknownNotification("x/y", {"a": [2]})


@pytest.mark.parametrize(
    "line",
    [
        '{"method":"x/y","params":[1]}',
        '{"method":"x/y","params":{"a":"\\ud800"}}',
        '{"method":"x/y","params":{"a":1e400}}',
        '{"method":"x/y","params":{"k":' + "[" * 127 + "]" * 127 + "}}",
    ],
)
def test_unknown_params_must_be_an_object_the_rust_decoder_can_hold(line: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_server_message(line, PendingRequests())
    assert (caught.value.code, caught.value.path, caught.value.notification_method) == (-32602, "params", "x/y")


def test_nesting_below_the_limit_is_kept() -> None:
    line = '{"method":"x/y","params":{"k":' + "[" * 126 + "]" * 126 + "}}"
    assert isinstance(decode_server_message(line, PendingRequests()), UnknownNotification)


def test_a_server_refuses_what_it_does_not_know_and_a_client_what_the_other_side_sends() -> None:
    for line in ['{"method":"x/y"}', DELTA]:
        with pytest.raises(DecodeError) as caught:
            decode_client_message(line, PendingRequests())
        assert (caught.value.code, caught.value.path) == (-32601, "method")
        assert caught.value.notification_method == json.loads(line)["method"]
    with pytest.raises(DecodeError) as caught:
        decode_server_message('{"method":"initialized"}', PendingRequests())
    assert (caught.value.code, caught.value.notification_method) == (-32601, "initialized")


def test_only_a_refused_notification_whose_method_was_read_names_it() -> None:
    cases = [
        ('{"method":"turn/completed","params":{"turn":{}}}', "turn/completed", "turn/completed"),
        ('{"id":1,"method":"turn/completed","params":{}}', "turn/completed", None),
        ('{"method":7}', None, None),
        ('{"method":"turn/completed","jsonrpc":"1.0"}', None, None),
    ]
    for line, method, notification_method in cases:
        with pytest.raises(DecodeError) as caught:
            decode_server_message(line, PendingRequests())
        assert (caught.value.method, caught.value.notification_method) == (method, notification_method), line


def test_the_readme_loop_learns_that_turn_completed_came_even_when_refused() -> None:
    lines = [
        '{"method":"thread/tokenUsage/updated","params":{"threadId":"t"}}',
        DELTA,
        '{"method":"turn/completed","params":{"turn":{"id":"0","items":[],"status":"completed"}}}',
    ]
    seen: list[str] = []
    done = False
    for line in lines:
        try:
            message = decode_server_message(line, PendingRequests())
        except DecodeError as err:
            done = done or err.notification_method == "turn/completed"
            continue
        seen.append(type(message).__name__)
    assert seen == ["UnknownNotification", "Notification"]
    assert done
