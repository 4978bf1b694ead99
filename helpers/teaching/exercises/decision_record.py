"""Exercise check: write down whether one aggregate needs snapshots, events or both, and why.

A storage strategy is a decision other people will live with, so the pack asks for it in a
small written record rather than a comment in code. The record answers the three review
questions of the course page - is history needed for legal or operational reasons, how
expensive is replay, who debugs drift - and, when both artifacts are stored, names the one
that wins on the day they disagree.

The check reads the record the way a reviewer would: it does not grade prose, it looks for
the answers a reviewer asks for and for answers that contradict each other (history required
but only snapshots stored; both stored but no authority named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

from helpers.teaching.exercises.feedback import Feedback

STRATEGIES: dict[str, str] = {
    "snapshots": "snapshots",
    "snapshot": "snapshots",
    "events": "events",
    "event": "events",
    "event-sourced": "events",
    "both": "both",
    "hybrid": "both",
}
"""Accepted spellings of the strategy, mapped to the three canonical names."""

AUTHORITIES: dict[str, str] = {
    "snapshot": "snapshot",
    "snapshots": "snapshot",
    "events": "events",
    "event": "events",
}

PLACEHOLDERS = {"", "...", "todo", "tbd", "?", "n/a", "none", "nobody", "-"}
MIN_WORDS = 6

DECISIONS_FOLDER = Path(__file__).resolve().parents[3] / "data" / "decisions"
"""Where the pack keeps its decision records (``data/decisions/`` at the repository root)."""

REQUIRED_SECTIONS = ("Context", "Decision", "Consequences", "On the day they disagree")


@dataclass
class DecisionRecord:
    """One aggregate's storage decision, answering the page's three review questions.

    ``history_required`` is a plain yes/no so that the check can compare it with the
    strategy; the text fields say why, in a sentence or two each.
    """

    aggregate: str = ""
    strategy: str = ""  # "snapshots", "events" or "both"
    authoritative: str = ""  # "snapshot" or "events"; required when strategy is "both"
    history_required: bool | None = None  # for legal or operational reasons?
    history_reason: str = ""
    replay_cost: str = ""  # how many events per aggregate, how long a replay takes
    drift_owner: str = ""  # who debugs drift when snapshot and events disagree
    on_disagreement: str = ""  # what happens on that day (required when both are stored)


def starter_record() -> DecisionRecord:
    """The empty record a notebook's starter cell begins from."""
    return DecisionRecord()


def review_decision(record: object) -> Feedback:
    """Read ``record`` as a reviewer would and list every missing or contradictory answer."""
    if not isinstance(record, DecisionRecord):
        return Feedback(
            False,
            [
                "the answer should be a DecisionRecord (start from starter_record()), "
                f"not {type(record).__name__}; return the record from your function"
            ],
        )
    strategy = STRATEGIES.get(record.strategy.strip().lower())
    problems = [
        *_aggregate_problems(record),
        *_strategy_problems(record, strategy),
        *_authority_problems(record, strategy),
        *_history_problems(record, strategy),
        *_replay_problems(record, strategy),
        *_drift_problems(record, strategy),
    ]
    if problems:
        return Feedback(False, problems)
    return Feedback(True, _summary(record, strategy))


def check_decision(record: object) -> None:
    """Print the feedback for ``record`` (what a notebook's check cell calls)."""
    print(review_decision(record))


# --- the pieces of the review ----------------------------------------------------------


def _is_blank(text: object) -> bool:
    return not isinstance(text, str) or text.strip().lower() in PLACEHOLDERS


def _too_short(text: str) -> bool:
    return len(text.split()) < MIN_WORDS


def _aggregate_problems(record: DecisionRecord) -> list[str]:
    if _is_blank(record.aggregate):
        return ["'aggregate' is empty: name one aggregate of your system (e.g. 'ledger Account')."]
    return []


def _strategy_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    if strategy is None:
        return [
            f"'strategy' is {record.strategy!r}: write 'snapshots', 'events' or 'both', so a "
            "reader knows what is stored."
        ]
    return []


def _authority_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    authority = AUTHORITIES.get(record.authoritative.strip().lower())
    if strategy == "both" and authority is None:
        return [
            "you store both snapshots and events, so 'authoritative' must say which one a "
            "rebuild trusts: 'snapshot' or 'events'. Without it, the day they disagree nobody "
            "knows which number is right."
        ]
    single = {"snapshots": "snapshot", "events": "events"}.get(strategy or "")
    if single and authority is not None and authority != single:
        return [
            f"'authoritative' is {record.authoritative!r}, but with strategy {strategy!r} "
            f"only the {single} is stored: the stored artifact is the authority by definition."
        ]
    return []


def _history_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    problems = []
    if record.history_required is None:
        problems.append(
            "'history_required' is None: answer the first review question with True or False "
            "- do you need the history for legal or operational reasons?"
        )
    if _is_blank(record.history_reason) or _too_short(record.history_reason):
        problems.append(
            f"'history_reason' needs a sentence (at least {MIN_WORDS} words): which law, "
            "audit or operational task needs the history - or why nobody does."
        )
    if record.history_required is True and strategy == "snapshots":
        problems.append(
            "you say history is required but store only snapshots: a snapshot keeps the "
            "latest state and cannot explain how the balance got there. Store events too, "
            "or explain why history is not really required."
        )
    if record.history_required is False and strategy in ("events", "both"):
        problems.append(
            f"you store events (strategy {strategy!r}) although history is not required: "
            "start with snapshots unless replayable history is a real requirement, or say "
            "which requirement makes history worth its operational cost."
        )
    return problems


def _replay_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    if _is_blank(record.replay_cost) or _too_short(record.replay_cost):
        return [
            f"'replay_cost' needs a sentence (at least {MIN_WORDS} words) answering the "
            "second review question: how expensive is replay for this aggregate?"
        ]
    if strategy in ("events", "both") and not re.search(r"\d", record.replay_cost):
        return [
            "'replay_cost' has no number: estimate how many events one aggregate collects "
            "(per year, over its life) and what replaying that many costs - "
            "06_benchmark_replay_cost.ipynb measures it."
        ]
    return []


def _drift_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    problems = []
    if strategy == "both":
        if _is_blank(record.drift_owner):
            problems.append(
                "'drift_owner' is empty: name the team or role who debugs drift when "
                "snapshots and events disagree (the third review question)."
            )
        if _is_blank(record.on_disagreement) or _too_short(record.on_disagreement):
            problems.append(
                f"'on_disagreement' needs a sentence (at least {MIN_WORDS} words): on the day "
                "snapshot and events disagree, what is done, by whom, and which one wins?"
            )
    elif _is_blank(record.drift_owner) and _is_blank(record.on_disagreement):
        problems.append(
            "'drift_owner' is empty: even with one artifact, say who would debug wrong stored "
            "data (or write why drift between two artifacts cannot happen here)."
        )
    return problems


def _summary(record: DecisionRecord, strategy: str | None) -> list[str]:
    lines = [f"{record.aggregate}: strategy {strategy!r}."]
    if strategy == "both":
        lines.append(
            f"authoritative artifact: {AUTHORITIES[record.authoritative.strip().lower()]!r}; "
            f"drift is debugged by {record.drift_owner.strip()}."
        )
    lines.append("all three review questions are answered: history, replay cost, drift.")
    lines.append("keep the record next to the code (data/decisions/) so reviewers can find it.")
    return lines


# --- decision records kept as Markdown files -------------------------------------------


def decision_path(name: str) -> Path:
    """The Markdown file of decision record ``name`` (e.g. 'ledger-account')."""
    return DECISIONS_FOLDER / f"{name}.md"


def review_markdown(text: str) -> Feedback:
    """Check a Markdown decision record: required sections and an explicit authority line."""
    headings = {m.group(1).strip() for m in re.finditer(r"^##\s+(.+)$", text, re.MULTILINE)}
    problems = [f"missing section '## {s}'." for s in REQUIRED_SECTIONS if s not in headings]
    authority = re.search(r"^\s*-\s*Authoritative artifact:\s*(\w+)", text, re.MULTILINE)
    if authority is None or authority.group(1).lower() not in AUTHORITIES:
        problems.append(
            "no line '- Authoritative artifact: events' (or 'snapshot') in the summary list."
        )
    if problems:
        return Feedback(False, problems)
    return Feedback(True, [f"sections present; authority: {authority.group(1).lower()}."])


def field_names() -> list[str]:
    """The fields of a DecisionRecord, in order (handy to show the starter as a table)."""
    return [f.name for f in fields(DecisionRecord)]
