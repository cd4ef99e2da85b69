"""Opening an uploaded Word file without trusting it.

Every check runs on the raw bytes before python-docx sees them: the size, the
format (a password-protected .docx or an old .doc is an OLE compound file, not a
zip), and the zip's own directory (how many parts and how big they unpack), so a
zip bomb is refused before anything is decompressed. The declared sizes are a real
bound: `zipfile` never yields more than an entry's declared size.

python-docx builds a tree of every XML part in memory, about twenty times the XML's
size, and reading a plan walks every row: a small zip can hold a document.xml of tens
of megabytes that would hold a worker for half a minute and a gigabyte (issue 11). So
each XML part's unpacked size is bounded, and document.xml is first streamed through
once, counting its elements, rows and cells without building it, before python-docx
parses it. `ReadingClock` bounds the time the whole reading takes.
"""

import io
import time
import zipfile

from django.conf import settings
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

# The first bytes of an OLE compound file: Word's encrypted .docx and the old .doc.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

DAMAGED = (
    "The file is damaged: it could not be opened as a Word document. "
    "Open it in Word, save it again as .docx and upload the new copy."
)
NOT_WORD = "This is not a Word document: upload the plan as a .docx file saved from Word."
TOO_BIG_TO_READ = (
    "The document is too large to read as an action plan: {what}. Save the plan's "
    "table on its own in a new Word document (without pictures or other content) and "
    "upload that."
)
DOCUMENT_XML = "word/document.xml"
W_TR, W_TC = qn("w:tr"), qn("w:tc")


class ImportRefused(Exception):
    """The file cannot be read as a plan; the message says why, in the user's words."""


def megabytes(size: int) -> str:
    """A size in words: "10 MB", "45.8 MB"."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def check_upload_size(size: int) -> None:
    limit = settings.PLAN_IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportRefused(f"The file must be smaller than {megabytes(limit)}.")


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ImportRefused(DAMAGED) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > settings.PLAN_IMPORT_MAX_PARTS:
            raise ImportRefused(
                f"The file has too many parts ({len(entries)}) to be an action plan. "
                "Save the plan on its own as a .docx and upload that."
            )
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > settings.PLAN_IMPORT_MAX_UNPACKED_BYTES:
            raise ImportRefused(
                f"The file unpacks to more than "
                f"{megabytes(settings.PLAN_IMPORT_MAX_UNPACKED_BYTES)}, far more than an "
                "action plan. Remove large pictures or embedded files and try again."
            )
        if DOCUMENT_XML not in archive.namelist():
            raise ImportRefused(NOT_WORD)
        _check_xml_sizes(entries)
        _count_document_elements(archive)


def _check_xml_sizes(entries) -> None:
    limit = settings.PLAN_IMPORT_MAX_XML_BYTES
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and entry.file_size > limit:
            raise ImportRefused(
                TOO_BIG_TO_READ.format(
                    what=f"its text and tables unpack to {megabytes(entry.file_size)}, "
                    f"more than the {megabytes(limit)} we read"
                )
            )


def _count_document_elements(archive) -> None:
    """Stream document.xml once, keeping nothing, and refuse it when it holds more
    elements, table rows or cells than a plan does."""
    max_elements = settings.PLAN_IMPORT_MAX_ELEMENTS
    max_rows, max_cells = settings.PLAN_IMPORT_MAX_ROWS, settings.PLAN_IMPORT_MAX_CELLS
    elements = rows = cells = 0
    with archive.open(DOCUMENT_XML) as stream:
        try:
            for _, element in etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True
            ):
                elements += 1
                if element.tag == W_TR:
                    rows += 1
                elif element.tag == W_TC:
                    cells += 1
                element.clear(keep_tail=False)  # nothing read so far is needed again
                if elements > max_elements or rows > max_rows or cells > max_cells:
                    break
        except etree.XMLSyntaxError:
            raise ImportRefused(DAMAGED) from None
    for count, limit, name in [
        (elements, max_elements, "elements"),
        (rows, max_rows, "table rows"),
        (cells, max_cells, "table cells"),
    ]:
        if count > limit:
            raise ImportRefused(TOO_BIG_TO_READ.format(what=f"it has more than {limit:,} {name}"))


class ReadingClock:
    """The time allowed to read one document (JTAI_IMPORT_MAX_SECONDS), checked as the
    reader goes, so that a document that is slow to read is refused with a message well
    before the web server's own timeout ends the request."""

    def __init__(self, seconds=None):
        self.seconds = settings.PLAN_IMPORT_MAX_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ImportRefused(
                TOO_BIG_TO_READ.format(what=f"it takes more than {self.seconds:g} seconds to read")
            )


def open_docx(data: bytes):
    """The python-docx Document for `data`, or ImportRefused with a clear reason."""
    check_upload_size(len(data))
    if data.startswith(OLE_MAGIC):
        raise ImportRefused(
            "The file is password-protected or is an old Word 97-2003 (.doc) file. "
            "Remove the password, or save it as a .docx in Word, and upload it again."
        )
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused(NOT_WORD)
    _check_zip(data)
    try:
        return Document(io.BytesIO(data))
    except Exception:  # the boundary with an untrusted file: any failure means "damaged"
        raise ImportRefused(DAMAGED) from None
