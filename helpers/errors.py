"""Every error the pack raises, in one family, so callers can catch a whole group.

Three branches hang off :class:`RebuildLabError`:

* :class:`InvariantViolation` - the domain refused a command; nothing was recorded.
* :class:`InvalidHistory` - ``evolve`` was given an event that cannot follow the state: the
  history is broken, not the command. Stores report it as a :class:`CorruptRecord`.
* :class:`PersistenceError` - the store refused to read or write; nothing stored changed.

Every error about one stored row (:class:`CorruptRecord`, :class:`SchemaVersionError`,
:class:`UnknownEventType`, :class:`StaleSnapshot`) names the table, the account and the
version once the store knows them, in ``table``, ``account_id`` and ``version`` and in the
message, so that a reader can find the row with one query.

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


# --- a history that cannot be folded ------------------------------------------------------


class InvalidHistory(RebuildLabError):
    """``evolve`` refused an event: it cannot follow the state it was given.

    Not an ``InvariantViolation``: a command handler that catches refused commands to show a
    message must not also swallow a corrupt history. Stores report it as a ``CorruptRecord``
    naming the row where the history breaks.
    """


class OutOfOrderEvent(InvalidHistory):
    """An event's version does not follow the state's version: a gap or a duplicate in history."""


class AccountAlreadyOpen(OutOfOrderEvent):
    """An account is opened once; a second AccountOpened event is refused.

    Only replay (``evolve``) can meet a second opening, so it is a history out of order: a
    subclass of ``OutOfOrderEvent``, which stores report as a ``CorruptRecord`` naming the row.
    """


class NotAnAccountEvent(InvalidHistory, TypeError):
    """``evolve`` was given something that is not one of the Account's events.

    Also a ``TypeError``, which is what it is in Python's terms, so code that caught that
    still does.
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


def where_stored(table: str, account_id: str, version: object) -> str:
    """How every error about a stored row names it: table, account and version."""
    return f"in table {table!r} for account {account_id!r} at version {version}"


class StoredRowError(PersistenceError):
    """An error about one stored row. ``table``, ``account_id`` and ``version`` name it.

    A codec raises these without knowing the row (it sees only a type name and a payload);
    the store that read the row calls :meth:`at_row`, which returns the same error with the
    row named in its attributes and in its message.
    """

    table: str | None = None
    account_id: str | None = None
    version: object = None

    def _locate(self, table: str | None, account_id: str | None, version: object) -> str:
        """Store the row's keys; return the words that name it ('' when it is not known)."""
        self.table, self.account_id, self.version = table, account_id, version
        if table is None or account_id is None:
            return ""
        return " " + where_stored(table, account_id, version)

    def at_row(self, table: str, account_id: str, version: object) -> StoredRowError:
        """This error again, naming the row it was raised for."""
        raise NotImplementedError


class UnknownEventType(StoredRowError):
    """The codec has no class registered under this event type name."""

    def __init__(
        self,
        type_name: object,
        known: list[str] | None = None,
        *,
        table: str | None = None,
        account_id: str | None = None,
        version: object = None,
    ) -> None:
        self.type_name = type_name
        self.known = known
        known_text = f"; known types: {', '.join(sorted(known))}" if known else ""
        where = self._locate(table, account_id, version)
        super().__init__(
            f"unknown event type {type_name!r}{where}: register it with the codec before "
            f"storing or loading it{known_text}"
        )

    def at_row(self, table: str, account_id: str, version: object) -> UnknownEventType:
        return UnknownEventType(
            self.type_name, self.known, table=table, account_id=account_id, version=version
        )


class CorruptRecord(StoredRowError):
    """A stored row cannot be decoded (bad JSON, missing fields, wrong types)."""

    def __init__(self, table: str, account_id: str, version: object, reason: str) -> None:
        self.reason = reason
        self._locate(table, account_id, version)
        super().__init__(
            f"corrupt record {where_stored(table, account_id, version)}: {reason}. "
            "The row was left untouched; repair or restore it."
        )

    def at_row(self, table: str, account_id: str, version: object) -> CorruptRecord:
        return CorruptRecord(table, account_id, version, self.reason)


class SchemaVersionError(StoredRowError):
    """A record was written by newer code than this one; refusing beats guessing."""

    def __init__(
        self,
        what: str,
        found: object,
        newest_known: int,
        *,
        table: str | None = None,
        account_id: str | None = None,
        version: object = None,
    ) -> None:
        self.what = what
        self.found = found
        self.newest_known = newest_known
        where = self._locate(table, account_id, version)
        super().__init__(
            f"{what}{where} has schema version {found}, but this code understands versions "
            f"up to {newest_known}. Upgrade the code; nothing was read or rewritten."
        )

    def at_row(self, table: str, account_id: str, version: object) -> SchemaVersionError:
        return SchemaVersionError(
            self.what,
            self.found,
            self.newest_known,
            table=table,
            account_id=account_id,
            version=version,
        )


class StaleSnapshot(StoredRowError):
    """A snapshot was written in an older state shape and nothing brings it forward."""

    def __init__(
        self,
        found: int,
        current: int,
        *,
        table: str | None = None,
        account_id: str | None = None,
        version: object = None,
    ) -> None:
        self.found = found
        self.current = current
        where = self._locate(table, account_id, version)
        super().__init__(
            f"snapshot{where} has state schema version {found}, the code now writes version "
            f"{current}, and no state upcaster is registered from version {found}: "
            "rebuild it from events, or migrate the rows"
        )

    def at_row(self, table: str, account_id: str, version: object) -> StaleSnapshot:
        return StaleSnapshot(
            self.found, self.current, table=table, account_id=account_id, version=version
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


# --- the database engine ------------------------------------------------------------------


class StoreBusy(PersistenceError):
    """Another connection held the write lock for longer than this one was willing to wait.

    ``setting`` names the engine's own word for that wait: SQLite's ``busy timeout``, or
    PostgreSQL's ``lock_timeout``.
    """

    def __init__(
        self, location: str, timeout_seconds: float, *, setting: str = "busy timeout"
    ) -> None:
        self.location = location
        self.timeout_seconds = timeout_seconds
        self.setting = setting
        super().__init__(
            f"the store {location} is locked: another connection or process has held its "
            f"write lock for longer than the {setting} ({timeout_seconds:g} s), so this "
            "write gave up before changing anything. Find what holds it open (a SQL shell "
            "left inside BEGIN, a long migration, a program paused in a debugger), let it "
            f"finish, and try again; if such long writes are expected, raise the {setting}."
        )


class StoreFull(PersistenceError):
    """The disk (or the store's size limit) is full; the transaction was rolled back."""

    def __init__(self, location: str, detail: str) -> None:
        self.location = location
        super().__init__(
            f"the store {location} is full ({detail}): the transaction was rolled back and "
            "nothing was written. Free disk space (or raise the size limit) and save again."
        )


ROLLED_BACK = "Any open transaction was rolled back, so nothing was written"
"""What a ``StoreFailure`` says happened to the work, unless the engine knows otherwise."""

CHECK_THE_FILE = "check the file, its folder's permissions and the disk"
"""What a ``StoreFailure`` advises for a file; a server engine names what to check there."""


class StoreFailure(PersistenceError):
    """The database engine failed an operation: an I/O error, a read-only or damaged file,
    a constraint checked at commit, or a connection to a server that was lost.

    ``outcome`` says what became of the work (by default: rolled back, nothing written). A
    connection lost *while committing* is the one case where nobody can say: the engine then
    passes an outcome that says so, because a message claiming "nothing was written" would
    invite a blind retry. ``advice`` says what to check.
    """

    def __init__(
        self,
        location: str,
        detail: str,
        *,
        outcome: str = ROLLED_BACK,
        advice: str = CHECK_THE_FILE,
    ) -> None:
        self.location = location
        self.detail = detail
        self.outcome = outcome
        super().__init__(f"the store {location} failed: {detail}. {outcome}; {advice}.")


class UnreadableRow(PersistenceError):
    """The driver could not read a stored value (say, text that is not valid UTF-8).

    Raised by an engine, which does not know which row it was reading; a store turns it into
    a ``CorruptRecord`` naming the row.
    """

    def __init__(self, location: str, detail: str) -> None:
        self.location = location
        self.detail = detail
        super().__init__(f"the store {location} holds a value that cannot be read: {detail}")
