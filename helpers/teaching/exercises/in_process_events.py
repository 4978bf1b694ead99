"""Exercise check: name one in-process domain event that should not become a stored event.

The student answers with a small dict: the candidate (a class or its name), three yes/no
claims about it, and a short explanation. The check does not trust the claims; it runs an
experiment on a real ``Account`` and compares each claim with what the experiment shows:

* is the candidate one of the types the codec stores? (then it *is* history);
* does the Account actually publish it while commands run? (then it exists in process);
* does an account rebuilt from the stored events alone - which never contain it - end in the
  same state as the live account that published it? (then it changes no state);
* can every published notification be recomputed by replaying the stored events? (then
  storing it adds nothing an auditor could not derive).

Feedback names what is missing and shows the evidence, so a wrong answer teaches something.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from helpers.domain.account import LOW_BALANCE_THRESHOLD, Account
from helpers.domain.clock import TickingClock
from helpers.domain.events import STORED_EVENT_TYPES, DomainEvent, MoneyWithdrawn
from helpers.domain.notifications import InProcessPublisher, LowBalanceWarning
from helpers.domain.state import AccountState, evolve, fold
from helpers.errors import InvalidHistory, UnknownEventType
from helpers.storage.codec import JsonCodec
from helpers.storage.event_store import EventSourcedRepository
from helpers.teaching.exercises.feedback import Feedback

CLAIMS: dict[str, bool] = {
    "recomputable_from_stored_events": True,
    "changes_account_state": False,
    "needed_for_audit": False,
}
"""The three yes/no claims of an answer, and the value that fits an event not worth storing."""

IDEAS: dict[str, tuple[str, ...]] = {
    "it can be recomputed": ("recomput", "deriv", "calculat", "comput", "replay", "rebuil"),
    "it changes no state": ("state", "chang"),
    "the audit trail already has what matters": (
        "audit",
        "history",
        "ledger",
        "trail",
        "record",
        "withdraw",
    ),
}
"""The three ideas an explanation should touch, with word stems that show it does."""

MIN_WORDS = 12

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
    fresh repository, so "rebuilt from stored events" means exactly that.
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


def review(answer: Mapping[str, Any] | None, evidence: Evidence | None = None) -> Feedback:
    """Compare an answer with the experiment's evidence and say what is right or missing."""
    if not isinstance(answer, Mapping):
        return Feedback(
            False,
            [
                f"the answer should be a dict like starter_answer() returns, not "
                f"{type(answer).__name__}; return the dict from your function"
            ],
        )
    evidence = evidence if evidence is not None else run_experiment()
    name = _candidate_name(answer.get("candidate"))
    if name is None:
        return Feedback(False, [_missing_candidate_hint(evidence)])
    name = _canonical(
        name, [*(t.__name__ for t in STORED_EVENT_TYPES), *evidence.published_type_names]
    )
    if name in {t.__name__ for t in STORED_EVENT_TYPES}:
        return Feedback(False, [_why_it_is_history(name, evidence)])
    if name not in evidence.published_type_names:
        return Feedback(False, [_not_published(name, evidence)])
    problems = [*_claim_problems(answer, evidence), *_explanation_problems(answer)]
    if problems:
        return Feedback(
            False, [f"{name} is a good candidate: it is published, never stored.", *problems]
        )
    return Feedback(True, _praise(name, evidence))


def check(answer: Mapping[str, Any] | None) -> None:
    """Print the feedback for ``answer`` (what a notebook's check cell calls)."""
    print(review(answer))


# --- the pieces of feedback ----------------------------------------------------------------


def _candidate_name(candidate: object) -> str | None:
    if candidate is None or candidate == "":
        return None
    if isinstance(candidate, type):
        return candidate.__name__
    if isinstance(candidate, str):
        return candidate.strip()
    return type(candidate).__name__


def _canonical(name: str, known: list[str]) -> str:
    """Forgive the letter case of a typed name: 'lowbalancewarning' means LowBalanceWarning."""
    return next((k for k in known if k.lower() == name.lower()), name)


def _missing_candidate_hint(evidence: Evidence) -> str:
    return (
        "'candidate' is empty. Name one event the Account announces while it runs but that "
        "is not part of its stored history. Hint: subscribe to account.publisher and watch "
        f"what arrives (in the check's history it published: "
        f"{', '.join(evidence.published_type_names)})."
    )


def _why_it_is_history(name: str, evidence: Evidence) -> str:
    kept = [e for e in evidence.stored_events if type(e).__name__ != name]
    dropped = len(evidence.stored_events) - len(kept)
    # Renumber what is left, so the replay shows the effect on state, not just a version gap.
    renumbered = [replace(e, version=i) for i, e in enumerate(kept, start=1)]
    try:
        outcome = (
            f"the rebuilt account would have {_describe(fold(renumbered))} instead of "
            f"{_describe(evidence.rebuilt_state)}"
        )
    except InvalidHistory as error:
        outcome = f"the replay fails with {type(error).__name__}"
    return (
        f"{name} is one of the stored event types, so it is history, not a notification: "
        f"evolve needs it. Without its {dropped} event(s) in the check's history, {outcome}. "
        "Pick an event that no rebuild needs."
    )


def _not_published(name: str, evidence: Evidence) -> str:
    return (
        f"{name!r} is not stored, but the Account never published it either: in the check's "
        f"history it published only {', '.join(evidence.published_type_names)}. Pick an event "
        "the running code really announces in process."
    )


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


def _explanation_problems(answer: Mapping[str, Any]) -> list[str]:
    text = answer.get("because") or ""
    if not isinstance(text, str) or len(text.split()) < MIN_WORDS:
        return [
            f"'because' needs two or three sentences in your own words (at least {MIN_WORDS} "
            "words), covering why it can be recomputed, why it changes no state, and why the "
            "audit trail does not need it."
        ]
    lowered = text.lower()
    missing = [idea for idea, stems in IDEAS.items() if not any(s in lowered for s in stems)]
    return [f"'because' does not yet say that {idea}." for idea in missing]


def _praise(name: str, evidence: Evidence) -> list[str]:
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


def _describe(state: AccountState | None) -> str:
    if state is None:
        return "nothing"
    return f"balance {state.balance} cents at version {state.version}"
