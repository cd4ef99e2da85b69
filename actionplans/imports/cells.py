"""The words of one cell: its lines, its entries, its future actions and their dates."""

import re

from .dates import is_only_a_date, read_target_date
from .parsed import ParsedFutureAction

_TARGET_LINE = re.compile(r"^target date:\s*(.+)$", re.IGNORECASE)
_NO_DATE = {"none", "not set", "no date", "-"}
# A bullet typed by hand at the start of a line ("• ", "- ", "o ").
_BULLET = re.compile(r"^(?:[•●▪■◦○·*‣⁃–-]|o(?=\s))\s+")


def short(text: str, limit: int = 120) -> str:
    """One line of at most `limit` characters, for a warning that quotes the document."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def same(a: str, b: str) -> bool:
    """The same words, whatever the case and spacing (a repeated header or section title)."""
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def lines(paragraphs: list[str]) -> list[str]:
    """Every line of a cell, typed bullets removed: success measures and leads."""
    found = (_BULLET.sub("", line, count=1).strip() for p in paragraphs for line in p.split("\n"))
    return [line for line in found if line]


def entries(paragraphs: list[str]) -> list[str]:
    """One entry per paragraph; a typed bullet on a new line inside one starts another."""
    found = []
    for paragraph in paragraphs:
        current: list[str] = []
        for line in paragraph.split("\n"):
            if _BULLET.match(line) and current:
                found.append("\n".join(current))
                current = []
            current.append(_BULLET.sub("", line, count=1).strip())
        found.append("\n".join(current))
    return [entry.strip() for entry in found if entry.strip()]


def future_actions(paragraphs: list[str]) -> list[ParsedFutureAction]:
    """The entries of a future actions cell, each with the target date its words give."""
    actions: list[ParsedFutureAction] = []
    for entry in entries(paragraphs):
        lines = entry.split("\n")
        explicit = _TARGET_LINE.match(lines[-1]) if len(lines) > 1 else None
        if explicit:
            # "Target date: 30 June 2018" on a line of its own (how the export writes a
            # date the text does not give): the date, not part of the text.
            text = "\n".join(lines[:-1]).strip()
            value = explicit[1].strip()
            target = None if value.lower() in _NO_DATE else read_target_date(value)
            actions.append(ParsedFutureAction(text, target))
        elif actions and actions[-1].target_date is None and is_only_a_date(entry):
            actions[-1].target_date = read_target_date(entry)  # "By 30/06/18" under its action
        else:
            actions.append(ParsedFutureAction(entry, read_target_date(entry)))
    return actions
