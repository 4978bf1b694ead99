"""The fast codec: msgspec decodes JSON straight into the frozen event dataclasses, in C.

It reads and writes exactly the same JSON text as :class:`helpers.codec.JsonCodec`, so a
database written with one codec loads with the other; only the speed differs. msgspec also
validates types while decoding, so a corrupt amount such as ``"12.50"`` is refused.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec

from helpers.codec import (
    STATE_SCHEMA_VERSION,
    DecodeError,
    EventRegistry,
    state_from_dict,
)
from helpers.events import DomainEvent
from helpers.state import AccountState


class MsgspecCodec:
    """Same format as JsonCodec, decoded by msgspec's typed decoders (one per event type)."""

    name: ClassVar[str] = "msgspec"

    def __init__(self, registry: EventRegistry | None = None) -> None:
        self.registry = registry if registry is not None else EventRegistry()
        self._encoder = msgspec.json.Encoder()
        self._decoders: dict[str, msgspec.json.Decoder[Any]] = {}
        self._plain = msgspec.json.Decoder()

    def _decoder_for(self, type_name: str) -> msgspec.json.Decoder[Any]:
        decoder = self._decoders.get(type_name)
        if decoder is None:
            decoder = msgspec.json.Decoder(self.registry.type_for(type_name))
            self._decoders[type_name] = decoder
        return decoder

    def encode_event(self, event: DomainEvent) -> tuple[str, int, str]:
        type_name = self.registry.name_of(event)
        return type_name, type(event).schema_version, self._encoder.encode(event).decode()

    def decode_event(self, type_name: str, schema_version: int, payload: str) -> DomainEvent:
        decoder = self._decoder_for(type_name)
        try:
            if schema_version == decoder.type.schema_version:
                return decoder.decode(payload)
            data = self.registry.upcast(type_name, schema_version, self._plain.decode(payload))
            return msgspec.convert(data, decoder.type)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            raise DecodeError(f"{type_name} payload does not fit its fields ({error})") from error

    def encode_state(self, state: AccountState) -> tuple[int, str]:
        return STATE_SCHEMA_VERSION, self._encoder.encode(state.as_dict()).decode()

    def decode_state(self, schema_version: int, payload: str) -> AccountState:
        try:
            data = self._plain.decode(payload)
        except msgspec.DecodeError as error:
            raise DecodeError(f"snapshot is not valid JSON ({error})") from error
        if type(data) is not dict:
            raise DecodeError(f"snapshot should be a JSON object, found {type(data).__name__}")
        return state_from_dict(self.registry.upcast_state(schema_version, data))
