"""Headings and lists: which lines are findings, of which kind, under which agency.

Letters name their lists in a few ways that changed over the years ("Key strengths",
"Areas for improvement", "Area(s) for priority action" until 2020; "What needs to
improve?", "Strengths" since 2022). A heading is a bold line on its own, or a line that
says exactly one of those names. A finding starts with a bullet glyph or a printed
paragraph number at the list's left edge and runs on through the lines indented under it,
across page breaks, until the next bullet, a heading, a change of type size or a line that
steps back out to the margin. Sub-bullets (indented further) belong to the finding above.
A bold heading inside a list that is followed by more bullets is a sub-heading: when it
names a body ("Police", "The LSCB") it is the agency the following findings are about; a
topic ("Leadership and management") names none. Any other heading ends the list. Boxed case
studies ("Case study:", "Practice study:") are not findings.
"""

import re
from dataclasses import dataclass, field

from .agencies import names_a_body
from .result import LetterFinding
from .text import Line

LIST_HEADINGS = [
    (
        "priority",
        re.compile(
            r"^(areas?|matters?) (for|of|requiring) (urgent |immediate )?priority action(s)?$"
        ),
    ),
    ("priority", re.compile(r"^(urgent |immediate )?priority actions?( required)?$")),
    ("improvement", re.compile(r"^what needs to improve$")),
    (
        "improvement",
        re.compile(
            r"^(key |main )?areas? (for|of|requiring) (further )?(improvement|development)$"
        ),
    ),
    (
        "improvement",
        re.compile(r"^(areas? (that|which) )?(needs?|requires?) (further )?improvement$"),
    ),
    ("strength", re.compile(r"^(key |main |areas? of )?strengths?$")),
    ("strength", re.compile(r"^what (is|are) working well$")),
]
BOX_HEADING = re.compile(r"^(case|practice) stud(y|ies)\b")
# Headings that begin a part of the letter that is not a list.
OTHER_HEADINGS = re.compile(
    r"^(next steps|main findings|headline findings|summary( of findings)?|context|"
    r"introduction|background|findings|yours sincerely|the inspection|"
    r"evaluation of|joint targeted area inspection)"
)
NUMBERED = re.compile(r"^\(?(\d{1,2}|[a-z]|[ivx]{1,4})[.)]$")
MAX_HEADING_CHARS = 120
# A line starting this far right of a finding's text is in another column beside it.
FAR_RIGHT = 150


def heading_name(text: str) -> str:
    return (
        re.sub(r"[\s]+", " ", re.sub(r"[?:.\u2019'()]", "", text.replace("(s)", "s")))
        .strip()
        .lower()
    )


def list_kind(text: str, *, loose: bool = False) -> str | None:
    """The kind of list a heading opens. `loose` (for bold headings) also accepts a longer
    heading that begins with a list's name ("Areas for improvement for health services")."""
    name = heading_name(text)
    for kind, pattern in LIST_HEADINGS:
        if pattern.match(name):
            return kind
    if loose and len(name) <= 80:
        for kind, pattern in LIST_HEADINGS:
            prefix = re.compile(pattern.pattern.rstrip("$") + r"\b")
            if prefix.match(name):
                return kind
    return None


def is_heading(line: Line) -> bool:
    text = line.text.strip()
    if line.bullet or not text or len(text) > MAX_HEADING_CHARS:
        return False
    if list_kind(text) or BOX_HEADING.match(heading_name(text)):
        return True
    return line.bold and not text.endswith((",", ";"))


@dataclass
class _Item:
    kind: str
    agency: str | None
    number: str | None
    bullet_x: float
    text_x: float
    size: float
    page: int
    bottom: float
    parts: list[str] = field(default_factory=list)

    def add(self, line: Line, text: str) -> None:
        self.parts.append(text)
        self.page, self.bottom = line.page, line.bottom

    def finding(self) -> LetterFinding | None:
        text = ""
        for part in self.parts:
            text = join_lines(text, part)
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            return None
        return LetterFinding(
            kind=self.kind, text=text, agency=self.agency, number=self.number, page=self.page
        )


def join_lines(text: str, line: str) -> str:
    """`line` after `text`: with a space, except after a hyphenated word broken at the
    line's end ("multi-" + "agency" is "multi-agency": letters' hyphens are real ones)."""
    line = line.strip()
    if not line:
        return text
    if not text:
        return line
    if text.endswith("-") and not text.endswith(" -") and line[:1].isalnum():
        return text + line
    return text + " " + line


def _numbered(line: Line) -> str | None:
    """The paragraph number a line starts with ("12." or "(b)"), if it stands apart."""
    words = line.words
    if line.bullet or len(words) < 2:
        return None
    match = NUMBERED.match(words[0].text)
    if match and words[1].x0 - words[0].x1 > 0.3 * line.size:
        return match.group(1)
    return None


def find_findings(lines: list[Line]) -> tuple[list[LetterFinding], list[str]]:
    """The findings of every list in the letter, in its order, and the headings met."""
    findings: list[LetterFinding] = []
    headings: list[str] = []
    section = None  # the kind of the list we are in
    agency = None
    list_x = None  # where the list's bullets sit
    in_box = False
    item: _Item | None = None

    # Lines of the current list that are not in any item, in case the list has no
    # bullets at all (each paragraph is then a finding: bullets drawn as shapes, or a table).
    paragraphs: list[Line] = []
    section_items = 0

    def close():
        nonlocal item, section_items
        if item is not None:
            finding = item.finding()
            if finding is not None:
                findings.append(finding)
                section_items += 1
        item = None

    def flush_paragraphs():
        nonlocal paragraphs
        if section and not section_items and paragraphs:
            findings.extend(_paragraph_findings(paragraphs, section, agency))
        paragraphs = []

    for index, line in enumerate(lines):
        text = line.text.strip()
        if is_heading(line):
            close()
            if not _sub_heading(lines, index, section, list_x):
                flush_paragraphs()
            headings.append(text)
            kind = list_kind(text, loose=line.bold)
            name = heading_name(text)
            if kind:
                section, agency, list_x, in_box = kind, None, None, False
                section_items = 0
            elif section and BOX_HEADING.match(name):
                in_box = True
            elif _sub_heading(lines, index, section, list_x):
                # A sub-heading of the list: an agency, or a topic (which names none).
                agency, in_box = (text if names_a_body(text) else None), False
            else:
                section, in_box = None, False
            continue
        if section is None:
            continue
        number = _numbered(line)
        starts_item = line.bullet is not None or number is not None
        if in_box:
            # A boxed study sits indented; a bullet back at the list's edge resumes the list.
            if not (starts_item and list_x is not None and abs(line.x0 - list_x) <= 3):
                continue
            in_box = False
        if starts_item:
            paragraphs = []  # the list has items: lines outside them are introductions
            if item is not None and line.x0 > item.bullet_x + 4 and line.bullet:
                # A sub-bullet: part of the finding above, without its glyph.
                item.add(line, line.body_text)
                continue
            close()
            list_x = line.x0 if list_x is None else list_x
            words = line.body_words if line.bullet else line.words[1:]
            item = _Item(
                kind=section,
                agency=agency,
                number=number,
                bullet_x=line.x0,
                text_x=words[0].x0,
                size=line.size,
                page=line.page,
                bottom=line.bottom,
            )
            item.add(line, line.body_text if line.bullet else _after_number(line))
            continue
        if item is not None and _continues(item, line):
            item.add(line, text)
            continue
        if item is not None and line.x0 > item.text_x + FAR_RIGHT:
            continue  # another column beside the finding (a table's second cell)
        close()
        if not section_items:
            paragraphs.append(line)
    close()
    flush_paragraphs()
    return findings, headings


def _sub_heading(lines, index, section, list_x) -> bool:
    """Whether the heading at `index` sits inside the current list (more items follow)."""
    name = heading_name(lines[index].text)
    return bool(
        section
        and not list_kind(lines[index].text, loose=lines[index].bold)
        and not BOX_HEADING.match(name)
        and not OTHER_HEADINGS.match(name)
        and _bullets_follow(lines, index, list_x)
    )


def _paragraph_findings(lines: list[Line], kind: str, agency: str | None) -> list[LetterFinding]:
    """A list without bullets or numbers: each paragraph (lines of one size, left edge and
    line spacing) is a finding. Said in a warning, as the reading is less sure."""
    out: list[LetterFinding] = []
    text, previous = "", None
    for line in lines:
        new = (
            previous is None
            or (line.page == previous.page and line.starts_paragraph_after(previous))
            or abs(line.size - previous.size) > 0.6
        )
        if new and text:
            out.append(LetterFinding(kind=kind, text=text, agency=agency, page=previous.page))
            text = ""
        text = join_lines(text, line.text)
        previous = line
    if text:
        out.append(LetterFinding(kind=kind, text=text, agency=agency, page=previous.page))
    for finding in out:
        finding.warning = "This list has no bullets: each paragraph was read as a finding."
    return out


def _after_number(line: Line) -> str:
    from .text import join_words

    return join_words(line.words[1:])


def _continues(item: _Item, line: Line) -> bool:
    if abs(line.size - item.size) > 0.6:
        return False
    if line.x0 < item.text_x - 3:
        return False  # back out at the margin: the paragraph after the list
    if line.x0 > item.text_x + FAR_RIGHT:
        return False  # another column beside the finding
    # A gap wider than a blank line on the same page: something else begins.
    return not (line.page == item.page and line.top - item.bottom > 1.2 * item.size)


def _bullets_follow(lines: list[Line], index: int, list_x: float | None) -> bool:
    """Whether the next line after a heading is a list item (so the heading names an agency)."""
    for line in lines[index + 1 : index + 3]:
        if is_heading(line):
            return False
        if line.bullet or _numbered(line):
            return list_x is None or abs(line.x0 - list_x) <= 3
        return False
    return False
