"""One entry of the event feed: an event and its place among the events of all accounts.

A subscriber (a report, a search index, an e-mail sender) follows the feed with
``EventSourcedRepository.read_all(after=position)`` and remembers the position of the last
entry it has handled. ``position`` grows across accounts in the order the saves committed;
``event.version`` is the event's place in its own account's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.domain.events import DomainEvent


@dataclass(frozen=True)
class FeedEntry:
    position: int
    event: DomainEvent
