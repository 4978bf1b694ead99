"""Reconciling drift between snapshots and events, according to the declared authority.

``HybridRepository.verify`` finds drift; this module decides what to do about it, and the
answer depends on which artifact the database declares authoritative:

* ``authority="events"`` - the snapshot is a cache. Replace it with a full replay
  (``rebuild_snapshot``); nobody needs to decide anything.
* ``authority="snapshot"`` - the snapshot is the truth and the events are an audit log.
  A replay must not overrule it: the events may be incomplete, or the snapshot may hold a
  correction the events never saw. A person investigates and, if the snapshot is wrong,
  corrects it by hand - through :func:`correct_snapshot_by_hand`, which records who
  approved the change and why in the ``corrections`` table (part of the store's layout, keyed
  by account, snapshot version, field and moment), in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.domain.clock import Clock, system_clock
from helpers.domain.state import AccountState, Status
from helpers.errors import AccountNotFound
from helpers.storage.codec import format_timestamp
from helpers.storage.hybrid_store import HybridRepository

CORRECTABLE_FIELDS = ("owner", "balance", "overdraft_limit", "status")


@dataclass(frozen=True)
class Reconciliation:
    """What reconcile found and did: the action taken and what is left for people to do."""

    account_id: str
    authority: str
    action: str
    differences: tuple[dict[str, object], ...]
    next_steps: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.account_id} (authority={self.authority}): {self.action}"]
        lines += [f"  next: {step}" for step in self.next_steps]
        return "\n".join(lines)


def reconcile(repo: HybridRepository, account_id: str) -> Reconciliation:
    """Verify one account and settle any drift the way its declared authority allows."""
    report = repo.verify(account_id)
    differences = tuple(report.as_rows())
    if report.ok:
        return Reconciliation(account_id, repo.authority, "nothing to do: they agree", ())
    if repo.authority == "events":
        repo.rebuild_snapshot(account_id)
        return Reconciliation(
            account_id,
            "events",
            "snapshot rebuilt from the events (the events are the truth)",
            differences,
            ("keep the verify report with the incident; find the bug or edit that caused it",),
        )
    return Reconciliation(
        account_id,
        "snapshot",
        "left unchanged: the snapshot is the truth, so a replay may not overrule it",
        differences,
        (
            "find out how the snapshot came to differ (release notes, database audit log)",
            "decide, with a second person, which value is right",
            "if the snapshot is wrong: correct_snapshot_by_hand(..., reason=..., approved_by=...)",
            "if the snapshot is right: record why the audit log does not explain it",
        ),
    )


def correct_snapshot_by_hand(
    repo: HybridRepository,
    account_id: str,
    changes: dict[str, object],
    *,
    reason: str,
    approved_by: str,
    clock: Clock = system_clock,
) -> AccountState:
    """Change fields of the authoritative snapshot and record the correction, atomically.

    Only for ``authority="snapshot"``: with events authority a snapshot is a cache, and the
    right fix is ``rebuild_snapshot``. A correction without a reason and an approver is
    refused, because it is exactly the undocumented hand edit this function exists to avoid.
    """
    if repo.authority != "snapshot":
        raise ValueError(
            "this database declares the events authoritative: a hand correction to a cached "
            "snapshot would be overwritten by the next rebuild; use rebuild_snapshot instead"
        )
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise ValueError(f"cannot correct {unknown}; correctable fields: {CORRECTABLE_FIELDS}")
    if not reason.strip() or not approved_by.strip():
        raise ValueError("a manual correction needs a reason and the name of who approved it")
    with repo.db.transaction():
        version, state = _newest_snapshot(repo, account_id)
        corrected_at = format_timestamp(clock())  # one moment for every field of the change
        if "status" in changes:
            changes = {**changes, "status": Status(changes["status"])}
        corrected = state._replace(**changes)
        schema_version, text = repo.codec.encode_state(corrected)
        repo.db.execute(
            "UPDATE snapshots SET schema_version = ?, state = ? "
            "WHERE account_id = ? AND version = ?",
            (schema_version, text, account_id, version),
        )
        repo.db.executemany(
            "INSERT INTO corrections (account_id, snapshot_version, field, before, after, "
            "reason, approved_by, corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    account_id,
                    version,
                    name,
                    str(getattr(state, name)),
                    str(value),
                    reason,
                    approved_by,
                    corrected_at,
                )
                for name, value in changes.items()
            ],
        )
    return corrected


def _newest_snapshot(repo: HybridRepository, account_id: str) -> tuple[int, AccountState]:
    """The snapshot to correct; an unreadable one is a CorruptRecord naming its row."""
    found = repo._newest_snapshot(account_id)
    if found is None:
        raise AccountNotFound(account_id, " (no snapshot to correct)")
    return found
