"""The reading site: a page per notebook, links that resolve, diagrams, folded solutions."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.teaching.checkpoints import Choice, MultipleChoice
from scripts.editions import mermaid
from scripts.editions.notebooks import find_notebooks, is_solution, read
from scripts.editions.site import escape_mermaid, prepare, rewrite_notebook_links
from tests.editions.conftest import ROOT

NOTEBOOKS = find_notebooks(ROOT)


class _Page(HTMLParser):
    """The ids, links and external resources of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.add(unquote(found["id"] or ""))
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag == "script" and found.get("src"):
            self.resources.append(found["src"])
        if tag == "link" and found.get("href"):
            self.resources.append(found["href"])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def local(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc


def test_every_notebook_has_a_page_and_the_index_links_to_each(site):
    index = parse(site / "index.html")
    for path in NOTEBOOKS:
        assert (site / f"{path.stem}.html").is_file()
        assert f"{path.stem}.html" in index.links


def test_every_link_between_pages_resolves_to_a_page_and_an_anchor_on_it(site):
    pages = {path.name: parse(path) for path in site.glob("*.html")}
    checked = 0
    for name, page in pages.items():
        for href in filter(local, page.links):
            target, _, anchor = href.partition("#")
            target = target or name
            assert target in pages, f"{name}: {href} points at no page"
            if anchor:
                assert unquote(anchor) in pages[target].ids, f"{name}: no #{anchor} in {target}"
            checked += 1
    assert checked > len(NOTEBOOKS)


def test_every_link_to_a_notebook_in_the_sources_became_a_link_to_its_page(site):
    linked = re.compile(r"\]\(([0-9][0-9]_[\w-]+)\.ipynb(#[^)\s]*)?\)")
    for path in NOTEBOOKS:
        page = parse(site / f"{path.stem}.html")
        sources = "\n".join(c.source for c in read(path).cells if c.cell_type == "markdown")
        for stem, anchor in linked.findall(sources):
            assert f"{stem}.html{anchor}" in page.links, f"{path.name}: {stem}{anchor}"
        assert not [href for href in page.links if ".ipynb" in href]


def test_a_link_in_a_question_is_a_link_to_its_page_in_the_index(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "](" not in index, "a question's markdown link reached the index as text"
    assert "00_start_here.html#The-course-page" in parse(site / "index.html").links


def test_pages_load_nothing_from_the_network(site):
    for path in site.glob("*.html"):
        remote = [src for src in parse(path).resources if not local(src)]
        assert remote == [], path.name


def test_pages_keep_no_widget_that_needs_a_widget_manager(site):
    for path in site.glob("*.html"):
        assert "application/vnd.jupyter.widget" not in path.read_text(), path.name


def test_worked_solutions_are_folded_into_details(site):
    for path in NOTEBOOKS:
        text = (site / f"{path.stem}.html").read_text()
        for cell in filter(is_solution, read(path).cells):
            anchor = f'id="cell-id={cell.id}"'
            assert anchor in text
            opened = text.rfind('<details class="site-solution">', 0, text.index(anchor))
            assert opened != -1 and "</details>" not in text[opened : text.index(anchor)]


def test_pages_with_mermaid_load_the_offline_loader_and_keep_label_breaks_as_text(site):
    with_diagrams = [p for p in NOTEBOOKS if any("```mermaid" in c.source for c in read(p).cells)]
    for path in with_diagrams:
        text = (site / f"{path.stem}.html").read_text()
        assert '<script src="_static/lab-mermaid/lab-mermaid.js"></script>' in text
        for block in re.findall(r'<pre class="mermaid">(.*?)</pre>', text, re.DOTALL):
            assert "<" not in block
    if with_diagrams:
        loader = site / "_static" / "lab-mermaid"
        manifest = json.loads(loader.joinpath("manifest.js").read_text().split("= ", 1)[1][:-2])
        for name in manifest["files"].values():
            assert (loader / name).is_file()
        assert (loader / "third-party-licenses.json").is_file()
        assert (loader / "JUPYTERLAB-LICENSE").is_file()


def test_the_mermaid_bundle_is_found_in_the_installed_jupyterlab():
    bundle = mermaid.find_bundle()
    owner = (bundle.static_dir / bundle.files[bundle.entry_chunks[0]]).read_text()
    chunks = [bundle.static_dir / name for name in bundle.files.values()]
    assert any(re.search(rf"[{{,]{bundle.entry_module}\(", c.read_text()) for c in chunks)
    assert bundle.chunk_global in owner
    licences = json.loads((bundle.static_dir / "third-party-licenses.json").read_text())
    assert {p["name"]: p["licenseId"] for p in licences["packages"]}["mermaid"] == "MIT"


def test_a_mermaid_label_break_is_escaped_so_the_browser_does_not_swallow_it():
    page = '<pre class="mermaid">\na["x<br/>y"] --&gt; b\n</pre>'
    assert escape_mermaid(page) == '<pre class="mermaid">\na["x&lt;br/&gt;y"] --&gt; b\n</pre>'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('href="02_snapshots.ipynb"', 'href="02_snapshots.html"'),
        ('href="00_start_here.ipynb#The-course-page"', 'href="00_start_here.html#The-course-page"'),
        ('href="https://example.org/x.ipynb"', 'href="https://example.org/x.ipynb"'),
        ('href="#Setup"', 'href="#Setup"'),
    ],
)
def test_only_relative_links_to_notebooks_are_rewritten(before, after):
    assert rewrite_notebook_links(before) == after


QUESTION = MultipleChoice(
    "99.1",
    "What does a snapshot store?",
    (
        Choice("a", "the latest state", True, "right: one row, overwritten on every save."),
        Choice("b", "every change", False, "a snapshot is not a backup of the history."),
    ),
)


def test_a_checkpoint_form_becomes_a_note_with_the_answer_folded_away(monkeypatch):
    import helpers.teaching.checkpoints as checkpoints

    monkeypatch.setattr(checkpoints, "question", lambda _id: QUESTION)
    form = new_output(
        "display_data",
        data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
            "text/plain": "[interactive form for checkpoint 99.1: open in Jupyter to click]",
        },
    )
    cell = new_code_cell('ask("99.1")', id="cp", outputs=[form])
    cell.metadata["tags"] = ["checkpoint"]
    nb = new_notebook(cells=[cell], metadata={"widgets": {"state": {}}})
    shown = prepare(nb).cells[0].outputs[0].data
    assert list(shown) == ["text/html"]
    note = shown["text/html"]
    assert "answer(&#x27;99.1&#x27;, ...)" in note
    assert "<details><summary>Show the answer</summary>" in note
    assert "a: the latest state" in note.split("<details>")[1]
    assert "widgets" in nb.metadata and "widgets" not in prepare(nb).metadata


def test_other_widgets_keep_their_text_form():
    bar = new_output(
        "display_data",
        data={"application/vnd.jupyter.widget-view+json": {}, "text/plain": "100% 12/12"},
    )
    nb = new_notebook(cells=[new_code_cell("run()", id="r", outputs=[bar])])
    assert prepare(nb).cells[0].outputs[0].data == {"text/plain": "100% 12/12"}


def test_a_title_is_plain_text_in_the_index_and_the_browser_tab():
    from scripts.editions.notebooks import title

    heading = "# 04 · Hybrid designs: snapshots *and* events, `load_as_of` and **more**"
    nb = new_notebook(cells=[nbformat_markdown(heading)])
    assert title(nb, "x") == "04 · Hybrid designs: snapshots and events, load_as_of and more"


def nbformat_markdown(source):
    from nbformat.v4 import new_markdown_cell

    return new_markdown_cell(source)
