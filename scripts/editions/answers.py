"""The right answer to a checkpoint question, written out for readers who cannot click.

Used twice: in ``INSTRUCTORS.md`` (every question with its answer, generated from the banks)
and on the reading site (a collapsed answer below each question).
"""

from __future__ import annotations

import html

from helpers.teaching.checkpoints import MultipleChoice, Question


def right_answer(question: Question) -> str:
    """The answer in one line of plain text: ``b: <option text>`` or ``30 events``."""
    if isinstance(question, MultipleChoice):
        return "; or ".join(
            f"{choice.key}: {choice.text}" for choice in question.choices if choice.correct
        )
    unit = f" {question.unit}" if question.unit else ""
    tolerance = f" (within {_number(question.tolerance)})" if question.tolerance else ""
    return f"{_number(question.answer)}{unit}{tolerance}"


def why(question: Question) -> str:
    """Why the right answer is right, as the question's feedback says it."""
    if isinstance(question, MultipleChoice):
        return " ".join(choice.why for choice in question.choices if choice.correct)
    return question.why


def wrong_answers(question: Question) -> list[tuple[str, str]]:
    """Each wrong option (or typical wrong number) with the misconception it reveals."""
    if isinstance(question, MultipleChoice):
        return [(c.key, c.why) for c in question.choices if not c.correct]
    return [(_number(value), because) for value, because in question.known_wrong.items()]


def answer_html(question: Question) -> str:
    return (
        f"<p><strong>{html.escape(right_answer(question))}</strong></p>"
        f"<p>{html.escape(why(question))}</p>"
    )


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value):,}"
