"""07, exercise 3: the lost-cents check needs the balances compared exactly, in any report."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.storage.upcasters import decimal_units_to_cents
from helpers.teaching.exercises.lost_cents import dry_run_reports, review_lost_cents

with tempfile.TemporaryDirectory() as _folder:
    float_report_rows = dry_run_reports(Path(_folder))["the float migration of the legacy rows"]
"""What the notebook's float_report.as_rows() holds: a student's function may read it directly."""


def before_after(row):
    before = json.loads(row["stored before"])["balance"]
    after = json.loads(row["stored after"])["balance"]
    return before, after


def exact(rows):
    return {
        row["account"]
        for row in rows
        if decimal_units_to_cents(before_after(row)[0]) != before_after(row)[1]
    }


def with_decimal_in_a_loop(rows):
    found = []
    for row in rows:
        before, after = before_after(row)
        if int(Decimal(before) * 100) != after:
            found.append(row["account"])
    return found


def rounded_float(rows):
    return [
        r["account"] for r in rows if round(float(before_after(r)[0]) * 100) != before_after(r)[1]
    ]


def names_from_the_notebook(rows):
    return {"acc-grace", "acc-alan"}


def the_same_float_mistake(rows):
    return {
        r["account"] for r in rows if int(float(before_after(r)[0]) * 100) != before_after(r)[1]
    }


def compares_the_texts(rows):
    return {r["account"] for r in rows if r["stored before"] != r["stored after"]}


def only_losses(rows):
    return {
        r["account"]
        for r in rows
        if decimal_units_to_cents(before_after(r)[0]) > before_after(r)[1]
    }


def without_json(rows):
    return {r["account"] for r in rows if decimal_units_to_cents(r["stored before"]) != 0}


def text_times_a_hundred(rows):
    return {r["account"] for r in rows if before_after(r)[0] * 100 != before_after(r)[1]}


def counts_them(rows):
    return len(exact(rows))


def says_whether(rows):
    return bool(exact(rows))


def returns_rows(rows):
    return [r for r in rows if r["account"] in exact(rows)]


def as_a_dataframe(rows):
    return set(rows[rows["stored before"] != rows["stored after"]]["account"])


def the_overdraft_instead(rows):
    def limit(text):
        return json.loads(text)["overdraft_limit"]

    return {
        r["account"]
        for r in rows
        if decimal_units_to_cents(limit(r["stored before"])) != limit(r["stored after"])
    }


def a_one_cent_tolerance(rows):
    # A student's exact answer: exact conversion, but a threshold that lets one cent through.
    found = set()
    for row in rows:
        before, after = before_after(row)
        if abs(decimal_units_to_cents(before) - after) > 1:
            found.add(row["account"])
    return found


def owners_instead_of_ids(rows):
    # A student's exact answer: the right rows, named by their owners.
    return {
        json.loads(r["stored before"])["owner"]
        for r in rows
        if decimal_units_to_cents(before_after(r)[0]) != before_after(r)[1]
    }


def reads_the_notebooks_report(rows):
    # A student's exact answer: ignores its argument and reads the notebook's float_report.
    return exact(float_report_rows)


def first_only(rows):
    found = sorted(exact(rows))
    return found[0] if found else ""


WRONG = [
    (
        "the names from the notebook",
        names_from_the_notebook,
        ("empty report", "each row's numbers"),
    ),
    ("the float mistake used to find itself", the_same_float_mistake, ("int(float(",)),
    ("the stored texts compared", compares_the_texts, ("Compare numbers of cents",)),
    ("only losses looked for", only_losses, ("gains", "as wrong")),
    ("the JSON text converted whole", without_json, ("UpcastError", "json.loads")),
    ("the decimal text multiplied by 100", text_times_a_hundred, ("Compare numbers of cents",)),
    ("a count", counts_them, ("returned 2 (int)",)),
    ("a yes or no", says_whether, ("(bool)",)),
    ("the rows, not the ids", returns_rows, ("not rows or numbers",)),
    ("written for a DataFrame", as_a_dataframe, ("TypeError", "list of dicts")),
    ("the overdraft limit compared", the_overdraft_instead, ("missed",)),
    ("one id as text", first_only, ("(str)",)),
    (
        "a tolerance of one cent",
        a_one_cent_tolerance,
        ("missed 2", "100 cents off", "one cent off", "no tolerance"),
    ),
    ("owners' names", owners_instead_of_ids, ("owners' names, not account ids", "row['account']")),
    (
        "the notebook's float_report read instead of rows",
        reads_the_notebooks_report,
        ("empty report", "argument rows", "float_report"),
    ),
    ("the name of the function", "find_lost_cents", ("pass your function itself",)),
]


NOT_SAID = {
    "a tolerance of one cent": ("int(float(", "decimal_units_to_cents (exact)"),
    "owners' names": ("decimal_units_to_cents", "Compare numbers of cents"),
}
"""Advice about a neighbouring mistake that these answers do not make."""


@pytest.mark.parametrize(("answer", "says"), [c[1:] for c in WRONG], ids=[c[0] for c in WRONG])
def test_a_wrong_finder_is_refused_and_told_why(answer, says):
    feedback = review_lost_cents(answer)
    text = str(feedback)
    assert not feedback.passed and text.startswith("not done yet:"), text
    for words in says:
        assert words in text, f"{words!r} missing from:\n{text}"


@pytest.mark.parametrize("name", list(NOT_SAID))
def test_the_feedback_does_not_blame_a_mistake_the_answer_does_not_make(name):
    answer = next(case[1] for case in WRONG if case[0] == name)
    text = str(review_lost_cents(answer))
    for words in NOT_SAID[name]:
        assert words not in text, f"{words!r} should not be in:\n{text}"


@pytest.mark.parametrize("answer", [exact, with_decimal_in_a_loop, rounded_float])
def test_an_exact_comparison_in_any_style_passes(answer):
    feedback = review_lost_cents(answer)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("well done:")


def test_the_catalogue_holds_at_least_eight_wrong_answers():
    assert len(WRONG) >= 8
