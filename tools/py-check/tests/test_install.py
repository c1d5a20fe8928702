"""``pip install`` of generated/python into a fresh virtual environment works, and the
installed package decodes a line and knows its version."""

from __future__ import annotations

import shutil
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


def test_pip_install_into_a_fresh_environment() -> None:
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".fresh-venv-") as folder:
        venv = Path(folder) / "venv"
        _run([sys.executable, "-m", "venv", str(venv)], HERE)
        python = str(venv / "bin" / "python")
        # The runtime dependency and the build backend at their pinned versions, then the
        # package from a copy of its folder, so that no build output lands in generated/.
        wanted = {"pydantic", "pydantic-core", "typing-extensions", "annotated-types", "typing-inspection", "setuptools"}
        pins = [
            line
            for line in (HERE / "requirements.txt").read_text().splitlines()
            if line.split("==")[0].lower().replace("_", "-") in wanted
        ]
        assert len(pins) == len(wanted), pins
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins], HERE)
        source = Path(folder) / "source"
        shutil.copytree(ROOT / "generated" / "python", source)
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", str(source)], HERE)
        script = (
            "import app_server_protocol as p, importlib.resources as r;"
            "m = p.decode_client_message('{\"id\":1,\"method\":\"thread/archive\",\"params\":{\"threadId\":\"t\"}}', p.PendingRequests());"
            "print(p.__version__, type(m.params).__name__, r.files('app_server_protocol').joinpath('py.typed').is_file(), p.__file__)"
        )
        version, model, typed, location = _run([python, "-c", script], Path(folder)).split()
        expected = next(l for l in (ROOT / "Cargo.toml").read_text().splitlines() if l.startswith("version = ")).split('"')[1]
        assert (version, model, typed) == (expected, "ThreadArchiveParams", "True")
        assert location.startswith(str(venv)), "imported from the environment, not from the source tree"
