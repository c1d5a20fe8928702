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
from pathlib import Path

from app_server_protocol import DecodeError, PendingRequests, decode_client_message, decode_server_message
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
