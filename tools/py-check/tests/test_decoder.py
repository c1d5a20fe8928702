"""The decoder's and encoder's contract beyond the fixtures: pending requests, ids, encoding
of built models, the method maps, and bad input that never escapes as anything but a
``DecodeError``."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from app_server_protocol import (
    DecodeError,
    ErrorResponse,
    ExtensionResult,
    PendingRequests,
    Request,
    Response,
    decode_client_message,
    decode_server_message,
    encode_message,
    methods,
    v2,
)
from corpus import ROOT, wire_files


def test_readme_example_decodes_and_encodes_byte_for_byte() -> None:
    line = '{"id":7,"method":"thread/archive","params":{"threadId":"thr_01"}}'
    message = decode_client_message(line, PendingRequests())
    assert isinstance(message, Request)
    assert isinstance(message.params, v2.ThreadArchiveParams)
    assert message.params.thread_id == "thr_01"
    assert encode_message(message) == line
    reply = Response(message.id, message.method, v2.ThreadArchiveResponse())
    assert encode_message(reply) == '{"id":7,"result":{}}'


def test_bad_params_name_the_member_and_keep_the_id() -> None:
    with pytest.raises(DecodeError) as caught:
        decode_client_message('{"id":8,"method":"thread/archive","params":{"threadId":42}}', PendingRequests())
    assert (caught.value.code, caught.value.path, caught.value.id) == (-32602, "params.threadId", 8)
    assert "string" in caught.value.message
    answer = caught.value.to_error_response()
    assert answer is not None
    line = encode_message(answer)
    assert line == ('{"id":8,"error":{"code":-32602,"message":"expected a string, found 42 at `params.threadId`","data":{"path":"params.threadId","expected":"a string"}}}')


def test_only_requests_whose_id_could_be_read_are_answered() -> None:
    for line, sender in [
        ('{"id":true,"method":"account/logout"}', "client"),  # no id to answer
        ('{"method":"turn/completed","params":{}}', "server"),  # a notification
        ('{"id":4,"result":["canceled"]}', "server"),  # an answer
    ]:
        pending = PendingRequests()
        pending.register(4, "account/login/cancel")
        decode = decode_client_message if sender == "client" else decode_server_message
        with pytest.raises(DecodeError) as caught:
            decode(line, pending)
        assert caught.value.to_error_response() is None, line
    with pytest.raises(DecodeError) as caught:
        decode_client_message('{"id":6,"method":123}', PendingRequests())
    answer = caught.value.to_error_response()
    assert answer is not None and answer.id == 6 and answer.error.code == -32600


def test_an_answer_takes_its_request_out_of_the_pending_table() -> None:
    pending = PendingRequests()
    pending.register(3, "thread/archive")
    pending.register("3", "model/list")
    answer = decode_server_message('{"id":3,"result":{}}', pending)
    assert isinstance(answer, Response) and isinstance(answer.result, v2.ThreadArchiveResponse)
    assert len(pending) == 1  # the string id "3" is another request
    with pytest.raises(DecodeError) as caught:
        decode_server_message('{"id":3,"result":{}}', pending)
    assert (caught.value.code, caught.value.path) == (-32600, "id")


def test_a_deprecated_alias_reads_as_its_method() -> None:
    message = decode_client_message('{"id":1,"method":"mcpServers/list","params":{}}', PendingRequests())
    assert isinstance(message, Request) and message.method == "mcpServerStatus/list"
    assert encode_message(message) == '{"id":1,"method":"mcpServerStatus/list","params":{}}'


def test_built_outputs_write_every_member_with_nulls() -> None:
    params = v2.CommandExecutionRequestApprovalParams(threadId="thr_1", turnId="turn_1", itemId="item_1")
    assert params.to_wire() == {
        "threadId": "thr_1",
        "turnId": "turn_1",
        "itemId": "item_1",
        "reason": None,
        "risk": None,
        "command": None,
        "cwd": None,
        "proposedExecpolicyAmendment": None,
    }


def _openrpc_methods() -> dict[str, dict[str, Any]]:
    document = json.loads((ROOT / "generated" / "openrpc.json").read_text(encoding="utf-8"))
    return {method["name"]: method for method in document["methods"]}


def test_method_maps_cover_the_method_table() -> None:
    tables = [methods.CLIENT_REQUESTS, methods.SERVER_REQUESTS, methods.SERVER_NOTIFICATIONS, methods.CLIENT_NOTIFICATIONS]
    # Keyed by the name documents show: a method family by its pattern (`codex/event/{type}`).
    every = {spec.display_name: spec for table in tables for spec in table.values()}
    assert len(every) == sum(len(table) for table in tables), "a method in two maps"
    openrpc = _openrpc_methods()
    # OpenRPC lists every method of the table once, with its sender, kind, aliases and
    # deprecation: the Python maps agree on each.
    assert sorted(openrpc) == sorted(every)
    for name, method in openrpc.items():
        spec = every[name]
        sender = "client" if method["x-direction"] == "clientToServer" else "server"
        assert (spec.sender, spec.kind) == (sender, method["x-kind"]), name
        assert (spec.deprecated is not None) == ("x-deprecation-note" in method), name
        assert list(spec.aliases) == method.get("x-deprecated-aliases", []), name
        assert spec.doc and spec.doc.split()[0] in method["description"], name
    for spec in every.values():
        if spec.kind == "request":
            assert spec.result is not None, f"{spec.wire_name} has no result model"
        assert spec.params_adapter is not None or spec.params is None


def _mutations(value: Any, rng: random.Random) -> Any:
    """A copy of ``value`` with one member or item replaced by a value of another kind."""
    if isinstance(value, dict) and value:
        members: dict[str, Any] = dict(value)  # pyright: ignore[reportUnknownArgumentType]
        key = rng.choice(sorted(members))
        members[key] = _mutations(members[key], rng) if rng.random() < 0.6 else rng.choice([None, 1.5, -1, "x", [], {}, True])
        return members
    if isinstance(value, list) and value:
        items: list[Any] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        index = rng.randrange(len(items))
        items[index] = _mutations(items[index], rng)
        return items
    return rng.choice([None, 2**70, "", [1], {"type": "?"}, False])


def test_mutated_fixtures_decode_or_fail_with_a_decode_error_only() -> None:
    rng = random.Random(18)
    checked = 0
    for _, lines in wire_files():
        for line in lines:
            for _ in range(4):
                pending = PendingRequests()
                if "id" in line.message and "method" not in line.message:
                    continue  # answers need their request pending; the fixtures test them
                text = json.dumps(_mutations(line.message, rng))
                decode = decode_client_message if line.sender == "client" else decode_server_message
                try:
                    decode(text, pending)
                except DecodeError as err:
                    assert err.code in (-32700, -32600, -32601, -32602, -32603)
                    assert err.message
                checked += 1
    assert checked > 500


def test_the_readme_python_examples_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Python\n")
    section = readme[start : readme.index("\n## ", start)]
    blocks = [block.split("```\n")[0] for block in section.split("```python\n")[1:]]
    assert len(blocks) == 2 and "decode_client_message" in blocks[0] and "notification_method" in blocks[1]
    for number, code in enumerate(blocks, start=1):
        exec(compile(code, f"README.md (Python example {number})", "exec"), {})


def test_the_pending_table_names_request_methods_only() -> None:
    pending = PendingRequests()
    with pytest.raises(ValueError, match="not a request method"):
        pending.register(1, "turn/completed")
    pending.register(2, "mcpServers/list")  # a deprecated alias is its method
    answer = decode_server_message('{"id":2,"result":{"data":[],"nextCursor":null}}', pending)
    assert isinstance(answer, Response) and answer.method == "mcpServerStatus/list"
    pending.register(3, "item/commandExecution/requestApproval")  # the server's, in a client's table
    with pytest.raises(ValueError, match="not sent client → server"):
        decode_server_message('{"id":3,"result":{}}', pending)


def test_an_answer_to_a_method_outside_the_table_is_matched() -> None:
    pending = PendingRequests()
    pending.register(4, "acme/ping")
    pending.register(5, "acme/ping")
    error = decode_server_message('{"id":4,"error":{"code":-32601,"message":"no such method"}}', pending)
    assert isinstance(error, ErrorResponse) and error.id == 4 and error.error.code == -32601
    result = decode_server_message('{"id":5,"result":{"pong":[1,2]}}', pending)
    assert isinstance(result, Response) and result.method == "acme/ping"
    assert isinstance(result.result, ExtensionResult) and result.result.to_wire() == {"pong": [1, 2]}
    assert len(pending) == 0


def test_an_answer_that_breaks_the_contract_names_its_request() -> None:
    pending = PendingRequests()
    pending.register(6, "thread/start")
    with pytest.raises(DecodeError) as caught:
        decode_server_message('{"id":6,"result":{"thread":{"id":7}}}', pending)
    err = caught.value
    assert (err.answered_id, err.method, err.code) == (6, "thread/start", -32603)
    assert err.to_error_response() is None  # an answer is never answered


def test_errors_speak_json_and_say_what_was_expected() -> None:
    with pytest.raises(DecodeError) as caught:
        decode_client_message('{"id":1,"method":"thread/archive","params":{}}', PendingRequests())
    err = caught.value
    assert (err.message, err.path, err.expected) == ("missing required member `threadId`", "params.threadId", "a value: the member is required")
    assert err.data == {"path": "params.threadId", "expected": "a value: the member is required"}
    with pytest.raises(DecodeError) as caught:
        decode_server_message('{"id":1,"method":"item/commandExecution/requestApproval","params":{"threadId":"t","turnId":"u","itemId":"i","reason":5}}', PendingRequests())
    assert caught.value.message == "expected a string, found 5" and caught.value.expected == "a string"
    assert "Input should" not in str(caught.value) and "Field required" not in str(caught.value)


def test_open_types_keep_what_a_newer_server_sends_and_write_it_back_unchanged() -> None:
    newer = {"type": "enteredReviewMode", "id": "item_9", "review": {"deep": [1, {"x": None}]}}
    line = json.dumps({"method": "item/started", "params": {"item": newer, "threadId": "t", "turnId": "u"}})
    message = decode_server_message(line, PendingRequests())
    assert isinstance(message.params, v2.ItemStartedNotification)
    item = message.params.item
    assert isinstance(item, v2.UnknownThreadItem)
    assert (item.type, item.members) == ("enteredReviewMode", newer)
    assert json.loads(encode_message(message))["params"]["item"] == newer
    match item:
        case v2.ThreadItemAgentMessage():
            raise AssertionError("a known variant")
        case v2.UnknownThreadItem(type=kind):
            assert kind == "enteredReviewMode"
    # A known tag is still held to its variant; a tag that is no string is refused at the tag.
    for bad, path in [({"type": "agentMessage", "id": "i"}, "params.item.text"), ({"type": 7, "id": "i"}, "params.item.type")]:
        with pytest.raises(DecodeError) as caught:
            decode_server_message(json.dumps({"method": "item/started", "params": {"item": bad, "threadId": "t", "turnId": "u"}}), PendingRequests())
        assert (caught.value.code, caught.value.path) == (-32602, path)
    # An open enum keeps the string; the older ones read it as their fallback, as in Rust.
    assessment = v2.SandboxCommandAssessment.model_validate({"description": "d", "riskLevel": "catastrophic"})
    assert assessment.risk_level == "catastrophic" and assessment.to_wire()["riskLevel"] == "catastrophic"
    with pytest.raises(ValueError):
        v2.SandboxCommandAssessment.model_validate({"description": "d", "riskLevel": 3})
    account = v2.AccountChatgpt.model_validate({"type": "chatgpt", "email": "a@b.c", "planType": "galaxy"})
    assert account.plan_type == "unknown"
    # Built by hand, an unknown variant is written as given.
    built = v2.UnknownCommandAction(members={"type": "teleport", "to": "mars"})
    assert built.to_wire() == {"type": "teleport", "to": "mars"}
