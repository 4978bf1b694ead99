"""Rebuild tests: save a generated history, reopen the store, load, and compare (both engines).

The expected answer comes from ``expected_after``, which works the balance out with plain
arithmetic from the same seeded commands - not through the Account - so a rebuild is checked
against an independent source. One test loads in a brand-new Python process what this one
saved; the temporal tests compare ``load(version=n)`` and ``load_as_of`` with a replay of the
first n events.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from helpers.domain.account import Account
from helpers.domain.state import fold
from helpers.errors import AccountNotFound
from helpers.samples.workload import build_account, expected_after
from helpers.storage.codec import JsonCodec
from helpers.storage.codec_msgspec import MsgspecCodec
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from tests.storage.contract import ENGINES, STRATEGIES, run_sql

N_EVENTS, SEED = 500, 7
CODECS = {"json": JsonCodec, "msgspec": MsgspecCodec}


def history(n: int = N_EVENTS, seed: int = SEED, account_id: str = "acc-1") -> tuple:
    """The events of a generated history, oldest first."""
    return build_account(account_id, n, seed=seed).pending_events


def save_in_batches(repo, events, batch: int) -> Account:
    """Save ``events`` in consecutive saves of ``batch`` events, as a long-lived app would."""
    state = None
    for start in range(0, len(events), batch):
        chunk = events[start : start + batch]
        state = fold(chunk, state)
        account = Account(state, pending=chunk)
        repo.save(account)
    return account


def as_expected(account: Account, n: int = N_EVENTS, seed: int = SEED) -> bool:
    expected = expected_after(n, seed=seed)
    actual = (account.balance, account.version, str(account.status))
    return actual == (expected.balance, expected.version, expected.status)


@pytest.mark.parametrize("batch", [1, 37, N_EVENTS])
def test_a_history_saved_in_several_saves_rebuilds_after_reopening(open_repo, batch):
    events = history()
    saved = save_in_batches(open_repo(), events, batch)
    loaded = open_repo().load("acc-1")
    assert as_expected(loaded)
    assert loaded.state == saved.state == fold(events)


@pytest.mark.parametrize(("write", "read"), [("json", "msgspec"), ("msgspec", "json")])
def test_a_file_written_with_one_codec_rebuilds_with_the_other(open_repo, write, read):
    save_in_batches(open_repo(codec=CODECS[write]()), history(), 50)
    assert as_expected(open_repo(codec=CODECS[read]()).load("acc-1"))


def test_several_accounts_in_one_file_each_rebuild_to_their_own_history(open_repo):
    repo = open_repo()
    seeds = {"acc-a": 1, "acc-b": 2, "acc-c": 3}
    for account_id, seed in seeds.items():
        save_in_batches(repo, history(120, seed, account_id), 25)
    reopened = open_repo()
    for account_id, seed in seeds.items():
        assert as_expected(reopened.load(account_id), 120, seed)


LOAD_IN_A_NEW_PROCESS = textwrap.dedent(
    """
    import json, sys
    from tests.storage.contract import STRATEGIES

    states = {}
    for strategy, path in json.loads(sys.argv[1]).items():
        with STRATEGIES[strategy](path) as repo:
            states[strategy] = repo.load("acc-1").state.as_dict()
    print(json.dumps(states))
    """
)


def test_a_new_process_rebuilds_what_this_process_saved_with_every_strategy(new_store):
    events = history()
    paths = {name: str(new_store()) for name in STRATEGIES}
    for name, path in paths.items():
        with STRATEGIES[name](path) as repo:
            save_in_batches(repo, events, 64)
    result = subprocess.run(
        [sys.executable, "-c", LOAD_IN_A_NEW_PROCESS, json.dumps(paths)],
        cwd=Path(__file__).parents[2],  # the pack root, so "tests.storage" imports
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    expected = expected_after(N_EVENTS, seed=SEED)
    states = json.loads(result.stdout)
    assert set(states) == set(STRATEGIES)
    for state in states.values():
        assert state == fold(events).as_dict()
        assert (state["balance"], state["version"]) == (expected.balance, expected.version)


# --- temporal queries ------------------------------------------------------------------------

VERSIONS = [1, 2, 3, 9, 10, 11, 99, 250, 499, 500]


@pytest.fixture(scope="module", params=ENGINES)
def events_file(request, tmp_path_factory):
    """One stored history per engine for the temporal tests below, which only read it."""
    if request.param == "sqlite":
        store = tmp_path_factory.mktemp("temporal") / "events.db"
    else:
        store = request.getfixturevalue("server_stores").create()
    events = history()
    with EventSourcedRepository(store) as repo:
        save_in_batches(repo, events, 100)
        yield repo, events
    if request.param != "sqlite":
        request.getfixturevalue("server_stores").drop(store)


@pytest.mark.parametrize("n", VERSIONS)
def test_the_event_store_loads_version_n_as_a_replay_of_the_first_n_events(events_file, n):
    repo, events = events_file
    assert repo.load("acc-1", version=n).state == fold(events[:n])


@pytest.mark.parametrize("n", VERSIONS)
def test_state_as_of_an_events_moment_includes_that_event(events_file, n):
    repo, events = events_file
    moment = events[n - 1].occurred_at
    assert repo.load_as_of("acc-1", moment).state == fold(events[:n])


@pytest.mark.parametrize("n", VERSIONS[:-1])
def test_state_as_of_a_moment_between_two_events_excludes_the_later_one(events_file, n):
    repo, events = events_file
    just_before_next = events[n].occurred_at - timedelta(microseconds=1)
    assert repo.load_as_of("acc-1", just_before_next).state == fold(events[:n])


def test_state_as_of_a_moment_before_the_opening_is_not_found(events_file):
    repo, events = events_file
    with pytest.raises(AccountNotFound, match="as of"):
        repo.load_as_of("acc-1", events[0].occurred_at - timedelta(seconds=1))


@pytest.mark.parametrize("n", [0, N_EVENTS + 1])
def test_loading_a_version_the_history_does_not_have_is_not_found(events_file, n):
    repo, _ = events_file
    with pytest.raises(AccountNotFound):
        repo.load("acc-1", version=n)


HYBRIDS = {
    "events-every-1": {"snapshot_every": 1},
    "events-every-10": {"snapshot_every": 10},
    "events-every-100": {"snapshot_every": 100},
    "snapshot-authority": {"authority": "snapshot"},
}


@pytest.mark.parametrize("options", list(HYBRIDS.values()), ids=list(HYBRIDS))
def test_the_hybrid_loads_version_n_as_a_replay_of_the_first_n_events(store, options):
    events = history()
    with HybridRepository(store, **options) as repo:
        save_in_batches(repo, events, 7)
        for n in VERSIONS:
            assert repo.load("acc-1", version=n).state == fold(events[:n])
        with pytest.raises(AccountNotFound):
            repo.load("acc-1", version=N_EVENTS + 1)


def test_the_hybrid_version_query_starts_from_the_nearest_snapshot_at_or_before_n(store):
    events = history()
    with HybridRepository(store, snapshot_every=10) as repo:
        save_in_batches(repo, events, 1)
        repo.load("acc-1", version=257)
        assert (repo.last_load.snapshot_version, repo.last_load.events_replayed) == (250, 7)
        repo.load("acc-1", version=250)
        assert (repo.last_load.snapshot_version, repo.last_load.events_replayed) == (250, 0)


def test_the_hybrid_version_query_skips_an_unusable_snapshot_and_reports_it(store, caplog):
    events = history()
    with HybridRepository(store, snapshot_every=10) as repo:
        save_in_batches(repo, events, 1)
        run_sql(store, "UPDATE snapshots SET state = '{oops' WHERE version = 250")
        with caplog.at_level(logging.WARNING, logger="helpers.storage.hybrid_store"):
            assert repo.load("acc-1", version=257).state == fold(events[:257])
        report = repo.last_load
    assert (report.snapshot_version, report.events_replayed) == (240, 17)
    assert report.fell_back
    assert [skip.version for skip in report.skipped] == [250]
    assert "skipped snapshot at version 250" in caplog.text


def test_state_as_of_a_moment_is_a_prefix_of_the_history_even_if_the_clock_went_back(store):
    """A real clock can step backwards (an NTP correction). History is ordered by version, so
    the state as of a moment is every event before the first one stamped after that moment."""
    nine = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    minutes = iter([0, 5, 3, 10])  # version 3 is stamped before version 2
    account = Account.open(
        "acc-1", "Grace Hopper", clock=lambda: nine + timedelta(minutes=next(minutes))
    )
    account.deposit(100, "version 2, at 09:05")
    account.deposit(200, "version 3, stamped 09:03")
    account.deposit(400, "version 4, at 09:10")
    events = account.pending_events
    with EventSourcedRepository(store) as repo:
        repo.save(account)
        assert repo.load_as_of("acc-1", nine + timedelta(minutes=4)).state == fold(events[:1])
        assert repo.load_as_of("acc-1", nine + timedelta(minutes=5)).state == fold(events[:3])
