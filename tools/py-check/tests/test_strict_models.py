"""Every params model (and every answer a client builds for a server's request), constructed
with only its required members, by attribute name, in a source file that pyright --strict and
mypy --strict both check and that then runs: an optional member whose default a type checker
cannot see, or a required one the constructor does not take by its attribute name, fails here.
The file is written from the method maps at test time, so that a new method is covered at once.
Also: a keyword that names no member is refused, never dropped."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import types as pytypes
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from app_server_protocol import JsonValue, UnknownVariant, WireModel, methods, v2
from corpus import ROOT

HERE = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "generated" / "python" / "src"


def _module(model: type[BaseModel]) -> str:
    return "v2" if model.__module__.endswith(".v2") else "types"


_CANDIDATES = ["x", "00000000-0000-4000-8000-000000000000", "/x", "1"]
"""Strings tried for a member with a pattern."""


def _value(annotation: Any, depth: int = 0) -> str:
    """A Python expression of the annotated type that type checkers and the model accept."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        patterns = [m.pattern for m in args[1:] if getattr(m, "pattern", None)]
        if patterns:
            fits = [c for c in _CANDIDATES if all(re.search(p, c) for p in patterns)]
            assert fits, f"no candidate string matches {patterns}"
            return repr(fits[0])
        return _value(args[0], depth)
    if origin in (typing.Union, pytypes.UnionType):
        if type(None) in args:
            return "None"
        usable = [a for a in args if not (isinstance(a, type) and issubclass(a, UnknownVariant))]
        return _value(usable[0], depth)
    if origin is typing.Literal:
        return repr(args[0])
    if origin is list or annotation is list:
        return "[]"
    if origin is dict or annotation is dict:
        return "{}"
    if annotation is str:
        return '"x"'
    if annotation is bool:
        return "False"
    if annotation is int:
        return "1"
    if annotation is float:
        return "1.0"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _construct(annotation, depth + 1)
    assert annotation is JsonValue, f"no value for {annotation!r}"
    return "None"


def _construct(model: type[BaseModel], depth: int = 0) -> str:
    assert depth < 12, f"{model.__name__}: nested too deeply"
    model.model_rebuild()  # validators are deferred: resolves the members' annotations
    members = [
        f"{name}={_value(typing.Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation, depth)}"
        for name, info in model.model_fields.items()
        if info.is_required()
    ]
    return f"{_module(model)}.{model.__name__}({', '.join(members)})"


def _models() -> list[type[BaseModel]]:
    """The params models of every method, and the result models of the server's requests."""
    found: dict[str, type[BaseModel]] = {}

    def add(payload: Any) -> None:
        origin = typing.get_origin(payload)
        if origin is typing.Annotated:
            add(typing.get_args(payload)[0])
        elif origin in (typing.Union, pytypes.UnionType):
            for arg in typing.get_args(payload):
                add(arg)
        elif isinstance(payload, type) and issubclass(payload, WireModel):
            found[f"{payload.__module__}.{payload.__name__}"] = payload

    for table in (methods.CLIENT_REQUESTS, methods.SERVER_REQUESTS, methods.SERVER_NOTIFICATIONS, methods.CLIENT_NOTIFICATIONS):
        for spec in table.values():
            add(spec.params)
    for spec in methods.SERVER_REQUESTS.values():
        add(spec.result)
    return [found[k] for k in sorted(found)]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def test_every_params_model_builds_with_its_required_members_under_pyright_and_mypy_strict() -> None:
    models = _models()
    assert len(models) >= 60
    lines = [_construct(m) for m in models]
    source = (
        '"""Written by test_strict_models.py."""\n\nfrom app_server_protocol import types, v2\n\n\n'
        "def build() -> list[object]:\n    return [\n" + "".join(f"        {line},\n" for line in lines) + "    ]\n\n\nbuild()\n"
    )
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-strict-") as folder:
        path = Path(folder) / "every_params.py"
        path.write_text(source, encoding="utf-8")
        config = Path(folder) / "pyrightconfig.json"
        config.write_text(
            '{"include": ["every_params.py"], "extraPaths": ["%s"], "venvPath": "%s", "venv": ".venv", "pythonVersion": "3.11", "typeCheckingMode": "strict"}'
            % (SOURCE, HERE)
        )
        pyright = _run(["node", str(HERE / "node_modules" / "pyright" / "index.js"), "-p", str(config)], HERE)
        assert pyright.returncode == 0, pyright.stdout[-4000:]
        assert "0 errors" in pyright.stdout
        env = {"MYPYPATH": str(SOURCE), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
        mypy = _run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(Path(folder) / "cache"), str(path)], HERE, env)
        assert mypy.returncode == 0, mypy.stdout[-4000:]
        ran = _run([sys.executable, str(path)], HERE, {"PYTHONPATH": str(SOURCE), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"})
        assert ran.returncode == 0, ran.stderr[-4000:]


def test_a_member_is_built_by_attribute_or_wire_name_and_a_stranger_is_refused() -> None:
    by_attribute = v2.ThreadStartParams(cwd="/w", approval_policy="onRequest")
    by_wire = v2.ThreadStartParams(cwd="/w", approvalPolicy="onRequest")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    assert by_attribute.approval_policy == by_wire.approval_policy == "onRequest"
    assert by_attribute.to_wire()["approvalPolicy"] == "onRequest"
    with pytest.raises(TypeError, match="unexpected keyword argument 'aproval_policy'"):
        v2.ThreadStartParams(cwd="/w", aproval_policy="onRequest")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    with pytest.raises(TypeError, match="twice"):
        v2.ThreadStartParams(cwd="/w", approval_policy="never", approvalPolicy="onRequest")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
