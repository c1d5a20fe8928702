"""Writes ``samples/0.66.0.jsonl``: real lines of the 0.66.0 release from the transcripts of
``cargo xtask interop`` (``target/interop/transcripts/0.66.0/*.jsonl``), the first of each
method and kind per direction and every approval request, each with the method it answers
(for an answer) and, for a request, whether its answer was a result (``accepted``: the interop
sessions also send lines meant to be refused). ``tests/test_generators.py`` validates them against the models generated from
the generator bundle; they are committed because the Python checks run before interop in CI.

    tools/py-check/.venv/bin/python tools/py-check/samples/extract.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
RELEASE = "0.66.0"


def entries(transcript: Path) -> list[dict[str, Any]]:
    """Every line of a transcript: who sent it, the message, the method it answers."""
    asked: dict[tuple[str, str], dict[str, Any]] = {}
    found: list[dict[str, Any]] = []
    for raw in transcript.read_text(encoding="utf-8").splitlines():
        if not raw.startswith(("> ", "< ")):
            continue
        sender = "client" if raw.startswith("> ") else "server"
        try:
            message: Any = json.loads(raw[2:])
        except ValueError:
            continue  # a probe that is no JSON
        if not isinstance(message, dict):
            continue
        entry: dict[str, Any] = {"from": sender, "answers": None, "message": message}
        if "method" in message and "id" in message:
            entry["accepted"] = None  # until its answer says
            asked[(sender, json.dumps(message["id"]))] = entry
        elif "method" not in message and "id" in message:
            other = "server" if sender == "client" else "client"
            request = asked.get((other, json.dumps(message["id"])))
            if request is not None:
                entry["answers"] = request["message"]["method"]
                request["accepted"] = "result" in message
        found.append(entry)
    return found


def main() -> None:
    seen: set[tuple[str, str, str]] = set()
    kept: list[dict[str, Any]] = []
    for transcript in sorted((ROOT / "target" / "interop" / "transcripts" / RELEASE).glob("*.jsonl")):
        for entry in entries(transcript):
            message = entry["message"]
            method = message.get("method") or entry["answers"] or ""
            kind = "error" if "error" in message else "answer" if "result" in message else "call"
            key = (entry["from"], method if not method.startswith("codex/event/") else method, kind)
            if not method or (key in seen and "requestApproval" not in method):
                continue
            seen.add(key)
            kept.append(entry)
    out = Path(__file__).resolve().parent / f"{RELEASE}.jsonl"
    out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept), encoding="utf-8")
    print(f"{len(kept)} lines → {out}")


if __name__ == "__main__":
    main()
