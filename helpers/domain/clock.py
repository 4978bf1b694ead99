"""Clocks the Account asks for the time, so that notebooks and tests can fix it.

Events carry the moment they occurred. Reading ``datetime.now()`` inside the domain would make
every stored notebook output different on every run, so the time comes from a clock object
that is passed in: the real one in production, a ticking fake in lessons and tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""Anything that returns a timezone-aware UTC ``datetime`` when called."""


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


class TickingClock:
    """A deterministic clock: starts at ``start`` and moves ``step`` forward on every call.

    >>> clock = TickingClock(datetime(2026, 1, 1, tzinfo=UTC), timedelta(minutes=1))
    >>> clock().isoformat(), clock().isoformat()
    ('2026-01-01T00:00:00+00:00', '2026-01-01T00:01:00+00:00')
    """

    def __init__(
        self,
        start: datetime = datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
        step: timedelta = timedelta(minutes=1),
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("TickingClock needs a timezone-aware start, e.g. tzinfo=UTC")
        self._next = start
        self._step = step

    def __call__(self) -> datetime:
        now = self._next
        self._next = now + self._step
        return now

    def peek(self) -> datetime:
        """The time the next call will return, without advancing."""
        return self._next
