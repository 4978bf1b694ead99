"""A projection: a report kept up to date from the event feed, exactly once, across crashes.

``BalancesByOwner`` follows the feed of an event store (``read_all``) and keeps one row per
owner: how many accounts they hold open and the sum of their balances. It is what a
"downstream subscriber" looks like in practice - a program that never loads an Account, only
reads events at its own pace and keeps a table of its own.

The one rule that makes it correct: **each batch of events is applied to the report and the
new position is stored in the same transaction.** If the process dies half-way through a
batch, the transaction rolls back and both the rows and the position stay where they were;
the next run reads the same events again. Storing the position in a separate step - before
or after - is how subscribers end up counting an event twice or never.

The report can live in the same database as the events or in another one. Its tables belong
to the projection, not to the store's layout: it creates them itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from os import PathLike
from typing import Any

from helpers.domain.events import AccountClosed, AccountOpened, MoneyDeposited, MoneyWithdrawn
from helpers.errors import CorruptRecord
from helpers.storage.database import Database, open_database
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.feed import FeedEntry

# BIGINT where a sum or a position can outgrow 32 bits: on SQLite it is the same 64-bit
# INTEGER, on PostgreSQL INTEGER alone would stop at about 21 million currency units.
TABLES = (
    """CREATE TABLE IF NOT EXISTS balances_by_owner (
        owner    TEXT PRIMARY KEY,
        accounts INTEGER NOT NULL,
        balance  BIGINT NOT NULL
    )""",
    # Money events name only their account; the projection remembers whose account it is.
    """CREATE TABLE IF NOT EXISTS balances_by_owner_accounts (
        account_id TEXT PRIMARY KEY,
        owner      TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS projection_positions (
        name     TEXT PRIMARY KEY,
        position BIGINT NOT NULL
    )""",
)


class BalancesByOwner:
    """Per owner: accounts not closed, and the sum of their balances (cents).

    ``target`` is where the report is kept (a path, a URL or an engine object), which may
    be the event store itself. Use as a context manager to close it.
    """

    name = "balances_by_owner"
    """The projection's row in ``projection_positions``."""

    def __init__(self, target: str | PathLike[str] | Database) -> None:
        self.db = open_database(target)
        try:
            with self.db.transaction():
                for statement in TABLES:
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO projection_positions (name, position) VALUES (?, 0) "
                    "ON CONFLICT (name) DO NOTHING",
                    (self.name,),
                )
        except BaseException:
            self.db.close()
            raise

    @property
    def position(self) -> int:
        """The feed position of the last event applied to the report (0: none yet)."""
        row = self.db.fetch_one(
            "SELECT position FROM projection_positions WHERE name = ?", (self.name,)
        )
        return 0 if row is None else row[0]

    def catch_up(
        self, source: EventSourcedRepository, batch: int = 500, *, progress: bool = False
    ) -> int:
        """Apply every event after the stored position, ``batch`` at a time; return how many.

        Each batch is one transaction on the report's database: it reads the stored position,
        streams the next ``batch`` entries of ``source.read_all``, applies them, and stores
        the position of the last one. Two processes catching up at once take turns at the
        write lock, and the second one starts from where the first one stopped.
        """
        if batch < 1:
            raise ValueError(f"batch must be 1 or more, not {batch}")
        bar = self._progress_bar(source) if progress else nullcontext()
        applied = 0
        with bar:
            while True:
                with self.db.transaction():
                    after = self.position
                    count, last = self._apply(source.read_all(after=after, limit=batch))
                    if count:
                        self.db.execute(
                            "UPDATE projection_positions SET position = ? WHERE name = ?",
                            (last, self.name),
                        )
                applied += count
                if progress:
                    bar.update(count)
                if count < batch:
                    return applied

    def _progress_bar(self, source: EventSourcedRepository) -> Any:
        from tqdm.auto import tqdm  # imported on demand: it costs a tenth of a second

        return tqdm(
            total=max(source.last_position() - self.position, 0),
            desc=f"catching up {self.name}",
            unit="event",
        )

    def _apply(self, entries: Iterable[FeedEntry]) -> tuple[int, int]:
        """Inside the batch's transaction: fold the entries into the report's rows.

        Returns how many entries were applied and the position of the last one. The changes
        are summed per owner first, so a batch writes each owner's row once.
        """
        changes: dict[str, list[int]] = {}  # owner -> [accounts, balance] to add
        owners: dict[str, str] = {}
        count, last = 0, 0
        for entry in entries:
            event = entry.event
            kind = type(event)
            if kind is AccountOpened:
                owners[event.account_id] = event.owner
                self.db.execute(
                    "INSERT INTO balances_by_owner_accounts (account_id, owner) VALUES (?, ?)",
                    (event.account_id, event.owner),
                )
                changes.setdefault(event.owner, [0, 0])[0] += 1
            elif kind in (MoneyDeposited, MoneyWithdrawn, AccountClosed):
                owner = self._owner_of(entry, owners)
                change = changes.setdefault(owner, [0, 0])
                if kind is MoneyDeposited:
                    change[1] += event.amount
                elif kind is MoneyWithdrawn:
                    change[1] -= event.amount
                else:
                    change[0] -= 1
            count, last = count + 1, entry.position
        self.db.executemany(
            "INSERT INTO balances_by_owner (owner, accounts, balance) VALUES (?, ?, ?) "
            "ON CONFLICT (owner) DO UPDATE SET accounts = balances_by_owner.accounts + "
            "excluded.accounts, balance = balances_by_owner.balance + excluded.balance",
            [(owner, accounts, balance) for owner, (accounts, balance) in changes.items()],
        )
        return count, last

    def _owner_of(self, entry: FeedEntry, owners: dict[str, str]) -> str:
        account_id = entry.event.account_id
        owner = owners.get(account_id)
        if owner is None:
            row = self.db.fetch_one(
                "SELECT owner FROM balances_by_owner_accounts WHERE account_id = ?",
                (account_id,),
            )
            if row is None:
                raise CorruptRecord(
                    "events",
                    account_id,
                    entry.event.version,
                    f"the feed reached position {entry.position} without this account's "
                    "AccountOpened, so the report cannot tell whose money it is (were events "
                    "deleted?)",
                )
            owner = owners[account_id] = row[0]
        return owner

    def rows(self) -> list[dict[str, object]]:
        """The report, one dict per owner, sorted by owner."""
        return [
            {"owner": owner, "accounts": accounts, "balance": balance}
            for owner, accounts, balance in self.db.stream(
                "SELECT owner, accounts, balance FROM balances_by_owner ORDER BY owner"
            )
        ]

    def rebuild(self, source: EventSourcedRepository, batch: int = 500) -> int:
        """Throw the report away and compute it again from position 0.

        The reset is one transaction and every batch after it is another, so a rebuild that
        is stopped half-way is a correct report up to its position, and ``catch_up`` finishes it.
        """
        with self.db.transaction():
            self.db.execute("DELETE FROM balances_by_owner")
            self.db.execute("DELETE FROM balances_by_owner_accounts")
            self.db.execute(
                "UPDATE projection_positions SET position = 0 WHERE name = ?", (self.name,)
            )
        return self.catch_up(source, batch)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> BalancesByOwner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BalancesByOwner({self.db.location!r}, position={self.position})"
