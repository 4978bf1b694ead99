"""Concurrent writers: separate processes saving commands to one store at the same time.

Each writer handles requests the way an application server would: load the account, run one
command, save, and on a ``ConcurrencyError`` count it and go on with the next request (which
loads again). Writers run for a fixed time, all starting at the same wall-clock moment, on
accounts of their own (``distinct``) or all on one account (``shared``). The measurement is
commands saved per second and conflicts per 1,000 attempted commands.

The writers are plain child processes (``WORKER``) that read one job per line from their
standard input and answer with one line: they behave the same under a notebook, a script or
a test, and each has its own connections, as separate application servers would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from types import TracebackType

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.errors import RebuildLabError
from helpers.storage.event_store import EventSourcedRepository

SNAPSHOT_EVERY = 20
"""Writers load through a hybrid store, so that a load stays short as their accounts grow."""

STARTUP_SECONDS = 0.3
"""Writers get a round's job this long before it starts, to open their connections."""

MAX_COMMANDS = 1_000_000
"""A writer also stops after this many commands: its loop is bounded in count and in time."""


WORKER = textwrap.dedent(
    f"""
    import json, sys, time
    from helpers.errors import ConcurrencyError
    from helpers.storage.hybrid_store import HybridRepository


    def write_for(target, account_id, name, start_at, seconds):
        saved = conflicts = 0
        with HybridRepository(target, snapshot_every={SNAPSHOT_EVERY}) as repo:
            time.sleep(max(0.0, start_at - time.time()))
            started = time.time()
            for number in range({MAX_COMMANDS}):
                if number and time.time() >= start_at + seconds:
                    break
                account = repo.load(account_id)
                account.deposit(100, f"{{name}}-{{number}}")
                try:
                    repo.save(account)
                    saved += 1
                except ConcurrencyError:
                    conflicts += 1
        return saved, conflicts, started, time.time()


    try:  # the server's driver loads now, not inside a writer's first timed round
        import helpers.storage.postgres  # noqa: F401
    except ImportError:
        pass
    print("ready", flush=True)
    for line in sys.stdin:
        print(json.dumps(write_for(**json.loads(line))), flush=True)
    """
)
"""The program each writer process runs: load, deposit, save until the time is up (at least one
command, even if it starts late), counting conflicts; one JSON job per line in, ``[saved,
conflicts, started, ended]`` (wall-clock seconds) per line out. It imports only the storage
layer, so that four processes start in about a second."""


class WriterProcesses:
    """``count`` writer processes, started once and given one job per round."""

    def __init__(self, count: int) -> None:
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]
        for process in self.processes:  # importing takes CPU: let it finish before timing
            if process.stdout.readline().strip() != "ready":
                self.close()
                raise RuntimeError("a writer process did not start")

    def run(self, jobs: list[dict]) -> list[tuple]:
        """Give job i to process i, wait for all; return each (saved, conflicts, start, end)."""
        if len(jobs) > len(self.processes):
            raise ValueError(f"{len(jobs)} jobs for {len(self.processes)} writer processes")
        for process, job in zip(self.processes, jobs, strict=False):
            process.stdin.write(json.dumps(job) + "\n")
            process.stdin.flush()
        results = []
        for process in self.processes[: len(jobs)]:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"a writer process stopped (exit code {process.wait()})")
            results.append(tuple(json.loads(line)))
        return results

    def close(self) -> None:
        """Let every process finish (end of its input); kill one that does not within 30 s."""
        for process in self.processes:
            if process.stdin and not process.stdin.closed:
                process.stdin.close()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()

    def __enter__(self) -> WriterProcesses:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_writer_accounts(target, count: int) -> None:
    """The accounts the writers use: ``writer-1`` .. ``writer-<count>`` and ``shared``."""
    with EventSourcedRepository(target) as repo:
        for account_id in [*(f"writer-{n}" for n in range(1, count + 1)), "shared"]:
            repo.save(Account.open(account_id, "Writer", clock=TickingClock()))


def concurrency_rows(
    engine: str, target, writer_counts: tuple[int, ...], seconds: float, writers: WriterProcesses
) -> list[dict]:
    """One row per (number of writers, distinct or shared accounts), on one store."""
    open_writer_accounts(target, max(writer_counts))
    rows = []
    for count in writer_counts:
        for sharing in ("distinct", "shared"):
            start_at = time.time() + STARTUP_SECONDS
            jobs = [
                {
                    "target": str(target),
                    "account_id": "shared" if sharing == "shared" else f"writer-{n}",
                    "name": f"w{n}",
                    "start_at": start_at,
                    "seconds": seconds,
                }
                for n in range(1, count + 1)
            ]
            results = writers.run(jobs)
            saved, conflicts = (sum(result[index] for result in results) for index in (0, 1))
            # The round lasts from the first writer's start to the last one's end: a writer
            # that started late (a busy machine) counts with the time it really ran.
            elapsed = max(r[3] for r in results) - min(r[2] for r in results)
            attempted = saved + conflicts
            rows.append(
                {
                    "engine": engine,
                    "writers": count,
                    "accounts": sharing,
                    "seconds": elapsed,
                    "attempted": attempted,
                    "saved": saved,
                    "conflicts": conflicts,
                    "commands_per_s": saved / elapsed,
                    "conflicts_per_1000": 1000 * conflicts / attempted if attempted else 0.0,
                }
            )
    return rows


def check_saved_commands(target, rows: list[dict], count: int) -> None:
    """Raise ``WrongCount`` unless the store holds exactly the commands the writers say they saved.

    Every saved command appended one deposit to one of the accounts ``open_writer_accounts``
    opened (each opening is version 1), so their versions add up to the saves plus the
    openings; a lost or doubled save would show here, and its rate is never reported.
    """
    accounts = [*(f"writer-{n}" for n in range(1, count + 1)), "shared"]
    with EventSourcedRepository(target) as repo:
        stored = sum(repo.load(account_id).version - 1 for account_id in accounts)
    saved = sum(int(row["saved"]) for row in rows)
    if stored != saved:
        raise WrongCount(
            f"the writers reported {saved:,} saved commands, but the store holds {stored:,}"
        )


class WrongCount(RebuildLabError):
    """Concurrent writers' counts disagree with the store: their rates must not be reported."""
