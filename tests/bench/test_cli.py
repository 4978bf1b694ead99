"""The command line: presets and defaults in --help, one-line errors that name the flag, and
a summary that names the preset it really ran."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from helpers.bench.__main__ import main
from helpers.bench.report import read_tables

SMALL = ["--preset", "tiny", "--lengths", "10,40", "--intervals", "7", "--no-progress"]


def test_help_lists_every_preset_with_its_values_and_the_defaults(capsys):
    with pytest.raises(SystemExit) as exit_code:
        main(["--help"])
    assert exit_code.value.code == 0
    shown = capsys.readouterr().out
    for name in ("tiny", "quick", "full"):
        assert f"  {name} " in shown
    assert "lengths=10,100,1234" in shown and "repeats=5" in shown
    assert "default: quick" in shown and "100000 or 100_000" in shown


@pytest.mark.parametrize(
    ("argv", "flag", "allowed"),
    [
        (["--lengths", "100,000"], "--lengths", "100000 or 100_000"),
        (["--lengths", "ten"], "--lengths", "not a whole number"),
        (["--codecs", "yaml"], "--codecs", "choose from json, msgspec"),
        (["--strategies", "cache"], "--strategies", "choose from snapshot"),
        (["--engines", "oracle"], "--engines", "choose from sqlite, postgres"),
        (["--repeats", "2"], "--repeats", "5 or more"),
        (["--preset", "huge"], "--preset", "choose from tiny, quick, full"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_flag_and_what_it_accepts(capsys, argv, flag, allowed):
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == ""
    assert lines[0].startswith(f"python -m helpers.bench: error: {flag}: ")
    assert allowed in lines[0]
    assert "_ints" not in lines[0] and "Traceback" not in lines[0]


def test_an_unknown_flag_is_one_line_too():
    done = subprocess.run(
        [sys.executable, "-m", "helpers.bench", "--lenghts", "10"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "python -m helpers.bench: error: unrecognized arguments: --lenghts 10"
    ]


def test_a_run_names_its_real_preset_and_writes_tables_with_an_engine_column(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*SMALL, "--codecs", "json", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "preset 'tiny', changed: lengths, intervals, codecs" in printed
    for section in ("checks:", "flat loads:", "warm and cold:", "floors:", "writes:"):
        assert section in printed
    tables = read_tables(out)
    assert {"loads", "floors", "flatness", "writes", "storage", "units"} <= set(tables)
    for name in ("loads", "floors", "writes", "storage"):
        assert set(tables[name]["engine"]) == {"sqlite"}
    assert isinstance(tables["loads"], pd.DataFrame)
    assert (out / "load_vs_length.png").read_bytes()[:4] == b"\x89PNG"
