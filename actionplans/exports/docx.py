"""The plan as an editable Word document, for boards and cabinets that still work in Word.

Landscape A4: a title block, the introduction, the RAG key, then one table per section
with the plan's six columns and a header row Word repeats on every page. A RAG cell is
shaded and also says its label, so the colour is never the only signal. Every piece of
text has a named style ("Plan table text", "Plan RAG", ...): changing one style in Word
restyles the whole document.

The file reads back in with the importer (`actionplans.imports.docx`): one paragraph per
entry, and a target date that a future action's text does not give itself is written on
a last line "Target date: ...".
"""

import io
import re

from django.db.models import Prefetch
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from ..imports.dates import read_target_date
from ..imports.leads import AgencyMatcher, agency_aliases
from ..models import KeyTask, Rag

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

COLUMNS = [
    ("Key tasks", Cm(5.4)),
    ("How will we know?", Cm(4.8)),
    ("Lead(s)", Cm(3.2)),
    ("Action to date", Cm(5.4)),
    ("Future actions", Cm(5.4)),
    ("RAG", Cm(2.5)),
]
# GOV.UK's red, yellow, green and blue (the fourth colour), with the text colour that
# reads on each. The importer reads each shading back as its rating.
RAG_SHADING = {
    Rag.RED: ("D4351C", RGBColor(0xFF, 0xFF, 0xFF)),
    Rag.AMBER: ("FFDD00", RGBColor(0x0B, 0x0C, 0x0C)),
    Rag.GREEN: ("00703C", RGBColor(0xFF, 0xFF, 0xFF)),
    Rag.BLUE: ("1D70B8", RGBColor(0xFF, 0xFF, 0xFF)),
}
HEADER_SHADING = "DEE0E2"
SECTION_SHADING = "F3F2F1"
# Characters XML cannot hold; python-docx refuses them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def render_plan_docx(plan) -> bytes:
    """The plan as a .docx file's bytes (a fixed number of queries, whatever its size).

    Withdrawn key tasks are left out: the Word copy is the plan in force. Leads carry
    their agencies where their words would not give them back (`imports.leads`), and
    the title block states the plan's status, so an import gives the plan back.
    """
    tasks = KeyTask.objects.for_display().select_related(None).filter(withdrawn_at__isnull=True)
    sections = plan.sections.prefetch_related(
        "agencies", Prefetch("tasks", queryset=tasks.order_by("position"))
    )
    area = plan.inspection.area
    matcher = AgencyMatcher(area.agencies.all(), agency_aliases(area))
    document = Document()
    _add_styles(document)
    _page_setup(document, plan)
    _title_block(document, plan)
    _introduction(document, list(plan.introduction.all()))
    document.add_paragraph(plan.running_heading or "Recommendations and actions", "Heading 1")
    _rag_key(document, plan)
    # python-docx finds a style by name by scanning every style: look each up once.
    style_ids = {name: document.styles[name].style_id for name in TABLE_STYLES}
    for section in sections:
        _SectionTable(document, plan, style_ids, matcher).write(section)
        document.add_paragraph("", "Plan table text")  # keeps Word from joining the tables
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- styles and page ------------------------------------------------------------------


def _style(document, name, base, size, *, bold=False, space_after=3, alignment=None):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True  # shown in Word's style gallery, so users find it
    style.font.size = Pt(size)
    style.font.bold = bold
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(space_after)
    if alignment is not None:
        style.paragraph_format.alignment = alignment
    return style


def _add_styles(document) -> None:
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    _style(document, "Plan version", "Normal", 14, space_after=6)
    _style(document, "Plan details", "Normal", 11, space_after=2)
    _style(document, "Plan introduction", "Normal", 11, space_after=8)
    _style(document, "Plan table heading", "Normal", 9, bold=True)
    _style(document, "Plan section row", "Normal", 11, bold=True)
    _style(document, "Plan table text", "Normal", 9)
    bullet = _style(document, "Plan table bullet", "List Bullet", 9)
    bullet.paragraph_format.left_indent = Cm(0.4)
    bullet.paragraph_format.first_line_indent = Cm(-0.3)
    _style(document, "Plan RAG", "Normal", 9, bold=True, alignment=WD_ALIGN_PARAGRAPH.CENTER)


def _page_setup(document, plan) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    if plan.running_heading:
        section.header.paragraphs[0].text = _xml_safe(plan.running_heading)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until Word updates the field
    number.append(text)
    page.append(number)
    footer._p.append(page)
    properties = document.core_properties
    properties.title = _xml_safe(plan.title)
    properties.subject = _xml_safe(plan.running_heading)
    properties.author = "JTAI Tracker"


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text or "")


# -- front matter -----------------------------------------------------------------------


def _title_block(document, plan) -> None:
    document.add_paragraph(_xml_safe(plan.title), "Title")
    if plan.version_label:
        document.add_paragraph(_xml_safe(plan.version_label), "Plan version")
    inspection = plan.inspection
    document.add_paragraph(_xml_safe(inspection.area.partnership_name), "Plan details")
    document.add_paragraph(_xml_safe(str(inspection)), "Plan details")
    document.add_paragraph(f"Status: {plan.get_status_display()}", "Plan details")


def _introduction(document, paragraphs) -> None:
    if not paragraphs:
        return
    document.add_paragraph("Introduction", "Heading 1")
    for paragraph in paragraphs:
        if paragraph.heading and paragraph.heading.lower() != "introduction":
            document.add_paragraph(_xml_safe(paragraph.heading), "Heading 2")
        _write_lines(
            document.add_paragraph("", "Plan introduction"), f"{paragraph.number}. {paragraph.text}"
        )


def _rag_key(document, plan) -> None:
    document.add_paragraph("RAG key", "Heading 2")
    key = [*plan.rag_key, (Rag.UNRATED, plan.rag_unrated_label)]
    table = document.add_table(rows=1, cols=len(key))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    style_id = document.styles["Plan RAG"].style_id
    for cell, (rag, label) in zip(table.rows[0].cells, key, strict=True):
        cell.width = Cm(4)
        _rag_cell(cell, rag, label, style_id)
    document.add_paragraph("", "Plan table text")


# -- the plan tables ---------------------------------------------------------------------

TABLE_STYLES = [
    "Plan table heading",
    "Plan section row",
    "Plan table text",
    "Plan table bullet",
    "Plan RAG",
]


class _SectionTable:
    """One section as a table. Rows are built from their own cells (python-docx's
    `row.cells` walks the whole table, which made long plans slow)."""

    def __init__(self, document, plan, style_ids, matcher):
        self.document, self.plan, self.style = document, plan, style_ids
        self.matcher = matcher

    def write(self, section) -> None:
        table = self.document.add_table(rows=1, cols=len(COLUMNS))
        table.style = self.document.styles["Table Grid"]
        table.autofit = False
        header = table.rows[0]
        _repeat_as_header(header)
        for cell, (heading, width) in zip(header.cells, COLUMNS, strict=True):
            cell.width = width
            _shade(cell, HEADER_SHADING)
            _fill_cell(cell, [heading], self.style["Plan table heading"])
        title_row = table.add_row()
        title = title_row.cells[0].merge(title_row.cells[-1])
        _shade(title, SECTION_SHADING)
        _fill_cell(title, [section.title], self.style["Plan section row"])
        text, bullet = self.style["Plan table text"], self.style["Plan table bullet"]
        for task in section.tasks.all():
            row = table.add_row()
            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
            for cell, (_, width) in zip(cells, COLUMNS, strict=True):
                cell.width = width
            _fill_cell(cells[0], task.description_paragraphs or ["(No key task written)"], text)
            _fill_cell(cells[1], task.success_measure_list, text)
            section_agencies = [agency.pk for agency in section.agencies.all()]
            leads = [
                self.matcher.lead_text(
                    lead.name,
                    [agency.pk for agency in lead.agencies.all()],
                    lead.all_partners,
                    section_agencies,
                )
                for lead in task.leads.all()
            ]
            _fill_cell(cells[2], leads, text)
            _fill_cell(cells[3], [entry.text for entry in task.action_to_date.all()], bullet)
            _fill_cell(cells[4], [_future_text(a) for a in task.open_future_actions], bullet)
            _rag_cell(cells[5], task.rag, self.plan.rag_label(task.rag), self.style["Plan RAG"])


def _future_text(action) -> str:
    """The action's text, plus its target date on a last line when the text does not say it."""
    said = read_target_date(action.text)
    if said == action.target_date:
        return action.text
    if action.target_date is None:
        return f"{action.text}\nTarget date: none"
    return f"{action.text}\nTarget date: {action.target_date.day} {action.target_date:%B %Y}"


def _fill_cell(cell, paragraphs: list[str], style_id: str) -> None:
    first = cell.paragraphs[0]
    first._p.style = style_id
    for index, text in enumerate(paragraphs):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph._p.style = style_id
        _write_lines(paragraph, text)


def _write_lines(paragraph, text: str) -> None:
    """Lines of one entry stay in one paragraph, split by line breaks (w:br)."""
    for index, line in enumerate(_xml_safe(text).split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break()
        run.add_text(line)


def _rag_cell(cell, rag: str, label: str, style_id: str) -> None:
    _fill_cell(cell, [label], style_id)
    if rag in RAG_SHADING:
        fill, colour = RAG_SHADING[rag]
        _shade(cell, fill)
        for run in cell.paragraphs[0].runs:
            run.font.color.rgb = colour


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)
