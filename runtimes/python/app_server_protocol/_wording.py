"""pydantic's validation errors in JSON's words, as the Rust decoder words serde's: what was
expected (kept alone for ``error.data.expected``) and what was found, in the terms of the JSON
document — ``expected a string, found 42``, ``missing required member `threadId```
— not pydantic's (``Input should be a valid string``, ``Field required``)."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic_core import ErrorDetails

__all__ = ["MISSING", "explain", "found"]

MISSING = "a value: the member is required"
"""``expected`` of a missing member, as the Rust decoder says it."""

_EXPECTED = {
    "string_type": "a string",
    "string_unicode": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "an array",
    "tuple_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dataclass_type": "an object",
    "none_required": "null",
    "is_instance_of": "an object",
}


def found(value: Any) -> str:
    """A JSON value as the Rust decoder shows what it found: a scalar as written (``42``,
    ``true``, ``"x"``), ``an array``, ``an object``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, list):
        return "an array"
    return "an object"


def _quoted(text: str) -> str:
    """pydantic lists values as Python literals (``'a', 'b' or 'c'``); JSON writes strings in
    double quotes, separated by commas (``"a", "b", "c"``)."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", text)
    if not values:
        return text
    return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


def explain(error: ErrorDetails) -> tuple[str, str | None]:
    """(message, expected) of one pydantic error."""
    kind = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value: Any = error.get("input")
    if kind == "missing":
        member = error["loc"][-1] if error["loc"] else "?"
        return f"missing required member `{member}`", MISSING
    if kind == "union_tag_not_found":
        tag = str(ctx.get("discriminator", "'type'")).strip("'")
        return f"missing required member `{tag}`", MISSING
    expected: str | None
    if kind in ("literal_error", "enum"):
        expected = f"one of {_quoted(str(ctx.get('expected', '')))}"
    elif kind == "union_tag_invalid":
        expected = f"one of {_quoted(str(ctx.get('expected_tags', '')))}"
        value = ctx.get("tag")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most", "less_than": "less than"}
        bound = next(iter(ctx.values()), "?")
        expected = f"an integer {words[kind]} {bound}"
    elif kind == "string_pattern_mismatch":
        expected = f"a string matching `{ctx.get('pattern', '')}`"
    elif kind in _EXPECTED:
        expected = _EXPECTED[kind]
    elif kind == "no_variant":
        expected = str(ctx.get("expected", "")) or None
    else:
        # The package's own rules say what they expect in their own words.
        return error["msg"], None
    return f"expected {expected}, found {found(value)}", expected
