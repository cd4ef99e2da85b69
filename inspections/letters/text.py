"""A letter's text layer as lines with positions and fonts, and the checks before it.

A PDF is refused before any text is extracted when it is not a PDF, is too large, has too
many pages, is password-protected or cannot be parsed; pypdfium2 (PDFium, in C) answers
those questions without walking the whole file. pdfplumber then gives the words with their
font name and size, from which each `Line` knows whether it is bold, starts with a bullet
glyph, and how large it is. What is not the letter's running text goes here too: page
numbers, running headers and footers (the same text at the same edge of several pages),
footnotes (smaller type) and footnote markers (smaller, raised digits inside a line).
"""

import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 150
# Below this many characters of text in the whole file, the pages are pictures (a scan).
MIN_TEXT_CHARS = 200

SYMBOL_FONTS = re.compile(r"wingding|symbol|dingbat|webding|marlett", re.IGNORECASE)
BOLD_FONTS = re.compile(r"bold|black|heavy|semibold|demi|,bd|-bd", re.IGNORECASE)
BULLET_CHARS = set("•◼◾▪■●◦‣⁃∙·▫□○➢➤►▶✓✔−–-*o§Ø")
PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,3}(\s*(of|/)\s*\d{1,3})?$", re.IGNORECASE)


TOO_HARD = (
    "The PDF could not be read within the limits set for one letter (it is too large or too "
    "complex once unpacked). Check that you chose the findings letter; if it is, download it "
    "again from the Ofsted website."
)


class LetterRefused(Exception):
    """The file cannot be read as a findings letter; the message says why, for the user."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str


@dataclass
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    x0: float
    size: float  # the size most of its characters have
    bold: bool  # most of its characters are in a bold face
    words: list[Word] = field(default_factory=list)
    bullet: str | None = None  # the bullet glyph the line starts with, if any
    # The usual space between two lines of one paragraph in this letter (the same for
    # every line): more than that, by a third of a line, starts a new paragraph.
    usual_gap: float = 0.0

    def starts_paragraph_after(self, previous: "Line | None") -> bool:
        return (
            previous is None
            or self.page != previous.page
            or self.top - previous.bottom > self.usual_gap + 0.3 * self.size
        )

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def body_words(self) -> list[Word]:
        """The words after the bullet glyph."""
        return self.words[1:] if self.bullet else self.words

    @property
    def body_text(self) -> str:
        return join_words(self.body_words)

    @property
    def body_x0(self) -> float:
        words = self.body_words
        return words[0].x0 if words else self.x0


# Typesetting characters that are not the letter's words: ligatures, soft hyphens and
# no-break spaces.
TYPESETTING = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\u00ad": "",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def join_words(words: list[Word]) -> str:
    """Words back into text: a space only where the page shows a gap (a word split by a
    change of font, e.g. a bold letter, stays whole)."""
    out = []
    previous = None
    for word in words:
        if previous is not None and word.x0 - previous.x1 > 0.15 * min(word.size, previous.size):
            out.append(" ")
        out.append(word.text)
        previous = word
    return "".join(out).translate(TYPESETTING)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def check_file(data: bytes) -> int:
    """Refuse what cannot be a readable letter; the number of pages otherwise."""
    if len(data) > MAX_BYTES:
        raise LetterRefused(
            f"The file is {megabytes(len(data))}: a findings letter is well under "
            f"{megabytes(MAX_BYTES)}. Check that you chose the letter.",
            code="too_large",
        )
    # The PDF header may follow a little junk, but must be near the start.
    if b"%PDF-" not in data[:1024]:
        raise LetterRefused(
            "This is not a PDF. Upload the findings letter as the PDF the inspectorates published.",
            code="not_pdf",
        )
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise LetterRefused(
                "The PDF is password-protected, so it cannot be read. Download the letter "
                "again from the Ofsted website, or ask the sender for a copy without a "
                "password.",
                code="encrypted",
            ) from None
        raise LetterRefused(
            "The PDF is damaged and cannot be opened. Download the letter again and upload "
            "the new copy.",
            code="damaged",
        ) from None
    try:
        pages = len(document)
    finally:
        document.close()
    if pages > MAX_PAGES:
        raise LetterRefused(
            f"The PDF has {pages} pages: a findings letter has far fewer (at most "
            f"{MAX_PAGES}). Check that you chose the letter.",
            code="too_many_pages",
        )
    if pages == 0:
        raise LetterRefused(
            "The PDF has no pages. Download the letter again and upload the new copy.",
            code="damaged",
        )
    return pages


def extract_lines(data: bytes) -> tuple[list[Line], int, float]:
    """The letter's lines in reading order, its page count and the body text size."""
    pages = check_file(data)
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    raw_pages = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                words = page.extract_words(
                    extra_attrs=["fontname", "size"], keep_blank_chars=False, x_tolerance=1.5
                )
                raw_pages.append((number, float(page.height), words))
                page.flush_cache()
    except PDFPasswordIncorrect:
        raise LetterRefused(
            "The PDF is password-protected, so it cannot be read.", code="encrypted"
        ) from None
    except LetterRefused:
        raise
    except (MemoryError, RecursionError):
        raise LetterRefused(TOO_HARD, code="too_hard") from None
    except Exception as error:  # the boundary with an untrusted file: a failure is "damaged"
        if _out_of_memory(error):
            raise LetterRefused(TOO_HARD, code="too_hard") from None
        raise LetterRefused(
            "The PDF is damaged: its text could not be read. Download the letter again and "
            "upload the new copy.",
            code="damaged",
        ) from None

    total_chars = sum(len(w["text"]) for _, _, words in raw_pages for w in words)
    if total_chars < MIN_TEXT_CHARS:
        raise LetterRefused(
            "The PDF has no text to read: its pages are pictures, as in a scanned letter. "
            "You can add the inspection without its findings and enter them by hand.",
            code="no_text",
        )

    sizes = Counter()
    for _, _, words in raw_pages:
        for w in words:
            sizes[round(float(w["size"]), 1)] += len(w["text"])
    body_size = sizes.most_common(1)[0][0]

    lines = []
    heights = {}
    for number, height, words in raw_pages:
        heights[number] = height
        lines.extend(_page_lines(number, words, body_size))
    lines = _without_page_furniture(lines, heights, body_size)
    gaps = Counter(
        round(line.top - previous.bottom)
        for previous, line in zip(lines, lines[1:], strict=False)
        if line.page == previous.page and line.size == previous.size == body_size
    )
    usual_gap = float(gaps.most_common(1)[0][0]) if gaps else 0.0
    for line in lines:
        line.usual_gap = usual_gap
    return lines, pages, body_size


def _out_of_memory(error: BaseException) -> bool:
    """Whether a parser's error comes from running out of memory: pdfplumber wraps what
    pdfminer raised, and zlib says it in words ("Unable to allocate output buffer")."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, MemoryError | RecursionError) or "allocate" in str(error).lower():
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _page_lines(number: int, raw_words: list[dict], body_size: float) -> list[Line]:
    words = [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            size=float(w["size"]),
            font=str(w["fontname"]).split("+")[-1],
        )
        for w in raw_words
    ]
    # Group by baseline: a word belongs to the line whose bottom it shares (a superscript
    # sits higher but within the line's height).
    words.sort(key=lambda w: (round(w.bottom), w.x0))
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.bottom):
        for group in reversed(groups[-3:]):
            anchor = max(group, key=lambda w: w.size)
            if abs(anchor.bottom - word.bottom) <= 0.45 * anchor.size or (
                word.size < 0.85 * anchor.size
                and anchor.top - 1 <= word.top
                and word.bottom <= anchor.bottom + 1
            ):
                group.append(word)
                break
        else:
            groups.append([word])
    lines = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        for cell in _cells(group):
            line = _line(number, cell)
            if line is not None:
                lines.append(line)
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


def _cells(words: list[Word]) -> list[list[Word]]:
    """Split a row of words where a wide gap shows two columns (a table's cells, or the
    signatures side by side): justified text never leaves three letters' widths of space."""
    cells = [[words[0]]]
    for word in words[1:]:
        previous = cells[-1][-1]
        if word.x0 - previous.x1 > 3 * max(word.size, previous.size):
            cells.append([word])
        else:
            cells[-1].append(word)
    return cells


def _line(number: int, words: list[Word]) -> Line | None:
    weights = Counter()
    for word in words:
        weights[round(word.size, 1)] += len(word.text)
    size = weights.most_common(1)[0][0]
    # Footnote markers: digits in smaller type raised above the line's baseline.
    bottom = max(w.bottom for w in words if round(w.size, 1) == size)
    kept = []
    marker = None
    for index, word in enumerate(words):
        if (
            index > 0
            and word.size < 0.85 * size
            and word.bottom < bottom - 0.15 * size
            and re.fullmatch(r"[\d*†‡,]+", word.text)
        ):
            marker = word
            continue
        if marker is not None and kept and word.x0 - marker.x1 <= 0.15 * size:
            # The marker sat between two parts of one word ("(LSCP¹)"): close the gap.
            word = replace(word, x0=kept[-1].x1)
        marker = None
        kept.append(word)
    if not kept:
        return None
    letters = [w for w in kept if not SYMBOL_FONTS.search(w.font)]
    bold_chars = sum(len(w.text) for w in letters if BOLD_FONTS.search(w.font))
    all_chars = sum(len(w.text) for w in letters) or 1
    line = Line(
        page=number,
        top=min(w.top for w in kept),
        bottom=max(w.bottom for w in kept),
        x0=kept[0].x0,
        size=size,
        bold=bold_chars / all_chars > 0.6,
        words=kept,
    )
    line.bullet = _bullet(kept)
    return line


def _bullet(words: list[Word]) -> str | None:
    first = words[0]
    if len(words) < 2:
        return None
    text = first.text
    if SYMBOL_FONTS.search(first.font) and len(text) <= 2:
        return text
    if len(text) == 1 and ("\ue000" <= text <= "\uf8ff" or text in BULLET_CHARS):
        # A lone "o" or "-" is a bullet only when the text stands clear of it.
        if text in "o-*" and words[1].x0 - first.x1 < 0.8 * first.size:
            return None
        return text
    return None


def _normalised(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _without_page_furniture(lines: list[Line], heights: dict, body_size: float) -> list[Line]:
    """Drop page numbers, running headers and footers, and footnotes."""
    pages = len(heights)
    edge_texts = Counter()
    for line in lines:
        height = heights[line.page]
        if line.top < 0.12 * height or line.top > 0.88 * height:
            edge_texts[_normalised(line.text)] += 1
    running = {
        text for text, seen in edge_texts.items() if pages >= 3 and seen >= max(3, pages // 2)
    }
    kept = []
    for line in lines:
        height = heights[line.page]
        at_edge = line.top < 0.12 * height or line.top > 0.88 * height
        text = line.text.strip()
        if at_edge and (_normalised(text) in running or PAGE_NUMBER.match(text)):
            continue
        if line.size < 0.85 * body_size:
            continue  # footnotes, page numbers and small print
        kept.append(line)
    return kept
