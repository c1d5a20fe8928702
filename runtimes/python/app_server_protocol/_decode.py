"""Decoding one line into a typed message, and encoding messages back: the contract of the
Rust decoder (``decode_client_message`` / ``decode_server_message``), with the same JSON-RPC
codes and JSON paths."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from pydantic import ValidationError

from ._locate import document_order, json_path
from ._nesting import MAX_NESTING, cut_too_deep, is_marker, misfit_path
from ._parse import Duplicate, integer, object_pairs, parse_plain, reject_constant
from ._spec import MethodSpec
from ._wire import ExtensionResult, JsonValue, WireModel
from ._wording import explain
from .methods import (
    CLIENT_NOTIFICATIONS,
    CLIENT_REQUESTS,
    SERVER_NOTIFICATIONS,
    SERVER_REQUESTS,
)

__all__ = [
    "DecodeError",
    "ErrorResponse",
    "JsonRpcError",
    "Message",
    "Notification",
    "PendingRequests",
    "Request",
    "RequestId",
    "Response",
    "UnknownNotification",
    "decode_client_message",
    "decode_server_message",
    "encode_message",
]

RequestId: TypeAlias = int | str
"""A request id: a string or a 64-bit integer."""

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

_I64 = (-(2**63), 2**63 - 1)


class DecodeError(Exception):
    """A line that does not decode: the JSON-RPC code, the JSON path of the member at fault
    (``None`` when the message as a whole is), what went wrong in JSON's words, what was expected
    there (when the error says), the id when it could be read — of the request to answer, or of
    the answer, so that its caller learns its answer broke the contract — and the method when it
    could be read."""

    def __init__(
        self,
        code: int,
        message: str,
        path: str | None = None,
        id: RequestId | None = None,
        expected: str | None = None,
    ) -> None:
        self.code = code
        self.path = path
        self.message = message
        self.id = id
        self.expected = expected
        """What was expected at ``path`` (``"a string"``, ``"one of \"accept\", \"decline\""``), when
        the error says; sent in ``error.data.expected``."""
        self.method: str | None = None
        """The request's or notification's ``method`` as written, or for an answer the method of
        the request it answers; ``None`` when it could not be read."""
        self.notification = False
        """Whether the line is a notification: a ``method`` and no ``id`` member."""
        self.request = True
        """Whether the line is a request (it has a ``method``, or neither ``result`` nor
        ``error``): only a request is answered."""
        where = f" at `{path}`" if path is not None and f"`{path}`" not in message else ""
        super().__init__(f"{code}: {message}{where}")

    @property
    def notification_method(self) -> str | None:
        """The method of a refused notification whose method could be read, else ``None`` (the
        Rust ``DecodeError::notification_method``). A client hands it on as an invalid
        notification: a loop waiting for ``turn/completed`` learns that one came."""
        return self.method if self.notification else None

    @property
    def answered_id(self) -> RequestId | None:
        """For an answer (``result`` or ``error``) that does not decode, the id of the request it
        answers, when it could be read: its caller gets this error instead of waiting forever."""
        return None if self.request else self.id

    @property
    def data(self) -> dict[str, JsonValue] | None:
        """The structured detail for ``error.data``: ``path`` and ``expected`` (each when
        known), ``None`` when neither is."""
        data: dict[str, JsonValue] = {}
        if self.path is not None:
            data["path"] = self.path
        if self.expected is not None:
            data["expected"] = self.expected
        return data or None

    def to_error_response(self) -> ErrorResponse | None:
        """The answer to the request that failed to decode, when its ``id`` could be read
        (``None`` otherwise, and for answers and notifications, which are never answered):
        the code, the message naming the path, and ``data`` (``path``, ``expected``)."""
        if self.id is None or not self.request:
            return None
        where = f" at `{self.path}`" if self.path is not None and f"`{self.path}`" not in self.message else ""
        error = JsonRpcError(code=self.code, message=f"{self.message}{where}", data=self.data)
        return ErrorResponse(self.id, error)


class JsonRpcError(WireModel):
    """The ``error`` member of an error response."""

    __wire_omit__ = {"data": (None,)}
    code: int
    """The JSON-RPC error code, e.g. -32602 for invalid params."""
    message: str
    """A human-readable description of the error."""
    data: JsonValue = None
    """Structured detail defined by the method; omitted when there is none."""


@dataclass(frozen=True)
class Request:
    """A request: answer it with a ``Response`` (or an ``ErrorResponse``) with the same id."""

    id: RequestId
    method: str
    """The canonical wire name (a deprecated alias is read as its method)."""
    params: WireModel | None


@dataclass(frozen=True)
class Notification:
    """A notification: never answered."""

    method: str
    params: WireModel | None


@dataclass(frozen=True)
class UnknownNotification:
    """A notification whose method no table of this package knows — a newer server's (adding a
    notification is a change the compatibility rules call safe): its method and its params as
    they came. Only a client keeps them (``decode_server_message``); a server refuses a client's
    unknown notification (-32601). Encoded again, it is the same JSON value."""

    method: str
    """The method as it came, e.g. ``"thread/tokenUsage/updated"``."""
    params: dict[str, JsonValue] | None
    """The params as they came, ``None`` when the line had none (or ``null``)."""


@dataclass(frozen=True)
class Response:
    """The successful answer to a request; ``method`` is the answered request's."""

    id: RequestId
    method: str
    result: WireModel


@dataclass(frozen=True)
class ErrorResponse:
    """The failed answer to a request."""

    id: RequestId
    error: JsonRpcError


Message: TypeAlias = Request | Notification | UnknownNotification | Response | ErrorResponse
"""Any message of either direction."""


class PendingRequests:
    """The requests this side sent and that wait for an answer: id → method. An answer takes
    its entry out; an answer to no pending request is a decode error."""

    def __init__(self) -> None:
        self._waiting: dict[tuple[str, RequestId], str] = {}

    @staticmethod
    def _key(id: RequestId) -> tuple[str, RequestId]:
        return ("s", id) if isinstance(id, str) else ("i", id)

    def register(self, id: RequestId, method: str) -> None:
        """Records a request sent with ``id`` for ``method`` (its wire name, a deprecated alias,
        or the name of a method outside the table — an extension's, whose result is read as an
        ``ExtensionResult`` and whose error answer is matched as any other). A notification's
        name is a ``ValueError``: nothing answers it."""
        spec = _ANY_REQUEST.get(method)
        if spec is None and method in _ANY_NOTIFICATION:
            raise ValueError(f"`{method}` is not a request method of the protocol: it is a notification")
        self._waiting[self._key(id)] = method if spec is None else spec.wire_name

    def answer(self, id: RequestId) -> str | None:
        """Takes the entry of ``id`` out; the method it was for, or ``None``."""
        return self._waiting.pop(self._key(id), None)

    def __len__(self) -> int:
        return len(self._waiting)


@dataclass(frozen=True)
class _Direction:
    name: str
    requests: dict[str, MethodSpec]
    notifications: dict[str, MethodSpec]
    families: tuple[MethodSpec, ...]
    """The method families this side sends (``MethodSpec.family``), in table order."""
    keeps_unknown_notifications: bool
    """Whether the receiver keeps a notification no table knows (a client) or refuses it."""
    answered: dict[str, MethodSpec]

    def find(self, name: str, request: bool) -> MethodSpec | None:
        """The method ``name`` names, as the Rust table looks it up: a wire name or alias, else
        a name of a method family."""
        spec = (self.requests if request else self.notifications).get(name)
        if spec is not None:
            return spec
        kind = "request" if request else "notification"
        return next((f for f in self.families if f.kind == kind and f.answers_to(name)), None)

    def sends(self, name: str) -> bool:
        """Whether this side sends ``name`` (as a request or a notification)."""
        return self.find(name, True) is not None or self.find(name, False) is not None


def _lookup(table: dict[str, MethodSpec]) -> dict[str, MethodSpec]:
    names: dict[str, MethodSpec] = {}
    for spec in table.values():
        if spec.family is not None:
            continue  # a family's prefix names no method; see `_Direction.find`
        names[spec.wire_name] = spec
        for alias in spec.aliases:
            names[alias] = spec
    return names


def _families(*tables: dict[str, MethodSpec]) -> tuple[MethodSpec, ...]:
    return tuple(spec for table in tables for spec in table.values() if spec.family is not None)


_CLIENT = _Direction(
    "client → server",
    _lookup(CLIENT_REQUESTS),
    _lookup(CLIENT_NOTIFICATIONS),
    _families(CLIENT_REQUESTS, CLIENT_NOTIFICATIONS),
    False,
    SERVER_REQUESTS,
)
_SERVER = _Direction(
    "server → client",
    _lookup(SERVER_REQUESTS),
    _lookup(SERVER_NOTIFICATIONS),
    _families(SERVER_REQUESTS, SERVER_NOTIFICATIONS),
    True,
    CLIENT_REQUESTS,
)


_ANY_REQUEST = {**_lookup(CLIENT_REQUESTS), **_lookup(SERVER_REQUESTS)}
_ANY_NOTIFICATION = frozenset({**_lookup(CLIENT_NOTIFICATIONS), **_lookup(SERVER_NOTIFICATIONS)})


def _other_side(side: _Direction) -> _Direction:
    return _SERVER if side is _CLIENT else _CLIENT


def _other(side: _Direction) -> str:
    return _other_side(side).name


def decode_client_message(line: str, pending: PendingRequests) -> Message:
    """Decodes one line a client sent, as the server receives it. ``pending`` holds the
    requests the server sent (approvals); an answer takes its entry out."""
    return _decode(line, pending, _CLIENT)


def decode_server_message(line: str, pending: PendingRequests) -> Message:
    """Decodes one line the server sent, as a client receives it. ``pending`` holds the
    requests the client sent; an answer takes its entry out."""
    return _decode(line, pending, _SERVER)


def _parse(line: str) -> Any:
    try:
        return json.loads(
            cut_too_deep(line), parse_constant=reject_constant, parse_int=integer, object_pairs_hook=object_pairs
        )
    except (ValueError, RecursionError) as err:
        raise DecodeError(PARSE_ERROR, f"not JSON: {err}") from None


def _hot_notification(envelope: Any, side: _Direction) -> Notification | None:
    """The shortest path, for the bulk of a session's lines (deltas): a plainly parsed
    ``{"method": …, "params": {…}}`` of a notification the table names, whose params validate.
    ``None`` for anything else, which the full path decodes (and reports, if it must)."""
    if not isinstance(envelope, dict) or len(cast(dict[str, Any], envelope)) != 2:
        return None
    members = cast(dict[str, Any], envelope)
    method: Any = members.get("method")
    params: Any = members.get("params")
    spec = side.notifications.get(method) if isinstance(method, str) else None
    if spec is None or spec.family is not None or spec.params_adapter is None or not isinstance(params, dict):
        return None
    try:
        return Notification(spec.wire_name, spec.params_adapter.validate_python(params))
    except ValidationError:
        return None


def _decode(line: str, pending: PendingRequests, side: _Direction) -> Message:
    envelope = parse_plain(line)
    # On the fast path no value is cut or a lone surrogate: nothing for `misfit_path` to find.
    plain = envelope is not None
    if plain:
        hot = _hot_notification(envelope, side)
        if hot is not None:
            return hot
    else:
        envelope = _parse(line)
    if not isinstance(envelope, dict):
        kind = "a top-level array (batches are not supported)" if isinstance(envelope, list) else "not an object"
        raise DecodeError(INVALID_REQUEST, f"not a JSON-RPC message: {kind}; expected an object")
    members = cast(dict[str, Any], envelope)
    for key, value in members.items():
        if isinstance(value, Duplicate):
            raise DecodeError(INVALID_REQUEST, f"duplicate member `{key}`: each member of a message may appear once", key)
    id = _read_id(members)
    request = "method" in members or ("result" not in members and "error" not in members)
    try:
        _check_version(members)
        if "method" in members:
            return _decode_call(members, id, side, line, plain)
        return _decode_answer(members, id, pending, side, plain)
    except DecodeError as err:
        if err.id is None:
            err.id = id
        err.request = request
        # A refused notification keeps its method (`notification_method`).
        err.notification = "method" in members and "id" not in members
        raise


def _read_id(members: dict[str, Any]) -> RequestId | None:
    if "id" not in members:
        return None
    value = members["id"]
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and _I64[0] <= value <= _I64[1]:
        return value
    raise DecodeError(INVALID_REQUEST, f"`id` must be a string or a 64-bit integer, found {json.dumps(value)}", "id")


def _check_version(members: dict[str, Any]) -> None:
    if "jsonrpc" in members and members["jsonrpc"] != "2.0":
        raise DecodeError(INVALID_REQUEST, "`jsonrpc` must be \"2.0\" when present", "jsonrpc")


def _decode_call(members: dict[str, Any], id: RequestId | None, side: _Direction, line: str, plain: bool) -> Message:
    method = members["method"]
    if not isinstance(method, str):
        raise DecodeError(INVALID_REQUEST, "`method` must be a string", "method")
    try:
        return _decode_named_call(members, method, id, side, line, plain)
    except DecodeError as err:
        err.method = method
        raise


def _decode_named_call(
    members: dict[str, Any], method: str, id: RequestId | None, side: _Direction, line: str, plain: bool
) -> Message:
    for member in ("result", "error"):
        if member in members:
            raise DecodeError(INVALID_REQUEST, f"a message with `method` cannot also carry `{member}`", member)
    params: Any = members.get("params")
    if params is not None and not isinstance(params, dict):
        raise DecodeError(INVALID_PARAMS, "`params` must be an object (params are passed by name)", "params")
    params = cast(dict[str, Any] | None, params)
    spec = side.find(method, id is not None)
    if spec is None:
        elsewhere = _other_side(side).sends(method)
        # A newer peer's notification is kept, not refused, by a receiver that keeps them.
        if id is None and not elsewhere and side.keeps_unknown_notifications:
            return UnknownNotification(method, None if params is None else _unknown_params(line))
        if elsewhere:
            why = f"`{method}` is sent by the other side; it cannot be sent {side.name}"
        else:
            why = f"unknown {'request' if id is not None else 'notification'} method `{method}`"
        raise DecodeError(METHOD_NOT_FOUND, why, "method")
    typed = _payload(spec.params_adapter, params, "params", INVALID_PARAMS, plain)
    # A name of a method family is its prefix and the value its params name there.
    name = method if spec.family is not None else spec.wire_name
    if spec.family is not None:
        _check_family_name(spec, method, params or {})
    if id is not None:
        return Request(id, name, typed)
    return Notification(name, typed)


def _check_family_name(spec: MethodSpec, method: str, params: dict[str, Any]) -> None:
    """The Rust decoder's ``check_wire_name``: ``codex/event/task_started`` carries
    ``msg.type: "task_started"``; otherwise -32602 at the member."""
    assert spec.family is not None
    suffix = method[len(spec.wire_name) :]
    found: Any = params
    for step in spec.family.split("."):
        found = cast(dict[str, Any], found).get(step) if isinstance(found, dict) else None
    if found != suffix:
        path = f"params.{spec.family}"
        raise DecodeError(INVALID_PARAMS, f'expected "{suffix}" (the method\'s last segment), found {json.dumps(found)}', path)


def _unknown_params(line: str) -> dict[str, JsonValue]:
    """The params of a notification no table knows, as the Rust decoder keeps them: any JSON
    (a member written twice: the last), nested at most 127 levels deep (``params`` itself is
    one), no lone surrogate, no number out of range; else -32602 at ``params``."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        return dict(items)

    # serde_json reads the params on their own, 127 levels deep at most: one level below the
    # message, that is the message's own limit.
    text = cut_too_deep(line)
    params: Any = json.loads(text, parse_constant=reject_constant, parse_int=integer, object_pairs_hook=pairs)["params"]
    stack: list[Any] = [params]
    while stack:
        node = stack.pop()
        if is_marker(node):
            why = f"nested too deeply: more than {MAX_NESTING - 1} levels of arrays and objects below `params`"
        elif isinstance(node, float) and not math.isfinite(node):
            why = "number out of range"
        elif isinstance(node, str) and _LONE_SURROGATE.search(node):
            why = "lone surrogate in a string"
        elif isinstance(node, dict):
            members = cast(dict[str, Any], node)
            if any(_LONE_SURROGATE.search(key) for key in members):
                raise DecodeError(INVALID_PARAMS, "lone surrogate in a member name", "params")
            stack.extend(members.values())
            continue
        elif isinstance(node, list):
            stack.extend(cast(list[Any], node))  # type: ignore[redundant-cast]  # pyright reads list[Unknown]
            continue
        else:
            continue
        raise DecodeError(INVALID_PARAMS, why, "params")
    return cast(dict[str, JsonValue], params)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _decode_answer(
    members: dict[str, Any], id: RequestId | None, pending: PendingRequests, side: _Direction, plain: bool
) -> Message:
    if "result" in members and "error" in members:
        raise DecodeError(INVALID_REQUEST, "a response cannot carry both `result` and `error`")
    if "result" not in members and "error" not in members:
        raise DecodeError(INVALID_REQUEST, "not a message: expected `method`, `result` or `error`")
    member = "result" if "result" in members else "error"
    if id is None:
        raise DecodeError(INVALID_REQUEST, f"an answer must carry the `id` of the request it answers", "id")
    method = pending.answer(id)
    if method is None:
        raise DecodeError(INVALID_REQUEST, f"this answers no pending request: no request with id {id!r} is waiting", "id")
    try:
        return _decode_known_answer(members, member, id, method, side, plain)
    except DecodeError as err:
        err.method = method  # a refused answer names the method it answers
        raise


def _decode_known_answer(
    members: dict[str, Any], member: str, id: RequestId, method: str, side: _Direction, plain: bool
) -> Message:
    raw: Any = members[member]
    if not isinstance(raw, dict):
        raise DecodeError(INTERNAL_ERROR, f"`{member}` must be an object", member)
    raw = cast(dict[str, Any], raw)
    if member == "error":
        error = _validate(JsonRpcError.model_validate, raw, "error", INTERNAL_ERROR, plain)
        return ErrorResponse(id, error)
    spec = side.answered.get(method)
    if spec is None and method not in _ANY_REQUEST:
        # A request outside the table (an extension method): its result as it came.
        return Response(id, method, _validate(ExtensionResult.model_validate, raw, "result", INTERNAL_ERROR, plain))
    if spec is None:
        raise ValueError(
            f"the pending request {id!r} is `{method}`, which is not sent {_other(side)}: "
            "register a side's own requests in the table given to the decoder of the other side's lines"
        )
    result = _payload(spec.result_adapter, raw, "result", INTERNAL_ERROR, plain)
    assert result is not None
    return Response(id, spec.wire_name, result)


def _payload(adapter: Any, raw: dict[str, Any] | None, member: str, code: int, plain: bool) -> Any:
    if adapter is None:
        return None
    return _validate(adapter.validate_python, {} if raw is None else raw, member, code, plain)


def _validate(validate: Any, raw: dict[str, Any], member: str, code: int, plain: bool) -> Any:
    try:
        value = validate(raw)
    except ValidationError as err:
        first = min(err.errors(), key=lambda e: document_order(raw, e))
        path = json_path(member, raw, first)
        message, expected = explain(first)
        raise DecodeError(code, message, path, expected=expected) from None
    if plain:
        return value
    # What was read, by wire names, before any encoding: a cut container in free JSON, a
    # string that is no Unicode text.
    read: Any = value.model_dump(mode="python", by_alias=True) if isinstance(value, WireModel) else None
    misfit = misfit_path(read)
    if misfit is not None:
        path = f"{member}{misfit[0]}"
        raise DecodeError(code, misfit[1], path)
    return value


def encode_message(message: Message) -> str:
    """The canonical wire JSON of a message, as one line (no trailing newline), as the Rust
    encoder writes it: no ``jsonrpc`` member, the canonical method name, params left out only
    for methods without params."""
    return json.dumps(message_value(message), ensure_ascii=False, separators=(",", ":"))


def message_value(message: Message) -> dict[str, JsonValue]:
    """The canonical wire JSON value of a message (see ``encode_message``)."""
    if isinstance(message, Request):
        value: dict[str, JsonValue] = {"id": message.id, "method": message.method}
        if message.params is not None:
            value["params"] = message.params.to_wire()
        return value
    if isinstance(message, Notification):
        value = {"method": message.method}
        if message.params is not None:
            value["params"] = message.params.to_wire()
        return value
    if isinstance(message, UnknownNotification):
        value = {"method": message.method}
        if message.params is not None:
            value["params"] = message.params
        return value
    if isinstance(message, Response):
        return {"id": message.id, "result": message.result.to_wire()}
    return {"id": message.id, "error": message.error.to_wire()}
