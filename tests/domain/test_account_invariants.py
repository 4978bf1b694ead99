"""Unit tests for the Account's rules: each invariant has its own error and a clear message.

A refused command must leave no trace: same state, same pending events.
"""

from __future__ import annotations

import pytest

from helpers.domain.account import Account
from helpers.domain.events import AccountOpened
from helpers.domain.state import Status, evolve
from helpers.errors import (
    AccountAlreadyOpen,
    AccountIsClosed,
    AccountIsFrozen,
    AmountNotPositive,
    BalanceNotZero,
    InvalidTransition,
    InvariantViolation,
    OverdraftLimitExceeded,
    RebuildLabError,
)


@pytest.fixture
def account(clock) -> Account:
    """Ada's account holding 5,000 cents with a 2,000-cent overdraft, all events pending."""
    account = Account.open("acc-ada", "Ada Lovelace", overdraft_limit=2_000, clock=clock)
    account.deposit(5_000, "salary")
    return account


def refuse(account: Account, error: type[InvariantViolation], command, *args) -> str:
    """Run a command that must be refused; check nothing changed; return the message."""
    state_before, pending_before = account.state, account.pending_events
    with pytest.raises(error) as raised:
        getattr(account, command)(*args)
    assert account.state == state_before
    assert account.pending_events == pending_before
    return str(raised.value)


# --- amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["deposit", "withdraw"])
@pytest.mark.parametrize("amount", [0, -1, -500, 10.5, 10.0, True, False, "1050", None])
def test_an_amount_that_is_not_a_positive_whole_number_of_cents_is_refused(
    account, command, amount
):
    message = refuse(account, AmountNotPositive, command, amount, "ref")
    assert repr(amount) in message
    assert "positive whole cents" in message


def test_the_refusal_of_a_fractional_amount_tells_the_student_to_write_cents(account):
    message = refuse(account, AmountNotPositive, "deposit", 10.5, "coffee")
    assert "1050" in message


@pytest.mark.parametrize("limit", [-1, 10.5, "100", True])
def test_an_overdraft_limit_that_is_not_zero_or_positive_whole_cents_is_refused(clock, limit):
    with pytest.raises(AmountNotPositive, match="overdraft limit"):
        Account.open("acc-x", "Ada Lovelace", overdraft_limit=limit, clock=clock)


def test_the_overdraft_limit_defaults_to_zero(clock):
    assert Account.open("acc-x", "Ada Lovelace", clock=clock).overdraft_limit == 0


# --- the overdraft floor --------------------------------------------------------------------


def test_a_withdrawal_may_take_the_balance_down_to_exactly_minus_the_overdraft_limit(account):
    account.withdraw(account.balance + account.overdraft_limit, "down to the floor")
    assert account.balance == -account.overdraft_limit


def test_a_withdrawal_below_minus_the_overdraft_limit_is_refused(account):
    one_cent_too_much = account.balance + account.overdraft_limit + 1
    message = refuse(account, OverdraftLimitExceeded, "withdraw", one_cent_too_much, "rent")
    assert str(one_cent_too_much) in message
    assert f"floor of {-account.overdraft_limit} cents" in message
    assert "acc-ada" in message


def test_without_an_overdraft_the_balance_cannot_go_below_zero(clock):
    account = Account.open("acc-x", "Ada Lovelace", clock=clock)
    account.deposit(100, "pocket money")
    refuse(account, OverdraftLimitExceeded, "withdraw", 101, "sweets")
    account.withdraw(100, "sweets")
    assert account.balance == 0


# --- frozen and closed ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["deposit", "withdraw"])
def test_a_frozen_account_refuses_deposits_and_withdrawals(account, command):
    account.freeze("suspicious activity")
    message = refuse(account, AccountIsFrozen, command, 100, "ref")
    assert "frozen" in message
    assert f"unfreeze it before you {command}" in message


def test_freezing_and_unfreezing_move_the_status_between_open_and_frozen(account):
    account.freeze("suspicious activity")
    assert account.status is Status.FROZEN
    account.unfreeze()
    assert account.status is Status.OPEN
    account.deposit(100, "allowed again")
    assert account.balance == 5_100


def test_freezing_a_frozen_account_is_an_invalid_transition(account):
    account.freeze("first")
    message = refuse(account, InvalidTransition, "freeze", "second")
    assert "already frozen" in message


def test_unfreezing_an_open_account_is_an_invalid_transition(account):
    message = refuse(account, InvalidTransition, "unfreeze")
    assert "not frozen" in message


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("deposit", (100, "ref")),
        ("withdraw", (100, "ref")),
        ("freeze", ("reason",)),
        ("unfreeze", ()),
        ("close", ()),
        ("deposit", (-5, "a bad amount is still refused as closed")),
    ],
)
def test_a_closed_account_refuses_every_command(clock, command, args):
    account = Account.open("acc-x", "Ada Lovelace", clock=clock)
    account.close()
    message = refuse(account, AccountIsClosed, command, *args)
    assert "closed" in message
    assert command in message


def test_only_a_zero_balance_can_be_closed(account):
    message = refuse(account, BalanceNotZero, "close")
    assert "5000 cents" in message
    account.withdraw(5_000, "empty it")
    account.close()
    assert account.status is Status.CLOSED


def test_an_overdrawn_account_cannot_be_closed(account):
    account.withdraw(6_000, "into the overdraft")
    message = refuse(account, BalanceNotZero, "close")
    assert "-1000 cents" in message


# --- opening ---------------------------------------------------------------------------------


def test_opening_twice_is_refused_when_a_second_account_opened_is_applied(account, clock):
    second = AccountOpened(
        account_id="acc-ada",
        version=account.version + 1,
        occurred_at=clock(),
        owner="Someone Else",
        overdraft_limit=0,
    )
    with pytest.raises(AccountAlreadyOpen, match="already open"):
        evolve(account.state, second)


def test_a_new_account_starts_open_with_zero_balance_at_version_one(clock):
    account = Account.open("acc-x", "Ada Lovelace", overdraft_limit=300, clock=clock)
    assert (account.account_id, account.owner, account.balance) == ("acc-x", "Ada Lovelace", 0)
    assert (account.overdraft_limit, account.status, account.version) == (300, Status.OPEN, 1)


# --- the family of errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        AmountNotPositive,
        OverdraftLimitExceeded,
        AccountIsFrozen,
        AccountIsClosed,
        BalanceNotZero,
        InvalidTransition,
    ],
)
def test_every_invariant_error_shares_one_base_class(error):
    assert issubclass(error, InvariantViolation)
    assert issubclass(error, RebuildLabError)


# --- text fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args", "name"),
    [
        ("deposit", (100, 42), "reference"),
        ("withdraw", (100, None), "reference"),
        ("freeze", (b"bytes",), "reason"),
    ],
)
def test_a_reference_or_reason_that_is_not_text_is_refused_before_anything_is_recorded(
    account, command, args, name
):
    state_before, pending_before = account.state, account.pending_events
    with pytest.raises(TypeError, match=f"{name} must be text"):
        getattr(account, command)(*args)
    assert (account.state, account.pending_events) == (state_before, pending_before)


@pytest.mark.parametrize(("account_id", "owner"), [(7, "Ada"), ("acc-7", None)])
def test_an_account_id_or_owner_that_is_not_text_is_refused(clock, account_id, owner):
    with pytest.raises(TypeError, match="must be text"):
        Account.open(account_id, owner, clock=clock)
