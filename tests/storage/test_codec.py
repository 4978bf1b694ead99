"""The JSON codecs: exact round trips, one shared text format, and loud refusals.

Both codecs (stdlib ``json`` and ``msgspec``) must write byte-identical text and read each
other's records; a few encodings are pinned here so that a change to the stored format is a
visible, deliberate diff and not an accident.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.domain.events import (
    STORED_EVENT_TYPES,
    AccountClosed,
    AccountFrozen,
    AccountOpened,
    AccountUnfrozen,
    MoneyDeposited,
    MoneyWithdrawn,
)
from helpers.domain.state import AccountState, Status
from helpers.errors import SchemaVersionError, StaleSnapshot, UnknownEventType
from helpers.storage.codec import STATE_SCHEMA_VERSION, DecodeError, EventRegistry, JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from helpers.storage.upcasters import state_v1_to_v2

CODECS = {"json": JsonCodec, "msgspec": MsgspecCodec}
NINE = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=list(CODECS))
def codec(request):
    return CODECS[request.param]()


def one_of_each(moment: datetime = NINE) -> list:
    """One event of every stored type, with memorable values (an accented owner included)."""
    common = {"account_id": "acc-ada"}
    return [
        AccountOpened(**common, version=1, occurred_at=moment, owner="Zoë Ada", overdraft_limit=0),
        MoneyDeposited(**common, version=2, occurred_at=moment, amount=1250, reference="salary"),
        MoneyWithdrawn(**common, version=3, occurred_at=moment, amount=99, reference="café"),
        AccountFrozen(**common, version=4, occurred_at=moment, reason="card lost"),
        AccountUnfrozen(**common, version=5, occurred_at=moment),
        AccountClosed(**common, version=6, occurred_at=moment),
    ]


# --- round trips -----------------------------------------------------------------------------


def test_the_fixed_sample_covers_every_stored_event_type():
    assert {type(e) for e in one_of_each()} == set(STORED_EVENT_TYPES)


@pytest.mark.parametrize("event", one_of_each(), ids=lambda e: type(e).__name__)
def test_every_event_type_survives_a_round_trip(codec, event):
    type_name, schema_version, text = codec.encode_event(event)
    assert type_name == type(event).__name__
    assert schema_version == type(event).schema_version
    decoded = codec.decode_event(type_name, schema_version, text)
    assert decoded == event
    assert type(decoded) is type(event)
    assert decoded.occurred_at.utcoffset().total_seconds() == 0


def test_a_state_survives_a_round_trip(codec):
    state = AccountState("acc-ada", "Zoë Ada", -1_500, 2_000, Status.FROZEN, 42)
    schema_version, text = codec.encode_state(state)
    assert schema_version == STATE_SCHEMA_VERSION
    assert codec.decode_state(schema_version, text) == state


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
int64 = st.integers(-(2**63), 2**63 - 1)


def _events_of(event_type, **specific):
    return st.builds(
        event_type,
        account_id=texts,
        version=st.integers(1, 2**63 - 1),
        occurred_at=moments,
        **specific,
    )


any_event = st.one_of(
    _events_of(AccountOpened, owner=texts, overdraft_limit=int64),
    _events_of(MoneyDeposited, amount=int64, reference=texts),
    _events_of(MoneyWithdrawn, amount=int64, reference=texts),
    _events_of(AccountFrozen, reason=texts),
    _events_of(AccountUnfrozen),
    _events_of(AccountClosed),
)
any_state = st.builds(
    AccountState,
    account_id=texts,
    owner=texts,
    balance=int64,
    overdraft_limit=int64,
    status=st.sampled_from(Status),
    version=st.integers(0, 2**63 - 1),
)


@given(event=any_event)
def test_any_event_survives_a_round_trip_through_either_codec(event):
    for codec in (JsonCodec(), MsgspecCodec()):
        assert codec.decode_event(*codec.encode_event(event)) == event


@given(event=any_event)
def test_both_codecs_write_byte_identical_event_text_and_read_each_others(event):
    json_record, msgspec_record = (
        JsonCodec().encode_event(event),
        MsgspecCodec().encode_event(event),
    )
    assert json_record == msgspec_record
    assert MsgspecCodec().decode_event(*json_record) == event
    assert JsonCodec().decode_event(*msgspec_record) == event


@given(state=any_state)
def test_both_codecs_write_byte_identical_state_text_and_read_each_others(state):
    json_record, msgspec_record = (
        JsonCodec().encode_state(state),
        MsgspecCodec().encode_state(state),
    )
    assert json_record == msgspec_record
    assert MsgspecCodec().decode_state(*json_record) == state
    assert JsonCodec().decode_state(*msgspec_record) == state


# --- pinned encodings --------------------------------------------------------------------------


def test_an_account_opened_event_is_stored_as_this_exact_json(codec):
    assert codec.encode_event(one_of_each()[0]) == (
        "AccountOpened",
        1,
        '{"account_id":"acc-ada","version":1,"occurred_at":"2026-01-01T09:00:00Z",'
        '"owner":"Zoë Ada","overdraft_limit":0}',
    )


def test_a_deposit_is_stored_as_integer_cents_in_this_exact_json(codec):
    assert codec.encode_event(one_of_each()[1]) == (
        "MoneyDeposited",
        2,
        '{"account_id":"acc-ada","version":2,"occurred_at":"2026-01-01T09:00:00Z",'
        '"amount":1250,"reference":"salary"}',
    )


def test_microseconds_appear_in_the_timestamp_only_when_there_are_some(codec):
    event = AccountUnfrozen(
        account_id="a", version=5, occurred_at=datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC)
    )
    assert codec.encode_event(event)[2] == (
        '{"account_id":"a","version":5,"occurred_at":"2026-03-04T05:06:07.000089Z"}'
    )


def test_a_state_is_stored_as_this_exact_json(codec):
    state = AccountState("acc-ada", "Zoë Ada", -1_500, 2_000, Status.FROZEN, 42)
    assert codec.encode_state(state) == (
        2,
        '{"account_id":"acc-ada","owner":"Zoë Ada","balance":-1500,"overdraft_limit":2000,'
        '"status":"frozen","version":42}',
    )


# --- refusals ----------------------------------------------------------------------------------


def test_decoding_an_unknown_event_type_names_it_and_lists_the_known_ones(codec):
    with pytest.raises(UnknownEventType) as raised:
        codec.decode_event("MoneyTransferred", 1, "{}")
    assert raised.value.type_name == "MoneyTransferred"
    assert "'MoneyTransferred'" in str(raised.value)
    assert "AccountOpened, AccountUnfrozen" in str(raised.value)


def test_encoding_an_event_of_an_unregistered_subclass_is_refused(codec):
    class MoneyGifted(MoneyDeposited):
        pass

    gift = MoneyGifted(account_id="a", version=2, occurred_at=NINE, amount=1, reference="r")
    with pytest.raises(UnknownEventType, match="MoneyGifted"):
        codec.encode_event(gift)


def test_a_registry_without_a_type_refuses_it_in_both_directions():
    codec = JsonCodec(EventRegistry([AccountOpened]))
    deposit = one_of_each()[1]
    with pytest.raises(UnknownEventType):
        codec.encode_event(deposit)
    with pytest.raises(UnknownEventType):
        codec.decode_event("MoneyDeposited", 2, JsonCodec().encode_event(deposit)[2])


def _deposit_json(**changes) -> str:
    data = json.loads(JsonCodec().encode_event(one_of_each()[1])[2])
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not ...})


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ('{"account_id": "acc-ada", "version": 2', None),
        ("[1, 2, 3]", None),
        (_deposit_json(amount="12.50"), "amount"),
        (_deposit_json(amount=12.5), "amount"),
        (_deposit_json(amount=True), "amount"),
        (_deposit_json(version="2"), "version"),
        (_deposit_json(reference=7), "reference"),
        (_deposit_json(amount=...), "amount"),
        (_deposit_json(occurred_at=...), "occurred_at"),
        (_deposit_json(occurred_at="yesterday"), None),
    ],
    ids=[
        "truncated-json",
        "not-an-object",
        "amount-as-decimal-text",
        "amount-as-float",
        "amount-as-bool",
        "version-as-text",
        "reference-as-number",
        "missing-amount",
        "missing-occurred-at",
        "unreadable-timestamp",
    ],
)
def test_a_payload_that_does_not_fit_its_event_is_a_decode_error(codec, payload, fragment):
    with pytest.raises(DecodeError, match=fragment):
        codec.decode_event("MoneyDeposited", 2, payload)


def test_an_event_from_a_future_schema_version_is_refused(codec):
    _, _, text = codec.encode_event(one_of_each()[1])
    with pytest.raises(SchemaVersionError) as raised:
        codec.decode_event("MoneyDeposited", 3, text)
    assert (raised.value.found, raised.value.newest_known) == (3, 2)
    assert "up to 2" in str(raised.value)


def test_a_state_from_a_future_schema_version_is_refused(codec):
    _, text = codec.encode_state(AccountState("a", "b", 0, 0, Status.OPEN, 1))
    with pytest.raises(SchemaVersionError, match="stored snapshot"):
        codec.decode_state(STATE_SCHEMA_VERSION + 1, text)


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[]",
        '{"account_id":"a"}',
        '{"account_id":"a","owner":"b","balance":"1",'
        '"overdraft_limit":0,"status":"open","version":1}',
        '{"account_id":"a","owner":"b",'
        '"balance":1,"overdraft_limit":0,"status":"asleep","version":1}',
    ],
    ids=["bad-json", "not-an-object", "missing-fields", "balance-as-text", "unknown-status"],
)
def test_a_state_that_does_not_fit_is_a_decode_error(codec, payload):
    with pytest.raises(DecodeError):
        codec.decode_state(STATE_SCHEMA_VERSION, payload)


# --- schema 1: decimal strings, upcast on read -------------------------------------------------

V1_DEPOSIT = (
    '{"account_id":"acc-ada","version":2,"occurred_at":"2026-01-01T09:00:00Z",'
    '"amount":"12.50","reference":"legacy"}'
)


@pytest.mark.parametrize("event_type", [MoneyDeposited, MoneyWithdrawn])
def test_a_version_1_money_event_is_upcast_to_integer_cents(codec, event_type):
    event = codec.decode_event(event_type.__name__, 1, V1_DEPOSIT)
    assert type(event) is event_type
    assert event.amount == 1250
    assert type(event.amount) is int


@pytest.mark.parametrize(
    "amount",
    ['"12.505"', '"twelve"', '"Infinity"', '"NaN"', "null", None],
    ids=["sub-cent", "words", "infinity", "nan", "null", "missing"],
)
def test_a_version_1_amount_that_is_not_exact_cents_is_a_decode_error(codec, amount):
    data = json.loads(V1_DEPOSIT)
    if amount is None:
        del data["amount"]
    else:
        data["amount"] = json.loads(amount)
    with pytest.raises(DecodeError, match="amount"):
        codec.decode_event("MoneyDeposited", 1, json.dumps(data))


V1_STATE = (
    '{"account_id":"acc-ada","owner":"Ada","balance":"-15.00","overdraft_limit":"20.00",'
    '"status":"frozen","version":42}'
)


def test_a_version_1_state_is_stale_unless_a_state_upcaster_is_registered(codec):
    with pytest.raises(StaleSnapshot, match="version 1"):
        codec.decode_state(1, V1_STATE)
    codec.registry.add_state_upcaster(1, state_v1_to_v2)
    assert codec.decode_state(1, V1_STATE) == AccountState(
        "acc-ada", "Ada", -1_500, 2_000, Status.FROZEN, 42
    )
