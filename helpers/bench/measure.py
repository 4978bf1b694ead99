"""Load time, write cost and peak memory, each load checked before its time is kept.

Timing uses ``time.perf_counter_ns``. A load is timed on a repository object opened on the
file beforehand (opening a file is not loading an account), after one untimed warm-up load,
so SQLite's schema and statement caches are primed as in a running application. The
repositories keep no account state between loads: every timed load reads and decodes again.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from helpers.bench.histories import ACCOUNT_ID, open_repository
from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.errors import RebuildLabError
from helpers.samples.workload import Expected, generate_commands


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


@dataclass(frozen=True)
class LoadTiming:
    """Wall-clock median, min and max, plus the median CPU time of the loading thread."""

    median_us: float
    min_us: float
    max_us: float
    repeats: int
    events_replayed: int
    cpu_median_us: float = float("nan")


def time_load(
    path: Path,
    strategy: str,
    interval: int | None,
    codec: str,
    expected: Expected,
    repeats: int,
    version: int | None = None,
) -> LoadTiming:
    """Median, min and max of ``repeats`` checked loads (``version``: a temporal load).

    ``expected`` is the state the load must return: for a temporal load, the state at
    ``version``. Any mismatch raises ``WrongLoad`` before a time is kept.

    Two clocks run around each load: the wall clock (what a user waits) and the CPU time of
    this thread (SQLite runs in it too). On a quiet machine they agree; when other programs
    share the cores, the wall clock also counts the time they held the CPU, and the CPU time
    is the better measure of the code's own cost. Both are reported.
    """
    what = f"{strategy}/{interval}/{codec} at {expected.version} events"
    samples: list[float] = []
    cpu_samples: list[float] = []
    with open_repository(path, strategy, interval, codec) as repo:
        start = time.perf_counter_ns()
        _load(repo, version)  # warm-up, untimed
        repeats = adaptive_repeats(repeats, time.perf_counter_ns() - start)
        for _ in range(repeats):
            cpu_start = time.thread_time_ns()
            start = time.perf_counter_ns()
            account = _load(repo, version)
            samples.append((time.perf_counter_ns() - start) / 1_000)
            cpu_samples.append((time.thread_time_ns() - cpu_start) / 1_000)
            check_load(account, expected, what)
        replayed = _events_replayed(repo, expected.version)
    return LoadTiming(
        statistics.median(samples),
        min(samples),
        max(samples),
        repeats,
        replayed,
        statistics.median(cpu_samples),
    )


FAST_LOAD_BUDGET_NS = 50_000_000
"""Loads faster than this are repeated until about this much time is spent (at most 200)."""


def adaptive_repeats(repeats: int, warmup_ns: int) -> int:
    """More samples for fast loads: a 30 us load timed 3 times is mostly noise."""
    if warmup_ns <= 0:
        return max(repeats, 200)
    return max(repeats, min(200, FAST_LOAD_BUDGET_NS // warmup_ns))


def _load(repo, version: int | None) -> Account:
    return repo.load(ACCOUNT_ID) if version is None else repo.load(ACCOUNT_ID, version=version)


def _events_replayed(repo, length: int) -> int:
    """How many events the last load applied: all for event-sourced, none for snapshot."""
    report = getattr(repo, "last_load", None)
    if report is not None:
        return report.events_replayed
    return length if repo.strategy == "event-sourced" else 0


def time_writes(
    path: Path, strategy: str, interval: int | None, codec: str, commands: int
) -> float:
    """Microseconds per command when every command is saved in its own transaction."""
    clock = TickingClock()
    with open_repository(path, strategy, interval, codec) as repo:
        account = Account.open(ACCOUNT_ID, "Ada Lovelace", clock=clock)
        repo.save(account)
        start = time.perf_counter_ns()
        for command in generate_commands(commands + 1, seed=7):
            command.apply_to(account)
            repo.save(account)
        elapsed = time.perf_counter_ns() - start
    return elapsed / 1_000 / commands


def peak_load_memory(
    path: Path, strategy: str, interval: int | None, codec: str, expected: Expected
) -> int:
    """Bytes allocated by Python at the peak of one load, above what was live before it.

    tracemalloc sees Python objects only; SQLite's own page cache (2 MB at most with the
    default ``cache_size``) is not in this number.
    """
    with open_repository(path, strategy, interval, codec) as repo:
        _load(repo, None)  # warm-up: caches that live on after a load are not the load's
        tracemalloc.start()
        try:
            baseline = tracemalloc.get_traced_memory()[0]
            account = repo.load(ACCOUNT_ID)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        check_load(account, expected, f"memory load {strategy}/{codec}")
    return peak - baseline


def peak_list_memory(path: Path, codec: str, length: int) -> int:
    """For contrast: peak bytes when the whole history is first materialised as a list."""
    with open_repository(path, "event-sourced", None, codec) as repo:
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


@dataclass(frozen=True)
class PairedTiming:
    base_median_us: float
    median_us: float
    samples: int

    @property
    def ratio(self) -> float:
        return self.median_us / self.base_median_us


def time_paired_loads(
    base: tuple[Path, Expected],
    other: tuple[Path, Expected],
    strategy: str,
    interval: int | None,
    codec: str,
    samples: int = 200,
) -> PairedTiming:
    """Two files' loads timed in alternation, so both see the same machine conditions.

    Used for the flatness targets: a ratio of two medians taken a minute apart on a shared
    machine measures the neighbours as much as the code; taken in alternation it does not.
    """
    times: tuple[list[float], list[float]] = ([], [])
    repos = [open_repository(path, strategy, interval, codec) for path, _ in (base, other)]
    try:
        for repo in repos:
            _load(repo, None)  # warm-up
        for _ in range(samples):
            for index, (repo, (_, expected)) in enumerate(zip(repos, (base, other), strict=True)):
                start = time.perf_counter_ns()
                account = _load(repo, None)
                times[index].append((time.perf_counter_ns() - start) / 1_000)
                check_load(account, expected, f"paired {strategy}/{interval}/{codec}")
    finally:
        for repo in repos:
            repo.close()
    return PairedTiming(statistics.median(times[0]), statistics.median(times[1]), samples)
