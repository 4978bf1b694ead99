"""PostgreSQL as the second engine: the same tables and rules as the SQLite file, on a server.

The strategies send the same ``?``-placeholder SQL to both engines; this module supplies what
differs on a server, and why:

Payloads are ``TEXT``, not ``JSONB``
    ``JSONB`` parses the text on the way in and stores a binary tree: keys are reordered,
    whitespace dropped, duplicate keys merged. A row read back is then not the bytes the codec
    wrote, so a payload stored here would differ from the same payload in SQLite, a row
    fingerprint would change on its way through the server, and a damaged row (``{oops``)
    could not even be stored to show how a load reports it. The codec owns the format; the
    database keeps its bytes. ``TEXT`` also costs no parsing on insert. What ``JSONB`` would
    buy - indexing and querying inside payloads - the pack never needs.
Keys and timestamps use ``COLLATE "C"``
    Byte order, as SQLite compares text. A server's default collation (``en_US``, say) sorts
    ``acc-B`` and ``acc-a`` differently, and ``ORDER BY account_id`` would then disagree
    between the engines.
One writer at a time: ``LOCK TABLE ... IN EXCLUSIVE MODE``
    :meth:`PostgresDatabase.transaction` opens a transaction and takes that lock on the pack's
    tables before anything else (one round trip: ``BEGIN; LOCK TABLE ...``), as SQLite's
    ``BEGIN IMMEDIATE`` takes the file's write lock.
    Two writers can then never both read a version and both write after it, so optimistic
    concurrency - the expected version checked inside the transaction, the primary key
    ``(account_id, version)`` underneath - decides who wins. The lock also serialises
    appenders before they read ``MAX(position)``, so positions commit in order and a reader
    of the feed never passes a gap that a slower transaction fills later (the eventsourcing
    library's PostgreSQL recorder locks its events table the same way). ``EXCLUSIVE`` does
    not block ``SELECT``: readers never wait for a writer.
``lock_timeout`` (5 s unless told otherwise)
    A writer waits that long for the lock, then raises :class:`~helpers.errors.StoreBusy`
    naming the server and database, like SQLite's busy timeout:
    ``PostgresDatabase(url, lock_timeout=0.5)``, passed to any repository.
Replay through a server-side cursor
    :meth:`PostgresDatabase.stream` declares a named cursor and fetches ``STREAM_BATCH`` rows
    per round trip, so a client holds one batch, never the whole history: memory stays flat
    at a million events. A plain cursor would copy every row into the client first. The
    statements around the cursor travel with its first and last fetch, so a short history
    costs two round trips, not six.
Positions (layout version 2)
    ``events.position`` is global across accounts, ``COALESCE(MAX(position), 0) + 1`` taken
    under the lock (:meth:`PostgresDatabase.next_event_position`). A row inserted without one
    - by a person with ``psql``, or by code that does not assign positions itself - gets the
    next one from a ``BEFORE INSERT`` trigger. Such an insert also waits for the pack's
    writers (its lock conflicts with theirs), and two of them at once cannot take the same
    position (``UNIQUE``), so no path leaves a gap.
Errors
    Driver failures become the pack's errors here, as the SQLite engine's do, with the
    driver's error kept as the cause and the store named by :func:`describe_url` (server,
    database and schema; never the password): a lock wait past ``lock_timeout`` is
    ``StoreBusy``; ``disk_full`` is ``StoreFull``; a lost connection, a constraint checked
    at commit, an I/O or resource failure on the server, a read-only server or missing
    rights are ``StoreFailure``. The transaction is rolled back and the connection stays
    usable: a lost one is replaced by a new one on the next use. One case differs: a
    connection lost *during* ``COMMIT`` leaves nobody able to say whether the server
    committed, and the error says exactly that instead of "nothing was written" (loading
    again tells; a save retried after a commit that did happen is a ``ConcurrencyError``,
    never a second copy). A mistake in the SQL itself is a bug and stays psycopg's error.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from itertools import count

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict

from helpers.errors import (
    PersistenceError,
    SchemaVersionError,
    StoreBusy,
    StoreFailure,
    StoreFull,
)
from helpers.storage.database import LAYOUT_VERSION, Database, Params

STREAM_BATCH = 500
"""Rows fetched per round trip by a streaming read: memory is one batch, whatever the total."""

LOCK_TIMEOUT = 5.0
"""Seconds a writer waits for another writer's lock before raising ``StoreBusy``."""

CHECK_THE_SERVER = (
    "check that the server is running and reachable, and that this role may use the database"
)
"""What a ``StoreFailure`` on a server advises (a file's says: the file and the disk)."""

OUTCOME_UNKNOWN = (
    "The connection was lost while the server was committing, so this transaction may or "
    "may not have been stored: load the account again before deciding to retry (a save that "
    "did commit makes the retry a ConcurrencyError, never a second copy)"
)
"""What a ``StoreFailure`` says when the connection was lost during ``COMMIT``."""

TABLES = ("meta", "accounts", "events", "snapshots", "corrections")
"""Every table of the pack, in the order the write lock takes them."""

WRITE_LOCK = f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE"

SCHEMA_LOCK_KEY = 7_203_118_406
"""An advisory lock id held while tables are created: concurrent ``CREATE TABLE IF NOT
EXISTS`` of the same table can otherwise fail in PostgreSQL's catalogue."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);
-- Snapshot strategy: one row per account, overwritten on every save.
CREATE TABLE IF NOT EXISTS accounts (
    account_id     TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT NOT NULL,
    saved_at       TEXT COLLATE "C" NOT NULL
);
-- Event strategy: append-only history; the key makes a clashing write impossible.
CREATE TABLE IF NOT EXISTS events (
    account_id     TEXT COLLATE "C" NOT NULL,
    version        INTEGER NOT NULL,
    event_type     TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    occurred_at    TEXT COLLATE "C" NOT NULL,
    payload        TEXT NOT NULL,
    position       BIGINT NOT NULL UNIQUE,
    PRIMARY KEY (account_id, version)
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (account_id, occurred_at);
-- Hybrid strategy: snapshots of the state at some versions, beside the events.
CREATE TABLE IF NOT EXISTS snapshots (
    account_id     TEXT COLLATE "C" NOT NULL,
    version        INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT NOT NULL,
    PRIMARY KEY (account_id, version)
);
-- Manual corrections of an authoritative snapshot: who changed which field, and why.
CREATE TABLE IF NOT EXISTS corrections (
    account_id       TEXT COLLATE "C" NOT NULL,
    snapshot_version INTEGER NOT NULL,
    field            TEXT COLLATE "C" NOT NULL,
    before           TEXT NOT NULL,
    after            TEXT NOT NULL,
    reason           TEXT NOT NULL,
    approved_by      TEXT NOT NULL,
    corrected_at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, snapshot_version, field, corrected_at)
);
CREATE OR REPLACE FUNCTION next_event_position() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.position IS NULL THEN
        NEW.position := (SELECT COALESCE(MAX(position), 0) + 1 FROM events);
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS events_position ON events;
CREATE TRIGGER events_position BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION next_event_position();
"""


class _Session:
    """One thread's connection, and which transaction on it belongs to whom.

    ``writing`` marks the write transaction that :meth:`PostgresDatabase.transaction` opened;
    ``reading`` the read transaction of a stream that opened its own. Each is a fresh object
    per transaction, so a stream that ends late can tell whether its transaction is still the
    current one.
    """

    __slots__ = ("__weakref__", "conn", "reading", "writing")

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.writing: object | None = None
        self.reading: object | None = None

    def status(self) -> pq.TransactionStatus:
        return self.conn.info.transaction_status


class PostgresDatabase(Database):
    """A PostgreSQL database (or one schema of it, named in the URL).

    Safe to share between threads: each thread gets a connection of its own on first use, so
    a thread never sees another thread's uncommitted rows; ``close`` closes all of them.
    ``lock_timeout`` is in seconds (see the module docstring).
    """

    engine = "postgres"

    def __init__(self, url: str, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.url = url
        self.location = describe_url(url)
        self.lock_timeout = lock_timeout
        self._local = threading.local()
        self._sessions: weakref.WeakSet[_Session] = weakref.WeakSet()
        self._sessions_lock = threading.Lock()
        self._closed = False
        self._cursor_names = count(1)

    # --- connections ------------------------------------------------------------------------

    def _session(self) -> _Session:
        """This thread's session; a connection the server dropped is replaced by a new one."""
        session = getattr(self._local, "session", None)
        if session is None or session.conn.closed:
            with self._sessions_lock:
                if self._closed:
                    raise psycopg.InterfaceError(f"{self.location} was closed")
                with self._translated():
                    conn = connect(self.url, lock_timeout=self.lock_timeout)
                session = self._local.session = _Session(conn)
                self._sessions.add(session)
        return session

    @property
    def conn(self) -> psycopg.Connection:
        """The calling thread's connection (autocommit; writes say ``BEGIN`` themselves)."""
        return self._session().conn

    def close(self) -> None:
        with self._sessions_lock:
            self._closed = True
            sessions = list(self._sessions)
        for session in sessions:
            session.conn.close()

    # --- errors -------------------------------------------------------------------------------

    @contextmanager
    def _translated(self, committing: psycopg.Connection | None = None) -> Iterator[None]:
        """Raise the pack's error for a driver failure in the block (see the module docstring).

        ``committing`` is the connection whose ``COMMIT`` the block sends: if it is lost
        meanwhile, nobody can say whether the server committed, and the error says so.
        """
        try:
            yield
        except psycopg.Error as error:
            lost = committing is not None and committing.closed
            pack = pack_error(error, self.location, self.lock_timeout, lost_committing=lost)
            if pack is None:
                raise
            raise pack from error

    # --- the layout ---------------------------------------------------------------------------

    def prepare(self, meta: Mapping[str, str] | None = None) -> dict[str, str]:
        """Tables at the current layout, each ``meta`` key recorded unless already stored;
        returns every ``meta`` value. An existing store is only read."""
        conn = self.conn
        with self._translated():
            create_tables(conn)
            stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        missing = {key: value for key, value in (meta or {}).items() if key not in stored}
        if missing:
            with self.transaction():
                for key, value in missing.items():
                    self.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        (key, value),
                    )
            with self._translated():
                stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        return stored

    def next_event_position(self) -> int:
        """Inside a write transaction: the position for the next appended event. The
        transaction already holds the lock that serialises appenders (see the module
        docstring), so the highest stored position cannot change before the commit."""
        row = self.fetch_one("SELECT COALESCE(MAX(position), 0) FROM events")
        return (row[0] if row else 0) + 1

    # --- writing ------------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[psycopg.Connection]:
        return self._locked_transaction()

    @contextmanager
    def _locked_transaction(self) -> Iterator[psycopg.Connection]:
        """``BEGIN`` and the lock in one round trip; ``COMMIT`` or ``ROLLBACK`` at the end.

        Whatever fails - the lock wait, a statement, the COMMIT itself, the connection - the
        transaction is over when this returns and the next one can start.
        """
        session = self._session()
        if session.writing is not None:
            raise psycopg.ProgrammingError(
                f"{self.location}: a transaction is already open on this connection; finish "
                "it before starting another one"
            )
        self._end_open_read(session)
        conn, token = session.conn, object()
        session.writing = token
        try:
            with self._translated():
                conn.execute(f"BEGIN; {WRITE_LOCK}")
            yield conn
            if session.status() == pq.TransactionStatus.INERROR:
                # COMMIT would quietly roll back: a statement failed and its error was caught.
                raise psycopg.errors.InFailedSqlTransaction(
                    f"{self.location}: a statement in this transaction failed, so nothing of "
                    "it is committed"
                )
        except BaseException as error:
            session.writing = None
            _roll_back(session, error)
            raise
        session.writing = None
        try:
            with self._translated(committing=conn):
                conn.execute("COMMIT")
        except BaseException as error:
            # A COMMIT refused by the server (a deferred constraint) has already ended the
            # transaction; this only makes sure, so the connection is ready for the next one.
            _roll_back(session, error)
            raise

    def execute(self, sql: str, params: Params = ()) -> psycopg.Cursor:
        session = self._session()
        if session.writing is None:
            self._end_open_read(session)
        with self._translated():
            return session.conn.execute(to_pyformat(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        session = self._session()
        if session.writing is None:
            self._end_open_read(session)
        with self._translated(), session.conn.cursor() as cursor:
            cursor.executemany(to_pyformat(sql), rows)

    # --- reading ------------------------------------------------------------------------------

    def stream(self, sql: str, params: Params = ()) -> Iterator[tuple]:
        """Rows from a named server-side cursor, ``STREAM_BATCH`` per round trip.

        A cursor lives inside a transaction: the caller's write transaction if one is open,
        else a read transaction of its own. That one lasts while the rows are being read and
        has the connection to itself: any other use of the connection first ends it, so a
        stream that is left unfinished (an error kept with its traceback, say) can never hold
        a transaction open; reading it further then raises ``ProgrammingError``.

        The first round trip sends ``BEGIN``, ``DECLARE`` and the first ``FETCH`` together,
        the last one ``COMMIT``: a short history costs two round trips, a long one two plus
        one per batch.
        """
        session = self._session()
        if session.writing is not None:
            token, begin = session.writing, ""
        else:
            self._end_open_read(session)
            token, begin = object(), "BEGIN; "
            session.reading = token
        name = f"rebuild_lab_stream_{next(self._cursor_names)}"
        fetch = f"FETCH {STREAM_BATCH} FROM {name}"
        cursor = psycopg.ClientCursor(session.conn)  # several statements and parameters at once
        try:
            with self._translated():
                cursor.execute(
                    f"{begin}DECLARE {name} NO SCROLL CURSOR FOR {to_pyformat(sql)}; {fetch}",
                    tuple(params),
                )
                while cursor.nextset():  # the results of BEGIN and DECLARE come first
                    pass
            while True:
                with self._translated():
                    rows = cursor.fetchall()
                yield from rows
                if len(rows) < STREAM_BATCH:
                    break
                if token is not session.reading and token is not session.writing:
                    raise psycopg.ProgrammingError(
                        f"{self.location}: this read was ended because the connection was "
                        "used for something else before it finished; read it to the end first"
                    )
                with self._translated():
                    cursor.execute(fetch)
        finally:
            self._end_stream(session, name, token)

    def _end_stream(self, session: _Session, name: str, token: object) -> None:
        if session.conn.closed:
            return  # the server ended the cursor and its transaction with the connection
        with self._translated():
            if token is session.reading:
                session.reading = None
                ok = session.status() == pq.TransactionStatus.INTRANS
                session.conn.execute("COMMIT" if ok else "ROLLBACK")
            elif token is session.writing and session.status() == pq.TransactionStatus.INTRANS:
                session.conn.execute(f"CLOSE {name}")

    def _end_open_read(self, session: _Session) -> None:
        """End a stream's read transaction that was left open, before using the connection."""
        if session.reading is None:
            return
        session.reading = None
        if not session.conn.closed and session.status() != pq.TransactionStatus.IDLE:
            with self._translated():
                session.conn.execute("ROLLBACK")


def _roll_back(session: _Session, error: BaseException) -> None:
    """End what is still open after ``error``; the server has already done it after some."""
    conn = session.conn
    if conn.closed or session.status() == pq.TransactionStatus.IDLE:
        return  # a lost connection took its transaction with it; a new one comes on next use
    try:
        conn.execute("ROLLBACK")
    except psycopg.Error as rollback_error:
        error.add_note(f"the rollback failed too: {rollback_error}")


def pack_error(
    error: psycopg.Error, location: str, lock_timeout: float, *, lost_committing: bool = False
) -> PersistenceError | None:
    """The pack's error for a driver failure, or None for a mistake in the SQL itself.

    Decided by the SQLSTATE the server sent (a lost connection has none) and psycopg's
    classes, which follow the DB-API: ``OperationalError`` for the server's and the
    connection's failures, ``IntegrityError`` for a constraint, ``ProgrammingError`` for the
    SQL (left alone, except for missing rights).
    """
    code = error.sqlstate or ""
    if code == "55P03":  # lock_not_available: lock_timeout ran out
        return StoreBusy(location, lock_timeout, setting="lock_timeout")
    if code == "53100":  # disk_full
        return StoreFull(location, _describe(error))
    if lost_committing:
        return StoreFailure(
            location, _describe(error), outcome=OUTCOME_UNKNOWN, advice=CHECK_THE_SERVER
        )
    failed = isinstance(error, psycopg.OperationalError | psycopg.IntegrityError)
    # XX: data corrupted; 58: I/O; 25006: a read-only server; 42501: missing rights.
    if failed or code[:2] in ("XX", "58") or code in ("25006", "42501"):
        return StoreFailure(location, _describe(error), advice=CHECK_THE_SERVER)
    return None


def _describe(error: psycopg.Error) -> str:
    """The server's message and its detail, without the context lines of a function."""
    diag = error.diag
    if not diag.message_primary:
        return str(error).splitlines()[0]  # raised by the client: a lost connection, say
    detail = f" ({diag.message_detail})" if diag.message_detail else ""
    return f"{diag.message_primary}{detail}"


def connect(url: str, *, lock_timeout: float = LOCK_TIMEOUT) -> psycopg.Connection:
    """A connection in autocommit mode, so that a read opens no transaction (and holds no
    snapshot) behind the caller's back; writes say ``BEGIN`` themselves. The lock timeout
    travels with the connection's options, which costs no extra round trip."""
    params = conninfo_to_dict(url)
    options = str(params.get("options") or "")
    timeout = f"-c lock_timeout={max(round(lock_timeout * 1000), 1)}ms"
    params["options"] = f"{options} {timeout}".strip()
    return psycopg.connect(**params, autocommit=True)


def create_tables(conn: psycopg.Connection) -> None:
    """Create the tables if missing and refuse a layout written by newer code.

    The common case - a store that already exists - costs one query.
    """
    found = _layout_version(conn)
    if found == LAYOUT_VERSION:
        return
    if found is not None and found > LAYOUT_VERSION:
        raise SchemaVersionError("database layout", found, LAYOUT_VERSION)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
        conn.execute(SCHEMA)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('layout_version', %s) ON CONFLICT DO NOTHING",
            (str(LAYOUT_VERSION),),
        )
        found = _layout_version(conn)
        if found is not None and found > LAYOUT_VERSION:
            raise SchemaVersionError("database layout", found, LAYOUT_VERSION)


def _layout_version(conn: psycopg.Connection) -> int | None:
    """The stored layout version, or None when there is no ``meta`` table or no entry yet."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'layout_version'").fetchone()
    except psycopg.errors.UndefinedTable:
        return None  # outside a transaction, so the failed query leaves nothing to roll back
    return None if row is None else int(row[0])


_QUOTED_OR_MARK = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|\?|%)""")


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s``, and a literal ``%`` to ``%%``.

    Quoted text (``'...'``, ``"..."``) is left alone, so a ``?`` inside a string literal
    stays a question mark, as it does in SQLite.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return {"?": "%s", "%": "%%"}.get(token, token)

    return _QUOTED_OR_MARK.sub(replace, sql)


def describe_url(url: str) -> str:
    """The URL without its password or socket folder, plus the schema if it names one.

    It appears in error messages and notebook outputs: no secret, no machine path.
    """
    parts = conninfo_to_dict(url)
    host = parts.get("host") or ""
    host = "" if host.startswith("/") else host
    port = f":{parts['port']}" if parts.get("port") and host else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    text = f"postgresql://{user}{host}{port}/{parts.get('dbname', '')}"
    schema = search_path_of(str(parts.get("options") or ""))
    return f"{text} (schema {schema})" if schema else text


def search_path_of(options: str) -> str | None:
    """The schema named by ``-c search_path=...`` in a connection's options, if any."""
    match = re.search(r"search_path\s*=\s*([A-Za-z_][A-Za-z0-9_]*)", options)
    return match.group(1) if match else None
