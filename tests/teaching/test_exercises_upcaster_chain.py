"""07, exercise 1: the upcaster check refuses every broken link and accepts any correct one."""

from __future__ import annotations

import json

import pytest

from helpers.storage.upcasters import money_event_v1_to_v2, state_v1_to_v2
from helpers.teaching.exercises.upcaster_chain import review_upcaster


def renamed(data):
    rest = {key: value for key, value in data.items() if key != "reference"}
    return {**rest, "memo": data["reference"]}


def renamed_with_pop(data):
    data = dict(data)
    data["memo"] = data.pop("reference")
    return data


def renamed_in_place(data):
    data["memo"] = data.pop("reference")
    return data


def starter(data):
    return data


def in_place_returns_nothing(data):
    data["memo"] = data.pop("reference")


def keeps_reference(data):
    return {**data, "memo": data["reference"]}


def memo_copied_from_the_notebook(data):
    rest = {k: v for k, v in data.items() if k != "reference"}
    return {**rest, "memo": "first deposit after the deploy"}


def converts_the_amount_again(data):
    return {**renamed(data), "amount": data["amount"] * 100}


def returns_json_text(data):
    return json.dumps(renamed(data))


def keeps_only_money(data):
    return {"amount": data["amount"], "memo": data["reference"]}


def wrong_direction(data):
    rest = {k: v for k, v in data.items() if k != "memo"}
    return {**rest, "reference": data["memo"]}


def adds_the_schema_version(data):
    return {**renamed(data), "schema_version": 3}


def also_converts_version_1(data):
    # A student's exact answer: one function for every old version, listed alone in the chain.
    if isinstance(data["amount"], str):
        data = money_event_v1_to_v2(data)
    return renamed(data)


def memo_only_when_present(data):
    rest = {k: v for k, v in data.items() if k != "reference"}
    return {**rest, "memo": data["reference"]} if data["reference"] else rest


RIGHT_CHAIN = [money_event_v1_to_v2]  # the student's step is appended per case

WRONG = [
    ("the untouched starter", starter, None, ("no 'memo'", "still has 'reference'")),
    ("changed in place, returns nothing", in_place_returns_nothing, None, ("returned None",)),
    ("keeps the old key", keeps_reference, None, ("still has 'reference'",)),
    (
        "a memo copied from the notebook",
        memo_copied_from_the_notebook,
        None,
        ("memo is 'first deposit after the deploy'", "unchanged"),
    ),
    (
        "the amount converted again",
        converts_the_amount_again,
        None,
        ("amount changed", "only renames"),
    ),
    ("JSON text instead of a dict", returns_json_text, None, ("returned a str", "dict")),
    ("only the money fields kept", keeps_only_money, None, ("lost 'account_id'",)),
    ("renamed the wrong way round", wrong_direction, None, ("KeyError", "'reference'")),
    (
        "the schema version inside the payload",
        adds_the_schema_version,
        None,
        ("gained 'schema_version'",),
    ),
    ("an empty reference dropped", memo_only_when_present, None, ("no 'memo'",)),
    ("a chain that runs backwards", renamed, "backwards", ("backwards", "oldest step first")),
    ("a chain without the first step", renamed, "mine only", ("'83.71'", "first")),
    (
        "a step that also converts version 1, listed alone",
        also_converts_version_1,
        "mine only",
        ("does the step from 1 to 2 itself", "one step", "[money_event_v1_to_v2, your function]"),
    ),
    (
        "renamed in place: the stored payload it was given changes",
        renamed_in_place,
        None,
        ("changed the dict it was given", "lost 'reference'", "gained 'memo'", "{**data}"),
    ),
    ("the snapshot's upcaster in the chain", renamed, "with state", ("snapshot's upcaster",)),
    ("names instead of functions", renamed, "names", ("functions themselves",)),
    ("an empty chain", renamed, "empty", ("in order",)),
    (
        "the text of a function, not the function",
        "def f(data): ...",
        None,
        ("pass your function itself",),
    ),
]

CHAINS = {
    None: lambda mine: [money_event_v1_to_v2, mine],
    "backwards": lambda mine: [mine, money_event_v1_to_v2],
    "mine only": lambda mine: [mine],
    "with state": lambda mine: [state_v1_to_v2, mine],
    "names": lambda mine: ["money_event_v1_to_v2", "money_deposited_v2_to_v3"],
    "empty": lambda mine: [],
}


@pytest.mark.parametrize(
    ("upcaster", "chain", "says"),
    [case[1:] for case in WRONG],
    ids=[case[0] for case in WRONG],
)
def test_a_wrong_upcaster_or_chain_is_refused_and_the_mistake_named(upcaster, chain, says):
    feedback = review_upcaster(upcaster, CHAINS[chain](upcaster))
    text = str(feedback)
    assert not feedback.passed and text.startswith("not done yet:"), text
    for words in says:
        assert words in text, f"{words!r} missing from:\n{text}"


@pytest.mark.parametrize("upcaster", [renamed, renamed_with_pop, also_converts_version_1])
def test_a_right_upcaster_in_any_style_passes_with_the_chain_in_order(upcaster):
    feedback = review_upcaster(upcaster, (money_event_v1_to_v2, upcaster))
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("well done:")
    assert "8371 cents" in str(feedback)


def test_the_catalogue_holds_at_least_eight_wrong_and_two_right_answers():
    assert len(WRONG) >= 8


def test_a_step_that_also_converts_version_1_is_not_told_the_amount_stayed_text():
    text = str(review_upcaster(also_converts_version_1, [also_converts_version_1]))
    assert "still the text" not in text, text
