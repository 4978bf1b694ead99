"""Exercise check (07): write the next link of the upcaster chain, and put the chain in order.

Release 3 renames ``reference`` to ``memo`` in ``MoneyDeposited``. The student writes the
upcaster from version 2 to version 3 and lists the functions a version-1 row passes through,
in order. The check runs the function on version-2 payloads it has never shown (so a memo
copied from the notebook fails), and runs the whole chain on a real version-1 row from the
committed legacy history.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from helpers.storage.upcasters import money_event_v1_to_v2, state_v1_to_v2
from helpers.teaching.exercises.feedback import Feedback

SAMPLES: tuple[dict[str, Any], ...] = (
    {
        "account_id": "acc-grace",
        "version": 49,
        "occurred_at": "2026-02-03T10:15:00Z",
        "amount": 4_250,
        "reference": "invoice 2026-017",
    },
    {
        "account_id": "acc-ken",
        "version": 25,
        "occurred_at": "2026-02-04T08:00:00Z",
        "amount": 1,
        "reference": "",
    },
)
"""Version-2 deposits the notebook never shows: a real reference, and an empty one."""

LEGACY_ROW = {
    "account_id": "acc-ada",
    "version": 2,
    "occurred_at": "2025-03-03T18:17:00Z",
    "amount": "83.71",
    "reference": "dep-0000001",
}
"""Ada's first deposit exactly as release 1 stored it (``data/legacy/events.jsonl``)."""

LEGACY_AS_V3 = {
    "account_id": "acc-ada",
    "version": 2,
    "occurred_at": "2025-03-03T18:17:00Z",
    "amount": 8_371,
    "memo": "dep-0000001",
}


def review_upcaster(upcaster: object, chain: object) -> Feedback:
    """Judge the v2-to-v3 upcaster on unseen payloads, then the chain on a version-1 row."""
    if not callable(upcaster):
        return Feedback(
            False, [f"pass your function itself, not {type(upcaster).__name__} {upcaster!r}."]
        )
    for sample in SAMPLES:
        problems = _upcast_problems(upcaster, sample)
        if problems:
            return Feedback(False, problems)
    problems = _chain_problems(upcaster, chain)
    if problems:
        return Feedback(False, problems)
    return Feedback(
        True,
        [
            "your upcaster renames reference to memo and leaves every other field as it was, "
            "on deposits it had never seen;",
            "your chain reads Ada's release-1 deposit ('83.71') as 8371 cents with a memo: "
            "oldest step first, each step exactly one version.",
        ],
    )


def check_upcaster(upcaster: object, chain: object) -> None:
    """Print the feedback (what the notebook's check cell calls)."""
    print(review_upcaster(upcaster, chain))


def _call(step: Callable, data: dict[str, Any]) -> tuple[object, str]:
    try:
        return step(copy.deepcopy(data)), ""
    except Exception as error:  # the student's code may fail in any way
        name = getattr(step, "__name__", "your function")
        return None, f"{name} raised {type(error).__name__}: {error}"


def _changed_input(upcaster: Callable, sample: dict[str, Any]) -> str:
    """How the upcaster changed the dict it was given, or '' if it left it alone."""
    given = copy.deepcopy(sample)
    try:
        upcaster(given)
    except Exception:  # reported by _call already
        return ""
    if given == sample:
        return ""
    lost = [key for key in sample if key not in given]
    gained = [key for key in given if key not in sample]
    changed = [key for key in sample if key in given and given[key] != sample[key]]
    parts = [
        f"{what} {', '.join(map(repr, keys))}"
        for what, keys in (("lost", lost), ("gained", gained), ("changed", changed))
        if keys
    ]
    return " and ".join(parts)


def _upcast_problems(upcaster: Callable, sample: dict[str, Any]) -> list[str]:
    result, error = _call(upcaster, sample)
    shown = f"a version-2 deposit with reference {sample['reference']!r}"
    if error:
        return [
            f"{error} on {shown}. A version-2 payload has 'reference' and no 'memo' yet: "
            "read the old key, write the new one."
        ]
    if result is None:
        return [
            f"your upcaster returned None on {shown}. Return the new payload: the codec builds "
            "the event from what the upcaster returns."
        ]
    if not isinstance(result, dict):
        return [
            f"your upcaster returned a {type(result).__name__}; return a dict (the JSON object "
            "as Python sees it), which the next step or the codec takes from there."
        ]
    problems = _shape_problems(result, sample)
    changed = _changed_input(upcaster, sample)
    if changed:
        problems.append(
            f"your upcaster changed the dict it was given: afterwards that payload had "
            f"{changed}. Whoever called it still holds that dict - as the notebook's "
            "registry.upcast(..., old_shape) does - and now sees a shape that was never "
            "stored. Build a new dict ({**data}, or dict(data) first) and change that one."
        )
    return problems


def _shape_problems(result: dict[str, Any], sample: dict[str, Any]) -> list[str]:
    problems = []
    if "memo" not in result:
        problems.append("the result has no 'memo': version 3 calls the deposit's text memo.")
    elif result["memo"] != sample["reference"]:
        problems.append(
            f"memo is {result['memo']!r}, but the deposit's reference was "
            f"{sample['reference']!r}: carry the text over unchanged, whatever it is."
        )
    if "reference" in result:
        problems.append(
            "the result still has 'reference': in version 3 the field is called memo, so a "
            "leftover key no longer matches the event's fields."
        )
    if "amount" in result and result["amount"] != sample["amount"]:
        problems.append(
            f"the amount changed from {sample['amount']!r} to {result['amount']!r}: the step "
            "from 1 to 2 already made it cents, and this step only renames a field."
        )
    lost = [key for key in sample if key not in result and key != "reference"]
    if lost:
        problems.append(
            f"the result lost {', '.join(map(repr, lost))}: keep every field you do not "
            "rename, e.g. start from {**data}."
        )
    extra = [key for key in result if key not in sample and key != "memo"]
    if extra:
        problems.append(
            f"the result gained {', '.join(map(repr, extra))}: version 3 only renames one "
            "field (the schema version is stored beside the payload, not inside it)."
        )
    return problems


def _chain_problems(upcaster: Callable, chain: object) -> list[str]:
    if not isinstance(chain, list | tuple) or not chain:
        return [
            "upcaster_chain should list the functions a version-1 row passes through, in "
            f"order, e.g. [first, second]; got {chain!r}."
        ]
    if not all(callable(step) for step in chain):
        return [
            "list the functions themselves in upcaster_chain (money_event_v1_to_v2, not the "
            "text 'money_event_v1_to_v2')."
        ]
    if any(step is state_v1_to_v2 for step in chain):
        return [
            "state_v1_to_v2 is the snapshot's upcaster: a stored event never passes through "
            "it. Events have their own chain."
        ]
    if list(chain) == [upcaster, money_event_v1_to_v2]:
        return [
            "the chain runs backwards: a version-1 row meets the oldest step first (1 to 2), "
            "then 2 to 3. Each step expects exactly the version the one before it produced."
        ]
    if list(chain) == [upcaster]:
        return _chain_of_one(upcaster)
    if list(chain) != [money_event_v1_to_v2, upcaster]:
        return [
            "upcaster_chain should hold two functions: the existing step from 1 to 2 "
            "(money_event_v1_to_v2) and yours, each once."
        ]
    result = LEGACY_ROW
    for step in chain:
        result, error = _call(step, result)
        if error:
            return [f"{error} on Ada's release-1 deposit."]
    if result != LEGACY_AS_V3:
        return [f"the chain turns Ada's release-1 deposit into {result!r}, not {LEGACY_AS_V3!r}."]
    return []


def _chain_of_one(upcaster: Callable) -> list[str]:
    """A chain that lists only the student's step: say what that step does to a version-1 row."""
    result, error = _call(upcaster, LEGACY_ROW)
    if not error and result == LEGACY_AS_V3:
        return [
            "your chain lists one function, and your upcaster does the step from 1 to 2 "
            "itself (it turned '83.71' into 8371). Each upcaster is registered for one stored "
            "version and does one step: the codec runs money_event_v1_to_v2 on a version-1 "
            "row, then your step on the version-2 result. List both, oldest first: "
            "[money_event_v1_to_v2, your function]."
        ]
    return [
        "a version-1 row's amount is still the text '83.71': it must pass through "
        "money_event_v1_to_v2 first, then through your step."
    ]
