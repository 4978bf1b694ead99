"""Notebook 06's teaching parts: its checkpoints, its link to the course page, the cost
explorer's figure and widget, and the blanking of measured values before nbval compares."""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

import matplotlib
import pytest

from helpers.bench import ExplorerUnits, as_html
from helpers.bench.marks import measured
from helpers.teaching import answer, cost_explorer, findings, measured_table, plot_cost_explorer
from helpers.teaching.checkpoints import all_questions

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK = NOTEBOOKS / "06_benchmark_replay_cost.ipynb"
UNITS = ExplorerUnits("sqlite", "msgspec", 2.0, 25.0, 150.0, 20.0, 210.0, 160.0, "a test")


def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_every_06_checkpoint_is_asked_once_in_a_cell_of_its_own():
    asked = []
    for cell in _cells():
        source = "".join(cell["source"])
        if "checkpoint" in cell["metadata"].get("tags", []):
            assert re.fullmatch(r'ask\("06\.\d"\)', source.strip()), source
            asked.append(source.strip()[5:9])
    ids = [key for key in all_questions() if key.startswith("06.")]
    assert sorted(asked) == ids and 2 <= len(ids) <= 4


@pytest.mark.parametrize("question", ["06.1", "06.2", "06.3", "06.4"])
def test_each_wrong_answer_fails_with_feedback_of_its_own(question):
    item = all_questions()[question]
    wrong = (
        list(item.known_wrong)
        if hasattr(item, "known_wrong")
        else [c.key for c in item.choices if not c.correct]
    )
    feedback = [str(answer(question, given)) for given in wrong]
    assert all(text.startswith("not done yet") for text in feedback)
    assert len(set(feedback)) == len(feedback)


def test_the_first_mention_of_the_course_page_links_to_its_summary_in_00():
    text = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    first = text.lower().index("the course page")
    link = "[The course page](00_start_here.ipynb#The-course-page)"
    assert text[first - 1 : first - 1 + len(link)] == link


def test_the_explorer_figure_marks_the_optimum_and_the_readers_interval():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert plot_cost_explorer(UNITS, 100_000, 500, 0.05, ax=ax) is None
    labels = [line.get_label() for line in ax.get_lines()]
    assert any(label.startswith("optimum: every ") for label in labels)
    assert "your N = 500" in labels
    assert "cheapest" in ax.get_title()
    plt.close(fig)


def test_the_explorer_widget_redraws_into_an_image_and_keeps_a_fixed_text_form():
    explorer = cost_explorer({"test units": UNITS})
    assert explorer.image.value == b""
    explorer.interval.value = 50
    assert explorer.image.value[:4] == b"\x89PNG"
    assert repr(explorer) == (
        "[interactive cost explorer: open the notebook in Jupyter to move the sliders]"
    )


def _sanitise(text: str) -> str:
    config = configparser.ConfigParser()
    config.read(NOTEBOOKS / "nbval_sanitize.cfg")
    for section in config.sections():
        text = re.sub(config[section]["regex"], config[section]["replace"], text)
    return text


def test_measured_parts_are_blanked_for_nbval_and_everything_else_is_compared():
    one = findings([f"a replay took {measured('12.3x')} as long, at 1,000 events"]).data
    two = findings([f"a replay took {measured('9.8x')} as long, at 1,000 events"]).data
    other = findings([f"a replay took {measured('9.8x')} as long, at 2,000 events"]).data
    assert _sanitise(one) == _sanitise(two)
    assert _sanitise(one) != _sanitise(other)
    assert "<span" not in findings([f"x {measured('1')}"], fixed=True).data


def test_a_table_marks_only_its_measured_columns_and_says_when_it_is_empty():
    import pandas as pd

    frame = pd.DataFrame({"strategy": ["snapshot"], "median (us)": ["21.5"]})
    html = measured_table(frame, ["median (us)"]).data
    assert '<span class="measured">21.5</span>' in html and "<td>snapshot</td>" in html
    assert "nothing of this kind" in measured_table(frame.iloc[0:0]).data
    assert as_html(["plain"]) == "<ul>\n<li>plain</li>\n</ul>"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        (12_300, "newest snapshot's version"),
        (123, "how many snapshots the history has"),
        (-45, "cannot replay a negative number"),
        (-1, "cannot replay a negative number"),
        (12_345, "that is a full replay"),
        (99, "worst case"),
        (7, "find the last multiple of 100"),
    ],
)
def test_06_1_names_the_mistake_behind_each_typical_wrong_number(given, says):
    feedback = str(answer("06.1", given))
    assert feedback.startswith("not done yet") and says in feedback


def test_06_1_accepts_the_tail_after_the_newest_snapshot():
    feedback = str(answer("06.1", 45))
    assert feedback.startswith("well done") and "the 45 events after it" in feedback


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("a", "3.94 - 2.05 = 1.89 us"),
        ("b", "the other half, 1.9 us per event"),
        ("c", "3.94 us is the whole replay, the fetch included; the floor is the raw fetch"),
        ("d", "interleaved in rounds"),
    ],
)
def test_06_3_feedback_puts_the_floor_at_the_fetch_and_the_whole_replay_above_it(given, says):
    assert says in str(answer("06.3", given))


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("a", "relative to its own warm time"),
        ("b", "not the same cost: the replay gained 3,136 us, the snapshot load 1,156 us"),
        ("c", "reads one row"),
        ("d", "both are measured and checked"),
    ],
)
def test_06_2_feedback_follows_the_numbers_in_its_own_question(given, says):
    assert says in str(answer("06.2", given))
