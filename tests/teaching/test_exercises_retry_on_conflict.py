"""The retry exercise check praises a right answer and names the mistake in each wrong one."""

from __future__ import annotations

from helpers.errors import ConcurrencyError
from helpers.teaching.exercises.retry_on_conflict import review_retry


def worked_solution(repo, account_id, amount, reference, attempts=3):
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


def test_the_worked_solution_is_well_done():
    feedback = review_retry(worked_solution)
    assert feedback.passed and feedback.verdict == "well done", feedback
    assert feedback.not_checked == []


def test_a_handler_without_a_retry_is_told_the_first_lost_race_escaped():
    feedback = review_retry(starter_without_retry)
    assert not feedback.passed
    assert "the first lost race escaped" in str(feedback)


def test_retrying_the_copy_loaded_before_the_race_is_told_to_load_again():
    feedback = review_retry(retries_the_stale_copy)
    assert not feedback.passed
    assert "Load again before each retry" in str(feedback)


def test_an_unbounded_retry_is_stopped_and_told_to_give_up_after_the_attempts():
    feedback = review_retry(retries_for_ever)
    assert not feedback.passed
    assert "was still going: stop after attempts=3" in str(feedback)


def test_giving_up_without_an_error_is_named_as_misleading_the_caller():
    feedback = review_retry(gives_up_silently)
    assert not feedback.passed
    assert "returned None without an error" in str(feedback)


def test_retrying_a_refused_command_is_named():
    feedback = review_retry(retries_any_error)
    assert not feedback.passed
    assert "you retried a command the account refused" in str(feedback)


def test_a_deposit_stored_twice_is_named():
    feedback = review_retry(deposits_twice)
    assert not feedback.passed
    assert "the deposit is stored twice" in str(feedback)


def test_one_save_too_many_is_counted():
    feedback = review_retry(one_try_too_many)
    assert not feedback.passed
    assert "try exactly 3 saves; yours tried 4" in str(feedback)


def test_something_that_is_not_a_function_is_refused_plainly():
    feedback = review_retry("deposit_with_retry")
    assert not feedback.passed
    assert "pass your function itself, not str" in str(feedback)


def test_a_changed_signature_is_named():
    def no_attempts(repo, account_id, amount, reference):
        return worked_solution(repo, account_id, amount, reference)

    feedback = review_retry(no_attempts)
    assert not feedback.passed
    assert "keep the signature of the starter" in str(feedback)
