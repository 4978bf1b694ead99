"""The decision records the pack shows as examples, so that a copy of one is recognised.

The decision-record exercise asks for an aggregate of the student's *own* system, with their
own reasons. A record whose reasons are the pack's own, word for word, answers a different
question, and the check says so. Comparing whole sentences with the examples is exact, not a
judgement of what the sentences mean: only a verbatim copy (ignoring case, spacing and
punctuation) is recognised.

The texts below are those of ``04_hybrid_designs.ipynb``; a test keeps them equal to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

COPIED_FIELDS = ("history_reason", "replay_cost", "on_disagreement")
"""The fields a student writes in their own words: a copy of any one is no answer of theirs."""

PACK_EXAMPLES: dict[str, dict[str, str]] = {
    "the ledger example in 04_hybrid_designs.ipynb": {
        "history_reason": "financial record-keeping rules require every money movement to be kept",
        "replay_cost": "a few thousand events a year per account; a snapshot every 100 events "
        "keeps each load under 100 replayed events",
        "on_disagreement": "the events win: run verify, rebuild the snapshot, keep the report "
        "with the incident, and fix the cause",
    },
    "the worked solution in 04_hybrid_designs.ipynb (the card Order)": {
        "history_reason": "support staff must see when an order changed status to answer "
        "customers, and e-mails are sent from the status changes",
        "replay_cost": "10 to 20 events per order over its life; we never replay to load, only "
        "to audit, so the cost does not matter",
        "on_disagreement": "the order row wins; we run verify, investigate, and correct the row "
        "by hand with a recorded reason and approver if it is wrong",
    },
}
"""Where each example is shown -> its prose fields, exactly as the notebook writes them."""


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def copied_from(texts: Mapping[str, object]) -> tuple[str, list[str]] | None:
    """The example that ``texts`` (field name -> text) copies, and the fields copied, or None."""
    for where, example in PACK_EXAMPLES.items():
        copied = [
            name
            for name in COPIED_FIELDS
            if isinstance(texts.get(name), str)
            and _key(str(texts[name]))
            and _key(str(texts[name])) == _key(example[name])
        ]
        if copied:
            return where, copied
    return None
