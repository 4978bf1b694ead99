"""Checkpoint questions judge answers by key or number, and every wrong answer teaches."""

from __future__ import annotations

import pytest

from helpers.teaching.checkpoints import all_questions
from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric
from helpers.teaching.checkpoints.widget import CheckpointForm, question_html
from helpers.teaching.exercises.feedback import Feedback

SNAPSHOT_QUESTION = MultipleChoice(
    "99.1",
    "What does a snapshot store?",
    (
        Choice("a", "the latest state", True, "right: one row, overwritten on every save."),
        Choice("b", "every change", False, "a snapshot is not a backup of the history."),
    ),
)
REPLAY_QUESTION = Numeric(
    "99.2",
    "How many events does a load replay after a snapshot at 100 of a 130-event history?",
    30,
    "right: the events after the snapshot, 101 to 130.",
    unit="events",
    known_wrong={130: "the snapshot already holds the first 100 events.", 31: "off by one."},
)


def test_a_right_option_is_accepted_with_why_it_is_right():
    feedback = SNAPSHOT_QUESTION.judge("a")
    assert feedback.passed
    assert str(feedback) == "well done:\n- right: one row, overwritten on every save."


def test_a_wrong_option_names_the_misconception():
    feedback = SNAPSHOT_QUESTION.judge("B ")
    assert not feedback.passed
    assert "not a backup of the history" in str(feedback)


@pytest.mark.parametrize("given", [None, "", "c", 3, ["a"]])
def test_an_answer_that_is_no_option_is_refused_with_the_options_listed(given):
    feedback = SNAPSHOT_QUESTION.judge(given)
    assert not feedback.passed
    assert "choose one of the options 'a', 'b'" in str(feedback)


@pytest.mark.parametrize("given", [30, 30.0, "30", " 30 "])
def test_a_right_number_is_accepted_as_int_float_or_text(given):
    assert REPLAY_QUESTION.judge(given).passed


def test_a_typical_wrong_number_gets_its_own_feedback():
    assert "already holds the first 100" in str(REPLAY_QUESTION.judge(130))
    assert "off by one" in str(REPLAY_QUESTION.judge("31"))


@pytest.mark.parametrize("given", [29, 0, -30])
def test_any_other_wrong_number_is_refused(given):
    assert not REPLAY_QUESTION.judge(given).passed


@pytest.mark.parametrize("given", [True, "thirty", float("nan"), None])
def test_something_that_is_not_a_number_is_refused_and_the_unit_named(given):
    feedback = REPLAY_QUESTION.judge(given)
    assert not feedback.passed
    assert "answer with a number (in events)" in str(feedback)


def test_a_question_without_a_right_option_cannot_be_written():
    with pytest.raises(ValueError, match="no option is marked correct"):
        MultipleChoice("99.3", "?", (Choice("a", "x", False, "no"),))


def test_a_wrong_number_that_the_tolerance_would_accept_cannot_be_listed():
    with pytest.raises(ValueError, match="listed as wrong but accepted"):
        Numeric("99.4", "?", 10, "yes", tolerance=1, known_wrong={10.5: "no"})


def test_the_question_html_lists_the_options_without_saying_which_is_right():
    text = question_html(SNAPSHOT_QUESTION)
    assert "Checkpoint 99.1" in text and "the latest state" in text and "every change" in text
    assert "backup" not in text and "overwritten" not in text


def test_the_form_checks_a_click_and_shows_the_feedback_in_place():
    form = CheckpointForm(SNAPSHOT_QUESTION)
    form.entry.value = "b"
    form._check(None)
    assert "not a backup of the history" in form.feedback.value
    assert repr(form) == "[interactive form for checkpoint 99.1: open in Jupyter to click]"


def test_every_question_in_the_pack_has_a_unique_id_and_feedback_for_each_wrong_answer():
    for question_id, item in all_questions().items():
        assert item.id == question_id
        if isinstance(item, MultipleChoice):
            assert any(not choice.correct for choice in item.choices), question_id


def test_feedback_on_free_text_says_plainly_that_it_was_not_checked():
    feedback = Feedback(True, ["the claims match the experiment."], ["your reasoning"])
    assert str(feedback) == (
        "checked parts right:\n- the claims match the experiment.\n"
        "- your reasoning is not checked: compare it with the worked solution"
    )
    assert "well done" not in str(feedback)


def test_code_spans_in_a_question_show_as_code_not_as_backticks():
    item = MultipleChoice(
        "99.5",
        "What does `verify` compare?",
        (
            Choice("a", "the snapshot with a replay of `events`", True, "right."),
            Choice("b", "two snapshots", False, "a snapshot is never compared with itself."),
        ),
    )
    text = question_html(item)
    assert "<code>verify</code>" in text and "<code>events</code>" in text
    assert "`" not in text
    labels = [label for label, _ in CheckpointForm(item).entry.options]
    assert labels[0] == "a: the snapshot with a replay of events"


def test_a_numeric_question_with_a_negative_message_gives_it_for_any_number_below_zero():
    question = Numeric("99.9", "How many?", 3, "right.", negative="a count is never negative.")
    assert question.judge(-2).lines == ["a count is never negative."]
    assert question.judge(5).lines == [question.otherwise]
    assert Numeric("99.8", "How many?", 3, "right.").judge(-2).lines == [question.otherwise]
