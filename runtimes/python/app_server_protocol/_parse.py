"""Parsing one line as the Rust decoder reads it: a member written twice kept as such (no type
reads it), ``-0`` a float, ``NaN`` and ``Infinity`` no JSON — and a fast path that parses a
common line with ``json`` alone when none of that can be in it."""

from __future__ import annotations

import json
import re
from typing import Any, cast

from ._nesting import MAX_NESTING

__all__ = ["Duplicate", "integer", "object_pairs", "parse_plain", "reject_constant"]


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class Duplicate:
    """A member written twice in one object: no type reads it, as the Rust decoder reads none."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"<member `{self.key}` written twice>"


def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for key, value in pairs:
        members[key] = Duplicate(key) if key in members else value
    return members


def integer(text: str) -> int | float:
    # `-0` is no integer to the Rust decoder (serde_json reads it as the float -0.0).
    return -0.0 if text == "-0" else int(text)


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")
"""A surrogate escape or character: a lone one is no Unicode text, which only the careful
parse finds."""

_MINUS_ZERO = re.compile(r"-0(?![.eE0-9])")
"""The integer ``-0``, a float to the Rust decoder, which only the careful parse reads so."""

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?')
"""Every string of a JSON text, with the colon after it when it is a member name."""

_PLAIN = json.JSONDecoder(parse_constant=reject_constant)


def parse_plain(line: str) -> Any:
    """The fast path: ``json.loads`` without per-object hooks, for a line that is not deep,
    has no surrogate and no ``-0``, and names no member twice (as many member names in the text
    as members in the value). ``None`` when the careful parse must decide."""
    if line.count("[") + line.count("{") > MAX_NESTING:
        return None
    if ("\\u" in line or not line.isascii()) and _SURROGATE.search(line) is not None:
        return None
    if "-0" in line and _MINUS_ZERO.search(line) is not None:
        return None
    try:
        value: Any = _PLAIN.decode(line)
    except (ValueError, RecursionError):
        return None
    members = member_count(value)
    # Every member name is followed by a colon; when no string holds one, the colons count the
    # names. Otherwise the strings are told apart from the names.
    if line.count(":") != members:
        names = _STRINGS.findall(line)
        if len(names) - names.count("") != members:
            return None
    return value


def member_count(value: Any) -> int:
    count = 0
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            members = cast(dict[str, Any], node)
            count += len(members)
            stack.extend(members.values())
        elif isinstance(node, list):
            stack.extend(cast(list[Any], node))  # type: ignore[redundant-cast]  # pyright reads list[Unknown]
    return count
