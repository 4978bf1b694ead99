"""In-process notifications: raised by the domain, heard by subscribers, never stored.

A ``LowBalanceWarning`` is useful the moment it happens (send an e-mail, flash a banner) but it
is not part of the account's history: it can always be recomputed from the balance, it
changes no state, and storing it would tie the stored format to a UI concern. The codec does
not register it, so trying to store one fails loudly with ``UnknownEventType``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class LowBalanceWarning:
    """The balance fell below the warning threshold after a withdrawal."""

    account_id: str
    balance: int
    threshold: int
    occurred_at: datetime


Subscriber = Callable[[LowBalanceWarning], None]

log = logging.getLogger(__name__)


class InProcessPublisher:
    """A minimal synchronous publish/subscribe hub that lives only as long as the process.

    A subscriber that raises must not undo or hide the command that published: the withdrawal
    has already been recorded by then. So a failure is logged, kept in ``failures`` for anyone
    who wants to check, and the remaining subscribers still hear the notification.
    """

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self.failures: list[tuple[Subscriber, Exception]] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def publish(self, notification: LowBalanceWarning) -> None:
        for subscriber in self._subscribers:
            try:
                subscriber(notification)
            except Exception as error:
                self.failures.append((subscriber, error))
                log.warning(
                    "subscriber %s failed on %s: %s: %s",
                    getattr(subscriber, "__qualname__", repr(subscriber)),
                    type(notification).__name__,
                    type(error).__name__,
                    error,
                )
