"""A history that cannot be folded is a different failure from a command the rules refuse.

``InvariantViolation`` means "the command was refused, nothing was recorded": code that
catches it to show a message to a user must not also swallow a corrupt history. ``evolve``
therefore raises errors of their own branch, ``InvalidHistory``, for every event that cannot
follow the state - and never a bare Python error.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers.domain.events import AccountOpened, MoneyDeposited
from helpers.domain.notifications import LowBalanceWarning
from helpers.domain.state import evolve, fold
from helpers.errors import (
    AccountAlreadyOpen,
    InvalidHistory,
    InvariantViolation,
    NotAnAccountEvent,
    OutOfOrderEvent,
    RebuildLabError,
)

MOMENT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def opened(version: int = 1) -> AccountOpened:
    return AccountOpened(
        account_id="acc-1", version=version, occurred_at=MOMENT, owner="Ada", overdraft_limit=0
    )


def deposit(version: int, amount: int = 100) -> MoneyDeposited:
    return MoneyDeposited(
        account_id="acc-1", version=version, occurred_at=MOMENT, amount=amount, reference="r"
    )


@pytest.mark.parametrize("error", [OutOfOrderEvent, AccountAlreadyOpen, NotAnAccountEvent])
def test_a_broken_history_is_not_a_refused_command(error):
    assert issubclass(error, InvalidHistory)
    assert issubclass(error, RebuildLabError)
    assert not issubclass(error, InvariantViolation)


def test_catching_refused_commands_does_not_catch_a_gap_in_the_history():
    with pytest.raises(OutOfOrderEvent):
        try:
            fold([opened(), deposit(3)])
        except InvariantViolation:  # what a command handler catches
            pytest.fail("a gap in the history was caught as a refused command")


def test_a_second_opening_is_a_broken_history_like_any_other_out_of_order_event():
    with pytest.raises(AccountAlreadyOpen) as raised:
        fold([opened(), opened(2)])
    assert isinstance(raised.value, OutOfOrderEvent)


def test_evolve_refuses_something_that_is_not_an_account_event_with_a_pack_error():
    warning = LowBalanceWarning(account_id="acc-1", balance=5, threshold=10_000, occurred_at=MOMENT)
    with pytest.raises(NotAnAccountEvent) as raised:
        evolve(evolve(None, opened()), warning)
    message = str(raised.value)
    assert "LowBalanceWarning" in message
    assert "AccountOpened" in message  # names what evolve does apply
    assert isinstance(raised.value, TypeError)  # code that caught TypeError still does


def test_a_history_starts_with_the_opening_at_version_one():
    with pytest.raises(OutOfOrderEvent, match="starts at version 1"):
        fold([opened(version=3), deposit(4)])
