"""What waits in the app's storage for a "Confirm" (inspections.pending)."""

from django.core.files.storage import default_storage

from inspections.pending.store import FOLDER


def pending_uploads() -> list[str]:
    """The storage names of the uploads waiting, sorted."""
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:  # nothing was ever saved in this test's storage
        return []
    return sorted(f"{FOLDER}/{name}" for name in files)
