"""Shared fixtures: real SQLite files in a fresh temporary folder per test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers import TickingClock


@pytest.fixture
def db_path(tmp_path):
    """A path for a fresh SQLite file; pytest removes the folder afterwards."""
    return tmp_path / "ledger.db"


@pytest.fixture
def clock():
    return TickingClock(datetime(2026, 1, 1, 9, 0, tzinfo=UTC), timedelta(minutes=1))
