"""The answer every exercise check gives: what it judged, what it could not, and what to do.

A check must never praise what it did not understand. So feedback has three outcomes:

* ``not done yet`` - something the check can judge is wrong or missing (``passed`` is False);
* ``well done`` - everything in the answer was judged, and all of it is right;
* ``checked parts right`` - every part code can judge is right, but some part (free-text
  reasoning, usually) is beyond it. Those parts are listed in ``not_checked`` and the
  feedback says plainly that they were not checked, and what to do about them instead.

What to do depends on the exercise: where a worked solution answers the same question, compare
with it (the default); where none does (a student's own aggregate), a person has to review it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_CHECKED_ADVICE = "compare it with the worked solution"


@dataclass(repr=False)
class Feedback:
    """The result of a check: passed or not, the lines a student reads, what was not judged."""

    passed: bool
    lines: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    """Parts of the answer the check cannot judge, e.g. "your reasoning in 'because'"."""
    advice: str = NOT_CHECKED_ADVICE
    """What to do about the parts not checked; it must be true for the exercise at hand."""

    @property
    def verdict(self) -> str:
        if not self.passed:
            return "not done yet"
        return "checked parts right" if self.not_checked else "well done"

    def __str__(self) -> str:
        body = [_bullet(line) for line in self.lines]
        if self.passed:
            body += [f"- {part} is not checked: {self.advice}" for part in self.not_checked]
        return "\n".join([f"{self.verdict}:", *body])

    def __repr__(self) -> str:
        # A notebook that shows a Feedback as a cell's value shows what a student reads.
        return str(self)


def _bullet(line: str) -> str:
    """A line starting with two spaces is a sub-item of the line before it."""
    return f"  - {line.strip()}" if line.startswith("  ") else f"- {line}"
