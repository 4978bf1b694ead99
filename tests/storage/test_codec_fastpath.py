"""The replay fast paths (cached decoders, slot-filling builder, evolve's money branch) must
give exactly what the plain paths give, and refuse exactly what they refuse."""

from __future__ import annotations

import json

import pytest

from helpers.domain.events import MoneyDeposited
from helpers.domain.state import evolve
from helpers.errors import CorruptRecord, OutOfOrderEvent, SchemaVersionError, UnknownEventType
from helpers.samples.workload import build_account
from helpers.storage.codec import DecodeError, JsonCodec, _build_checked
from helpers.storage.codec_msgspec import MsgspecCodec
from helpers.storage.event_store import EventSourcedRepository
from tests.storage.contract import run_sql

CODECS = {"json": JsonCodec, "msgspec": MsgspecCodec}


@pytest.fixture(params=list(CODECS))
def codec(request):
    return CODECS[request.param]()


def _saved_history(store, n_events: int = 300):
    account = build_account("acc-1", n_events, seed=3)
    events = account.pending_events
    with EventSourcedRepository(store) as repo:
        repo.save(account)
    return account, events


def _set_payload(store, version: int, text: str, schema_version: int | None = None) -> None:
    run_sql(store, "UPDATE events SET payload = ? WHERE version = ?", (text, version))
    if schema_version is not None:
        sql = "UPDATE events SET schema_version = ? WHERE version = ?"
        run_sql(store, sql, (schema_version, version))


def _payload(event) -> dict:
    return json.loads(JsonCodec().encode_event(event)[2])


def test_fast_decoding_gives_the_same_frozen_events_as_the_dataclass_constructor(codec):
    events = build_account("acc-1", 400, seed=5).pending_events
    for event in events:
        type_name, schema, text = codec.encode_event(event)
        fast = codec.decoder_for(type_name, schema)(text)
        plain = _build_checked(type(event), json.loads(text))
        assert fast == plain == event
        assert type(fast) is type(event)
        with pytest.raises(AttributeError):
            fast.version = 99  # type: ignore[misc]  # still frozen


@pytest.mark.parametrize("bad_amount", [12.5, "1250", True, None])
def test_an_amount_that_is_not_a_whole_number_of_cents_is_refused(codec, bad_amount):
    event = build_account("acc-1", 2, seed=1).pending_events[1]
    data = {**_payload(event), "amount": bad_amount}
    type_name, schema, _ = codec.encode_event(event)
    with pytest.raises(DecodeError):
        codec.decoder_for(type_name, schema)(json.dumps(data))


def test_an_unknown_extra_key_is_refused_by_json_and_ignored_by_msgspec(codec):
    """The one documented difference: msgspec cannot forbid unknown keys on a dataclass."""
    event = build_account("acc-1", 2, seed=1).pending_events[1]
    text = json.dumps({**_payload(event), "note": "x"})
    type_name, schema, _ = codec.encode_event(event)
    if codec.name == "msgspec":
        assert codec.decoder_for(type_name, schema)(text) == event
    else:
        with pytest.raises(DecodeError, match="note"):
            codec.decoder_for(type_name, schema)(text)


@pytest.mark.parametrize("change", ["missing key", "bad timestamp"])
def test_a_payload_with_the_wrong_fields_is_refused(codec, change):
    event = build_account("acc-1", 2, seed=1).pending_events[1]
    data = _payload(event)
    if change == "missing key":
        del data["reference"]
    else:
        data["occurred_at"] = "yesterday"
    type_name, schema, _ = codec.encode_event(event)
    with pytest.raises(DecodeError):
        codec.decoder_for(type_name, schema)(json.dumps(data))


def test_json_with_surrounding_whitespace_still_decodes_through_the_full_path():
    event = build_account("acc-1", 2, seed=1).pending_events[1]
    type_name, schema, text = JsonCodec().encode_event(event)
    assert JsonCodec().decoder_for(type_name, schema)(f"  {text}\n") == event


def test_a_corrupt_row_deep_in_a_history_is_named_by_its_own_version(store, codec):
    _, events = _saved_history(store)
    bad = next(e for e in events[200:] if isinstance(e, MoneyDeposited))
    _set_payload(store, bad.version, json.dumps({**_payload(bad), "amount": 1.5}))
    with EventSourcedRepository(store, codec=codec) as repo, pytest.raises(CorruptRecord) as info:
        repo.load("acc-1")
    assert (info.value.table, info.value.account_id, info.value.version) == (
        "events",
        "acc-1",
        bad.version,
    )


def test_a_gap_in_versions_is_named_at_the_row_after_the_gap(store, codec):
    _saved_history(store, 50)
    run_sql(store, "DELETE FROM events WHERE version = 30")
    with EventSourcedRepository(store, codec=codec) as repo, pytest.raises(CorruptRecord) as info:
        repo.load("acc-1")
    assert info.value.version == 31
    assert isinstance(info.value.__cause__, OutOfOrderEvent)


def test_unknown_types_and_future_schemas_are_not_reported_as_corruption(store, codec):
    _saved_history(store, 20)
    run_sql(store, "UPDATE events SET event_type = 'InterestPaid' WHERE version = 5")
    with EventSourcedRepository(store, codec=codec) as repo, pytest.raises(UnknownEventType):
        repo.load("acc-1")
    run_sql(
        store,
        "UPDATE events SET event_type = 'MoneyDeposited', schema_version = 9 WHERE version = 5",
    )
    with EventSourcedRepository(store, codec=codec) as repo, pytest.raises(SchemaVersionError):
        repo.load("acc-1")


def test_a_v1_money_event_is_upcast_by_the_cached_decoder(codec):
    event = build_account("acc-1", 2, seed=1).pending_events[1]
    v1 = {**_payload(event), "amount": f"{event.amount / 100:.2f}"}
    decoded = codec.decoder_for(type(event).__name__, 1)(json.dumps(v1))
    assert decoded == event


def test_an_upcaster_registered_after_decoding_is_used_by_the_next_decode(codec):
    event = build_account("acc-1", 2, seed=1).pending_events[1]
    name = type(event).__name__
    doubled = {**_payload(event), "amount": event.amount * 2}
    codec.registry.add_upcaster(name, 2, lambda data: data)  # a no-op step to version 3
    type(event).schema_version = 3
    try:
        assert codec.decoder_for(name, 2)(json.dumps(doubled)).amount == event.amount * 2
        codec.registry.add_upcaster(name, 2, lambda data: {**data, "amount": data["amount"] // 2})
        assert codec.decoder_for(name, 2)(json.dumps(doubled)).amount == event.amount
    finally:
        type(event).schema_version = 2


def test_the_evolve_fast_path_refuses_out_of_order_money_events():
    opened, deposit = build_account("acc-1", 3, seed=1).pending_events[:2]
    state = evolve(None, opened)
    with pytest.raises(OutOfOrderEvent, match="version"):
        evolve(evolve(state, deposit), deposit)
    with pytest.raises(OutOfOrderEvent, match="before AccountOpened"):
        evolve(None, deposit)
