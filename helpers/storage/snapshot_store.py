"""Strategy 1: persist only the current state - one row per account, overwritten on save.

Simple to explain and cheap to load (one row, whatever the history). What it gives up: the
pending events are dropped at save time, so the store can say *what* the balance is but never
*why*.
"""

from __future__ import annotations

from helpers.domain.account import Account
from helpers.domain.clock import Clock, system_clock
from helpers.errors import AccountNotFound, ConcurrencyError, CorruptRecord, UnreadableRow
from helpers.storage.codec import Codec, format_timestamp
from helpers.storage.repository import Repository, Target


class SnapshotRepository(Repository):
    """Latest state only, in the ``accounts`` table, guarded by optimistic concurrency."""

    strategy = "snapshot"

    def __init__(
        self, target: Target, *, codec: Codec | None = None, clock: Clock = system_clock
    ) -> None:
        super().__init__(target, codec=codec)
        self.clock = clock

    def save(self, account: Account) -> None:
        if not account.pending_events:
            return
        expected = account.stored_version
        schema_version, state_text = self.codec.encode_state(account.state)
        with self.db.transaction():
            row = self.db.fetch_one(
                "SELECT version FROM accounts WHERE account_id = ?", (account.account_id,)
            )
            actual = 0 if row is None else row[0]
            if actual != expected:
                raise ConcurrencyError(account.account_id, expected, actual)
            self.db.execute(
                "INSERT INTO accounts (account_id, version, schema_version, state, saved_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
                "version = excluded.version, schema_version = excluded.schema_version, "
                "state = excluded.state, saved_at = excluded.saved_at",
                (
                    account.account_id,
                    account.version,
                    schema_version,
                    state_text,
                    format_timestamp(self.clock()),
                ),
            )
        account.mark_saved()

    def load(self, account_id: str) -> Account:
        try:
            row = self.db.fetch_one(
                "SELECT version, schema_version, state FROM accounts WHERE account_id = ?",
                (account_id,),
            )
        except UnreadableRow as error:
            (version,) = self.db.fetch_one(
                "SELECT version FROM accounts WHERE account_id = ?", (account_id,)
            ) or (None,)
            raise CorruptRecord("accounts", account_id, version, str(error)) from error
        if row is None:
            raise AccountNotFound(account_id)
        version, schema_version, text = row
        state = self._decode_state("accounts", account_id, version, schema_version, text)
        return Account(state)
