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

from docx.oxml.ns import qn

from ..models import ActionPlan
from . import columns as col
from .cells import entries, future_actions, lines, same, short
from .dates import read_target_date
from .files import ImportRefused, ReadingClock, open_docx
from .front import Paragraph, read_front_matter
from .leads import AgencyMatcher
from .parsed import ParsedLead, ParsedPlan, ParsedSection, ParsedTask
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
    for rag in ("red", "amber", "green", "blue", "")
}

_SECTION_TITLE = re.compile(
    r"^(actions?\s+(for|across|by|to be taken by)\b|section\s+\w|part\s+\w|theme\s*\d|"
    r"priority\s*\d|recommendation\s*\d|areas?\s+for\s+(improvement|priority action)\s*\d)",
    re.IGNORECASE,
)
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


def parse_plan(data: bytes, *, agencies, findings=(), aliases=()) -> ParsedPlan:
    """Read the bytes of a .docx into a ParsedPlan, or raise ImportRefused saying why.

    `agencies` are the area's partner agencies (for the leads), `findings` the
    inspection's findings (for reference columns), `aliases` the other names of the
    agencies as (name, agency id) pairs; plain objects, no queries here.
    """
    clock = ReadingClock()
    document = open_docx(data)
    try:
        return _PlanReader(document, agencies, findings, clock, aliases).read()
    except ImportRefused:
        raise
    except Exception:  # an odd document must give a message, never a server error
        logger.exception("An uploaded plan could not be read")
        raise ImportRefused(UNREADABLE) from None


class _PlanReader:
    """One pass over the document's body, keeping where it is: the columns of the last
    plan table, the current section and the last task (for continuation rows)."""

    def __init__(self, document, agencies, findings, clock, aliases=()):
        self.document = document
        self.clock = clock
        self.matcher = AgencyMatcher(agencies, aliases)
        self.findings = list(findings)
        self.styles = {style.style_id: style.name for style in document.styles}
        self.numbering = Numbering(document)
        self.plan = ParsedPlan()
        self.key = RagKey()
        self.unrated_label = ""
        self.paragraphs: list[Paragraph] = []
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
            self.clock.check()
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
        read_front_matter(self.plan, self.paragraphs, self.repeated, self.document)
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

    def _paragraph(self, p) -> Paragraph:
        style_id = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style = self.styles.get(style_id.get(W_VAL), "") if style_id is not None else ""
        return Paragraph(
            text=clean(paragraph_text(p)),
            style=style or "",
            fill=fill(p),
            numbered=self.numbering.is_numbered(p, style or ""),
            before_plan=not self.plan_tables,
            group=self.tables,
        )

    def _table(self, tbl, heading_before: "Paragraph | None") -> None:
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
            self.clock.check()
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
        return all(same(headings[i], self.headings.get(i, "")) for i in range(width))

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
            note = notes.get(role, "").format(short(self.headings[index], 60))
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

    def _heading_title(self, paragraph: "Paragraph | None") -> str | None:
        """A heading just before a table names the section its first tasks are in."""
        if paragraph is None or paragraph.text in self.repeated or len(paragraph.text) > 150:
            return None
        if paragraph.style.lower().startswith("heading") or _SECTION_TITLE.match(paragraph.text):
            return " ".join(paragraph.text.split())
        return None

    def _start_section(self, title: str) -> None:
        if self.section and same(title, self.section.title):
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
            warnings.append(f"A row with no key task ({source}) was not imported: “{short(text)}”")
            return
        self._fill(self.task, row)

    def _fill(self, task: ParsedTask, row) -> None:
        task.success_measures += lines(self._paragraphs(row, col.MEASURES))
        # A row continued over a page may repeat its leads: keep them once.
        earlier = list(task.leads)
        for name in lines(self._paragraphs(row, col.LEADS)):
            if not any(same(name, lead.name) for lead in earlier):
                task.leads.append(self._lead(name, task))
        task.action_to_date += entries(self._paragraphs(row, col.PROGRESS))
        dates = self._paragraphs(row, col.TARGET_DATE)
        if col.FUTURE in self.roles.values():
            future = future_actions(self._paragraphs(row, col.FUTURE))
            self._apply_dates(task, future, dates)
        else:  # a "By when" or "Timescale" column is the plan's future actions
            future = future_actions(dates)
        task.future_actions += future
        self._note_rating(task, row)
        self._other_columns(task, row)

    def _lead(self, name: str, task: ParsedTask) -> ParsedLead:
        reading = self.matcher.read_lead(name, self.section.agency_ids)
        name = reading.name
        lead = ParsedLead(
            name=name,
            agency_ids=reading.agency_ids,
            all_partners=reading.all_partners,
            from_section=reading.from_section,
        )
        if len(name) > 300:
            lead.name = name[:299].rstrip() + "…"
            task.warnings.append(f"A lead was shortened to 300 characters: “{short(name)}”")
        if not (lead.agency_ids or lead.all_partners):
            task.warnings.append(
                f"The lead “{short(name)}” names none of the area's agencies: kept as "
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
                f"“{short(' '.join(dates))}” in the “{heading}” column is not a date: not imported."
            )
        elif not future:
            task.warnings.append(
                f"The date “{short(' '.join(dates))}” has no future action beside it: not imported."
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
                    f"Not imported (“{short(self.headings[index], 60)}” column): “{short(text)}”"
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
        if key.colours >= 2:
            self.key.merge(key)
            spare = [text for text in spare if len(text) <= 40 and "key" not in text.lower()]
            if spare and not self.unrated_label:
                self.unrated_label = spare[0]

    def _learn_key_from_paragraphs(self) -> None:
        groups: dict[int, list[Paragraph]] = {}
        for paragraph in self.paragraphs:
            if paragraph.text and len(paragraph.text) <= 80:
                groups.setdefault(paragraph.group, []).append(paragraph)
        for paragraphs in groups.values():
            key = RagKey()
            key_lines = [p for p in paragraphs if key.learn_line(p.text, p.fill)]
            if key.colours >= 2:
                self.key.merge(key)
                for paragraph in key_lines:
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
