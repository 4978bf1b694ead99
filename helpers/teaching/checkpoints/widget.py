"""The clickable form of a checkpoint: the question as HTML, then options and a Check button.

Two outputs, so that the question reads the same everywhere:

* the question and its options as HTML, which a static page, the reading site and nbval all
  show as they are;
* a small ipywidgets form (options or a number box, a Check button, a feedback line). Its
  stored text form is one fixed sentence (see :class:`CheckpointForm`), and the feedback goes
  into an HTML widget's ``value`` - never printed into an ``Output`` - so a stored notebook
  stays byte-for-byte reproducible under nbval.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from helpers.teaching.checkpoints.questions import MultipleChoice, Numeric, Question
from helpers.teaching.exercises.feedback import Feedback

_CODE = re.compile(r"`([^`]+)`")


def text_html(text: str) -> str:
    """Escape ``text`` for HTML, showing Markdown-style `code` spans as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def plain_label(text: str) -> str:
    """A radio button's label is plain text: drop the backticks of `code` spans."""
    return _CODE.sub(r"\1", text)


def question_html(question: Question) -> str:
    """The question and its options as HTML (the options without any hint of which is right)."""
    parts = [
        f"<p><strong>Checkpoint {html.escape(question.id)}.</strong> "
        f"{text_html(question.prompt)}</p>"
    ]
    if isinstance(question, MultipleChoice):
        items = "".join(
            f"<li><code>{html.escape(c.key)}</code>: {text_html(c.text)}</li>"
            for c in question.choices
        )
        parts.append(f"<ul>{items}</ul>")
    else:
        unit = f" (in {html.escape(question.unit)})" if question.unit else ""
        parts.append(f"<p>Answer with a number{unit}.</p>")
    parts.append(
        f"<p><em>Click an answer below and press Check, or run "
        f"<code>answer({question.id!r}, ...)</code> in a cell.</em></p>"
    )
    return "\n".join(parts)


def feedback_html(feedback: Feedback) -> str:
    colour = "#1b5e20" if feedback.passed else "#8a1c1c"
    lines = "<br>".join(text_html(line.strip()) for line in str(feedback).splitlines())
    return f'<div style="color:{colour}">{lines}</div>'


class CheckpointForm(widgets.VBox):
    """Options (or a number box), a Check button and a feedback line for one question."""

    def __init__(self, question: Question) -> None:
        self.question = question
        if isinstance(question, MultipleChoice):
            self.entry: widgets.ValueWidget = widgets.RadioButtons(
                options=[(f"{c.key}: {plain_label(c.text)}", c.key) for c in question.choices],
                value=None,
                layout=widgets.Layout(width="max-content"),
            )
        else:
            self.entry = widgets.Text(placeholder="a number", description="answer")
        self.feedback = widgets.HTML(value="")
        button = widgets.Button(description="Check", button_style="primary")
        button.on_click(self._check)
        super().__init__(children=[self.entry, button, self.feedback])

    def _check(self, _button: widgets.Button) -> None:
        if self.entry.value in (None, ""):
            self.feedback.value = "<em>choose or type an answer first</em>"
            return
        self.feedback.value = feedback_html(self.question.judge(self.entry.value))

    def __repr__(self) -> str:
        # The stored text form of the widget: fixed, so nbval compares it reliably, and
        # readable where no widget can be drawn (a static page, a text-only viewer).
        return f"[interactive form for checkpoint {self.question.id}: open in Jupyter to click]"


def make_form(question: Question) -> CheckpointForm:
    if not isinstance(question, MultipleChoice | Numeric):
        raise TypeError(f"not a checkpoint question: {question!r}")
    return CheckpointForm(question)
