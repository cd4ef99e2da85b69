"""Word documents for the tests, built with python-docx the way partnerships lay out plans.

`Doc` writes paragraphs and tables; a table's rows are lists of cells, each a string,
a list of paragraphs, or a `Cell` with shading, a horizontal span or a vertical merge.
`seed_layout` lays a plan out as the Stockton seed document does.
"""

import io
import math
import zipfile
from dataclasses import dataclass, field

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER = ["Key tasks", "How will we know?", "Lead(s)", "Action to date", "Future actions", "RAG"]


@dataclass
class Cell:
    paragraphs: list[str] | str = field(default_factory=list)
    fill: str | None = None
    span: int = 1
    down: int = 1  # merge with the cells below: 2 = this row and the next
    bold: bool = False


def _as_cell(value) -> Cell:
    if isinstance(value, Cell):
        return value
    return Cell(paragraphs=value)


def _write(paragraph, text: str, bold=False) -> None:
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break()
        run.add_text(line)
        run.bold = bold or None


def shade(element_pr, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    element_pr.append(shading)


class Doc:
    def __init__(self):
        self.document = Document()

    def paragraph(self, text="", style=None, fill=None, bold=False):
        paragraph = self.document.add_paragraph("", style)
        _write(paragraph, text, bold)
        if fill:
            shade(paragraph._p.get_or_add_pPr(), fill)
        return self

    def table(self, rows):
        width = sum(_as_cell(cell).span for cell in rows[0])
        table = self.document.add_table(rows=len(rows), cols=width)
        covered = set()  # (row, column) taken by a cell merged from above
        for r, row in enumerate(rows):
            column = 0
            for value in row:
                while (r, column) in covered:
                    column += 1
                cell = _as_cell(value)
                target = table.cell(r, column)
                if cell.span > 1 or cell.down > 1:
                    target = target.merge(table.cell(r + cell.down - 1, column + cell.span - 1))
                    covered |= {
                        (r + dr, column + dc)
                        for dr in range(1, cell.down)
                        for dc in range(cell.span)
                    }
                paragraphs = (
                    [cell.paragraphs] if isinstance(cell.paragraphs, str) else cell.paragraphs
                )
                for index, text in enumerate(paragraphs):
                    p = target.paragraphs[0] if index == 0 else target.add_paragraph()
                    _write(p, text, cell.bold)
                if cell.fill:
                    shade(target._tc.get_or_add_tcPr(), cell.fill)
                column += cell.span
        self.document.add_paragraph()  # Word joins tables that touch
        return self

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# -- the seed's layout -----------------------------------------------------------------


def task_columns(task) -> list[list[str]]:
    return [
        task.description_paragraphs,
        task.success_measure_list,
        [lead.name for lead in task.leads.all()],
        [entry.text for entry in task.action_to_date.all()],
        [action.text for action in task.future_actions.all() if action.status == "open"],
        [],
    ]


def seed_layout(plan, broken=()) -> bytes:
    """The plan laid out like seeds/003: a title block, a RAG key table repeated on every
    page, the running heading, a header-only table, the numbered introduction, then one
    table per page with the header row repeated. Tasks whose description starts with one
    of `broken` run over a page: their cells are split between two tables, the second
    part in a row whose first cell is empty."""
    doc = Doc()
    for line in ["Joint Targeted Area Neglect Inspection", "Post Inspection Action Plan 2018"]:
        doc.paragraph(line, bold=True)
    doc.paragraph(plan.version_label).paragraph("")
    doc.paragraph("Stockton-on-Tees").paragraph("BOROUGH COUNCIL")

    def page_top():
        doc.table(
            [
                [Cell("", fill=fill), label]
                for fill, label in zip(
                    ("FF0000", "FFC000", "00B050"),
                    (plan.rag_red_label, plan.rag_amber_label, plan.rag_green_label),
                    strict=True,
                )
            ]
        )
        doc.paragraph(plan.running_heading)

    page_top()
    doc.table([HEADER])
    heading = None
    for paragraph in plan.introduction.all():
        if paragraph.heading and paragraph.heading != heading:
            doc.paragraph(paragraph.heading)
        heading = paragraph.heading or heading
        doc.paragraph(f"{paragraph.number}. {paragraph.text}")
    for section in plan.sections.all():
        rows = [HEADER, [Cell(section.title, span=6)]]
        for task in section.tasks.order_by("position"):
            columns = task_columns(task)
            if task.description.startswith(tuple(broken)):
                first = [c[: math.ceil(len(c) / 2)] for c in columns]
                rest = [c[math.ceil(len(c) / 2) :] for c in columns]
                rows.append(first)
                page_top()
                doc.table(rows)
                rows = [HEADER, [[], *rest[1:]]]
            else:
                rows.append(columns)
        page_top()
        doc.table(rows)
    return doc.bytes()


# -- documents too big to read ------------------------------------------------------------


def with_rows_added(data: bytes, rows: int, first_cell: str = "A key task") -> bytes:
    """The .docx `data` with `rows` more six-cell rows at the end of its last table, written
    straight into document.xml (python-docx would take minutes to add a million
    elements). `first_cell` is raw WordprocessingML inside the first cell's run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode()
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    row = "<w:tr>" + cell.format(first_cell) + cell.format("x") * 5 + "</w:tr>"
    end = xml.rindex("</w:tbl>")
    xml = xml[:end] + row * rows + xml[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = xml.encode()
            archive.writestr(info.filename, content)
    return out.getvalue()
