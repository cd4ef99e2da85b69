"""Opening an uploaded Word file without trusting it.

Every check runs on the raw bytes before python-docx sees them: the size, the
format (a password-protected .docx or an old .doc is an OLE compound file, not a
zip), and the zip's own directory (how many parts and how big they unpack), so a
zip bomb is refused before anything is decompressed. The declared sizes are a real
bound: `zipfile` never yields more than an entry's declared size.
"""

import io
import zipfile

from django.conf import settings
from docx import Document

# The first bytes of an OLE compound file: Word's encrypted .docx and the old .doc.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

DAMAGED = (
    "The file is damaged: it could not be opened as a Word document. "
    "Open it in Word, save it again as .docx and upload the new copy."
)
NOT_WORD = "This is not a Word document: upload the plan as a .docx file saved from Word."


class ImportRefused(Exception):
    """The file cannot be read as a plan; the message says why, in the user's words."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


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
        if "word/document.xml" not in archive.namelist():
            raise ImportRefused(NOT_WORD)


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
