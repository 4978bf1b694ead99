"""Exercise check: add a test that rebuilds an aggregate from the persistence strategy you chose.

A test earns its place only if it fails when the code is wrong. So the check mutation-tests
the student's test: it runs it against a correct repository (it must pass) and then against
sabotaged ones, each broken in a way real code breaks (it must fail on every one). A
sabotaged repository the test does not notice is a "surviving mutant", and the feedback says
which test step would have caught it. Finally it runs the test against the correct
repository once more: a test that fails the second time was failing on the saboteurs for its
own reasons, not theirs.

One saboteur breaks no repository at all: it ships a bug in ``evolve`` itself, shared by
the live account and the replay, exactly like notebook 05's release 1.4. Only a test that
compares with an answer computed without ``evolve`` (``expected_after``) catches it; a test
that compares the loaded account with the live one, or one stored path with another, agrees
with itself and passes.

The student's test is a plain function that takes one argument, ``open_repository``: calling
it opens a *new* repository on the same SQLite file each time (a fresh connection), so a
test can save through one and load through another, as a restarted program would.
"""

from __future__ import annotations

import ast
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from unittest.mock import patch

from helpers.domain.account import Account
from helpers.domain.events import DomainEvent, MoneyWithdrawn
from helpers.domain.state import AccountState, evolve
from helpers.storage.codec import JsonCodec
from helpers.storage.hybrid_store import HybridRepository
from helpers.teaching.exercises.feedback import Feedback
from helpers.teaching.exercises.student_tests import (
    Swallowed,
    SwallowWatch,
    asserts_anything,
    mentions,
)

SNAPSHOT_EVERY = 10
"""Every repository in the check takes a snapshot each time a save crosses a multiple of 10."""

OpenRepository = Callable[[], HybridRepository]
RebuildTest = Callable[[OpenRepository], None]


class DropsTheLastEvent(HybridRepository):
    """Sabotage: the load stops one event short (an off-by-one in the replay query)."""

    def load(self, account_id: str, version: int | None = None) -> Account:
        if version is None:
            version = self.head_version(account_id) - 1
        return super().load(account_id, version=version)


class _RichStateCodec(JsonCodec):
    """Encodes every state 100 cents richer than it is; events are encoded faithfully."""

    def encode_state(self, state: AccountState) -> tuple[int, str]:
        return super().encode_state(state._replace(balance=state.balance + 100))


class DriftedSnapshot(HybridRepository):
    """Sabotage: every snapshot is written 100 cents too rich (a bug frozen into the cache)."""

    def __init__(self, path, **options) -> None:
        super().__init__(path, **options, codec=_RichStateCodec())


class MemoryOnly(HybridRepository):
    """Sabotage: save keeps the account in this object's memory; nothing reaches the file."""

    def __init__(self, path, **options) -> None:
        super().__init__(path, **options)
        self._memory: dict[str, AccountState] = {}

    def save(self, account: Account) -> None:
        self._memory[account.account_id] = account.state
        account.mark_saved()

    def load(self, account_id: str, version: int | None = None) -> Account:
        if account_id in self._memory and version is None:
            return Account(self._memory[account_id])
        return super().load(account_id, version=version)


def rounding_evolve(state: AccountState | None, event: DomainEvent) -> AccountState:
    """Release 1.4's bug: a withdrawal is rounded down to whole units of 100 cents."""
    if type(event) is MoneyWithdrawn:
        event = replace(event, amount=event.amount // 100 * 100)
    return evolve(state, event)


EVOLVE_USERS = (
    "helpers.domain.state.evolve",  # fold, and so any replay a test writes with it
    "helpers.domain.account.evolve",  # a command applying its new event to the live account
    "helpers.storage.repository.evolve",  # a load replaying stored events
)
"""Every module-level name through which the pack calls ``evolve``; the saboteur patches all."""


@contextmanager
def shared_evolve_bug() -> Iterator[None]:
    """Ship release 1.4's bug in ``evolve`` to the live account and the replay alike.

    Patched the way notebook 05 does it, with ``unittest.mock.patch``; the real ``evolve`` is
    back when the block ends, even if the student's test raised inside it.
    """
    with ExitStack() as stack:
        for target in EVOLVE_USERS:
            stack.enter_context(patch(target, rounding_evolve))
        yield


@dataclass(frozen=True)
class Saboteur:
    """A broken repository, what is wrong with it, and what kind of test catches it."""

    name: str
    repository: type[HybridRepository]
    hint: str
    bug: Callable[[], AbstractContextManager[None]] = nullcontext
    """Anything broken outside the repository while the test runs (a patched ``evolve``)."""


CORRECT = Saboteur("is correct", HybridRepository, "")
"""Not a saboteur: the repository every test must pass against."""

INDEPENDENT = "expected_after(n, seed=...) from helpers.samples, with the same n and seed you built"

SABOTEURS: tuple[Saboteur, ...] = (
    Saboteur(
        "drops the last event",
        DropsTheLastEvent,
        "compare the loaded version and balance with an answer worked out without the "
        f"repository - {INDEPENDENT}; a history missing its newest event still loads "
        "without any error.",
    ),
    Saboteur(
        "writes drifted snapshots",
        DriftedSnapshot,
        f"save a history longer than {SNAPSHOT_EVERY} events, so that a snapshot exists and "
        "the load starts from it, and compare the balance with an answer that does not come "
        "from a snapshot.",
    ),
    Saboteur(
        "keeps everything in memory",
        MemoryOnly,
        "load through a second repository (call open_repository() again after saving), so "
        "the account has to come back from the file rather than from the object that saved it.",
    ),
    Saboteur(
        "shares a bug in evolve with the account that saved",
        HybridRepository,
        "release 1.4's rounding of withdrawals is in evolve, which the live account and every "
        "replay share. Your test compares the loaded account with something the same evolve "
        "computed - the live account (account.state, account.balance) or another stored path "
        "(a second load, a full replay, verify) - so both sides are wrong the same way and "
        "agree. Compare with an answer worked out without evolve: expected_after(n, seed=...) "
        "from helpers.samples.",
        shared_evolve_bug,
    ),
)

EVOLVE_HINT_WITH_EXPECTED = (
    "release 1.4's rounding of withdrawals changes only the balance. Your test uses "
    "expected_after, but the balance it loads is never compared with expected_after(...)"
    ".balance: assert that too."
)
"""The evolve saboteur's hint for a test that already has the independent answer at hand."""


@dataclass(frozen=True)
class Outcome:
    """What happened when the student's test ran against one repository."""

    repository: str
    passed: bool
    error: str = ""
    returned: object = None
    line: str = ""
    """The line of the student's test that raised, as written ('' if not in the test itself)."""
    swallowed: tuple[Swallowed, ...] = ()
    """Exceptions that reached the test's own frame; if it passed, it caught them itself."""


def run_against(test: RebuildTest, saboteur: Saboteur) -> Outcome:
    """Run ``test`` on a fresh database file served by ``saboteur``; never raises."""
    name = saboteur.repository.__name__
    watch = SwallowWatch(test)
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-check-") as folder:
        path = Path(folder) / "check.db"
        opened: list[HybridRepository] = []

        def open_repository() -> HybridRepository:
            repo = saboteur.repository(path, snapshot_every=SNAPSHOT_EVERY)
            opened.append(repo)
            return repo

        try:
            with saboteur.bug(), watch.watching() as seen:
                returned = test(open_repository)
        except Exception as error:  # the student's test may fail in any way at all
            line = _own_line(error, test)
            return Outcome(name, False, _describe(error, line), line=line)
        finally:
            for repo in opened:
                repo.close()
    return Outcome(name, True, returned=returned, swallowed=tuple(seen))


def review_rebuild_test(test: object) -> Feedback:
    """Mutation-test ``test``: it must pass on a correct repository and fail on each saboteur."""
    if not callable(test):
        return Feedback(
            False, [f"pass your test function itself (not {type(test).__name__}) to the check."]
        )
    first = run_against(test, CORRECT)
    if not first.passed:
        return Feedback(False, _fails_when_correct(first, test))
    if first.returned is not None:
        return Feedback(False, [_returns_instead_of_asserting(first.returned)])
    outcomes = {saboteur: run_against(test, saboteur) for saboteur in SABOTEURS}
    survivors = [s for s, outcome in outcomes.items() if outcome.passed]
    again = run_against(test, CORRECT)
    if not again.passed:
        return Feedback(False, _not_repeatable(again))
    if survivors:
        return Feedback(False, _survivor_lines(test, survivors, outcomes, first))
    return Feedback(
        True,
        [
            f"your test passes on a correct repository and fails on all {len(SABOTEURS)} "
            "broken ones:",
            *(f"  a repository that {s.name}" for s in SABOTEURS),
        ],
    )


def check_rebuild_test(test: object) -> None:
    """Print the feedback for ``test`` (what a notebook's check cell calls)."""
    print(review_rebuild_test(test))


# --- feedback for the ways a test goes wrong -------------------------------------------------


def _fails_when_correct(outcome: Outcome, test: RebuildTest) -> list[str]:
    if _is_placeholder(outcome):
        return [
            f"your test still holds a placeholder ({outcome.line}): it fails on purpose, on "
            "every repository, so it cannot tell a correct one from a broken one.",
            "replace it with the steps in the starter's comments: build an account, save it, "
            "load it through a new open_repository(), and assert what must be true of it.",
        ]
    lines = [
        "your test fails against a correct repository, so a failure would tell nobody "
        f"anything. It raised {outcome.error}",
        "run it by hand: build an account, save it, load it through open_repository(), and "
        "check each assert.",
    ]
    if outcome.error.startswith("AssertionError") and mentions(test, "expected_after"):
        lines.append(
            "you compare with expected_after: build and compare the same number of events "
            "with the same seed: build_account('acc-1', 35, seed=1) goes with "
            "expected_after(35, seed=1), and its version is 35."
        )
    return lines


def _is_placeholder(outcome: Outcome) -> bool:
    """``assert False, "..."`` or ``raise NotImplementedError``: a test not written yet."""
    if outcome.error.startswith("NotImplementedError"):
        return True
    try:
        statement = ast.parse(outcome.line).body[0] if outcome.line else None
    except SyntaxError:  # a line that is only part of a statement
        return False
    return (
        isinstance(statement, ast.Assert)
        and isinstance(statement.test, ast.Constant)
        and not statement.test.value
    )


def _own_line(error: Exception, test: RebuildTest) -> str:
    """The line of the student's test that was running when ``error`` left it."""
    code = getattr(test, "__code__", None)
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if code is not None and f.name == code.co_name and f.line]
    return own[-1].line.strip() if own else ""


def _describe(error: Exception, line: str) -> str:
    """The error as one line; for a bare failed assert, the line of the test that failed."""
    text = f"{type(error).__name__}: {error}".strip()
    if not isinstance(error, AssertionError) or str(error):
        return text
    return f"{text.rstrip(': ')} at the line: {line}" if line else text


def _returns_instead_of_asserting(value: object) -> str:
    return (
        f"your test returns {value!r} instead of asserting it: a test runner ignores what a "
        "test returns, so a False would pass too. Write assert before the comparison."
    )


def _not_repeatable(outcome: Outcome) -> list[str]:
    return [
        "your test passes on a correct repository the first time but fails the second time "
        f"(it raised {outcome.error}), so its failures on the broken repositories prove "
        "nothing.",
        "it probably keeps something between runs, such as an account built outside the test "
        "(once saved, it has no new events left to save): build everything inside the test.",
    ]


def _survivor_lines(
    test: RebuildTest,
    survivors: list[Saboteur],
    outcomes: dict[Saboteur, Outcome],
    correct: Outcome,
) -> list[str]:
    """Why the test let these broken repositories through: the true reason, named once."""
    count = f"{len(survivors)} of {len(SABOTEURS)}"
    hidden = [
        (saboteur, caught)
        for saboteur in survivors
        for caught in outcomes[saboteur].swallowed
        if caught not in correct.swallowed
    ]
    if hidden:
        saboteur, caught = hidden[0]
        return [
            f"your test catches its own failures: on the repository that {saboteur.name}, it "
            f"raised {caught}, and a try/except inside the test caught it, so the test passed "
            f"anyway ({count} broken repositories got through).",
            "a test fails by letting the error out: remove the try/except around your "
            "asserts (or re-raise), and the runner will see the failure. The repositories "
            "it let through:",
            *(f"  one that {s.name}" for s in survivors),
        ]
    if not asserts_anything(test):
        return _asserts_nothing(survivors, outcomes)
    if len(survivors) == len(SABOTEURS):
        return [
            f"your test asserts, but it passes on a correct repository and on every broken "
            f"repository ({count}): none of its asserts sees what they got wrong.",
            "does it assert something about the account it loads (its balance and version), "
            "and does it open its repositories with open_repository()? The broken "
            "repositories:",
            *(f"  one that {s.name}" for s in SABOTEURS),
        ]
    lines = [
        f"your test passes on a correct repository, but also on {count} broken ones, so it "
        "would not catch these bugs:"
    ]
    lines += [f"  a repository that {s.name}: {_hint(s, test)}" for s in survivors]
    return lines


def _hint(saboteur: Saboteur, test: RebuildTest) -> str:
    if saboteur.bug is shared_evolve_bug and mentions(test, "expected_after"):
        return EVOLVE_HINT_WITH_EXPECTED
    return saboteur.hint


def _asserts_nothing(survivors: list[Saboteur], outcomes: dict[Saboteur, Outcome]) -> list[str]:
    caught = [(s, outcomes[s]) for s in SABOTEURS if s not in survivors]
    count = f"{len(survivors)} of {len(SABOTEURS)}"
    where = (
        f"every broken repository ({count})"
        if len(survivors) == len(SABOTEURS)
        else f"{count} broken repositories"
    )
    lines = [
        "your test has no assert (and raises nothing itself), so no wrong balance can make "
        f"it fail: it passes on {where}."
    ]
    lines += [
        f"  on the one that {s.name} it failed only because the repository raised an error "
        f"of its own ({outcome.error}), not because the test checked anything."
        for s, outcome in caught
    ]
    lines.append(
        "printing a value shows it to you, but a test fails only by raising: write "
        "assert loaded.balance == expected.balance (and the same for the version), with "
        "expected = expected_after(n, seed=...)."
    )
    return lines
