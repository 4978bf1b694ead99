"""The one interface every storage strategy offers: ``save(account)`` and ``load(account_id)``.

Notebooks, tests and the benchmark talk to this interface, so swapping a strategy is one line.
The base class also owns what all three share: the database (see ``helpers.storage.database``:
a SQLite file by default), the codec, and the translation of every failure to read a stored
row into an error that names it - table, account and version - so that a reader can find the
row with one query.

A row is checked against its own keys as it is read: an event whose payload names another
account, or another version, than the row it is stored in is refused as a ``CorruptRecord``.
Folding it would quietly give one account another account's money.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any

from helpers.domain.account import Account
from helpers.domain.events import DomainEvent
from helpers.domain.state import AccountState, evolve
from helpers.errors import CorruptRecord, StoredRowError, UnreadableRow
from helpers.storage.codec import (
    BadRow,
    Codec,
    DecodeError,
    JsonCodec,
    format_timestamp,
    misfiled,
)
from helpers.storage.database import Database, open_database

Target = str | PathLike[str] | Database
"""Where a repository stores: a SQLite file path, a ``postgresql://`` URL, or an engine object
built with options of its own (``SQLiteDatabase(path, busy_timeout=0.5)``), which the
repository then owns and closes."""


class Repository(ABC):
    """Save and load Accounts in one store. Use as a context manager to close it.

    One repository may be shared by the threads of a program (see ``helpers.storage.database``).
    """

    strategy: str = "abstract"

    def __init__(self, target: Target, *, codec: Codec | None = None) -> None:
        self.codec: Codec = codec if codec is not None else JsonCodec()
        self.db: Database = open_database(target, meta=self._meta_defaults())
        try:
            self._check_meta()
        except BaseException:
            self.db.close()
            raise

    def _meta_defaults(self) -> dict[str, str]:
        """What this strategy records in ``meta`` when it creates the store."""
        return {}

    def _check_meta(self) -> None:  # noqa: B027 - most strategies record no decision
        """Refuse a store whose recorded decisions this strategy must not work against."""

    @property
    def conn(self) -> Any:
        """The driver's connection (this thread's), for lessons that show stored rows with SQL."""
        return self.db.conn

    @property
    def path(self) -> Path:
        """Where the store lives: the SQLite file (a URL's database name for a server)."""
        return Path(self.db.location)

    @abstractmethod
    def save(self, account: Account) -> None:
        """Persist what changed, in one transaction, or raise and change nothing."""

    @abstractmethod
    def load(self, account_id: str) -> Account:
        """Rebuild the account from what is stored, or raise ``AccountNotFound``."""

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Repository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path.name!r}, codec={self.codec.name!r})"

    # --- shared by the strategies that store events --------------------------------------

    def _event_rows(self, event_list: tuple[DomainEvent, ...], first_position: int) -> Iterator:
        for position, event in enumerate(event_list, start=first_position):
            type_name, schema_version, payload = self.codec.encode_event(event)
            yield (
                event.account_id,
                event.version,
                type_name,
                schema_version,
                format_timestamp(event.occurred_at),
                payload,
                position,
            )

    def _head_version(self, account_id: str) -> int:
        row = self.db.fetch_one(
            "SELECT MAX(version) FROM events WHERE account_id = ?", (account_id,)
        )
        head = None if row is None else row[0]
        if head is None:
            return 0
        if type(head) is not int:  # SQLite sorts text above every number
            raise CorruptRecord(
                "events",
                account_id,
                head,
                "the version column holds something other than a whole number",
            )
        return head

    def _replay(
        self,
        account_id: str,
        state: AccountState | None = None,
        *,
        up_to_version: int | None = None,
        up_to_time: str | None = None,
    ) -> tuple[AccountState | None, int]:
        """Fold the stored events after ``state`` onto it, streaming rows from the cursor.

        Returns the state and how many events were applied. Memory stays constant however
        long the history is: each row is decoded, checked against its keys, applied and
        dropped. Every failure names the row's version: an unreadable payload or a broken
        history is a ``CorruptRecord``; an unknown type or a newer schema version keeps its
        own error (``UnknownEventType``, ``SchemaVersionError``), because there the row is
        fine and the code is too old.
        """
        after = 0 if state is None else state.version
        where = "WHERE account_id = ? AND version > ?"
        params: list[object] = [account_id, after]
        if up_to_version is not None:
            where += " AND version <= ?"
            params.append(up_to_version)
        if up_to_time is not None:
            where += " AND occurred_at <= ?"
            params.append(up_to_time)
        # The codec folds the rows (see Codec.fold_rows): it knows how its events decode, and
        # checks each payload against its row's keys. ``evolve`` is looked up here, in this
        # module, at every load: a lesson that patches helpers.storage.repository.evolve (a
        # spy, a buggy release) sees every event.
        rows = self.db.stream(
            "SELECT version, event_type, schema_version, payload FROM events "
            f"{where} ORDER BY version",
            params,
        )
        try:
            return self.codec.fold_rows(rows, state, account_id, evolve)
        except BadRow as error:  # names the row: CorruptRecord, or the code-too-old error
            raise error.at_row("events", account_id, error.version) from error.__cause__
        except UnreadableRow as error:
            last = getattr(error, "after_version", None)
            next_version = self._version_after(account_id, after if last is None else last)
            raise CorruptRecord("events", account_id, next_version, str(error)) from error

    def _version_after(self, account_id: str, version: object) -> object:
        """The version of the event row after ``version``: where a read stopped, for errors."""
        row = self.db.fetch_one(
            "SELECT MIN(version) FROM events WHERE account_id = ? AND version > ?",
            (account_id, version),
        )
        return None if row is None else row[0]

    def _decode_event(
        self, account_id: str, version: object, type_name: str, schema: int, payload: str
    ) -> DomainEvent:
        """One stored event row, checked against its keys; errors name the row."""
        try:
            event = self.codec.decode_event(type_name, schema, payload)
            if event.version != version or event.account_id != account_id:
                raise misfiled(event, account_id, version)
        except StoredRowError as error:
            raise error.at_row("events", account_id, version) from error
        return event

    def _decode_state(
        self, table: str, account_id: str, version: object, schema: int, text: str
    ) -> AccountState:
        """One stored state, checked against its keys; errors name the row."""
        try:
            return self._checked_state(account_id, version, schema, text)
        except StoredRowError as error:
            raise error.at_row(table, account_id, version) from error

    def _checked_state(
        self, account_id: str, version: object, schema: int, text: str
    ) -> AccountState:
        """Decode a stored state and check it belongs to its row; errors do not name it."""
        state = self.codec.decode_state(schema, text)
        if state.account_id != account_id or state.version != version:
            raise DecodeError(
                f"the stored state is account {state.account_id!r} at version "
                f"{state.version}, not the account and version of its row"
            )
        return state
