"""The samples layer: seeded account histories and the release-1 legacy history.

Imports ``domain`` and ``storage`` (the legacy rows are written the way release 1 stored them).
"""

from helpers.samples.legacy import (
    LEGACY_DIR,
    LegacyRows,
    cents_to_decimal_units,
    create_legacy_database,
    expected_legacy_balances,
    float_migration_gets_it_wrong,
    legacy_event_row,
    legacy_state_row,
    load_legacy_rows,
    read_legacy,
    write_legacy_store,
)
from helpers.samples.workload import (
    EPOCH,
    Command,
    Expected,
    build_account,
    expected_after,
    generate_commands,
)

__all__ = [
    "EPOCH",
    "LEGACY_DIR",
    "Command",
    "Expected",
    "LegacyRows",
    "build_account",
    "cents_to_decimal_units",
    "create_legacy_database",
    "expected_after",
    "expected_legacy_balances",
    "float_migration_gets_it_wrong",
    "generate_commands",
    "legacy_event_row",
    "legacy_state_row",
    "load_legacy_rows",
    "read_legacy",
    "write_legacy_store",
]
