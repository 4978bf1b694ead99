"""Strategy 3: events *and* snapshots, with one of them declared the source of truth.

``authority="events"``
    The events are the truth; snapshots are a cache taken every N events, written in the same
    transaction as the events that trigger them. Load = newest usable snapshot + the events
    after it. A snapshot that cannot be used - stale (older state shape, no upcaster), newer
    than this code, unreadable, failing its upcaster, or filed under the wrong account or
    version - is skipped and the load replays instead, and says so in ``last_load`` and in a
    logged warning. ``verify`` reports such a snapshot; it does not raise.
``authority="snapshot"``
    The snapshot row is the truth and the load path; it is rewritten on every save. Events are
    appended beside it as an audit log and a feed for subscribers, and are never replayed to
    load. If the snapshot cannot be read, load fails: silently replaying would quietly make
    the events authoritative after all.

The authority is recorded in the database when it is created, and opening it later with the
other authority is refused: which artifact wins is a decision, not a per-process setting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from helpers.domain.account import Account
from helpers.domain.state import AccountState
from helpers.errors import (
    AccountNotFound,
    AuthorityMismatch,
    CorruptRecord,
    StoredRowError,
    UnreadableRow,
)
from helpers.storage.codec import Codec
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.repository import Target

log = logging.getLogger(__name__)

Authority = Literal["events", "snapshot"]
DEFAULT_SNAPSHOT_EVERY = 100


@dataclass(frozen=True)
class SkippedSnapshot:
    version: int
    reason: str


@dataclass(frozen=True)
class LoadReport:
    """How the last load was served: from which snapshot, with how many events replayed."""

    account_id: str
    snapshot_version: int | None
    events_replayed: int
    skipped: tuple[SkippedSnapshot, ...] = ()

    @property
    def fell_back(self) -> bool:
        return bool(self.skipped)


@dataclass(frozen=True)
class FieldDifference:
    field: str
    snapshot: object
    events: object


@dataclass(frozen=True)
class VerifyReport:
    """Snapshot versus a full replay of the events, field by field.

    ``unreadable`` holds the reason when the newest snapshot cannot be read at all; the
    report then has one difference, for the whole snapshot row.
    """

    account_id: str
    authority: str
    snapshot_version: int | None
    events_version: int
    differences: tuple[FieldDifference, ...] = field(default_factory=tuple)
    unreadable: str | None = None

    @property
    def ok(self) -> bool:
        return not self.differences and self.unreadable is None

    def as_rows(self) -> list[dict[str, object]]:
        """One dict per differing field: easy to show as a DataFrame."""
        return [
            {"field": d.field, "snapshot says": d.snapshot, "events say": d.events}
            for d in self.differences
        ]

    def __str__(self) -> str:
        head = (
            f"verify {self.account_id!r} (authority={self.authority}): snapshot at version "
            f"{self.snapshot_version}, events up to version {self.events_version}"
        )
        if self.unreadable is not None:
            return head + f": the snapshot cannot be read ({self.unreadable})"
        if self.ok:
            return head + ": they agree"
        lines = [
            f"  {d.field}: snapshot={d.snapshot!r} events={d.events!r}" for d in self.differences
        ]
        return "\n".join([head + f": {len(self.differences)} difference(s)", *lines])


class HybridRepository(EventSourcedRepository):
    """Events plus snapshots; ``authority`` names which one a rebuild trusts."""

    strategy = "hybrid"

    def __init__(
        self,
        target: Target,
        *,
        snapshot_every: int | None = None,
        authority: Authority = "events",
        codec: Codec | None = None,
    ) -> None:
        if authority not in ("events", "snapshot"):
            raise ValueError(f"authority must be 'events' or 'snapshot', not {authority!r}")
        if authority == "snapshot" and snapshot_every not in (None, 1):
            raise ValueError(
                "with authority='snapshot' the snapshot is the truth, so it is written on "
                f"every save; snapshot_every={snapshot_every} would leave it stale"
            )
        if snapshot_every is not None and snapshot_every < 1:
            raise ValueError(f"snapshot_every must be 1 or more, not {snapshot_every}")
        self.authority: Authority = authority
        self.snapshot_every = (
            1 if authority == "snapshot" else (snapshot_every or DEFAULT_SNAPSHOT_EVERY)
        )
        self._loads = threading.local()
        super().__init__(target, codec=codec)  # records or checks the authority

    def _check_meta(self) -> None:
        """The authority is recorded on creation; opening with the other one is refused."""
        stored = self.db.read_meta("authority")
        if stored is not None and stored != self.authority:
            raise AuthorityMismatch(stored, self.authority)
        self.declared_authority = self.authority

    @property
    def last_load(self) -> LoadReport | None:
        """How this thread's most recent load was served (None before the first one)."""
        return getattr(self._loads, "report", None)

    @last_load.setter
    def last_load(self, report: LoadReport | None) -> None:
        self._loads.report = report

    def __repr__(self) -> str:
        return (
            f"HybridRepository({self.path.name!r}, snapshot_every={self.snapshot_every}, "
            f"authority={self.authority!r}, codec={self.codec.name!r})"
        )

    # --- writing ---------------------------------------------------------------------------

    def save(self, account: Account) -> None:
        new_events = account.pending_events
        if not new_events:
            return
        expected = account.stored_version
        with self.db.transaction():
            self._append(account.account_id, expected, new_events)
            if self._snapshot_due(expected, account.version):
                self._write_snapshot(account.state)
        account.mark_saved()

    def _snapshot_due(self, before: int, after: int) -> bool:
        """True when this save crosses a multiple of N (always, when the snapshot is truth)."""
        return after // self.snapshot_every > before // self.snapshot_every

    def _write_snapshot(self, state: AccountState) -> None:
        """Inside an open transaction: store ``state`` as the snapshot at its version."""
        schema_version, text = self.codec.encode_state(state)
        if self.authority == "snapshot":
            self.db.execute(
                "DELETE FROM snapshots WHERE account_id = ? AND version < ?",
                (state.account_id, state.version),
            )
        self.db.execute(
            "INSERT INTO snapshots (account_id, version, schema_version, state) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, version) DO UPDATE SET "
            "schema_version = excluded.schema_version, state = excluded.state",
            (state.account_id, state.version, schema_version, text),
        )

    def write_snapshots(self, states: Iterable[AccountState]) -> int:
        """Store each state as a snapshot at its version, all in one transaction.

        The same writer ``save`` uses when a save crosses a multiple of the interval, offered
        for tools that lay down snapshots in bulk (the benchmark's setup, the cost model's
        timing). It writes only snapshots: the caller vouches that each state is the fold of
        the stored events up to its version. Returns how many were written.
        """
        written = 0
        with self.db.transaction():
            for state in states:
                self._write_snapshot(state)
                written += 1
        return written

    def take_snapshot(self, account_id: str) -> AccountState:
        """Snapshot on demand: rebuild the current state and store it at its version."""
        with self.db.transaction():
            state = self._rebuild(account_id).state
            self._write_snapshot(state)
        return state

    def rebuild_snapshot(self, account_id: str) -> AccountState:
        """Replace the newest snapshot with a full replay of the events (events authority)."""
        if self.authority != "events":
            raise ValueError(
                "rebuilding the snapshot from events would overrule the declared authority "
                "('snapshot'); reconcile by hand and record why"
            )
        with self.db.transaction():
            state, _ = self._replay(account_id)
            if state is None:
                raise AccountNotFound(account_id)
            self.db.execute("DELETE FROM snapshots WHERE account_id = ?", (account_id,))
            self._write_snapshot(state)
        return state

    # --- reading -----------------------------------------------------------------------------

    def load(self, account_id: str, version: int | None = None) -> Account:
        if version is not None:
            return self._load_at(account_id, version)
        account = self._rebuild(account_id)
        return account

    def _rebuild(self, account_id: str) -> Account:
        if self.authority == "snapshot":
            state = self._authoritative_snapshot(account_id)
            self.last_load = LoadReport(account_id, state.version, 0)
            return Account(state)
        base, skipped = self._newest_usable_snapshot(account_id)
        state, replayed = self._replay(account_id, base)
        if state is None:
            raise AccountNotFound(account_id)
        self._report(account_id, base, replayed, skipped)
        return Account(state)

    def _load_at(self, account_id: str, version: int) -> Account:
        """Temporal query: nearest usable snapshot at or before ``version``, then events."""
        base, skipped = None, []
        if self.authority == "events":
            base, skipped = self._newest_usable_snapshot(account_id, at_most=version)
        state, replayed = self._replay(account_id, base, up_to_version=version)
        if state is None or state.version != version:
            raise AccountNotFound(account_id, f" at version {version}")
        # A temporal query that skips a damaged snapshot reports it like a plain load does:
        # the fallback is reported, not hidden.
        self._report(account_id, base, replayed, skipped)
        return Account(state)

    def _report(
        self,
        account_id: str,
        base: AccountState | None,
        replayed: int,
        skipped: list[SkippedSnapshot],
    ) -> None:
        """Record how a load was served in ``last_load`` and log every skipped snapshot."""
        self.last_load = LoadReport(
            account_id, None if base is None else base.version, replayed, tuple(skipped)
        )
        for skip in skipped:
            log.warning(
                "account %r: skipped snapshot at version %s (%s); replayed %d events instead",
                account_id,
                skip.version,
                skip.reason,
                replayed,
            )

    @staticmethod
    def _snapshots_query(account_id: str, at_most: int | None) -> tuple[str, list[object]]:
        """The account's snapshots up to ``at_most``, newest first: SQL and parameters."""
        sql = "SELECT version, schema_version, state FROM snapshots WHERE account_id = ?"
        params: list[object] = [account_id]
        if at_most is not None:
            sql += " AND version <= ?"
            params.append(at_most)
        return sql + " ORDER BY version DESC", params

    def _snapshot_rows(self, account_id: str, at_most: int | None = None) -> Iterator[tuple]:
        """(version, schema_version, state) of the account's snapshots, newest first."""
        return self.db.stream(*self._snapshots_query(account_id, at_most))

    def _newest_snapshot_row(self, account_id: str, at_most: int | None = None) -> tuple | None:
        """(version, schema_version, state) of the newest snapshot alone, or None.

        One query, and so one round trip on a server, where a stream costs two (it opens a
        cursor, then closes it): a hybrid load is then three round trips, not four.
        """
        sql, params = self._snapshots_query(account_id, at_most)
        return self.db.fetch_one(sql + " LIMIT 1", params)

    def _newest_usable_snapshot(
        self, account_id: str, at_most: int | None = None
    ) -> tuple[AccountState | None, list[SkippedSnapshot]]:
        """The newest snapshot that decodes and fits its row, and the ones passed over.

        The newest snapshot is nearly always usable, so it is read alone first; only when it
        is not are the snapshots streamed, newest first, to find and report the usable one.
        """
        try:
            row = self._newest_snapshot_row(account_id, at_most)
        except UnreadableRow:
            return self._scan_snapshots(account_id, at_most)
        if row is None:
            return None, []
        version, schema_version, text = row
        try:
            return self._checked_state(account_id, version, schema_version, text), []
        except StoredRowError:
            return self._scan_snapshots(account_id, at_most)  # it meets this one again

    def _scan_snapshots(
        self, account_id: str, at_most: int | None
    ) -> tuple[AccountState | None, list[SkippedSnapshot]]:
        """Stream the snapshots newest first; skip (and report) each one that cannot be used."""
        skipped: list[SkippedSnapshot] = []
        below = at_most
        while True:
            try:
                for version, schema_version, text in self._snapshot_rows(account_id, below):
                    below = version - 1 if type(version) is int else below
                    try:
                        state = self._checked_state(account_id, version, schema_version, text)
                    except StoredRowError as error:  # DecodeError, StaleSnapshot, a newer schema
                        skipped.append(SkippedSnapshot(version, str(error)))
                        continue
                    return state, skipped
                return None, skipped
            except UnreadableRow as error:  # this row cannot even be read; try older ones
                version = self._newest_snapshot_version(account_id, below)
                if version is None:
                    return None, skipped
                skipped.append(SkippedSnapshot(version, str(error)))
                below = version - 1

    def _newest_snapshot_version(self, account_id: str, at_most: int | None) -> int | None:
        sql = "SELECT MAX(version) FROM snapshots WHERE account_id = ?"
        params: list[object] = [account_id]
        if at_most is not None:
            sql += " AND version <= ?"
            params.append(at_most)
        row = self.db.fetch_one(sql, params)
        return None if row is None else row[0]

    def _newest_snapshot(self, account_id: str) -> tuple[object, AccountState] | None:
        """The newest snapshot row's version and state; errors name the row."""
        try:
            row = self._newest_snapshot_row(account_id)
        except UnreadableRow as error:
            version = self._newest_snapshot_version(account_id, None)
            raise CorruptRecord("snapshots", account_id, version, str(error)) from error
        if row is None:
            return None
        version, schema_version, text = row
        return version, self._decode_state("snapshots", account_id, version, schema_version, text)

    def _authoritative_snapshot(self, account_id: str) -> AccountState:
        try:
            found = self._newest_snapshot(account_id)
        except CorruptRecord as error:
            raise CorruptRecord(
                "snapshots",
                account_id,
                error.version,
                f"{error.reason}; the snapshot is authoritative, so it is not replaced by a replay",
            ) from error
        if found is None:
            raise AccountNotFound(account_id)
        return found[1]

    # --- checking ------------------------------------------------------------------------------

    def verify(self, account_id: str) -> VerifyReport:
        """Rebuild from events alone and compare with the newest snapshot, field by field.

        A snapshot that cannot be read is reported (``unreadable``), not raised: finding
        such rows is what ``verify`` is for. Events that cannot be replayed raise a
        ``CorruptRecord`` naming the row, because then there is nothing to compare with.
        """
        head = self._head_version(account_id)
        try:
            found = self._newest_snapshot(account_id)
        except StoredRowError as error:
            version = error.version if type(error.version) is int else head
            replayed, _ = self._replay(account_id, up_to_version=version)
            events_say = "no events" if replayed is None else f"state at version {replayed.version}"
            return VerifyReport(
                account_id,
                self.authority,
                version,
                head,
                (FieldDifference("whole snapshot", "unreadable", events_say),),
                unreadable=_reason(error),
            )
        if found is None and head == 0:
            raise AccountNotFound(account_id)
        if found is None:
            return VerifyReport(account_id, self.authority, None, head)
        version, snapshot = found
        replayed, _ = self._replay(account_id, up_to_version=snapshot.version)
        differences = _compare(snapshot, replayed)
        if head < snapshot.version:
            differences.append(FieldDifference("events stored up to", snapshot.version, head))
        return VerifyReport(account_id, self.authority, snapshot.version, head, tuple(differences))


def _reason(error: StoredRowError) -> str:
    """What is wrong with a row, without the words that name it (the report names it)."""
    return error.reason if isinstance(error, CorruptRecord) else str(error)


def _compare(snapshot: AccountState, replayed: AccountState | None) -> list[FieldDifference]:
    if replayed is None:
        return [FieldDifference("history", "exists", "no events at all")]
    left, right = snapshot.as_dict(), replayed.as_dict()
    return [
        FieldDifference(name, left[name], right[name]) for name in left if left[name] != right[name]
    ]
