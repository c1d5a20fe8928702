"""Decoding and encoding rules that Rust types state in code (custom ``Deserialize`` and
``Serialize`` impls) rather than in their schema. Each function names the Rust type whose rule
it mirrors; codegen attaches it to that type's model (``xtask/src/codegen/python/leniency.rs``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from pydantic_core import PydanticCustomError

__all__ = [
    "approval_accept_settings",
    "approval_amendment_key",
    "approval_params_empty_amendment",
    "reasoning_content_written",
]


def approval_accept_settings(data: Any) -> Any:
    """``v2::CommandExecutionRequestApprovalResponse``: the older ``acceptSettings`` shape.
    ``accept`` with ``forSession: true`` reads as ``acceptForSession``; the settings are
    ignored otherwise, and contradictory combinations are rejected."""
    members = _object(data)
    if members is None or "acceptSettings" not in members:
        return data
    settings = _object(members.pop("acceptSettings"))
    if settings is None:
        return members
    for_session = settings.get("forSession") is True
    decision = members.get("decision")
    if decision == "accept" and for_session:
        members["decision"] = "acceptForSession"
    elif decision == "acceptForSession" and not for_session:
        raise PydanticCustomError(
            "contradictory_approval",
            "contradictory approval: decision `acceptForSession` with legacy `acceptSettings.forSession: false`; send only `decision`",
        )
    elif for_session and "acceptWithExecpolicyAmendment" in (_object(decision) or {}):
        raise PydanticCustomError(
            "contradictory_approval",
            "contradictory approval: decision `acceptWithExecpolicyAmendment` with legacy `acceptSettings.forSession: true`; send only `decision`",
        )
    return members


def approval_amendment_key(data: Any) -> Any:
    """``v2::CommandExecutionApprovalDecision``: the inner key of the amendment decision may be
    spelled ``execpolicy_amendment`` (change C8)."""
    members = _object(data)
    if members is not None and "execpolicy_amendment" in members and "execpolicyAmendment" not in members:
        members["execpolicyAmendment"] = members.pop("execpolicy_amendment")
        return members
    return data


def approval_params_empty_amendment(data: Any) -> Any:
    """``v2::CommandExecutionRequestApprovalParams``: an empty proposed amendment is none."""
    members = _object(data)
    if members is not None and members.get("proposedExecpolicyAmendment") == []:
        members["proposedExecpolicyAmendment"] = None
        return members
    return data


def reasoning_content_written(data: dict[str, Any]) -> None:
    """``ResponseItem::Reasoning``: a ``content`` list without a ``reasoning_text`` part is
    left out on output; an absent list is written as ``null``."""
    content: Any = data.get("content")
    if isinstance(content, list):
        parts = cast(list[Any], content)  # type: ignore[redundant-cast]  # pyright reads list[Unknown]
        if not any((_object(part) or {}).get("type") == "reasoning_text" for part in parts):
            del data["content"]


def _object(value: Any) -> dict[str, Any] | None:
    """A copy of a JSON object, or ``None`` for anything else."""
    if isinstance(value, Mapping):
        return dict(cast(Mapping[str, Any], value))
    return None
