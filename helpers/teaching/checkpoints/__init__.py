"""Checkpoints: short questions placed every ten minutes or so of reading.

Each notebook's questions live in a module of their own, ``bank_NN.py`` (``NN`` is the
notebook number), as a tuple ``QUESTIONS``. Every such module is found here without being
listed, and question ids (``"02.1"``) must be unique across them.

In a notebook, a checkpoint cell (tagged ``checkpoint``) calls ``ask("02.1")``; a student
answers by clicking, or with ``answer("02.1", "b")``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from IPython.display import HTML, display

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric, Question
from helpers.teaching.exercises.feedback import Feedback

__all__ = [
    "Choice",
    "MultipleChoice",
    "Numeric",
    "Question",
    "all_questions",
    "answer",
    "ask",
    "question",
]


@cache
def all_questions() -> dict[str, Question]:
    """Every checkpoint question of the pack, by id, in notebook order."""
    found: dict[str, Question] = {}
    for module in sorted(
        m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("bank_")
    ):
        for item in importlib.import_module(f"{__name__}.{module}").QUESTIONS:
            if item.id in found:
                raise ValueError(f"checkpoint id {item.id!r} is used twice")
            found[item.id] = item
    return dict(sorted(found.items(), key=lambda pair: _sort_key(pair[0])))


def _sort_key(question_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in question_id.split("."))


def question(question_id: str) -> Question:
    try:
        return all_questions()[question_id]
    except KeyError:
        known = ", ".join(all_questions()) or "none yet"
        raise KeyError(f"no checkpoint {question_id!r}; known checkpoints: {known}") from None


def answer(question_id: str, given: object) -> Feedback:
    """Judge an answer: a key such as ``"b"`` or a number. The returned feedback prints itself."""
    return question(question_id).judge(given)


def ask(question_id: str) -> None:
    """Show the question as HTML and, below it, the form to answer it by clicking."""
    from helpers.teaching.checkpoints.widget import make_form, question_html

    item = question(question_id)
    display(HTML(question_html(item)))
    display(make_form(item))
