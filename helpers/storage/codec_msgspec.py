"""The fast codec: msgspec decodes JSON straight into the frozen event dataclasses, in C.

It reads and writes exactly the same JSON text as :class:`helpers.storage.codec.JsonCodec`, so a
database written with one codec loads with the other; only the speed differs. msgspec also
validates types while decoding, so a corrupt amount such as ``"12.50"`` is refused.

One difference remains: msgspec cannot forbid unknown keys when it decodes into a dataclass,
so a payload with an extra key loads here (the extra key is ignored) while JsonCodec refuses
it. Neither codec ever writes one.

Replay has a fast form here (:meth:`MsgspecCodec.fold_rows`): deposits and withdrawals, almost
every event of a history, are decoded into light row structs and added up, instead of being
built as frozen events and applied one by one with ``evolve``. Everything else takes the plain
path, and ``tests/storage/test_fold_equivalence.py`` checks with Hypothesis that both forms give
the same state, or the same error, for any history, however damaged.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import ClassVar

import msgspec

from helpers.domain.events import DomainEvent, MoneyDeposited, MoneyWithdrawn
from helpers.domain.state import AccountState, evolve
from helpers.errors import UnreadableRow
from helpers.storage.codec import (
    STATE_SCHEMA_VERSION,
    CodecBase,
    DecodeError,
    EventDecoder,
    EventRegistry,
    Evolve,
    StoredRow,
)

MONEY_SIGNS: dict[type[DomainEvent], int] = {MoneyDeposited: 1, MoneyWithdrawn: -1}
"""The events the fast replay adds up, and the sign of their amount in the balance."""

_FAILURES = (msgspec.DecodeError, msgspec.ValidationError)


class MsgspecCodec(CodecBase):
    """Same format as JsonCodec, decoded by msgspec's typed decoders (one per event type)."""

    name: ClassVar[str] = "msgspec"

    def __init__(self, registry: EventRegistry | None = None) -> None:
        super().__init__(registry)
        self._encoder = msgspec.json.Encoder()
        self._plain = msgspec.json.Decoder()
        self._money: dict[str, tuple[int, Callable[[str], object], int]] | None = None
        self._money_generation = -1

    def encode_event(self, event: DomainEvent) -> tuple[str, int, str]:
        type_name = self.registry.name_of(event)
        return type_name, type(event).schema_version, self._encoder.encode(event).decode()

    def _make_decoder(self, type_name: str, schema_version: int) -> EventDecoder:
        event_type = self.registry.type_for(type_name)  # UnknownEventType before any row
        # TypeError: a stored payload that is not text at all (a number, NULL).
        failures = (msgspec.DecodeError, msgspec.ValidationError, TypeError)
        if schema_version == event_type.schema_version:
            typed = msgspec.json.Decoder(event_type).decode

            def decode(payload: str) -> DomainEvent:
                try:
                    return typed(payload)
                except failures as error:
                    raise _fit_error(type_name, error) from error

            return decode
        plain, registry = self._plain.decode, self.registry

        def decode_and_upcast(payload: str) -> DomainEvent:
            try:
                data = plain(payload)
            except failures as error:
                raise _fit_error(type_name, error) from error
            if type(data) is not dict:
                raise DecodeError(f"payload should be a JSON object, found {type(data).__name__}")
            data = registry.upcast(type_name, schema_version, data)
            try:
                return msgspec.convert(data, event_type)
            except failures as error:
                raise _fit_error(type_name, error) from error

        return decode_and_upcast

    def encode_state(self, state: AccountState) -> tuple[int, str]:
        return STATE_SCHEMA_VERSION, self._encoder.encode(state.as_dict()).decode()

    def fold_rows(
        self,
        rows: Iterable[StoredRow],
        state: AccountState | None,
        account_id: str,
        apply: Evolve = evolve,
    ) -> tuple[AccountState | None, int]:
        """The plain replay (``CodecBase.fold_rows``), with deposits and withdrawals added up.

        While money events follow one another, the state stays unpacked in two local numbers
        (balance and version) and each row costs one C-level decode into a row struct, the
        plain loop's checks (the payload's version is the row's and the next one, its account
        the one being loaded) and one addition: no frozen event and no new state per event.
        Any other row - an opening, a freeze, an old schema version that needs upcasting, or
        anything that does not decode or does not follow - goes through ``plain_step``, the
        very code of the plain loop, which applies it with ``evolve`` or raises the error the
        plain loop raises for that row.

        The adding up is ``evolve``'s own arithmetic for a deposit or a withdrawal. When the
        caller applies something else (a lesson's spy or deliberately buggy ``evolve``), the
        whole replay takes the plain loop, so that every event goes through it.
        """
        if apply is not evolve:
            return super().fold_rows(rows, state, account_id, apply)
        money = self._money_decoders()
        plain_step = self._plain_step(account_id)
        balance, version = (0, 0) if state is None else (state.balance, state.version)
        applied = 0
        try:
            for key, type_name, schema_version, payload in rows:
                fast = money.get(type_name)
                if fast is not None and state is not None and schema_version == fast[0]:
                    try:
                        moved = fast[1](payload)
                    except _FAILURES:
                        pass  # the plain step below raises the plain loop's error
                    else:
                        if moved.version == version + 1 == key and moved.account_id == account_id:
                            balance += fast[2] * moved.amount
                            version = key
                            applied += 1
                            continue
                if state is not None:  # bring the unpacked numbers back before evolve sees them
                    state = state._replace(balance=balance, version=version)
                state = plain_step(state, (key, type_name, schema_version, payload))
                balance, version = state.balance, state.version
                applied += 1
        except UnreadableRow as error:
            error.after_version = version if state is not None else None
            raise
        if state is not None and (state.balance, state.version) != (balance, version):
            state = state._replace(balance=balance, version=version)
        return state, applied

    def _plain_step(
        self, account_id: str
    ) -> Callable[[AccountState | None, StoredRow], AccountState | None]:
        """One row of the plain loop (decode, check the row, evolve), as a function."""
        plain = super().fold_rows

        def step(state: AccountState | None, row: StoredRow) -> AccountState | None:
            return plain((row,), state, account_id)[0]  # evolve's result, never None

        return step

    def replay_decoder(self, type_name: str, schema_version: int) -> Callable[[str], object]:
        """What ``fold_rows`` decodes a row into: a row struct for money, else the event."""
        fast = self._money_decoders().get(type_name)
        if fast is not None and fast[0] == schema_version:
            return fast[1]
        return self.decoder_for(type_name, schema_version)

    def _money_decoders(self) -> dict[str, tuple[int, Callable[[str], object], int]]:
        """Type name -> (current schema version, row-struct decoder, sign of the amount)."""
        if self._money is None or self._money_generation != self.registry.generation:
            self._money = {}
            for event_type, sign in MONEY_SIGNS.items():
                name = event_type.__name__
                if name in self.registry.names() and self.registry.type_for(name) is event_type:
                    decode = msgspec.json.Decoder(_row_struct(event_type)).decode
                    self._money[name] = (event_type.schema_version, decode, sign)
            self._money_generation = self.registry.generation
        return self._money


def _row_struct(event_type: type[DomainEvent]) -> type[msgspec.Struct]:
    """A light msgspec struct with the same fields and field types as ``event_type``.

    msgspec builds it (``defstruct``) from the event's own dataclass fields, so it checks
    exactly what decoding into the event checks - every field present, each of its type,
    the timestamp a valid time - but the struct is cheaper to create than a frozen
    dataclass, and ``gc=False`` keeps the garbage collector from tracking it.
    """
    hints = typing.get_type_hints(event_type)
    spec = [(f.name, hints[f.name]) for f in fields(event_type)]
    return msgspec.defstruct(f"{event_type.__name__}Row", spec, gc=False)


def _fit_error(type_name: str, error: Exception) -> DecodeError:
    return DecodeError(f"{type_name} payload does not fit its fields ({error})")
