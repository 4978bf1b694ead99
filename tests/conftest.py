"""Shared fixtures: real SQLite files in a fresh temporary folder per test.

The ``open_repo`` fixture is the persistence contract's entry point: it is parametrised over
every storage strategy in ``tests.storage.contract.STRATEGIES``, so a test written once against it
runs against snapshots, events and the hybrid variants alike.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from helpers import TickingClock
from helpers.storage.sqlite import connect
from tests.faults import profile, tally
from tests.storage.contract import STRATEGIES

settings.register_profile(
    "rebuild-lab",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("rebuild-lab")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fault-profile",
        choices=sorted(profile.PROFILES),
        default=None,
        help="how hard tests/faults pushes: quick (make test) or stress (make stress); "
        f"the default comes from ${profile.ENVIRONMENT_VARIABLE}, else quick",
    )


def pytest_configure(config: pytest.Config) -> None:
    chosen = config.getoption("--fault-profile")
    if chosen is not None:  # children started by the fault tests read the same variable
        os.environ[profile.ENVIRONMENT_VARIABLE] = chosen
    profile.current()  # an unknown name in the variable fails here, before any test runs


def pytest_terminal_summary(terminalreporter) -> None:
    lines = tally.summary()
    if lines:
        terminalreporter.section(f"fault injection ({profile.current().name} profile)")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory) -> Path:
    """One new, empty database file (tables, WAL mode, layout version), created once.

    Creating a WAL database costs several fsyncs (about 40 ms on this machine's disk), and
    hundreds of tests each need one; copying a closed, empty one costs a fraction of a
    millisecond. Tests about creating a database use a path of their own instead.
    """
    path = tmp_path_factory.mktemp("template") / "empty.db"
    connect(path).close()
    return path


@pytest.fixture
def db_path(tmp_path, empty_database):
    """A fresh, empty SQLite file in the test's own folder; pytest removes it afterwards."""
    path = tmp_path / "ledger.db"
    shutil.copyfile(empty_database, path)
    return path


@pytest.fixture
def clock():
    return TickingClock(datetime(2026, 1, 1, 9, 0, tzinfo=UTC), timedelta(minutes=1))


@pytest.fixture(params=list(STRATEGIES))
def strategy(request) -> str:
    """The name of one storage strategy; tests using it run once per strategy."""
    return request.param


@pytest.fixture
def open_repo(strategy, db_path):
    """Open a repository of the current strategy on ``db_path`` (a new connection per call).

    Every repository opened through it is closed when the test ends, even if it fails.
    """
    opened = []

    def factory(path=db_path, **options):
        repo = STRATEGIES[strategy](path, **options)
        opened.append(repo)
        return repo

    yield factory
    for repo in opened:
        repo.close()
