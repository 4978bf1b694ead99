"""The capstone check's catalogue: every plausible wrong answer is refused, and says why.

Each answer in ``capstone_answers`` is run through the real check on a fresh bank. A wrong
answer must be refused with feedback that names its mistake; a right one, however it is
written, must pass.
"""

from __future__ import annotations

import pytest

from helpers.teaching.exercises.capstone import review_capstone
from tests.teaching.capstone_answers import ANSWERS, RIGHT, WRONG, Answer


def test_the_catalogue_holds_at_least_fifteen_wrong_and_three_right_answers():
    assert len(WRONG) >= 15 and len(RIGHT) >= 3


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda answer: answer.name)
def test_the_check_gives_each_answer_its_verdict_and_names_the_reason(answer: Answer):
    feedback = review_capstone(answer.open_new_store, answer.migrate_to_events, answer.rebuild_test)
    text = str(feedback)
    assert feedback.passed is answer.passes, text
    assert text.startswith("well done:" if answer.passes else "not done yet:"), text
    for words in answer.says:
        assert words in text, f"{words!r} missing from:\n{text}"
    for words in answer.avoids:
        assert words not in text, f"{words!r} should not be in:\n{text}"
