"""The Python checks of ``cargo xtask ci`` (the generated package in generated/python), run with any Python 3.11+:

    python3 tools/py-check/check.py setup   # .venv from requirements.txt, npm ci (pinned)
    python3 tools/py-check/check.py test    # pytest: fixtures, decoder, consumer, install, generators
    python3 tools/py-check/check.py types   # pyright --strict on generated/python and the consumer

Everything is installed into this folder (``.venv``, ``node_modules``), nothing global. Every
step is bounded in time.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PYTHON = VENV / "bin" / "python"
LIMIT_SECONDS = 900


def run(*args: str | Path) -> None:
    """Runs one command in this folder; exits with its status when it fails or overruns."""
    shown = " ".join(str(a) for a in args)
    print(f"py-check: {shown}", flush=True)
    try:
        done = subprocess.run([str(a) for a in args], cwd=HERE, timeout=LIMIT_SECONDS)
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


def main() -> None:
    stage = sys.argv[1] if len(sys.argv) == 2 else ""
    if stage == "setup":
        setup()
    elif stage == "test":
        run(PYTHON, "-m", "pytest")
    elif stage == "types":
        run("node", "node_modules/pyright/index.js", "-p", "pyrightconfig.json")
    else:
        sys.exit("usage: check.py setup|test|types")


if __name__ == "__main__":
    main()
