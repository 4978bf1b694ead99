"""Showing measured results in a notebook so that the test suite can still check them.

Timings differ on every run. Rather than leave whole cells unchecked, notebook 06 shows its
tables and sentences as HTML in which every measured value sits in a
``<span class="measured">``; ``notebooks/nbval_sanitize.cfg`` blanks those spans before the
stored and the new outputs are compared. Everything else - the columns, the rows, the
lengths, the verdicts that do not depend on timing - is compared as it stands.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from helpers.bench import as_html, as_text, table_html


def findings(lines: list[str], *, fixed: bool = False) -> HTML:
    """Sentences made from a run's numbers, as a list; measured parts are marked.

    ``fixed=True`` drops the marks: for sentences made from committed files (the reference
    run), which are the same on every run and so are compared as they stand.
    """
    return HTML(as_html([as_text(line) for line in lines] if fixed else lines))


EMPTY = "nothing of this kind was measured with these parameters"


def measured_table(
    frame: pd.DataFrame, measured: list[str] | None = None, *, empty: str = EMPTY
) -> HTML:
    """A table as HTML; the ``measured`` columns (default: none) are marked as measured.

    A table with no rows is shown as one sentence (``empty``) instead of an empty frame.
    """
    if frame.empty:
        return HTML(f"<p><em>{empty}</em></p>")
    return HTML(table_html(frame, list(measured or [])))
