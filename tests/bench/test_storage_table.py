"""The storage table shows whole pages and the rows' own bytes, so that a hybrid's snapshot
rows are visible even when they fit in a page the event store already had."""

from __future__ import annotations

import pandas as pd

from helpers.bench import storage_table


def storage(with_rows: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "engine": ["sqlite", "sqlite"],
            "variant": ["event-sourced", "hybrid-100"],
            "events": [1_234, 1_234],
            "snapshots": [0, 12],
            "table_bytes": [266_240, 266_240],
            "row_bytes": [200_000, 201_900],
            "bytes_per_event": [215.8, 215.8],
        }
    )
    return frame if with_rows else frame.drop(columns="row_bytes")


def test_equal_pages_with_more_snapshot_rows_show_in_the_row_bytes():
    table = storage_table(storage())
    assert list(table["table bytes"]) == ["266,240", "266,240"]
    assert list(table["row bytes"]) == ["200,000", "201,900"]


def test_a_run_without_row_bytes_keeps_the_table_without_that_column():
    assert "row bytes" not in storage_table(storage(with_rows=False)).columns
