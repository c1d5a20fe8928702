"""The app server's JSON-RPC wire contract: typed models (``types`` for the shared and v1
types, ``v2``), the method maps and method-name constants (``methods``), the decoders and encoder
with the contract of the Rust crate of the same version, and an asyncio ``Client``."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import methods, types, v2
    from ._decode import (
        DecodeError,
        ErrorResponse,
        JsonRpcError,
        Message,
        Notification,
        PendingRequests,
        Request,
        RequestId,
        Response,
        UnknownNotification,
        decode_client_message,
        decode_server_message,
        encode_message,
        message_value,
    )
    from ._spec import MethodSpec
    from ._wire import ExtensionResult, JsonValue, UnknownVariant, WireModel
    from .client import (
        Client,
        ClientError,
        ConnectionClosed,
        InvalidNotification,
        NotificationItem,
        RequestError,
        RequestTimeout,
    )
    from .methods import (
        ClientNotificationMethod,
        ClientRequestMethod,
        ServerNotificationMethod,
        ServerRequestMethod,
    )

# Importing the package is quick: each name loads its module (and the models, and pydantic)
# when it is first used.
_HOME = {
    "methods": ".methods",
    "types": ".types",
    "v2": ".v2",
    **dict.fromkeys(
        ["DecodeError", "ErrorResponse", "JsonRpcError", "Message", "Notification", "PendingRequests", "Request", "RequestId", "Response", "UnknownNotification", "decode_client_message", "decode_server_message", "encode_message", "message_value"],
        "._decode",
    ),
    "MethodSpec": "._spec",
    **dict.fromkeys(["ExtensionResult", "JsonValue", "UnknownVariant", "WireModel"], "._wire"),
    **dict.fromkeys(["Client", "ClientError", "ConnectionClosed", "InvalidNotification", "NotificationItem", "RequestError", "RequestTimeout"], ".client"),
    **dict.fromkeys(["ClientNotificationMethod", "ClientRequestMethod", "ServerNotificationMethod", "ServerRequestMethod"], ".methods"),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(home, __name__)
    value = module if home == f".{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.0.0+codegen"
"""The version of the Rust crate (and of the wire) this package was generated from."""

__all__ = [
    "Client",
    "ClientError",
    "ClientNotificationMethod",
    "ClientRequestMethod",
    "ConnectionClosed",
    "DecodeError",
    "ErrorResponse",
    "ExtensionResult",
    "InvalidNotification",
    "JsonRpcError",
    "JsonValue",
    "Message",
    "MethodSpec",
    "Notification",
    "NotificationItem",
    "PendingRequests",
    "Request",
    "RequestError",
    "RequestId",
    "RequestTimeout",
    "Response",
    "ServerNotificationMethod",
    "ServerRequestMethod",
    "UnknownNotification",
    "UnknownVariant",
    "WireModel",
    "decode_client_message",
    "decode_server_message",
    "encode_message",
    "message_value",
    "methods",
    "types",
    "v2",
]
