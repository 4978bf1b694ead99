"""Capstone check: a new requirement forces a change of strategy; prove nothing was lost.

The story: a bank kept its accounts in a ``SnapshotRepository`` - latest state only. Auditors
now ask for the balance of any account as of any past month-end. A snapshot store cannot
answer that, so the student

1. chooses a store that keeps history (``open_new_store``),
2. moves every account into it as an *opening history* dated at the switch
   (``migrate_to_events``), and
3. writes a rebuild test (``rebuild_test``) that fails if any account came across different.

The check runs all three on copies of a small bank and reviews the result as a reviewer
would, in this order:

* the store: it keeps events, its events are the truth, and it is opened where it was asked;
* the migration: every account arrives (read back by replaying the events, never through a
  snapshot), the old store is left as it was, and *every* event is dated exactly at the
  ``switched_at`` it was given - not by the machine's clock, not a microsecond earlier (that
  would invent a March the old store never recorded), not spread over the minutes after it.
  The migration is run twice, with two different switch dates, so a date copied from the
  exercise text is caught too;
* the rebuild test: it must pass on a correct migration and fail on each of
  :data:`~helpers.teaching.exercises.capstone_bank.SABOTAGES`. Each sabotage damages a copy
  of the old store and runs *the student's own migration* on it, so the damage reaches the
  new store and every object the migration built. A test that compares the new store with
  itself, or with those objects, shares the damage and cannot see it.
"""

from __future__ import annotations

import inspect
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.errors import (
    AccountIsClosed,
    AccountIsFrozen,
    AccountNotFound,
    AmountNotPositive,
    BalanceNotZero,
    ConcurrencyError,
    OverdraftLimitExceeded,
)
from helpers.storage.codec import format_timestamp, parse_timestamp
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.repository import Repository
from helpers.storage.schema_migration import row_fingerprint, stored_account_ids
from helpers.storage.snapshot_store import SnapshotRepository
from helpers.teaching.exercises.capstone_bank import (
    SABOTAGES,
    SWITCHED_AT,
    Sabotage,
    bank_differences,
    carry_over,
    copy_bank,
    damaged_copy,
    make_snapshot_bank,
    month_end,
    opening_history,
)
from helpers.teaching.exercises.feedback import Feedback
from helpers.teaching.exercises.student_tests import (
    Swallowed,
    SwallowWatch,
    asserts_anything,
    reads_parameter,
)

__all__ = [
    "SABOTAGES",
    "SECOND_SWITCH",
    "SWITCHED_AT",
    "carry_over",
    "check_capstone",
    "make_snapshot_bank",
    "month_end",
    "opening_history",
    "review_capstone",
]

SECOND_SWITCH = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
"""A second switch date the migration is run with, to see that it uses the one it is given."""

OpenNewStore = Callable[[Path], Repository]
Migrate = Callable[[SnapshotRepository, Repository, datetime], None]
RebuildTest = Callable[[SnapshotRepository, Repository], None]

ARGUMENTS = {
    "open_new_store": ("one argument", "(path)"),
    "migrate_to_events": ("three arguments", "(old, new, switched_at)"),
    "rebuild_test": ("two arguments", "(old, new)"),
}

ERROR_HINTS: tuple[tuple[type[Exception], str], ...] = (
    (
        AccountIsFrozen,
        "carry the balance first, then freeze or close: a frozen account refuses money.",
    ),
    (AccountIsClosed, "carry the balance first, then close: a closed account refuses commands."),
    (
        OverdraftLimitExceeded,
        "open the account with its old overdraft limit before you withdraw an overdrawn "
        "balance: Account.open(account_id, owner, overdraft_limit, clock=...).",
    ),
    (
        AmountNotPositive,
        "amounts are positive cents: carry a negative balance as a withdrawal of -balance, "
        "and carry nothing for a zero balance.",
    ),
    (BalanceNotZero, "only a zero balance can be closed: close after carrying the balance."),
    (
        ConcurrencyError,
        "build each account anew with Account.open(...): an account loaded from the old "
        "store carries the old store's version, which the new store has never seen.",
    ),
)


def review_capstone(
    open_new_store: object, migrate_to_events: object, rebuild_test: object
) -> Feedback:
    """Run the student's three functions on copies of the bank and review the result."""
    problems = _function_problems(
        open_new_store=open_new_store,
        migrate_to_events=migrate_to_events,
        rebuild_test=rebuild_test,
    )
    if problems:
        return Feedback(False, problems)
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-capstone-") as folder:
        review = _Review(Path(folder), open_new_store, migrate_to_events, rebuild_test)
        for step in (
            review.check_store,
            review.check_migration,
            review.check_second_switch,
            review.check_test,
        ):
            problems = step()
            if problems:
                return Feedback(False, problems)
    return Feedback(
        True,
        [
            f"all {review.accounts} accounts came across with the same owner, balance, "
            "overdraft limit and status, read back by replaying their events;",
            "every event is dated at the switch you were given (also when it was 1 July), so "
            "month-ends before the switch honestly have no answer, and later ones are a "
            "replay away (load_as_of);",
            f"your rebuild test passes on a correct migration and fails on all {len(SABOTAGES)} "
            "lossy ones: " + "; ".join(s.name for s in SABOTAGES) + ".",
        ],
    )


def check_capstone(open_new_store: object, migrate_to_events: object, rebuild_test: object) -> None:
    """Print the feedback (what the notebook's check cell calls)."""
    print(review_capstone(open_new_store, migrate_to_events, rebuild_test))


# --- what is handed in -------------------------------------------------------------------


def _function_problems(**functions: object) -> list[str]:
    for name, value in functions.items():
        if not callable(value):
            return [f"pass your function {name} itself, not {type(value).__name__}."]
        count, shape = ARGUMENTS[name]
        try:
            inspect.signature(value).bind(*shape.strip("()").split(", "))
        except TypeError:
            return [
                f"{name} should take {count} {shape}, but yours is "
                f"{getattr(value, '__name__', name)}{inspect.signature(value)}."
            ]
        except ValueError:  # a built-in without a readable signature: just try it
            continue
    return []


def _raised(name: str, error: Exception) -> str:
    text = f"{name} raised {type(error).__name__}: {error}"
    for error_type, hint in ERROR_HINTS:
        if isinstance(error, error_type):
            return f"{text}. Hint: {hint}"
    if isinstance(error, TypeError) and "datetime" in str(error) and "not callable" in str(error):
        return (
            f"{text}. Hint: clock= takes a function that returns the time, not a time: "
            "pass clock=lambda: switched_at, which the account calls for every event."
        )
    return text


FAILURES = (AssertionError, AccountNotFound)
"""How a rebuild test may fail: an assert, or the new store's own answer to a missing account."""


@dataclass(frozen=True)
class RebuildRun:
    """What the student's rebuild test did on one migration."""

    error: Exception | None = None
    returned: object = None
    swallowed: tuple[Swallowed, ...] = ()

    @property
    def passed(self) -> bool:
        return self.error is None

    @property
    def failed_properly(self) -> bool:
        return isinstance(self.error, FAILURES)

    def __str__(self) -> str:
        if self.error is None:
            return "passed"
        text = str(self.error).strip().splitlines()[0] if str(self.error).strip() else ""
        return f"{type(self.error).__name__}: {text}" if text else type(self.error).__name__


# --- one review: a folder, a bank, and the student's three functions ---------------------


class _Review:
    """The review steps, each returning the problems it found (an empty list: fine)."""

    def __init__(
        self, root: Path, open_new_store: OpenNewStore, migrate: Migrate, test: RebuildTest
    ) -> None:
        self.root = root
        self.open_new_store = open_new_store
        self.migrate = migrate
        self.rebuild_test = test
        self.accounts = 0
        self.bank = root / "bank-template.db"
        make_snapshot_bank(self.bank).close()

    # -- step 1: the store ------------------------------------------------------------------

    def open(self, name: str) -> tuple[Repository | None, str]:
        path = self.root / name
        try:
            store = self.open_new_store(path)
        except Exception as error:  # the student's code may fail in any way
            return None, _raised("open_new_store", error)
        problem = _store_problem(store, path)
        if problem and isinstance(store, Repository):
            store.close()
        return (None, problem) if problem else (store, "")

    def check_store(self) -> list[str]:
        store, problem = self.open("probe.db")
        if store is not None:
            store.close()
        return [problem] if problem else []

    # -- step 2: the migration ----------------------------------------------------------------

    def run_migration(
        self, name: str, switched_at: datetime, old: SnapshotRepository
    ) -> tuple[list[str], Path | None]:
        """Migrate ``old`` into a new store with the student's code; problems and its path."""
        before = _fingerprint(old.path)
        new, problem = self.open(f"{name}.db")
        if new is None:
            return [problem], None
        try:
            self.migrate(old, new, switched_at)
        except Exception as error:  # the student's code may fail in any way
            return [_raised("migrate_to_events", error)], None
        finally:
            new.close()
        return _old_store_problems(old, before), new.path

    def check_migration(self) -> list[str]:
        with copy_bank(self.bank, self.root / "old.db") as old:
            problems, new_path = self.run_migration("new", SWITCHED_AT, old)
            if problems:
                return problems
            if not _event_times(new_path):
                return [
                    "the new store holds no events yet: for every account of the old store, "
                    "build a new account with Account.open(..., clock=lambda: switched_at), "
                    "deposit or withdraw its balance, freeze or close it if needed, and save "
                    "it. Saving an account loaded from the old store writes nothing: it has "
                    "no new events."
                ]
            self.accounts = len(old.conn.execute("SELECT 1 FROM accounts").fetchall())
            differences = bank_differences(old, new_path)
            if differences and self.loads_agree(old, new_path):
                differences.append(
                    "loading through your store's snapshots gives the old values, but its "
                    "events alone do not: a snapshot is only a cache of the events. The "
                    "opening history itself must carry each account's state, as events."
                )
            return [*differences, *_dating_problems(new_path, SWITCHED_AT)]

    def loads_agree(self, old: SnapshotRepository, new_path: Path) -> bool:
        """Whether the student's store, loaded its own way, agrees with the old one."""
        store, _ = self.open(new_path.name)
        if store is None:
            return False
        with store:
            try:
                return all(
                    store.load(account_id).state._replace(version=0)
                    == old.load(account_id).state._replace(version=0)
                    for account_id in stored_account_ids(old.conn, "accounts")
                )
            except Exception:  # a store that cannot load is not "agreeing"
                return False

    def check_second_switch(self) -> list[str]:
        with copy_bank(self.bank, self.root / "old-july.db") as old:
            problems, new_path = self.run_migration("new-july", SECOND_SWITCH, old)
        if problems:
            return problems
        times = {moment for _, moment in _event_times(new_path)}
        if times == {SWITCHED_AT}:
            return [
                "your migration ignores the switched_at it is given: called with "
                f"switched_at={_text(SECOND_SWITCH)}, it still dated every event "
                f"{_text(SWITCHED_AT)}. Date the events with the argument, not with a copy "
                "of the date from the exercise."
            ]
        return _dating_problems(new_path, SECOND_SWITCH)

    # -- step 3: the rebuild test ---------------------------------------------------------

    def run_test(self, name: str, sabotage: Sabotage | None) -> RebuildRun:
        """Migrate (from a damaged copy, for a sabotage), then test against the real old store."""
        watch = SwallowWatch(self.rebuild_test)
        with copy_bank(self.bank, self.root / f"{name}-old.db") as old:
            new_path = self.migrated_store(name, old, sabotage)
            new, _ = self.open(new_path.name)
            if new is None:  # the store opened fine a moment ago: reopening cannot fail
                raise RuntimeError(f"cannot reopen {new_path.name}")
            try:
                with watch.watching() as seen:
                    returned = self.rebuild_test(old, new)
            except Exception as error:  # a failing test may raise anything
                return RebuildRun(error)
            finally:
                new.close()
        return RebuildRun(returned=returned, swallowed=tuple(seen))

    def migrated_store(self, name: str, old: SnapshotRepository, sabotage: Sabotage | None) -> Path:
        """The student's migration of ``old`` - or of a damaged copy of it, for a sabotage.

        The student's migration has passed its review by now. Should it still fail on a
        damaged copy, the reference migration moves that copy instead, so the rebuild test is
        always judged on a store that really lost something.
        """
        if sabotage is None:
            problems, new_path = self.run_migration(name, SWITCHED_AT, old)
            if new_path is None:
                raise RuntimeError("; ".join(problems))
            return new_path
        with damaged_copy(self.bank, self.root / f"{name}-damaged.db", sabotage) as source:
            problems, new_path = self.run_migration(name, SWITCHED_AT, source)
            if new_path is None or problems:
                new, _ = self.open(f"{name}-reference.db")
                if new is None:
                    raise RuntimeError(f"cannot open {name}-reference.db")
                with new:
                    carry_over(source, new, SWITCHED_AT)
                new_path = new.path
        return new_path

    def check_test(self) -> list[str]:
        correct = self.run_test("correct", None)
        if not correct.passed:
            return [
                "your rebuild test fails on a correct migration, so its failure would tell "
                f"nobody anything. It raised {correct}",
                "compare owner, balance, overdraft limit and status; not the version, which "
                "restarts at 1 in the new history.",
            ]
        runs = {s: self.run_test(f"lossy-{s.name}", s) for s in SABOTAGES}
        returned = [run.returned for run in (correct, *runs.values()) if run.returned is not None]
        if returned:
            return [_returns_instead_of_asserting(returned)]
        wrong_error = [(s, run) for s, run in runs.items() if run.error and not run.failed_properly]
        if wrong_error:
            return _wrong_error(*wrong_error[0])
        survivors = [s for s, run in runs.items() if run.passed]
        if not survivors:
            return []
        return self.survivor_lines(survivors, runs, correct)

    def survivor_lines(
        self, survivors: list[Sabotage], runs: dict[Sabotage, RebuildRun], correct: RebuildRun
    ) -> list[str]:
        """Why the rebuild test let these lossy migrations through: the true reason."""
        count = f"{len(survivors)} of {len(SABOTAGES)}"
        hidden = [
            (s, caught)
            for s in survivors
            for caught in runs[s].swallowed
            if caught not in correct.swallowed
        ]
        if hidden:
            sabotage, caught = hidden[0]
            return [
                "your rebuild test catches its own failures: on the migration that "
                f"{sabotage.name}, it raised {caught}, and a try/except inside it caught it, "
                f"so the test passed anyway ({count} lossy migrations got through).",
                "let the AssertionError out (remove the try/except, or re-raise): a failure "
                "that only prints is a failure nobody sees. The lossy migrations it let "
                "through: " + "; ".join(s.name for s in survivors) + ".",
            ]
        if not asserts_anything(self.rebuild_test):
            return [
                "your rebuild test has no assert (and raises nothing itself), so no lost "
                f"cent can make it fail: it passes on {count} lossy migrations ("
                + "; ".join(s.name for s in survivors)
                + ").",
                "for every account of the old store, assert that owner, balance, overdraft "
                "limit and status are the same in the new store, e.g. assert now.balance == "
                "was.balance, (account_id, 'balance').",
            ]
        lines = [
            f"your rebuild test passes on a correct migration, but also on {count} lossy "
            "ones, so it would not catch these:",
            *(f"  a migration that {s.name} ({s.account_id}): {s.hint}" for s in survivors),
        ]
        if not reads_parameter(self.rebuild_test, 0):
            lines.append(
                "your test never reads old: compare each account of the new store with the "
                "same account loaded from the OLD store. A test that compares the new store "
                "with itself, or with the accounts your migration built in memory, shares "
                "every mistake the migration makes."
            )
        return lines


def _returns_instead_of_asserting(returned: list[object]) -> str:
    shown = ", ".join(sorted({repr(value) for value in returned}))
    return (
        f"your rebuild test returns a value ({shown}) instead of asserting: nobody reads what "
        "a test returns, so a False passes as quietly as a True. Write assert before each "
        "comparison, e.g. assert now.balance == was.balance, (account_id, 'balance')."
    )


def _wrong_error(sabotage: Sabotage, run: RebuildRun) -> list[str]:
    return [
        f"on the lossy migration that {sabotage.name}, your rebuild test raised {run}, not "
        "AssertionError. The exercise asks for AssertionError: it is what assert raises, and "
        "what tells a reader (and a test runner) that a comparison failed; any other error "
        "reads as the test itself breaking.",
        "write the comparison as an assert, e.g. assert now.balance == was.balance, "
        "(account_id, 'balance').",
    ]


# --- what the review looks at -------------------------------------------------------------


def _store_problem(store: object, path: Path) -> str:
    if store is None:
        return (
            "open_new_store returned None: return the repository that will hold the "
            "accounts from now on, opened on the path it is given."
        )
    if isinstance(store, type):
        return (
            f"open_new_store returned the class {store.__name__} itself: call it with the "
            f"path, {store.__name__}(path), and return the store it opens."
        )
    if not isinstance(store, EventSourcedRepository):
        return (
            f"open_new_store returned a {type(store).__name__}. Auditors need balances at "
            "past month-ends, and only a store that keeps the events can replay to a "
            "moment: an EventSourcedRepository, or a HybridRepository."
        )
    if store.authority != "events":
        return (
            "this HybridRepository declares the snapshot authoritative, so its events are "
            "only an audit log that nobody replays. An auditor's month-end balance comes "
            "from replaying the events: make them the truth (authority='events')."
        )
    if store.path.resolve() != path.resolve():
        return (
            f"open_new_store opened its store on {store.path.name}, not on the path it is "
            f"given ({path.name}): each caller chooses where its store lives. Delete the "
            f"stray {store.path.name} if it was created in your folder."
        )
    return ""


def _fingerprint(path: Path) -> str:
    """The old store's rows, read through the check's own connection."""
    with SnapshotRepository(path) as reader:
        return row_fingerprint(reader.conn, "accounts")


def _old_store_problems(old: SnapshotRepository, before: str) -> list[str]:
    try:
        old.conn.execute("SELECT 1").fetchone()
    except Exception:  # the driver's "closed database" error
        return [
            "your migration closed the old store. Leave it open and as it was: whoever "
            "passed it in still needs it - for the rebuild test, and as the way back."
        ]
    if _fingerprint(old.path) != before:
        return [
            "your migration changed the old store. Leave it untouched until the rebuild test "
            "has passed: it is the only copy of the truth you are moving, and your way back."
        ]
    return []


def _event_times(path: Path) -> list[tuple[str, datetime]]:
    with EventSourcedRepository(path) as events:
        rows = events.conn.execute(
            "SELECT account_id, occurred_at FROM events ORDER BY occurred_at, account_id"
        ).fetchall()
    return [(account_id, parse_timestamp(text)) for account_id, text in rows]


def _text(moment: datetime) -> str:
    return format_timestamp(moment)


def _dating_problems(path: Path, switched_at: datetime) -> list[str]:
    """Every event of an opening history is dated exactly at the switch; say why if not."""
    times = _event_times(path)
    early = [(a, t) for a, t in times if t < switched_at]
    late = [(a, t) for a, t in times if t > switched_at]
    problems = []
    if early:
        account, moment = early[0]
        problems.append(
            f"an event of {account!r} is dated {_text(moment)}, before the switch "
            f"({_text(switched_at)}). The snapshot store kept only the latest state, never "
            "when money moved, so events dated earlier claim a history nobody recorded (it is "
            "invented) - even a microsecond earlier puts them into the previous month-end, "
            "and an auditor would believe it. Date the opening history at switched_at."
        )
    if late:
        account, moment = late[-1]
        if abs(moment - datetime.now(UTC)) < timedelta(days=1):
            problems.append(
                f"an event of {account!r} is dated {_text(moment)}: that is the machine's "
                "clock (today), not the switch. Account.open(...) without clock= asks the "
                "system clock; pass clock=lambda: switched_at, so every event carries the "
                "moment of the switch."
            )
        else:
            problems.append(
                f"an event of {account!r} is dated {_text(moment)}, after the switch "
                f"({_text(switched_at)}). An opening history spread over time could "
                "interleave with real commands after the switch, and a query as of that "
                "moment would see half an account. Date every event exactly at switched_at."
            )
    return problems
