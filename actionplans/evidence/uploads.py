"""Which files are accepted as evidence, judged by their content, not their name.

A file's name and the browser's content type are whatever the sender says; the first
bytes of the file are not. `filetype` reads them (magic numbers): an HTML page named
"report.pdf" has no PDF signature and is refused.
"""

from dataclasses import dataclass

import filetype

MAX_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_SIZE_WORDS = "10 MB"

# MIME type (as filetype names it) -> the words people know it by.
ACCEPTED = {
    "application/pdf": "PDF",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
}
ACCEPTED_WORDS = "a PDF, a Word document, an Excel spreadsheet or an image (JPEG, PNG, GIF or WebP)"
# Headers enough for every signature filetype checks for the types above (the Office
# formats keep theirs within the first few kilobytes of the zip or OLE container).
HEAD_BYTES = 8192


class RefusedFile(ValueError):
    """The file cannot be kept as evidence; the message says why, for the person."""


@dataclass(frozen=True)
class CheckedFile:
    mime: str
    extension: str


def check_upload(upload) -> CheckedFile:
    """The type of an uploaded file, or RefusedFile with a message for the person."""
    if upload.size == 0:
        raise RefusedFile("The selected file is empty")
    if upload.size > MAX_BYTES:
        raise RefusedFile(f"The selected file must be smaller than {MAX_SIZE_WORDS}")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    # The zip-based Office formats need more than the head to tell them apart from a
    # plain zip: give filetype the whole file when it is one (at most MAX_BYTES).
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ("application/zip",):
        kind = filetype.guess(upload.read())
        upload.seek(0)
    if kind is None or kind.mime not in ACCEPTED:
        raise RefusedFile(f"The selected file must be {ACCEPTED_WORDS}")
    return CheckedFile(mime=kind.mime, extension=kind.extension)
