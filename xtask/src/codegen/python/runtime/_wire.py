"""The base of every generated model and the decoding rules the Rust types state in code.

Every model validates with the receiver's lenient contract (optional members may be left out,
documented legacy spellings are accepted) and serializes with the sender's strict contract
(every member the Rust encoder always writes is written, ``null`` when absent; members the
Rust encoder skips when absent are left out), as the one Rust type does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    JsonValue,
    SerializerFunctionWrapHandler,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._nesting import refuse_marker

__all__ = ["JsonValue", "WireModel", "lower_case", "open_enum", "open_union", "one_error"]


class WireModel(BaseModel):
    """A wire object: members by their wire names (``alias``), attributes in snake_case."""

    model_config = ConfigDict(
        strict=True,
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        protected_namespaces=(),
    )

    __wire_omit__: ClassVar[dict[str, tuple[Any, ...]]] = {}
    """The members the Rust encoder leaves out when they hold one of these values (``None``,
    ``[]``)."""

    __wire_before__: ClassVar[Callable[[Any], Any] | None] = None
    """A decoding rule of the Rust type that its schema cannot state (see ``_leniency``)."""

    __wire_after__: ClassVar[Callable[[dict[str, Any]], None] | None] = None
    """An encoding rule of the Rust type that its schema cannot state (see ``_leniency``)."""

    @model_validator(mode="before")
    @classmethod
    def _wire_read(cls, data: Any) -> Any:
        refuse_marker(data)
        hook = cls.__wire_before__
        return data if hook is None else hook(data)

    @model_serializer(mode="wrap")
    def _wire_serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        data: Any = handler(self)
        result: Any = data
        if isinstance(data, dict):
            written = cast(dict[str, Any], data)
            for key, skipped in self.__wire_omit__.items():
                if key in written and any(_same(written[key], value) for value in skipped):
                    del written[key]
            if self.__wire_after__ is not None:
                self.__wire_after__(written)
        return result

    def to_wire(self) -> dict[str, JsonValue]:
        """The canonical wire JSON value of this object, as the Rust encoder writes it."""
        data: dict[str, JsonValue] = self.model_dump(mode="json", by_alias=True)
        return data


def _same(value: Any, skipped: Any) -> bool:
    return type(value) is type(skipped) and value == skipped


def open_enum(known: frozenset[str], fallback: str) -> Callable[[Any], Any]:
    """An open enum: a string this version does not know decodes as ``fallback``."""

    def read(value: Any) -> Any:
        if isinstance(value, str) and value not in known:
            return fallback
        return value

    return read


def open_union(tag: str, known: frozenset[str], other: str) -> Callable[[Any], Any]:
    """An open tagged union: an object whose tag this version does not know decodes as the
    catch-all variant ``other``."""

    def read(value: Any) -> Any:
        unchanged: Any = value
        if isinstance(value, Mapping):
            found: Any = cast(Mapping[str, Any], value).get(tag)
            if isinstance(found, str) and found not in known:
                return {tag: other}
        return unchanged

    return read


def lower_case(value: str) -> str:
    """A UUID is accepted in either case and always written in lower case."""
    return value.lower()


def one_error(
    expected: str, keyed: Mapping[str, type[BaseModel]]
) -> Callable[[Any, ValidatorFunctionWrapHandler], Any]:
    """An untagged or externally tagged union: an object with one member that names a variant
    (``{"httpConnectionFailed": …}``) is that variant, and errors inside it are reported there;
    when no shape fits, one error at the union's own place (as the Rust decoder reports it),
    not one per shape tried."""

    def read(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, Mapping):
            members = cast(Mapping[str, Any], value)
            if len(members) == 1:
                variant = keyed.get(next(iter(members)))
                if variant is not None:
                    return variant.model_validate(members)
        try:
            return handler(value)
        except ValueError:
            raise PydanticCustomError("no_variant", "expected {expected}", {"expected": expected})

    return read
