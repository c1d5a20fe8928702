"""The app server's JSON-RPC wire contract: typed models (``types`` for the shared and v1
types, ``v2``), the method maps and method-name constants (``methods``), the decoders and encoder
with the contract of the Rust crate of the same version, and an asyncio ``Client``."""

from __future__ import annotations

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
