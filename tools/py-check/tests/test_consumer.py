"""The consumer example (``consumer/consumer.py``) on real fixture lines: it routes the
server's notifications with ``match`` and answers a command approval with a line the Rust
decoder's contract accepts."""

from __future__ import annotations

import json

from app_server_protocol import PendingRequests, Response, decode_client_message, v2
from consumer import Client
from corpus import FIXTURES


def _server_lines(path: str) -> list[str]:
    lines: list[str] = []
    for raw in (FIXTURES / path).read_text(encoding="utf-8").splitlines():
        entry = json.loads(raw)
        if entry["from"] == "server":
            lines.append(json.dumps(entry["message"]))
    return lines


def test_routes_notifications() -> None:
    client = Client()
    for path in [
        "v2/item/agentMessage/delta/basic.jsonl",
        "v2/turn/completed/failed.jsonl",
    ]:
        for line in _server_lines(path):
            client.receive(line)
    assert client.shown[0].startswith("agent: ")
    assert client.shown[1].startswith("turn ") and ": failed (" in client.shown[1]


def test_shows_an_item_of_a_kind_a_newer_server_added() -> None:
    client = Client()
    item = {"type": "enteredReviewMode", "id": "item_9", "review": "current changes"}
    client.receive(json.dumps({"method": "item/started", "params": {"item": item, "threadId": "t", "turnId": "u"}}))
    client.receive(json.dumps({"method": "item/completed", "params": {"item": item, "threadId": "t", "turnId": "u"}}))
    assert client.shown == [
        "started an item of a kind this client does not know: enteredReviewMode",
        "item done: enteredReviewMode",
    ]


def test_answers_an_approval_the_server_can_decode() -> None:
    client = Client()
    server_sent = PendingRequests()
    for line in _server_lines("v2/item/commandExecution/requestApproval/accept.jsonl")[:1]:
        request = json.loads(line)
        server_sent.register(request["id"], request["method"])
        client.receive(line)
    assert len(client.outgoing) == 1
    answer = decode_client_message(client.outgoing[0], server_sent)
    assert isinstance(answer, Response)
    assert isinstance(answer.result, v2.CommandExecutionRequestApprovalResponse)
    assert answer.result.decision == ("accept" if client.shown[-1].startswith("accepted") else "decline")


def test_reports_a_bad_line_instead_of_raising() -> None:
    client = Client()
    client.receive('{"method":"turn/completed","params":{"turn":{}}}')
    # As the Rust decoder: `turn` comes first in the document, its missing `id` is met first.
    assert client.shown == ["bad line from the server: -32602 at params.turn.id"]
    # Refused, but it came: a loop waiting for the end of the turn does not hang.
    assert client.turn_ended


def test_passes_over_what_a_newer_server_adds_and_routes_legacy_events() -> None:
    client = Client()
    client.receive('{"method":"thread/tokenUsage/updated","params":{"threadId":"t"}}')
    for line in _server_lines("v1/codex/event/task-started.jsonl"):
        client.receive(line)
    assert client.shown == ["passed over thread/tokenUsage/updated", "notification codex/event/task_started"]
    assert not client.turn_ended
