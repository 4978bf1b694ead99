"""Decision records as Markdown files, written from a worked decision into a lesson's folder.

The capstone notebook works a decision out in cells - the review questions answered in a
:class:`~helpers.teaching.exercises.decision_record.DecisionRecord`, the replay numbers from
the cost model - and this module turns it into the Markdown record a team would keep next to
its code.
The file has the same shape as ``data/decisions/ledger-account.md``: a summary list (with the
``- Authoritative artifact:`` line reviewers look for first) and four sections.

A lesson writes only into its own scratch folder, so :func:`save_decision` refuses
``data/decisions/``: the records committed there are examples. What it returns says whether
the record just written matches the committed example of the same name, so a change to the
notebook's decision shows up as a changed output (and strict nbval fails until the example
is updated on purpose).

The record is read the way ``check_decision`` reads it: any spelling of the strategy and the
authority that the check accepts ("Events", "event sourcing", "hybrid") is written in its
canonical form, and a record the check refuses (a placeholder owner, a missing authority) is
not written at all: a saved record is one a reviewer has accepted.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from helpers.teaching.exercises.decision_record import (
    AUTHORITIES,
    DECISIONS_FOLDER,
    STRATEGIES,
    DecisionRecord,
    review_decision,
)

_STRATEGY_WORDS = {
    "snapshots": "snapshots only",
    "events": "events only",
    "both": "both - events and snapshots",
}


@dataclass(frozen=True)
class WrittenDecision:
    """A reviewed DecisionRecord plus what the Markdown file needs besides the answers."""

    name: str  # the file name without ".md", e.g. "capstone-shopping-cart"
    record: DecisionRecord
    store: str  # how the repository is built, e.g. "HybridRepository(authority='events')"
    snapshots: str  # the snapshot policy in one line, or why there is none
    decision: tuple[str, ...]  # sentences for "## Decision"
    consequences: tuple[str, ...]  # bullet points for "## Consequences"
    status: str = "accepted (capstone example, 2026-01-01)"
    taught_in: str = "`notebooks/08_choosing_a_strategy.ipynb`"

    @property
    def strategy(self) -> str:
        """'snapshots', 'events' or 'both', from any spelling check_decision accepts."""
        strategy = STRATEGIES.get(_normal(self.record.strategy))
        if strategy is None:
            raise ValueError(
                f"strategy {self.record.strategy!r} is not one check_decision accepts: write "
                "'snapshots', 'events' or 'both' (run check_decision on the record first)"
            )
        return strategy

    @property
    def authority(self) -> str:
        """The artifact a rebuild trusts: the stored one, or the named one when both are."""
        if self.strategy == "both":
            authority = AUTHORITIES.get(_normal(self.record.authoritative))
            if authority is None:
                raise ValueError(
                    f"authoritative {self.record.authoritative!r} is not one check_decision "
                    "accepts: with both stored, write 'snapshot' or 'events'"
                )
            return authority
        return "snapshot" if self.strategy == "snapshots" else "events"

    def to_markdown(self) -> str:
        r = self.record
        lines = [
            f"# Decision record: how the {r.aggregate} is stored",
            "",
            f"- Aggregate: {r.aggregate}",
            f"- Strategy: {_STRATEGY_WORDS[self.strategy]} (`{self.store}`)",
            f"- Authoritative artifact: {self.authority}",
            f"- Snapshots: {self.snapshots}",
            f"- Owner of drift: {r.drift_owner}",
            f"- Status: {self.status}",
            f"- Taught in: {self.taught_in}",
            "",
            "## Context",
            "",
            f"**History needed for legal or operational reasons?** {_yes_no(r.history_required)}.",
            r.history_reason,
            "",
            f"**How expensive is replay?** {r.replay_cost}",
            "",
            "## Decision",
            "",
            *self.decision,
            "",
            "## Consequences",
            "",
            *(f"- {item}" for item in self.consequences),
            "",
            "## On the day they disagree",
            "",
            r.on_disagreement,
            "",
        ]
        return "\n".join(lines)


def _normal(text: object) -> str:
    """Spacing and case as check_decision ignores them: ' Event  Sourcing' -> 'event sourcing'."""
    return " ".join(str(text).strip().lower().split())


def _yes_no(answer: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(answer, "Not answered")


@dataclass(frozen=True)
class SavedDecision:
    """A record written into a lesson's folder, and the committed example to compare it with."""

    path: Path
    example: Path

    @property
    def matches_example(self) -> bool | None:
        """True or False when a committed example of that name exists; None when none does."""
        if not self.example.exists():
            return None
        return _read(self.path) == _read(self.example)

    def difference(self) -> str:
        """The lines that differ, as a unified diff from the committed example to this record."""
        example = _read(self.example).splitlines() if self.example.exists() else []
        return "\n".join(
            difflib.unified_diff(
                example,
                _read(self.path).splitlines(),
                f"data/decisions/{self.example.name}",
                f"{self.path.parent.name}/{self.path.name}",
                lineterm="",
            )
        )

    def __str__(self) -> str:
        wrote = f"wrote {self.path.parent.name}/{self.path.name} in this lesson's folder"
        committed = f"data/decisions/{self.example.name}"
        if self.matches_example is None:
            return f"{wrote}; there is no committed example named {committed}"
        if self.matches_example:
            return f"{wrote}; it is the same text as the committed example {committed}"
        changed = sum(
            1
            for line in self.difference().splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        )
        return (
            f"{wrote}; it differs from the committed example {committed} in {changed} line(s): "
            "see .difference()"
        )

    __repr__ = __str__


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def save_decision(written: WrittenDecision, folder: str | PathLike[str]) -> SavedDecision:
    """Write ``<folder>/<name>.md`` and say how it compares with the committed example.

    ``folder`` is the lesson's own scratch folder (e.g. ``ws.path("decisions")``); it is
    created if needed. The committed examples in ``data/decisions/`` are never written here,
    and neither is a record that ``check_decision`` refuses.
    """
    folder = Path(folder)
    if folder.resolve() == DECISIONS_FOLDER.resolve():
        raise ValueError(
            "data/decisions/ holds the committed example records; write yours into the "
            "lesson's own folder, e.g. save_decision(record, ws.path('decisions'))"
        )
    review = review_decision(written.record)
    if not review.passed:
        raise ValueError(
            "check_decision does not accept this record yet, so save_decision does not write "
            f"it:\n{review}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{written.name}.md"
    path.write_text(written.to_markdown(), encoding="utf-8")
    return SavedDecision(path, DECISIONS_FOLDER / path.name)
