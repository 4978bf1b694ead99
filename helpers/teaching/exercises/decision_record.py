"""Exercise check: write down whether one aggregate needs snapshots, events or both, and why.

A storage strategy is a decision other people will live with, so the pack asks for it in a
small written record rather than a comment in code. The record answers the three review
questions of the course page - is history needed for legal or operational reasons, how
expensive is replay, who debugs drift - and, when both artifacts are stored, names the one
that wins on the day they disagree.

The check reads the record the way a reviewer would, in two parts:

* what code can judge - each field's type, empty fields and placeholders left in ("TBD",
  "the team"), and structured answers that contradict each other (history required but only
  snapshots stored; both stored but no authority named, or nobody to debug their drift) - is
  judged, and every problem is named;
* what it cannot judge - the prose: whether the reasons are true, whether they give an
  estimate, and whether a sentence contradicts a structured answer ("the snapshot wins" under
  events authority) - is never praised: the feedback says plainly that it was not checked,
  and that a person has to review it. There is no worked solution for a student's own
  aggregate to compare with.

``check_decision`` is the exercise's check: it also refuses a record whose reasons are copied
word for word from the pack's own examples, since the exercise asks for the student's own.
``review_decision`` reviews any record, the pack's examples included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from helpers.teaching.exercises import record_fields as read
from helpers.teaching.exercises.decision_examples import copied_from
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

REVIEW_ADVICE = "ask a colleague to review it"
"""What to do about the prose: no worked solution answers for the student's own aggregate."""

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
    return Feedback(
        True, _summary(record, strategy), _not_checked(record, strategy), advice=REVIEW_ADVICE
    )


def review_own_decision(record: object) -> Feedback:
    """Review a student's record, which must be their own: a copy of a pack example is refused."""
    feedback = review_decision(record)
    copy = copied_from(vars(record)) if isinstance(record, DecisionRecord) else None
    if copy is None:
        return feedback
    where, names = copy
    line = (
        f"{_listed(names)} {'is' if len(names) == 1 else 'are'} copied word for word from "
        f"{where}: the exercise asks for an aggregate of your own system, with your own reasons."
    )
    return Feedback(False, [line, *([] if feedback.passed else feedback.lines)])


def check_decision(record: object) -> None:
    """Print the feedback for a student's ``record`` (what a notebook's check cell calls)."""
    print(review_own_decision(record))


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
    if read.is_empty(record.aggregate):
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
    if not read.is_empty(text) and read.has_placeholder(text):
        return [f"'{name}' still holds a placeholder ({text.strip()!r}): replace it with {asks}."]
    if _too_short(text):
        return [f"'{name}' needs a sentence (at least {MIN_WORDS} words): {asks}."]
    return []


def _replay_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    asks = (
        "how expensive is replay for this aggregate: how many events one aggregate collects, "
        "and what replaying them costs (the second review question)"
    )
    return _sentence_problems("replay_cost", record.replay_cost, asks)


def _drift_problems(record: DecisionRecord, strategy: str | None) -> list[str]:
    if strategy == "both":
        asks = "on the day snapshot and events disagree, what is done, by whom, and which wins"
        return [
            *_owner_problems(record.drift_owner, both=True),
            *_sentence_problems("on_disagreement", record.on_disagreement, asks),
        ]
    owner = record.drift_owner
    if read.is_empty(owner) or read.says_nobody(owner):
        # With one artifact, "nobody" is a fair answer when a reason comes with it, in the
        # owner field itself ("nobody: one artifact cannot drift") or in on_disagreement.
        if read.gives_reason_for_nobody(owner) or not read.is_blank(record.on_disagreement):
            return []
        said = "is empty" if read.is_empty(owner) else f"is {owner.strip()!r}"
        return [
            f"'drift_owner' {said}: even with one artifact, say who would debug wrong stored "
            "data (or write why drift between two artifacts cannot happen here)."
        ]
    return _owner_problems(owner, both=False)


def _owner_problems(owner: str, *, both: bool) -> list[str]:
    if read.is_empty(owner):
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
        "strategy, authority and history_required agree with each other, and each review "
        "question has an answer in words."
    )
    lines.append(
        "keep the record in the repository of the code it governs, where reviewers can find "
        "it (this pack keeps its own in data/decisions/)."
    )
    return lines


def _not_checked(record: DecisionRecord, strategy: str | None) -> list[str]:
    """What a person must read: the check reads no prose, so it judged none of this."""
    written = [name for name in REASONS if not read.is_blank(getattr(record, name))]
    parts = [
        f"whether the reasons in {_listed(written)} hold up, and agree with "
        f"{_structured(record, strategy)},"
    ]
    parts.append("whether 'replay_cost' gives an estimate (how many events, what a replay costs)")
    if strategy == "both":
        winner = {"events": "the events", "snapshot": "the snapshot"}[_authority(record)]
        parts.append(f"whether 'on_disagreement' lets {winner} win, as your authority says,")
    return parts


def _structured(record: DecisionRecord, strategy: str | None) -> str:
    """The structured answers, as the student gave them, for the prose to be read against."""
    answers = [f"strategy {strategy!r}"]
    if strategy == "both":
        answers.append(f"authority {_authority(record)!r}")
    answers.append(f"history_required={record.history_required}")
    return ", ".join(answers[:-1]) + " and " + answers[-1]


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
        advice=REVIEW_ADVICE,
    )


def field_names() -> list[str]:
    """The fields of a DecisionRecord, in order (handy to show the starter as a table)."""
    return [f.name for f in fields(DecisionRecord)]
