"""Exercise check (07): catch the float migration's lost cents in the dry-run report.

The student writes ``find_lost_cents(rows)``: given ``report.as_rows()`` of a dry run, return
the accounts whose balance the migration would change. The check gives it four reports:

* the float migration of the committed legacy rows (Grace and Alan lose a cent);
* the exact migration of the same rows (nothing may be flagged);
* the float migration of a larger release-1 store the notebook never shows, so answers that
  name Grace and Alan from memory fail;
* a hand-made report in which a balance *gains* a cent, so answers that only look for
  losses fail: a migration that invents money is just as wrong.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from helpers.samples.legacy import create_legacy_database, legacy_rows_at_scale, load_legacy_rows
from helpers.storage.schema_migration import float_state_v1_to_v2, migrate_snapshot_rows
from helpers.storage.sqlite import connect
from helpers.storage.upcasters import decimal_units_to_cents
from helpers.teaching.exercises.feedback import Feedback

Rows = list[dict[str, object]]

UNSEEN_ACCOUNTS = 40
"""Accounts in the release-1 store the notebook never shows (several lose a cent)."""


def changed_balances(rows: Rows) -> set[str]:
    """The reference answer: accounts whose balance after differs from the exact one before."""
    return {
        str(row["account"])
        for row in rows
        if decimal_units_to_cents(json.loads(str(row["stored before"]))["balance"])
        != json.loads(str(row["stored after"]))["balance"]
    }


def dry_run_reports(folder: Path) -> dict[str, Rows]:
    """The reports the check uses, by what each one tests."""
    legacy = folder / "legacy.db"
    create_legacy_database(legacy, snapshot_table="accounts")
    unseen = folder / "unseen.db"
    conn = connect(unseen)
    try:
        for rows in legacy_rows_at_scale(UNSEEN_ACCOUNTS, 12, seed=77):
            load_legacy_rows(conn, rows, snapshot_table="accounts")
    finally:
        conn.close()
    reports = {
        "the float migration of the legacy rows": _dry_run(legacy, float_state_v1_to_v2),
        "the exact migration of the legacy rows": _dry_run(legacy, None),
        "the float migration of a store you have not seen": _dry_run(unseen, float_state_v1_to_v2),
    }
    reports["a report in which a balance gains a cent"] = _with_a_gained_cent(
        reports["the exact migration of the legacy rows"]
    )
    return reports


def _dry_run(path: Path, migration: Callable | None) -> Rows:
    conn = connect(path)
    try:
        options = {} if migration is None else {"migrations": {1: migration}}
        return migrate_snapshot_rows(conn, "accounts", dry_run=True, **options).as_rows()
    finally:
        conn.close()


def _with_a_gained_cent(rows: Rows) -> Rows:
    """The exact report, except that the last account's balance comes out one cent higher."""
    *kept, last = rows
    after = json.loads(str(last["stored after"]))
    after["balance"] += 1
    return [*kept, {**last, "stored after": json.dumps(after, separators=(",", ":"))}]


def review_lost_cents(find_lost_cents: object) -> Feedback:
    """Run the student's function on four dry-run reports and compare with the reference."""
    if not callable(find_lost_cents):
        return Feedback(
            False, [f"pass your function itself, not {type(find_lost_cents).__name__}."]
        )
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-lost-cents-") as folder:
        reports = dry_run_reports(Path(folder))
    ignored = _ignores_its_rows(find_lost_cents)
    if ignored:
        return Feedback(False, [ignored])
    probe = _float_safe_row(reports["the exact migration of the legacy rows"])
    for name, rows in reports.items():
        problem = _judge(find_lost_cents, name, rows, probe)
        if problem:
            return Feedback(False, problem)
    return Feedback(
        True,
        [
            "your function finds Grace and Alan in the float report and nothing in the exact one;",
            "it also finds the right accounts in a store it had never seen, and a balance that "
            "gains a cent as well as one that loses it.",
        ],
    )


def check_lost_cents(find_lost_cents: object) -> None:
    """Print the feedback (what the notebook's check cell calls)."""
    print(review_lost_cents(find_lost_cents))


def _judge(find_lost_cents: Callable, name: str, rows: Rows, probe: dict[str, object]) -> list[str]:
    try:
        found = find_lost_cents([dict(row) for row in rows])
    except Exception as error:  # the student's code may fail in any way
        return [f"on {name}, your function raised {type(error).__name__}: {error}. {_hint(error)}"]
    ids, problem = _as_ids(found)
    if problem:
        return [problem]
    strangers = _not_ids(ids, rows)
    if strangers:
        return [strangers]
    expected = changed_balances(rows)
    if ids == expected:
        return []
    missed, extra = sorted(expected - ids), sorted(ids - expected)
    lines = [f"on {name}, your function returned {sorted(ids)}."]
    if missed:
        lines.append(
            f"it missed {len(missed)} of the {len(expected)} account(s) whose balance changes "
            f"there. {_missed_hint(name, find_lost_cents, probe)}"
        )
    if extra:
        lines.append(
            f"it flagged {extra}, whose balance comes out exactly right. {_extra_hint(name)}"
        )
    return lines


def _missed_hint(name: str, find_lost_cents: Callable, probe: dict[str, object]) -> str:
    if "gains" in name:
        return "A balance that comes out higher is as wrong as one that comes out lower."
    if "not seen" in name:
        return "Work it out from each row's numbers, not from the names in the notebook."
    flagged = {cents: _flags(find_lost_cents, _off_by(probe, cents)) for cents in (-1, 1, 100)}
    if flagged[100] and not (flagged[-1] or flagged[1]):
        return (
            "On a row whose balance comes out 100 cents off, your function flags it; one cent "
            "off, it does not. A single lost cent is exactly the change you are looking for: "
            "flag every difference (before != after), with no tolerance."
        )
    if flagged[-1] and flagged[1]:
        return (
            "It finds a cent lost on a balance that float arithmetic happens to convert "
            "exactly, but not on these: convert the 'stored before' balance with "
            "decimal_units_to_cents (exact), not with int(float(...) * 100), which makes the "
            "very mistake you are looking for."
        )
    return (
        "For each row, compare the 'stored before' balance in cents (json.loads it, then "
        "decimal_units_to_cents(...['balance'])) with the 'stored after' balance, and flag "
        "the account when they differ."
    )


def _float_safe_row(rows: Rows) -> dict[str, object]:
    """A row of the exact report whose balance float arithmetic converts exactly (Ada's)."""
    for row in rows:
        text = json.loads(str(row["stored before"]))["balance"]
        if int(float(text) * 100) == decimal_units_to_cents(text):
            return row
    raise LookupError("no row converts exactly through float")  # the committed rows have four


def _off_by(row: dict[str, object], cents: int) -> Rows:
    """A one-row report in which the row's balance comes out ``cents`` off."""
    after = json.loads(str(row["stored after"]))
    after["balance"] += cents
    return [{**row, "stored after": json.dumps(after, separators=(",", ":"))}]


def _flags(find_lost_cents: Callable, rows: Rows) -> bool:
    try:
        ids, problem = _as_ids(find_lost_cents([dict(row) for row in rows]))
    except Exception:  # the student's code may fail in any way: then it flags nothing
        return False
    return not problem and str(rows[0]["account"]) in ids


def _ignores_its_rows(find_lost_cents: Callable) -> str:
    """Feedback for a function that finds accounts in an empty report, else ''."""
    try:
        found = find_lost_cents([])
    except Exception:  # a function that cannot take an empty list is judged on the reports
        return ""
    ids, problem = _as_ids(found)
    if problem or not ids:
        return ""
    return (
        f"for an empty report (rows=[]), your function returned {sorted(ids)}: it does not "
        "work its answer out from the rows it is given. Read the argument rows - not "
        "float_report, nor names from the notebook - and work the answer out from each "
        "row's numbers."
    )


def _not_ids(ids: set[str], rows: Rows) -> str:
    """Feedback for answers that are not account ids of this report (owners' names), else ''."""
    known = {str(row["account"]) for row in rows}
    strangers = sorted(ids - known)
    if not strangers:
        return ""
    owners = {json.loads(str(row["stored before"])).get("owner") for row in rows}
    what = (
        "owners' names, not account ids"
        if all(name in owners for name in strangers)
        else "not account ids of this report"
    )
    return (
        f"your function returned {strangers}, which are {what}: return each changed row's "
        "row['account'] (such as 'acc-grace')."
    )


def _extra_hint(name: str) -> str:
    compare = "compare numbers of cents, not the texts (the stored text changes in every row)"
    if "exact" in name:
        return (
            "This report is the exact migration, where every balance comes out right: work "
            f"the answer out from each row's numbers, not from names you remember, and {compare}."
        )
    return compare[0].upper() + compare[1:] + "."


def _hint(error: Exception) -> str:
    if isinstance(error, TypeError | AttributeError | KeyError):
        return (
            "rows is report.as_rows(): a list of dicts with the keys 'account', 'version', "
            "'schema', 'stored before' and 'stored after'; the two 'stored' cells are JSON "
            "text, so json.loads them first."
        )
    return "The 'stored' cells are JSON text: json.loads them, then read ['balance']."


def _as_ids(found: object) -> tuple[set[str], str]:
    if isinstance(found, str) or not isinstance(found, Iterable):
        return set(), (
            f"your function returned {found!r} ({type(found).__name__}); return the account "
            "ids it finds, e.g. a set like {'acc-grace', 'acc-alan'}, or an empty one."
        )
    ids = list(found)
    if not all(isinstance(item, str) for item in ids):
        return set(), (
            f"your function returned {ids!r}: return account ids (text such as 'acc-grace'), "
            "not rows or numbers."
        )
    return set(ids), ""
