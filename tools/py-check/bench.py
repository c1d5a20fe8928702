"""Benchmark of the Python package (not a test: figures, no verdict), run with the checks' venv:

    tools/py-check/.venv/bin/python tools/py-check/bench.py

Prints the import time of ``app_server_protocol`` (a fresh interpreter each time; best of
several), the time to the first decoded line (what the lazy import defers), and the cost of decoding one ``item/agentMessage/delta`` line with
``decode_server_message`` against ``json.loads`` of the same line. The package README quotes
its figures."""

from __future__ import annotations

import json
import subprocess
import sys
import timeit
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "generated" / "python" / "src"
LINE = json.dumps(
    {"method": "item/agentMessage/delta", "params": {"threadId": "thr_1", "turnId": "turn_1", "itemId": "item_1", "delta": "Hello, wor"}}
)
IMPORT = "import time; t = time.perf_counter(); import app_server_protocol; print(time.perf_counter() - t)"
FIRST_DECODE = (
    "import time; t = time.perf_counter(); import app_server_protocol as p;"
    f"p.decode_server_message({LINE!r}, p.PendingRequests()); print(time.perf_counter() - t)"
)
"""The package's names load their modules on first use: this is the import plus the first
decode of a delta (the models, the method maps and pydantic loaded, one validator built)."""


def import_seconds(script: str, runs: int = 7) -> float:
    """The best of ``runs`` runs of ``script``, each in a fresh interpreter."""
    times: list[float] = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", script], env={"PYTHONPATH": str(SOURCE), "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True, check=True)
        times.append(float(done.stdout))
    return min(times)


def decode_micros(number: int = 20000) -> tuple[float, float]:
    """(decode, json.loads) of the delta line, in µs per line, best of 5 rounds."""
    sys.path.insert(0, str(SOURCE))
    sys.dont_write_bytecode = True  # no __pycache__ inside generated/
    from app_server_protocol import PendingRequests, decode_server_message

    pending = PendingRequests()
    decode_server_message(LINE, pending)  # builds the validator once
    decode = min(timeit.repeat(lambda: decode_server_message(LINE, pending), number=number, repeat=5)) / number
    loads = min(timeit.repeat(lambda: json.loads(LINE), number=number, repeat=5)) / number
    return decode * 1e6, loads * 1e6


def main() -> None:
    seconds = import_seconds(IMPORT)
    first = import_seconds(FIRST_DECODE)
    decode, loads = decode_micros()
    print(f"import app_server_protocol: {seconds * 1000:.0f} ms (best of 7)")
    print(f"import and first decode of a delta (models loaded): {first * 1000:.0f} ms (best of 7)")
    print(f"decode item/agentMessage/delta: {decode:.1f} µs; json.loads: {loads:.1f} µs; ratio {decode / loads:.1f}x")


if __name__ == "__main__":
    main()
