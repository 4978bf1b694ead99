"""Stopping a child process inside a write transaction, so that the test can kill it there.

Not a test module. The child calls :func:`pause_inside_a_transaction` on its engine object
before it starts work; at the ``pause_at``-th statement run inside a transaction it tells the
parent ("paused before UPDATE") and sleeps until it is killed.

* SQLite: SQLite's own statement trace sees every statement the connection runs, COMMIT
  included.
* PostgreSQL: psycopg has no such hook, so the engine object's ``execute``, ``executemany``
  and ``stream`` are wrapped (``fetch_one`` and the ``meta`` helpers go through ``execute``),
  and so is ``transaction``: every statement sent while a transaction is open counts, and the
  end of the block - where the COMMIT is sent - counts as one more.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

WAIT_FOR_KILL = 60.0
"""Seconds a paused child sleeps: far longer than the parent takes to kill it."""


def pause_inside_a_transaction(db: Any, pause_at: int, send: Callable[[str], None]) -> None:
    """Make ``db`` stop at the ``pause_at``-th statement inside a transaction, and say so."""
    if db.engine == "sqlite":
        _pause_by_trace(db.conn, pause_at, send)
    else:
        _pause_by_wrapping(db, pause_at, send)


def _pause_by_trace(conn: Any, pause_at: int, send: Callable[[str], None]) -> None:
    count = 0

    def trace(statement: str) -> None:
        nonlocal count
        if not conn.in_transaction:
            return
        count += 1
        if count == pause_at:
            send(f"paused before {statement.split()[0]}")
            time.sleep(WAIT_FOR_KILL)

    conn.set_trace_callback(trace)


def _pause_by_wrapping(db: Any, pause_at: int, send: Callable[[str], None]) -> None:
    count = 0
    inside = False

    def counted(statement: str) -> None:
        nonlocal count
        if not inside:
            return
        count += 1
        if count == pause_at:
            send(f"paused before {statement.split()[0]}")
            time.sleep(WAIT_FOR_KILL)

    for name in ("execute", "executemany", "stream"):
        real = getattr(db, name)

        def wrapper(sql: str, *args: Any, _real: Callable = real, **kwargs: Any) -> Any:
            counted(sql)
            return _real(sql, *args, **kwargs)

        setattr(db, name, wrapper)  # an attribute of this object shadows the class's method

    real_transaction = db.transaction

    @contextmanager
    def transaction() -> Iterator[Any]:
        nonlocal inside
        with real_transaction() as conn:
            inside = True
            try:
                yield conn
                counted("COMMIT")
            finally:
                inside = False

    db.transaction = transaction
