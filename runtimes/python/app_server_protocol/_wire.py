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
    Discriminator,
    JsonValue,
    SerializerFunctionWrapHandler,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._nesting import refuse_marker

__all__ = [
    "UNKNOWN_TAG",
    "ExtensionResult",
    "JsonValue",
    "UnknownVariant",
    "WireModel",
    "lower_case",
    "one_error",
    "open_discriminator",
    "open_enum",
    "open_union",
]


class WireModel(BaseModel):
    """A wire object: members by their wire names (``alias``), attributes in snake_case."""

    model_config = ConfigDict(
        strict=True,
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        protected_namespaces=(),
        # A model's validator is built when it is first used, not at import: importing the
        # package stays fast, and a program pays only for the models it reads.
        defer_build=True,
    )

    __wire_omit__: ClassVar[dict[str, tuple[Any, ...]]] = {}
    """The members the Rust encoder leaves out when they hold one of these values (``None``,
    ``[]``)."""

    __wire_before__: ClassVar[tuple[Callable[[Any], Any], ...]] = ()
    """A decoding rule of the Rust type that its schema cannot state (see ``_leniency``)."""

    __wire_after__: ClassVar[tuple[Callable[[dict[str, Any]], None], ...]] = ()
    """An encoding rule of the Rust type that its schema cannot state (see ``_leniency``)."""

    def __init__(self, /, **members: Any) -> None:
        """Builds the object from its members by attribute name (``thread_id=…``, as type
        checkers read the constructor) or by wire name (``threadId=…``). A name that is neither
        raises ``TypeError``: a misspelt member is never silently dropped."""
        names = _names_of(type(self))
        data: dict[str, Any] = {}
        for key, value in members.items():
            wire = names.get(key)
            if wire is None:
                if type(self).model_config.get("extra") != "allow":
                    known = ", ".join(type(self).model_fields)
                    raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {key!r}; its members: {known}")
                wire = key
            if wire in data:
                raise TypeError(f"{type(self).__name__}() got the member {wire!r} twice ({key!r})")
            data[wire] = value
        super().__init__(**data)

    # Decoding validates without calling the constructor (pydantic calls an `__init__` of a
    # subclass on every validation unless it is marked as the base's).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]  # pyright: ignore[reportFunctionMemberAccess]

    @model_validator(mode="before")
    @classmethod
    def _wire_read(cls, data: Any) -> Any:
        refuse_marker(data)
        for hook in cls.__wire_before__:
            data = hook(data)
        return data

    @model_serializer(mode="wrap")
    def _wire_serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        data: Any = handler(self)
        result: Any = data
        if isinstance(data, dict):
            written = cast(dict[str, Any], data)
            for key, skipped in self.__wire_omit__.items():
                if key in written and any(_same(written[key], value) for value in skipped):
                    del written[key]
            for hook in self.__wire_after__:
                hook(written)
        return result

    def to_wire(self) -> dict[str, JsonValue]:
        """The canonical wire JSON value of this object, as the Rust encoder writes it."""
        data: dict[str, JsonValue] = self.model_dump(mode="json", by_alias=True)
        return data


_NAMES: dict[type[BaseModel], dict[str, str]] = {}


def _names_of(model: type[BaseModel]) -> dict[str, str]:
    """Attribute name and wire name → wire name, for the members of ``model``."""
    names = _NAMES.get(model)
    if names is None:
        names = {}
        for attr, info in model.model_fields.items():
            alias = info.validation_alias
            wire = alias if isinstance(alias, str) else attr
            names[attr] = wire
            names[wire] = wire
        _NAMES[model] = names
    return names


class ExtensionResult(WireModel):
    """The result of a request outside the method table (an extension method's): every member
    as it came (``model_extra``), written back unchanged."""

    model_config = ConfigDict(extra="allow")


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


class UnknownVariant(BaseModel):
    """A variant of an open union (``v2.ThreadItem``, ``v2.CommandAction``) that this version
    does not know — a newer server's — kept whole: every member as it came, the tag included
    (``members``); written back unchanged. Each such union has its subclass
    (``v2.UnknownThreadItem``): match on it, show the variant generically or skip it."""

    model_config = ConfigDict(strict=True)

    members: dict[str, JsonValue]
    """Every member as it came, the tag included."""

    @model_validator(mode="before")
    @classmethod
    def _wire_whole(cls, data: Any) -> Any:
        refuse_marker(data)
        if isinstance(data, Mapping) and _TAG in data:
            members = cast(Mapping[str, Any], data)
            return {"members": dict(members)}
        if not isinstance(data, Mapping | BaseModel):
            raise PydanticCustomError("object_type", "expected an object")
        return cast(Any, data)

    @model_serializer(mode="plain")
    def _wire_write(self) -> dict[str, JsonValue]:
        return self.members

    def to_wire(self) -> dict[str, JsonValue]:
        """The variant as it came (a copy)."""
        return dict(self.members)

    @property
    def type(self) -> str:
        """The variant's tag, e.g. ``"enteredReviewMode"``."""
        tag = self.members.get(_TAG)
        return tag if isinstance(tag, str) else ""


_TAG = "type"
"""The tag member of every open union that keeps its unknown variants."""

UNKNOWN_TAG = "\u0000unknown"
"""The ``Tag`` of an open union's ``UnknownVariant`` class (no wire tag can be it: the union's
discriminator names it for a tag this version does not know)."""


def open_discriminator(tag: str, known: frozenset[str]) -> Discriminator:
    """The discriminator of an open union that keeps its unknown variants: an object is the
    variant its tag names, or the union's ``UnknownVariant`` class when the tag is a string no
    variant has. A tag that is missing or no string is refused at the tag (as the Rust decoder
    refuses it); anything but an object is refused as no variant."""

    def variant(value: Any) -> str | None:
        if isinstance(value, UnknownVariant):
            return UNKNOWN_TAG
        found: Any
        if isinstance(value, BaseModel):
            found = getattr(value, tag, None)
        elif isinstance(value, Mapping):
            found = cast(Mapping[str, Any], value).get(tag)
            if isinstance(found, str) and found not in known:
                return UNKNOWN_TAG
        else:
            # Not an object: the unknown variant refuses it as such, at the union's place.
            return UNKNOWN_TAG
        return found if isinstance(found, str) else None

    # pydantic's own error (and words) for a tag it cannot read, which the decoder reports at
    # the tag.
    return Discriminator(variant, custom_error_type="union_tag_not_found", custom_error_context={"discriminator": repr(tag)})


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
