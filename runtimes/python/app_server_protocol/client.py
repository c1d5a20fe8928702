"""An asyncio client of the app server: requests typed per method, answers routed to their
callers, the server's requests (approvals) answered by typed handlers, and the notifications as
an async iterator — over a spawned server's stdio or any ``StreamReader``/``StreamWriter``
pair, one JSON message per line.

```python
async with await Client.spawn("codex", "app-server") as client:
    await client.request("initialize", types.InitializeParams(client_info=...))
    await client.notify("initialized")
    started = await client.request("thread/start", v2.ThreadStartParams(cwd="/work"))
    async for item in client.notifications():
        ...
```
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeAlias, cast

from ._calls import TypedCalls
from ._decode import (
    INTERNAL_ERROR,
    METHOD_NOT_FOUND,
    DecodeError,
    ErrorResponse,
    JsonRpcError,
    Notification,
    PendingRequests,
    Request,
    RequestId,
    Response,
    UnknownNotification,
    decode_server_message,
    encode_message,
)
from ._lines import LineReader, LineTooLong
from ._wire import JsonValue, WireModel
from .methods import CLIENT_NOTIFICATIONS, CLIENT_REQUESTS, SERVER_REQUESTS

__all__ = [
    "Client",
    "ClientError",
    "ConnectionClosed",
    "InvalidNotification",
    "NotificationItem",
    "RequestError",
    "RequestTimeout",
]

_LOG = logging.getLogger("app_server_protocol.client")

MAX_LINE_BYTES = 64 << 20
"""The default limit of one line the server sends (64 MiB); a longer one is skipped and
reported (``on_bad_line``)."""

EXIT_GRACE = 5.0
"""Seconds a spawned server may take to exit once its stdin is closed, before it is killed."""


class ClientError(Exception):
    """The base of the client's errors."""


class ConnectionClosed(ClientError):
    """The connection closed (the server exited, the stream ended, or ``close()``) before the
    call was answered; every waiting call gets it."""


class RequestTimeout(ClientError, TimeoutError):
    """No answer within the call's timeout; the request is forgotten (a late answer is
    reported as a bad line)."""

    def __init__(self, method: str, timeout: float) -> None:
        self.method = method
        """The method of the request."""
        self.timeout = timeout
        """The timeout, in seconds."""
        super().__init__(f"`{method}`: no answer within {timeout} s")


class RequestError(ClientError):
    """An error answer: raised by ``request`` when the server answers with an error, and raised
    by a request handler to answer the server with one."""

    def __init__(self, code: int, message: str, data: JsonValue = None) -> None:
        self.error = JsonRpcError(code=code, message=message, data=data)
        """The ``error`` member as it came (or goes)."""
        super().__init__(f"{code}: {message}")

    @property
    def code(self) -> int:
        """The JSON-RPC error code."""
        return self.error.code

    @property
    def message(self) -> str:
        """The error's message."""
        return self.error.message

    @property
    def data(self) -> JsonValue:
        """The error's structured detail (``None`` when there is none)."""
        return self.error.data


@dataclass(frozen=True)
class InvalidNotification:
    """A notification the server sent that breaks the contract: its method and why. It came: a
    loop waiting for ``turn/completed`` learns that the turn ended even when its params could
    not be decoded."""

    method: str
    """The method as it came."""
    error: DecodeError
    """Why it was refused (code, JSON path, expected)."""


NotificationItem: TypeAlias = Notification | UnknownNotification | InvalidNotification
"""What ``Client.notifications()`` yields: a typed notification, one no table knows (a newer
server's), or one that could not be decoded."""

_END = object()
"""Put on the notification queue when the connection closes."""


class Client(TypedCalls):
    """One connection to an app server. Build it with ``Client.spawn(...)`` (a server on
    stdio) or ``Client(reader, writer)`` (any stream pair) inside a running event loop; close
    it with ``close()`` or ``async with``."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        timeout: float | None = None,
        max_line_bytes: int = MAX_LINE_BYTES,
        on_bad_line: Callable[[str, Exception], None] | None = None,
        process: asyncio.subprocess.Process | None = None,
    ) -> None:
        """``timeout``: the default seconds a request waits for its answer (``None``: no
        limit); ``on_bad_line(line, error)``: what to do with a line that is neither an answer,
        a request nor a notification that could be decoded (by default a logged warning)."""
        self._writer = writer
        self._lines = LineReader(reader, max_line_bytes)
        self._timeout = timeout
        self._on_bad_line = on_bad_line or _log_bad_line
        self._process = process
        self._pending = PendingRequests()
        self._waiters: dict[RequestId, asyncio.Future[Any]] = {}
        self._handlers: dict[str, Callable[[Any], Any]] = {}
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._write_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._next_id = 1
        self._closed: str | None = None
        self._reader = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def spawn(
        cls,
        program: str,
        *args: str,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        stderr: int | IO[Any] | None = None,
        timeout: float | None = None,
        max_line_bytes: int = MAX_LINE_BYTES,
        on_bad_line: Callable[[str, Exception], None] | None = None,
    ) -> Client:
        """Starts ``program *args`` (e.g. ``"codex", "app-server"``) and talks to it over its
        stdin and stdout; ``stderr`` as ``asyncio.create_subprocess_exec`` takes it (a file, a
        descriptor, ``subprocess.DEVNULL``; inherited by default). ``close()`` closes its
        stdin and waits for it (killing it after a grace period)."""
        process = await asyncio.create_subprocess_exec(
            program,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            env=None if env is None else dict(env),
            cwd=cwd,
            limit=max_line_bytes,
        )
        assert process.stdin is not None and process.stdout is not None
        return cls(
            process.stdout,
            process.stdin,
            timeout=timeout,
            max_line_bytes=max_line_bytes,
            on_bad_line=on_bad_line,
            process=process,
        )

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        """Whether the connection is closed."""
        return self._closed is not None

    async def request_extension(
        self, method: str, params: Mapping[str, JsonValue] | None = None, *, timeout: float | None = None
    ) -> dict[str, JsonValue]:
        """Sends a request outside the method table (an extension method) and waits for its
        result, as it came; an error answer raises ``RequestError`` as for any request."""
        result = await self._call(method, params, timeout)
        return result.to_wire() if isinstance(result, WireModel) else {}

    def notifications(self) -> AsyncIterator[NotificationItem]:
        """The notifications the server sends, in order, from the first one not yet taken (they
        are kept until taken: iterate while the connection is open); the iteration ends when the
        connection closes. Unknown and invalid ones are included: match
        on ``Notification``, ``UnknownNotification`` and ``InvalidNotification``."""
        return self._notifications()

    async def _notifications(self) -> AsyncIterator[NotificationItem]:
        while True:
            item = await self._queue.get()
            if item is _END:
                self._queue.put_nowait(_END)  # for any other iteration
                return
            assert isinstance(item, Notification | UnknownNotification | InvalidNotification)
            yield item

    async def close(self) -> None:
        """Closes the connection: every call still waiting raises ``ConnectionClosed``, the
        notifications end, handlers still running are cancelled; a spawned server gets its
        stdin closed and is waited for (killed after a grace period)."""
        self._shut("the client closed the connection")
        if self._reader is not asyncio.current_task():
            self._reader.cancel()
        for task in list(self._tasks):
            task.cancel()
        self._writer.close()
        try:
            await asyncio.wait_for(self._writer.wait_closed(), EXIT_GRACE)
        except (OSError, TimeoutError, asyncio.CancelledError):
            pass
        if self._process is not None and self._process.returncode is None:
            try:
                await asyncio.wait_for(self._process.wait(), EXIT_GRACE)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()

    # The typed surface (`TypedCalls`) calls these.

    async def _call(self, method: str, params: Any, timeout: float | None) -> Any:
        if self._closed is not None:
            raise ConnectionClosed(self._closed)
        id = self._next_id
        self._next_id += 1
        # Whatever can be refused (params, a notification's name) is, before any state is kept.
        line = _request_line(id, method, params)
        self._pending.register(id, method)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters[id] = future
        limit = self._timeout if timeout is None else timeout
        try:
            await self._send(line)
            return await asyncio.wait_for(future, limit)
        except TimeoutError:
            raise RequestTimeout(method, limit or 0.0) from None
        finally:
            self._waiters.pop(id, None)
            self._pending.answer(id)

    async def _notify(self, method: str, params: Any) -> None:
        if self._closed is not None:
            raise ConnectionClosed(self._closed)
        spec = CLIENT_NOTIFICATIONS.get(method)
        typed: Any = params
        if spec is not None and spec.params_adapter is not None and isinstance(params, Mapping):
            typed = spec.params_adapter.validate_python(params)
        value: dict[str, JsonValue] = {"method": method}
        if isinstance(typed, WireModel):
            value["params"] = typed.to_wire()
        elif typed is not None:
            value["params"] = dict(typed)
        await self._send(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def _handle(self, method: str, handler: Callable[[Any], Any]) -> None:
        self._handlers[method] = handler

    # Reading.

    async def _read_loop(self) -> None:
        reason = "the server closed the connection"
        try:
            while True:
                line = await self._lines.read()
                if line is None:
                    break
                if isinstance(line, LineTooLong):
                    self._on_bad_line("", ValueError(f"a line of {line.size} bytes, past the limit: skipped"))
                    continue
                self._receive(line)
        except (OSError, ConnectionError) as err:
            reason = f"reading from the server failed: {err}"
        finally:
            self._shut(reason)

    def _receive(self, raw: bytes) -> None:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            self._on_bad_line(raw.decode("utf-8", "replace"), err)
            return
        if not line.strip():
            return
        try:
            message = decode_server_message(line, self._pending)
        except DecodeError as err:
            self._refused(line, err)
            return
        if isinstance(message, Response | ErrorResponse):
            waiter = self._waiters.get(message.id)
            if waiter is not None and not waiter.done():
                if isinstance(message, Response):
                    waiter.set_result(message.result)
                else:
                    error = message.error
                    waiter.set_exception(RequestError(error.code, error.message, error.data))
        elif isinstance(message, Request):
            self._spawn(self._answer(message))
        else:
            self._queue.put_nowait(message)

    def _refused(self, line: str, err: DecodeError) -> None:
        """A line that does not decode: an answer's error goes to its caller, a notification
        is handed on as invalid, a request is answered with the error; the rest is a bad line."""
        answered = err.answered_id
        waiter = None if answered is None else self._waiters.get(answered)
        if waiter is not None and not waiter.done():
            waiter.set_exception(err)
        elif err.notification_method is not None:
            self._queue.put_nowait(InvalidNotification(err.notification_method, err))
        else:
            reply = err.to_error_response()
            if reply is not None:
                self._spawn(self._send(encode_message(reply)))
            self._on_bad_line(line, err)

    async def _answer(self, request: Request) -> None:
        """Answers one request of the server with its handler's answer."""
        handler = self._handlers.get(request.method)
        reply: Response | ErrorResponse
        if handler is None:
            error = JsonRpcError(code=METHOD_NOT_FOUND, message=f"this client does not handle `{request.method}`")
            reply = ErrorResponse(request.id, error)
        else:
            try:
                answer = handler(request.params)
                if inspect.isawaitable(answer):
                    answer = await answer
                reply = self._reply(request, answer)
            except RequestError as err:
                reply = ErrorResponse(request.id, err.error)
            except Exception as err:  # a handler's failure is answered, not raised here
                _LOG.exception("the handler of `%s` failed", request.method)
                reply = ErrorResponse(request.id, JsonRpcError(code=INTERNAL_ERROR, message=f"the client's handler failed: {err}"))
        await self._send(encode_message(reply))

    @staticmethod
    def _reply(request: Request, answer: object) -> Response | ErrorResponse:
        spec = SERVER_REQUESTS.get(request.method)
        expected: Any = None if spec is None else spec.result
        value: object = answer
        if isinstance(answer, Mapping) and spec is not None and spec.result_adapter is not None:
            value = cast(object, spec.result_adapter.validate_python(answer))
        if not isinstance(value, WireModel) or (isinstance(expected, type) and not isinstance(value, expected)):
            name = getattr(expected, "__name__", "its result model")
            returned = type(value).__name__
            message = f"the client's handler of `{request.method}` returned {returned}, not {name}"
            _LOG.error(message)
            return ErrorResponse(request.id, JsonRpcError(code=INTERNAL_ERROR, message=message))
        return Response(request.id, request.method, value)

    # Writing and closing.

    async def _send(self, line: str) -> None:
        if self._closed is not None:
            raise ConnectionClosed(self._closed)
        async with self._write_lock:
            try:
                self._writer.write(line.encode("utf-8") + b"\n")
                await self._writer.drain()
            except (OSError, ConnectionError) as err:
                self._shut(f"writing to the server failed: {err}")
                raise ConnectionClosed(self._closed) from err

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(_quietly(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _shut(self, reason: str) -> None:
        """Marks the connection closed (once) and fails every waiter with ``ConnectionClosed``."""
        if self._closed is not None:
            return
        self._closed = reason
        for future in self._waiters.values():
            if not future.done():
                future.set_exception(ConnectionClosed(reason))
        self._queue.put_nowait(_END)


def _request_line(id: RequestId, method: str, params: Any) -> str:
    """The line of a request: a params model as the Rust encoder writes it, a mapping of a
    known method validated into its model first (so that a mistake is caught before it is
    sent), an extension method's mapping as it is."""
    spec = CLIENT_REQUESTS.get(method)
    if spec is not None and isinstance(params, Mapping) and spec.params_adapter is not None:
        params = spec.params_adapter.validate_python(params)
    if params is None or isinstance(params, WireModel):
        return encode_message(Request(id, method, params))
    if not isinstance(params, Mapping):
        raise TypeError(f"`{method}`: params must be a model or a mapping, not {type(params).__name__}")
    value: dict[str, Any] = {"id": id, "method": method, "params": dict(params)}  # pyright: ignore[reportUnknownArgumentType]
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def _quietly(work: Any) -> None:
    """Runs a background step; a closed connection ends it without an error."""
    try:
        await work
    except ConnectionClosed:
        pass


def _log_bad_line(line: str, error: Exception) -> None:
    _LOG.warning("a bad line from the server (%s): %.200s", error, line)
