"""Every error the pack raises, in one family, so callers can catch a whole group.

Two branches hang off :class:`RebuildLabError`:

* :class:`InvariantViolation` - the domain refused a command; nothing was recorded.
* :class:`PersistenceError` - the store refused to read or write; nothing stored changed.

Messages name the offending value and say what to do next, because students read them first.
"""

from __future__ import annotations


class RebuildLabError(Exception):
    """Base class of every error raised by the ``helpers`` package."""


# --- the domain ---------------------------------------------------------------------------


class InvariantViolation(RebuildLabError):
    """A command would break one of the Account's rules, so it was refused."""


class AmountNotPositive(InvariantViolation):
    """Money moves in positive whole cents."""


class OverdraftLimitExceeded(InvariantViolation):
    """A withdrawal would take the balance below minus the overdraft limit."""


class AccountIsFrozen(InvariantViolation):
    """A frozen account refuses deposits and withdrawals until it is unfrozen."""


class AccountIsClosed(InvariantViolation):
    """A closed account refuses every command."""


class BalanceNotZero(InvariantViolation):
    """Only an account whose balance is exactly zero can be closed."""


class InvalidTransition(InvariantViolation):
    """The command makes no sense in the current status (for example unfreezing an open account)."""


class OutOfOrderEvent(InvariantViolation):
    """An event's version does not follow the state's version: a gap or a duplicate in history."""


class AccountAlreadyOpen(OutOfOrderEvent):
    """An account is opened once; a second AccountOpened event is refused.

    Only replay (``evolve``) can meet a second opening, so it is a history out of order: a
    subclass of ``OutOfOrderEvent``, which stores report as a ``CorruptRecord`` naming the row.
    """


# --- persistence --------------------------------------------------------------------------


class PersistenceError(RebuildLabError):
    """The store refused an operation. Stored data is left exactly as it was."""


class ConcurrencyError(PersistenceError):
    """Someone else saved this account after we loaded it (optimistic concurrency)."""

    def __init__(self, account_id: str, expected_version: int, actual_version: int) -> None:
        self.account_id = account_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        if expected_version == 0:
            hint = "a new account expects none; was it opened twice?"
        else:
            hint = "load the account again, re-run the command, and save again"
        super().__init__(
            f"account {account_id!r} is stored at version {actual_version}, but this save "
            f"expected version {expected_version}: {hint}"
        )


class AccountNotFound(PersistenceError, LookupError):
    """No account with this id is stored."""

    def __init__(self, account_id: str, detail: str = "") -> None:
        self.account_id = account_id
        super().__init__(f"no account {account_id!r} is stored{detail}")


class UnknownEventType(PersistenceError):
    """The codec has no class registered under this event type name."""

    def __init__(self, type_name: str, known: list[str] | None = None) -> None:
        self.type_name = type_name
        known_text = f"; known types: {', '.join(sorted(known))}" if known else ""
        super().__init__(
            f"unknown event type {type_name!r}: register it with the codec before "
            f"storing or loading it{known_text}"
        )


class CorruptRecord(PersistenceError):
    """A stored row cannot be decoded (bad JSON, missing fields, wrong types)."""

    def __init__(self, table: str, account_id: str, version: int | None, reason: str) -> None:
        self.table = table
        self.account_id = account_id
        self.version = version
        self.reason = reason
        super().__init__(
            f"corrupt record in table {table!r} for account {account_id!r} at version "
            f"{version}: {reason}. The row was left untouched; repair or restore it."
        )


class SchemaVersionError(PersistenceError):
    """A record was written by newer code than this one; refusing beats guessing."""

    def __init__(self, what: str, found: int, newest_known: int) -> None:
        self.what = what
        self.found = found
        self.newest_known = newest_known
        super().__init__(
            f"{what} has schema version {found}, but this code understands versions up to "
            f"{newest_known}. Upgrade the code; nothing was read or rewritten."
        )


class StaleSnapshot(PersistenceError):
    """A snapshot was written in an older state shape and nothing brings it forward."""

    def __init__(self, found: int, current: int) -> None:
        self.found = found
        self.current = current
        super().__init__(
            f"snapshot has state schema version {found}, the code now writes version "
            f"{current}, and no state upcaster is registered from version {found}: "
            "rebuild it from events, or migrate the rows"
        )


class AuthorityMismatch(PersistenceError):
    """The database declares a different authoritative artifact than the one asked for."""

    def __init__(self, stored: str, requested: str) -> None:
        self.stored = stored
        self.requested = requested
        super().__init__(
            f"this database was created with authority={stored!r}, but it was opened with "
            f"authority={requested!r}. The authoritative artifact is a recorded decision: "
            f"open it with authority={stored!r} or migrate deliberately."
        )
