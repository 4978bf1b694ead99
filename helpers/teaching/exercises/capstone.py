"""Capstone check: a new requirement forces a change of strategy; prove nothing was lost.

The story: a bank kept its accounts in a ``SnapshotRepository`` - latest state only. Auditors
now ask for the balance of any account as of any past month-end. A snapshot store cannot
answer that, so the student

1. chooses a store that keeps history (``open_new_store``),
2. moves every account into it as an *opening history* dated at the switch
   (``migrate_to_events``), and
3. writes a rebuild test (``rebuild_test``) that fails if any account came across different.

The check runs all three on a small bank of its own and gives feedback a reviewer would:
which store, which account and field came across wrong, whether any event pretends to be
older than the switch (the snapshot store never recorded *when* money moved, so a history
dated earlier would be invented), and whether the rebuild test really catches a lossy
migration - it is run against four sabotaged migrations and must fail on each.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.domain.state import AccountState, Status
from helpers.errors import AccountNotFound
from helpers.samples.workload import build_account
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.repository import Repository
from helpers.storage.schema_migration import row_fingerprint, stored_account_ids
from helpers.storage.snapshot_store import SnapshotRepository
from helpers.teaching.exercises.feedback import Feedback

SWITCHED_AT = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
"""The moment the bank switches stores: the first moment of April 2026."""

OpenNewStore = Callable[[Path], Repository]
Migrate = Callable[[SnapshotRepository, Repository, datetime], None]
RebuildTest = Callable[[SnapshotRepository, Repository], None]

COMPARED = ("owner", "balance", "overdraft_limit", "status")
"""What must survive the switch. The version does not: it restarts with the new history."""


def month_end(year: int, month: int) -> datetime:
    """The last microsecond of a month, in UTC: what "as of the month-end" means here."""
    first_of_next = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return first_of_next - timedelta(microseconds=1)


# --- the bank before the switch ---------------------------------------------------------


BANK_OPENS = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LAST_SAVE = datetime(2026, 3, 30, 17, 0, tzinfo=UTC)


def _clock(events: int, start: datetime, index: int) -> TickingClock:
    """A clock that spreads ``events`` commands from ``start`` to a last save in late March."""
    last_save = LAST_SAVE - timedelta(hours=3 * index)
    whole_minutes = (last_save - start) // events // timedelta(minutes=1)
    return TickingClock(start, timedelta(minutes=whole_minutes))


def make_snapshot_bank(path: Path) -> SnapshotRepository:
    """The bank's old store: five accounts covering every case a migration must handle.

    Positive and negative (overdrawn) balances, a frozen account, a closed one, and one that
    was opened and never used. Each history runs from January to the last days of March 2026
    and is saved once at its end (``saved_at``); only that latest state survives, because
    that is all a snapshot store keeps.
    """
    repo = SnapshotRepository(path)
    builders = (
        (
            40,
            BANK_OPENS,
            lambda c: build_account("acc-ada", 40, seed=11, owner="Ada Lovelace", clock=c),
        ),
        (3, BANK_OPENS, _overdrawn),
        (26, BANK_OPENS, _frozen),
        (4, BANK_OPENS, _closed),
        (
            1,
            datetime(2026, 3, 27, 9, 0, tzinfo=UTC),
            lambda c: Account.open("acc-eve", "Eve Cheng", clock=c),
        ),
    )
    for index, (events, start, build) in enumerate(builders):
        clock = _clock(events, start, index)
        account = build(clock)
        repo.clock = clock  # saved_at is the next tick after the account's last command
        repo.save(account)
    return repo


def _overdrawn(clock: TickingClock) -> Account:
    account = Account.open("acc-bea", "Bea Ortiz", overdraft_limit=30_000, clock=clock)
    account.deposit(5_000, "salary")
    account.withdraw(20_000, "rent")
    return account


def _frozen(clock: TickingClock) -> Account:
    account = build_account("acc-cyd", 25, seed=12, owner="Cyd Park", clock=clock)
    if account.status is Status.FROZEN:
        account.unfreeze()
    account.freeze("fraud check")
    return account


def _closed(clock: TickingClock) -> Account:
    account = Account.open("acc-dan", "Dan Ruiz", clock=clock)
    account.deposit(10_000, "gift")
    account.withdraw(10_000, "moving banks")
    account.close()
    return account


# --- a reference migration, used to build the sabotaged stores ----------------------------


def opening_history(state: AccountState, switched_at: datetime) -> Account:
    """An account whose pending events rebuild ``state`` exactly, all dated ``switched_at``."""
    clock = lambda: switched_at  # noqa: E731 - every event of the opening history at the switch
    account = Account.open(state.account_id, state.owner, state.overdraft_limit, clock=clock)
    note = f"opening balance carried over from the snapshot store (version {state.version})"
    if state.balance > 0:
        account.deposit(state.balance, note)
    elif state.balance < 0:
        account.withdraw(-state.balance, note)
    if state.status is Status.FROZEN:
        account.freeze("frozen before the switch (carried over)")
    elif state.status is Status.CLOSED:
        account.close()
    return account


@dataclass(frozen=True)
class Sabotage:
    """A lossy migration: which account it damages, how, and what test catches it."""

    name: str
    account_id: str
    damage: Callable[[AccountState], AccountState | None]
    hint: str


SABOTAGES: tuple[Sabotage, ...] = (
    Sabotage(
        "forgets an account",
        "acc-eve",
        lambda state: None,
        "loop over every account id of the old store (stored_account_ids(old.conn, "
        "'accounts')) and load each one from the new store: a missing one raises "
        "AccountNotFound.",
    ),
    Sabotage(
        "loses a cent",
        "acc-ada",
        lambda state: state._replace(balance=state.balance - 1),
        "compare the balance of every account, to the cent.",
    ),
    Sabotage(
        "drops the freeze",
        "acc-cyd",
        lambda state: state._replace(status=Status.OPEN),
        "compare the status too: a frozen account that comes back open lets money move.",
    ),
    Sabotage(
        "shrinks the overdraft limit",
        "acc-bea",
        lambda state: state._replace(overdraft_limit=-state.balance),
        "compare the overdraft limit too: it decides which withdrawals are refused.",
    ),
)


def _migrate_with(sabotage: Sabotage | None) -> Migrate:
    def migrate(old: SnapshotRepository, new: Repository, switched_at: datetime) -> None:
        for account_id in stored_account_ids(old.conn, "accounts"):
            state: AccountState | None = old.load(account_id).state
            if sabotage is not None and account_id == sabotage.account_id:
                state = sabotage.damage(state)
            if state is not None:
                new.save(opening_history(state, switched_at))

    return migrate


# --- running the student's functions ----------------------------------------------------


def review_capstone(
    open_new_store: object, migrate_to_events: object, rebuild_test: object
) -> Feedback:
    """Run the student's three functions on a fresh bank and review the result."""
    for name, value in (
        ("open_new_store", open_new_store),
        ("migrate_to_events", migrate_to_events),
        ("rebuild_test", rebuild_test),
    ):
        if not callable(value):
            return Feedback(
                False, [f"pass your function {name} itself, not {type(value).__name__}."]
            )
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-capstone-") as folder:
        root = Path(folder)
        old = make_snapshot_bank(root / "old.db")
        try:
            problems = _review_store(open_new_store, root)
            if problems:
                return Feedback(False, problems)
            problems, migrated = _review_migration(old, open_new_store, migrate_to_events, root)
            if problems:
                return Feedback(False, problems)
            problems = _review_test(old, open_new_store, rebuild_test, root)
            if problems:
                return Feedback(False, problems)
        finally:
            old.close()
    return Feedback(
        True,
        [
            f"all {migrated} accounts came across with the same owner, balance, overdraft "
            "limit and status;",
            "every event is dated at the switch, so month-ends before April 2026 honestly have "
            "no answer, and month-ends after it are a replay away (load_as_of);",
            f"your rebuild test passes on a correct migration and fails on all {len(SABOTAGES)} "
            "lossy ones: " + "; ".join(s.name for s in SABOTAGES) + ".",
        ],
    )


def check_capstone(open_new_store: object, migrate_to_events: object, rebuild_test: object) -> None:
    """Print the feedback (what the notebook's check cell calls)."""
    print(review_capstone(open_new_store, migrate_to_events, rebuild_test))


def _open(open_new_store: OpenNewStore, path: Path) -> tuple[Repository | None, str]:
    try:
        return open_new_store(path), ""
    except Exception as error:  # the student's code may fail in any way
        return None, f"open_new_store raised {type(error).__name__}: {error}"


def _review_store(open_new_store: OpenNewStore, root: Path) -> list[str]:
    store, error = _open(open_new_store, root / "probe.db")
    if error:
        return [error]
    try:
        if store is None:
            return [
                "open_new_store returned None: return the repository that will hold the "
                "accounts from now on, opened on the path it is given."
            ]
        if not isinstance(store, EventSourcedRepository):
            return [
                f"open_new_store returned a {type(store).__name__}. Auditors need balances at "
                "past month-ends, and only a store that keeps the events can replay to a "
                "moment: an EventSourcedRepository, or a HybridRepository."
            ]
        if getattr(store, "authority", "events") != "events":
            return [
                "this HybridRepository declares the snapshot authoritative, so its events are "
                "only an audit log that nobody replays. An auditor's month-end balance comes "
                "from replaying the events: make them the truth (authority='events')."
            ]
        return []
    finally:
        if store is not None:
            store.close()


def _review_migration(
    old: SnapshotRepository, open_new_store: OpenNewStore, migrate: Migrate, root: Path
) -> tuple[list[str], int]:
    before = row_fingerprint(old.conn, "accounts")
    new, error = _open(open_new_store, root / "new.db")
    if error:
        return [error], 0
    try:
        try:
            migrate(old, new, SWITCHED_AT)
        except Exception as error:  # the student's code may fail in any way
            return [f"migrate_to_events raised {type(error).__name__}: {error}"], 0
        if row_fingerprint(old.conn, "accounts") != before:
            return [
                "your migration changed the old store. Leave it untouched until the rebuild "
                "test has passed: it is the only copy of the truth you are moving, and your "
                "way back."
            ], 0
        ids = stored_account_ids(old.conn, "accounts")
        problems = [*_compare_accounts(old, new, ids)]
        if problems and len(problems) == len(ids) and not _any_events(new):
            return [
                "the new store holds no events yet: for every account of the old store, "
                "build an account whose events rebuild its state (open it, then deposit or "
                "withdraw the balance, then freeze or close it if needed) and save it."
            ], 0
        problems += _dating_problems(new)
        return problems, len(ids)
    finally:
        new.close()


def _any_events(repo: Repository) -> bool:
    return repo.conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def _compare_accounts(old: SnapshotRepository, new: Repository, ids: list[str]):
    for account_id in ids:
        was = old.load(account_id).state
        try:
            now = new.load(account_id).state
        except AccountNotFound:
            yield f"account {account_id!r} is missing from the new store."
            continue
        for name in COMPARED:
            before, after = getattr(was, name), getattr(now, name)
            if before != after:
                yield (
                    f"account {account_id!r}: {name} is {after!r} in the new store but "
                    f"{before!r} in the old one. {_field_hint(name, was)}"
                )


def _field_hint(name: str, was: AccountState) -> str:
    if name == "status" and was.status is Status.FROZEN:
        return "The opening history must end with the freeze (account.freeze(...))."
    if name == "status" and was.status is Status.CLOSED:
        return "The opening history must end with the closing (account.close())."
    if name == "balance" and was.balance < 0:
        return "An overdrawn balance is carried over as a withdrawal, not a deposit."
    if name == "overdraft_limit":
        return "Open the account with the old overdraft limit (Account.open(..., limit))."
    return "Carry the old value over exactly."


def _dating_problems(new: Repository) -> list[str]:
    row = new.conn.execute("SELECT MIN(occurred_at), MAX(occurred_at) FROM events").fetchone()
    earliest = row[0]
    switch_text = SWITCHED_AT.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if earliest is not None and earliest < switch_text:
        return [
            f"an event is dated {earliest}, before the switch ({switch_text}). The snapshot "
            "store kept only the latest state, never when money moved, so events dated earlier "
            "claim a history nobody recorded (it is invented) - and an auditor would believe "
            "it. Date the opening history at switched_at."
        ]
    return []


def _review_test(
    old: SnapshotRepository, open_new_store: OpenNewStore, test: RebuildTest, root: Path
) -> list[str]:
    outcome = _run_test(old, open_new_store, test, root / "correct.db", None)
    if outcome:
        return [
            "your rebuild test fails on a correct migration, so its failure would tell nobody "
            f"anything. It raised {outcome}"
        ]
    survivors = [
        s
        for s in SABOTAGES
        if not _run_test(old, open_new_store, test, root / f"sabotage-{s.account_id}.db", s)
    ]
    if survivors:
        return [
            f"your rebuild test passes on a correct migration, but also on {len(survivors)} "
            f"of {len(SABOTAGES)} lossy ones, so it would not catch these:",
            *(f"a migration that {s.name} ({s.account_id}): {s.hint}" for s in survivors),
        ]
    return []


def _run_test(
    old: SnapshotRepository,
    open_new_store: OpenNewStore,
    test: RebuildTest,
    path: Path,
    sabotage: Sabotage | None,
) -> str:
    """Migrate with the reference (maybe sabotaged) migration, run the test; '' if it passed."""
    new, error = _open(open_new_store, path)
    if error:
        return error
    try:
        _migrate_with(sabotage)(old, new, SWITCHED_AT)
        test(old, new)
    except Exception as error:  # a failing test may raise anything
        return f"{type(error).__name__}: {error}"
    finally:
        new.close()
    return ""
