"""Small conveniences for the notebooks: a scratch folder per lesson and tables of rows.

Lessons write real SQLite files. Each notebook gets its own temporary folder, so notebooks
run in any order without seeing each other's files, and the folder is removed at the end of
the notebook (or when the kernel exits, if the notebook stops early).
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pandas as pd


class Workspace:
    """A private temporary folder for one notebook's database files."""

    def __init__(self, lesson: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=f"rebuild-lab-{lesson}-"))
        atexit.register(self.cleanup)

    def path(self, name: str) -> Path:
        """A file inside the workspace (it is not created until a repository opens it)."""
        return self.root / name

    def files(self) -> list[str]:
        """The names of the files currently in the workspace, sorted."""
        return sorted(p.name for p in self.root.iterdir())

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __repr__(self) -> str:
        return f"Workspace(files={self.files() if self.root.exists() else 'removed'})"


def table(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a read-only query and return its rows as a DataFrame with the column names."""
    cursor = conn.execute(sql, params)
    columns = [description[0] for description in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


class expect_error:  # lower case: reads as a phrase, `with expect_error(...)`
    """Show a deliberate error as one readable line, and fail loudly if it does not happen.

    Notebooks use this instead of letting a cell crash: the stored output is the error's
    class and message (no tracebacks, no file paths), and nbval fails if the error vanishes.
    """

    def __init__(self, error_type: type[BaseException]) -> None:
        self.error_type = error_type
        self.error: BaseException | None = None

    def __enter__(self) -> expect_error:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            raise AssertionError(f"expected {self.error_type.__name__}, but nothing was raised")
        if not isinstance(exc, self.error_type):
            return False
        self.error = exc
        print(f"{type(exc).__name__}: {exc}")
        return True
