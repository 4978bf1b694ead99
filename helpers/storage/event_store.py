"""Strategy 2: persist the history - an append-only ``events`` table, replayed on load.

Every save appends the account's new events after checking that nobody else appended first
(the expected version). Loading folds the events through ``evolve``. Because history is kept,
the store can also answer *temporal* questions - the state at version n, or as of a moment -
and serve as a *feed*: every event also gets a global ``position``, so a subscriber can read
all accounts' events in commit order from where it stopped (:meth:`read_all`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from helpers.domain.account import Account
from helpers.domain.events import DomainEvent
from helpers.errors import (
    AccountNotFound,
    AuthorityMismatch,
    ConcurrencyError,
    CorruptRecord,
    UnreadableRow,
)
from helpers.storage.codec import format_timestamp
from helpers.storage.feed import FeedEntry
from helpers.storage.repository import Repository


class EventSourcedRepository(Repository):
    """History only. Load = replay every event; the events are the source of truth."""

    strategy = "event-sourced"
    authority = "events"

    def _meta_defaults(self) -> dict[str, str]:
        return {"authority": self.authority}

    def _check_meta(self) -> None:
        """Note which artifact this database trusts (recorded when it was created).

        A database declared snapshot-first (by ``HybridRepository(authority="snapshot")``)
        may still be opened here to read its audit log, but ``save`` refuses: appending events
        without rewriting the snapshot would silently make the authoritative snapshot stale.
        """
        self.declared_authority = self.db.read_meta("authority") or self.authority

    def save(self, account: Account) -> None:
        if self.declared_authority != self.authority:
            raise AuthorityMismatch(self.declared_authority, self.authority)
        new_events = account.pending_events
        if not new_events:
            return
        with self.db.transaction():
            self._append(account.account_id, account.stored_version, new_events)
        account.mark_saved()

    def _append(self, account_id: str, expected: int, new_events: tuple[DomainEvent, ...]) -> None:
        """Inside an open transaction: check the expected version, then append."""
        actual = self._head_version(account_id)
        if actual != expected:
            raise ConcurrencyError(account_id, expected, actual)
        self.db.executemany(
            "INSERT INTO events (account_id, version, event_type, schema_version, "
            "occurred_at, payload, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self._event_rows(new_events, self.db.next_event_position()),
        )

    def load(self, account_id: str, version: int | None = None) -> Account:
        """Replay the history; with ``version=n``, stop after event n (a temporal query)."""
        state, _ = self._replay(account_id, up_to_version=version)
        if state is None:
            raise AccountNotFound(account_id)
        if version is not None and state.version != version:
            raise AccountNotFound(
                account_id, f" at version {version} (its history ends at {state.version})"
            )
        return Account(state)

    def load_as_of(self, account_id: str, moment: datetime) -> Account:
        """The account as it stood at ``moment``: replay the events that occurred by then.

        History is ordered by version, not by timestamp. A real clock can step backwards (an
        NTP correction), so "occurred by then" is the prefix of the history before the first
        event stamped after ``moment``; filtering on the timestamp alone would skip versions
        and report a healthy history as corrupt.

        The cut-off is found in the index ``events_by_time`` (account, occurred_at), reading
        only the narrow index entries stamped after ``moment``; the replay that follows reads
        the rows before it. ``MIN(+version)`` rather than ``MIN(version)``: the unary plus
        keeps SQLite from walking the primary key instead (in version order, reading every
        earlier row and its payload a second time). Other engines read it as plain
        ``MIN(version)``.
        """
        row = self.db.fetch_one(
            "SELECT MIN(+version) FROM events WHERE account_id = ? AND occurred_at > ?",
            (account_id, format_timestamp(moment)),
        )
        first_after = None if row is None else row[0]
        up_to_version = None if first_after is None else first_after - 1
        state, _ = self._replay(account_id, up_to_version=up_to_version)
        if state is None:
            raise AccountNotFound(account_id, f" as of {format_timestamp(moment)}")
        return Account(state)

    def history(self, account_id: str, after_version: int = 0) -> Iterator[DomainEvent]:
        """Yield the stored events one at a time, oldest first (the audit trail)."""
        rows = self.db.stream(
            "SELECT version, event_type, schema_version, payload FROM events "
            "WHERE account_id = ? AND version > ? ORDER BY version",
            (account_id, after_version),
        )
        version: object = after_version
        try:
            for version, type_name, schema_version, payload in rows:
                yield self._decode_event(account_id, version, type_name, schema_version, payload)
        except UnreadableRow as error:
            next_version = self._version_after(account_id, version)
            raise CorruptRecord("events", account_id, next_version, str(error)) from error

    def head_version(self, account_id: str) -> int:
        """The version of the newest stored event (0 when there is none)."""
        return self._head_version(account_id)

    # --- the feed ------------------------------------------------------------------------

    def read_all(self, after: int = 0, limit: int | None = None) -> Iterator[FeedEntry]:
        """Every account's events with a position above ``after``, in position order.

        Streamed (one row at a time), at most ``limit`` of them. Positions are handed out
        while the write lock is held and commit in order, so a reader that stops at position
        p and later asks for ``after=p`` misses nothing and sees nothing twice. Positions
        can have gaps (events deleted by hand, see ``truncate_covered_events``), never
        late arrivals. A row that cannot be read raises a ``CorruptRecord`` naming it.
        """
        sql = (
            "SELECT position, account_id, version, event_type, schema_version, payload "
            "FROM events WHERE position > ? ORDER BY position"
        )
        params: list[object] = [after]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        position: object = after
        try:
            for position, account_id, version, type_name, schema, payload in self.db.stream(
                sql, params
            ):
                event = self._decode_event(account_id, version, type_name, schema, payload)
                yield FeedEntry(position, event)
        except UnreadableRow as error:
            raise self._unreadable_feed_row(position, error) from error

    def _unreadable_feed_row(self, position: object, error: UnreadableRow) -> CorruptRecord:
        row = self.db.fetch_one(
            "SELECT account_id, version, position FROM events WHERE position > ? "
            "ORDER BY position LIMIT 1",
            (position,),
        )
        account_id, version, at = row if row is not None else (None, None, None)
        return CorruptRecord("events", account_id, version, f"at position {at}: {error}")

    def last_position(self) -> int:
        """The highest position in the feed (0 when no event is stored)."""
        row = self.db.fetch_one("SELECT COALESCE(MAX(position), 0) FROM events")
        return row[0] if row else 0
