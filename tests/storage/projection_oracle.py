"""The balances-by-owner report computed the slow, independent way: load every account.

Not a test module. The projection folds the feed; this folds each account's own history
through the repository (``load``), then groups by owner. If both agree, the projection saw
every event exactly once.
"""

from __future__ import annotations

from collections import defaultdict

from helpers.domain.state import Status
from helpers.storage.event_store import EventSourcedRepository


def balances_by_owner_by_loading(repo: EventSourcedRepository) -> list[dict[str, object]]:
    ids = [row[0] for row in repo.db.stream("SELECT DISTINCT account_id FROM events")]
    accounts: dict[str, int] = defaultdict(int)
    balances: dict[str, int] = defaultdict(int)
    for account_id in ids:
        state = repo.load(account_id).state
        accounts[state.owner] += state.status is not Status.CLOSED
        balances[state.owner] += state.balance
    return [
        {"owner": owner, "accounts": accounts[owner], "balance": balances[owner]}
        for owner in sorted(accounts)
    ]


def balances_by_owner_up_to(repo: EventSourcedRepository, position: int) -> list[dict[str, object]]:
    """The report as it must stand after the feed's events up to ``position``."""
    versions = {}
    for entry in repo.read_all():
        if entry.position > position:
            break
        versions[entry.event.account_id] = entry.event.version
    accounts: dict[str, int] = defaultdict(int)
    balances: dict[str, int] = defaultdict(int)
    for account_id, version in versions.items():
        state = repo.load(account_id, version=version).state
        accounts[state.owner] += state.status is not Status.CLOSED
        balances[state.owner] += state.balance
    return [
        {"owner": owner, "accounts": accounts[owner], "balance": balances[owner]}
        for owner in sorted(accounts)
    ]
