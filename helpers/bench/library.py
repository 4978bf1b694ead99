"""A reference row: the same workload on the ``eventsourcing`` library (version 9.5.6).

The library is a production-grade event sourcing framework: its aggregates record events
with decorated methods, and its application object stores them (here in SQLite) and replays
them on ``repository.get``. Running the generator's commands through it and timing the load
shows students what a full-featured library costs per event, next to the hand-written
repositories of this pack. Snapshotting is off, so its load is a full replay.
"""

from __future__ import annotations

from pathlib import Path

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from helpers.bench.measure import WrongLoad
from helpers.samples.workload import Expected, generate_commands

SAVE_CHUNK = 10_000


class LibraryAccount(Aggregate):
    """The ledger account, written the eventsourcing library's way (no invariant checks:
    the generator only issues valid commands, and the load is what is measured)."""

    @event("Opened")
    def __init__(self, owner: str, overdraft_limit: int) -> None:
        self.owner = owner
        self.overdraft_limit = overdraft_limit
        self.balance = 0
        self.status = "open"

    @event("Deposited")
    def deposit(self, amount: int, reference: str) -> None:
        self.balance += amount

    @event("Withdrawn")
    def withdraw(self, amount: int, reference: str) -> None:
        self.balance -= amount

    @event("Frozen")
    def freeze(self, reason: str) -> None:
        self.status = "frozen"

    @event("Unfrozen")
    def unfreeze(self) -> None:
        self.status = "open"


class LibraryBank(Application):
    """An application with no snapshotting: every load replays the stored events."""


def _app(path: Path) -> LibraryBank:
    return LibraryBank(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )


def store_library_history(path: Path, length: int, seed: int):
    """Write the generator's history through the library; returns the aggregate's id."""
    app = _app(path)
    account = LibraryAccount(owner="Ada Lovelace", overdraft_limit=0)
    for index, command in enumerate(generate_commands(length, seed=seed), start=1):
        getattr(account, command.name)(*command.args)
        if index % SAVE_CHUNK == 0:
            app.save(account)
    app.save(account)
    app.close()
    return account.id


class LibraryLoader:
    """An open library application on a stored history, and a checked load of it."""

    def __init__(self, path: Path, account_id, expected: Expected) -> None:
        self.app = _app(path)
        self.account_id = account_id
        self.expected = expected

    def __call__(self) -> None:
        account = self.app.repository.get(self.account_id)
        found = (account.balance, account.version, account.status)
        wanted = (self.expected.balance, self.expected.version, self.expected.status)
        if found != wanted:
            raise WrongLoad(f"eventsourcing library load: {found}, expected {wanted}")

    def close(self) -> None:
        self.app.close()
