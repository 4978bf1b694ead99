"""07, exercise 2: the deploy-day check holds a claim to the student's own numbers."""

from __future__ import annotations

import pytest

from helpers.teaching.exercises.deploy_day import review_deploy_day

FLAT = {100: 23.1, 400: 22.4}
STEEP = {100: 20.0, 400: 55.0}
ACCOUNTS, EVENTS = 1_000_000, 1_000
HOURS = ACCOUNTS * EVENTS * 22.75 / 3.6e9  # about 6.3 hours

WRONG = [
    (
        "the untouched starter",
        {100: None, 400: None},
        None,
        None,
        None,
        None,
        ("positive number of µs",),
    ),
    ("only one timing", {400: 22.4}, True, ACCOUNTS, EVENTS, HOURS, ("{100: 23.1, 400: 22.7}",)),
    (
        "the whole rebuild's seconds",
        {100: 0.46, 400: 1.8},
        True,
        ACCOUNTS,
        EVENTS,
        HOURS,
        ("looks like seconds",),
    ),
    (
        "flat claimed on this notebook's own run (short accounts twice as dear per event)",
        {100: 52.0, 400: 25.3},
        True,
        ACCOUNTS,
        EVENTS,
        ACCOUNTS * EVENTS * 25.3 / 3.6e9,
        ("factor of 2.1", "say False", "paid per account"),
    ),
    (
        "flat claimed, numbers say otherwise",
        STEEP,
        True,
        ACCOUNTS,
        EVENTS,
        HOURS,
        ("your own numbers differ", "2.8"),
    ),
    (
        "a change claimed, numbers flat",
        FLAT,
        False,
        ACCOUNTS,
        EVENTS,
        HOURS,
        ("about the same", "stays flat"),
    ),
    ("yes as text", FLAT, "yes", ACCOUNTS, EVENTS, HOURS, ("True or False",)),
    (
        "microseconds never converted",
        FLAT,
        True,
        ACCOUNTS,
        EVENTS,
        HOURS * 1e6,
        ("million times too large",),
    ),
    ("seconds, not hours", FLAT, True, ACCOUNTS, EVENTS, HOURS * 3600, ("seconds, not hours",)),
    ("minutes, not hours", FLAT, True, ACCOUNTS, EVENTS, HOURS * 60, ("minutes, not hours",)),
    (
        "milliseconds for microseconds",
        FLAT,
        True,
        ACCOUNTS,
        EVENTS,
        HOURS * 1000,
        ("1,000 times too large",),
    ),
    (
        "the accounts left out",
        FLAT,
        True,
        ACCOUNTS,
        EVENTS,
        HOURS / ACCOUNTS,
        ("number of accounts",),
    ),
    (
        "the events left out",
        FLAT,
        True,
        ACCOUNTS,
        EVENTS,
        HOURS / EVENTS,
        ("number of events per account",),
    ),
    ("a guess", FLAT, True, ACCOUNTS, EVENTS, 100.0, ("does not follow",)),
    ("hours as text", FLAT, True, ACCOUNTS, EVENTS, "6.3 hours", ("number of hours",)),
    ("a fraction of an account", FLAT, True, 2.5, EVENTS, HOURS, ("whole number",)),
    ("True for the number of accounts", FLAT, True, True, EVENTS, HOURS, ("whole number",)),
]

RIGHT = [
    (
        "flat, estimated at the rate for 400",
        FLAT,
        True,
        ACCOUNTS,
        EVENTS,
        ACCOUNTS * EVENTS * 22.4 / 3.6e9,
    ),
    (
        "flat, estimated at the rate for 100",
        FLAT,
        True,
        50_000,
        20_000,
        50_000 * 20_000 * 23.1 / 3.6e9,
    ),
    ("not flat on a busy machine, rounded estimate", STEEP, False, 200, 400, 0.0012),
]


@pytest.mark.parametrize(
    ("timings", "flat", "accounts", "events", "hours", "says"),
    [case[1:] for case in WRONG],
    ids=[case[0] for case in WRONG],
)
def test_a_wrong_answer_is_refused_and_the_slip_named(timings, flat, accounts, events, hours, says):
    feedback = review_deploy_day(timings, flat, accounts, events, hours)
    text = str(feedback)
    assert not feedback.passed and text.startswith("not done yet:"), text
    for words in says:
        assert words in text, f"{words!r} missing from:\n{text}"


@pytest.mark.parametrize(
    ("timings", "flat", "accounts", "events", "hours"),
    [case[1:] for case in RIGHT],
    ids=[case[0] for case in RIGHT],
)
def test_a_consistent_answer_passes_and_says_who_can_check_the_size_of_your_system(
    timings, flat, accounts, events, hours
):
    feedback = review_deploy_day(timings, flat, accounts, events, hours)
    text = str(feedback)
    assert feedback.passed, text
    assert text.startswith("checked parts right:") and "well done" not in text
    # The timings are measured by the notebook's cells, not copied: nothing to say about them.
    # The student's own system is what no check can know, and no worked solution describes it.
    assert "timings" not in text and "worked solution" not in text, text
    assert "describe your own system is not checked: ask a colleague" in text, text


def test_the_catalogue_holds_at_least_eight_wrong_and_two_right_answers():
    assert len(WRONG) >= 8 and len(RIGHT) >= 2
