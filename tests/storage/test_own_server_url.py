"""A server of your own that cannot be used is reported in one line, never as a traceback.

Notebook 09 promises one line saying why PostgreSQL cannot run; with a mistyped or unreachable
``REBUILD_LAB_POSTGRES_URL`` that line must come from ``why_unavailable`` (the driver's own
errors would otherwise surface from the first cell that connects), and it must not show the
password.
"""

from __future__ import annotations

import importlib

import pytest

server_module = importlib.import_module("helpers.storage.postgres_server")

pytest.importorskip("psycopg")


@pytest.fixture(autouse=True)
def _fresh_cache():
    server_module._why_unreachable.cache_clear()
    yield
    server_module._why_unreachable.cache_clear()


def test_a_value_that_is_not_a_postgresql_url_is_named_in_one_line(monkeypatch):
    monkeypatch.setenv(server_module.ENV_VAR, "ada:secret@localhost/ledger")
    reason = server_module.why_unavailable()
    assert reason is not None and "\n" not in reason
    assert "must start with postgresql:// or postgres://" in reason
    assert "secret" not in reason


def test_an_unreachable_server_is_named_in_one_line_without_its_password(monkeypatch):
    monkeypatch.setenv(server_module.ENV_VAR, "postgresql://ada:s3cr3t-pw@127.0.0.1:1/ledger")
    reason = server_module.why_unavailable()
    assert reason is not None and "\n" not in reason
    assert "cannot be used" in reason and "Connection refused" in reason
    assert "s3cr3t-pw" not in reason


def test_a_missing_socket_folder_is_named_in_one_line(monkeypatch, tmp_path):
    url = f"postgresql://ada@/ledger?host={tmp_path / 'no-server-here'}"
    monkeypatch.setenv(server_module.ENV_VAR, url)
    reason = server_module.why_unavailable()
    assert reason is not None and "\n" not in reason and "cannot be used" in reason


def test_postgres_database_is_public_api_of_the_storage_layer():
    from helpers.storage import PostgresDatabase
    from helpers.storage.postgres import PostgresDatabase as defined

    assert PostgresDatabase is defined
    assert "PostgresDatabase" in importlib.import_module("helpers.storage").__all__
