"""The consumer example (``consumer/consumer.py``) on the package's ``Client`` runs a turn with
a command approval against the kit's mock and against the pinned real release (0.66.0, offline
against the kit's stand-in model API); skipped, with the reason, only when a binary is absent."""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from app_server_protocol import Client
from consumer import Consumer
from corpus import ROOT

KIT = ROOT / "target" / "debug" / "app-server-kit"
RELEASE = "0.66.0"
CODEX = ROOT / "target" / "interop" / "cache" / RELEASE / "codex"
LIMIT = 120.0
"""Seconds a whole session may take."""


def test_the_consumer_runs_a_turn_with_an_approval_against_the_mock() -> None:
    if not KIT.is_file():
        pytest.skip(f"{KIT} is not built (cargo build -p app-server-kit)")

    async def session() -> Consumer:
        # The mock asks to run a command on `RUN` (its built-in turn, in older builds, on any prompt).
        consumer = Consumer(allowed_prefixes=("npm", "cargo", "pytest", "ls", "echo", "bash -lc 'echo"))
        async with await Client.spawn(str(KIT), "mock", "--seed", "7", "--speed", "0", stderr=subprocess.DEVNULL) as client:
            await asyncio.wait_for(consumer.run_turn(client, "/work", "RUN echo hello"), LIMIT)
        return consumer

    consumer = asyncio.run(session())
    assert consumer.status == "completed", consumer.shown
    assert consumer.approvals, f"the mock asked for no approval: {consumer.shown}"
    assert any(line.startswith("accepted: ") for line in consumer.shown)
    assert any(line.startswith("agent: ") for line in consumer.shown)


def _model(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """Starts the stand-in model API; its process and base URL."""
    model = subprocess.Popen(
        [str(KIT), "model", "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=open(folder / "model.stderr.log", "w"),
        text=True,
    )
    assert model.stdout is not None
    line = model.stdout.readline().strip()
    assert line.startswith("base_url=http://127.0.0.1:"), f"the stand-in model API said {line!r}"
    return model, line.removeprefix("base_url=")


def _config(base_url: str) -> str:
    """The CODEX_HOME config of the interop sessions (xtask/src/interop/launch.rs)."""
    return (
        'model = "gpt-5.1-codex"\nmodel_provider = "stub"\napproval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n\n'
        f'[model_providers.stub]\nname = "stub"\nbase_url = "{base_url}"\nwire_api = "responses"\n'
        "request_max_retries = 1\nstream_max_retries = 1\nstream_idle_timeout_ms = 5000\n"
    )


def test_the_consumer_runs_a_turn_with_an_approval_against_the_real_release() -> None:
    if not CODEX.is_file():
        missing = f"the {RELEASE} release is not in the interop cache ({CODEX}); `cargo xtask interop` fetches it"
        if os.environ.get("PY_CHECK_REQUIRE_RELEASE"):
            pytest.fail(missing)
        pytest.skip(missing)
    if not KIT.is_file():
        pytest.skip(f"{KIT} is not built (cargo build -p app-server-kit)")
    with tempfile.TemporaryDirectory(prefix="py-consumer-") as root:
        folder = Path(root)
        for name in ("home", "work", "user"):
            (folder / name).mkdir()
        model, base_url = _model(folder)
        try:
            (folder / "home" / "config.toml").write_text(_config(base_url))
            env = {
                "CODEX_HOME": str(folder / "home"),
                "HOME": str(folder / "user"),
                "OPENAI_API_KEY": "sk-test",
                "RUST_LOG": "error",
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            }
            work = str(folder / "work")

            async def session() -> Consumer:
                consumer = Consumer(allowed_prefixes=("bash -lc 'echo",))
                stderr = open(folder / "server.stderr.log", "w")
                async with await Client.spawn(str(CODEX), "app-server", env=env, cwd=work, stderr=stderr.fileno()) as client:
                    # Bare `RUN`: the stand-in asks to run `echo hello 1>&2`, which needs an approval.
                    await asyncio.wait_for(consumer.run_turn(client, work, "RUN"), LIMIT)
                stderr.close()
                return consumer

            consumer = asyncio.run(session())
        finally:
            assert model.stdin is not None
            model.stdin.close()
            try:
                model.wait(10)
            except subprocess.TimeoutExpired:
                model.kill()
                model.wait()
    assert consumer.status == "completed", consumer.shown
    assert consumer.approvals == ["bash -lc 'echo hello 1>&2'"], consumer.shown
    assert "accepted: bash -lc 'echo hello 1>&2'" in consumer.shown, consumer.shown
    assert any(line == "item done: commandExecution" for line in consumer.shown), consumer.shown
