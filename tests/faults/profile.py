"""How hard the fault-injection tests push: a quick profile for ``make test``, a long one for
``make stress``.

Chosen with ``REBUILD_LAB_PROFILE=quick|stress`` or ``pytest --fault-profile=quick|stress``
(the option sets the variable, so child processes see the same profile). The quick profile
keeps ``make test`` short on a shared two-core machine; the stress profile is the one to run
before trusting a change to the storage code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENVIRONMENT_VARIABLE = "REBUILD_LAB_PROFILE"


@dataclass(frozen=True)
class FaultProfile:
    name: str
    corruption_examples: int
    """Hypothesis examples of the stored-row corruption property."""
    writer_kill_rounds: int
    """Writers killed (SIGKILL) mid-save, spread over the five strategies."""
    projection_kill_rounds: int
    """Projections killed (SIGKILL) mid-batch."""


PROFILES = {
    "quick": FaultProfile(
        "quick", corruption_examples=200, writer_kill_rounds=10, projection_kill_rounds=20
    ),
    "stress": FaultProfile(
        "stress", corruption_examples=10_000, writer_kill_rounds=100, projection_kill_rounds=100
    ),
}


def current() -> FaultProfile:
    name = os.environ.get(ENVIRONMENT_VARIABLE, "quick")
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE}={name!r}: choose one of {', '.join(PROFILES)}"
        ) from None
