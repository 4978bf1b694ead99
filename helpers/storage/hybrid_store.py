"""Strategy 3: events *and* snapshots, with one of them declared the source of truth.

``authority="events"``
    The events are the truth; snapshots are a cache taken every N events, written in the same
    transaction as the events that trigger them. Load = newest usable snapshot + the events
    after it. A snapshot that is stale (older state shape) or unreadable is skipped and the
    load replays instead - and says so in ``last_load`` and in a logged warning.
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from helpers.domain.account import Account
from helpers.domain.state import AccountState
from helpers.errors import (
    AccountNotFound,
    AuthorityMismatch,
    CorruptRecord,
    StaleSnapshot,
)
from helpers.storage.codec import DecodeError
from helpers.storage.event_store import EventSourcedRepository

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
    """Snapshot versus a full replay of the events, field by field."""

    account_id: str
    authority: str
    snapshot_version: int | None
    events_version: int
    differences: tuple[FieldDifference, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.differences

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
        path,
        *,
        snapshot_every: int | None = None,
        authority: Authority = "events",
        codec=None,
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
        self.last_load: LoadReport | None = None
        super().__init__(path, codec=codec)  # records or checks the authority

    def _record_authority(self) -> None:
        """Record the declared authority on creation; refuse to open with the other one."""
        with self.db.transaction():
            stored = self.db.read_meta("authority")
            if stored is None:
                self.db.write_meta("authority", self.authority)
            elif stored != self.authority:
                raise AuthorityMismatch(stored, self.authority)
        self.declared_authority = self.authority

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
                "account %r: skipped snapshot at version %d (%s); replayed %d events instead",
                account_id,
                skip.version,
                skip.reason,
                replayed,
            )

    def _snapshot_rows(self, account_id: str, at_most: int | None = None):
        sql = "SELECT version, schema_version, state FROM snapshots WHERE account_id = ?"
        params: list[object] = [account_id]
        if at_most is not None:
            sql += " AND version <= ?"
            params.append(at_most)
        return self.db.execute(sql + " ORDER BY version DESC", params)

    def _newest_usable_snapshot(
        self, account_id: str, at_most: int | None = None
    ) -> tuple[AccountState | None, list[SkippedSnapshot]]:
        skipped: list[SkippedSnapshot] = []
        for version, schema_version, text in self._snapshot_rows(account_id, at_most):
            try:
                return self.codec.decode_state(schema_version, text), skipped
            except (StaleSnapshot, DecodeError) as error:
                skipped.append(SkippedSnapshot(version, str(error)))
        return None, skipped

    def _authoritative_snapshot(self, account_id: str) -> AccountState:
        row = self._snapshot_rows(account_id).fetchone()
        if row is None:
            raise AccountNotFound(account_id)
        version, schema_version, text = row
        try:
            return self.codec.decode_state(schema_version, text)
        except DecodeError as error:
            raise CorruptRecord(
                "snapshots",
                account_id,
                version,
                f"{error}; the snapshot is authoritative, so it is not replaced by a replay",
            ) from error

    # --- checking ------------------------------------------------------------------------------

    def verify(self, account_id: str) -> VerifyReport:
        """Rebuild from events alone and compare with the newest snapshot, field by field."""
        row = self._snapshot_rows(account_id).fetchone()
        head = self._head_version(account_id)
        if row is None and head == 0:
            raise AccountNotFound(account_id)
        if row is None:
            return VerifyReport(account_id, self.authority, None, head)
        version, schema_version, text = row
        snapshot = self._decode_state("snapshots", account_id, version, schema_version, text)
        replayed, _ = self._replay(account_id, up_to_version=version)
        differences = _compare(snapshot, replayed)
        if head < version:
            differences.append(FieldDifference("events stored up to", version, head))
        return VerifyReport(account_id, self.authority, version, head, tuple(differences))


def _compare(snapshot: AccountState, replayed: AccountState | None) -> list[FieldDifference]:
    if replayed is None:
        return [FieldDifference("history", "exists", "no events at all")]
    left, right = snapshot.as_dict(), replayed.as_dict()
    return [
        FieldDifference(name, left[name], right[name]) for name in left if left[name] != right[name]
    ]
