"""The test session's PostgreSQL server and the empty stores the tests get on it.

Not a test module. ``tests/conftest.py`` starts one server per test session (an embedded one
on a memory file system, or the server named by ``REBUILD_LAB_POSTGRES_URL``) and asks
:class:`ServerStores` for a fresh store per test: a schema of its own, dropped when the test
ends, so tests never see each other's rows and leave nothing behind on a server they borrow.
"""

from __future__ import annotations

import os
from itertools import count

import psycopg
from psycopg.conninfo import conninfo_to_dict

from helpers.storage.postgres import search_path_of
from helpers.storage.postgres_server import with_search_path, with_settings


class ServerStores:
    """Hands out empty stores (schemas) on one server and drops each when asked."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.admin = psycopg.connect(server_url, autocommit=True)
        # An unclosed repository still holding a lock makes a drop fail, instead of hanging.
        self.admin.execute("SET lock_timeout = '10s'")
        self._numbers = count(1)

    def create(self) -> str:
        """A URL whose tables live in a new, empty schema.

        ``synchronous_commit=off``: a commit returns before its log record is on disk. Tests
        check what a commit makes visible, which is the same either way; only durability
        after a crash of the server differs, and no test crashes the server.
        """
        schema = f"test_{os.getpid()}_{next(self._numbers)}"
        self.admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self.admin.execute(f"CREATE SCHEMA {schema}")
        return with_settings(with_search_path(self.server_url, schema), synchronous_commit="off")

    def drop(self, url: str) -> None:
        schema = search_path_of(conninfo_to_dict(url)["options"])
        self.admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def close(self) -> None:
        self.admin.close()
