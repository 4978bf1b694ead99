"""The reading edition: the executed notebooks as static HTML pages, readable without Jupyter.

Each page is rendered from the notebook's *stored* outputs (the ones strict nbval checks), so
building the site runs no code and takes seconds. On top of nbconvert's lab template
(``templates/site``) the site:

* rewrites links between notebooks (``02_snapshots.ipynb#Reload``) to the pages
  (``02_snapshots.html#Reload``), anchors kept;
* draws Mermaid diagrams offline with JupyterLab's own Mermaid (:mod:`.mermaid`);
* folds worked solutions into ``<details>``;
* replaces each checkpoint's clickable form, which cannot work on a static page, by a note
  saying how to answer it and a folded answer; other widgets keep their text form;
* adds an index page and previous/next links.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from nbconvert import HTMLExporter
from nbformat import NotebookNode

from scripts.editions import mermaid
from scripts.editions.answers import answer_html
from scripts.editions.notebooks import checkpoint_id, find_notebooks, questions, read, title

TEMPLATES = Path(__file__).with_name("templates")
ASSETS = Path(__file__).with_name("assets")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_MERMAID_SOURCE = re.compile(r'(<pre class="mermaid">)(.*?)(</pre>)', re.DOTALL)
_NOTEBOOK_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)([^"#?]*?)\.ipynb((?:#[^"]*)?)"')


@dataclass(frozen=True)
class Page:
    source: Path
    href: str
    title: str
    questions: list[str]


def build_site(root: Path, out: Path) -> list[Path]:
    """Write the reading site for the notebooks under ``root`` into ``out``; return its pages."""
    if out.exists():
        shutil.rmtree(out)
    (out / "_static").mkdir(parents=True)
    shutil.copyfile(ASSETS / "site.css", out / "_static" / "site.css")
    notebooks = {path: read(path) for path in find_notebooks(root)}
    pages = [
        Page(path, path.stem + ".html", title(nb, path.stem), questions(nb))
        for path, nb in notebooks.items()
    ]
    exporter = HTMLExporter(template_name="site", extra_template_basedirs=[str(TEMPLATES)])
    needs_mermaid = False
    written = []
    for index, page in enumerate(pages):
        nb = prepare(notebooks[page.source])
        has_mermaid = any(
            cell.cell_type == "markdown" and "```mermaid" in cell.source for cell in nb.cells
        )
        needs_mermaid |= has_mermaid
        resources = {
            "metadata": {"name": page.title},
            "site_nav": {
                "previous": _link(pages[index - 1]) if index > 0 else None,
                "next": _link(pages[index + 1]) if index + 1 < len(pages) else None,
                "has_mermaid": has_mermaid,
            },
        }
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        target = out / page.href
        target.write_text(rewrite_notebook_links(escape_mermaid(body)), encoding="utf-8")
        written.append(target)
    if needs_mermaid:
        mermaid.install(mermaid.find_bundle(), out / "_static" / "lab-mermaid")
    (out / "index.html").write_text(index_page(pages), encoding="utf-8")
    return written


def _link(page: Page) -> dict[str, str]:
    return {"href": page.href, "title": page.title}


def prepare(nb: NotebookNode) -> NotebookNode:
    """The notebook as the site shows it: widgets replaced by what a static page can show."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        question = checkpoint_id(cell)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            del data[WIDGET_VIEW]
            if question is not None:
                data.clear()
                data["text/html"] = checkpoint_note(question)
    return nb


def checkpoint_note(question_id: str) -> str:
    """What stands in for a checkpoint's clickable form on a static page."""
    from helpers.teaching.checkpoints import question

    quoted = html.escape(repr(question_id))
    return (
        '<div class="site-checkpoint">'
        "<p>This page is for reading, so the question cannot be answered by clicking here. "
        "In JupyterLab, click an option and press Check, or run "
        f"<code>answer({quoted}, ...)</code> with your choice.</p>"
        f"<details><summary>Show the answer</summary>{answer_html(question(question_id))}"
        "</details></div>"
    )


def escape_mermaid(page: str) -> str:
    """Escape each Mermaid source block, so a label's ``<br/>`` reaches Mermaid as text.

    nbconvert writes the source into ``<pre class="mermaid">`` with ``<br/>`` left as a tag;
    the browser then turns it into an element, and the diagram's line break is lost.
    """
    return _MERMAID_SOURCE.sub(
        lambda m: m.group(1) + html.escape(html.unescape(m.group(2)), quote=False) + m.group(3),
        page,
    )


def rewrite_notebook_links(page: str) -> str:
    """``href="02_snapshots.ipynb#Reload"`` -> ``href="02_snapshots.html#Reload"``.

    Only relative links change; a link with a scheme (``https:``) or from the root is left alone.
    """
    return _NOTEBOOK_HREF.sub(r'href="\1.html\2"', page)


def index_page(pages: list[Page]) -> str:
    """The site's front page: every notebook in order, with the questions it answers."""
    items = []
    for page in pages:
        asked = "".join(f"<li>{_inline(q)}</li>" for q in page.questions)
        items.append(
            f'<li><a href="{page.href}"><strong>{html.escape(page.title)}</strong></a>'
            + (f"<ul>{asked}</ul>" if asked else "")
            + "</li>"
        )
    return _INDEX.format(items="\n".join(items))


def _inline(text: str) -> str:
    """Markdown's inline code, emphasis and links in a question, as HTML.

    A link to another notebook points at its page, as links inside the pages do.
    """
    text = html.escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)
    return rewrite_notebook_links(text)


_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>rebuild-lab: the reading edition</title>
<link rel="stylesheet" href="_static/site.css">
<style>body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}</style>
</head>
<body class="site-index">
<main>
<h1>rebuild-lab: snapshots, events, or both?</h1>
<p>The reading edition of the course pack: every notebook with the outputs it produced,
for reading in a browser. Worked solutions are folded away: try each exercise first.</p>
<p>To run the code, answer the checkpoints by clicking and do the exercises, open the
notebooks in JupyterLab (the student edition, or <code>make lab</code> in the pack).</p>
<ul class="site-contents">
{items}
</ul>
</main>
</body>
</html>
"""
