"""Shared fixtures: real stores, new for every test, on SQLite files and on PostgreSQL.

The ``open_repo`` fixture is the persistence contract's entry point: it is parametrised over
every storage strategy in ``tests.storage.contract.STRATEGIES`` and over both engines
(``engine``), so a test written once against it runs against snapshots, events and the hybrid
variants, on a SQLite file and on a PostgreSQL server alike - the way the eventsourcing
library runs one recorder test case per backend. Tests that take ``store`` (a fresh, empty
store: a file path or a server URL) run on both engines too; ``db_path`` is a SQLite file
only, for what is about SQLite itself.

PostgreSQL comes from ``postgres_server`` below: started once per session, only when a test
needs it, and stopped (its data folder deleted) when the session ends. Where it cannot run,
its tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from helpers import TickingClock
from helpers.storage.postgres_server import postgres_server, why_unavailable
from helpers.storage.sqlite import connect
from tests.faults import profile, tally
from tests.storage.contract import ENGINES, STRATEGIES

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


@pytest.fixture(scope="session")
def server_stores():
    """The session's PostgreSQL server, handing out one empty schema per store."""
    reason = why_unavailable()
    if reason is not None:
        pytest.skip(reason)
    from tests.storage.postgres_server import ServerStores

    with postgres_server(in_memory=True) as url:
        stores = ServerStores(url)
        try:
            yield stores
        finally:
            stores.close()


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """The name of one database engine; tests using it run once per engine."""
    return request.param


@pytest.fixture
def new_store(engine, tmp_path, empty_database, request):
    """Make fresh, empty stores on the current engine: file paths, or URLs of new schemas.

    On PostgreSQL the session's server is asked for first, so a test that cannot have one is
    skipped (with the reason) before it starts.
    """
    server = request.getfixturevalue("server_stores") if engine == "postgres" else None
    made: list = []

    def factory():
        if server is None:
            made.append(tmp_path / f"store-{len(made) + 1}.db")
            shutil.copyfile(empty_database, made[-1])
        else:
            made.append(server.create())
        return made[-1]

    yield factory
    for url in made if server is not None else ():
        server.drop(url)


@pytest.fixture
def store(new_store):
    """A fresh, empty store on the current engine: a SQLite file path or a PostgreSQL URL."""
    return new_store()


@pytest.fixture
def clock():
    return TickingClock(datetime(2026, 1, 1, 9, 0, tzinfo=UTC), timedelta(minutes=1))


@pytest.fixture(params=list(STRATEGIES))
def strategy(request) -> str:
    """The name of one storage strategy; tests using it run once per strategy."""
    return request.param


@pytest.fixture
def open_repo(strategy, store):
    """Open a repository of the current strategy on ``store`` (a new connection per call).

    Every repository opened through it is closed when the test ends, even if it fails.
    """
    opened = []

    def factory(path=store, **options):
        repo = STRATEGIES[strategy](path, **options)
        opened.append(repo)
        return repo

    yield factory
    for repo in opened:
        repo.close()
