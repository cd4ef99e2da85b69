"""The plan's front matter: its title, version, running heading and introduction.

Read from the paragraphs outside the plan tables. The title is the "Title" style where
the author used it, else the first lines before the version line ("Final Draft
18/04/18"); the running heading is the page header, else a line that stands before
several tables; the introduction is the numbered paragraphs, each with the short
paragraph just before it as its heading.
"""

import re
from dataclasses import dataclass

from .parsed import ParsedIntroParagraph, ParsedPlan
from .wordml import clean, paragraph_text

_VERSION = re.compile(
    r"^(final|draft|version|v\s?\d|issue\s*\d|updated?|revised|amended)\b", re.IGNORECASE
)
# "Status: Agreed by the board", as the export writes it below the title.
_STATUS = re.compile(r"^(?:plan )?status:\s*(.+)$", re.IGNORECASE)
STATUSES = {
    "draft": "draft",
    "agreed": "agreed",
    "agreed by the board": "agreed",
    "submitted": "submitted",
    "final": "submitted",
    "closed": "closed",
}
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$", re.DOTALL)
VERSION_STYLE = "Plan version"  # the style the export gives the version line


@dataclass
class Paragraph:
    """A paragraph outside the tables, with what the front matter needs to know of it."""

    text: str
    style: str
    fill: str | None
    numbered: bool
    before_plan: bool  # before the first plan table
    group: int  # paragraphs between the same two tables share a group
    key: bool = False  # a line of the RAG key


def read_front_matter(plan: ParsedPlan, paragraphs, repeated: set[str], document) -> None:
    """Fill in the plan's title, version, running heading and introduction.

    `repeated` holds the texts that stand before several tables (a running heading
    typed on every page), which are neither the title nor a heading.
    """
    head = _title_block(paragraphs, repeated)
    for p in head:
        stated = _STATUS.match(p.text)
        if stated and stated[1].strip().rstrip(".").lower() in STATUSES:
            plan.status = STATUSES[stated[1].strip().rstrip(".").lower()]
            head = [other for other in head if other is not p]
            break
    version = next(
        (
            p
            for p in head
            if p.style == VERSION_STYLE or (_VERSION.match(p.text) and len(p.text) <= 100)
        ),
        None,
    )
    titles = [p.text for p in head if p.style == "Title"]
    if not titles and version:
        titles = [p.text for p in head[: head.index(version)]][:2]
    if not titles:
        titles = [p.text for p in head if p is not version][:1]
    plan.title = " - ".join(" ".join(t.split()) for t in titles)
    plan.title = plan.title or " ".join(document.core_properties.title.split())
    if not plan.title:
        plan.title = "Action plan"
        plan.warnings.append("No title was found: the plan is called “Action plan”.")
    elif len(plan.title) > 300:
        plan.title = plan.title[:299].rstrip() + "…"
    plan.version_label = " ".join(version.text.split())[:100] if version else ""
    plan.running_heading = _running_heading(paragraphs, repeated, document)[:300]
    plan.introduction = _introduction(paragraphs, repeated, title_block={id(p) for p in head})


def _title_block(paragraphs, repeated) -> list[Paragraph]:
    """The first lines of the document, up to the first heading, list or plan table."""
    head = []
    for p in paragraphs:
        if not p.before_plan or p.numbered or _NUMBERED.match(p.text):
            break
        if p.style.lower().startswith("heading"):
            break
        if p.text and not p.key and p.text not in repeated:
            head.append(p)
    return head[:8]


def _running_heading(paragraphs, repeated, document) -> str:
    section = document.sections[0] if document.sections else None
    if section is not None and not section.header.is_linked_to_previous:
        texts = [clean(paragraph_text(p._p)) for p in section.header.paragraphs]
        texts = [t for t in texts if len(t) > 10]
        if texts:
            return max(texts, key=len).replace("\n", " ")
    before = [p.text for p in paragraphs if p.text in repeated and not p.key]
    return before[0].replace("\n", " ") if before else ""


def _introduction(paragraphs, repeated, title_block) -> list[ParsedIntroParagraph]:
    introduction: list[ParsedIntroParagraph] = []
    heading = ""
    for paragraph in paragraphs:
        if not paragraph.text or paragraph.key:
            continue
        literal = _NUMBERED.match(paragraph.text)
        is_heading = paragraph.style.lower().startswith(("heading", "title"))
        if (literal or paragraph.numbered) and not is_heading:
            text = literal[2] if literal else paragraph.text
            introduction.append(ParsedIntroParagraph(len(introduction) + 1, heading[:200], text))
            heading = ""
        elif (
            len(paragraph.text) <= 120
            and id(paragraph) not in title_block
            and paragraph.text not in repeated
            and paragraph.style != VERSION_STYLE
        ):
            heading = " ".join(paragraph.text.split())
        else:
            heading = ""
    return introduction
