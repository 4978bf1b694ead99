"""Every benchmark parameter in one place: a dataclass, and the named presets built from it.

People change these in class: ``quick`` answers in under a minute on a 2-core machine,
``full`` reaches a million events for the committed reference run, ``tiny`` is for the
tests. The command line and the notebook both start from a preset and override fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

STRATEGIES = ("snapshot", "event-sourced", "hybrid")
CODECS = ("json", "msgspec")
DEFAULT_OUT = Path("data/bench/latest")


@dataclass(frozen=True)
class BenchConfig:
    """What to measure. Lengths are numbers of events in one account's history."""

    preset: str = "quick"
    lengths: tuple[int, ...] = (10, 100, 1_000, 10_000, 100_000)
    strategies: tuple[str, ...] = STRATEGIES
    intervals: tuple[int, ...] = (10, 100, 1_000)
    """Snapshot intervals (every N events) for the hybrid strategy."""
    codecs: tuple[str, ...] = CODECS
    repeats: int = 3
    """Timed loads per cell; the table keeps their median, min and max."""
    write_commands: int = 500
    """Commands saved one per transaction, to price a write."""
    breakdown_length: int = 100_000
    """History length for the replay breakdown (the largest length if this one is absent)."""
    library_max_length: int = 10_000
    """The eventsourcing library reference runs at the lengths up to this one (0: skip it)."""
    seed: int = 42
    out: Path = field(default=DEFAULT_OUT)

    def __post_init__(self) -> None:
        unknown = set(self.strategies) - set(STRATEGIES)
        if unknown:
            raise ValueError(f"unknown strategies {sorted(unknown)}; choose from {STRATEGIES}")
        unknown = set(self.codecs) - set(CODECS)
        if unknown:
            raise ValueError(f"unknown codecs {sorted(unknown)}; choose from {CODECS}")
        if not self.lengths or min(self.lengths) < 1:
            raise ValueError("lengths must be one or more positive numbers of events")
        if self.repeats < 1 or any(n < 1 for n in self.intervals):
            raise ValueError("repeats and snapshot intervals must be 1 or more")

    @property
    def largest(self) -> int:
        return max(self.lengths)

    @property
    def variants(self) -> list[tuple[str, int | None]]:
        """(strategy, snapshot interval) pairs: one per hybrid interval, None otherwise."""
        out: list[tuple[str, int | None]] = []
        for strategy in self.strategies:
            if strategy == "hybrid":
                out.extend(("hybrid", n) for n in self.intervals)
            else:
                out.append((strategy, None))
        return out

    def with_overrides(self, **changes: object) -> BenchConfig:
        """A copy with the given fields changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


PRESETS: dict[str, BenchConfig] = {
    "tiny": BenchConfig(
        preset="tiny",
        lengths=(10, 100, 1_000),
        intervals=(10, 100),
        repeats=2,
        write_commands=50,
        breakdown_length=1_000,
        library_max_length=100,
    ),
    "quick": BenchConfig(breakdown_length=10_000),
    "full": BenchConfig(
        preset="full",
        lengths=(10, 100, 1_000, 10_000, 100_000, 1_000_000),
        repeats=5,
        write_commands=2_000,
        library_max_length=100_000,
    ),
}


def preset(name: str) -> BenchConfig:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose from {sorted(PRESETS)}") from None


def variant_label(strategy: str, interval: int | None) -> str:
    """'snapshot', 'event-sourced' or 'hybrid-100': the name used in tables and plots."""
    return strategy if interval is None else f"{strategy}-{interval}"


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part.strip().replace("_", "")) for part in text.split(",") if part.strip())


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def config_from_strings(
    preset_name: str = "quick",
    lengths: str = "",
    strategies: str = "",
    intervals: str = "",
    codecs: str = "",
    repeats: str = "",
) -> BenchConfig:
    """A preset with overrides given as text ("10,1000"; empty: keep the preset's value).

    The notebook's parameters cell reads environment variables, which are always text; the
    command line parses its arguments with the same two helpers.
    """
    return preset(preset_name).with_overrides(
        lengths=_ints(lengths) or None,
        strategies=_names(strategies) or None,
        intervals=_ints(intervals) or None,
        codecs=_names(codecs) or None,
        repeats=int(repeats) if repeats.strip() else None,
    )


def describe_config(config: BenchConfig) -> str:
    """A short, stable description of what a run will measure (no machine details)."""
    return "\n".join(
        [
            f"preset:            {config.preset}",
            f"history lengths:   {', '.join(f'{n:,}' for n in config.lengths)} events",
            f"strategies:        {', '.join(config.strategies)}",
            f"hybrid intervals:  every {', '.join(str(n) for n in config.intervals)} events",
            f"codecs:            {', '.join(config.codecs)}",
            f"repeats per load:  {config.repeats} (more for loads under 50 ms)",
            f"writes timed:      {config.write_commands} commands, one transaction each",
            f"library reference: lengths up to {config.library_max_length:,} events",
        ]
    )
