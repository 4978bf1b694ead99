"""Reading the candidate of the in-process event exercise, and showing why history is needed.

Students name things in their own words: the class itself, one of its objects, its name in
any letter case, "the low balance warning". :func:`read_candidate` maps all of these to one
class name, and tells empty answers, placeholders ("TBD") and wrong types apart, so that the
feedback can name the mistake.

When a student proposes one of the stored event types, :func:`what_a_rebuild_loses` runs a
short history that contains it, replays that history without it, and says what the rebuilt
account gets wrong: evidence, not a lecture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from helpers.domain import STORED_EVENT_TYPES, Account, TickingClock, fold
from helpers.errors import RebuildLabError

STORED_NAMES: tuple[str, ...] = tuple(t.__name__ for t in STORED_EVENT_TYPES)

PLACEHOLDERS = frozenset(
    {
        "",
        "tbd",
        "tba",
        "todo",
        "xxx",
        "none",
        "null",
        "na",
        "unknown",
        "idk",
        "notsure",
        "something",
        "event",
        "someevent",
        "anevent",
        "candidate",
        "mycandidate",
        "yourcandidate",
    }
)
"""Squashed words (lower case, letters and digits only) that stand for "not answered yet"."""

MIN_PARTIAL = 5
"""A partial name ("warning") is matched only if it is at least this long and fits one name."""


@dataclass(frozen=True)
class Candidate:
    kind: Literal["empty", "placeholder", "wrong type", "name"]
    name: str


def read_candidate(value: object, published: list[str]) -> Candidate:
    """What the student named: a class name where one can be recognised."""
    known = [*STORED_NAMES, *published]
    if value is None:
        return Candidate("empty", "")
    if isinstance(value, type):
        return Candidate("name", value.__name__)
    if isinstance(value, str):
        return _read_text(value, known)
    if type(value).__name__ in known:
        return Candidate("name", type(value).__name__)
    if isinstance(value, bool | int | float | list | tuple | dict | set):
        return Candidate("wrong type", f"{type(value).__name__} {value!r}")
    return Candidate("name", type(value).__name__)


def _read_text(text: str, known: list[str]) -> Candidate:
    stripped = text.strip()
    if not stripped:
        return Candidate("empty", "")
    words = re.sub(r"^(the|a|an)\s+", "", stripped, flags=re.IGNORECASE)
    squashed = _squash(words)
    if squashed in PLACEHOLDERS:
        return Candidate("placeholder", stripped)
    by_squash = {_squash(name): name for name in known}
    for form in (squashed, squashed.removesuffix("event"), squashed.removesuffix("notification")):
        if form in by_squash:
            return Candidate("name", by_squash[form])
    partial = [name for key, name in by_squash.items() if key.endswith(squashed)]
    if len(squashed) >= MIN_PARTIAL and len(partial) == 1:
        return Candidate("name", partial[0])
    return Candidate("name", stripped)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# --- what a rebuild without a stored event type gets wrong ---------------------------------

_MONEY = (
    ("deposit", 50_000, "salary"),
    ("withdraw", 20_000, "rent"),
    ("deposit", 15_000, "refund"),
)

DEMOS: dict[str, tuple[tuple[tuple[object, ...], ...], str]] = {
    "AccountOpened": (_MONEY, "every history must start with the opening"),
    "MoneyDeposited": (_MONEY, "every balance after it would be wrong"),
    "MoneyWithdrawn": (_MONEY, "every balance after it would be wrong"),
    "AccountFrozen": (
        (("deposit", 20_000, "salary"), ("freeze", "card reported lost")),
        "an account the bank froze would take withdrawals again",
    ),
    "AccountUnfrozen": (
        (("deposit", 20_000, "salary"), ("freeze", "card reported lost"), ("unfreeze",)),
        "an account its owner had unfrozen would stay frozen and refuse them",
    ),
    "AccountClosed": (
        (("deposit", 5_000, "coins"), ("withdraw", 5_000, "coins back"), ("close",)),
        "a closed account would take deposits again",
    ),
}
"""Stored type -> a short script of commands that records it, and what losing it means."""


def what_a_rebuild_loses(name: str) -> str:
    """Replay a short history without its ``name`` events and say what comes out wrong."""
    script, consequence = DEMOS[name]
    account = Account.open("acc-demo", "Ada Lovelace", clock=TickingClock())
    for command, *arguments in script:
        getattr(account, str(command))(*arguments)
    history = account.pending_events
    kept = [event for event in history if type(event).__name__ != name]
    # Renumber what is left, so the replay shows the effect on state, not just a version gap.
    renumbered = [replace(event, version=i) for i, event in enumerate(kept, start=1)]
    without = f"replay a {len(history)}-event history without its {name} and"
    try:
        rebuilt = fold(renumbered)
    except RebuildLabError as error:
        return f"{without} it fails with {type(error).__name__}: {consequence}."
    live = account.state
    differences = []
    if rebuilt is not None and rebuilt.status != live.status:
        differences.append(f"status '{rebuilt.status.value}' instead of '{live.status.value}'")
    if rebuilt is not None and rebuilt.balance != live.balance:
        differences.append(f"balance {rebuilt.balance} cents instead of {live.balance}")
    return f"{without} the rebuilt account has {' and '.join(differences)}: {consequence}."
