"""A catalogue of retry handlers students write, and what the check must say about each.

The check runs ``deposit_with_retry`` against a real store with a rival writer that wins some
races. Every wrong handler below is one a student handed in (or one the check once praised by
mistake: a fixed count of three tries, the account from a losing try returned, the caller's
reference dropped, a swallowed conflict); each must be refused with feedback that names the
mistake. The right handlers are written in different styles, and each must be accepted.
"""

from __future__ import annotations

import pytest

from helpers.errors import ConcurrencyError
from helpers.teaching.exercises.retry_on_conflict import review_retry

# --- right handlers ----------------------------------------------------------------------


def worked_solution(repo, account_id, amount, reference, attempts=3):
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    for attempt in range(1, attempts + 1):
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
            return account
        except ConcurrencyError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def while_loop_with_a_counter(repo, account_id, amount, reference, attempts=3):
    if attempts <= 0:
        raise ValueError("no attempts allowed")
    tries = 0
    while True:
        tries += 1
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
        except ConcurrencyError:
            if tries >= attempts:
                raise
            continue
        return account


def recursive(repo, account_id, amount, reference, attempts=3):
    if attempts < 1:
        raise ValueError("attempts must be positive")
    account = repo.load(account_id)
    account.deposit(amount, reference)
    try:
        repo.save(account)
    except ConcurrencyError:
        if attempts == 1:
            raise
        return recursive(repo, account_id, amount, reference, attempts - 1)
    return account


def keeps_the_last_error_and_reraises_it(repo, account_id, amount, reference, attempts=3):
    if attempts < 1:
        raise ValueError("attempts < 1")
    last = None
    for _ in range(attempts):
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
            return account
        except ConcurrencyError as error:
            last = error
    raise last


RIGHT = [
    worked_solution,
    while_loop_with_a_counter,
    recursive,
    keeps_the_last_error_and_reraises_it,
]

# --- wrong handlers ----------------------------------------------------------------------


def starter_without_retry(repo, account_id, amount, reference, attempts=3):
    account = repo.load(account_id)
    account.deposit(amount, reference)
    repo.save(account)
    return account


def retries_the_stale_copy(repo, account_id, amount, reference, attempts=3):
    account = repo.load(account_id)
    account.deposit(amount, reference)
    for attempt in range(1, attempts + 1):
        try:
            repo.save(account)
            return account
        except ConcurrencyError:
            if attempt == attempts:
                raise
    return None


def retries_for_ever(repo, account_id, amount, reference, attempts=3):
    while True:
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
            return account
        except ConcurrencyError:
            continue


def gives_up_silently(repo, account_id, amount, reference, attempts=3):
    for _ in range(attempts):
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
            return account
        except ConcurrencyError:
            pass
    return None


def retries_any_error(repo, account_id, amount, reference, attempts=3):
    for attempt in range(1, attempts + 1):
        try:
            account = repo.load(account_id)
            account.deposit(amount, reference)
            repo.save(account)
            return account
        except Exception:
            if attempt == attempts:
                raise
    return None


def deposits_twice(repo, account_id, amount, reference, attempts=3):
    account = repo.load(account_id)
    account.deposit(amount, reference)
    try:
        repo.save(account)
    except ConcurrencyError:
        fresh = repo.load(account_id)
        fresh.deposit(amount, reference)
        fresh.deposit(amount, reference + " (again)")
        repo.save(fresh)
        return fresh
    return account


def one_try_too_many(repo, account_id, amount, reference, attempts=3):
    return worked_solution(repo, account_id, amount, reference, attempts=attempts + 1)


def one_try_too_few(repo, account_id, amount, reference, attempts=3):
    return worked_solution(repo, account_id, amount, reference, attempts=max(1, attempts - 1))


def ignores_attempts(repo, account_id, amount, reference, attempts=3):
    if attempts < 1:
        raise ValueError("attempts")
    for attempt in range(3):
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
            return account
        except ConcurrencyError:
            if attempt == 2:
                raise
    return None


def returns_the_account_of_the_losing_try(repo, account_id, amount, reference, attempts=3):
    if attempts < 1:
        raise ValueError("attempts")
    first = repo.load(account_id)
    first.deposit(amount, reference)
    try:
        repo.save(first)
    except ConcurrencyError:
        worked_solution(repo, account_id, amount, reference, attempts - 1 or 1)
    return first


def drops_the_callers_reference(repo, account_id, amount, reference, attempts=3):
    return worked_solution(repo, account_id, amount, "retry", attempts)


def swallows_the_first_conflict(repo, account_id, amount, reference, attempts=3):
    account = repo.load(account_id)
    account.deposit(amount, reference)
    try:
        repo.save(account)
    except ConcurrencyError:
        return None
    return account


def returns_none_for_no_attempts(repo, account_id, amount, reference, attempts=3):
    for attempt in range(1, attempts + 1):
        account = repo.load(account_id)
        account.deposit(amount, reference)
        try:
            repo.save(account)
            return account
        except ConcurrencyError:
            if attempt == attempts:
                raise
    return None


def saves_once_even_with_no_attempts(repo, account_id, amount, reference, attempts=3):
    return worked_solution(repo, account_id, amount, reference, max(1, attempts))


def wraps_the_conflict_in_runtime_error(repo, account_id, amount, reference, attempts=3):
    try:
        return worked_solution(repo, account_id, amount, reference, attempts)
    except ConcurrencyError as error:
        raise RuntimeError("could not save") from error


def returns_true(repo, account_id, amount, reference, attempts=3):
    worked_solution(repo, account_id, amount, reference, attempts)
    return True


def turns_the_refusal_into_value_error(repo, account_id, amount, reference, attempts=3):
    if amount <= 0:
        raise ValueError("amount must be positive")
    return worked_solution(repo, account_id, amount, reference, attempts)


def changed_signature(repo, account_id, amount, reference):
    return worked_solution(repo, account_id, amount, reference)


WRONG = {
    starter_without_retry: ["the first lost race escaped"],
    retries_the_stale_copy: ["Load again before each retry"],
    retries_for_ever: ["was still going: stop after attempts=3"],
    gives_up_silently: ["returned None without an error", "Let the last ConcurrencyError"],
    retries_any_error: ["you retried a command the account refused"],
    deposits_twice: ["the deposit is stored twice"],
    one_try_too_many: ["try exactly 3 saves; yours tried 4"],
    one_try_too_few: ["try exactly 3 saves; yours tried 2"],
    ignores_attempts: [
        "with attempts=5, try exactly 5 saves; yours tried 3",
        "use the `attempts` parameter",
    ],
    returns_the_account_of_the_losing_try: [
        "after one lost race",
        "balance 10500",
        "the store holds balance 10507",
        "not one from a try that lost",
    ],
    drops_the_callers_reference: [
        "'retry'",
        "not the caller's 'request-4711'",
        "pass `reference` through",
    ],
    swallows_the_first_conflict: ["swallowed the ConcurrencyError", "without retrying"],
    returns_none_for_no_attempts: ["with attempts=0", "raise ValueError before loading"],
    saves_once_even_with_no_attempts: ["with attempts=0 your function saved 1 times"],
    wraps_the_conflict_in_runtime_error: ["raise the ConcurrencyError, not RuntimeError"],
    returns_true: ["returned True", "return the account you saved"],
    turns_the_refusal_into_value_error: [
        "must reach the caller as AmountNotPositive",
        "ValueError",
    ],
    changed_signature: ["keep the signature of the starter"],
    "deposit_with_retry": ["pass your function itself, not str"],
}


@pytest.mark.parametrize("handler", RIGHT, ids=lambda f: f.__name__)
def test_a_right_handler_is_well_done(handler):
    feedback = review_retry(handler)
    assert feedback.passed and feedback.verdict == "well done", feedback
    assert feedback.not_checked == []
    assert "attempts=0 is refused with ValueError" in str(feedback)


@pytest.mark.parametrize(
    ("handler", "key_words"),
    list(WRONG.items()),
    ids=lambda value: getattr(value, "__name__", None) or (value if isinstance(value, str) else ""),
)
def test_a_wrong_handler_is_not_done_and_the_feedback_names_its_mistake(handler, key_words):
    feedback = review_retry(handler)
    assert not feedback.passed and feedback.verdict == "not done yet", feedback
    for words in key_words:
        assert words in str(feedback), (words, str(feedback))


def test_the_catalogue_holds_at_least_fifteen_wrong_and_three_right_handlers():
    assert len(WRONG) >= 15 and len(RIGHT) >= 3
