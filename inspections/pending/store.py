"""An upload waiting for the user's "Confirm", between two requests that any app server
may answer.

Both "import a plan from Word" and "add an inspection from its letter" show a preview
before anything is written. Between the two requests the file (or what was read from it)
waits in Django's default storage under a random token, and the token is recorded in the
user's own session with the bytes' SHA-256: another user or another browser cannot reach
it, and nothing the browser sends back is trusted except the token. Confirming claims the
upload with a conditional UPDATE of its row (`models.PendingUpload`), which the database
makes atomic whichever server runs it, so a second "Confirm" sent at the same time (a
double click) finds nothing to write. Uploads left behind are removed after a day.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .models import PendingUpload

MAX_AGE = timedelta(days=1)
FOLDER = "pending"


@dataclass
class PendingFile:
    token: str
    suffix: str
    sha256: str
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file's name in the default storage (the token is random: never taken)."""
        return f"{FOLDER}/{self.token}{self.suffix}"

    def _row(self):
        return PendingUpload.objects.filter(token=self.token)

    def read(self) -> bytes | None:
        """The bytes saved, unless the file is gone or is not the one saved."""
        try:
            with default_storage.open(self.name, "rb") as file:
                data = file.read()
        except OSError:  # FileNotFoundError, on disk and from the S3 backend alike
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None

    def claim(self) -> bytes | None:
        """The bytes, for one request only (see the module's docstring).

        Read before the claim: a request that loses the race may remove the file as soon
        as its own claim fails, which is after the winner's claim, so after this read.
        """
        data = self.read()
        if data is None:
            return None
        if not self._row().filter(claimed_at__isnull=True).update(claimed_at=timezone.now()):
            return None
        return data

    def unclaim(self) -> None:
        """Give a claimed upload back (writing failed), so that the user can try again."""
        self._row().update(claimed_at=None)

    def finish(self, result: str) -> None:
        """Record what confirming made (e.g. the new record's id), for a second confirm
        that lost the race to find (see `result`), and remove the file."""
        self._row().update(result=result)
        default_storage.delete(self.name)

    def remove(self) -> None:
        """The file and its row, once the upload is no longer wanted."""
        default_storage.delete(self.name)
        self._row().delete()

    def result(self, wait_seconds: float = 0.0) -> str | None:
        """What the confirm that claimed the upload made, waiting a little for it to finish."""
        deadline = time.monotonic() + wait_seconds
        while True:
            if done := self._row().values_list("result", flat=True).first():
                return done
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)


class PendingStore:
    """Pending uploads of one kind: their session key and file suffix."""

    def __init__(self, kind: PendingUpload.Kind, session_key: str, suffix: str):
        self.kind = kind
        self.session_key = session_key
        self.suffix = suffix

    def save(self, request, data: bytes, **meta) -> PendingFile:
        remove_expired()
        pending = PendingFile(
            token=secrets.token_urlsafe(24),
            suffix=self.suffix,
            sha256=hashlib.sha256(data).hexdigest(),
            meta=meta,
        )
        # The row first: a file whose saving failed half way is still removed with it.
        PendingUpload.objects.create(
            token=pending.token,
            kind=self.kind,
            user=request.user if request.user.is_authenticated else None,
            name=pending.name,
        )
        default_storage.save(pending.name, ContentFile(data))
        waiting = request.session.get(self.session_key, {})
        waiting[pending.token] = {"sha256": pending.sha256, **meta}
        request.session[self.session_key] = waiting
        return pending

    def load(self, request, token: str) -> PendingFile | None:
        entry = dict(request.session.get(self.session_key, {}).get(token) or {})
        if not entry:
            return None
        sha256 = entry.pop("sha256")
        return PendingFile(token=token, suffix=self.suffix, sha256=sha256, meta=entry)

    def discard(self, request, pending: PendingFile) -> None:
        waiting = request.session.get(self.session_key, {})
        waiting.pop(pending.token, None)
        request.session[self.session_key] = waiting
        pending.remove()


def remove_expired(now=None) -> int:
    """Remove the uploads saved more than a day ago, files and rows; how many.

    Runs whenever an upload is saved, as one indexed query when there is nothing to do.
    Two servers doing it at once is harmless: deleting what is gone is not an error.
    """
    expired = PendingUpload.objects.filter(created_at__lt=(now or timezone.now()) - MAX_AGE)
    names = list(expired.values_list("name", flat=True))
    for name in names:
        default_storage.delete(name)
    if names:
        expired.delete()
    return len(names)
