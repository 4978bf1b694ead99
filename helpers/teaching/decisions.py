"""Decision records as Markdown files in ``data/decisions/``, written from a worked decision.

The capstone notebook works a decision out in cells - the review questions answered in a
:class:`~helpers.teaching.exercises.decision_record.DecisionRecord`, the replay numbers from
the cost model - and this module turns it into the Markdown record a team would keep next to
its code.
The file has the same shape as ``data/decisions/ledger-account.md``: a summary list (with the
``- Authoritative artifact:`` line reviewers look for first) and four sections.

:func:`save_decision` writes the file only when its text changed, so re-running the notebook
leaves the repository clean, and reports which of the two happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.teaching.exercises.decision_record import DECISIONS_FOLDER, DecisionRecord

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
    def authority(self) -> str:
        """The artifact a rebuild trusts: the stored one, or the named one when both are."""
        if self.record.strategy == "both":
            return self.record.authoritative
        return "snapshot" if self.record.strategy == "snapshots" else "events"

    def to_markdown(self) -> str:
        r = self.record
        lines = [
            f"# Decision record: how the {r.aggregate} is stored",
            "",
            f"- Aggregate: {r.aggregate}",
            f"- Strategy: {_STRATEGY_WORDS[r.strategy]} (`{self.store}`)",
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


def _yes_no(answer: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(answer, "Not answered")


def save_decision(written: WrittenDecision, folder: Path = DECISIONS_FOLDER) -> str:
    """Write ``<folder>/<name>.md`` if its text differs; say whether it was written or unchanged."""
    path = Path(folder) / f"{written.name}.md"
    text = written.to_markdown()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return f"data/decisions/{path.name}: unchanged (the committed record matches)"
    path.write_text(text, encoding="utf-8")
    return f"data/decisions/{path.name}: written"
