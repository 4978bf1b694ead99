"""The answer every exercise check gives: passed or not, and lines a student can act on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Feedback:
    """The result of a check: passed or not, and the lines a student reads."""

    passed: bool
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = "well done:" if self.passed else "not done yet:"
        return "\n".join([head, *(_bullet(line) for line in self.lines)])


def _bullet(line: str) -> str:
    """A line starting with two spaces is a sub-item of the line before it."""
    return f"  - {line.strip()}" if line.startswith("  ") else f"- {line}"
