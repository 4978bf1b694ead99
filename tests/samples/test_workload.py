"""The seeded workload: valid, realistic and repeatable histories."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.samples.workload import build_account, expected_after, generate_commands


@given(
    n_events=st.integers(1, 400),
    seed=st.integers(0, 2**32),
    overdraft_limit=st.sampled_from([0, 1, 5_000, 100_000]),
)
def test_a_generated_history_never_breaks_a_rule_and_ends_where_the_arithmetic_says(
    n_events, seed, overdraft_limit
):
    account = build_account("acc-w", n_events, seed=seed, overdraft_limit=overdraft_limit)
    expected = expected_after(n_events, seed=seed, overdraft_limit=overdraft_limit)
    assert (account.balance, account.version, str(account.status)) == (
        expected.balance,
        expected.version,
        expected.status,
    )
    assert len(account.pending_events) == n_events
    assert account.balance >= -overdraft_limit


def test_the_same_seed_gives_the_same_history_and_another_seed_another():
    first, again = build_account("a", 300, seed=1), build_account("a", 300, seed=1)
    other = build_account("a", 300, seed=2)
    assert first.pending_events == again.pending_events
    assert first.pending_events != other.pending_events


def test_a_long_history_is_mostly_money_with_an_occasional_freeze():
    kinds = Counter(command.name for command in generate_commands(5_000, seed=11))
    assert kinds["deposit"] + kinds["withdraw"] > 0.95 * 4_999
    assert kinds["withdraw"] > 1_000
    assert 0 < kinds["freeze"] == kinds["unfreeze"]


def test_a_history_needs_at_least_its_opening():
    with pytest.raises(ValueError, match="at least one event"):
        build_account("a", 0)
