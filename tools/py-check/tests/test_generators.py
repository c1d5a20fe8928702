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
        done = _run([tool, "--input", str(BUNDLE), "--input-file-type", "jsonschema", "--output", str(output)])
        text = output.read_text(encoding="utf-8")
        spec = importlib.util.spec_from_file_location("generated_models", output)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["generated_models"] = module
        spec.loader.exec_module(module)
    module.__dict__["__source__"] = text
    module.__dict__["__stderr__"] = done.stderr
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
    item = notification.root.root.params.item.root.root  # ThreadItem (open) → KnownThreadItem → variant
    assert type(item).__name__ == "ThreadItemAgentMessage"


def test_datamodel_code_generator_runs_without_format_warnings(datamodel: ModuleType) -> None:
    stderr: str = datamodel.__dict__["__stderr__"]
    assert "not understood" not in stderr and "UserWarning" not in stderr, stderr


def test_open_enums_and_unions_stay_open_in_generated_models(datamodel: ModuleType) -> None:
    newer = {"type": "enteredReviewMode", "id": "i", "review": "x"}
    notification: Any = datamodel.ServerMessage.model_validate({"method": "item/started", "params": {"threadId": "t", "turnId": "u", "item": newer}})
    item = notification.root.root.params.item.root
    assert type(item).__name__ == "UnknownThreadItem"
    assert datamodel.PlanType.model_validate("platinum").root == "platinum"
    assert "x-open-enum" not in json.dumps(json.loads(BUNDLE.read_text())["$defs"]["KnownPlanType"])


SAMPLES = HERE / "samples" / "0.66.0.jsonl"
TRANSCRIPTS = ROOT / "target" / "interop" / "transcripts" / "0.66.0"


def _real_lines() -> list[dict[str, Any]]:
    """The committed sample of real 0.66.0 lines, and every line of the interop transcripts
    when `cargo xtask interop` wrote them (see samples/extract.py)."""
    entries = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    sys.path.insert(0, str(SAMPLES.parent))
    try:
        from extract import entries as transcript_entries  # type: ignore[import-not-found]  # pyright: ignore[reportMissingImports, reportUnknownVariableType]
    finally:
        sys.path.remove(str(SAMPLES.parent))
    for transcript in sorted(TRANSCRIPTS.glob("*.jsonl")):
        entries.extend(transcript_entries(transcript))  # pyright: ignore[reportUnknownArgumentType]
    return entries


def _response_model(datamodel: ModuleType, sender: str, method: str) -> type[BaseModel]:
    """`ServerResponseThreadStart`: the response definition of the answered method."""
    from app_server_protocol import methods

    table = methods.CLIENT_REQUESTS if sender == "server" else methods.SERVER_REQUESTS
    spec = next(s for s in table.values() if s.answers_to(method))
    model: type[BaseModel] = getattr(datamodel, f"{sender.capitalize()}Response{spec.variant}")
    return model


def test_real_0_66_lines_validate_and_each_result_is_typed_by_its_method(datamodel: ModuleType) -> None:
    roots: dict[str, type[BaseModel]] = {"client": datamodel.ClientMessage, "server": datamodel.ServerMessage}
    lines = _real_lines()
    assert len(lines) >= 60
    checked = typed = 0
    for entry in lines:
        sender, message, answered = entry["from"], entry["message"], entry["answers"]
        if entry.get("accepted") is False or (sender == "client" and "id" in message and "method" in message and not entry.get("accepted")):
            continue  # a request the release refused (the interop sessions send some on purpose)
        try:
            roots[sender].model_validate(message)
            if answered is not None and "result" in message:
                _response_model(datamodel, sender, answered).model_validate(message)
                typed += 1
        except ValidationError as err:
            pytest.fail(f"a real 0.66.0 line does not validate: {json.dumps(message)[:300]}\n{err}")
        checked += 1
    approvals = [e for e in lines if str(e["message"].get("method", "")).endswith("requestApproval")]
    assert approvals and any("command" not in e["message"]["params"] for e in approvals), "the sample keeps an approval without `command`"
    assert checked >= 60 and typed >= 10


def test_a_result_of_one_method_does_not_validate_as_anothers(datamodel: ModuleType) -> None:
    """Each real result against every other method's response definition whose result type
    requires a member the result lacks: refused. No union of result types lets one absorb
    another's data; what one result has of every member another requires validates as both
    (members a receiver does not know are ignored, as the Rust decoder ignores them)."""
    answers = [e for e in _real_lines() if e["answers"] is not None and "result" in e["message"] and e["from"] == "server"]
    from app_server_protocol import methods

    refused = 0
    for entry in answers:
        own = _response_model(datamodel, "server", entry["answers"])
        for spec in methods.CLIENT_REQUESTS.values():
            other = _response_model(datamodel, "server", spec.wire_name)
            result_type = other.model_fields["result"].annotation
            if other is own or not (isinstance(result_type, type) and issubclass(result_type, BaseModel)):
                continue
            required = {f.alias or name for name, f in result_type.model_fields.items() if f.is_required()}
            if required <= set(entry["message"]["result"]):
                continue  # it has every member the other requires (`initialize` and `getUserAgent`)
            try:
                other.model_validate(entry["message"])
            except ValidationError:
                refused += 1
                continue
            pytest.fail(f"the result of `{entry['answers']}` validates as `{spec.wire_name}`'s: {json.dumps(entry['message'])[:300]}")
    assert refused > 100


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
