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

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from helpers.domain.events import STORED_EVENT_TYPES, DomainEvent
from helpers.domain.state import AccountState, Status, evolve
from helpers.errors import (
    CorruptRecord,
    InvalidHistory,
    PersistenceError,
    SchemaVersionError,
    StaleSnapshot,
    StoredRowError,
    UnknownEventType,
    UnreadableRow,
)
from helpers.storage.upcasters import EVENT_UPCASTERS

STATE_SCHEMA_VERSION = 2
"""The shape of a stored AccountState (2: money in integer cents; see helpers.storage.upcasters)."""

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
"""Takes the JSON object of a record at version v and returns it at version v + 1."""

EventDecoder = Callable[[str], DomainEvent]
Evolve = Callable[[AccountState | None, DomainEvent], AccountState]
"""The function replay applies each event with: ``helpers.domain.state.evolve``."""
"""Decodes the JSON payload of one event type at one schema version (see ``decoder_for``)."""


class DecodeError(StoredRowError):
    """A record could not be decoded. Stores re-raise it as CorruptRecord with the row's keys."""

    def at_row(self, table: str, account_id: str, version: object) -> CorruptRecord:
        return CorruptRecord(table, account_id, version, str(self))


class BadRow(DecodeError):
    """A stored event row could not be replayed; ``version`` is the row's key version.

    Its cause (``__cause__``) is the original error: a ``DecodeError`` or a broken history
    (``InvalidHistory``) becomes a ``CorruptRecord`` naming the row; an unknown type or a newer
    schema version keeps its own error, named at the row (the row is fine, the code too old).
    """

    def __init__(self, version: object, reason: str) -> None:
        super().__init__(reason)
        self.version = version
        self.reason = reason

    def at_row(self, table: str, account_id: str, version: object) -> StoredRowError:
        cause = self.__cause__
        if isinstance(cause, StoredRowError) and not isinstance(cause, DecodeError):
            return cause.at_row(table, account_id, version)
        return CorruptRecord(table, account_id, version, self.reason)


StoredRow = tuple[int, str, int, str]
"""One row of a replay query: (version, event type name, schema version, JSON payload)."""


def format_timestamp(moment: datetime) -> str:
    """UTC, microseconds, 'Z' suffix: one fixed width, so text order is time order in SQL."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamps must be timezone-aware, got {moment!r}")
    # isoformat pads the year to four digits; strftime("%Y") does not on every platform.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


class EventRegistry:
    """Type name -> event class, plus upcasters that bring old records to the current shape."""

    def __init__(self, event_types: Iterable[type[DomainEvent]] = STORED_EVENT_TYPES) -> None:
        self._types: dict[str, type[DomainEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        self._state_upcasters: dict[int, Upcaster] = {}
        self.generation = 0
        """Bumped on every registration, so codecs know their cached decoders are stale."""
        for event_type in event_types:
            self.register(event_type)
        for (type_name, from_version), upcaster in EVENT_UPCASTERS.items():
            if type_name in self._types:
                self.add_upcaster(type_name, from_version, upcaster)

    def register(self, event_type: type[DomainEvent]) -> None:
        self._types[event_type.__name__] = event_type
        self.generation += 1

    def add_upcaster(self, type_name: str, from_version: int, upcaster: Upcaster) -> None:
        """Register how a ``type_name`` record moves from ``from_version`` to the next one."""
        self._upcasters[(type_name, from_version)] = upcaster
        self.generation += 1

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
        """Apply state upcasters from version ``found`` up to ``STATE_SCHEMA_VERSION``.

        A value an upcaster cannot convert (a v1 balance of "12.505") is a ``DecodeError``,
        like a failing event upcaster: a store then skips the snapshot or names its row.
        """
        _check_schema_version(found)
        if found > STATE_SCHEMA_VERSION:
            raise SchemaVersionError("stored snapshot", found, STATE_SCHEMA_VERSION)
        for version in range(found, STATE_SCHEMA_VERSION):
            if version not in self._state_upcasters:
                raise StaleSnapshot(found, STATE_SCHEMA_VERSION)
            try:
                data = self._state_upcasters[version](data)
            except (PersistenceError, KeyError, TypeError, ValueError) as error:
                raise DecodeError(
                    f"stored state at schema version {version} cannot be upcast ({error!r})"
                ) from error
        return data


class Codec(Protocol):
    """What a store needs from a codec. Both codecs write and read the same JSON text."""

    name: ClassVar[str]
    registry: EventRegistry

    def encode_event(self, event: DomainEvent) -> tuple[str, int, str]:
        """Return (type name, schema version, JSON text)."""
        ...

    def decode_event(self, type_name: str, schema_version: int, payload: str) -> DomainEvent: ...

    def decoder_for(self, type_name: str, schema_version: int) -> EventDecoder:
        """A callable ``payload -> event`` for one (type, schema version) pair.

        Replay asks once per pair and then calls the result for every row, so the hot loop
        does no registry or method lookups. Raises ``UnknownEventType`` for an unknown type.
        """
        ...

    def encode_state(self, state: AccountState) -> tuple[int, str]: ...

    def decode_state(self, schema_version: int, payload: str) -> AccountState: ...

    def fold_rows(
        self,
        rows: Iterable[StoredRow],
        state: AccountState | None,
        account_id: str,
        apply: Evolve = evolve,
    ) -> tuple[AccountState | None, int]:
        """Replay stored rows onto ``state`` with ``apply``; return the state and the count.

        Raises ``BadRow`` for a row that cannot be replayed, whatever the reason (it cannot be
        decoded, belongs to another account or version, does not follow the state, has an
        unknown type or a newer schema), with the original error as its cause; and
        ``UnreadableRow`` with ``after_version`` set when the driver could not read a row.
        """
        ...


@functools.cache
def _field_names(event_type: type[DomainEvent]) -> tuple[str, ...]:
    """The dataclass field names of an event class, looked up once per class."""
    return tuple(f.name for f in fields(event_type))


def _event_to_dict(event: DomainEvent) -> dict[str, Any]:
    data = {name: getattr(event, name) for name in _field_names(type(event))}
    data["occurred_at"] = _json_timestamp(event.occurred_at)
    return data


def _json_timestamp(moment: datetime) -> str:
    """The RFC 3339 text msgspec also writes: 'Z' for UTC, microseconds only when non-zero."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


_INT_FIELDS = {"version", "amount", "overdraft_limit", "balance"}
_STR_FIELDS = {"account_id", "reference", "owner", "reason", "status"}
_ANNOTATION_TYPES: dict[str, type] = {"int": int, "str": str}


def _check_types(data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in _INT_FIELDS and (type(value) is not int):
            raise _wrong_type(key, value, int)
        if key in _STR_FIELDS and type(value) is not str:
            raise _wrong_type(key, value, str)


def _wrong_type(key: str, value: object, expected: type) -> DecodeError:
    what = "a whole number" if expected is int else "text"
    return DecodeError(f"field {key!r} should be {what}, found {value!r}")


def _check_schema_version(found: object) -> None:
    """A stored schema version is a whole number; anything else is a damaged row."""
    if type(found) is not int:
        raise DecodeError(f"the schema version should be a whole number, found {found!r}")


def _json_object(payload: str, what: str = "payload") -> dict[str, Any]:
    """``json.loads`` that insists on a JSON object and reports failures as DecodeError."""
    try:
        data = json.loads(payload)
    except (ValueError, TypeError, RecursionError) as error:
        raise DecodeError(f"{what} is not valid JSON ({error})") from error
    if type(data) is not dict:
        raise DecodeError(f"{what} should be a JSON object, found {type(data).__name__}")
    return data


def _build_checked(event_type: type[DomainEvent], data: dict[str, Any]) -> DomainEvent:
    """The plain way: check the field types, then call the dataclass constructor."""
    _check_types(data)
    try:
        data["occurred_at"] = parse_timestamp(data["occurred_at"])
        return event_type(**data)
    except (KeyError, TypeError, ValueError) as error:
        raise DecodeError(
            f"{event_type.__name__} payload does not fit its fields ({error})"
        ) from error


EventBuilder = Callable[[dict[str, Any]], DomainEvent]


def _builder_for(event_type: type[DomainEvent]) -> EventBuilder:
    """A fast ``dict -> event`` function for one event class, with the same checks.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (to get
    round its own frozenness), which costs about as much as parsing the JSON. For a slotted
    event without ``__post_init__``, this builder reads every field, checks its type, and
    fills the slots directly through their descriptors - the result is the same frozen,
    equal event. Like ``dataclasses`` does for ``__init__``, the function is generated once
    per class (see ``_builder_source``), so the per-event work is straight-line code. Anything
    unusual (a missing or extra key, a bad timestamp) goes to the plain path in
    ``_build_checked``, so error messages stay the same.
    """
    plain = functools.partial(_build_checked, event_type)
    if "__post_init__" in vars(event_type) or not hasattr(event_type, "__slots__"):
        return plain
    names = [spec.name for spec in fields(event_type)]
    checked: dict[str, type] = {}
    for spec in fields(event_type):
        if spec.name == "occurred_at":
            continue
        expected = _ANNOTATION_TYPES.get(spec.type if isinstance(spec.type, str) else "")
        if expected is None:  # a field type this builder does not know: use the plain path
            return plain
        checked[spec.name] = expected
    if "occurred_at" not in names:
        return plain
    namespace: dict[str, Any] = {
        "plain": plain,
        "new": object.__new__,
        "event_type": event_type,
        "parse_time": datetime.fromisoformat,
        "wrong_type": _wrong_type,
    }
    for index, name in enumerate(names):
        namespace[f"set_{index}"] = getattr(event_type, name).__set__
        if name in checked:
            namespace[f"type_{index}"] = checked[name]
    exec(_builder_source(names, checked), namespace)  # source built from field names only
    return namespace["build"]


def _builder_source(names: list[str], checked: dict[str, type]) -> str:
    """Source of ``build(data)``: read all fields, check types, then fill the slots."""
    lines = [
        "def build(data):",
        f"    if len(data) != {len(names)}:",
        "        return plain(data)",
        "    try:",
    ]
    for index, name in enumerate(names):
        read = "parse_time(data['occurred_at'])" if name == "occurred_at" else f"data[{name!r}]"
        lines.append(f"        v{index} = {read}")
    lines += ["    except (KeyError, TypeError, ValueError):", "        return plain(data)"]
    for index, name in enumerate(names):
        if name in checked:  # refuses 12.5, "1250" and True for an int
            lines.append(f"    if type(v{index}) is not type_{index}:")
            lines.append(f"        raise wrong_type({name!r}, v{index}, type_{index})")
    lines.append("    event = new(event_type)")
    lines += [f"    set_{index}(event, v{index})" for index in range(len(names))]
    lines.append("    return event")
    return "\n".join(lines) + "\n"


class CodecBase:
    """What both codecs share: the registry, one decoder per (type, schema version) built once
    and reused by replay, and the reading of stored state (one row per load, so plain json)."""

    name: ClassVar[str]

    def __init__(self, registry: EventRegistry | None = None) -> None:
        self.registry = registry if registry is not None else EventRegistry()
        self._decoders: dict[tuple[str, int], EventDecoder] = {}
        self._generation = self.registry.generation

    def decode_event(self, type_name: str, schema_version: int, payload: str) -> DomainEvent:
        return self.decoder_for(type_name, schema_version)(payload)

    def decoder_for(self, type_name: str, schema_version: int) -> EventDecoder:
        """The function that turns one payload of this type and schema version into an event."""
        if self._generation != self.registry.generation:  # a type or upcaster was added
            self._decoders.clear()
            self._generation = self.registry.generation
        key = (type_name, schema_version)
        decoder = self._decoders.get(key)
        if decoder is None:
            _check_schema_version(schema_version)
            decoder = self._decoders[key] = self._make_decoder(type_name, schema_version)
        return decoder

    def _make_decoder(self, type_name: str, schema_version: int) -> EventDecoder:
        raise NotImplementedError

    def decode_state(self, schema_version: int, payload: str) -> AccountState:
        data = _json_object(payload, "snapshot")
        return state_from_dict(self.registry.upcast_state(schema_version, data))

    def replay_decoder(self, type_name: str, schema_version: int) -> Callable[[str], object]:
        """What ``fold_rows`` decodes a row into (here the event itself): for measurements."""
        return self.decoder_for(type_name, schema_version)

    def fold_rows(
        self,
        rows: Iterable[StoredRow],
        state: AccountState | None,
        account_id: str,
        apply: Evolve = evolve,
    ) -> tuple[AccountState | None, int]:
        """Replay: decode each row, check it is the row's event, apply it with ``apply``.

        This is the plain loop, one event at a time, as notebook 03 explains replay. Rows
        stream through it, so memory stays flat however long the history is. The check costs
        two comparisons per row: the payload must name the account being loaded and the
        version of its own row, so a misfiled row is never folded into another history.
        ``apply`` is the domain's ``evolve``; the store passes the one it imported, so that a
        lesson that swaps it (a spy, a deliberately buggy release) sees every event.
        """
        decoders: dict[tuple[str, int], EventDecoder] = {}
        applied = 0
        version: object = None if state is None else state.version
        try:
            for version, type_name, schema_version, payload in rows:
                try:
                    decode = decoders.get((type_name, schema_version))
                    if decode is None:  # once per (type, schema version)
                        decode = decoders[type_name, schema_version] = self.decoder_for(
                            type_name, schema_version
                        )
                    event = decode(payload)
                    if event.version != version or event.account_id != account_id:
                        raise misfiled(event, account_id, version)
                    state = apply(state, event)
                except (StoredRowError, InvalidHistory) as error:
                    raise BadRow(version, str(error)) from error
                applied += 1
        except UnreadableRow as error:
            error.after_version = version  # the last row read: the store names the next one
            raise
        return state, applied


def misfiled(event: DomainEvent, account_id: str, version: int) -> DecodeError:
    """The error for a payload stored under keys that are not its own."""
    if event.account_id != account_id:
        return DecodeError(
            f"the payload belongs to account {event.account_id!r}; a row of another account "
            "is never folded into this one"
        )
    return DecodeError(
        f"the payload says version {event.version!r}, but the row is stored at version {version!r}"
    )


class JsonCodec(CodecBase):
    """The stdlib codec: ``json`` plus dataclass construction, with explicit type checks."""

    name: ClassVar[str] = "json"

    def encode_event(self, event: DomainEvent) -> tuple[str, int, str]:
        type_name = self.registry.name_of(event)
        text = json.dumps(_event_to_dict(event), separators=(",", ":"), ensure_ascii=False)
        return type_name, type(event).schema_version, text

    def _make_decoder(self, type_name: str, schema_version: int) -> EventDecoder:
        event_type = self.registry.type_for(type_name)  # UnknownEventType before any row
        build = _builder_for(event_type)
        if schema_version != event_type.schema_version:
            registry = self.registry

            def decode_and_upcast(payload: str) -> DomainEvent:
                data = registry.upcast(type_name, schema_version, _json_object(payload))
                return build(data)

            return decode_and_upcast
        raw_decode = json.JSONDecoder().raw_decode

        def decode(payload: str) -> DomainEvent:
            # raw_decode skips json.loads's whitespace handling; anything it cannot take
            # as a whole, compact JSON object goes through the full _json_object path.
            try:
                data, end = raw_decode(payload)
            except (ValueError, TypeError, RecursionError):
                return build(_json_object(payload))
            if end != len(payload) or type(data) is not dict:
                data = _json_object(payload)
            return build(data)

        return decode

    def encode_state(self, state: AccountState) -> tuple[int, str]:
        return STATE_SCHEMA_VERSION, json.dumps(
            state.as_dict(), separators=(",", ":"), ensure_ascii=False
        )


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
