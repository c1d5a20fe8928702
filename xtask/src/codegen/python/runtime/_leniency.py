"""Decoding and encoding rules that Rust types state in code (custom ``Deserialize`` and
``Serialize`` impls) rather than in their schema. Each function names the Rust type whose rule
it mirrors; codegen attaches it to that type's model (``xtask/src/codegen/python/leniency.rs``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    if not isinstance(data, Mapping) or "acceptSettings" not in data:
        return data
    members: dict[str, Any] = dict(data)  # pyright: ignore[reportUnknownArgumentType]
    settings = members.pop("acceptSettings")
    if not isinstance(settings, Mapping):
        return members
    for_session = settings.get("forSession") is True  # pyright: ignore[reportUnknownMemberType]
    decision = members.get("decision")
    if decision == "accept" and for_session:
        members["decision"] = "acceptForSession"
    elif decision == "acceptForSession" and not for_session:
        raise PydanticCustomError(
            "contradictory_approval",
            "contradictory approval: decision `acceptForSession` with legacy `acceptSettings.forSession: false`; send only `decision`",
        )
    elif isinstance(decision, Mapping) and "acceptWithExecpolicyAmendment" in decision and for_session:
        raise PydanticCustomError(
            "contradictory_approval",
            "contradictory approval: decision `acceptWithExecpolicyAmendment` with legacy `acceptSettings.forSession: true`; send only `decision`",
        )
    return members


def approval_amendment_key(data: Any) -> Any:
    """``v2::CommandExecutionApprovalDecision``: the inner key of the amendment decision may be
    spelled ``execpolicy_amendment`` (change C8)."""
    if isinstance(data, Mapping) and "execpolicy_amendment" in data and "execpolicyAmendment" not in data:
        members: dict[str, Any] = dict(data)  # pyright: ignore[reportUnknownArgumentType]
        members["execpolicyAmendment"] = members.pop("execpolicy_amendment")
        return members
    return data


def approval_params_empty_amendment(data: Any) -> Any:
    """``v2::CommandExecutionRequestApprovalParams``: an empty proposed amendment is none."""
    if isinstance(data, Mapping) and data.get("proposedExecpolicyAmendment") == []:  # pyright: ignore[reportUnknownMemberType]
        members: dict[str, Any] = dict(data)  # pyright: ignore[reportUnknownArgumentType]
        members["proposedExecpolicyAmendment"] = None
        return members
    return data


def reasoning_content_written(data: dict[str, Any]) -> None:
    """``ResponseItem::Reasoning``: a ``content`` list without a ``reasoning_text`` part is
    left out on output; an absent list is written as ``null``."""
    content = data.get("content")
    if isinstance(content, list):
        parts: list[Any] = content  # pyright: ignore[reportUnknownVariableType]
        if not any(isinstance(p, Mapping) and p.get("type") == "reasoning_text" for p in parts):  # pyright: ignore[reportUnknownMemberType]
            del data["content"]
