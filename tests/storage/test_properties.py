"""Property test: for any valid command sequence, every strategy rebuilds the same state.

Hypothesis generates arbitrary commands; a small independent model decides which of them the
rules allow, and the Account must agree with it (refusing exactly the others). The accepted
history is then saved in batches - reloading between batches, as separate requests would - to
the snapshot store, the event store, the hybrid at several snapshot intervals (1 included) and
the hybrid with snapshot authority. Every one of them must rebuild the model's state, on a
SQLite file and on PostgreSQL (there, fewer examples: each save is a round trip to a server).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import partial
from itertools import count, pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.domain.account import Account
from helpers.domain.clock import TickingClock
from helpers.domain.state import fold
from helpers.errors import InvariantViolation
from helpers.storage.event_store import EventSourcedRepository
from helpers.storage.hybrid_store import HybridRepository
from helpers.storage.snapshot_store import SnapshotRepository

PROPERTY_STRATEGIES = {
    "snapshot": SnapshotRepository,
    "event-sourced": EventSourcedRepository,
    **{
        f"hybrid-events-every-{n}": partial(HybridRepository, snapshot_every=n)
        for n in (1, 2, 3, 10)
    },
    "hybrid-snapshot-authority": partial(HybridRepository, authority="snapshot"),
}


SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
"""Where each example's fresh folder goes. Creating a WAL database costs a few fsyncs (about
40 ms per file on this machine's disk, 2 ms in memory), and each example creates seven files,
so a RAM-backed folder keeps the property test fast. The files are real SQLite files either way.
"""


@dataclass
class Model:
    """What the rules say, worked out without the Account: balance, status, version."""

    overdraft_limit: int
    balance: int = 0
    status: str = "open"
    version: int = 1

    def allows(self, name: str, amount: int = 0) -> bool:
        if self.status == "closed":
            return False
        if name == "deposit":
            return self.status == "open"
        if name == "withdraw":
            return self.status == "open" and self.balance - amount >= -self.overdraft_limit
        if name == "freeze":
            return self.status == "open"
        if name == "unfreeze":
            return self.status == "frozen"
        return self.balance == 0  # close

    def apply(self, name: str, amount: int = 0) -> None:
        self.version += 1
        if name == "deposit":
            self.balance += amount
        elif name == "withdraw":
            self.balance -= amount
        else:
            self.status = {"freeze": "frozen", "unfreeze": "open", "close": "closed"}[name]


amounts = st.integers(1, 60_000)
commands = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), amounts),
        st.tuples(st.just("withdraw"), amounts),
        st.tuples(st.sampled_from(["freeze", "unfreeze", "close"])),
    ),
    max_size=40,
)


def accepted_history(
    overdraft_limit: int, sequence, account_id: str = "acc-p"
) -> tuple[tuple, Model]:
    """Run the commands; check the Account refuses exactly what the model refuses."""
    model = Model(overdraft_limit)
    account = Account.open(account_id, "Pat Property", overdraft_limit, clock=TickingClock())
    for name, *args in sequence:
        allowed = model.allows(name, *args)
        method_args = (*args, f"ref-{model.version}") if args else ()
        if name == "freeze":
            method_args = ("a reason",)
        try:
            getattr(account, name)(*method_args)
        except InvariantViolation:
            assert not allowed, f"{name}{tuple(args)} was refused but the rules allow it"
            continue
        assert allowed, f"{name}{tuple(args)} was accepted but the rules forbid it"
        model.apply(name, *args)
    return account.pending_events, model


def save_in_batches_reloading(open_repo, events, cuts, account_id: str = "acc-p") -> None:
    """Save the chunks between the cut positions; before each save, load what is stored."""
    bounds = sorted({0, len(events), *(cut for cut in cuts if cut < len(events))})
    state = None
    for start, end in pairwise(bounds):
        chunk = events[start:end]
        with open_repo() as repo:
            if state is not None:
                assert repo.load(account_id).state == state
            state = fold(chunk, state)
            repo.save(Account(state, pending=chunk))


@given(
    overdraft_limit=st.integers(0, 50_000),
    sequence=commands,
    cuts=st.lists(st.integers(1, 40), max_size=3),
)
def test_every_strategy_rebuilds_the_models_state_for_any_valid_history(
    overdraft_limit, sequence, cuts
):
    events, model = accepted_history(overdraft_limit, sequence)
    rebuilt = {}
    with tempfile.TemporaryDirectory(prefix="rebuild-lab-property-", dir=SCRATCH) as folder:
        for name, factory in PROPERTY_STRATEGIES.items():
            path = Path(folder) / f"{name}.db"
            save_in_batches_reloading(partial(factory, path), events, cuts)
            with factory(path) as reopened:
                rebuilt[name] = reopened.load("acc-p").state
    assert_all_rebuilt_the_model(rebuilt, model, overdraft_limit)


def assert_all_rebuilt_the_model(rebuilt: dict, model: Model, overdraft_limit: int) -> None:
    expected = (model.balance, model.status, model.version, overdraft_limit)
    for name, state in rebuilt.items():
        assert (state.balance, str(state.status), state.version, state.overdraft_limit) == (
            expected
        ), name
    assert len(set(rebuilt.values())) == 1, rebuilt


@pytest.fixture(scope="module")
def server_stores_by_strategy(server_stores):
    """One PostgreSQL store per strategy for the whole module; each example uses a new account
    in it (accounts are independent, which the contract tests check)."""
    stores = {name: server_stores.create() for name in PROPERTY_STRATEGIES}
    yield stores
    for url in stores.values():
        server_stores.drop(url)


EXAMPLE_NUMBERS = count(1)


@settings(max_examples=15)
@given(
    overdraft_limit=st.integers(0, 50_000),
    sequence=commands,
    cuts=st.lists(st.integers(1, 40), max_size=3),
)
def test_every_strategy_on_postgresql_rebuilds_the_models_state_for_any_valid_history(
    server_stores_by_strategy, overdraft_limit, sequence, cuts
):
    account_id = f"acc-p-{next(EXAMPLE_NUMBERS)}"
    events, model = accepted_history(overdraft_limit, sequence, account_id)
    rebuilt = {}
    for name, factory in PROPERTY_STRATEGIES.items():
        store = server_stores_by_strategy[name]
        save_in_batches_reloading(partial(factory, store), events, cuts, account_id)
        with factory(store) as reopened:
            rebuilt[name] = reopened.load(account_id).state
    assert_all_rebuilt_the_model(rebuilt, model, overdraft_limit)
