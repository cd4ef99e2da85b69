"""An uploaded plan waiting for the plan manager's "Import", between two requests.

The waiting itself is `inspections.pending` (a file in the default storage under a token
kept in the user's session, claimed atomically in the database on confirm). The confirm
step reads the same bytes again (checked against their SHA-256) and parses them again,
so what is written is exactly what the preview showed.
"""

from inspections.models import PendingUpload
from inspections.pending import PendingFile, PendingStore

SESSION_KEY = "plan_imports"

_store = PendingStore(PendingUpload.Kind.PLAN, SESSION_KEY, ".docx")

# The plan's inspection and the file's name are in `pending.meta`.
PendingImport = PendingFile


def save(request, data: bytes, *, inspection_id: int, filename: str) -> PendingFile:
    return _store.save(request, data, inspection_id=inspection_id, filename=filename[:200])


def load(request, token: str) -> PendingFile | None:
    return _store.load(request, token)


def discard(request, pending: PendingFile) -> None:
    _store.discard(request, pending)
