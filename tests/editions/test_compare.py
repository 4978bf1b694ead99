"""Comparing a student run with the stored outputs works the way strict nbval compares."""

from __future__ import annotations

from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook, new_output

from scripts.editions.compare import compare
from tests.editions.conftest import ROOT


def _cell(source, *outputs, tags=(), cell_id="c1"):
    cell = new_code_cell(source, id=cell_id, execution_count=1)
    cell.outputs = list(outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _stdout(text):
    return new_output("stream", name="stdout", text=text)


def _compare(stored, ran):
    return compare(new_notebook(cells=[stored]), new_notebook(cells=[ran]), "x.ipynb", ROOT)


def test_the_same_output_is_the_same():
    result = _compare(_cell("print(1)", _stdout("1\n")), _cell("print(1)", _stdout("1\n")))
    assert result.same and result.compared == 1


def test_a_different_output_is_reported_with_the_cell_and_both_values():
    result = _compare(_cell("print(1)", _stdout("1\n")), _cell("print(1)", _stdout("2\n")))
    assert not result.same
    assert "c1" in result.differences[0] and "'1\\n'" in result.differences[0]


def test_an_error_where_the_stored_cell_had_none_is_a_difference():
    error = new_output("error", ename="AttributeError", evalue="no", traceback=[])
    result = _compare(_cell("f()", _stdout("ok\n")), _cell("f()", error))
    assert "AttributeError" in result.differences[0]


def test_streams_are_coalesced_and_sanitised_as_nbval_does():
    stored = _cell("x", _stdout("at 0xDEADBEEF00\n"))
    ran = _cell("x", _stdout("at "), _stdout("0x12345678AB\n"))
    assert _compare(stored, ran).same


def test_images_and_widget_ids_are_not_compared():
    picture = {"image/png": "AAAA", "text/plain": "<Figure>"}
    other = {"image/png": "BBBB", "text/plain": "<Figure>"}
    stored = _cell("plot()", new_output("display_data", data=picture))
    ran = _cell("plot()", new_output("display_data", data=other))
    assert _compare(stored, ran).same


def test_cells_nbval_ignores_are_not_compared():
    ignored = _cell("# NBVAL_IGNORE_OUTPUT\nt()", _stdout("1.2 s\n"))
    assert _compare(ignored, _cell(ignored.source, _stdout("3.4 s\n"))).compared == 0
    skipped = _cell("t()", _stdout("1\n"), tags=["nbval-skip"])
    assert _compare(skipped, _cell("t()", _stdout("2\n"))).compared == 0


def test_a_run_that_imported_the_packs_own_helpers_is_refused(tmp_path):
    probe = _cell(
        "import helpers", _stdout(f"{ROOT}/helpers/__init__.py\n"), cell_id="editions-probe"
    )
    ran = new_notebook(cells=[probe])
    result = compare(new_notebook(cells=[]), ran, "x.ipynb", ROOT, edition=Path(tmp_path))
    assert "imported helpers from" in result.differences[0]
