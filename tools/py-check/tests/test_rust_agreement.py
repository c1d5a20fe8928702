"""Differential check against the Rust decoder itself: thousands of fixture messages with one
value replaced by one of another kind are decoded by the Python package and by
``cargo xtask validate`` (the crate's decoder), and both must agree line by line: accepted
(a notification no table knows, from the server, is accepted: ``validate`` only informs of
it), or rejected with the same JSON-RPC code at the same JSON path, naming the same method."""

from __future__ import annotations

import json
import random
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from app_server_protocol import (
    DecodeError,
    PendingRequests,
    RequestId,
    decode_client_message,
    decode_server_message,
    message_value,
)
from corpus import ROOT, wire_files
from test_decoder import _mutations  # pyright: ignore[reportPrivateUsage]

HERE = Path(__file__).resolve().parents[1]
REPORT = re.compile(r"line (\d+): \w+ → `([^`]*)`(?: at `([^`]*)`)?: .*\(code (-\d+)\)$")

Verdict = tuple[int, str | None, str]
"""A refusal: code, path, and the method the error names (``(unknown)`` when none)."""


def _mutated_transcript(seeds: list[int]) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for seed in seeds:
        rng = random.Random(seed)
        for _, lines in wire_files():
            for line in lines:
                if "method" in line.message:  # answers need their request pending
                    entries.extend({"from": line.sender, "message": _mutations(line.message, rng)} for _ in range(3))
    return entries


def _rust_verdicts(transcript: Path) -> dict[int, Verdict]:
    done = subprocess.run(
        ["cargo", "xtask", "validate", str(transcript)], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    verdicts: dict[int, Verdict] = {}
    for text in done.stdout.splitlines():
        found = REPORT.match(text.strip())
        if found:
            verdicts[int(found.group(1))] = (int(found.group(4)), found.group(3), found.group(2))
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return verdicts


def _python_verdict(sender: object, text: str) -> Verdict | None:
    decode = decode_client_message if sender == "client" else decode_server_message
    try:
        decode(text, PendingRequests())
    except DecodeError as err:
        return (err.code, err.path, err.method if err.method is not None else "(unknown)")
    return None


def test_python_and_rust_decoders_agree_on_mutated_messages() -> None:
    entries = _mutated_transcript([2, 3, 4])
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        transcript = Path(folder) / "mutated.jsonl"
        transcript.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        rust = _rust_verdicts(transcript)
    assert len(rust) > len(entries) // 2, "the Rust decoder rejected too few lines: is the report format the same?"
    disagreements: list[str] = []
    for number, entry in enumerate(entries, start=1):
        python = _python_verdict(entry["from"], json.dumps(entry["message"]))
        if python != rust.get(number):
            disagreements.append(f"line {number}: Rust {rust.get(number)}, Python {python}: {json.dumps(entry['message'])[:200]}")
    assert disagreements == [], "\n".join(disagreements[:20])


def test_python_and_rust_decoders_agree_on_notifications_no_table_knows() -> None:
    # Every notification of the fixtures under a name no table has, sent by its sender and by
    # the other side: a client keeps the server's (accepted), a server refuses a client's.
    entries: list[dict[str, object]] = []
    for _, lines in wire_files():
        for line in lines:
            if "method" in line.message and "id" not in line.message:
                renamed = {**line.message, "method": f"future/{line.message['method']}"}
                entries.extend({"from": sender, "message": renamed} for sender in ("client", "server"))
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        transcript = Path(folder) / "renamed.jsonl"
        transcript.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        rust = _rust_verdicts(transcript)
    assert len(entries) > 60 and len(rust) == len(entries) // 2, "one refusal per notification (the client's)"
    disagreements: list[str] = []
    for number, entry in enumerate(entries, start=1):
        python = _python_verdict(entry["from"], json.dumps(entry["message"]))
        if python != rust.get(number):
            disagreements.append(f"line {number}: Rust {rust.get(number)}, Python {python}: {json.dumps(entry['message'])[:200]}")
    assert disagreements == [], "\n".join(disagreements[:20])


NEWER_TAG = "kindOfANewerServer"
"""A tag no version of the protocol knows: what a newer server's new variant carries."""
NEWER_STRING = "valueOfANewerServer"
"""A string no version of the protocol knows as a value of an enum."""
FALLBACKS = ("unknown", "other")
"""What the older open enums and unions read an unknown value as (``PlanType``'s ``"unknown"``,
``ResponseItem``'s ``{"type": "other"}``), as the Rust decoder reads it."""


def _newer_strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string below ``value`` with what replaces it: a ``type`` member's by ``NEWER_TAG``,
    any other by ``NEWER_STRING`` (as the TypeScript differential test does)."""
    if isinstance(value, dict):
        members = cast(dict[str, Any], value)
        for key, child in members.items():
            if isinstance(child, str):
                yield (*path, key), NEWER_TAG if key == "type" else NEWER_STRING
            else:
                yield from _newer_strings(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(cast(list[Any], value)):
            if isinstance(child, str):
                yield (*path, index), NEWER_STRING
            else:
                yield from _newer_strings(child, (*path, index))


def _replaced(value: Any, path: tuple[str | int, ...], new: str) -> Any:
    copy = json.loads(json.dumps(value))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return copy


_MOVED = object()
"""What ``_at`` finds where the encoder wrote a legacy spelling in its canonical place."""


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return _MOVED
    return value


def _nested_paths(rust: Verdict | None, python: Verdict | None) -> bool:
    """Both refuse with the same code at nested paths: one decoder stops at an enclosing
    untagged union (``SessionSource``, a function call's output: a string or items) where the
    other names the member inside, as the TypeScript differential test allows for Rust."""
    if rust is None or python is None or rust[0] != python[0] or rust[1] is None or python[1] is None:
        return False
    short, long = sorted((rust[1], python[1]), key=len)
    return long.startswith(short) and long[len(short) : len(short) + 1] in (".", "[")


def test_python_and_rust_agree_on_values_no_version_knows() -> None:
    """Each string of each fixture payload replaced by one no version knows: open unions and
    enums (an unknown item type in ``item/started``, an unknown effort in a ``model/list``
    result, an unknown risk level in an approval request) take it, and write it back as it came
    (the older ones as their fallback, as in Rust); any other place keeps it as text or refuses
    it where the Rust decoder does."""
    cases: list[tuple[int, str, Any, tuple[str | int, ...], str, tuple[RequestId, str] | None]] = []
    entries: list[dict[str, object]] = []
    for _, lines in wire_files():
        requests: dict[str, Any] = {}
        for line in lines:
            message = line.message
            if "method" in message and "id" in message:
                requests[json.dumps(message["id"])] = line
            payload = "params" if "params" in message else "result" if "result" in message else None
            if payload is None:
                continue
            request = None if "method" in message else requests.get(json.dumps(message.get("id")))
            if "method" not in message and request is None:
                continue
            for path, new in _newer_strings(message[payload], (payload,)):
                if request is not None:
                    entries.append({"from": request.sender, "message": request.message})
                entries.append({"from": line.sender, "message": _replaced(message, path, new)})
                answered = None if request is None else (request.message["id"], request.message["method"])
                cases.append((len(entries), line.sender, entries[-1]["message"], path, new, answered))
    assert len(cases) > 2000, len(cases)
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        transcript = Path(folder) / "newer.jsonl"
        transcript.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        rust = _rust_verdicts(transcript)
    disagreements: list[str] = []
    taken: dict[str, int] = {}
    for number, sender, message, path, new, answered in cases:
        pending = PendingRequests()
        if answered is not None:
            pending.register(*answered)
        decode = decode_client_message if sender == "client" else decode_server_message
        try:
            decoded = decode(json.dumps(message), pending)
            python = None
        except DecodeError as err:
            method = err.method if err.method is not None else "(unknown)"
            decoded, python = None, (err.code, err.path, method)
        where = "/".join(str(step) for step in path)
        if python != rust.get(number):
            if not _nested_paths(rust.get(number), python):
                disagreements.append(f"line {number} ({where}): Rust {rust.get(number)}, Python {python}")
            continue
        if decoded is not None:
            written = _at(message_value(decoded), path)
            if written not in (new, _MOVED, *FALLBACKS):
                disagreements.append(f"line {number} ({where}): taken but written back as {written!r}")
            taken[where] = taken.get(where, 0) + 1
    assert disagreements == [], "\n".join(disagreements[:20])
    # The open types the fixtures carry took a value no version knows; a closed enum did not.
    for where in (
        "params/item/type",
        "params/item/commandActions/0/type",
        "result/data/0/defaultReasoningEffort",
        "params/risk/riskLevel",
    ):
        assert where in taken, where
    assert "params/item/status" not in taken


def _nested(depth: int, open_: str, close: str) -> str:
    return open_ * depth + "1" + close * depth if open_ == '{"k":' else open_ * depth + close * depth


HOSTILE = [
    '{"id":1,"id":2,"method":"thread/archive","params":{"threadId":"a"}}',
    '{"id":1,"method":"thread/archive","params":{"threadId":"a","threadId":"b"}}',
    '{"id":1,"jsonrpc":"2.0","jsonrpc":"2.0","method":"account/logout"}',
    '{"id":1,"method":"thread/archive","params":{"threadId":"\\ud800"}}',
    '{"id":1,"method":"thread/archive","params":{"threadId":NaN}}',
    '\ufeff{"id":1,"method":"thread/archive","params":{"threadId":"a"}}',
    '{"id":1e2,"method":"account/logout"}',
    '{"id":-0,"method":"account/logout"}',
    '{"id":1,"method":"thread/list","params":{"limit":1e400}}',
    '{"id":1,"method":"thread/list","params":{"limit":10.0}}',
    '{"id":1,"method":"thread/archive","params":{"threadId":"a\\u0000b"}}',
    '{"id":1,"method":"thread/archive","params":{"threadId":"a\u0000b"}}',
    '{"method":"initialized","params":[]}',
    "{}",
    "[]",
    "",
] + [
    f'{{"id":1,"method":"thread/start","params":{{"{member}":{_nested(depth, open_, close)}}}}}'
    for depth in (125, 126, 127, 130, 3000, 50000)
    for open_, close in (("[", "]"), ('{"k":', "}"))
    for member in ("config", "unknownMember", "model")
]


def test_python_and_rust_decoders_agree_on_hostile_lines() -> None:
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        transcript = Path(folder) / "hostile.jsonl"
        transcript.write_text("".join(f"> {line}\n" for line in HOSTILE), encoding="utf-8")
        rust = _rust_verdicts(transcript)
    assert len(rust) > len(HOSTILE) // 2
    disagreements: list[str] = []
    for number, line in enumerate(HOSTILE, start=1):
        python = _python_verdict("client", line)
        if python != rust.get(number):
            disagreements.append(f"line {number}: Rust {rust.get(number)}, Python {python}: {line[:120]!r}")
    assert disagreements == [], "\n".join(disagreements)
