"""Answers students give to the capstone, right and wrong, for the check's catalogue.

Each answer is three functions (``open_new_store``, ``migrate_to_events``, ``rebuild_test``).
The wrong ones are the mistakes a class really makes: the machine's clock, a history dated a
microsecond early, an account lost to an off-by-one, a rebuild test that compares the new
store with itself or with the accounts the migration built. Not a test module: the catalogue
in ``test_capstone_catalogue.py`` parametrises over :data:`ANSWERS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from helpers.domain import Account, Status, TickingClock
from helpers.storage import (
    EventSourcedRepository,
    HybridRepository,
    SnapshotRepository,
    stored_account_ids,
)

SWITCH_CONSTANT = datetime(2026, 4, 1, tzinfo=UTC)
"""What a student copies from the exercise text instead of using the argument."""


# --- stores ------------------------------------------------------------------------------


def hybrid(path):
    return HybridRepository(path, authority="events", snapshot_every=10)


def hybrid_every_event(path):
    return HybridRepository(path, authority="events", snapshot_every=1)


def snapshot_truth(path):
    return HybridRepository(path, authority="snapshot")


def elsewhere(path):
    return EventSourcedRepository(path.with_name("my-bank.db"))


def the_class(path):
    return EventSourcedRepository


# --- migrations ----------------------------------------------------------------------------


def opening(state, clock, *, freeze_first=False, signed_deposit=False, limit=True) -> Account:
    """An opening history for ``state``; the keywords switch on one typical mistake each."""
    account = Account.open(
        state.account_id, state.owner, state.overdraft_limit if limit else 0, clock=clock
    )
    if freeze_first and state.status is Status.FROZEN:
        account.freeze("carried over")
    if signed_deposit and state.balance:
        account.deposit(abs(state.balance), "opening balance")
    elif state.balance > 0:
        account.deposit(state.balance, "opening balance")
    elif state.balance < 0:
        account.withdraw(-state.balance, "opening balance (overdrawn)")
    if state.status is Status.FROZEN and not freeze_first:
        account.freeze("carried over")
    elif state.status is Status.CLOSED:
        account.close()
    return account


def migrate_at(clock_for: Callable, **mistakes) -> Callable:
    """A migration whose events take their time from ``clock_for(switched_at, state, row)``."""

    def migrate(old, new, switched_at):
        for account_id in stored_account_ids(old.conn, "accounts"):
            state = old.load(account_id).state
            saved_at = old.conn.execute(
                "SELECT saved_at FROM accounts WHERE account_id = ?", (account_id,)
            ).fetchone()[0]
            new.save(opening(state, clock_for(switched_at, saved_at), **mistakes))

    return migrate


def at_switch(switched_at, saved_at):
    return lambda: switched_at


faithful = migrate_at(at_switch)


def from_raw_rows(old, new, switched_at):
    """Right, in other words: reads the rows with SQL and json, and builds with a match."""
    for account_id, text in old.conn.execute("SELECT account_id, state FROM accounts"):
        data = json.loads(text)
        account = Account.open(
            account_id, data["owner"], data["overdraft_limit"], clock=lambda: switched_at
        )
        match data["balance"]:
            case 0:
                pass
            case positive if positive > 0:
                account.deposit(positive, "carried over at the switch")
            case negative:
                account.withdraw(-negative, "carried over at the switch")
        match data["status"]:
            case "frozen":
                account.freeze("frozen in the old store")
            case "closed":
                account.close()
        new.save(account)


def machine_clock(old, new, switched_at):
    for account_id in stored_account_ids(old.conn, "accounts"):
        new.save(opening(old.load(account_id).state, clock=datetime.now().astimezone))


hard_coded_switch = migrate_at(lambda switched_at, saved_at: lambda: SWITCH_CONSTANT)
one_microsecond_early = migrate_at(
    lambda switched_at, saved_at: lambda: switched_at - timedelta(microseconds=1)
)
dated_at_saved_at = migrate_at(
    lambda switched_at, saved_at: lambda: datetime.fromisoformat(saved_at)
)
ticking_from_switch = migrate_at(lambda switched_at, saved_at: TickingClock(switched_at))
freeze_before_balance = migrate_at(at_switch, freeze_first=True)
overdrawn_as_deposit = migrate_at(at_switch, signed_deposit=True)
limit_forgotten = migrate_at(at_switch, limit=False)
clock_is_the_moment_itself = migrate_at(lambda switched_at, saved_at: switched_at)
"""A student's exact answer: clock=switched_at, a datetime where a function is wanted."""


def ignores_status(old, new, switched_at):
    for account_id in stored_account_ids(old.conn, "accounts"):
        state = old.load(account_id).state._replace(status=Status.OPEN)
        new.save(opening(state, lambda: switched_at))


def skips_closed_accounts(old, new, switched_at):
    for account_id in stored_account_ids(old.conn, "accounts"):
        state = old.load(account_id).state
        if state.status is not Status.CLOSED:  # "a closed account has nothing to carry"
            new.save(opening(state, lambda: switched_at))


def off_by_one(old, new, switched_at):
    ids = stored_account_ids(old.conn, "accounts")
    for index in range(len(ids) - 1):
        new.save(opening(old.load(ids[index]).state, lambda: switched_at))


def saves_the_loaded_account(old, new, switched_at):
    for account_id in stored_account_ids(old.conn, "accounts"):
        new.save(old.load(account_id))


def empties_the_old_store(old, new, switched_at):
    faithful(old, new, switched_at)
    old.conn.execute("DELETE FROM accounts")  # "moved, so remove it from the old store"


def closes_the_old_store(old, new, switched_at):
    faithful(old, new, switched_at)
    old.close()


def snapshot_carried_as_is(old, new, switched_at):
    """Opens each account and lays the old state down as a snapshot: the events say 0."""
    for account_id in stored_account_ids(old.conn, "accounts"):
        state = old.load(account_id).state
        account = Account.open(
            account_id, state.owner, state.overdraft_limit, clock=lambda: switched_at
        )
        new.save(account)
        new.write_snapshots([state])


built: dict[str, Account] = {}
"""The accounts a migration built, kept for a rebuild test that compares with them."""


def faithful_keeping_what_it_built(old, new, switched_at):
    for account_id in stored_account_ids(old.conn, "accounts"):
        account = opening(old.load(account_id).state, lambda: switched_at)
        new.save(account)
        built[account_id] = account


def does_nothing(*args):
    return None


# --- rebuild tests ---------------------------------------------------------------------------


def thorough(old, new):
    for account_id in stored_account_ids(old.conn, "accounts"):
        was, now = old.load(account_id).state, new.load(account_id).state
        for name in ("owner", "balance", "overdraft_limit", "status"):
            assert getattr(now, name) == getattr(was, name), (account_id, name)


def thorough_as_dicts(old, new):
    def without_version(account):
        return {k: v for k, v in account.state.as_dict().items() if k != "version"}

    for account_id in stored_account_ids(old.conn, "accounts"):
        assert without_version(new.load(account_id)) == without_version(old.load(account_id))


def thorough_with_tuples(old, new):
    ids = stored_account_ids(old.conn, "accounts")
    expected = {a: _fields(old.load(a)) for a in ids}
    actual = {a: _fields(new.load(a)) for a in ids}
    assert actual == expected, f"{len(ids)} accounts: {actual} != {expected}"


def _fields(account):
    return account.owner, account.balance, account.overdraft_limit, account.status


def balance_only(old, new):
    for account_id in stored_account_ids(old.conn, "accounts"):
        assert new.load(account_id).balance == old.load(account_id).balance


def includes_the_version(old, new):
    for account_id in stored_account_ids(old.conn, "accounts"):
        assert new.load(account_id).state == old.load(account_id).state


def new_store_with_itself(old, new):
    for account_id in stored_account_ids(new.conn, "events"):
        assert new.load(account_id).state == new.load(account_id).state


def with_what_the_migration_built(old, new):
    for account_id, account in built.items():
        assert new.load(account_id).state == account.state


def loops_over_the_new_store(old, new):
    for account_id in stored_account_ids(new.conn, "events"):
        was, now = old.load(account_id), new.load(account_id)
        assert _fields(now) == _fields(was)


def snapshot_against_events(old, new):
    for account_id in stored_account_ids(new.conn, "events"):
        assert new.verify(account_id).ok


def only_loads(old, new):
    for account_id in stored_account_ids(old.conn, "accounts"):
        new.load(account_id)


def swallows_failures(old, new):
    try:
        thorough(old, new)
    except AssertionError as error:
        print("mismatch:", error)


def one_argument(new):
    assert new is not None


def raises_value_error(old, new):
    """A student's exact answer: the right comparison, failing with the wrong exception."""
    for account_id in stored_account_ids(old.conn, "accounts"):
        was, now = old.load(account_id).state, new.load(account_id).state
        for name in ("owner", "balance", "overdraft_limit", "status"):
            if getattr(now, name) != getattr(was, name):
                raise ValueError(f"{account_id}: {name} differs")


def returns_a_bool(old, new):
    """A student's exact answer: compares with the old store, and returns the verdict."""
    ids = stored_account_ids(old.conn, "accounts")
    return all(_fields(new.load(a)) == _fields(old.load(a)) for a in ids)


def does_nothing_at_all(old, new):
    return None


@dataclass(frozen=True)
class Answer:
    """One student answer and what the check must say about it."""

    name: str
    open_new_store: object
    migrate_to_events: object
    rebuild_test: object
    passes: bool
    says: tuple[str, ...] = field(default_factory=tuple)
    """Words the feedback must contain (all of them)."""
    avoids: tuple[str, ...] = field(default_factory=tuple)
    """Words it must not contain: advice about a mistake this answer does not make."""


WRONG: tuple[Answer, ...] = (
    Answer(
        "the machine's clock",
        hybrid,
        machine_clock,
        thorough,
        False,
        ("machine's clock", "switched_at"),
    ),
    Answer(
        "the switch date copied from the text",
        hybrid,
        hard_coded_switch,
        thorough,
        False,
        ("ignores the switched_at", "2026-07-01"),
    ),
    Answer(
        "a microsecond before the switch",
        hybrid,
        one_microsecond_early,
        thorough,
        False,
        ("before the switch", "invented"),
    ),
    Answer(
        "dated at the last save",
        hybrid,
        dated_at_saved_at,
        thorough,
        False,
        ("before the switch", "invented"),
    ),
    Answer(
        "a ticking clock from the switch",
        hybrid,
        ticking_from_switch,
        thorough,
        False,
        ("after the switch", "exactly"),
    ),
    Answer(
        "the freeze before the balance",
        hybrid,
        freeze_before_balance,
        thorough,
        False,
        ("AccountIsFrozen", "balance first"),
    ),
    Answer(
        "an overdrawn balance deposited",
        hybrid,
        overdrawn_as_deposit,
        thorough,
        False,
        ("'acc-bea'", "balance", "withdrawal"),
    ),
    Answer(
        "the overdraft limit forgotten",
        hybrid,
        limit_forgotten,
        thorough,
        False,
        ("OverdraftLimitExceeded", "overdraft limit"),
    ),
    Answer(
        "frozen and closed ignored",
        hybrid,
        ignores_status,
        thorough,
        False,
        ("'acc-cyd': status", "'acc-dan': status"),
    ),
    Answer(
        "closed accounts skipped",
        hybrid,
        skips_closed_accounts,
        thorough,
        False,
        ("'acc-dan'", "missing"),
    ),
    Answer(
        "the last account lost to an off-by-one",
        hybrid,
        off_by_one,
        thorough,
        False,
        ("'acc-eve'", "missing"),
    ),
    Answer(
        "the loaded account saved as it is",
        hybrid,
        saves_the_loaded_account,
        thorough,
        False,
        ("holds no events", "Account.open"),
    ),
    Answer(
        "the old store emptied",
        hybrid,
        empties_the_old_store,
        thorough,
        False,
        ("changed the old store",),
    ),
    Answer(
        "the old store closed",
        hybrid,
        closes_the_old_store,
        thorough,
        False,
        ("closed the old store",),
    ),
    Answer(
        "the old state laid down as a snapshot",
        hybrid,
        snapshot_carried_as_is,
        thorough,
        False,
        ("replays its events", "only a cache"),
    ),
    Answer(
        "keeps the snapshot store",
        SnapshotRepository,
        faithful,
        thorough,
        False,
        ("month-end", "SnapshotRepository"),
    ),
    Answer(
        "a hybrid whose snapshot is the truth",
        snapshot_truth,
        faithful,
        thorough,
        False,
        ("authority='events'",),
    ),
    Answer(
        "a store opened somewhere else", elsewhere, faithful, thorough, False, ("path it is given",)
    ),
    Answer(
        "the store class, not a store", the_class, faithful, thorough, False, ("class", "call it")
    ),
    Answer(
        "a rebuild test of the balance only",
        hybrid,
        faithful,
        balance_only,
        False,
        (
            "drops the freeze",
            "shrinks the overdraft limit",
            "reopens the closed account",
            "mangles an owner's name",
        ),
    ),
    Answer(
        "a rebuild test that compares the version",
        hybrid,
        faithful,
        includes_the_version,
        False,
        ("fails on a correct migration", "version"),
    ),
    Answer(
        "a rebuild test of the new store against itself",
        hybrid,
        faithful,
        new_store_with_itself,
        False,
        ("loses a cent", "OLD store"),
    ),
    Answer(
        "a rebuild test against the accounts the migration built",
        hybrid,
        faithful_keeping_what_it_built,
        with_what_the_migration_built,
        False,
        ("loses a cent", "built in memory"),
    ),
    Answer(
        "a rebuild test that loops over the new store",
        hybrid,
        faithful,
        loops_over_the_new_store,
        False,
        ("forgets an account", "every account id of the old"),
    ),
    Answer(
        "a rebuild test that compares snapshot and events of the new store",
        hybrid,
        faithful,
        snapshot_against_events,
        False,
        ("loses a cent", "OLD store"),
    ),
    Answer(
        "a rebuild test that only loads",
        hybrid,
        faithful,
        only_loads,
        False,
        ("has no assert", "5 of 6", "loses a cent", "drops the freeze"),
        ("OLD store",),
    ),
    Answer(
        "a rebuild test that prints instead of failing",
        hybrid,
        faithful,
        swallows_failures,
        False,
        ("catches its own failures", "AssertionError", "loses a cent"),
        ("has no assert", "OLD store"),
    ),
    Answer(
        "a rebuild test that raises ValueError on a mismatch",
        hybrid,
        faithful,
        raises_value_error,
        False,
        ("raised ValueError", "not AssertionError", "assert now.balance"),
    ),
    Answer(
        "a rebuild test that returns a bool",
        hybrid,
        faithful,
        returns_a_bool,
        False,
        ("returns a value", "instead of asserting", "assert"),
        ("OLD store", "compares the new store with itself"),
    ),
    Answer(
        "a rebuild test that does nothing at all",
        hybrid,
        faithful,
        does_nothing_at_all,
        False,
        ("has no assert", "6 of 6"),
        ("OLD store",),
    ),
    Answer(
        "the switch moment given as the clock itself",
        hybrid,
        clock_is_the_moment_itself,
        thorough,
        False,
        ("not callable", "clock=lambda: switched_at"),
    ),
    Answer(
        "a rebuild test with one argument",
        hybrid,
        faithful,
        one_argument,
        False,
        ("rebuild_test", "two arguments"),
    ),
    Answer(
        "the untouched starter",
        does_nothing,
        does_nothing,
        does_nothing,
        False,
        ("open_new_store returned None",),
    ),
    Answer(
        "names instead of functions",
        "open_new_store",
        "migrate",
        "test",
        False,
        ("pass your function open_new_store itself",),
    ),
)

RIGHT: tuple[Answer, ...] = (
    Answer(
        "the worked solution's shape",
        hybrid,
        faithful,
        thorough,
        True,
        ("all 5 accounts", "dated at the switch", "all 6 lossy"),
    ),
    Answer(
        "a plain event store, rows read with SQL",
        EventSourcedRepository,
        from_raw_rows,
        thorough_as_dicts,
        True,
        ("all 5 accounts",),
    ),
    Answer(
        "a snapshot on every event, a test on tuples",
        hybrid_every_event,
        faithful,
        thorough_with_tuples,
        True,
        ("all 6 lossy",),
    ),
)

ANSWERS = WRONG + RIGHT
