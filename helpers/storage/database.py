"""The seam between the storage strategies and a database engine.

The three repositories speak plain SQL with ``?`` placeholders and ask this interface for the
few things that differ between engines: how a connection is opened and its tables created,
how a write transaction takes its lock, and how a long result is streamed without holding it
all in memory. One module per engine implements it (``helpers.storage.sqlite`` for a file);
:func:`open_database` picks the engine from what it is given, so a strategy never names one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from os import PathLike
from typing import Any, ClassVar

Params = Sequence[object]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
"""A target starting with one of these is a PostgreSQL server, anything else a SQLite file."""


class Database(ABC):
    """One open connection to one store, with the engine's own rules for writing and reading.

    ``conn`` is the driver's connection. Lessons use it to show the stored rows; the
    repositories go through the methods below, so that they run on every engine.
    """

    engine: ClassVar[str]
    """A short name for messages and tables: ``"sqlite"`` or ``"postgres"``."""

    conn: Any
    location: str
    """Where the store is (a file path, or a URL without its password): named in errors."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """One unit of work that takes the write lock at its start.

        Commits when the block finishes, rolls back if it raises, and leaves the connection
        usable either way.
        """

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Any:
        """Run one statement written with ``?`` placeholders; return the driver's cursor."""

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement once per row of parameters."""

    @abstractmethod
    def stream(self, sql: str, params: Params = ()) -> Iterator[tuple]:
        """Yield the rows of a query one at a time: memory stays flat however many there are."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; the store itself is untouched."""

    def fetch_one(self, sql: str, params: Params = ()) -> tuple | None:
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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"


def is_postgres_url(target: str | PathLike[str]) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_database(target: str | PathLike[str]) -> Database:
    """Open the store at ``target``: a ``postgresql://`` URL or the path of a SQLite file."""
    if is_postgres_url(target):
        try:
            from helpers.storage.postgres import PostgresDatabase
        except ImportError as error:
            raise RuntimeError(
                f"cannot open {target.split('@')[-1]!r}: PostgreSQL support needs the psycopg "
                f"package ({error})"
            ) from error
        return PostgresDatabase(str(target))
    from helpers.storage.sqlite import SQLiteDatabase

    return SQLiteDatabase(target)
