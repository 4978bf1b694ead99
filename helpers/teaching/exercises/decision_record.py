"""Exercise check: write down whether one aggregate needs snapshots, events or both, and why.

A storage strategy is a decision other people will live with, so the pack asks for it in a
small written record rather than a comment in code. The record answers the three review
questions of the course page - is history needed for legal or operational reasons, how
expensive is replay, who debugs drift - and, when both artifacts are stored, names the one
that wins on the day they disagree.

The check reads the record the way a reviewer would, in two parts:

* what code can judge - each field's type, placeholders left in ("TBD", "the team"), and
  fields that contradict each other (history required but only snapshots stored; both
  stored but no authority named, or nobody to debug their drift) - is judged, and every
  problem is named;
* what it cannot judge - whether the reasons written in prose are true and support the
  choice - is never praised: the feedback says plainly that it was not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from helpers.teaching.exercises import record_fields as read
from helpers.teaching.exercises.feedback import Feedback

STRATEGIES: dict[str, str] = {
    "snapshots": "snapshots",
    "snapshot": "snapshots",
    "snapshots only": "snapshots",
    "events": "events",
    "event": "events",
    "events only": "events",
    "event-sourced": "events",
    "event sourced": "events",
    "event sourcing": "events",
    "event-sourcing": "events",
    "both": "both",
    "hybrid": "both",
}
"""Accepted spellings of the strategy, mapped to the three canonical names."""

AUTHORITIES: dict[str, str] = {
    "snapshot": "snapshot",
    "snapshots": "snapshot",
    "the snapshot": "snapshot",
    "the snapshots": "snapshot",
    "events": "events",
    "event": "events",
    "the events": "events",
}
"""Accepted spellings of the authoritative artifact."""

PLACEHOLDERS = read.PLACEHOLDER_TEXTS
MIN_WORDS = 6
TEXT_FIELDS = (
    "aggregate",
    "strategy",
    "authoritative",
    "history_reason",
    "replay_cost",
    "drift_owner",
    "on_disagreement",
)
REASONS = ("history_reason", "replay_cost", "on_disagreement")
"""The prose fields: checked for presence and placeholders, never judged for truth."""

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
        return Feedback(False, [_not_a_record(record)])
    type_problems = _type_problems(record)
    if type_problems:  # the other questions cannot be read until the types are right
        return Feedback(False, type_problems)
    strategy = STRATEGIES.get(_normal(record.strategy))
    problems = [problem for step in _STEPS for problem in step(record, strategy)]
    if problems:
        return Feedback(False, problems)
    return Feedback(True, _summary(record, strategy), _not_checked(record, strategy))


def check_decision(record: object) -> None:
    """Print the feedback for ``record`` (what a notebook's check cell calls)."""
    print(review_decision(record))


# --- the pieces of the review ----------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _authority(record: DecisionRecord) -> str | None:
    return AUTHORITIES.get(_normal(record.authoritative))


def _not_a_record(answer: object) -> str:
    if callable(answer) and not isinstance(answer, type):
        name = getattr(answer, "__name__", "your function")
        return (
            f"you passed the function {name} itself: call it, so the check receives the "
            f"record it returns - check_decision({name}())."
        )
    return (
        "the answer should be a DecisionRecord (start from starter_record()), "
        f"not {type(answer).__name__}; return the record from your function."
    )


def _type_problems(record: DecisionRecord) -> list[str]:
    problems = [read.type_problem(name, getattr(record, name)) for name in TEXT_FIELDS]
    problems.append(read.history_type_problem(record.history_required))
    return [problem for problem in problems if problem]


def _too_short(text: str) -> bool:
    return len(text.split()) < MIN_WORDS


def _aggregate_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    if read.is_blank(record.aggregate):
        return ["'aggregate' is empty: name one aggregate of your system (e.g. 'ledger Account')."]
    if read.has_placeholder(record.aggregate) or read.is_generic_aggregate(record.aggregate):
        return [
            f"'aggregate' is {record.aggregate!r}, a placeholder: name one real aggregate of "
            "a system you know (e.g. 'support Ticket', 'patient Record')."
        ]
    return []


def _strategy_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    if strategy is None:
        return [
            f"'strategy' is {record.strategy!r}: write 'snapshots', 'events' or 'both', so a "
            "reader knows what is stored."
        ]
    return []


def _authority_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    authority = _authority(record)
    if strategy == "both":
        if authority is None:
            return [
                "you store both snapshots and events, so 'authoritative' must say which one a "
                "rebuild trusts: 'snapshot' or 'events'. Without it, the day they disagree "
                "nobody knows which number is right."
            ]
        return []
    single = {"snapshots": "snapshot", "events": "events"}.get(strategy or "")
    if single is None or read.is_blank(record.authoritative):
        return []
    if authority is None:
        return [
            f"'authoritative' is {record.authoritative!r}: with strategy {strategy!r} leave it "
            f"empty (the one stored artifact is the authority) or write {single!r}."
        ]
    if authority != single:
        return [
            f"'authoritative' is {record.authoritative!r}, but with strategy {strategy!r} "
            f"only the {single} {'is' if single == 'snapshot' else 'are'} stored: the stored "
            "artifact is the authority by definition. Either store both, or name the one "
            "you store."
        ]
    return []


def _history_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    problems = []
    if record.history_required is None:
        problems.append(
            "'history_required' is not answered: set it to True or False - do you need the "
            "history for legal or operational reasons? (the first review question)"
        )
    asks = "which law, audit or operational task needs the history - or why nobody does"
    problems += _sentence_problems("history_reason", record.history_reason, asks)
    if record.history_required is True and strategy == "snapshots":
        problems.append(
            "you say history is required but store only snapshots: a snapshot keeps the "
            "latest state and cannot explain how it got there. Store events too (as the truth "
            "or as an audit log), or explain why history is not really required."
        )
    if record.history_required is False and strategy in ("events", "both"):
        problems.append(
            f"you store events (strategy {strategy!r}) although history is not required: "
            "start with snapshots unless replayable history is a real requirement, or say "
            "which requirement makes history worth its operational cost."
        )
    return problems


def _sentence_problems(name: str, text: str, asks: str) -> list[str]:
    if not read.is_blank(text) and read.has_placeholder(text):
        return [f"'{name}' still holds a placeholder ({text.strip()!r}): replace it with {asks}."]
    if read.is_blank(text) or _too_short(text):
        return [f"'{name}' needs a sentence (at least {MIN_WORDS} words): {asks}."]
    return []


def _replay_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    asks = "how expensive is replay for this aggregate (the second review question)"
    problems = _sentence_problems("replay_cost", record.replay_cost, asks)
    if not problems and strategy in ("events", "both") and not re.search(r"\d", record.replay_cost):
        problems.append(
            "'replay_cost' has no number: estimate how many events one aggregate collects "
            "(per year, over its life) and what replaying that many costs - "
            "06_benchmark_replay_cost.ipynb measures it."
        )
    return problems


def _drift_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    if strategy == "both":
        asks = "on the day snapshot and events disagree, what is done, by whom, and which wins"
        return [
            *_owner_problems(record.drift_owner, both=True),
            *_sentence_problems("on_disagreement", record.on_disagreement, asks),
        ]
    if read.is_blank(record.drift_owner) and read.is_blank(record.on_disagreement):
        return [
            "'drift_owner' is empty: even with one artifact, say who would debug wrong stored "
            "data (or write why drift between two artifacts cannot happen here)."
        ]
    if read.is_blank(record.drift_owner) or read.says_nobody(record.drift_owner):
        return []
    return _owner_problems(record.drift_owner, both=False)


def _owner_problems(owner: str, *, both: bool) -> list[str]:
    if read.is_blank(owner):
        return [
            "'drift_owner' is empty: name the team or person who debugs drift when "
            "snapshots and events disagree (the third review question)."
        ]
    if both and read.says_nobody(owner):
        return [
            f"'drift_owner' is {owner.strip()!r}, but you store two artifacts, and two "
            "artifacts can drift apart (a bug in evolve, a hand edit): name the team or "
            "person who will debug it."
        ]
    if read.has_placeholder(owner):
        return [
            f"'drift_owner' is a placeholder ({owner.strip()!r}): name the team or person who "
            "debugs drift, e.g. 'the ledger team's on-call engineer'."
        ]
    if read.is_vague_owner(owner):
        return [
            f"'drift_owner' is {owner.strip()!r}, which does not name anyone in particular: "
            "which team, or which person? A job given to everyone is done by no one."
        ]
    return []


def _repeat_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    texts = {name: getattr(record, name) for name in (*REASONS, "drift_owner")}
    repeated = read.same_text({n: t for n, t in texts.items() if not read.is_blank(t)})
    if repeated:
        names = ", ".join(f"'{name}'" for name in repeated)
        return [
            f"the same text answers {names}: each field answers a different review question, "
            "so each needs its own answer."
        ]
    return []


_STEPS: tuple[Callable[[DecisionRecord, str | None], list[str]], ...] = (
    _aggregate_problems,
    _strategy_problems,
    _authority_problems,
    _history_problems,
    _replay_problems,
    _drift_problems,
    _repeat_problems,
)


def _summary(record: DecisionRecord, strategy: str | None) -> list[str]:
    history = "required" if record.history_required else "not required"
    lines = [f"{record.aggregate.strip()}: strategy {strategy!r}; history {history}."]
    if strategy == "both":
        lines.append(
            f"authoritative artifact: {_authority(record)!r}; drift is debugged by "
            f"{record.drift_owner.strip()}."
        )
    lines.append(
        "strategy, authority and history answer agree, and each review question has an answer."
    )
    lines.append("keep the record next to the code (data/decisions/) so reviewers can find it.")
    return lines


def _not_checked(record: DecisionRecord, strategy: str | None) -> list[str]:
    written = [name for name in REASONS if not read.is_blank(getattr(record, name))]
    parts = [f"whether the reasons in {_listed(written)} hold up"]
    if strategy == "both":
        winner = {"events": "the events", "snapshot": "the snapshot"}[_authority(record)]
        parts.append(f"whether 'on_disagreement' lets {winner} win, as your authority says,")
    return parts


def _listed(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


# --- decision records kept as Markdown files -------------------------------------------


def decision_path(name: str) -> Path:
    """The Markdown file of decision record ``name`` (e.g. 'ledger-account')."""
    return DECISIONS_FOLDER / f"{name}.md"


def review_markdown(text: str) -> Feedback:
    """Check a Markdown decision record: required sections and an explicit authority line.

    It checks the record's shape, which a test can keep from rotting; what the sections say
    is for a person to review, and the feedback says so.
    """
    headings = {m.group(1).strip() for m in re.finditer(r"^##\s+(.+)$", text, re.MULTILINE)}
    problems = [f"missing section '## {s}'." for s in REQUIRED_SECTIONS if s not in headings]
    authority = re.search(r"^\s*-\s*Authoritative artifact:\s*(\w+)", text, re.MULTILINE)
    if authority is None or authority.group(1).lower() not in AUTHORITIES:
        problems.append(
            "no line '- Authoritative artifact: events' (or 'snapshot') in the summary list."
        )
    if problems:
        return Feedback(False, problems)
    return Feedback(
        True,
        [f"the four sections are present; authority: {authority.group(1).lower()}."],
        ["what the sections say"],
    )


def field_names() -> list[str]:
    """The fields of a DecisionRecord, in order (handy to show the starter as a table)."""
    return [f.name for f in fields(DecisionRecord)]
