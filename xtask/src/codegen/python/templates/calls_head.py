"""The typed calls of ``Client``, one overload per row of the method table: ``request`` for each
request a client sends (its params model in, its result model out, so that a type checker infers
the result of ``await client.request("thread/start", …)``), ``notify`` for each notification a
client sends, and ``on_request`` for each request the server sends (approvals), whose handler
returns that request's answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal, overload

from . import types as _root
from . import v2 as _v2

__all__ = ["TypedCalls"]


class TypedCalls:
    """The typed surface ``Client`` inherits; ``Client`` supplies ``_call``, ``_notify`` and
    ``_handle``."""

    async def _call(self, method: str, params: Any, timeout: float | None) -> Any:
        raise NotImplementedError

    async def _notify(self, method: str, params: Any) -> None:
        raise NotImplementedError

    def _handle(self, method: str, handler: Callable[[Any], Any]) -> None:
        raise NotImplementedError
