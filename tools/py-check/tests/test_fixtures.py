"""Every wire fixture decodes and re-encodes to the same JSON (or its ``canonical`` form), and
every invalid fixture is rejected with the code and path the Rust decoder reports."""

from __future__ import annotations

import json

import pytest

from app_server_protocol import (
    DecodeError,
    PendingRequests,
    UnknownNotification,
    decode_client_message,
    decode_server_message,
    message_value,
)
from corpus import Connection, InvalidLine, WireLine, invalid_lines, pending_id, same_json, unknown_lines, wire_files

WIRE = wire_files()
INVALID = invalid_lines()
UNKNOWN = unknown_lines()


def test_the_corpus_is_there() -> None:
    # A glob that finds nothing would make every parametrized test vanish.
    assert len(WIRE) >= 150
    assert sum(len(lines) for _, lines in WIRE) >= 400
    assert len(INVALID) >= 50
    assert len(UNKNOWN) >= 1


@pytest.mark.parametrize(("name", "lines"), WIRE, ids=[name for name, _ in WIRE])
def test_wire_fixture_round_trips(name: str, lines: list[WireLine]) -> None:
    connection = Connection()
    for line in lines:
        try:
            message = connection.decode(line.sender, json.dumps(line.message, ensure_ascii=False))
        except DecodeError as err:
            pytest.fail(f"{line.at}: rejected: {err}")
        difference = same_json(line.canonical, message_value(message))
        assert difference is None, f"{line.at}: does not re-encode to its canonical form: {difference}"


@pytest.mark.parametrize("line", INVALID, ids=[line.at for line in INVALID])
def test_invalid_fixture_is_rejected_like_rust(line: InvalidLine) -> None:
    pending = PendingRequests()
    for key, method in line.pending.items():
        pending.register(pending_id(key), method)
    decode = decode_client_message if line.sender == "client" else decode_server_message
    with pytest.raises(DecodeError) as caught:
        decode(line.text, pending)
    assert (caught.value.code, caught.value.path) == (line.code, line.path), caught.value.message


@pytest.mark.parametrize("line", UNKNOWN, ids=[line.at for line in UNKNOWN])
def test_unknown_notification_is_kept_by_a_client_and_refused_by_a_server(line: WireLine) -> None:
    text = json.dumps(line.message, ensure_ascii=False)
    message = decode_server_message(text, PendingRequests())
    assert isinstance(message, UnknownNotification), f"{line.at}: decoded as {message!r}"
    assert message.method == line.message["method"]
    difference = same_json(line.message, message_value(message))
    assert difference is None, f"{line.at}: does not re-encode to the same JSON: {difference}"
    with pytest.raises(DecodeError) as caught:
        decode_client_message(text, PendingRequests())
    assert (caught.value.code, caught.value.path) == (-32601, "method")
    assert caught.value.notification_method == line.message["method"]
