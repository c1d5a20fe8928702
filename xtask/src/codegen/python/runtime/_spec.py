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
    doc: str = field(default="", repr=False)
    """The method's documentation, from the Rust method table."""

    @cached_property
    def params_adapter(self) -> TypeAdapter[Any] | None:
        """Validates params (``None`` for a method without params)."""
        return None if self.params is None else TypeAdapter(self.params)

    @cached_property
    def result_adapter(self) -> TypeAdapter[Any] | None:
        """Validates the result of a request (``None`` for a notification)."""
        return None if self.result is None else TypeAdapter(self.result)
