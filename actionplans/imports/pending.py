"""An uploaded plan waiting for the plan manager's "Import", between two requests.

The file is kept in the "imports" storage (a folder, or an S3-compatible bucket that
every app server shares) under a random token, and the token is recorded in the user's
own session: another user (or another browser) cannot reach it, and nothing the
browser sends back is trusted except the token. The confirm step reads the same bytes
again (checked against their SHA-256) and parses them again, so what is written is
exactly what the preview showed. The preview and the confirm may be answered by two
different app servers. Files left behind are removed after a day.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

SESSION_KEY = "plan_imports"
MAX_AGE_SECONDS = 24 * 60 * 60


def storage():
    return storages["imports"]


@dataclass
class PendingImport:
    token: str
    inspection_id: int
    filename: str
    sha256: str

    @property
    def name(self) -> str:
        return f"{self.token}.docx"

    def read(self) -> bytes | None:
        """The uploaded bytes, unless the file is gone or is not the one uploaded."""
        try:
            with storage().open(self.name, "rb") as file:
                data = file.read()
        except OSError:  # FileNotFoundError from a folder or a bucket alike
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None

    def claim(self) -> bytes | None:
        """The bytes, for one request only: a second "Import plan" sent at the same time
        (a double click, perhaps answered by another app server) finds nothing to import.
        The claim is an atomic add to the cache every app server shares."""
        if not caches["shared"].add(f"plan-import-claim:{self.token}", 1, MAX_AGE_SECONDS):
            return None
        return self.read()


def save(request, data: bytes, *, inspection_id: int, filename: str) -> PendingImport:
    _remove_old_files()
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        inspection_id=inspection_id,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
    )
    storage().save(pending.name, ContentFile(data))
    waiting = request.session.get(SESSION_KEY, {})
    waiting[pending.token] = {
        "inspection_id": inspection_id,
        "filename": pending.filename,
        "sha256": pending.sha256,
    }
    request.session[SESSION_KEY] = waiting
    return pending


def load(request, token: str) -> PendingImport | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        return None
    return PendingImport(token=token, **entry)


def discard(request, pending: PendingImport) -> None:
    waiting = request.session.get(SESSION_KEY, {})
    waiting.pop(pending.token, None)
    request.session[SESSION_KEY] = waiting
    storage().delete(pending.name)


def _remove_old_files() -> None:
    files = storage()
    try:
        _, names = files.listdir("")
    except FileNotFoundError:  # nothing uploaded yet
        return
    cutoff = timezone.now() - timedelta(seconds=MAX_AGE_SECONDS)
    for name in names:
        try:
            if files.get_modified_time(name) < cutoff:
                files.delete(name)
        except OSError:
            continue  # removed meanwhile by another request
