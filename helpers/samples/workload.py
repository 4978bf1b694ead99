"""A seeded generator of realistic account histories, for tests, notebooks and the benchmark.

Histories look like a current account's: mostly deposits and withdrawals of varied sizes, an
occasional freeze followed by an unfreeze, never a command that breaks an invariant. The
generator tracks the expected balance with plain arithmetic of its own - not through the
Account - so a rebuild can be checked against an independent answer.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock

EPOCH = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Command:
    """One command to send to an Account: its method name and arguments."""

    name: str
    args: tuple[object, ...] = ()

    def apply_to(self, account: Account) -> None:
        getattr(account, self.name)(*self.args)


@dataclass(frozen=True)
class Expected:
    """What the generator says the account must look like after the commands."""

    balance: int
    version: int
    status: str


def generate_commands(
    n_events: int, *, seed: int = 42, overdraft_limit: int = 0
) -> Iterator[Command]:
    """Yield ``n_events - 1`` valid commands to follow an opening (which is event 1)."""
    rng = random.Random(seed)
    balance = 0
    frozen = False
    for index in range(1, n_events):
        if frozen:
            frozen = False
            yield Command("unfreeze")
        elif rng.random() < 0.005 and index < n_events - 1:
            frozen = True
            yield Command("freeze", ("routine review",))
        elif balance + overdraft_limit > 0 and rng.random() < 0.45:
            amount = rng.randint(1, min(balance + overdraft_limit, 50_000))
            balance -= amount
            yield Command("withdraw", (amount, f"wd-{index:07d}"))
        else:
            amount = rng.randint(100, 100_000)
            balance += amount
            yield Command("deposit", (amount, f"dep-{index:07d}"))


def expected_after(n_events: int, *, seed: int = 42, overdraft_limit: int = 0) -> Expected:
    """The balance, version and status ``generate_commands`` leads to, by arithmetic alone."""
    balance, frozen = 0, False
    for command in generate_commands(n_events, seed=seed, overdraft_limit=overdraft_limit):
        if command.name == "deposit":
            balance += command.args[0]
        elif command.name == "withdraw":
            balance -= command.args[0]
        else:
            frozen = command.name == "freeze"
    return Expected(balance, max(n_events, 1), "frozen" if frozen else "open")


def build_account(
    account_id: str,
    n_events: int,
    *,
    seed: int = 42,
    owner: str = "Ada Lovelace",
    overdraft_limit: int = 0,
    clock: TickingClock | None = None,
) -> Account:
    """Open an account and run a generated history on it; all events are still pending."""
    if n_events < 1:
        raise ValueError("a history has at least one event: the opening")
    clock = clock if clock is not None else TickingClock(EPOCH, timedelta(minutes=7))
    account = Account.open(account_id, owner, overdraft_limit, clock=clock)
    for command in generate_commands(n_events, seed=seed, overdraft_limit=overdraft_limit):
        command.apply_to(account)
    return account
