"""Domain events: frozen facts, numbered 1..n, timed by the injected clock, versioned.

And the one event that is *not* history: the LowBalanceWarning is heard in-process and is
never stored.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from helpers.domain.account import LOW_BALANCE_THRESHOLD, Account
from helpers.domain.clock import TickingClock
from helpers.domain.events import (
    STORED_EVENT_TYPES,
    AccountClosed,
    AccountFrozen,
    AccountOpened,
    AccountUnfrozen,
    DomainEvent,
    MoneyDeposited,
    MoneyWithdrawn,
)
from helpers.domain.notifications import InProcessPublisher, LowBalanceWarning
from helpers.errors import UnknownEventType
from helpers.storage.codec import JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from tests.storage.contract import STORES_EVENTS, STRATEGIES, query

EVENT_TYPES_IN_ORDER = [
    AccountOpened,
    MoneyDeposited,
    MoneyWithdrawn,
    AccountFrozen,
    AccountUnfrozen,
    MoneyWithdrawn,
    AccountClosed,
]


def full_life(clock, publisher=None) -> Account:
    """Open, deposit, withdraw, freeze, unfreeze, empty and close: every event type once."""
    account = Account.open("acc-1", "Grace Hopper", clock=clock, publisher=publisher)
    account.deposit(20_000, "salary")
    account.withdraw(5_000, "rent")
    account.freeze("card lost")
    account.unfreeze()
    account.withdraw(15_000, "savings")
    account.close()
    return account


def test_each_command_records_one_event_of_the_matching_type(clock):
    account = full_life(clock)
    assert [type(e) for e in account.pending_events] == EVENT_TYPES_IN_ORDER


def test_events_are_numbered_one_to_n_and_the_account_version_is_the_last(clock):
    account = full_life(clock)
    versions = [event.version for event in account.pending_events]
    assert versions == list(range(1, len(EVENT_TYPES_IN_ORDER) + 1))
    assert account.version == versions[-1]


def test_events_are_frozen(clock):
    event = full_life(clock).pending_events[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.amount = 1_000_000  # type: ignore[misc]


def test_events_carry_the_account_id(clock):
    assert {event.account_id for event in full_life(clock).pending_events} == {"acc-1"}


def test_each_event_occurred_at_the_time_the_injected_clock_gave(clock):
    start, step = clock.peek(), timedelta(minutes=1)
    events = full_life(clock).pending_events
    assert [e.occurred_at for e in events] == [start + i * step for i in range(len(events))]


def test_events_from_a_clock_in_another_timezone_are_recorded_in_utc():
    paris = timezone(timedelta(hours=1))
    account = Account.open("acc-1", "Grace", clock=lambda: datetime(2026, 1, 1, 10, tzinfo=paris))
    [opened] = account.pending_events
    assert opened.occurred_at == datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert opened.occurred_at.utcoffset() == timedelta(0)


def test_a_clock_without_a_timezone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Account.open("acc-1", "Grace", clock=lambda: datetime(2026, 1, 1, 9))


def test_money_events_are_at_schema_version_2_and_the_others_at_1():
    assert {t.__name__: t.schema_version for t in STORED_EVENT_TYPES} == {
        "AccountOpened": 1,
        "MoneyDeposited": 2,
        "MoneyWithdrawn": 2,
        "AccountFrozen": 1,
        "AccountUnfrozen": 1,
        "AccountClosed": 1,
    }


def test_the_schema_version_is_a_class_attribute_not_a_field():
    field_names = {f.name for t in STORED_EVENT_TYPES for f in dataclasses.fields(t)}
    assert "schema_version" not in field_names
    assert all(issubclass(t, DomainEvent) for t in STORED_EVENT_TYPES)


# --- the in-process LowBalanceWarning --------------------------------------------------------


def test_a_withdrawal_below_the_threshold_records_a_warning_that_waits_for_the_save(clock):
    heard: list[LowBalanceWarning] = []
    publisher = InProcessPublisher()
    publisher.subscribe(heard.append)
    account = Account.open("acc-1", "Grace Hopper", clock=clock, publisher=publisher)
    account.deposit(LOW_BALANCE_THRESHOLD + 500, "salary")
    account.withdraw(400, "still above")
    assert account.pending_notifications == ()
    account.withdraw(200, "now below")
    warning = LowBalanceWarning(
        account_id="acc-1",
        balance=LOW_BALANCE_THRESHOLD - 100,
        threshold=LOW_BALANCE_THRESHOLD,
        occurred_at=account.pending_events[-1].occurred_at,
    )
    assert account.pending_notifications == (warning,)
    assert heard == [], "nothing is announced before the withdrawal is stored"
    account.mark_saved()  # what a repository calls once its transaction has committed
    assert heard == [warning]
    assert account.pending_notifications == ()


def test_every_subscriber_hears_the_warning(clock):
    first, second = [], []
    publisher = InProcessPublisher()
    publisher.subscribe(first.append)
    publisher.subscribe(second.append)
    account = Account.open("acc-1", "Grace Hopper", clock=clock, publisher=publisher)
    account.deposit(100, "small")
    account.withdraw(50, "smaller")
    account.mark_saved()
    assert len(first) == len(second) == 1


def test_a_low_balance_warning_is_not_a_pending_event(clock):
    heard = []
    publisher = InProcessPublisher()
    publisher.subscribe(heard.append)
    account = full_life(clock, publisher)
    assert account.pending_notifications, "the scenario should have recorded a warning"
    assert not any(isinstance(e, LowBalanceWarning) for e in account.pending_events)


@pytest.mark.parametrize("codec", [JsonCodec(), MsgspecCodec()], ids=["json", "msgspec"])
def test_the_codec_refuses_to_encode_a_low_balance_warning(codec, clock):
    warning = LowBalanceWarning(account_id="acc-1", balance=5, threshold=10, occurred_at=clock())
    with pytest.raises(UnknownEventType, match="LowBalanceWarning"):
        codec.encode_event(warning)


@pytest.mark.parametrize("strategy", sorted(STORES_EVENTS))
def test_storing_an_account_after_a_warning_stores_only_its_domain_events(strategy, db_path, clock):
    heard = []
    publisher = InProcessPublisher()
    publisher.subscribe(heard.append)
    account = full_life(clock, publisher)
    with STRATEGIES[strategy](db_path) as repo:
        repo.save(account)
    assert heard
    stored_types = [row[0] for row in query(db_path, "SELECT event_type FROM events")]
    assert stored_types == [t.__name__ for t in EVENT_TYPES_IN_ORDER]


def test_a_failing_subscriber_neither_undoes_the_withdrawal_nor_silences_the_others(caplog):
    heard: list[LowBalanceWarning] = []

    def broken(_: LowBalanceWarning) -> None:
        raise RuntimeError("mail server down")

    publisher = InProcessPublisher()
    publisher.subscribe(broken)
    publisher.subscribe(heard.append)
    account = Account.open("acc-1", "Ada", clock=TickingClock(), publisher=publisher)
    account.deposit(5_000, "salary")
    account.withdraw(1_000, "rent")
    account.mark_saved()
    assert account.balance == 4_000
    assert len(heard) == 1
    assert [(s, str(e)) for s, e in publisher.failures] == [(broken, "mail server down")]
    assert "mail server down" in caplog.text
