"""The method maps: one entry per method of the Rust method table, per sender and kind, keyed by
canonical wire name (a method family's by its prefix: see ``MethodSpec.family``); and the
method-name constants, one class per sender and kind (``ClientRequestMethod.ThreadStart`` is
``"thread/start"``)."""

from __future__ import annotations

from typing import Final

from . import types as _root
from . import v2 as _v2
from ._spec import MethodSpec

__all__ = [
    "CLIENT_NOTIFICATIONS",
    "CLIENT_REQUESTS",
    "SERVER_NOTIFICATIONS",
    "SERVER_REQUESTS",
    "ClientNotificationMethod",
    "ClientRequestMethod",
    "ServerNotificationMethod",
    "ServerRequestMethod",
]
