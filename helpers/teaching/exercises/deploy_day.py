"""Exercise check (07): your own deploy day - read two timings, then estimate a full rebuild.

The notebook times the snapshot rebuild at two history lengths (100 and 400 events per
account) in cells the student runs, and hands the check those measured numbers. The student
says whether the time per event stayed about the same, and estimates how long rebuilding every
snapshot of their own system would take. The check judges that the claim agrees with the
measured numbers, and that the estimate is the arithmetic they imply (accounts x events x time
per event, in hours). A wrong estimate is almost always a unit slip, and the check names the
slip from the size of the error. Whether the accounts and events describe the student's own
system it cannot know: it says so, and says who can.
"""

from __future__ import annotations

import math

from helpers.teaching.exercises.feedback import Feedback

LENGTHS = (100, 400)
"""The two values of N_EVENTS the exercise asks for."""

FLAT = 1.5
"""Times per event within this factor of each other count as "about the same"."""

STEEP = 2.0
"""Beyond this factor, they clearly are not; between FLAT and STEEP either answer is fair."""

SLIPS: tuple[tuple[float, str], ...] = (
    (1e6, "about a million times too large: microseconds were not converted to seconds"),
    (1e3, "about 1,000 times too large: milliseconds were taken for microseconds"),
    (3600, "about 3,600 times too large: that is seconds, not hours"),
    (60, "about 60 times too large: that is minutes, not hours"),
    (1 / 60, "about 60 times too small: the seconds were divided by 60 three times"),
)
"""Factor by which an estimate is off -> the slip that produces it."""

OWN_SYSTEM_ADVICE = "ask a colleague who knows that system's data to check those two numbers"
"""No worked solution knows the student's system: a person who does has to check its size."""


def review_deploy_day(
    us_per_event: object, stays_flat: object, accounts: object, events_each: object, hours: object
) -> Feedback:
    """Judge the claim against the student's own timings, and the estimate's arithmetic."""
    problems = _timing_problems(us_per_event) or _count_problems(accounts, events_each)
    if not problems and not _is_number(hours):
        problems = [f"my_rebuild_hours should be a number of hours, not {hours!r}."]
    if problems:
        return Feedback(False, problems)
    short, long = (float(us_per_event[n]) for n in LENGTHS)  # type: ignore[index]
    problems = [
        *_claim_problems(short, long, stays_flat),
        *_estimate_problems(short, long, int(accounts), int(events_each), float(hours)),  # type: ignore[arg-type]
    ]
    if problems:
        return Feedback(False, problems)
    ratio = long / short
    return Feedback(
        True,
        [
            f"at 400 events a replayed event cost {ratio:.2f} times what it cost at 100, and "
            "your answer about the time per event agrees with that;",
            f"{accounts:,} accounts x {events_each:,} events at your measured rate is "
            f"{_hours(hours)} hours of replay, as you estimated.",
        ],
        not_checked=[
            f"whether {accounts:,} accounts of about {events_each:,} events each describe "
            "your own system"
        ],
        advice=OWN_SYSTEM_ADVICE,
    )


def check_deploy_day(
    us_per_event: object, stays_flat: object, accounts: object, events_each: object, hours: object
) -> None:
    """Print the feedback (what the notebook's check cell calls)."""
    print(review_deploy_day(us_per_event, stays_flat, accounts, events_each, hours))


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _timing_problems(us_per_event: object) -> list[str]:
    if not isinstance(us_per_event, dict) or any(n not in us_per_event for n in LENGTHS):
        return [
            "measured_us_per_event should map 100 and 400 (events per account) to the µs per "
            "event measured for each, e.g. {100: 23.1, 400: 22.7}; the exercise's timing cell "
            f"fills it in, so run that cell again. Got {us_per_event!r}."
        ]
    for n in LENGTHS:
        value = us_per_event[n]
        if not _is_number(value):
            return [
                f"the time per event at N_EVENTS = {n} should be a positive number of µs, "
                f"not {value!r}."
            ]
        if value < 1:
            return [
                f"{value} µs per event at N_EVENTS = {n} is faster than any Python replay: "
                "that looks like seconds. Run the exercise's timing cell again, which stores "
                "µs per event."
            ]
        if value > 10_000:
            return [
                f"{value:,} µs per event at N_EVENTS = {n} is 10 ms per event: that looks "
                "like the whole rebuild's time, or nanoseconds. Run the exercise's timing "
                "cell again, which stores µs per event."
            ]
    return []


def _count_problems(accounts: object, events_each: object) -> list[str]:
    for name, value in (("my_accounts", accounts), ("my_events_each", events_each)):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if not _is_number(value) or not whole:
            return [f"{name} should be a positive whole number, not {value!r}."]
    return []


def _claim_problems(short: float, long: float, stays_flat: object) -> list[str]:
    if not isinstance(stays_flat, bool):
        return [
            f"time_per_event_stays_flat should be True or False, not {stays_flat!r}: did the "
            "time per event stay about the same from 100 to 400 events?"
        ]
    ratio = max(short, long) / min(short, long)
    if stays_flat and ratio >= STEEP:
        return [
            f"you say the time per event stayed about the same, but your own numbers differ "
            f"by a factor of {ratio:.1f} ({short:.1f} and {long:.1f} µs). Run the timing "
            "again: on a busy machine one run can be slow. If the difference stays, say False: "
            "each account's rebuild is one transaction that also writes a snapshot, a cost paid "
            "per account, which weighs more per event when the accounts are short."
        ]
    if not stays_flat and ratio <= FLAT:
        return [
            f"you say the time per event changed, but your own numbers are within a factor "
            f"of {ratio:.2f} ({short:.1f} and {long:.1f} µs): that is about the same. A rebuild "
            "replays every event once, so its cost grows with the number of events, and the "
            "cost per event stays flat."
        ]
    return []


def _estimate_problems(
    short: float, long: float, accounts: int, events_each: int, hours: float
) -> list[str]:
    low, high = sorted(accounts * events_each * us / 3.6e9 for us in (short, long))
    if low / 1.25 <= hours <= high * 1.25:
        return []
    expected = math.sqrt(low * high)
    factor = hours / expected
    for slip, explanation in SLIPS:
        if math.isclose(factor, slip, rel_tol=0.3):
            return [f"your estimate is {explanation} (1 hour = 3,600,000,000 µs)."]
    for count, name in ((accounts, "accounts"), (events_each, "events per account")):
        if count > 1 and math.isclose(factor * count, 1, rel_tol=0.3):
            return [
                f"your estimate is about {count:,} times too small: it leaves out the "
                f"number of {name}. Every event of every account is replayed once."
            ]
    return [
        f"{_hours(hours)} hours does not follow from your numbers: {accounts:,} accounts x "
        f"{events_each:,} events x {short:g} to {long:g} µs per event, converted to hours "
        "(1 hour = 3,600,000,000 µs)."
    ]


def _hours(hours: float) -> str:
    return f"{hours:,.1f}" if hours >= 0.1 else f"{hours:.2g}"
