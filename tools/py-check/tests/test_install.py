"""``pip install generated/python`` — the README's command, on the folder itself, not a copy —
installs a package that decodes a line and knows its version, and leaves ``generated/``
exactly as codegen wrote it (the build backend, flit_core, writes nothing beside the sources)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import ROOT

HERE = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


def test_pip_install_into_a_fresh_environment_leaves_generated_untouched() -> None:
    package = ROOT / "generated" / "python"
    before = _files(package)
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".fresh-venv-") as folder:
        venv = Path(folder) / "venv"
        _run([sys.executable, "-m", "venv", str(venv)], HERE)
        python = str(venv / "bin" / "python")
        # The runtime dependency and the build backend at their pinned versions (offline
        # afterwards: no build isolation), then the package from generated/python itself.
        wanted = {"pydantic", "pydantic-core", "typing-extensions", "annotated-types", "typing-inspection", "flit-core"}
        pins = [
            line
            for line in (HERE / "requirements.txt").read_text().splitlines()
            if line.split("==")[0].lower().replace("_", "-") in wanted
        ]
        assert len(pins) == len(wanted), pins
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins], HERE)
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", str(package)], HERE)
        script = (
            "import app_server_protocol as p, importlib.resources as r;"
            "m = p.decode_client_message('{\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"t\"}}', p.PendingRequests());"
            "print(p.__version__, type(m.params).__name__, r.files('app_server_protocol').joinpath('py.typed').is_file(), p.__file__)"
        )
        version, model, typed, location = _run([python, "-c", script], Path(folder)).split()
    expected = next(l for l in (ROOT / "Cargo.toml").read_text().splitlines() if l.startswith("version = ")).split('"')[1]
    assert (version, model, typed) == (expected, "ThreadArchiveParams", "True")
    assert location.startswith(str(venv)), "imported from the environment, not from the source tree"
    assert _files(package) - before == set(), "pip left files in generated/python"
    status = _run(["git", "status", "--porcelain", "--", "generated/"], ROOT)
    assert [l for l in status.splitlines() if l.startswith("??")] == [], f"untracked files in generated/:\n{status}"
