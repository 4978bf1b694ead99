"""Exercise check: add a test that rebuilds an aggregate from the persistence strategy you chose.

A test earns its place only if it fails when the code is wrong. So the check mutation-tests
the student's test: it runs it once against a correct repository (it must pass) and then
against sabotaged repositories, each broken in a way real code breaks (it must fail on
every one). A sabotaged repository the test does not notice is a "surviving mutant", and
the feedback says which test step would have caught it.

The student's test is a plain function that takes one argument, ``open_repository``: calling
it opens a *new* repository on the same SQLite file each time (a fresh connection), so a
test can save through one and load through another, as a restarted program would.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.state import AccountState
from helpers.storage.codec import JsonCodec
from helpers.storage.hybrid_store import HybridRepository
from helpers.teaching.exercises.feedback import Feedback

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


@dataclass(frozen=True)
class Saboteur:
    """A broken repository class, what is wrong with it, and what kind of test catches it."""

    name: str
    repository: type[HybridRepository]
    hint: str


SABOTEURS: tuple[Saboteur, ...] = (
    Saboteur(
        "drops the last event",
        DropsTheLastEvent,
        "compare the loaded version and balance with what you saved (the live account's "
        "state, or expected_after from helpers.samples); a history missing its newest "
        "event still loads without any error.",
    ),
    Saboteur(
        "writes drifted snapshots",
        DriftedSnapshot,
        f"save a history longer than {SNAPSHOT_EVERY} events, so that a snapshot exists and "
        "the load starts from it, and compare the balance with an answer that does not come "
        "from the snapshot.",
    ),
    Saboteur(
        "keeps everything in memory",
        MemoryOnly,
        "load through a second repository (call open_repository() again after saving), so "
        "the account has to come back from the file rather than from the object that saved it.",
    ),
)


@dataclass(frozen=True)
class Outcome:
    """What happened when the student's test ran against one repository."""

    repository: str
    passed: bool
    error: str = ""


def run_against(test: RebuildTest, repository: type[HybridRepository]) -> Outcome:
    """Run ``test`` with a fresh database file served by ``repository``; never raises."""
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-check-") as folder:
        path = Path(folder) / "check.db"
        opened: list[HybridRepository] = []

        def open_repository() -> HybridRepository:
            repo = repository(path, snapshot_every=SNAPSHOT_EVERY)
            opened.append(repo)
            return repo

        try:
            test(open_repository)
        except Exception as error:  # the student's test may fail in any way at all
            return Outcome(repository.__name__, False, f"{type(error).__name__}: {error}")
        finally:
            for repo in opened:
                repo.close()
    return Outcome(repository.__name__, True)


def review_rebuild_test(test: object) -> Feedback:
    """Mutation-test ``test``: it must pass on a correct repository and fail on each saboteur."""
    if not callable(test):
        return Feedback(
            False, [f"pass your test function itself (not {type(test).__name__}) to the check."]
        )
    correct = run_against(test, HybridRepository)
    if not correct.passed:
        return Feedback(
            False,
            [
                "your test fails against a correct repository, so a failure would tell "
                f"nobody anything. It raised {correct.error}",
                "run it by hand: build an account, save it, load it through "
                "open_repository(), and check each assert.",
            ],
        )
    survivors = [s for s in SABOTEURS if run_against(test, s.repository).passed]
    if survivors:
        lines = [
            f"your test passes on a correct repository, but also on {len(survivors)} of "
            f"{len(SABOTEURS)} broken ones, so it would not catch these bugs:"
        ]
        lines += [f"  a repository that {s.name}: {s.hint}" for s in survivors]
        return Feedback(False, lines)
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
