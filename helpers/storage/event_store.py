"""Strategy 2: persist the history - an append-only ``events`` table, replayed on load.

Every save appends the account's new events after checking that nobody else appended first
(the expected version). Loading folds the events through ``evolve``. Because history is kept,
the store can also answer *temporal* questions: the state at version n, or as of a moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from helpers.domain.account import Account
from helpers.domain.events import DomainEvent
from helpers.errors import AccountNotFound, AuthorityMismatch, ConcurrencyError, CorruptRecord
from helpers.storage.codec import DecodeError, format_timestamp
from helpers.storage.repository import Repository


class EventSourcedRepository(Repository):
    """History only. Load = replay every event; the events are the source of truth."""

    strategy = "event-sourced"
    authority = "events"

    def __init__(self, path, *, codec=None) -> None:
        super().__init__(path, codec=codec)
        try:
            self._record_authority()
        except BaseException:
            self.db.close()
            raise

    def _record_authority(self) -> None:
        """Record that this database trusts its events, unless it already declares otherwise.

        A database declared snapshot-first (by ``HybridRepository(authority="snapshot")``)
        may still be opened here to read its audit log, but ``save`` refuses: appending events
        without rewriting the snapshot would silently make the authoritative snapshot stale.
        """
        with self.db.transaction():
            stored = self.db.read_meta("authority")
            if stored is None:
                self.db.write_meta("authority", self.authority)
        self.declared_authority = stored or self.authority

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
            "occurred_at, payload) VALUES (?, ?, ?, ?, ?, ?)",
            self._event_rows(new_events),
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
        """
        first_after = self.db.execute(
            "SELECT MIN(version) FROM events WHERE account_id = ? AND occurred_at > ?",
            (account_id, format_timestamp(moment)),
        ).fetchone()[0]
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
        for version, type_name, schema_version, payload in rows:
            try:
                yield self.codec.decode_event(type_name, schema_version, payload)
            except DecodeError as error:
                raise CorruptRecord("events", account_id, version, str(error)) from error

    def head_version(self, account_id: str) -> int:
        """The version of the newest stored event (0 when there is none)."""
        return self._head_version(account_id)
