"""The one interface every storage strategy offers: ``save(account)`` and ``load(account_id)``.

Notebooks, tests and the benchmark talk to this interface, so swapping a strategy is one line.
The base class also owns what all three share: the database (see ``helpers.storage.database``:
a SQLite file by default), the codec, and the translation of low-level decoding failures into
``CorruptRecord`` errors that name the row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from types import TracebackType

from helpers.domain.account import Account
from helpers.domain.events import DomainEvent
from helpers.domain.state import AccountState, evolve
from helpers.errors import CorruptRecord
from helpers.storage.codec import BadRow, Codec, DecodeError, JsonCodec, format_timestamp
from helpers.storage.database import Database, open_database


class Repository(ABC):
    """Save and load Accounts in one store. Use as a context manager to close it.

    ``target`` is the path of a SQLite file (the default engine) or a database URL.
    """

    strategy: str = "abstract"

    def __init__(self, target: str | PathLike[str], *, codec: Codec | None = None) -> None:
        self.codec: Codec = codec if codec is not None else JsonCodec()
        self.db: Database = open_database(target)
        self.conn = self.db.conn
        """The driver's connection, for lessons that show the stored rows with SQL."""

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

    def _event_rows(self, event_list: tuple[DomainEvent, ...]) -> Iterator[tuple]:
        for event in event_list:
            type_name, schema_version, payload = self.codec.encode_event(event)
            yield (
                event.account_id,
                event.version,
                type_name,
                schema_version,
                format_timestamp(event.occurred_at),
                payload,
            )

    def _head_version(self, account_id: str) -> int:
        row = self.db.fetch_one(
            "SELECT MAX(version) FROM events WHERE account_id = ?", (account_id,)
        )
        return (row[0] if row else None) or 0

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
        long the history is: each row is decoded, applied and dropped. A row that cannot be
        decoded or applied raises ``CorruptRecord`` naming its version; an unknown type or a
        newer schema version raises its own error (``UnknownEventType``,
        ``SchemaVersionError``), because the row is fine and the code is too old.
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
        # The codec folds the rows (see Codec.fold_rows): it knows how its events decode.
        # ``evolve`` is looked up here, in this module, at every load: a lesson that patches
        # helpers.storage.repository.evolve (a spy, a buggy release) sees every event.
        rows = self.db.stream(
            "SELECT version, event_type, schema_version, payload FROM events "
            f"{where} ORDER BY version",
            params,
        )
        try:
            return self.codec.fold_rows(rows, state, account_id, evolve)
        except BadRow as error:  # its cause is the original DecodeError or OutOfOrderEvent
            raise CorruptRecord("events", account_id, error.version, error.reason) from (
                error.__cause__
            )

    def _decode_state(
        self, table: str, account_id: str, version: int, schema: int, text: str
    ) -> AccountState:
        try:
            return self.codec.decode_state(schema, text)
        except DecodeError as error:
            raise CorruptRecord(table, account_id, version, str(error)) from error
