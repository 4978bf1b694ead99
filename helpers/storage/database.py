"""The seam between the storage strategies and a database engine.

The three repositories speak plain SQL with ``?`` placeholders and ask this interface for the
few things that differ between engines: how a connection is opened and its tables created,
how a write transaction takes its lock, how a long result is streamed without holding it all
in memory, how positions in the global event feed are handed out, and how the driver's
errors become the pack's. One module per engine implements it (``helpers.storage.sqlite``
for a file, ``helpers.storage.postgres`` for a server); :func:`open_database` picks the
engine from what it is given, so a strategy never names one.

What every engine promises:

* **Threads.** One ``Database`` may be shared by the threads of a program (a web server
  shares its repository this way). A thread never sees rows another thread has not
  committed, and two threads never interleave statements inside one transaction.
* **Errors.** A driver failure reaches the caller as a pack error naming the store (a file,
  or a server and database without the password): :class:`~helpers.errors.StoreBusy` (the
  write lock stayed taken for longer than the engine's timeout),
  :class:`~helpers.errors.StoreFull`, :class:`~helpers.errors.StoreFailure` (I/O,
  permissions, a damaged file, a constraint at commit, a lost connection), and
  :class:`~helpers.errors.UnreadableRow` (the driver cannot read a stored value). A mistake
  in the SQL itself is a bug in the code and stays the driver's own error.
* **Transactions.** After a failed transaction - including a failed COMMIT - the work is
  rolled back and the connection is ready for the next one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from os import PathLike
from typing import Any, ClassVar

Params = Sequence[object]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
"""A target starting with one of these is a PostgreSQL server, anything else a SQLite file."""

LAYOUT_VERSION = 2
"""The version of the table layout, the same on every engine (``meta.layout_version``).

1: ``meta``, ``accounts``, ``events``, ``snapshots``.
2: ``events.position`` (the global feed order), an index on ``events (account_id,
occurred_at)`` for temporal queries, and the ``corrections`` table with a primary key.
"""


class Database(ABC):
    """One store, reached through the engine's own rules for writing and reading.

    ``conn`` is the driver's connection of the calling thread. Lessons use it to show the
    stored rows; the repositories go through the methods below, so that they run on every
    engine.
    """

    engine: ClassVar[str]
    """A short name for messages and tables: ``"sqlite"`` or ``"postgres"``."""

    location: str
    """Where the store is (a file path, or a URL without its password): named in errors."""

    @property
    @abstractmethod
    def conn(self) -> Any:
        """The driver's connection that the calling thread uses."""

    @abstractmethod
    def prepare(self, meta: Mapping[str, str] | None = None) -> dict[str, str]:
        """Make the store ready: tables at the current layout, each ``meta`` key recorded.

        Creates the tables of a new store, upgrades an older layout, and refuses a newer one
        (``SchemaVersionError``). A key of ``meta`` that is already stored keeps its stored
        value (a repository passes its authority this way: the first one to create the store
        records it). Returns every ``meta`` value as stored.

        Reads first and takes the write lock only if something must be written - and then
        once, for all of it - so opening an existing store never waits for a writer.
        """

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """One unit of work that takes the write lock at its start.

        Commits when the block finishes, rolls back if it raises, and leaves the connection
        usable either way, a failed COMMIT included.
        """

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Any:
        """Run one statement written with ``?`` placeholders; return the driver's cursor."""

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement once per row of parameters."""

    @abstractmethod
    def stream(self, sql: str, params: Params = ()) -> Iterator[tuple]:
        """Yield the rows of a query one at a time: memory stays flat however many there are.

        A row the driver cannot read raises ``UnreadableRow``; the rows before it have been
        yielded, so the caller knows where it stopped.
        """

    @abstractmethod
    def close(self) -> None:
        """Close every connection this object opened; the store itself is untouched."""

    def fetch_one(self, sql: str, params: Params = ()) -> tuple | None:
        """The first row of a query, or None."""
        return self.execute(sql, params).fetchone()

    def read_meta(self, key: str) -> str | None:
        row = self.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else row[0]

    def write_meta(self, key: str, value: str) -> None:
        """Set a ``meta`` value; call it inside a transaction."""
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def next_event_position(self) -> int:
        """Inside a write transaction: the feed position for the next appended event.

        The events of one save take this position and the ones after it, so positions grow
        across all accounts in commit order, and a reader never sees a gap that is later
        filled. That holds only while no other writer can append between this read and the
        commit. SQLite's ``BEGIN IMMEDIATE`` already excludes other writers, so the default
        simply reads the highest position; an engine whose writers run side by side (such as
        PostgreSQL) overrides this to take a lock that serialises appenders first.
        """
        row = self.fetch_one("SELECT COALESCE(MAX(position), 0) FROM events")
        return (row[0] if row else 0) + 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_database(
    target: str | PathLike[str] | Database, *, meta: Mapping[str, str] | None = None
) -> Database:
    """Open and prepare the store at ``target``: a ``postgresql://`` URL, a SQLite file path,
    or an engine object already built with options of its own (say, a shorter busy timeout).

    ``meta`` is recorded when the store is created (see :meth:`Database.prepare`). A store
    that cannot be prepared is closed again before the error propagates.
    """
    if isinstance(target, Database):
        database = target
    elif is_postgres_url(target):
        try:
            from helpers.storage.postgres import PostgresDatabase
        except ImportError as error:
            raise RuntimeError(
                f"cannot open {str(target).split('@')[-1]!r}: PostgreSQL support needs the "
                f"psycopg package ({error})"
            ) from error
        database = PostgresDatabase(str(target))
    else:
        from helpers.storage.sqlite import SQLiteDatabase

        database = SQLiteDatabase(target)
    try:
        database.prepare(meta)
    except BaseException:
        database.close()
        raise
    return database
