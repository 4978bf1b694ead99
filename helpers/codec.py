"""Turning events and state into JSON text and back, with an explicit registry of types.

Stored records carry three things besides their JSON: the event *type name* (a stable tag,
not a Python import path), the *schema version* of the shape that was written, and - in
columns beside the JSON - the keys a store queries by. Decoding refuses what it does not
know: an unregistered type name raises ``UnknownEventType``; a schema version newer than the
code raises ``SchemaVersionError``; an older one is brought forward by registered upcasters.

Nothing is ever pickled: JSON can be read by other languages, other versions of this code and
people, and loading it cannot execute code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from helpers.errors import (
    PersistenceError,
    SchemaVersionError,
    StaleSnapshot,
    UnknownEventType,
)
from helpers.events import STORED_EVENT_TYPES, DomainEvent
from helpers.state import AccountState, Status
from helpers.upcasters import EVENT_UPCASTERS

STATE_SCHEMA_VERSION = 2
"""The shape of a stored AccountState (2: money in integer cents; see helpers.upcasters)."""

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
"""Takes the JSON object of a record at version v and returns it at version v + 1."""


class DecodeError(PersistenceError):
    """A record could not be decoded. Stores re-raise it as CorruptRecord with the row's keys."""


def format_timestamp(moment: datetime) -> str:
    """UTC, microseconds, 'Z' suffix: one fixed width, so text order is time order in SQL."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamps must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


class EventRegistry:
    """Type name -> event class, plus upcasters that bring old records to the current shape."""

    def __init__(self, event_types: Iterable[type[DomainEvent]] = STORED_EVENT_TYPES) -> None:
        self._types: dict[str, type[DomainEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        self._state_upcasters: dict[int, Upcaster] = {}
        for event_type in event_types:
            self.register(event_type)
        for (type_name, from_version), upcaster in EVENT_UPCASTERS.items():
            if type_name in self._types:
                self.add_upcaster(type_name, from_version, upcaster)

    def register(self, event_type: type[DomainEvent]) -> None:
        self._types[event_type.__name__] = event_type

    def add_upcaster(self, type_name: str, from_version: int, upcaster: Upcaster) -> None:
        """Register how a ``type_name`` record moves from ``from_version`` to the next one."""
        self._upcasters[(type_name, from_version)] = upcaster

    def add_state_upcaster(self, from_version: int, upcaster: Upcaster) -> None:
        """Register how a stored state moves from ``from_version`` to the next one."""
        self._state_upcasters[from_version] = upcaster

    def names(self) -> list[str]:
        return list(self._types)

    def type_for(self, type_name: str) -> type[DomainEvent]:
        try:
            return self._types[type_name]
        except KeyError:
            raise UnknownEventType(type_name, self.names()) from None

    def name_of(self, event: object) -> str:
        name = type(event).__name__
        if self._types.get(name) is not type(event):
            raise UnknownEventType(name, self.names())
        return name

    def upcast(self, type_name: str, found: int, data: dict[str, Any]) -> dict[str, Any]:
        """Apply upcasters from version ``found`` up to the class's current version."""
        current = self.type_for(type_name).schema_version
        if found > current:
            raise SchemaVersionError(f"{type_name} record", found, current)
        for version in range(found, current):
            try:
                step = self._upcasters[(type_name, version)]
            except KeyError:
                raise DecodeError(
                    f"{type_name} was stored at schema version {version} and no upcaster "
                    f"to version {version + 1} is registered"
                ) from None
            try:
                data = step(data)
            except (PersistenceError, KeyError, TypeError, ValueError) as error:
                # A legacy value the upcaster cannot convert (a missing amount, "12.505")
                # is a corrupt record: say so, so that stores can name the row.
                raise DecodeError(
                    f"{type_name} at schema version {version} cannot be upcast ({error!r})"
                ) from error
        return data

    def upcast_state(self, found: int, data: dict[str, Any]) -> dict[str, Any]:
        if found > STATE_SCHEMA_VERSION:
            raise SchemaVersionError("stored snapshot", found, STATE_SCHEMA_VERSION)
        for version in range(found, STATE_SCHEMA_VERSION):
            if version not in self._state_upcasters:
                raise StaleSnapshot(found, STATE_SCHEMA_VERSION)
            data = self._state_upcasters[version](data)
        return data


class Codec(Protocol):
    """What a store needs from a codec. Both codecs write and read the same JSON text."""

    name: ClassVar[str]
    registry: EventRegistry

    def encode_event(self, event: DomainEvent) -> tuple[str, int, str]:
        """Return (type name, schema version, JSON text)."""
        ...

    def decode_event(self, type_name: str, schema_version: int, payload: str) -> DomainEvent: ...

    def encode_state(self, state: AccountState) -> tuple[int, str]: ...

    def decode_state(self, schema_version: int, payload: str) -> AccountState: ...


def _event_to_dict(event: DomainEvent) -> dict[str, Any]:
    data = {f.name: getattr(event, f.name) for f in fields(event)}
    data["occurred_at"] = _json_timestamp(event.occurred_at)
    return data


def _json_timestamp(moment: datetime) -> str:
    """The RFC 3339 text msgspec also writes: 'Z' for UTC, microseconds only when non-zero."""
    moment = moment.astimezone(UTC)
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(pattern)


_INT_FIELDS = {"version", "amount", "overdraft_limit", "balance"}
_STR_FIELDS = {"account_id", "reference", "owner", "reason", "status"}


def _check_types(data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in _INT_FIELDS and (type(value) is not int):
            raise DecodeError(f"field {key!r} should be a whole number, found {value!r}")
        if key in _STR_FIELDS and type(value) is not str:
            raise DecodeError(f"field {key!r} should be text, found {value!r}")


class JsonCodec:
    """The stdlib codec: ``json`` plus dataclass construction, with explicit type checks."""

    name: ClassVar[str] = "json"

    def __init__(self, registry: EventRegistry | None = None) -> None:
        self.registry = registry if registry is not None else EventRegistry()

    def encode_event(self, event: DomainEvent) -> tuple[str, int, str]:
        type_name = self.registry.name_of(event)
        text = json.dumps(_event_to_dict(event), separators=(",", ":"), ensure_ascii=False)
        return type_name, type(event).schema_version, text

    def decode_event(self, type_name: str, schema_version: int, payload: str) -> DomainEvent:
        event_type = self.registry.type_for(type_name)
        try:
            data = json.loads(payload)
        except (ValueError, TypeError) as error:
            raise DecodeError(f"payload is not valid JSON ({error})") from error
        if type(data) is not dict:
            raise DecodeError(f"payload should be a JSON object, found {type(data).__name__}")
        if schema_version != event_type.schema_version:
            data = self.registry.upcast(type_name, schema_version, data)
        _check_types(data)
        try:
            data["occurred_at"] = parse_timestamp(data["occurred_at"])
            return event_type(**data)
        except (KeyError, TypeError, ValueError) as error:
            raise DecodeError(f"{type_name} payload does not fit its fields ({error})") from error

    def encode_state(self, state: AccountState) -> tuple[int, str]:
        return STATE_SCHEMA_VERSION, json.dumps(
            state.as_dict(), separators=(",", ":"), ensure_ascii=False
        )

    def decode_state(self, schema_version: int, payload: str) -> AccountState:
        try:
            data = json.loads(payload)
        except (ValueError, TypeError) as error:
            raise DecodeError(f"snapshot is not valid JSON ({error})") from error
        if type(data) is not dict:
            raise DecodeError(f"snapshot should be a JSON object, found {type(data).__name__}")
        data = self.registry.upcast_state(schema_version, data)
        return state_from_dict(data)


def state_from_dict(data: dict[str, Any]) -> AccountState:
    """Build an AccountState from a decoded JSON object, or explain what is wrong with it."""
    _check_types(data)
    try:
        return AccountState(
            account_id=data["account_id"],
            owner=data["owner"],
            balance=data["balance"],
            overdraft_limit=data["overdraft_limit"],
            status=Status(data["status"]),
            version=data["version"],
        )
    except (KeyError, ValueError) as error:
        raise DecodeError(f"snapshot does not fit the state's fields ({error!r})") from error
