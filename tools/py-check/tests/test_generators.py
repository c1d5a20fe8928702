"""generated/schema/generator.schema.json through third-party code generators, as a team would
run them: the pinned datamodel-code-generator (Python, no special flags) and quicktype (Go and
JavaScript). No numbered names, the models import, and the fixtures validate against them."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from corpus import ROOT, wire_files

HERE = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "generated" / "schema" / "generator.schema.json"
DEFINITIONS = set(json.loads(BUNDLE.read_text(encoding="utf-8"))["$defs"])
QUICKTYPE = HERE / "node_modules" / ".bin" / "quicktype"


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=HERE, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


def _numbered(names: set[str]) -> list[str]:
    """Names a generator invented by numbering (``EventMsg1``): ending in digits, not ours."""
    return sorted(name for name in names if re.search(r"\d+$", name) and name not in DEFINITIONS)


@pytest.fixture(scope="module")
def datamodel() -> ModuleType:
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        output = Path(folder) / "generated_models.py"
        tool = str(Path(sys.executable).parent / "datamodel-codegen")
        _run([tool, "--input", str(BUNDLE), "--input-file-type", "jsonschema", "--output", str(output)])
        text = output.read_text(encoding="utf-8")
        spec = importlib.util.spec_from_file_location("generated_models", output)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["generated_models"] = module
        spec.loader.exec_module(module)
    module.__dict__["__source__"] = text
    return module


def test_datamodel_code_generator_names_every_class_after_a_definition(datamodel: ModuleType) -> None:
    classes = set(re.findall(r"^class (\w+)\(", datamodel.__dict__["__source__"], flags=re.MULTILINE))
    assert len(classes) > 400
    assert _numbered(classes) == []
    invented = sorted(classes - DEFINITIONS - {"AppServerMessage"})
    assert invented == [], f"classes named by the generator, not by the bundle: {invented[:20]}"


def test_datamodel_code_generator_reads_the_discriminators(datamodel: ModuleType) -> None:
    assert "discriminator='type'" in datamodel.__dict__["__source__"]
    notification: Any = datamodel.ServerMessage.model_validate(
        {"method": "item/started", "params": {"threadId": "t", "turnId": "u", "item": {"type": "agentMessage", "id": "i", "text": "hi"}}}
    )
    item = notification.root.root.params.item.root
    assert type(item).__name__ == "ThreadItemAgentMessage"


def test_fixtures_validate_against_the_datamodel_code_generator_models(datamodel: ModuleType) -> None:
    roots: dict[str, type[BaseModel]] = {"client": datamodel.ClientMessage, "server": datamodel.ServerMessage}
    checked = 0
    for _, lines in wire_files():
        for line in lines:
            try:
                roots[line.sender].model_validate(line.canonical)
            except ValidationError as err:
                pytest.fail(f"{line.at}: {err}")
            checked += 1
    assert checked >= 400
    for bad in [
        {"id": 13, "method": "thread/archive", "params": {"threadId": 42}},
        {"id": 9, "method": "turn/start", "params": {"threadId": "t", "input": [{"type": "video"}]}},
    ]:
        with pytest.raises(ValidationError):
            roots["client"].model_validate(bad)


def test_quicktype_go_has_no_numbered_names() -> None:
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        output = Path(folder) / "appserver.go"
        _run([str(QUICKTYPE), "--src-lang", "schema", "--lang", "go", "--package", "appserver", "--top-level", "AppServerMessage", "-o", str(output), str(BUNDLE)])
        text = output.read_text(encoding="utf-8")
    # No Go toolchain is installed here: the source is checked as text, not compiled.
    assert text.startswith("// Code generated from JSON Schema using quicktype. DO NOT EDIT.") or "package appserver" in text
    types = set(re.findall(r"^type (\w+) ", text, flags=re.MULTILINE))
    assert "AppServerMessage" in types and len(types) > 50
    assert _numbered(types) == []


def test_quicktype_javascript_validates_the_fixtures() -> None:
    with tempfile.TemporaryDirectory(dir=HERE, prefix=".out-") as folder:
        output = Path(folder) / "app-server.js"
        _run([str(QUICKTYPE), "--src-lang", "schema", "--lang", "javascript", "--top-level", "AppServerMessage", "-o", str(output), str(BUNDLE)])
        done = _run(["node", str(HERE / "quicktype" / "check-fixtures.js"), str(output), str(ROOT)])
    report = json.loads(done.stdout)
    assert report["bad"] == 0, report["first"]
    assert report["ok"] >= 400
    assert report["refused"] == 2
