"""The capstone's bank: its snapshot store before the switch, and the ways a move can lose data.

The check needs three things besides the student's code, and they live here so that the
check itself (``capstone.py``) stays a readable list of review steps:

* :func:`make_snapshot_bank`: the bank's old store, five accounts covering every case a
  migration must handle (overdrawn, frozen, closed, never used);
* :func:`carry_over` and :func:`bank_differences`: the reference migration and the comparison
  a reviewer trusts - the notebook uses them for "the switch, for real", so that nothing
  after the exercise depends on its worked solution;
* :data:`SABOTAGES`: damaged copies of the old store. The student's own migration is run on
  each copy, so the damage reaches the new store *and* every object the migration built in
  memory, as a real bug in a migration would. Only a rebuild test that compares the new
  store with the untouched old store can see it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.domain.state import AccountState, Status
from helpers.errors import AccountNotFound
from helpers.samples.workload import build_account
from helpers.storage.codec import JsonCodec
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.repository import Repository
from helpers.storage.schema_migration import stored_account_ids
from helpers.storage.snapshot_store import SnapshotRepository

SWITCHED_AT = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
"""The moment the bank switches stores: the first moment of April 2026."""

COMPARED = ("owner", "balance", "overdraft_limit", "status")
"""What must survive the switch. The version does not: it restarts with the new history."""


def month_end(year: int, month: int) -> datetime:
    """The last microsecond of a month, in UTC: what "as of the month-end" means here."""
    first_of_next = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return first_of_next - timedelta(microseconds=1)


# --- the bank before the switch ---------------------------------------------------------

BANK_OPENS = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LAST_SAVE = datetime(2026, 3, 30, 17, 0, tzinfo=UTC)


def _clock(events: int, start: datetime, index: int) -> TickingClock:
    """A clock that spreads ``events`` commands from ``start`` to a last save in late March."""
    last_save = LAST_SAVE - timedelta(hours=3 * index)
    whole_minutes = (last_save - start) // events // timedelta(minutes=1)
    return TickingClock(start, timedelta(minutes=whole_minutes))


def make_snapshot_bank(path: Path) -> SnapshotRepository:
    """The bank's old store: five accounts covering every case a migration must handle.

    Positive and negative (overdrawn) balances, a frozen account, a closed one, and one that
    was opened and never used. Each history runs from January to the last days of March 2026
    and is saved once at its end (``saved_at``); only that latest state survives, because
    that is all a snapshot store keeps.
    """
    repo = SnapshotRepository(path)
    builders = (
        (40, BANK_OPENS, _ordinary),
        (3, BANK_OPENS, _overdrawn),
        (26, BANK_OPENS, _frozen),
        (4, BANK_OPENS, _closed),
        (1, datetime(2026, 3, 27, 9, 0, tzinfo=UTC), _unused),
    )
    for index, (events, start, build) in enumerate(builders):
        clock = _clock(events, start, index)
        account = build(clock)
        repo.clock = clock  # saved_at is the next tick after the account's last command
        repo.save(account)
    return repo


def _ordinary(clock: TickingClock) -> Account:
    return build_account("acc-ada", 40, seed=11, owner="Ada Lovelace", clock=clock)


def _overdrawn(clock: TickingClock) -> Account:
    account = Account.open("acc-bea", "Bea Ortiz", overdraft_limit=30_000, clock=clock)
    account.deposit(5_000, "salary")
    account.withdraw(20_000, "rent")
    return account


def _frozen(clock: TickingClock) -> Account:
    account = build_account("acc-cyd", 25, seed=12, owner="Cyd Park", clock=clock)
    if account.status is Status.FROZEN:
        account.unfreeze()
    account.freeze("fraud check")
    return account


def _closed(clock: TickingClock) -> Account:
    account = Account.open("acc-dan", "Dan Ruiz", clock=clock)
    account.deposit(10_000, "gift")
    account.withdraw(10_000, "moving banks")
    account.close()
    return account


def _unused(clock: TickingClock) -> Account:
    return Account.open("acc-eve", "Eve Cheng", clock=clock)


def copy_bank(source: Path, target: Path) -> SnapshotRepository:
    """A byte-for-byte copy of a *closed* bank file, opened as a snapshot store."""
    shutil.copyfile(source, target)
    return SnapshotRepository(target)


# --- the reference migration and the comparison a reviewer trusts -------------------------


def opening_history(state: AccountState, switched_at: datetime) -> Account:
    """An account whose pending events rebuild ``state`` exactly, all dated ``switched_at``."""
    clock = lambda: switched_at  # noqa: E731 - every event of the opening history at the switch
    account = Account.open(state.account_id, state.owner, state.overdraft_limit, clock=clock)
    note = f"opening balance carried over from the snapshot store (version {state.version})"
    if state.balance > 0:
        account.deposit(state.balance, note)
    elif state.balance < 0:
        account.withdraw(-state.balance, note)
    if state.status is Status.FROZEN:
        account.freeze("frozen before the switch (carried over)")
    elif state.status is Status.CLOSED:
        account.close()
    return account


def carry_over(old: SnapshotRepository, new: Repository, switched_at: datetime) -> int:
    """The reference migration: an opening history per account; returns how many moved."""
    ids = stored_account_ids(old.conn, "accounts")
    for account_id in ids:
        new.save(opening_history(old.load(account_id).state, switched_at))
    return len(ids)


def bank_differences(old: SnapshotRepository, new_path: Path) -> list[str]:
    """Every account of ``old`` that the events of ``new_path`` rebuild differently.

    The new store is read through a plain event replay, never through its snapshots: the
    auditors' month-end balances come from the events, so the events must hold the truth.
    """
    with EventSourcedRepository(new_path) as events:
        return [
            problem
            for account_id in stored_account_ids(old.conn, "accounts")
            for problem in _account_differences(old.load(account_id).state, events)
        ]


def _account_differences(was: AccountState, events: EventSourcedRepository) -> list[str]:
    try:
        now = events.load(was.account_id).state
    except AccountNotFound:
        return [f"account {was.account_id!r} is missing from the new store."]
    return [
        f"account {was.account_id!r}: {name} is {_shown(getattr(now, name))} when the new store "
        f"replays its events, but {_shown(getattr(was, name))} in the old one. "
        f"{_field_hint(name, was)}"
        for name in COMPARED
        if getattr(was, name) != getattr(now, name)
    ]


def _shown(value: object) -> str:
    return repr(value.value if isinstance(value, Status) else value)


def _field_hint(name: str, was: AccountState) -> str:
    if name == "status" and was.status is Status.FROZEN:
        return "The opening history must end with the freeze (account.freeze(...))."
    if name == "status" and was.status is Status.CLOSED:
        return "The opening history must end with the closing (account.close())."
    if name == "balance" and was.balance < 0:
        return "An overdrawn balance is carried over as a withdrawal, not a deposit."
    if name == "overdraft_limit":
        return "Open the account with the old overdraft limit (Account.open(..., limit))."
    return "Carry the old value over exactly, as events."


# --- lossy migrations -------------------------------------------------------------------


@dataclass(frozen=True)
class Sabotage:
    """A lossy move: which account it damages, how, and what a rebuild test must compare."""

    name: str
    account_id: str
    damage: Callable[[AccountState], AccountState | None]
    hint: str


SABOTAGES: tuple[Sabotage, ...] = (
    Sabotage(
        "forgets an account",
        "acc-eve",
        lambda state: None,
        "loop over every account id of the old store (stored_account_ids(old.conn, "
        "'accounts')) and load each one from the new store: a missing one raises "
        "AccountNotFound.",
    ),
    Sabotage(
        "loses a cent",
        "acc-ada",
        lambda state: state._replace(balance=state.balance - 1),
        "compare the balance of every account, to the cent.",
    ),
    Sabotage(
        "drops the freeze",
        "acc-cyd",
        lambda state: state._replace(status=Status.OPEN),
        "compare the status too: a frozen account that comes back open lets money move.",
    ),
    Sabotage(
        "reopens the closed account",
        "acc-dan",
        lambda state: state._replace(status=Status.OPEN),
        "compare the status of every account, closed ones included.",
    ),
    Sabotage(
        "shrinks the overdraft limit",
        "acc-bea",
        lambda state: state._replace(overdraft_limit=-state.balance),
        "compare the overdraft limit too: it decides which withdrawals are refused.",
    ),
    Sabotage(
        "mangles an owner's name",
        "acc-cyd",
        lambda state: state._replace(owner=state.owner.split()[0]),
        "compare the owner too: statements and audits are addressed to that name.",
    ),
)


def damaged_copy(source: Path, target: Path, sabotage: Sabotage) -> SnapshotRepository:
    """A copy of the closed bank file ``source``, one account damaged as ``sabotage`` says."""
    bank = copy_bank(source, target)
    state = bank.load(sabotage.account_id).state
    damaged = sabotage.damage(state)
    with bank.db.transaction():
        if damaged is None:
            bank.db.execute("DELETE FROM accounts WHERE account_id = ?", (state.account_id,))
        else:
            schema, text = JsonCodec().encode_state(damaged)
            bank.db.execute(
                "UPDATE accounts SET schema_version = ?, state = ? WHERE account_id = ?",
                (schema, text, state.account_id),
            )
    return bank
