"""Write the committed release-1 ledger history in ``data/legacy/`` (run once; kept for record).

    .venv/bin/python scripts/make_legacy_history.py

The files are committed, so the lessons never regenerate them: they stand for data an old
release wrote long ago. Running this again rewrites them byte for byte identically (seeded
histories, a fixed clock), which is how a reviewer - or ``tests/test_upcasting.py`` - can check
that they were made this way. The work is done by ``helpers.samples.legacy.write_legacy_files``.
"""

from __future__ import annotations

import json

from helpers.samples.legacy import LEGACY_DIR, float_migration_gets_it_wrong, write_legacy_files


def main() -> None:
    rows = write_legacy_files(LEGACY_DIR)
    print(f"wrote {len(rows.events)} events and {len(rows.snapshots)} snapshots to data/legacy/")
    for row in rows.snapshots:
        balance = json.loads(row["state"])["balance"]
        wrong = float_migration_gets_it_wrong(balance)
        print(
            f"  {row['account_id']:12} balance {balance:>10}  float migration loses a cent: {wrong}"
        )


if __name__ == "__main__":
    main()
