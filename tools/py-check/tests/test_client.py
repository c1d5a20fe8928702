"""The asyncio ``Client`` against a scripted server on a loopback socket: answers routed to
their callers (a broken one and an extension's error too), timeouts, every waiter failed on
close, lines far past 64 KiB, the server's requests answered by handlers, and notifications —
known, unknown and invalid — in order. Every wait is bounded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from app_server_protocol import (
    Client,
    ConnectionClosed,
    DecodeError,
    InvalidNotification,
    Notification,
    RequestError,
    RequestTimeout,
    UnknownNotification,
    v2,
)

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
BOUND = 10.0


async def _line(reader: asyncio.StreamReader) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(await asyncio.wait_for(reader.readline(), BOUND))
    return value


def _send(writer: asyncio.StreamWriter, value: object) -> None:
    writer.write(json.dumps(value).encode() + b"\n")


def _with_server(script: Script, body: Callable[[Client], Awaitable[None]]) -> None:
    async def main() -> None:
        server = await asyncio.start_server(script, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        client = Client(reader, writer)
        try:
            await asyncio.wait_for(body(client), BOUND)
        finally:
            await client.close()
            server.close()

    asyncio.run(main())


def test_a_broken_answer_and_an_extension_error_reach_their_callers() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await _line(reader)
        second = await _line(reader)
        third = await _line(reader)
        _send(writer, {"id": third["id"], "result": {"pong": 1}})
        _send(writer, {"id": second["id"], "error": {"code": -32601, "message": "no such method"}})
        _send(writer, {"id": first["id"], "result": {"thread": {"id": 7}}})

    async def body(client: Client) -> None:
        started = asyncio.ensure_future(client.request("thread/start", v2.ThreadStartParams()))
        await asyncio.sleep(0.05)
        failing = asyncio.ensure_future(client.request_extension("acme/missing", {"x": 1}))
        await asyncio.sleep(0.05)
        assert await client.request_extension("acme/ping") == {"pong": 1}
        with pytest.raises(RequestError) as error:
            await failing
        assert error.value.code == -32601
        with pytest.raises(DecodeError) as broken:
            await started
        assert (broken.value.answered_id, broken.value.path, broken.value.expected) == (1, "result.thread.id", "a string")

    _with_server(script, body)


def test_a_call_times_out_and_close_fails_every_waiter() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _line(reader)
        await _line(reader)
        await _line(reader)
        writer.close()  # never answers; then goes away

    async def body(client: Client) -> None:
        with pytest.raises(RequestTimeout):
            await client.request("thread/list", v2.ThreadListParams(), timeout=0.1)
        waiting = [asyncio.ensure_future(client.request("thread/list", v2.ThreadListParams())) for _ in range(2)]
        for call in waiting:
            with pytest.raises(ConnectionClosed):
                await call
        assert client.closed
        assert [item async for item in client.notifications()] == []
        with pytest.raises(ConnectionClosed):
            await client.request("thread/list", v2.ThreadListParams())

    _with_server(script, body)


def test_notifications_far_past_64_kib_unknown_and_invalid_come_in_order() -> None:
    delta = "x" * (300 * 1024)

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _send(writer, {"method": "item/agentMessage/delta", "params": {"threadId": "t", "turnId": "u", "itemId": "i", "delta": delta}})
        _send(writer, {"method": "thread/someday", "params": {"a": [1]}})
        _send(writer, {"method": "turn/completed", "params": {"turn": {}}})
        writer.close()

    async def body(client: Client) -> None:
        items = [item async for item in client.notifications()]
        assert len(items) == 3
        first, second, third = items
        assert isinstance(first, Notification) and isinstance(first.params, v2.AgentMessageDeltaNotification)
        assert first.params.delta == delta
        assert isinstance(second, UnknownNotification) and second.params == {"a": [1]}
        assert isinstance(third, InvalidNotification) and third.method == "turn/completed"
        assert third.error.path is not None and third.error.path.startswith("params.")

    _with_server(script, body)


def test_the_servers_requests_are_answered_by_their_handlers() -> None:
    answers: list[dict[str, Any]] = []
    ask = {"threadId": "t", "turnId": "u", "itemId": "i", "command": "ls"}

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _send(writer, {"id": 1, "method": "item/commandExecution/requestApproval", "params": ask})
        _send(writer, {"id": 2, "method": "item/fileChange/requestApproval", "params": {"threadId": "t", "turnId": "u", "itemId": "j"}})
        _send(writer, {"id": 3, "method": "item/commandExecution/requestApproval", "params": {"threadId": 5}})
        for _ in range(3):
            answers.append(await _line(reader))
        writer.close()

    async def approve(params: v2.CommandExecutionRequestApprovalParams) -> v2.CommandExecutionRequestApprovalResponse:
        return v2.CommandExecutionRequestApprovalResponse(decision="accept" if params.command == "ls" else "decline")

    async def body(client: Client) -> None:
        client.on_request("item/commandExecution/requestApproval", approve)
        assert [item async for item in client.notifications()] == []

    _with_server(script, body)
    by_id = {answer["id"]: answer for answer in answers}
    assert by_id[1] == {"id": 1, "result": {"decision": "accept"}}
    assert by_id[2]["error"]["code"] == -32601  # no handler
    assert by_id[3]["error"]["code"] == -32602 and by_id[3]["error"]["data"]["path"] == "params.threadId"


def test_a_refused_call_keeps_no_state() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(BOUND)

    async def body(client: Client) -> None:
        with pytest.raises(ValueError, match="notification"):
            await client.request_extension("turn/completed")
        with pytest.raises(Exception, match="threadId"):
            await client.request("thread/archive", {"thread_id": "t"})  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
        assert client._waiters == {} and len(client._pending) == 0  # pyright: ignore[reportPrivateUsage]

    _with_server(script, body)
