"""The floors a replay is measured against, timed in the same rounds as the loads.

A load cannot be faster than reading its rows, so each event-sourced load is shown beside:

``raw row fetch``     the replay's own query, every row fetched by the driver and dropped;
``json.loads alone``  the standard library parsing every payload (already fetched) into dicts,
                      with no checks, no objects and no state: the least a JSON replay does;
``eventsourcing``     the same workload replayed by the ``eventsourcing`` library (see
                      ``library``), a production framework, as a reference from outside.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from helpers.bench.histories import ACCOUNT_ID, open_repository
from helpers.bench.measure import WrongLoad

REPLAY_SQL = (
    "SELECT version, event_type, schema_version, payload FROM events "
    "WHERE account_id = ? AND version > ? ORDER BY version"
)
"""The query a full replay streams (see ``Repository._replay``)."""

FLOORS = ("raw row fetch", "json.loads alone", "eventsourcing library")


class FloorReader:
    """An open connection to an event store, and the floor measurements on its rows."""

    def __init__(self, target, length: int) -> None:
        self.repo = open_repository(target, "event-sourced", None, "json")
        self.length = length
        self.payloads = [row[3] for row in self.rows()]
        if len(self.payloads) != length:
            raise WrongLoad(f"the event store holds {len(self.payloads)} rows, not {length}")

    def rows(self):
        return self.repo.db.stream(REPLAY_SQL, (ACCOUNT_ID, 0))

    def fetch(self) -> Callable[[], None]:
        def run() -> None:
            count = 0
            for _ in self.rows():
                count += 1
            if count != self.length:
                raise WrongLoad(f"raw fetch read {count} rows, expected {self.length}")

        return run

    def parse(self) -> Callable[[], None]:
        loads = json.loads
        payloads = self.payloads

        def run() -> None:
            for payload in payloads:
                loads(payload)

        return run

    def close(self) -> None:
        self.repo.close()
