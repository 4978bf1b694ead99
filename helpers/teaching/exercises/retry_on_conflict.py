"""Exercise check: a request handler that survives a lost race (notebook 09).

With many writers on one account, some saves lose the race and raise ``ConcurrencyError``.
The student writes ``deposit_with_retry(repo, account_id, amount, reference, attempts=3)``:
load, deposit, save; after a lost race, load *again* and retry, with at most ``attempts``
saves in all; a command the account refuses is not retried; when every try loses, the last
``ConcurrencyError`` reaches the caller. It returns the saved account.

``attempts`` below 1 is a mistake of the caller: it raises ``ValueError`` before anything is
loaded or saved (a request that may never save cannot succeed, and returning quietly would
tell the caller nothing).

The check runs the function against a real store (a SQLite file) behind a wrapper that lets a
rival writer deposit into the same account just before some of the student's saves, so those
saves lose, deterministically. Scenarios: no rival, a rival that wins once, a rival that always
wins (with two values of ``attempts``, so a function that ignores the parameter is caught),
``attempts=1`` against one lost race, ``attempts=0``, and a refused command. Each run compares
what the function returned with what the store holds afterwards, and looks for the caller's
``reference`` on the stored deposit. Each plausible mistake gets feedback that names it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.errors import AmountNotPositive, ConcurrencyError
from helpers.storage.event_store import EventSourcedRepository
from helpers.teaching.exercises.feedback import Feedback

ATTEMPTS = 3
OTHER_ATTEMPTS = 5
"""A second value of ``attempts``: a function that counts to 3 whatever it is given fails."""
REFERENCE = "request-4711"
"""The caller's reference: it must be the one stored with the deposit."""
OPENING_BALANCE, RIVAL_AMOUNT, AMOUNT = 10_000, 7, 500
RUNAWAY_SAVES = 25
"""A function that tries this many saves is stopped: it would retry for ever."""


class Runaway(BaseException):
    """Raised into a function that does not stop retrying (not an Exception: a bare
    ``except Exception`` in the student's code cannot swallow it)."""


class RacingRepository:
    """A repository whose next ``rival_wins`` saves are each preceded by a rival's deposit."""

    def __init__(self, path: Path, rival_wins: int) -> None:
        self.inner = EventSourcedRepository(path)
        self.rival = EventSourcedRepository(path)
        self.rival_wins = rival_wins
        self.loads = self.saves = 0

    def load(self, account_id: str, version: int | None = None) -> Account:
        self.loads += 1
        return self.inner.load(account_id, version=version)

    def save(self, account: Account) -> None:
        self.saves += 1
        if self.saves > RUNAWAY_SAVES:
            raise Runaway
        if self.rival_wins > 0:
            self.rival_wins -= 1
            theirs = self.rival.load(account.account_id)
            theirs.deposit(RIVAL_AMOUNT, f"rival-{self.saves}")
            self.rival.save(theirs)
        self.inner.save(account)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)  # anything else a repository offers

    def close(self) -> None:
        self.inner.close()
        self.rival.close()


@dataclass(frozen=True)
class Run:
    """What one scenario did: saves and loads seen, the stored balance, and the outcome."""

    saves: int
    loads: int
    stored_balance: int
    stored_version: int
    rival_deposits: int
    references: tuple[str, ...] = ()
    """References of the deposits stored that are not the rival's."""
    returned: object = None
    raised: BaseException | None = None

    @property
    def returned_matches_store(self) -> bool:
        """The returned object is an Account with the stored balance and version."""
        return (
            isinstance(self.returned, Account)
            and self.returned.balance == self.stored_balance
            and self.returned.version == self.stored_version
        )


def run_scenario(
    function: Callable, rival_wins: int, amount: int = AMOUNT, attempts: int = ATTEMPTS
) -> Run:
    """Call ``function`` on a fresh store with ``acc-1`` opened at ``OPENING_BALANCE``."""
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-check-") as folder:
        path = Path(folder) / "retry.db"
        with EventSourcedRepository(path) as setup:
            account = Account.open("acc-1", "Ada Lovelace", clock=TickingClock())
            account.deposit(OPENING_BALANCE, "opening")
            setup.save(account)
        repo = RacingRepository(path, rival_wins)
        returned, raised = None, None
        try:
            returned = function(repo, "acc-1", amount, REFERENCE, attempts=attempts)
        except (Exception, Runaway) as error:  # the student's code may fail in any way
            raised = error
        finally:
            repo.close()
        with EventSourcedRepository(path) as check:
            stored = check.load("acc-1")
            references = [getattr(e, "reference", "") for e in check.history("acc-1")][1:]
    rivals = sum(1 for reference in references if reference.startswith("rival-"))
    others = tuple(r for r in references if r != "opening" and not r.startswith("rival-"))
    return Run(
        repo.saves, repo.loads, stored.balance, stored.version, rivals, others, returned, raised
    )


def _expected(run: Run, deposits: int) -> int:
    return OPENING_BALANCE + RIVAL_AMOUNT * run.rival_deposits + AMOUNT * deposits


def _describe(error: BaseException | None) -> str:
    return "nothing" if error is None else f"{type(error).__name__}: {error}"


def review_retry(function: object) -> Feedback:
    """Judge ``deposit_with_retry`` in every scenario; the first mistake found is reported."""
    if not callable(function):
        return Feedback(False, [f"pass your function itself, not {type(function).__name__}."])
    judges = (
        _no_race,
        _one_lost_race,
        _always_lost,
        _always_lost_other_attempts,
        _one_attempt_only,
        _refused_command,
        _no_attempts,
    )
    for judge in judges:
        mistake = judge(function)
        if mistake:
            return Feedback(False, mistake)
    return Feedback(
        True,
        [
            "no race: one load, one save, the deposit stored once with the caller's reference;",
            "a race lost once: you loaded again, retried, stored the deposit exactly once "
            "beside the rival's, and returned the account as stored;",
            f"a rival that always wins: with attempts={ATTEMPTS} and attempts={OTHER_ATTEMPTS} "
            "you gave up after that many saves and let the last ConcurrencyError reach the "
            "caller, with nothing of yours stored;",
            "attempts=1 saves once and does not retry; attempts=0 is refused with ValueError "
            "before anything is loaded or saved;",
            "a refused command: not retried, the refusal reached the caller at once.",
        ],
    )


def _stored_deposit_mistake(run: Run, when: str) -> list[str]:
    """The deposit stored, with the caller's reference, and the account returned as stored."""
    if run.references != (REFERENCE,):
        return [
            f"{when}, the stored deposit has the reference {', '.join(map(repr, run.references))}"
            f", not the caller's {REFERENCE!r}: pass `reference` through to account.deposit, "
            "so the statement shows what the customer asked for."
        ]
    if not run.returned_matches_store:
        return [
            f"{when}, your function returned {_returned(run.returned)}, but the store holds "
            f"balance {run.stored_balance} at version {run.stored_version}: return the account "
            "you saved on the try that won, not one from a try that lost."
        ]
    return []


def _returned(value: object) -> str:
    if isinstance(value, Account):
        return f"an account with balance {value.balance} at version {value.version}"
    return repr(value)


def _no_race(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=0)
    if isinstance(run.raised, TypeError):
        return [
            f"calling deposit_with_retry(repo, 'acc-1', {AMOUNT}, {REFERENCE!r}, attempts=3) "
            f"raised {_describe(run.raised)}: keep the signature of the starter."
        ]
    if run.raised is not None:
        return [f"with no other writer at all, your function raised {_describe(run.raised)}."]
    if run.stored_balance != _expected(run, 1):
        return [
            f"with no other writer, the stored balance is {run.stored_balance}, expected "
            f"{_expected(run, 1)}: deposit once, then save."
        ]
    if not isinstance(run.returned, Account):
        return [
            f"your function returned {_returned(run.returned)}: return the account you saved "
            "(it is what the caller shows the customer)."
        ]
    return _stored_deposit_mistake(run, "with no other writer")


def _one_lost_race(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=1)
    if isinstance(run.raised, ConcurrencyError) and run.saves == 1:
        return [
            "the first lost race escaped: catch ConcurrencyError, load the account again, "
            "deposit again, and save again."
        ]
    if isinstance(run.raised, ConcurrencyError | Runaway) and run.loads == 1:
        return [
            "after one lost race every retry failed too, because each retry saved the copy "
            "loaded before the race: it still expects the old version. Load again before "
            "each retry."
        ]
    if isinstance(run.raised, Runaway):
        return [f"your function tried {RUNAWAY_SAVES} saves after one lost race and did not stop."]
    if run.raised is not None:
        return [f"after one lost race your function raised {_describe(run.raised)}."]
    if run.saves == 1 and run.stored_balance == _expected(run, 0):
        return [
            f"after one lost race your function returned {_returned(run.returned)} without "
            "retrying and without an error: it swallowed the ConcurrencyError, so the caller "
            "believes a deposit was stored that was not. Retry, and let only the last "
            "conflict through."
        ]
    if run.stored_balance == _expected(run, 2):
        return [
            "after one lost race the deposit is stored twice: a retry must start from a "
            "freshly loaded account, not add a second deposit to one that has one pending."
        ]
    if run.stored_balance != _expected(run, 1):
        return [
            f"after one lost race the stored balance is {run.stored_balance}, expected "
            f"{_expected(run, 1)} (the rival's deposit and yours, once each)."
        ]
    return _stored_deposit_mistake(run, "after one lost race")


def _always_lost(function: Callable, attempts: int = ATTEMPTS) -> list[str]:
    run = run_scenario(function, rival_wins=RUNAWAY_SAVES, attempts=attempts)
    if isinstance(run.raised, Runaway):
        return [
            f"against a rival that always wins, your function tried {RUNAWAY_SAVES} saves "
            f"and was still going: stop after attempts={attempts} saves, or a busy account "
            "holds the request (and its connection) for ever."
        ]
    if run.raised is None:
        return [
            f"every one of your {run.saves} saves lost, yet the function returned "
            f"{run.returned!r} without an error: the caller would believe the deposit was "
            "stored. Let the last ConcurrencyError through."
        ]
    if not isinstance(run.raised, ConcurrencyError):
        return [f"when every try loses, raise the ConcurrencyError, not {_describe(run.raised)}."]
    if run.saves != attempts:
        hint = (
            ": use the `attempts` parameter, not a number of your own"
            if run.saves in (ATTEMPTS, OTHER_ATTEMPTS) and attempts != ATTEMPTS
            else ""
        )
        return [
            f"with attempts={attempts}, try exactly {attempts} saves; yours tried "
            f"{run.saves}{hint}."
        ]
    return []


def _always_lost_other_attempts(function: Callable) -> list[str]:
    return _always_lost(function, attempts=OTHER_ATTEMPTS)


def _one_attempt_only(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=1, attempts=1)
    if isinstance(run.raised, ConcurrencyError) and run.saves == 1:
        return []
    return [
        f"with attempts=1 and one lost race, your function tried {run.saves} saves and gave "
        f"{_describe(run.raised)}: one attempt means one save, and its ConcurrencyError "
        "reaches the caller."
    ]


def _no_attempts(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=0, attempts=0)
    if isinstance(run.raised, ValueError) and run.saves == 0 and not run.references:
        return []
    outcome = (
        f"raised {_describe(run.raised)}" if run.raised else f"returned {_returned(run.returned)}"
    )
    return [
        f"with attempts=0 your function saved {run.saves} times and {outcome}: no attempt "
        "allowed cannot succeed, so raise ValueError before loading or saving anything."
    ]


def _refused_command(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=0, amount=0)
    if run.loads > 1 or run.saves > 0:
        return [
            "you retried a command the account refused (a deposit of 0): only a lost race is "
            "worth another try; a refused command is refused again. Catch ConcurrencyError "
            "only."
        ]
    if not isinstance(run.raised, AmountNotPositive):
        return [
            f"a deposit of 0 must reach the caller as AmountNotPositive; your function "
            f"gave {_describe(run.raised)}."
        ]
    return []


def check_retry(function: object) -> None:
    """Print the feedback for ``function`` (what the notebook's check cell calls)."""
    print(review_retry(function))
