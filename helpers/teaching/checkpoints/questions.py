"""Checkpoint questions: multiple choice or numeric, each wrong answer naming its misconception.

A checkpoint is a short question placed right after the idea it tests. The question and its
answers live here, not in the notebook, so that a student who reads the cell sees only the
question. Every wrong option carries feedback that names the misconception it reveals ("a
snapshot is not a backup of the history"), so a wrong click teaches as much as a right one.

:func:`judge` is the plain function behind both ways of answering: clicking in the widget
(see ``widget``) and calling ``answer("02.1", "b")`` in a cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from helpers.teaching.exercises.feedback import Feedback


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question and what choosing it says about the reader."""

    key: str
    text: str
    correct: bool
    why: str
    """For a wrong option: the misconception it reveals. For a right one: why it is right."""


@dataclass(frozen=True)
class MultipleChoice:
    """A question with one right option (or several, any of which is accepted)."""

    id: str
    prompt: str
    choices: tuple[Choice, ...]

    def __post_init__(self) -> None:
        keys = [choice.key for choice in self.choices]
        if len(set(keys)) != len(keys):
            raise ValueError(f"checkpoint {self.id}: option keys repeat: {keys}")
        if not any(choice.correct for choice in self.choices):
            raise ValueError(f"checkpoint {self.id}: no option is marked correct")
        for choice in self.choices:
            if not choice.why.strip():
                raise ValueError(f"checkpoint {self.id}: option {choice.key} has no feedback")

    @property
    def right_keys(self) -> tuple[str, ...]:
        return tuple(choice.key for choice in self.choices if choice.correct)

    def judge(self, given: object) -> Feedback:
        key = str(given).strip().lower() if given is not None else ""
        by_key = {choice.key.lower(): choice for choice in self.choices}
        if key not in by_key:
            options = ", ".join(repr(choice.key) for choice in self.choices)
            return Feedback(False, [f"choose one of the options {options}; got {given!r}."])
        choice = by_key[key]
        return Feedback(choice.correct, [choice.why])


@dataclass(frozen=True)
class Numeric:
    """A question whose answer is a number; typical wrong numbers get their own feedback."""

    id: str
    prompt: str
    answer: float
    why: str
    """Why the right number is right (shown when it is given)."""
    unit: str = ""
    tolerance: float = 0.0
    """Accepted distance from ``answer`` (0: exact)."""
    known_wrong: dict[float, str] = field(default_factory=dict)
    """Wrong numbers students typically give -> the misconception each one reveals."""
    otherwise: str = "not this number: reread the idea above the question and count again."
    """Feedback for a wrong number that is not in ``known_wrong``."""
    negative: str = ""
    """Feedback for any number below zero, when set (a count can never be negative)."""

    def __post_init__(self) -> None:
        for wrong in self.known_wrong:
            if self._close(wrong):
                raise ValueError(f"checkpoint {self.id}: {wrong} is listed as wrong but accepted")

    def _close(self, value: float) -> bool:
        return math.isclose(value, self.answer, rel_tol=0.0, abs_tol=self.tolerance)

    def judge(self, given: object) -> Feedback:
        value = _as_number(given)
        if value is None:
            return Feedback(False, [f"answer with a number{self._in_unit()}; got {given!r}."])
        if self._close(value):
            return Feedback(True, [self.why])
        for wrong, misconception in self.known_wrong.items():
            if math.isclose(value, wrong, rel_tol=0.0, abs_tol=self.tolerance):
                return Feedback(False, [misconception])
        if self.negative and value < 0:
            return Feedback(False, [self.negative])
        return Feedback(False, [self.otherwise])

    def _in_unit(self) -> str:
        return f" (in {self.unit})" if self.unit else ""


Question = MultipleChoice | Numeric


def _as_number(given: object) -> float | None:
    """A number from an int, a float or text such as "1,000"; None for anything else."""
    if isinstance(given, bool):
        return None
    if isinstance(given, int | float):
        return float(given) if math.isfinite(given) else None
    if isinstance(given, str):
        try:
            value = float(given.replace(",", "").replace("_", "").strip())
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None
