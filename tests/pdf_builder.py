"""Small PDFs written by hand for the letter reader's tests.

Each page is a list of text runs placed at (x, y from the top) in one of the standard
fonts: Helvetica for body text, Helvetica-Bold for headings and ZapfDingbats for bullet
glyphs, as the inspectorates' letters use Tahoma and Wingdings. pdfminer knows the
standard fonts' widths, so positions come out as in a real letter.
"""

import zlib

from pdfminer.fontmetrics import FONT_METRICS

FONTS = {"body": "Helvetica", "bold": "Helvetica-Bold", "symbol": "ZapfDingbats"}
PAGE_WIDTH, PAGE_HEIGHT = 595, 842


def width(text, font, size) -> float:
    """How wide `text` is set in one of FONTS, from the standard fonts' metrics."""
    widths = FONT_METRICS[FONTS[font]][1]
    return sum(widths.get(char, 556) for char in text) * size / 1000


def wrap(text, limit=430, font="body", size=12) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and width(candidate, font, size) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])


def findings_letter(
    *,
    area="Testshire",
    improvements=(),
    strengths=(),
    police=(),
    due="11 June 2021",
) -> bytes:
    """A findings letter in the 2022-on layout with the given findings; `police` ones sit
    under a "Police" sub-heading of "What needs to improve?"."""
    letter = Letter(header=f"Joint targeted area inspection of {area}").opening(area)
    letter.heading("What needs to improve?", size=12)
    for text in improvements:
        letter.bullet_text(text)
    if police:
        letter.heading("Police", size=12)
        for text in police:
            letter.bullet_text(text)
    letter.heading("Strengths", size=12)
    for text in strengths:
        letter.bullet_text(text)
    letter.next_steps(area, due)
    return letter.pdf()


class Page:
    def __init__(self):
        self.runs = []

    def text(self, x, top, text, *, font="body", size=12):
        self.runs.append((x, top, text, font, size))
        return self

    def runs_in_line(self, x, top, parts):
        """Runs one after another on one line: (text, font, size, rise) each, where a
        positive rise lifts a run above the baseline (a footnote marker)."""
        for text, font, size, rise in parts:
            self.text(x, top - rise - (size - 12), text, font=font, size=size)
            x += width(text, font, size)
        return self

    def content(self) -> bytes:
        out = []
        for x, top, text, font, size in self.runs:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            out.append(f"BT /{font} {size} Tf {x} {PAGE_HEIGHT - top - size} Td ({escaped}) Tj ET")
        return "\n".join(out).encode("cp1252")


def build(pages, *, raw_contents=None) -> bytes:
    """The PDF of `pages` (Page objects); `raw_contents` replaces the content streams
    (already Flate-compressed bytes), for hostile files."""
    objects = []  # bodies of objects 1..n

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font_ids = {
        key: add(
            (
                f"<< /Type /Font /Subtype /Type1 /BaseFont /{name}"
                + (" /Encoding /WinAnsiEncoding" if key != "symbol" else "")
                + " >>"
            ).encode()
        )
        for key, name in FONTS.items()
    }
    resources = " ".join(f"/{key} {obj} 0 R" for key, obj in font_ids.items())
    pages_id = len(objects) + 1
    objects.append(b"")  # the page tree, filled in below
    kids = []
    for index, page in enumerate(pages):
        stream = raw_contents[index] if raw_contents else zlib.compress(page.content())
        content_id = add(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
            + stream
            + b"\nendstream"
        )
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_WIDTH} "
                f"{PAGE_HEIGHT}] /Resources << /Font << {resources} >> >> "
                f"/Contents {content_id} 0 R >>".encode()
            )
        )
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


class Letter:
    """A letter laid out as the inspectorates do: flowing lines, page breaks, page numbers
    at the foot and a running header, bullets as ZapfDingbats squares ("n")."""

    LINE = 14.5
    TOP, BOTTOM = 90, 760

    def __init__(self, *, header=None):
        self.header = header
        self.pages = []
        self._new_page()

    def _new_page(self):
        page = Page()
        if self.header:
            page.text(72, 40, self.header, size=9)
        self.pages.append(page)
        self.top = self.TOP

    def _room(self, lines=1):
        if self.top + lines * self.LINE > self.BOTTOM:
            self._new_page()

    def opening(self, area):
        """Date, salutation, title and the paragraphs naming the theme and fieldwork."""
        self.line("3 March 2021")
        self.line(f"Director of Children's Services, {area} Council", gap=10)
        self.line(f"Dear {area} Local Safeguarding Partnership", gap=20)
        self.heading(f"Joint targeted area inspection of {area}", size=12)
        self.paragraph(
            "This letter summarises the findings of the joint targeted area inspection (JTAI) of",
            f"the multi-agency response to children who are victims of domestic abuse in {area}.",
        )
        self.paragraph(
            "This inspection took place from 1 to 5 February 2021. It was carried out by",
            "inspectors from Ofsted, the Care Quality Commission (CQC) and His Majesty's",
            "Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS).",
        )
        return self

    def next_steps(self, area, due):
        """ "Next steps", with the written statement's deadline, and the signature."""
        self.heading("Next steps", size=12)
        self.paragraph(
            "The local authority should prepare a written statement of proposed action",
            "responding to the findings outlined in this letter.",
        )
        self.paragraph(
            f"{area} should send the written statement of action to",
            f"ProtectionOfChildren@ofsted.gov.uk by {due}. This statement will inform the",
            "lines of enquiry at any future joint or single-agency activity by the inspectorates.",
        )
        self.line("Yours sincerely", gap=10)
        return self

    def line(self, text, *, x=72, font="body", size=12, gap=0):
        self.top += gap
        self._room()
        self.pages[-1].text(x, self.top, text, font=font, size=size)
        self.top += self.LINE
        return self

    def heading(self, text, size=14):
        return self.line(text, font="bold", size=size, gap=8)

    def paragraph(self, *lines, x=72):
        self.top += 6
        for text in lines:
            self.line(text, x=x)
        return self

    def bullet(self, *lines, glyph="n", font="symbol", number=None):
        self.top += 6
        self._room()
        if number is not None:
            self.pages[-1].text(72, self.top, f"{number}.", font="body")
        else:
            self.pages[-1].text(72, self.top, glyph, font=font)
        for text in lines:
            self.line(text, x=90)
        return self

    def bullet_text(self, text, **kwargs):
        """A bullet whose text is wrapped into lines as a word processor would."""
        return self.bullet(*wrap(text), **kwargs)

    def footnote(self, text):
        self.pages[-1].text(72, 772, text, size=8)
        return self

    def pdf(self) -> bytes:
        for number, page in enumerate(self.pages, start=1):
            page.text(515, 790, str(number), size=9)
        return build(self.pages)
