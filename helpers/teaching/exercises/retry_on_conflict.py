"""Exercise check: a request handler that survives a lost race (notebook 09).

With many writers on one account, some saves lose the race and raise ``ConcurrencyError``.
The student writes ``deposit_with_retry(repo, account_id, amount, reference, attempts=3)``:
load, deposit, save; after a lost race, load *again* and retry, with at most ``attempts``
saves in all; a command the account refuses is not retried; when every try loses, the last
``ConcurrencyError`` reaches the caller. It returns the saved account.

The check runs the function against a real store (a SQLite file) behind a wrapper that lets a
rival writer deposit into the same account just before some of the student's saves, so those
saves lose, deterministically. Four scenarios: no rival, a rival that wins once, a rival that
always wins, and a refused command. Each plausible mistake gets feedback that names it.
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
    rival_deposits: int
    returned: object = None
    raised: BaseException | None = None


def run_scenario(function: Callable, rival_wins: int, amount: int = AMOUNT) -> Run:
    """Call ``function`` on a fresh store with ``ACC-1`` opened at ``OPENING_BALANCE``."""
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-check-") as folder:
        path = Path(folder) / "retry.db"
        with EventSourcedRepository(path) as setup:
            account = Account.open("acc-1", "Ada Lovelace", clock=TickingClock())
            account.deposit(OPENING_BALANCE, "opening")
            setup.save(account)
        repo = RacingRepository(path, rival_wins)
        returned, raised = None, None
        try:
            returned = function(repo, "acc-1", amount, "the request", attempts=ATTEMPTS)
        except (Exception, Runaway) as error:  # the student's code may fail in any way
            raised = error
        finally:
            repo.close()
        with EventSourcedRepository(path) as check:
            stored = check.load("acc-1")
            rivals = sum(
                1 for e in check.history("acc-1") if getattr(e, "reference", "").startswith("rival")
            )
    return Run(repo.saves, repo.loads, stored.balance, rivals, returned, raised)


def _expected(run: Run, deposits: int) -> int:
    return OPENING_BALANCE + RIVAL_AMOUNT * run.rival_deposits + AMOUNT * deposits


def _describe(error: BaseException | None) -> str:
    return "nothing" if error is None else f"{type(error).__name__}: {error}"


def review_retry(function: object) -> Feedback:
    """Judge ``deposit_with_retry`` in four scenarios; the first mistake found is reported."""
    if not callable(function):
        return Feedback(False, [f"pass your function itself, not {type(function).__name__}."])
    for judge in (_no_race, _one_lost_race, _always_lost, _refused_command):
        mistake = judge(function)
        if mistake:
            return Feedback(False, mistake)
    return Feedback(
        True,
        [
            "no race: one load, one save, the deposit stored once;",
            "a race lost once: you loaded again, retried, and stored the deposit exactly once "
            "beside the rival's;",
            f"a rival that always wins: you gave up after {ATTEMPTS} saves and let the last "
            "ConcurrencyError reach the caller, with nothing of yours stored;",
            "a refused command: not retried, the refusal reached the caller at once.",
        ],
    )


def _no_race(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=0)
    if isinstance(run.raised, TypeError):
        return [
            f"calling deposit_with_retry(repo, 'acc-1', {AMOUNT}, 'the request', attempts=3) "
            f"raised {_describe(run.raised)}: keep the signature of the starter."
        ]
    if run.raised is not None:
        return [f"with no other writer at all, your function raised {_describe(run.raised)}."]
    if run.stored_balance != _expected(run, 1):
        return [
            f"with no other writer, the stored balance is {run.stored_balance}, expected "
            f"{_expected(run, 1)}: deposit once, then save."
        ]
    if not isinstance(run.returned, Account) or run.returned.balance != run.stored_balance:
        return ["return the account you saved (it is what the caller shows the customer)."]
    return []


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
    return []


def _always_lost(function: Callable) -> list[str]:
    run = run_scenario(function, rival_wins=RUNAWAY_SAVES)
    if isinstance(run.raised, Runaway):
        return [
            f"against a rival that always wins, your function tried {RUNAWAY_SAVES} saves "
            f"and was still going: stop after attempts={ATTEMPTS} saves, or a busy account "
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
    if run.saves != ATTEMPTS:
        return [f"with attempts={ATTEMPTS}, try exactly {ATTEMPTS} saves; yours tried {run.saves}."]
    return []


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
