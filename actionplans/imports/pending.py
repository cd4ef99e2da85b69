"""An uploaded plan waiting for the plan manager's "Import", between two requests.

The file is kept on disk under a random token, and the token is recorded in the user's
own session: another user (or another browser) cannot reach it, and nothing the
browser sends back is trusted except the token. The confirm step reads the same bytes
again (checked against their SHA-256) and parses them again, so what is written is
exactly what the preview showed. Files left behind are removed after a day.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings

SESSION_KEY = "plan_imports"
MAX_AGE_SECONDS = 24 * 60 * 60


@dataclass
class PendingImport:
    token: str
    inspection_id: int
    filename: str
    sha256: str

    @property
    def path(self):
        return settings.PLAN_IMPORT_DIR / f"{self.token}.docx"

    @property
    def claimed_path(self):
        return settings.PLAN_IMPORT_DIR / f"{self.token}.importing"

    def read(self, path=None) -> bytes | None:
        """The uploaded bytes, unless the file is gone or is not the one uploaded."""
        try:
            data = (path or self.path).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None

    def claim(self) -> bytes | None:
        """The bytes, for one request only: renaming the file is atomic, so a second
        "Import plan" sent at the same time (a double click) finds nothing to import."""
        try:
            self.path.rename(self.claimed_path)
        except OSError:
            return None
        return self.read(self.claimed_path)


def save(request, data: bytes, *, inspection_id: int, filename: str) -> PendingImport:
    directory = settings.PLAN_IMPORT_DIR
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_old_files(directory)
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        inspection_id=inspection_id,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
    )
    pending.path.write_bytes(data)
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
    pending.path.unlink(missing_ok=True)
    pending.claimed_path.unlink(missing_ok=True)


def _remove_old_files(directory) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # removed meanwhile by another request
