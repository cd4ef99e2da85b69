"""An upload waiting for the user's "Confirm", between two requests.

Both "import a plan from Word" and "add an inspection from its letter" show a preview
before anything is written. Between the two requests the file (or what was read from it)
waits on disk under a random token, and the token is recorded in the user's own session:
another user or another browser cannot reach it, and nothing the browser sends back is
trusted except the token. Confirming claims the file by renaming it, which is atomic, so
a second "Confirm" sent at the same time (a double click) finds nothing to write. Files
left behind are removed after a day.
"""

import contextlib
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_AGE_SECONDS = 24 * 60 * 60


@dataclass
class PendingFile:
    directory: Path
    suffix: str
    token: str
    sha256: str
    meta: dict = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.directory / f"{self.token}{self.suffix}"

    @property
    def claimed_path(self) -> Path:
        return self.directory / f"{self.token}.claimed"

    def read(self, path=None) -> bytes | None:
        """The bytes saved, unless the file is gone or is not the one saved."""
        try:
            data = (path or self.path).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None

    def claim(self) -> bytes | None:
        """The bytes, for one request only (see the module's docstring)."""
        try:
            self.path.rename(self.claimed_path)
        except OSError:
            return None
        return self.read(self.claimed_path)

    def unclaim(self) -> None:
        """Put a claimed file back (writing failed), so that the user can try again."""
        with contextlib.suppress(OSError):
            self.claimed_path.rename(self.path)

    @property
    def done_path(self) -> Path:
        return self.directory / f"{self.token}.done"

    def finish(self, result: str) -> None:
        """Record what confirming made (e.g. the new record's id), for a second confirm
        that lost the race to find (see `result`)."""
        self.done_path.write_text(result)
        self.claimed_path.unlink(missing_ok=True)

    def result(self, wait_seconds: float = 0.0) -> str | None:
        """What the confirm that claimed the file made, waiting a little for it to finish."""
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                return self.done_path.read_text()
            except OSError:
                if time.monotonic() >= deadline:
                    return None
                time.sleep(0.1)


class PendingStore:
    """Pending files of one kind: their session key, directory and file suffix."""

    def __init__(self, session_key: str, directory: Callable[[], Path], suffix: str):
        self.session_key = session_key
        self.directory = directory  # a callable, so that tests can change the setting
        self.suffix = suffix

    def save(self, request, data: bytes, **meta) -> PendingFile:
        directory = Path(self.directory())
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_old_files(directory)
        pending = PendingFile(
            directory=directory,
            suffix=self.suffix,
            token=secrets.token_urlsafe(24),
            sha256=hashlib.sha256(data).hexdigest(),
            meta=meta,
        )
        pending.path.write_bytes(data)
        waiting = request.session.get(self.session_key, {})
        waiting[pending.token] = {"sha256": pending.sha256, **meta}
        request.session[self.session_key] = waiting
        return pending

    def load(self, request, token: str) -> PendingFile | None:
        entry = dict(request.session.get(self.session_key, {}).get(token) or {})
        if not entry:
            return None
        sha256 = entry.pop("sha256")
        return PendingFile(
            directory=Path(self.directory()),
            suffix=self.suffix,
            token=token,
            sha256=sha256,
            meta=entry,
        )

    def discard(self, request, pending: PendingFile) -> None:
        waiting = request.session.get(self.session_key, {})
        waiting.pop(pending.token, None)
        request.session[self.session_key] = waiting
        pending.path.unlink(missing_ok=True)
        pending.claimed_path.unlink(missing_ok=True)


def _remove_old_files(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # removed meanwhile by another request
