"""Reading an action plan out of a Word document into a `ParsedPlan`.

Real plans vary; this is how each thing the issue lists is read:
- Plan tables can be anywhere, one per page, each repeating the header row. A table is
  a plan table when one of its first rows reads as a header (`columns.recognise`); a
  table with no header but as many columns as the last plan table carries on with it.
- A row whose one filled cell spans the table (or a bold or "Actions for ..." key task
  cell with nothing beside it) starts a section; a heading just before a table does too.
- A row whose key task cell is empty continues the task above, even across tables
  (a row broken over a page).
- Each paragraph, line break or typed bullet of a cell is one entry; future actions
  keep their text as written and get the target date it gives.
- The key (paragraphs or a small table outside the plan tables) teaches the RAG labels,
  the numbers and the colours; RAG cells are read once the whole document is known.
"""

import logging
import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from ..models import ActionPlan
from . import columns as col
from .dates import is_only_a_date, read_target_date
from .files import ImportRefused, open_docx
from .leads import AgencyMatcher
from .parsed import (
    ParsedFutureAction,
    ParsedIntroParagraph,
    ParsedLead,
    ParsedPlan,
    ParsedSection,
    ParsedTask,
)
from .rag import RagKey, colour_of_fill, read_rag
from .wordml import (
    W_P,
    W_TBL,
    W_VAL,
    Numbering,
    children,
    clean,
    fill,
    paragraph_text,
    read_table,
)

logger = logging.getLogger(__name__)

NO_PLAN_TABLE = (
    "We could not find the plan's table in this document. The importer looks for a table "
    "whose first row has headings such as “Key tasks”, “How will we know?”, “Lead(s)”, "
    "“Action to date”, “Future actions” and “RAG”."
)
NO_TASKS = "We found the plan's table but no key tasks in it: every row was empty."
UNREADABLE = (
    "Something in this document could not be read. Open it in Word, save it again as "
    ".docx and upload the new copy; if it still fails, copy the plan table into a new document."
)
DEFAULT_SECTION = "Key tasks"
DEFAULT_LABELS = {
    rag: ActionPlan._meta.get_field(f"rag_{rag or 'unrated'}_label").default
    for rag in ("red", "amber", "green", "")
}

_SECTION_TITLE = re.compile(
    r"^(actions?\s+(for|across|by|to be taken by)\b|section\s+\w|part\s+\w|theme\s*\d|"
    r"priority\s*\d|recommendation\s*\d|areas?\s+for\s+(improvement|priority action)\s*\d)",
    re.IGNORECASE,
)
_VERSION = re.compile(
    r"^(final|draft|version|v\s?\d|issue\s*\d|updated?|revised|amended)\b", re.IGNORECASE
)
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$", re.DOTALL)
_TARGET_LINE = re.compile(r"^target date:\s*(.+)$", re.IGNORECASE)
_NO_DATE = {"none", "not set", "no date", "-"}
_BULLET = re.compile(r"^(?:[•●▪■◦○·*‣⁃–-]|o(?=\s))\s+")
_FINDING_REF = re.compile(
    r"\b(AFI|APA|S|area for improvement|area for priority action)\s*\.?\s*(\d{1,3})\b",
    re.IGNORECASE,
)
_FINDING_KINDS = {
    "afi": "improvement",
    "area for improvement": "improvement",
    "apa": "priority",
    "area for priority action": "priority",
    "s": "strength",
}


def parse_plan(data: bytes, *, agencies, findings=()) -> ParsedPlan:
    """Read the bytes of a .docx into a ParsedPlan, or raise ImportRefused saying why.

    `agencies` are the area's partner agencies (for the leads), `findings` the
    inspection's findings (for reference columns); plain objects, no queries here.
    """
    document = open_docx(data)
    try:
        return _PlanReader(document, agencies, findings).read()
    except ImportRefused:
        raise
    except Exception:  # an odd document must give a message, never a server error
        logger.exception("An uploaded plan could not be read")
        raise ImportRefused(UNREADABLE) from None


@dataclass
class _Paragraph:
    text: str
    style: str
    fill: str | None
    numbered: bool
    before_plan: bool  # before the first plan table
    group: int  # paragraphs between the same two tables share a group
    key: bool = False  # a line of the RAG key


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _lines(paragraphs: list[str]) -> list[str]:
    lines = (_BULLET.sub("", line, count=1).strip() for p in paragraphs for line in p.split("\n"))
    return [line for line in lines if line]


def _entries(paragraphs: list[str]) -> list[str]:
    """One entry per paragraph; a typed bullet on a new line inside one starts another."""
    entries = []
    for paragraph in paragraphs:
        current: list[str] = []
        for line in paragraph.split("\n"):
            if _BULLET.match(line) and current:
                entries.append("\n".join(current))
                current = []
            current.append(_BULLET.sub("", line, count=1).strip())
        entries.append("\n".join(current))
    return [entry.strip() for entry in entries if entry.strip()]


def _future_actions(paragraphs: list[str]) -> list[ParsedFutureAction]:
    actions: list[ParsedFutureAction] = []
    for entry in _entries(paragraphs):
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


class _PlanReader:
    def __init__(self, document, agencies, findings):
        self.document = document
        self.matcher = AgencyMatcher(agencies)
        self.findings = list(findings)
        self.styles = {style.style_id: style.name for style in document.styles}
        self.numbering = Numbering(document)
        self.plan = ParsedPlan()
        self.key = RagKey()
        self.unrated_label = ""
        self.paragraphs: list[_Paragraph] = []
        self.repeated: set[str] = set()  # texts standing before several tables
        self.tables = 0
        self.plan_tables = 0
        self.roles: dict[int, str] | None = None
        self.width = 0
        self.headings: dict[int, str] = {}
        self.section: ParsedSection | None = None
        self.task: ParsedTask | None = None
        self.rag_cells: dict[int, tuple[ParsedTask, str, str | None]] = {}

    # -- the walk -------------------------------------------------------------------

    def read(self) -> ParsedPlan:
        blocks = list(children(self.document.element.body, W_P, W_TBL))
        self.repeated = self._texts_before_several_tables(blocks)
        last_paragraph = None
        for block in blocks:
            if block.tag == W_P:
                paragraph = self._paragraph(block)
                self.paragraphs.append(paragraph)
                if paragraph.text:
                    last_paragraph = paragraph
            else:
                self._table(block, last_paragraph)
                last_paragraph = None
        if not self.plan_tables:
            raise ImportRefused(NO_PLAN_TABLE)
        if not self.plan.tasks:
            raise ImportRefused(NO_TASKS)
        self._learn_key_from_paragraphs()
        self._read_ratings()
        self._front_matter()
        return self.plan

    def _texts_before_several_tables(self, blocks) -> set[str]:
        seen: dict[str, int] = {}
        last = ""
        for block in blocks:
            if block.tag == W_P:
                text = clean(paragraph_text(block))
                last = text or last
            elif last:
                seen[last] = seen.get(last, 0) + 1
                last = ""
        return {text for text, count in seen.items() if count > 1}

    def _paragraph(self, p) -> _Paragraph:
        style_id = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style = self.styles.get(style_id.get(W_VAL), "") if style_id is not None else ""
        return _Paragraph(
            text=clean(paragraph_text(p)),
            style=style or "",
            fill=fill(p),
            numbered=self.numbering.is_numbered(p, style or ""),
            before_plan=not self.plan_tables,
            group=self.tables,
        )

    def _table(self, tbl, heading_before: "_Paragraph | None") -> None:
        self.tables += 1
        rows = read_table(tbl)
        width = max((cell.column + cell.span for row in rows for cell in row), default=0)
        header_at = None
        for index, row in enumerate(rows[:4]):
            if len({colour_of_fill(cell.fill) for cell in row} - {None, "blue"}) > 1:
                continue  # cells in different RAG colours: a key, whatever its words
            roles = col.recognise(self._row_headings(row, width))
            if roles:
                header_at = index
                self._use_columns(roles, row, width)
                break
        if header_at is None and not (self.roles and width == self.width):
            self._learn_key_from_table(rows)
            return
        self.plan_tables += 1
        pending = self._heading_title(heading_before)
        for index, row in enumerate(rows):
            if index == header_at or not any(cell.paragraphs for cell in row):
                continue
            if self._is_header(row, width):
                continue  # the header row repeated further down
            title = self._section_title(row, width)
            if title:
                self._start_section(title)
            elif header_at is None or index > header_at:
                self._task_row(row, f"table {self.tables}, row {index + 1}", pending)
            pending = None

    # -- columns and headers --------------------------------------------------------

    @staticmethod
    def _row_headings(row, width) -> list[str]:
        headings = [""] * width
        for cell in row:
            if cell.column < width:
                headings[cell.column] = " ".join(cell.paragraphs)
        return headings

    def _is_header(self, row, width) -> bool:
        headings = self._row_headings(row, width)
        return all(_same(headings[i], self.headings.get(i, "")) for i in range(width))

    def _use_columns(self, roles, row, width) -> None:
        if roles == self.roles and width == self.width:
            return
        self.roles, self.width = roles, width
        self.headings = dict(enumerate(self._row_headings(row, width)))
        notes = {
            col.UNPLACED: "The “{}” column has no place in the app: what it says is listed "
            "beside each task as not imported.",
            col.NUMBER: "The “{}” column is not imported: the app keeps the rows in the "
            "document's order.",
            col.REFERENCE: "The “{}” column is read for the letter's findings it names "
            "(such as “AFI 3”); other references are listed beside their task.",
            col.RECOMMENDATION: "The “{}” column is matched to the inspection's findings; "
            "text that matches none is listed beside its task.",
        }
        for index, role in sorted(roles.items()):
            note = notes.get(role, "").format(_short(self.headings[index], 60))
            if note and note not in self.plan.warnings:
                self.plan.warnings.append(note)

    def _column(self, role) -> int | None:
        return next((i for i, r in sorted(self.roles.items()) if r == role), None)

    def _cells(self, row, role):
        return [cell for cell in row if self.roles.get(cell.column) == role]

    def _paragraphs(self, row, role) -> list[str]:
        return [p for cell in self._cells(row, role) for p in cell.paragraphs]

    # -- sections -------------------------------------------------------------------

    def _section_title(self, row, width) -> str | None:
        filled = [cell for cell in row if cell.paragraphs]
        if len(filled) != 1:
            return None
        cell = filled[0]
        text = " ".join(" ".join(cell.paragraphs).split())
        if cell.span >= max(2, (width + 1) // 2):
            return text
        alone_in_task_column = cell.column == self._column(col.DESCRIPTION) and len(text) <= 150
        if alone_in_task_column and (cell.bold or _SECTION_TITLE.match(text)):
            return text
        return None

    def _heading_title(self, paragraph: "_Paragraph | None") -> str | None:
        """A heading just before a table names the section its first tasks are in."""
        if paragraph is None or paragraph.text in self.repeated or len(paragraph.text) > 150:
            return None
        if paragraph.style.lower().startswith("heading") or _SECTION_TITLE.match(paragraph.text):
            return " ".join(paragraph.text.split())
        return None

    def _start_section(self, title: str) -> None:
        if self.section and _same(title, self.section.title):
            return  # the section's title repeated at the top of the next page
        match = self.matcher.match(title)
        agency_ids = [] if match.all_partners else match.agency_ids
        section = ParsedSection(
            title=title,
            whole_partnership=match.all_partners,
            agency_ids=agency_ids,
            agency_names=[self.matcher.names[pk] for pk in agency_ids],
        )
        if len(title) > 300:
            section.title = title[:299].rstrip() + "…"
            section.warnings.append(f"The section title was shortened to 300 characters: “{title}”")
        self.plan.sections.append(section)
        self.section, self.task = section, None

    # -- tasks ----------------------------------------------------------------------

    def _task_row(self, row, source, pending_title) -> None:
        description = self._paragraphs(row, col.DESCRIPTION)
        if description:
            if pending_title:
                self._start_section(pending_title)
            if self.section is None:
                self._start_section(DEFAULT_SECTION)
                self.section.warnings.append(
                    "No section title was found before these tasks, so they are in a "
                    f"section called “{DEFAULT_SECTION}”."
                )
            self.task = ParsedTask(description="\n\n".join(description), source=source)
            self.section.tasks.append(self.task)
        elif self.task is None:
            text = " / ".join(cell.text for cell in row if cell.paragraphs)
            warnings = self.section.warnings if self.section else self.plan.warnings
            warnings.append(f"A row with no key task ({source}) was not imported: “{_short(text)}”")
            return
        self._fill(self.task, row)

    def _fill(self, task: ParsedTask, row) -> None:
        task.success_measures += _lines(self._paragraphs(row, col.MEASURES))
        # A row continued over a page may repeat its leads: keep them once.
        earlier = list(task.leads)
        for name in _lines(self._paragraphs(row, col.LEADS)):
            if not any(_same(name, lead.name) for lead in earlier):
                task.leads.append(self._lead(name, task))
        task.action_to_date += _entries(self._paragraphs(row, col.PROGRESS))
        dates = self._paragraphs(row, col.TARGET_DATE)
        if col.FUTURE in self.roles.values():
            future = _future_actions(self._paragraphs(row, col.FUTURE))
            self._apply_dates(task, future, dates)
        else:  # a "By when" or "Timescale" column is the plan's future actions
            future = _future_actions(dates)
        task.future_actions += future
        self._note_rating(task, row)
        self._other_columns(task, row)

    def _lead(self, name: str, task: ParsedTask) -> ParsedLead:
        match = self.matcher.match(name)
        lead = ParsedLead(name=name, agency_ids=match.agency_ids, all_partners=match.all_partners)
        if len(name) > 300:
            lead.name = name[:299].rstrip() + "…"
            task.warnings.append(f"A lead was shortened to 300 characters: “{_short(name)}”")
        if not (lead.agency_ids or lead.all_partners):
            if len(self.section.agency_ids) == 1:
                lead.agency_ids, lead.from_section = list(self.section.agency_ids), True
            else:
                task.warnings.append(
                    f"The lead “{_short(name)}” names none of the area's agencies: kept as "
                    "written, with no agency."
                )
        lead.agency_names = [self.matcher.short_names[pk] for pk in lead.agency_ids]
        return lead

    def _apply_dates(self, task, future, dates: list[str]) -> None:
        if not dates:
            return
        heading = self.headings.get(self._column(col.TARGET_DATE), "")
        read = [read_target_date(text) for text in dates]
        if not any(read):
            task.warnings.append(
                f"“{_short(' '.join(dates))}” in the “{heading}” column is not a date: not imported."
            )
        elif not future:
            task.warnings.append(
                f"The date “{_short(' '.join(dates))}” has no future action beside it: not imported."
            )
        elif len(read) == len(future):
            for action, target in zip(future, read, strict=True):
                action.target_date = action.target_date or target
        else:
            target = [value for value in read if value][-1]
            for action in future:
                action.target_date = action.target_date or target
            if len(set(filter(None, read))) > 1:
                task.warnings.append(
                    f"The “{heading}” column gives several dates for fewer or more future "
                    f"actions; the last, {target:%d %B %Y}, was used for those without one."
                )

    def _note_rating(self, task, row) -> None:
        cells = self._cells(row, col.RAG)
        if not cells:
            return
        text = " ".join(" ".join(cell.paragraphs) for cell in cells)
        shading = next((cell.fill for cell in cells if cell.fill), None)
        earlier = self.rag_cells.get(id(task))
        if earlier is None or not (earlier[1] or earlier[2]):
            self.rag_cells[id(task)] = (task, text, shading)

    def _other_columns(self, task, row) -> None:
        for index, role in sorted(self.roles.items()):
            if role not in (col.REFERENCE, col.RECOMMENDATION, col.UNPLACED):
                continue
            text = "\n".join(p for cell in row if cell.column == index for p in cell.paragraphs)
            if not text:
                continue
            found = (
                self._findings_by_reference(text)
                if role == col.REFERENCE
                else self._findings_by_text(text)
                if role == col.RECOMMENDATION
                else []
            )
            if found:
                for finding in found:
                    if finding.pk not in task.finding_ids:
                        task.finding_ids.append(finding.pk)
                        task.finding_references.append(finding.reference)
            else:
                task.warnings.append(
                    f"Not imported (“{_short(self.headings[index], 60)}” column): “{_short(text)}”"
                )

    def _findings_by_reference(self, text: str) -> list:
        wanted = {(_FINDING_KINDS[kind.lower()], int(n)) for kind, n in _FINDING_REF.findall(text)}
        return [f for f in self.findings if (f.kind, f.position) in wanted]

    def _findings_by_text(self, text: str) -> list:
        words = set(re.findall(r"[a-z]+", text.lower()))
        for finding in self.findings:
            theirs = set(re.findall(r"[a-z]+", finding.text.lower()))
            if words and theirs and len(words & theirs) / len(words | theirs) >= 0.75:
                return [finding]
        return self._findings_by_reference(text)

    # -- the key, the ratings and the front matter ---------------------------------

    def _learn_key_from_table(self, rows) -> None:
        """A small table outside the plan tables may be the RAG key: learn from it when
        it teaches at least two colours (a single coloured banner is not a key)."""
        key, spare = RagKey(), []
        for row in rows:
            filled = [cell for cell in row if cell.paragraphs]
            coloured = [cell for cell in row if colour_of_fill(cell.fill)]
            if len(coloured) > 1:  # one rating per cell
                for cell in filled:
                    if not key.learn_line(" ".join(cell.paragraphs), cell.fill):
                        spare.append(" ".join(cell.paragraphs))
            elif filled:
                text = " = ".join(" ".join(cell.paragraphs) for cell in filled)
                if not key.learn_line(text, coloured[0].fill if coloured else None):
                    spare.append(text)
        if len(key.labels) + len(set(key.numbers.values()) - set(key.labels)) >= 2:
            self.key.merge(key)
            spare = [text for text in spare if len(text) <= 40 and "key" not in text.lower()]
            if spare and not self.unrated_label:
                self.unrated_label = spare[0]

    def _learn_key_from_paragraphs(self) -> None:
        groups: dict[int, list[_Paragraph]] = {}
        for paragraph in self.paragraphs:
            if paragraph.text and len(paragraph.text) <= 80:
                groups.setdefault(paragraph.group, []).append(paragraph)
        for paragraphs in groups.values():
            key = RagKey()
            lines = [p for p in paragraphs if key.learn_line(p.text, p.fill)]
            if len(key.labels) + len(set(key.numbers.values()) - set(key.labels)) >= 2:
                self.key.merge(key)
                for paragraph in lines:
                    paragraph.key = True

    def _read_ratings(self) -> None:
        labels = self.key.plan_labels()
        self.plan.rag_labels = labels
        self.plan.rag_unrated_label = self.unrated_label
        unrated = self.unrated_label or DEFAULT_LABELS[""]
        for task, text, shading in self.rag_cells.values():
            task.rag, warning = read_rag(text, shading, self.key, labels, unrated)
            if warning:
                task.warnings.append(warning)
        for task in self.plan.tasks:
            task.rag_label = labels.get(task.rag) or (
                unrated if not task.rag else DEFAULT_LABELS[task.rag]
            )
        if self.key.four_colours:
            self.plan.warnings.append(
                "The RAG key has four colours and the app has three: blue is imported as "
                f"“{labels.get('green', 'green')}” and green as “{labels.get('amber', 'amber')}”."
            )

    def _front_matter(self) -> None:
        plan = self.plan
        head = self._title_block()
        version = next(
            (
                p
                for p in head
                if p.style == "Plan version" or (_VERSION.match(p.text) and len(p.text) <= 100)
            ),
            None,
        )
        titles = [p.text for p in head if p.style == "Title"]
        if not titles and version:
            titles = [p.text for p in head[: head.index(version)]][:2]
        if not titles:
            titles = [p.text for p in head if p is not version][:1]
        plan.title = " - ".join(" ".join(t.split()) for t in titles)
        plan.title = plan.title or " ".join(self.document.core_properties.title.split())
        if not plan.title:
            plan.title = "Action plan"
            plan.warnings.append("No title was found: the plan is called “Action plan”.")
        elif len(plan.title) > 300:
            plan.title = plan.title[:299].rstrip() + "…"
        plan.version_label = " ".join(version.text.split())[:100] if version else ""
        plan.running_heading = self._running_heading()[:300]
        self._introduction(title_block={id(p) for p in head})

    def _title_block(self) -> list[_Paragraph]:
        """The first lines of the document, up to the first heading, list or plan table."""
        head = []
        for p in self.paragraphs:
            if not p.before_plan or p.numbered or _NUMBERED.match(p.text):
                break
            if p.style.lower().startswith("heading"):
                break
            if p.text and not p.key and p.text not in self.repeated:
                head.append(p)
        return head[:8]

    def _running_heading(self) -> str:
        section = self.document.sections[0] if self.document.sections else None
        if section is not None and not section.header.is_linked_to_previous:
            texts = [clean(paragraph_text(p._p)) for p in section.header.paragraphs]
            texts = [t for t in texts if len(t) > 10]
            if texts:
                return max(texts, key=len).replace("\n", " ")
        before = [p.text for p in self.paragraphs if p.text in self.repeated and not p.key]
        return before[0].replace("\n", " ") if before else ""

    def _introduction(self, title_block) -> None:
        heading = ""
        for paragraph in self.paragraphs:
            if not paragraph.text or paragraph.key:
                continue
            literal = _NUMBERED.match(paragraph.text)
            is_heading = paragraph.style.lower().startswith(("heading", "title"))
            if (literal or paragraph.numbered) and not is_heading:
                text = literal[2] if literal else paragraph.text
                self.plan.introduction.append(
                    ParsedIntroParagraph(len(self.plan.introduction) + 1, heading[:200], text)
                )
                heading = ""
            elif (
                len(paragraph.text) <= 120
                and id(paragraph) not in title_block
                and paragraph.text not in self.repeated
                and paragraph.style != "Plan version"
            ):
                heading = " ".join(paragraph.text.split())
            else:
                heading = ""
