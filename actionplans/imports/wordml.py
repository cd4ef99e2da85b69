"""The few pieces of WordprocessingML the importer reads, straight from the XML.

python-docx's own `.text` skips tracked insertions and its tables repeat merged cells;
a plan's reader needs each cell once, where it starts in the grid, with its paragraphs,
its shading and whether it continues a vertically merged cell. Text boxes, deleted
text and field codes are not part of a cell's words.
"""

from dataclasses import dataclass, field

from docx.oxml.ns import qn

from .rag import HIGHLIGHT_FILLS, colour_of_fill

W_P, W_TBL, W_TR, W_TC, W_SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
W_SDT_CONTENT = qn("w:sdtContent")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
W_VAL, W_FILL = qn("w:val"), qn("w:fill")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees whose text is not the paragraph's own words.
_SKIP = {
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:txbxContent"),
    qn("w:instrText"),
    qn("w:footnoteReference"),
    MC_FALLBACK,
}


def paragraph_text(p) -> str:
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts).replace("\u00a0", " ")


def _collect(element, parts) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W_T:
            parts.append(child.text or "")
        elif tag == W_TAB:
            parts.append("\t")
        elif tag in (W_BR, W_CR):
            parts.append("\n")
        elif tag == W_NO_BREAK_HYPHEN:
            parts.append("-")
        else:
            _collect(child, parts)


def clean(text: str) -> str:
    """A paragraph's text with each line's outer spaces and empty lines removed; the
    words themselves are kept as written."""
    lines = [line.replace("\t", " ").strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def children(element, *tags):
    """Child elements with one of `tags`, looking through content controls (w:sdt)."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from children(content, *tags)


def fill(element) -> str | None:
    """The RAG-like shading of a cell or paragraph: its own, else its paragraphs' or runs'.

    Pale and grey fills (table styles, header rows) are not ratings and are passed over.
    """
    for shd in element.iter(qn("w:shd")):
        fill = shd.get(W_FILL)
        if colour_of_fill(fill):
            return fill.upper()
    for highlight in element.iter(qn("w:highlight")):
        fill = HIGHLIGHT_FILLS.get(highlight.get(W_VAL, ""))
        if fill:
            return fill
    return None


def is_bold(p) -> bool:
    """Every run with text is bold (direct formatting; heading styles are read elsewhere)."""
    runs = [
        r for r in p.iter(qn("w:r")) if r.find(W_T) is not None and (r.findtext(W_T) or "").strip()
    ]
    if not runs:
        return False
    for run in runs:
        b = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if b is None or b.get(W_VAL) in ("0", "false", "off"):
            return False
    return True


@dataclass
class Cell:
    column: int  # the grid column it starts at
    span: int
    paragraphs: list[str] = field(default_factory=list)
    fill: str | None = None
    bold: bool = False
    continues_above: bool = False  # a vertically merged cell's lower part

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def read_row(tr) -> list[Cell]:
    cells: list[Cell] = []
    before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    column = int(before.get(W_VAL, 0)) if before is not None else 0
    for tc in children(tr, W_TC):
        tc_pr = tc.find(qn("w:tcPr"))
        span, merged = 1, None
        if tc_pr is not None:
            grid_span = tc_pr.find(qn("w:gridSpan"))
            if grid_span is not None:
                span = max(1, int(grid_span.get(W_VAL, 1)))
            v_merge = tc_pr.find(qn("w:vMerge"))
            if v_merge is not None:
                merged = v_merge.get(W_VAL, "continue")
        continues = merged == "continue"
        paragraphs = [] if continues else list(children(tc, W_P))
        texts = [clean(paragraph_text(p)) for p in paragraphs]
        cells.append(
            Cell(
                column=column,
                span=span,
                paragraphs=[t for t in texts if t],
                fill=None if continues else fill(tc),
                bold=bool(texts)
                and all(is_bold(p) for p, t in zip(paragraphs, texts, strict=True) if t),
                continues_above=continues,
            )
        )
        column += span
    return cells


def read_table(tbl) -> list[list[Cell]]:
    return [read_row(tr) for tr in children(tbl, W_TR)]


class Numbering:
    """Which paragraphs Word numbers 1, 2, 3 (rather than bullets), from the numbering part."""

    def __init__(self, document):
        self.formats: dict[tuple[str, str], str] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for definition in numbering.findall(qn("w:abstractNum")):
            levels = {
                lvl.get(qn("w:ilvl")): lvl.find(qn("w:numFmt")).get(W_VAL)
                for lvl in definition.findall(qn("w:lvl"))
                if lvl.find(qn("w:numFmt")) is not None
            }
            abstract[definition.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(W_VAL), {}).items():
                self.formats[(num.get(qn("w:numId")), level)] = fmt

    def is_numbered(self, p, style_name: str) -> bool:
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            return style_name.lower().startswith("list number")
        num_id = num_pr.find(qn("w:numId"))
        level = num_pr.find(qn("w:ilvl"))
        key = (
            num_id.get(W_VAL) if num_id is not None else None,
            level.get(W_VAL) if level is not None else "0",
        )
        return self.formats.get(key, "") == "decimal"
