"""What the method maps are made of: one entry per method of the Rust method table."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from pydantic import TypeAdapter

__all__ = ["MethodSpec"]


@dataclass(frozen=True)
class MethodSpec:
    """One method: who sends it, its params and result models, aliases and deprecation."""

    wire_name: str
    """The canonical wire name (``thread/start``)."""
    variant: str
    """The variant name of the Rust method enum (``ThreadStart``)."""
    sender: Literal["client", "server"]
    """Who sends the request or notification."""
    kind: Literal["request", "notification"]
    """A request (answered) or a notification."""
    params: Any
    """The params model, or ``None`` for a method without params."""
    result: Any
    """The result model of a request, ``None`` for a notification."""
    aliases: tuple[str, ...] = ()
    """Deprecated wire names the receiver still accepts."""
    deprecated: str | None = None
    """Why the method is deprecated and what to use instead; ``None`` when it is not."""
    family: str | None = None
    """For a method family — one entry for every method ``<wire_name><suffix>``, such as the
    legacy event stream's ``codex/event/<type>`` — the path, in the params, of the member whose
    value is the suffix (``"msg.type"``); ``None`` for an ordinary method. ``wire_name`` is then
    the prefix, which by itself names no method."""
    doc: str = field(default="", repr=False)
    """The method's documentation, from the Rust method table."""

    def answers_to(self, name: str) -> bool:
        """Whether ``name`` is this method's wire name or a deprecated alias (for a family: the
        prefix followed by a non-empty suffix)."""
        if self.family is not None:
            return len(name) > len(self.wire_name) and name.startswith(self.wire_name)
        return name == self.wire_name or name in self.aliases

    @property
    def display_name(self) -> str:
        """The name as documents show it: the wire name, or for a family its pattern
        (``codex/event/{type}``, named after the last segment of ``family``)."""
        if self.family is None:
            return self.wire_name
        return f"{self.wire_name}{{{self.family.rsplit('.', 1)[-1]}}}"

    @cached_property
    def params_adapter(self) -> TypeAdapter[Any] | None:
        """Validates params (``None`` for a method without params)."""
        return None if self.params is None else TypeAdapter(self.params)

    @cached_property
    def result_adapter(self) -> TypeAdapter[Any] | None:
        """Validates the result of a request (``None`` for a notification)."""
        return None if self.result is None else TypeAdapter(self.result)
