"""Marking measured values in sentences and tables, and formatting times for people.

Sentences made from a run's numbers mark every part that depends on timing as *measured*
(``measured(text)`` wraps it in ``⟦ ⟧``). ``as_html`` turns those parts into
``<span class="measured">`` elements, which the notebook tests replace before comparing
(timings change from run to run; the structure, the lengths and the verdicts must not);
``as_text`` just drops the marks.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd


def measured(value: object) -> str:
    """Mark ``value`` as measured: it may differ in the next run."""
    return f"⟦{value}⟧"


_MARK = re.compile(r"⟦(.*?)⟧")


def as_text(line: str) -> str:
    return _MARK.sub(r"\1", line)


def as_html(lines: list[str]) -> str:
    """Sentences as an HTML list, measured parts in ``<span class="measured">``."""
    items = []
    for line in lines:
        escaped = html.escape(line)
        items.append(_MARK.sub(r'<span class="measured">\1</span>', escaped))
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def us(value: float) -> str:
    """Microseconds, to three significant figures, grouped: 12.3, 456, 7,890."""
    if value is None or not math.isfinite(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 1 else f"{value:.2g}"


def times(value: float) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:,.1f}x"


def table_html(frame: pd.DataFrame, measured_columns: list[str]) -> str:
    """A table as HTML; cells of ``measured_columns`` are marked as measured."""
    shown = frame.copy()
    for column in measured_columns:
        shown[column] = [
            f'<span class="measured">{html.escape(str(v))}</span>' for v in shown[column]
        ]
    for column in shown.columns:
        if column not in measured_columns:
            shown[column] = [html.escape(str(v)) for v in shown[column]]
    return shown.to_html(index=False, escape=False, border=0)
