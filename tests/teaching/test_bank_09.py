"""Checkpoints 09.2 and 09.3 say what the notebook shows and diagnose each wrong number."""

from __future__ import annotations

import pytest

from helpers.teaching.checkpoints.bank_09 import QUESTIONS

BY_ID = {question.id: question for question in QUESTIONS}


@pytest.mark.parametrize(
    ("given", "passed", "words"),
    [
        (50, True, "at 50 the events cost exactly the fixed 400 us"),
        ("50", True, "400 us / 8 us per event = 50 events"),
        (51, False, "at least as much"),
        (0, False, "with 0 events a replay still pays the whole fixed 400 us"),
        (0.02, False, "the division upside down"),
        (3200, False, "the units do not give a number of events"),
        ("50 events", False, "answer with a number (in events)"),
        (49, False, "divide the fixed part by the cost of one event"),
    ],
)
def test_checkpoint_09_2_judges_each_answer_and_names_the_mistake(given, passed, words):
    feedback = BY_ID["09.2"].judge(given)
    assert feedback.passed is passed
    assert words in str(feedback)


def test_checkpoint_09_2_asks_for_as_much_as_not_more_than():
    assert "at least as much as the fixed part" in BY_ID["09.2"].prompt


def test_checkpoint_09_3_feedback_cites_only_what_the_notebook_shows():
    text = " ".join(choice.why for choice in BY_ID["09.3"].choices)
    assert "snapshot every 20" not in text
    assert "the table shows" not in text
    assert "the line printed after the writers' figure counts 0 conflicts" in text
