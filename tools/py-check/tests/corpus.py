"""Reads the wire fixtures of the repository (``fixtures/``) as ``cargo xtask fixtures`` does."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app_server_protocol import (
    Message,
    PendingRequests,
    Request,
    decode_client_message,
    decode_server_message,
)

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"


@dataclass
class WireLine:
    """One message of a wire fixture."""

    at: str
    sender: str
    message: Any
    canonical: Any


@dataclass
class InvalidLine:
    """One bad line and the error the Rust decoder reports for it."""

    at: str
    sender: str
    text: str
    code: int
    path: str | None
    pending: dict[str, str] = field(default_factory=dict[str, str])


def _entries(path: Path) -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip():
            rows.append((f"{path.relative_to(ROOT)}:{number}", json.loads(raw)))
    return rows


def wire_files() -> list[tuple[str, list[WireLine]]]:
    """Every wire fixture file (v1, v2) with its lines, in path order."""
    files: list[tuple[str, list[WireLine]]] = []
    for path in sorted([*FIXTURES.glob("v1/**/*.jsonl"), *FIXTURES.glob("v2/**/*.jsonl")]):
        lines = [
            WireLine(at, entry["from"], entry["message"], entry.get("canonical", entry["message"]))
            for at, entry in _entries(path)
        ]
        files.append((str(path.relative_to(ROOT)), lines))
    return files


def unknown_lines() -> list[WireLine]:
    """Every line of ``fixtures/unknown/``: a notification a newer server sends that no method
    of the table is (a client keeps it; a server refuses it)."""
    return [
        WireLine(at, entry["from"], entry["message"], entry["message"])
        for path in sorted(FIXTURES.glob("unknown/*.jsonl"))
        for at, entry in _entries(path)
    ]


def invalid_lines() -> list[InvalidLine]:
    """Every line of ``fixtures/invalid/``."""
    lines: list[InvalidLine] = []
    for path in sorted(FIXTURES.glob("invalid/*.jsonl")):
        for at, entry in _entries(path):
            expect = entry["expect"]
            lines.append(
                InvalidLine(at, entry["from"], entry["line"], expect["code"], expect.get("path"), entry.get("pending", {}))
            )
    return lines


class Connection:
    """Both ends' pending tables of one connection, as the transcript decoder keeps them."""

    def __init__(self) -> None:
        self.client_sent = PendingRequests()
        self.server_sent = PendingRequests()

    def decode(self, sender: str, line: str) -> Message:
        """Decodes a line with the decoder of the receiving side; a request is registered as
        pending on its sender's side."""
        if sender == "client":
            message = decode_client_message(line, self.server_sent)
            if isinstance(message, Request):
                self.client_sent.register(message.id, message.method)
        else:
            message = decode_server_message(line, self.client_sent)
            if isinstance(message, Request):
                self.server_sent.register(message.id, message.method)
        return message


def pending_id(key: str) -> int | str:
    """An all-digit key names an integer id."""
    return int(key) if key.isdigit() else key


def same_json(expected: Any, actual: Any, path: str = "$") -> str | None:
    """The first difference between two JSON values (types count: ``1`` is not ``1.0``)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():  # pyright: ignore[reportUnknownVariableType]
            if key not in actual:
                return f"at `{path}.{key}`: expected {json.dumps(value)}, re-encoded as absent"
            found = same_json(value, actual[key], f"{path}.{key}")
            if found:
                return found
        for key in actual:  # pyright: ignore[reportUnknownVariableType]
            if key not in expected:
                return f"at `{path}.{key}`: expected absent, re-encoded as {json.dumps(actual[key])}"
        return None
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):  # pyright: ignore[reportUnknownArgumentType]
        for index, (want, got) in enumerate(zip(expected, actual)):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
            found = same_json(want, got, f"{path}[{index}]")
            if found:
                return found
        return None
    if type(expected) is type(actual) and expected == actual:
        return None
    return f"at `{path}`: expected {json.dumps(expected)[:120]}, re-encoded as {json.dumps(actual)[:120]}"
