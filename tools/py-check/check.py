"""The Python checks of ``cargo xtask ci`` (the generated package in generated/python), run with any Python 3.11+:

    python3 tools/py-check/check.py setup   # .venv from requirements.txt, npm ci (pinned)
    python3 tools/py-check/check.py test    # pytest: fixtures, decoder, consumer, install, generators
    python3 tools/py-check/check.py release # the consumer against the real release (after interop)
    python3 tools/py-check/check.py types   # pyright --strict and mypy --strict on generated/python
                                            # and the consumer; pyright --strict on runtimes/python

Everything is installed into this folder (``.venv``, ``node_modules``), nothing global. Every
step is bounded in time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV = HERE / ".venv"
PYTHON = VENV / "bin" / "python"
LIMIT_SECONDS = 900
RUNTIME = ROOT / "runtimes" / "python" / "app_server_protocol"
GENERATED = ROOT / "generated" / "python" / "src"
MIRROR = HERE / ".out-runtime"
"""Where the runtime sources are checked as a package: each linked from runtimes/python/, with
the generated modules they import (methods, models, calls) linked beside them."""


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Runs one command in this folder; exits with its status when it fails or overruns."""
    shown = " ".join(str(a) for a in args)
    print(f"py-check: {shown}", flush=True)
    try:
        # No __pycache__ inside generated/ (the tests import the package from there): it would
        # be an extra file to `cargo xtask codegen --check`.
        quiet = {**(env or os.environ), "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run([str(a) for a in args], cwd=HERE, timeout=LIMIT_SECONDS, env=quiet)
    except subprocess.TimeoutExpired:
        sys.exit(f"py-check: `{shown}` ran over {LIMIT_SECONDS} s")
    if done.returncode != 0:
        sys.exit(done.returncode)


def setup() -> None:
    """Creates .venv (when missing) and installs the pinned Python and npm tools."""
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt")
    run("npm", "ci", "--no-audit", "--no-fund")


def types() -> None:
    """pyright --strict (the package and the consumer), mypy --strict (likewise) and pyright
    --strict over the hand-written runtime sources in runtimes/python/."""
    run("node", "node_modules/pyright/index.js", "-p", "pyrightconfig.json")
    env = {**os.environ, "MYPYPATH": str(GENERATED)}
    cache = VENV / "mypy-cache"
    run(PYTHON, "-m", "mypy", "--strict", "--cache-dir", cache, "consumer/consumer.py", GENERATED / "app_server_protocol", env=env)
    shutil.rmtree(MIRROR, ignore_errors=True)
    package = MIRROR / "app_server_protocol"
    package.mkdir(parents=True)
    for source in sorted(GENERATED.joinpath("app_server_protocol").iterdir()):
        if source.is_file():
            own = RUNTIME / source.name
            (package / source.name).symlink_to(own if own.is_file() else source)
    config = {"include": ["app_server_protocol"], "venvPath": str(HERE), "venv": ".venv", "pythonVersion": "3.11", "typeCheckingMode": "strict"}
    (MIRROR / "pyrightconfig.json").write_text(json.dumps(config))
    run("node", "node_modules/pyright/index.js", "-p", MIRROR / "pyrightconfig.json")


def main() -> None:
    stage = sys.argv[1] if len(sys.argv) == 2 else ""
    if stage == "setup":
        setup()
    elif stage == "test":
        run(PYTHON, "-m", "pytest")
    elif stage == "types":
        types()
    elif stage == "release":
        # After `cargo xtask interop` fetched the release: its absence is a failure here.
        env = {**os.environ, "PY_CHECK_REQUIRE_RELEASE": "1"}
        run(PYTHON, "-m", "pytest", "tests/test_consumer.py", "-k", "real_release", env=env)
    else:
        sys.exit("usage: check.py setup|test|types|release")


if __name__ == "__main__":
    main()
