"""Exercise check: name one in-process domain event that should not become a stored event.

The student answers with a small dict: the candidate (a class, one of its objects, or its
name), three yes/no claims about it, and a short explanation. The check does not trust the
claims; it runs an experiment on a real ``Account`` and compares each claim with what it saw:

* is the candidate one of the types the codec stores? (then it *is* history, and the check
  shows what a rebuild without it gets wrong);
* does the Account actually publish it? (then it exists in process);
* does an account rebuilt from the stored events alone - which never contain it - end in the
  same state as the live account that published it? (then it changes no state);
* can every published notification be recomputed by replaying the stored events? (then
  storing it adds nothing an auditor could not derive).

The explanation is free text, and code cannot tell reasoning from a list of the right words,
so it is never judged - not even whether it contradicts the True/False claims beside it: the
feedback says so and points to the worked solution. Nor does any
feedback on a wrong candidate name the right one: finding it is the exercise.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.domain import (
    LOW_BALANCE_THRESHOLD,
    Account,
    AccountState,
    DomainEvent,
    InProcessPublisher,
    LowBalanceWarning,
    MoneyWithdrawn,
    TickingClock,
    evolve,
)
from helpers.errors import UnknownEventType
from helpers.storage import EventSourcedRepository, JsonCodec
from helpers.teaching.exercises.feedback import Feedback
from helpers.teaching.exercises.in_process_names import (
    STORED_NAMES,
    Candidate,
    read_candidate,
    what_a_rebuild_loses,
)

CLAIMS: dict[str, bool] = {
    "recomputable_from_stored_events": True,
    "changes_account_state": False,
    "needed_for_audit": False,
}
"""The three yes/no claims of an answer, and the value that fits an event not worth storing."""

ANSWER_KEYS = ("candidate", *CLAIMS, "because")
MIN_WORDS = 8
"""Shorter than this, 'because' cannot hold three reasons; longer, it is not judged."""
UNJUDGED = "your explanation in 'because', and whether it agrees with your True/False claims,"
"""Code cannot read the explanation, so it cannot tell whether the text contradicts the claims."""

# A scripted history that dips below the warning threshold (10,000 cents) three times.
SCRIPT: tuple[tuple[str, int, str], ...] = (
    ("deposit", 50_000, "salary"),
    ("withdraw", 20_000, "rent"),
    ("withdraw", 25_000, "laptop"),  # leaves 5,000: warning
    ("deposit", 30_000, "refund"),
    ("withdraw", 29_000, "holiday"),  # leaves 6,000: warning
    ("withdraw", 1_000, "coffee"),  # leaves 5,000: warning
    ("deposit", 40_000, "bonus"),
)


def starter_answer() -> dict[str, Any]:
    """The empty answer a notebook's starter cell returns: every field still to fill in."""
    return {"candidate": None, **dict.fromkeys(CLAIMS), "because": ""}


@dataclass(frozen=True)
class Evidence:
    """What the experiment saw: the stored history, the notifications, and two rebuilds."""

    stored_events: tuple[DomainEvent, ...]
    published: tuple[object, ...]
    live_state: AccountState
    rebuilt_state: AccountState
    recomputed: tuple[LowBalanceWarning, ...]

    @property
    def published_type_names(self) -> list[str]:
        return sorted({type(n).__name__ for n in self.published})


def run_experiment(script: Iterable[tuple[str, int, str]] = SCRIPT) -> Evidence:
    """Run ``script`` on a live Account with a subscriber, store it, and rebuild it.

    The history is saved to a real SQLite file with the event store and loaded again in a
    fresh repository, so "rebuilt from stored events" means exactly that. The subscriber
    hears the warnings when the save commits, as any subscriber would.
    """
    heard: list[object] = []
    publisher = InProcessPublisher()
    publisher.subscribe(heard.append)
    account = Account.open("acc-check", "Ada Lovelace", clock=TickingClock(), publisher=publisher)
    for command, amount, reference in script:
        getattr(account, command)(amount, reference)
    live_state = account.state
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-check-") as folder:
        path = Path(folder) / "check.db"
        with EventSourcedRepository(path) as repo:
            repo.save(account)
        with EventSourcedRepository(path) as fresh:
            rebuilt = fresh.load("acc-check").state
            stored = tuple(fresh.history("acc-check"))
    return Evidence(stored, tuple(heard), live_state, rebuilt, recompute_warnings(stored))


def recompute_warnings(
    events: Iterable[DomainEvent], threshold: int = LOW_BALANCE_THRESHOLD
) -> tuple[LowBalanceWarning, ...]:
    """Replay stored events and re-derive every low-balance warning the Account would publish."""
    warnings: list[LowBalanceWarning] = []
    state: AccountState | None = None
    for event in events:
        state = evolve(state, event)
        if isinstance(event, MoneyWithdrawn) and state.balance < threshold:
            warnings.append(
                LowBalanceWarning(
                    account_id=state.account_id,
                    balance=state.balance,
                    threshold=threshold,
                    occurred_at=event.occurred_at,
                )
            )
    return tuple(warnings)


def review(answer: object, evidence: Evidence | None = None) -> Feedback:
    """Compare an answer with the experiment's evidence and say what is right or missing."""
    if not isinstance(answer, Mapping):
        return Feedback(False, [_not_a_dict(answer)])
    evidence = evidence if evidence is not None else run_experiment()
    stray = _stray_keys(answer)
    candidate = read_candidate(answer.get("candidate"), evidence.published_type_names)
    problem = _candidate_problem(candidate, evidence)
    if problem:
        return Feedback(False, [*stray, problem])
    problems = [*stray, *_claim_problems(answer, evidence), *_explanation_problems(answer)]
    if problems:
        return Feedback(
            False, [f"{candidate.name} is a good candidate: published, never stored.", *problems]
        )
    return Feedback(True, _evidence_for(candidate.name, evidence), not_checked=[UNJUDGED])


def check(answer: object) -> None:
    """Print the feedback for ``answer`` (what a notebook's check cell calls)."""
    print(review(answer))


# --- the answer's shape ---------------------------------------------------------------------


def _not_a_dict(answer: object) -> str:
    if callable(answer):
        name = getattr(answer, "__name__", "your function")
        return f"that is the function itself; call it and check what it returns: {name}()."
    return (
        "the answer should be a dict like starter_answer() returns, not "
        f"{type(answer).__name__}; return the dict from your function."
    )


def _stray_keys(answer: Mapping[str, Any]) -> list[str]:
    lines = []
    for key in answer:
        if key in ANSWER_KEYS:
            continue
        close = difflib.get_close_matches(str(key), ANSWER_KEYS, n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        lines.append(f"'{key}' is not one of the answer's keys{hint}; keep the starter's keys.")
    return lines


# --- the candidate --------------------------------------------------------------------------


def _candidate_problem(candidate: Candidate, evidence: Evidence) -> str | None:
    if candidate.kind == "empty":
        return (
            "'candidate' is empty. Name one thing the Account announces while it runs that is "
            "not in its stored history. To find it, subscribe a function to account.publisher, "
            "withdraw until the balance is low, save the account, and look at what arrives."
        )
    if candidate.kind == "placeholder":
        return (
            f"'candidate' is still a placeholder ({candidate.name!r}): name one announcement "
            "the Account really makes, as its class or the class's name."
        )
    if candidate.kind == "wrong type":
        return f"'candidate' should be the class itself or its name as text, not {candidate.name}."
    if candidate.name in STORED_NAMES:
        return (
            f"{candidate.name} is one of the stored event types, so it is the history itself, "
            f"not an announcement about it: {what_a_rebuild_loses(candidate.name)} "
            "Look for something the Account announces but never stores."
        )
    if candidate.name not in evidence.published_type_names:
        return (
            f"{candidate.name!r} is not one of the stored event types, but it is not something "
            f"the Account published either: while the check's history ran, it published "
            f"{_count_published(evidence)}. Subscribe a function to account.publisher, save, "
            "and see what arrives."
        )
    return None


def _count_published(evidence: Evidence) -> str:
    count, kinds = len(evidence.published), len(evidence.published_type_names)
    noun = "notification" if count == 1 else "notifications"
    sort = "one kind" if kinds == 1 else f"{kinds} kinds"
    return f"{count} {noun} of {sort}" if count else "nothing at all"


# --- the claims and the explanation ---------------------------------------------------------


def _claim_problems(answer: Mapping[str, Any], evidence: Evidence) -> list[str]:
    reasons = {
        "recomputable_from_stored_events": _recompute_evidence(evidence),
        "changes_account_state": _state_evidence(evidence),
        "needed_for_audit": _audit_evidence(evidence),
    }
    problems = []
    for claim, fitting in CLAIMS.items():
        value = answer.get(claim)
        if value is None:
            problems.append(f"'{claim}' is still None: set it to True or False.")
        elif not isinstance(value, bool):
            problems.append(f"'{claim}' should be True or False, not {value!r}.")
        elif value is not fitting:
            problems.append(f"'{claim}' = {value}, but the experiment disagrees: {reasons[claim]}")
    return problems


def _explanation_problems(answer: Mapping[str, Any]) -> list[str]:
    text = answer.get("because")
    if text is None or text == "":
        return ["'because' is empty: explain in two or three sentences of your own."]
    if not isinstance(text, str):
        return [f"'because' should be text (a str) of two or three sentences, not {text!r}."]
    if len(text.split()) < MIN_WORDS:
        return [
            f"'because' is too short to give three reasons ({len(text.split())} word(s)): "
            "write two or three sentences of your own."
        ]
    return []


# --- the evidence ---------------------------------------------------------------------------


def _recompute_evidence(evidence: Evidence) -> str:
    same = evidence.recomputed == tuple(
        n for n in evidence.published if isinstance(n, LowBalanceWarning)
    )
    return (
        f"replaying the {len(evidence.stored_events)} stored events and comparing the balance "
        f"after each withdrawal with the threshold gives {len(evidence.recomputed)} warnings, "
        f"{'identical to' if same else 'different from'} the {len(evidence.published)} "
        "the live account published."
    )


def _state_evidence(evidence: Evidence) -> str:
    return (
        f"the account rebuilt from stored events alone (which contain no warnings) is "
        f"{_describe(evidence.rebuilt_state)}, "
        f"{'the same as' if evidence.rebuilt_state == evidence.live_state else 'unlike'} the "
        f"live account after {len(evidence.published)} warnings."
    )


def _audit_evidence(evidence: Evidence) -> str:
    withdrawals = sum(isinstance(e, MoneyWithdrawn) for e in evidence.stored_events)
    return (
        f"each warning was caused by a withdrawal, and all {withdrawals} withdrawals are stored "
        "with amount, reference and time; an auditor derives the warnings from them. (If the "
        "law requires proof that a customer was told, the service that sends the message "
        "records that as its own fact.)"
    )


def _evidence_for(name: str, evidence: Evidence) -> list[str]:
    return [
        f"{name} is published in process and never stored.",
        _recompute_evidence(evidence),
        _state_evidence(evidence),
        "the codec refuses to store it: " + _codec_refusal(name, evidence),
    ]


def _codec_refusal(name: str, evidence: Evidence) -> str:
    sample = next(n for n in evidence.published if type(n).__name__ == name)
    try:
        JsonCodec().encode_event(sample)  # type: ignore[arg-type]
    except UnknownEventType as error:
        return f"UnknownEventType for {error.type_name!r}."
    return "it was encoded without complaint, which this check did not expect."


def _describe(state: AccountState) -> str:
    return f"balance {state.balance} cents at version {state.version}"
