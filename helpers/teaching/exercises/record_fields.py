"""How the decision-record check reads single fields: types, placeholders and vague owners.

A reviewer reading a decision record stops at three kinds of answer before judging any
reasoning: a field of the wrong type (``history_required="no"``, which Python treats as
true), a placeholder left in place of an answer ("TBD", "my aggregate"), and an owner who is
nobody in particular ("the team", "someone on call"). These are the answers code can spot
without understanding prose, so this module spots them and nothing more; whether a reason is
*good*, or agrees with the rest of the record, is left to a person who reads it.

Feedback names the mistake a student really made, so an empty field ("") is told apart from a
placeholder typed into it ("TODO", "...") and from an owner who is "nobody".
"""

from __future__ import annotations

import re

PLACEHOLDER_TEXTS = {"", "...", "…", "todo", "tbd", "?", "n/a", "none", "nobody", "-", "x"}
"""Whole answers that are no answer at all."""

PLACEHOLDER_PHRASE = re.compile(
    r"\b(tbd|todo|fixme|to be (decided|determined|confirmed|defined)|fill (this )?in|"
    r"lorem ipsum|xxx+)\b",
    re.IGNORECASE,
)
"""Phrases that mark an answer as not written yet, wherever they appear in it."""

GENERIC_AGGREGATE_WORDS = {
    "a", "an", "the", "my", "our", "one", "some", "aggregate", "aggregates", "entity",
    "object", "thing", "example", "system", "root", "class", "model", "item", "data",
}  # fmt: skip
"""Words that name no aggregate in particular: 'my aggregate' names nothing."""

GENERIC_OWNER_WORDS = {
    "a", "an", "the", "our", "my", "their", "your", "some", "any", "of", "on", "in", "at",
    "for", "to", "who", "whoever", "is", "are", "will", "would", "should", "be", "and", "or",
    "with", "by", "from", "us", "we", "they", "them", "team", "teams", "someone", "somebody",
    "anyone", "anybody", "everyone", "everybody", "people", "person", "staff", "engineer",
    "engineers", "engineering", "developer", "developers", "dev", "devs", "ops", "operations",
    "admin", "admins", "administrator", "on-call", "oncall", "call", "duty", "owner",
    "owners", "responsible", "group", "department", "company", "management", "manager",
    "lead", "later", "decided", "unknown", "tbd", "todo", "one", "that", "this", "week",
    "day", "shift", "current", "available", "whichever", "whatever", "needed", "if",
}  # fmt: skip
"""Words that name nobody in particular. 'the ledger team' names a team; 'the team' does not."""

NEGATIONS = ("nobody", "no one", "no-one", "none", "nothing", "n/a", "not needed")
"""Openings of an owner answer that say no one needs to debug drift."""

TEXT_EXAMPLES = {
    "aggregate": "'support Ticket'",
    "strategy": "'snapshots', 'events' or 'both'",
    "authoritative": "'snapshot' or 'events'",
    "history_reason": "a sentence",
    "replay_cost": "a sentence such as 'about 3,000 events a year per account'",
    "drift_owner": "a team or a person, such as 'the ledger team's on-call engineer'",
    "on_disagreement": "a sentence",
}


def type_problem(name: str, value: object) -> str | None:
    """Why ``value`` cannot be the text field ``name``, or None if it is text."""
    if isinstance(value, str):
        return None
    example = TEXT_EXAMPLES.get(name, "text")
    return (
        f"'{name}' must be text (a str), not {type(value).__name__} {value!r}: "
        f"write {example} in quotes."
    )


def history_type_problem(value: object) -> str | None:
    """Why ``value`` is not a yes/no answer to 'is the history required?', or None."""
    if value is None or isinstance(value, bool):
        return None
    hint = ""
    if isinstance(value, str):
        hint = " Text is not a yes/no answer: Python treats any non-empty text, even 'no', as true."
    return (
        f"'history_required' must be True or False (no quotes), not {value!r}: the check "
        f"compares it with your strategy.{hint}"
    )


def is_empty(text: str) -> bool:
    """Nothing written at all (only spaces, or nothing)."""
    return not text.strip()


def is_blank(text: str) -> bool:
    """Empty, or a whole-answer placeholder such as 'TBD' or '...'."""
    return text.strip().lower() in PLACEHOLDER_TEXTS


def has_placeholder(text: str) -> bool:
    """True if the text is blank or still contains a placeholder phrase ('to be decided')."""
    return is_blank(text) or PLACEHOLDER_PHRASE.search(text) is not None


def words(text: str) -> list[str]:
    """Lower-case words, with possessives dropped ("team's" -> "team")."""
    return [w.removesuffix("'s") for w in re.findall(r"[a-z0-9][a-z0-9'\-.]*", text.lower())]


def is_generic_aggregate(text: str) -> bool:
    """True for names such as 'my aggregate' or 'the entity', which name no aggregate."""
    return all(word in GENERIC_AGGREGATE_WORDS for word in words(text))


def is_vague_owner(text: str) -> bool:
    """True when the owner names nobody in particular: 'the team', 'someone on call'."""
    return has_placeholder(text) or all(word in GENERIC_OWNER_WORDS for word in words(text))


def says_nobody(text: str) -> bool:
    """True when the owner answer says that no one needs to debug drift."""
    return text.strip().lower().startswith(NEGATIONS)


def gives_reason_for_nobody(text: str) -> bool:
    """True when a "nobody" answer goes on to say why (at least three more words)."""
    if not says_nobody(text):
        return False
    lowered = text.strip().lower()
    negation = next(word for word in NEGATIONS if lowered.startswith(word))
    return len(words(lowered.removeprefix(negation))) >= 3


def same_text(texts: dict[str, str]) -> list[str]:
    """Names of the fields whose text is the same as another field's (ignoring case, spaces)."""
    seen: dict[str, list[str]] = {}
    for name, text in texts.items():
        key = " ".join(words(text))
        if key:
            seen.setdefault(key, []).append(name)
    return [name for names in seen.values() if len(names) > 1 for name in names]
