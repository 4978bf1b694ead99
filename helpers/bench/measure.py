"""Timed, checked work: warm and cold loads, floors, writes and memory, timed in rounds.

Everything timed is a :class:`Cell`: one thing to do (a load, a raw fetch, a series of
writes) and how to check its answer. :func:`time_in_rounds` times all the cells of one
history length *in rounds*: every round runs each cell once, in a new seeded order, so a
burst of other work on a shared machine lands on all of them alike instead of on whichever
happened to run during it. A fast cell runs a small batch of times per round (so a 20 us
load still gets a few hundred samples); a slow one runs once.

Two clocks run around each sample: the wall clock (what a user waits) and the CPU time of
this thread (SQLite runs in it too). On a quiet machine they agree; on a busy one the wall
clock also counts the time other programs held the core.
"""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from helpers.bench.histories import ACCOUNT_ID, open_repository
from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.errors import RebuildLabError
from helpers.samples.workload import Expected, generate_commands

BATCH_BUDGET_NS = 4_000_000
"""A fast cell repeats within a round until about this much time is spent (at most 40)."""
MAX_BATCH = 40


class WrongLoad(RebuildLabError):
    """A load returned a state the generator did not expect: its time must not be reported."""


def check_load(account: Account, expected: Expected, what: str) -> None:
    """Raise ``WrongLoad`` unless balance, version and status are the generator's."""
    found = (account.balance, account.version, str(account.status))
    wanted = (expected.balance, expected.version, expected.status)
    if found != wanted:
        raise WrongLoad(
            f"{what}: loaded (balance, version, status) = {found}, expected {wanted}; "
            "a wrong load is never reported as a timing"
        )


@dataclass
class Cell:
    """One thing to time: ``run()`` does it once, checks the answer and returns nothing.

    ``key`` names it in the results; ``per`` divides its times (events, commands) for the
    per-unit columns. ``prepare`` (optional, untimed) runs before every sample: a cold load
    uses it to drop the file from the operating system's cache.
    """

    key: tuple
    run: Callable[[], object]
    per: int = 1
    prepare: Callable[[], object] | None = None
    batch: int = 1
    wall_ns: list[int] = field(default_factory=list)
    cpu_ns: list[int] = field(default_factory=list)

    def sample(self) -> None:
        if self.prepare is not None:
            self.prepare()
        cpu_start = time.thread_time_ns()
        start = time.perf_counter_ns()
        self.run()
        self.wall_ns.append(time.perf_counter_ns() - start)
        self.cpu_ns.append(time.thread_time_ns() - cpu_start)

    def calibrate(self) -> None:
        """Two untimed runs (they check the answer too); the second sets the batch size.

        The first run of a warm cell primes its caches (statements, decoders), so it is
        slower than the rest and would make the batch too small.
        """
        if self.prepare is not None:  # cold cells run once per round: each run is its own
            self.batch = 1
            self.prepare()
            self.run()
            return
        self.run()
        start = time.perf_counter_ns()
        self.run()
        elapsed = max(time.perf_counter_ns() - start, 1)
        self.batch = max(1, min(MAX_BATCH, BATCH_BUDGET_NS // elapsed))

    def summary(self) -> dict[str, float]:
        """Median, quartiles, min and max in microseconds, plus the median CPU time."""
        wall = sorted(ns / 1_000 for ns in self.wall_ns)
        q1, _, q3 = statistics.quantiles(wall, n=4) if len(wall) > 1 else wall * 3
        return {
            "median_us": statistics.median(wall),
            "q1_us": q1,
            "q3_us": q3,
            "min_us": wall[0],
            "max_us": wall[-1],
            "cpu_median_us": statistics.median(self.cpu_ns) / 1_000,
            "samples": len(wall),
        }


def time_in_rounds(
    cells: list[Cell], rounds: int, seed: int, tick: Callable[[], None] = lambda: None
) -> None:
    """Calibrate every cell, then time them in ``rounds`` rounds, each in a new order.

    Within a round the warm cells take turns sample by sample (a fast cell's batch is spread
    over the whole round, not run in one burst), then each cold cell runs once: a cold load
    drops its file from the cache, and the warm loads should not pay for that.
    """
    for cell in cells:
        cell.calibrate()
    warm = [cell for cell in cells if cell.prepare is None]
    cold = [cell for cell in cells if cell.prepare is not None]
    rng = random.Random(seed)
    for _ in range(rounds):
        rng.shuffle(warm)
        rng.shuffle(cold)
        for turn in range(max((cell.batch for cell in warm), default=0)):
            for cell in warm:
                if turn < cell.batch:
                    cell.sample()
        for cell in cold:
            cell.sample()
        tick()


# --- loads ----------------------------------------------------------------------------------


def load_once(repo, version: int | None) -> Account:
    return repo.load(ACCOUNT_ID) if version is None else repo.load(ACCOUNT_ID, version=version)


def warm_load(repo, version: int | None, expected: Expected, what: str) -> Callable[[], None]:
    """A load on a repository that stays open: its caches are primed, as in a running app."""

    def run() -> None:
        check_load(load_once(repo, version), expected, what)

    return run


def cold_load(
    target,
    strategy: str,
    interval: int | None,
    codec: str,
    version: int | None,
    expected: Expected,
    what: str,
) -> Callable[[], None]:
    """Open a new repository (new connection, new codec, empty caches), load once, close.

    The time includes opening: after a restart, the first load pays for it too.
    """

    def run() -> None:
        with open_repository(target, strategy, interval, codec) as repo:
            check_load(load_once(repo, version), expected, what)

    return run


def events_replayed(repo, version: int | None, expected: Expected) -> int:
    """How many events one load applies: all for event-sourced, none for a snapshot."""
    if repo.strategy == "snapshot":
        return 0
    if repo.strategy == "event-sourced":
        return expected.version
    load_once(repo, version)
    return repo.last_load.events_replayed


# --- writes ---------------------------------------------------------------------------------


class WriteSeries:
    """Save ``commands`` commands to a new account, each in its own transaction.

    Every sample writes to a new account in the same store (``w-1``, ``w-2``, ...), so the
    store grows a little from sample to sample, as a real one does. ``open_store`` opens the
    repository (with the durability setting to measure) on first use; ``close`` closes it.
    """

    def __init__(self, open_store: Callable[[], object], commands: int) -> None:
        self.open_store = open_store
        self.commands = commands
        self.repo = None
        self.accounts = 0

    def __call__(self) -> None:
        if self.repo is None:
            self.repo = self.open_store()
        self.accounts += 1
        account = Account.open(f"w-{self.accounts}", "Ada Lovelace", clock=TickingClock())
        self.repo.save(account)
        for command in generate_commands(self.commands + 1, seed=7):
            command.apply_to(account)
            self.repo.save(account)

    def close(self) -> None:
        if self.repo is not None:
            self.repo.close()
            self.repo = None


# --- memory ---------------------------------------------------------------------------------


def peak_load_memory(target, strategy: str, interval: int | None, codec: str, expected) -> int:
    """Bytes allocated by Python at the peak of one load, above what was live before it.

    tracemalloc sees Python objects only; SQLite's own page cache (2 MB at most with the
    default ``cache_size``) is not in this number.
    """
    with open_repository(target, strategy, interval, codec) as repo:
        load_once(repo, None)  # warm-up: caches that live on after a load are not the load's
        tracemalloc.start()
        try:
            baseline = tracemalloc.get_traced_memory()[0]
            account = load_once(repo, None)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        check_load(account, expected, f"memory load {strategy}/{codec}")
    return peak - baseline


def peak_list_memory(target, codec: str, length: int) -> int:
    """For contrast: peak bytes when the whole history is first materialised as a list."""
    with open_repository(target, "event-sourced", None, codec) as repo:
        tracemalloc.start()
        try:
            baseline = tracemalloc.get_traced_memory()[0]
            events = list(repo.history(ACCOUNT_ID))  # type: ignore[attr-defined]
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    if len(events) != length:
        raise WrongLoad(f"history held {len(events)} events, expected {length}")
    return peak - baseline
