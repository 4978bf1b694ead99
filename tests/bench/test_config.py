"""Benchmark parameters: text, papermill numbers and lists all work; a bad one is refused with
an error naming the parameter as the reader wrote it, and what it accepts."""

from __future__ import annotations

import pytest

from helpers.bench.config import (
    PRESETS,
    BenchParameterError,
    config_from_parameters,
    describe_config,
    parse_counts,
    preset,
)


def test_an_empty_text_keeps_the_presets_values():
    config = config_from_parameters("tiny", "", "", "", "", "", "")
    assert config == PRESETS["tiny"]
    assert config.changed == ()


def test_text_overrides_are_read_and_remembered_as_changes():
    config = config_from_parameters("tiny", "10, 250", "snapshot,hybrid", "7", "json", "6")
    assert config.lengths == (10, 250)
    assert config.strategies == ("snapshot", "hybrid")
    assert config.intervals == (7,)
    assert config.codecs == ("json",)
    assert config.repeats == 6
    assert config.changed == ("lengths", "strategies", "intervals", "codecs", "repeats")
    assert "changed: lengths, strategies" in describe_config(config)


def test_papermill_integers_and_lists_work_like_text():
    config = config_from_parameters("tiny", 10_000, "", 100, "", 5)
    assert (config.lengths, config.intervals, config.repeats) == ((10_000,), (100,), 5)
    listed = config_from_parameters("tiny", [10, 100.0], "", [5], ["json"])
    assert (listed.lengths, listed.codecs, listed.intervals) == ((10, 100), ("json",), (5,))


def test_underscores_group_thousands_but_a_comma_separates_lengths():
    assert parse_counts("100_000", "lengths") == (100_000,)
    assert parse_counts("10,100", "lengths") == (10, 100)


def test_a_length_written_with_a_thousands_comma_is_refused_with_the_two_ways_to_write_it():
    with pytest.raises(BenchParameterError) as error:
        config_from_parameters("tiny", "100,000")
    message = str(error.value)
    assert message.startswith("LENGTHS: '100,000'")
    assert "100000 or 100_000" in message


@pytest.mark.parametrize(
    ("arguments", "name", "allowed"),
    [
        ({"codecs": "json,yaml"}, "CODECS", "choose from json, msgspec"),
        ({"strategies": "cache"}, "STRATEGIES", "choose from snapshot, event-sourced, hybrid"),
        ({"engines": "oracle"}, "ENGINES", "choose from sqlite, postgres"),
        ({"repeats": 3}, "REPEATS", "5 or more"),
        ({"repeats": "2,3"}, "REPEATS", "give one whole number"),
        ({"lengths": "0,10"}, "LENGTHS", "1 or more"),
        ({"lengths": "ten"}, "LENGTHS", "not a whole number"),
        ({"lengths": 2.5}, "LENGTHS", "not a whole number"),
        ({"lengths": True}, "LENGTHS", "not a whole number"),
        ({"intervals": "-5"}, "INTERVALS", "not a whole number"),
        ({"lengths": "10,10"}, "LENGTHS", "given twice"),
        ({"preset_name": "huge"}, "PRESET", "choose from tiny, quick, full"),
        ({"writers": "0,2"}, "WRITERS", "1 or more"),
        ({"writers": "16"}, "WRITERS", "at most 8"),
        ({"writer_seconds": "soon"}, "WRITER_SECONDS", "not a number of seconds"),
        ({"writer_seconds": 0}, "WRITER_SECONDS", "from 0.1 to 600"),
    ],
)
def test_a_bad_value_names_its_variable_and_what_is_allowed(arguments, name, allowed):
    with pytest.raises(BenchParameterError) as error:
        config_from_parameters(**{"preset_name": "tiny", **arguments})
    assert str(error.value).startswith(f"{name}: ")
    assert allowed in str(error.value)


def test_the_caller_chooses_how_parameters_are_named_in_errors():
    with pytest.raises(BenchParameterError, match=r"^--codecs: unknown 'xml'"):
        config_from_parameters("tiny", codecs="xml", names={"codecs": "--codecs"})


def test_intervals_are_not_checked_when_no_hybrid_is_measured():
    config = preset("tiny").with_overrides(strategies=("snapshot",), intervals=())
    assert config.variants == [("snapshot", None)]


def test_every_preset_has_at_least_five_rounds_and_a_flat_base_below_its_largest_length():
    for config in PRESETS.values():
        assert config.repeats >= 5
        assert config.flat_base < config.largest
