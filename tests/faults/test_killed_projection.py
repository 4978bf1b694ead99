"""A projection killed with SIGKILL in the middle of a batch, round after round, and restarted:
its report always equals a replay of exactly the events up to its stored position, and in the
end a fresh full replay.

Each round forks a child that catches the ``BalancesByOwner`` report up from its stored
position, in small batches. The child pauses inside one of its batch transactions - at a
statement chosen at random, after some events of the batch are already applied to the
uncommitted rows - and the parent kills it there. The parent then checks the report against
an independent computation (every account loaded through the repository, at the version it
had at the report's position). Between rounds the parent appends more events, as a live
system would, so there is always something left to catch up. On both engines, with the
events and the report in two stores of the same engine.
"""

from __future__ import annotations

import random

from helpers.domain.account import Account
from helpers.samples.workload import generate_commands
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.projection import BalancesByOwner
from tests.faults import profile, tally
from tests.faults.children import Child
from tests.faults.pause import pause_inside_a_transaction
from tests.storage.contract import Store, engine_of
from tests.storage.projection_oracle import balances_by_owner_by_loading, balances_by_owner_up_to

BATCH = 5
OWNERS = ("Ada", "Bea", "Cy", "Dee")


def append_events(repo: EventSourcedRepository, round_number: int) -> None:
    """One new account and a few commands on it: about 12 more events in the feed."""
    account = Account.open(f"acc-{round_number:03d}", OWNERS[round_number % len(OWNERS)])
    repo.save(account)
    for command in generate_commands(12, seed=round_number):
        command.apply_to(account)
        repo.save(account)


def catch_up_and_pause(events: Store, report: Store, pause_at: int, send) -> None:
    """The child: catch up, stopping at the ``pause_at``-th statement inside a transaction."""
    projection = BalancesByOwner(report)
    pause_inside_a_transaction(projection.db, pause_at, send)
    with EventSourcedRepository(events) as source:
        projection.catch_up(source, batch=BATCH)
    send("caught up")


def check_report(events: Store, report: Store) -> None:
    """The report is exactly a replay of the events up to the report's own position."""
    with EventSourcedRepository(events) as source, BalancesByOwner(report) as projection:
        expected = balances_by_owner_up_to(source, projection.position)
        rows = projection.rows()
    tally.COUNTS["projection_rows_checked"] += len(expected)
    tally.COUNTS["projection_rows_wrong"] += len(
        [row for row in rows if row not in expected]
    ) + len([row for row in expected if row not in rows])
    assert rows == expected


LAST_PAUSE = {"sqlite": 14, "postgres": 11}
"""The last statement a round is sure to reach, counted the way each engine's pause counts
(see ``tests.faults.pause``; SQLite's trace also sees the statements inside an
``executemany``)."""


def test_a_projection_killed_mid_batch_and_restarted_equals_a_fresh_full_replay(new_store):
    rounds = profile.current().projection_kill_rounds
    rng = random.Random(20260302)
    events, report, fresh_report = new_store(), new_store(), new_store()
    last_pause = LAST_PAUSE[engine_of(events)]
    with EventSourcedRepository(events) as repo:
        for number in range(8):
            append_events(repo, number)
    killed = 0
    for round_number in range(rounds):
        # Each round has at least 12 new events, so 3 batches of about 5 statements each:
        # statement 2 to the last pause is always reached, in the first, second or third
        # batch's transaction (reading the position, recording an owner, updating the rows or
        # the position, or just before COMMIT).
        pause_at = rng.randint(2, last_pause)
        child = Child(lambda send, p=pause_at: catch_up_and_pause(events, report, p, send))
        line = child.wait_for("paused")
        if line is None:  # it caught up before reaching the pause: nothing to kill
            assert child.finish() == 0, child.lines
        else:
            child.kill()
            killed += 1
            tally.COUNTS["projection_kills"] += 1
        check_report(events, report)
        with EventSourcedRepository(events) as repo:
            append_events(repo, 100 + round_number)
    assert killed == rounds

    with EventSourcedRepository(events) as source, BalancesByOwner(report) as projection:
        projection.catch_up(source)
        assert projection.position == source.last_position()
        final = projection.rows()
        assert final == balances_by_owner_by_loading(source)
    with BalancesByOwner(fresh_report) as fresh, EventSourcedRepository(events) as source:
        fresh.rebuild(source)
        assert fresh.rows() == final
    assert tally.COUNTS["projection_rows_wrong"] == 0
