"""Where a pydantic error is, in the terms of the JSON document: the order in which the Rust
decoder meets errors, and the JSON path it reports (``params.turn.id``)."""

from __future__ import annotations

import math
from typing import Any, cast

from pydantic_core import ErrorDetails

__all__ = ["document_order", "json_path"]


def step_into(data: Any, step: str | int) -> tuple[bool, Any, int]:
    """Follows one step of an error location into the document: (found, value, position)."""
    unchanged: Any = data
    if isinstance(data, dict) and isinstance(step, str):
        members = cast(dict[str, Any], data)
        if step in members:
            return True, members[step], list(members).index(step)
    if isinstance(data, list) and isinstance(step, int):
        items = cast(list[Any], data)  # type: ignore[redundant-cast]  # pyright reads list[Unknown]
        if 0 <= step < len(items):
            return True, items[step], step
    return False, unchanged, 0


def document_order(data: Any, error: ErrorDetails) -> tuple[float, ...]:
    """Where an error is in the document: the first one the Rust decoder meets is the first
    in document order (a member that is missing is noticed at the end of its object)."""
    order: list[float] = []
    for step in error["loc"]:
        found, data, position = step_into(data, step)
        if found:
            order.append(position)
        elif error["type"] == "missing":
            order.append(math.inf)
    return tuple(order)


def json_path(member: str, data: Any, error: ErrorDetails) -> str:
    """The JSON path of an error, as the Rust decoder writes it: the members and indexes of
    the document only (pydantic's steps through union shapes are not in the document)."""
    path = member
    loc = error["loc"]
    for index, step in enumerate(loc):
        found, data, _ = step_into(data, step)
        if found:
            path += f"[{step}]" if isinstance(step, int) else f".{step}"
        elif error["type"] == "missing" and index == len(loc) - 1 and isinstance(step, str):
            path += f".{step}"
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        ctx: dict[str, Any] = error.get("ctx") or {}
        path += "." + str(ctx.get("discriminator", "'type'")).strip("'")
    return path
