"""Nesting deeper than the Rust decoder's limit (128 levels of arrays and objects, counted from
the message itself): too deep inside a value a type reads is -32602 at the first container
past the limit; a member no type reads is skipped, whatever its depth, as the Rust decoder
skips it. Python's own parser cannot hold thousands of levels, so each container past the limit
is replaced by a marker before parsing, and the marker is refused where a type reads it."""

from __future__ import annotations

import re
from typing import Any, cast

from pydantic_core import PydanticCustomError

__all__ = ["MAX_NESTING", "TOO_DEEP", "cut_too_deep", "is_marker", "misfit_path", "refuse_marker"]

MAX_NESTING = 128
"""The most levels of nested arrays and objects the Rust decoder reads."""

TOO_DEEP = "nested too deeply: more than 128 levels of arrays and objects (the decoder's limit)"

_MARKER_KEY = "\u0000nested-too-deep"
_MARKER_TEXT = '{"\\u0000nested-too-deep":{"\\u0000":[null]}}'
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def cut_too_deep(line: str) -> str:
    """The line with every container past the limit replaced by the marker (unchanged when
    nothing is that deep: the common case costs two counts)."""
    if line.count("[") + line.count("{") <= MAX_NESTING:
        return line
    pieces: list[str] = []
    depth = 0
    cut_from = -1
    kept = 0
    for token in _TOKENS.finditer(line):
        text = token.group()
        if text[0] == '"':
            continue
        if text in "[{":
            depth += 1
            if depth == MAX_NESTING + 1:
                cut_from = token.start()
        else:
            if depth == MAX_NESTING + 1 and cut_from >= 0:
                pieces.append(line[kept:cut_from])
                pieces.append(_MARKER_TEXT)
                kept = token.end()
                cut_from = -1
            depth -= 1
    if not pieces:
        return line
    pieces.append(line[kept:])
    return "".join(pieces)


def is_marker(value: Any) -> bool:
    """Whether a parsed value is the marker of a cut container."""
    return isinstance(value, dict) and _MARKER_KEY in cast(dict[str, Any], value)


def refuse_marker(value: Any) -> None:
    """Refuses the marker where a type reads it (every model checks its input)."""
    if is_marker(value):
        raise PydanticCustomError("too_deep", TOO_DEEP)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def misfit_path(value: Any) -> tuple[str, str] | None:
    """The path (``.a[0]``) of the first value a type read that the Rust decoder refuses and
    pydantic cannot tell: a cut container inside free JSON (``JsonValue``), or a string with a
    lone surrogate (``"\\ud800"``, which is no Unicode text); with what is wrong there."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        current, path = stack.pop()
        if is_marker(current):
            return path, TOO_DEEP
        if isinstance(current, str) and _LONE_SURROGATE.search(current):
            return path, "expected a string of Unicode text, found a lone surrogate escape"
        if isinstance(current, dict):
            members = cast(dict[str, Any], current)
            stack.extend((child, f"{path}.{key}") for key, child in reversed(list(members.items())))
        elif isinstance(current, list):
            items = cast(list[Any], current)  # type: ignore[redundant-cast]  # pyright reads list[Unknown]
            stack.extend((child, f"{path}[{index}]") for index, child in reversed(list(enumerate(items))))
    return None
