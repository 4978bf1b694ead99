"""The fast codec: msgspec decodes JSON straight into the frozen event dataclasses, in C.

It reads and writes exactly the same JSON text as :class:`helpers.storage.codec.JsonCodec`, so a
database written with one codec loads with the other; only the speed differs. msgspec also
validates types while decoding, so a corrupt amount such as ``"12.50"`` is refused.

One difference remains: msgspec cannot forbid unknown keys when it decodes into a dataclass,
so a payload with an extra key loads here (the extra key is ignored) while JsonCodec refuses
it. Neither codec ever writes one.
"""

from __future__ import annotations

from typing import ClassVar

import msgspec

from helpers.domain.events import DomainEvent
from helpers.domain.state import AccountState
from helpers.storage.codec import (
    STATE_SCHEMA_VERSION,
    CodecBase,
    DecodeError,
    EventDecoder,
    EventRegistry,
)


class MsgspecCodec(CodecBase):
    """Same format as JsonCodec, decoded by msgspec's typed decoders (one per event type)."""

    name: ClassVar[str] = "msgspec"

    def __init__(self, registry: EventRegistry | None = None) -> None:
        super().__init__(registry)
        self._encoder = msgspec.json.Encoder()
        self._plain = msgspec.json.Decoder()

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


def _fit_error(type_name: str, error: Exception) -> DecodeError:
    return DecodeError(f"{type_name} payload does not fit its fields ({error})")
