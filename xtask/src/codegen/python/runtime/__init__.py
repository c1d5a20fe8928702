"""The app server's JSON-RPC wire contract: typed models (``types`` for the shared and v1
types, ``v2``), the method maps (``methods``), and the decoders and encoder with the contract of
the Rust crate of the same version."""

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
from ._wire import JsonValue, UnknownVariant, WireModel

__version__ = "0.0.0+codegen"
"""The version of the Rust crate (and of the wire) this package was generated from."""

__all__ = [
    "DecodeError",
    "ErrorResponse",
    "JsonRpcError",
    "JsonValue",
    "Message",
    "MethodSpec",
    "Notification",
    "PendingRequests",
    "Request",
    "RequestId",
    "Response",
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
