"""The editions, each built once per test session into a temporary folder from the sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.editions.site import build_site
from scripts.editions.student import build_student

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def student_edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("editions") / "student"
    build_student(ROOT, out)
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("editions") / "site"
    build_site(ROOT, out)
    return out
