"""The fast replay of the msgspec codec is the plain replay, only faster.

``MsgspecCodec.fold_rows`` adds deposits and withdrawals up without building an event or a
state per row; ``CodecBase.fold_rows`` decodes every row and applies it with ``evolve``. For
any history, damaged in any way a stored history can be, both must give the same state and
the same count, or raise the same error for the same row.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.domain.state import fold
from helpers.samples.workload import build_account
from helpers.storage.codec import BadRow, CodecBase
from helpers.storage.codec_msgspec import MsgspecCodec

ACCOUNT = "acc-1"


def _rows(length: int, seed: int) -> list[list]:
    codec = MsgspecCodec()
    events = build_account(ACCOUNT, length, seed=seed).pending_events
    return [[event.version, *codec.encode_event(event)] for event in events]


def _edit_payload(row: list, change) -> None:
    try:
        data = json.loads(row[3])
    except ValueError:
        return  # already damaged beyond editing (truncated)
    if isinstance(data, dict):
        change(data)
        row[3] = json.dumps(data)


DAMAGE = {
    "wrong version": lambda row, n: _edit_payload(row, lambda d: d.update(version=n)),
    "other account": lambda row, n: _edit_payload(row, lambda d: d.update(account_id="acc-2")),
    "float amount": lambda row, n: _edit_payload(row, lambda d: d.update(amount=1.5)),
    "text amount": lambda row, n: _edit_payload(row, lambda d: d.update(amount="12.50")),
    "bool amount": lambda row, n: _edit_payload(row, lambda d: d.update(amount=True)),
    "negative amount": lambda row, n: _edit_payload(row, lambda d: d.update(amount=-n)),
    "missing field": lambda row, n: _edit_payload(row, lambda d: d.pop("version", None)),
    "extra field": lambda row, n: _edit_payload(row, lambda d: d.update(note="x")),
    "bad timestamp": lambda row, n: _edit_payload(row, lambda d: d.update(occurred_at="soon")),
    "truncated json": lambda row, n: row.__setitem__(3, row[3][: max(1, n % len(row[3]))]),
    "not an object": lambda row, n: row.__setitem__(3, "[1, 2]"),
    "swapped type": lambda row, n: row.__setitem__(
        1, "MoneyWithdrawn" if row[1] == "MoneyDeposited" else "MoneyDeposited"
    ),
    "frozen instead": lambda row, n: row.__setitem__(1, "AccountFrozen"),
    "old schema": lambda row, n: row.__setitem__(2, 1),
    "future schema": lambda row, n: row.__setitem__(2, 9),
    "unknown type": lambda row, n: row.__setitem__(1, "MoneyTeleported"),
    "row key moved": lambda row, n: row.__setitem__(0, row[0] + n),
}


@st.composite
def damaged_histories(draw):
    """A generated history, a starting point inside it, and zero to three damages."""
    length = draw(st.integers(1, 60))
    rows = _rows(length, draw(st.integers(0, 10_000)))
    for _ in range(draw(st.integers(0, 3))):
        if not rows:
            break
        index = draw(st.integers(0, len(rows) - 1))
        kind = draw(st.sampled_from([*DAMAGE, "drop row", "duplicate row", "swap rows"]))
        if kind == "drop row":
            del rows[index]
        elif kind == "duplicate row":
            rows.insert(index, list(rows[index]))
        elif kind == "swap rows":
            other = draw(st.integers(0, len(rows) - 1))
            rows[index], rows[other] = rows[other], rows[index]
        else:
            DAMAGE[kind](rows[index], draw(st.integers(1, 5)))
    start = draw(st.integers(0, length))
    return rows, start


def _outcome(fold_rows, rows, start: int):
    """What a replay gives: ("ok", state, count) or ("error", type, message, version, cause)."""
    codec = MsgspecCodec()
    head = [tuple(row) for row in rows[:start]]
    try:
        state = fold(codec.decode_event(*row[1:]) for row in head) if head else None
    except Exception:  # a damaged prefix: start from nothing instead
        state, start = None, 0
    tail = (tuple(row) for row in rows[start:])
    try:
        after, applied = fold_rows(codec, tail, state, ACCOUNT)
    except BadRow as error:
        return ("error", BadRow, error.reason, error.version, type(error.__cause__))
    except Exception as error:  # whatever escapes, both folds must let the same through
        return ("error", type(error), str(error), None, None)
    return ("ok", after, applied)


@settings(max_examples=300)  # about 3 s: every kind of damage turns up several times
@given(damaged_histories())
def test_the_fast_fold_gives_the_plain_folds_state_or_the_same_error_for_the_same_row(case):
    rows, start = case
    fast = _outcome(MsgspecCodec.fold_rows, rows, start)
    plain = _outcome(CodecBase.fold_rows, rows, start)
    assert fast == plain


@given(st.integers(1, 400), st.integers(0, 1_000))
def test_the_fast_fold_of_an_undamaged_history_is_the_state_the_commands_made(length, seed):
    account = build_account(ACCOUNT, length, seed=seed)
    codec = MsgspecCodec()
    rows = [(event.version, *codec.encode_event(event)) for event in account.pending_events]
    state, applied = codec.fold_rows(iter(rows), None, ACCOUNT)
    assert (state, applied) == (account.state, length)


def test_a_row_of_another_account_is_refused_at_its_own_version_by_both_folds():
    rows = _rows(30, seed=4)
    _edit_payload(rows[17], lambda d: d.update(account_id="acc-2"))
    for fold_rows in (MsgspecCodec.fold_rows, CodecBase.fold_rows):
        outcome = _outcome(fold_rows, rows, 0)
        assert outcome[0] == "error" and outcome[3] == 18
        assert "acc-2" in outcome[2]


def test_a_payload_stored_under_another_version_is_refused_by_both_folds():
    rows = _rows(30, seed=4)
    rows[20][0] = 99
    for fold_rows in (MsgspecCodec.fold_rows, CodecBase.fold_rows):
        outcome = _outcome(fold_rows, rows, 0)
        assert outcome[0] == "error" and outcome[3] == 99
        assert "stored at version 99" in outcome[2]


def test_a_spy_patched_into_the_store_sees_every_replayed_event_with_either_codec(tmp_path):
    from unittest.mock import patch

    from helpers.domain.state import evolve
    from helpers.storage.codec import JsonCodec
    from helpers.storage.event_store import EventSourcedRepository

    account = build_account(ACCOUNT, 120, seed=2)
    with EventSourcedRepository(tmp_path / "spy.db") as repo:
        repo.save(account)
    for codec in (JsonCodec(), MsgspecCodec()):
        with (
            EventSourcedRepository(tmp_path / "spy.db", codec=codec) as repo,
            patch("helpers.storage.repository.evolve", wraps=evolve) as spy,
        ):
            loaded = repo.load(ACCOUNT)
        assert (loaded.state, spy.call_count) == (account.state, 120)
