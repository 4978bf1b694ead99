"""Replay streams: loading a long history holds one event at a time, never a list of them.

Measured with ``tracemalloc`` inside one run: the peak memory of a load is compared with the
memory that the same history takes when it *is* held as a list of event objects. A ratio of two
measurements on the same machine, so it does not depend on how fast the machine is. On
PostgreSQL the rows come from a server-side cursor, one batch of rows per round trip.
"""

from __future__ import annotations

import inspect
import tracemalloc
from collections.abc import Callable
from itertools import islice
from typing import TypeVar

import pytest

from helpers.samples.workload import build_account
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from tests.storage.contract import ENGINES

N_EVENTS = 20_000
T = TypeVar("T")


def peak_bytes(action: Callable[[], T]) -> tuple[int, T]:
    """The peak of traced allocations while ``action`` runs, and what it returned."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before, result


@pytest.fixture(scope="module", params=ENGINES)
def long_history(request, tmp_path_factory):
    """One long history per engine: a SQLite file, or a schema on the session's server."""
    if request.param == "sqlite":
        store = tmp_path_factory.mktemp("streaming") / "long.db"
    else:
        store = request.getfixturevalue("server_stores").create()
    account = build_account("acc-long", N_EVENTS, seed=3)
    short = build_account("acc-short", N_EVENTS // 4, seed=3)
    with HybridRepository(store, snapshot_every=N_EVENTS * 2) as repo:
        repo.save(account)
        repo.save(short)
    yield store, account.state
    if request.param != "sqlite":
        request.getfixturevalue("server_stores").drop(store)


SAMPLE = 2_000


@pytest.fixture(scope="module")
def list_of_all_events_bytes(long_history):
    """The yardstick: what holding the whole history as a list of event objects would cost.

    Measured on the first 2,000 events and scaled by ten (a list grows linearly), which keeps
    the traced run short; the same tracer measures the loads below.
    """
    path, _ = long_history
    with EventSourcedRepository(path) as repo:
        sample, events = peak_bytes(lambda: list(islice(repo.history("acc-long"), SAMPLE)))
    assert len(events) == SAMPLE
    return sample * (N_EVENTS // SAMPLE)


def test_the_yardstick_is_big_enough_to_notice_a_list(list_of_all_events_bytes):
    assert list_of_all_events_bytes > N_EVENTS * 100


def test_an_event_store_load_peaks_far_below_a_list_of_all_events(
    long_history, list_of_all_events_bytes
):
    path, state = long_history
    with EventSourcedRepository(path) as repo:
        peak, loaded = peak_bytes(lambda: repo.load("acc-long"))
    assert loaded.state == state
    assert peak < list_of_all_events_bytes / 20, (peak, list_of_all_events_bytes)


def test_a_hybrid_load_without_a_snapshot_also_streams(long_history, list_of_all_events_bytes):
    path, state = long_history
    with HybridRepository(path, snapshot_every=N_EVENTS * 2) as repo:
        peak, loaded = peak_bytes(lambda: repo.load("acc-long"))
        assert repo.last_load.events_replayed == N_EVENTS
    assert loaded.state == state
    assert peak < list_of_all_events_bytes / 20, (peak, list_of_all_events_bytes)


def test_the_audit_history_is_a_generator_not_a_list(long_history):
    path, _ = long_history
    with EventSourcedRepository(path) as repo:
        events = repo.history("acc-long")
        assert inspect.isgenerator(events)
        assert next(events).version == 1
        events.close()


def test_the_peak_of_a_load_does_not_grow_with_the_length_of_the_history(
    long_history, list_of_all_events_bytes
):
    """Four times the events: as a list they would take about 3/4 of the yardstick more."""
    path, _ = long_history
    with EventSourcedRepository(path) as repo:
        repo.load("acc-short")  # warm-up: decoder caches are not the load's
        short_peak, _ = peak_bytes(lambda: repo.load("acc-short"))
        long_peak, _ = peak_bytes(lambda: repo.load("acc-long"))
    assert long_peak - short_peak < list_of_all_events_bytes / 100, (short_peak, long_peak)
