"""Keeping evidence: the file stored, the item saved and the task's history, together."""

from pathlib import PurePath

from django.db import transaction

from inspections import clock

from ..services import record_evidence
from .models import Evidence


def add_evidence(*, task, user, note, upload=None, checked=None, url="", at=None) -> Evidence:
    """Attach a file (`upload`, already checked by `uploads.check_upload` as `checked`) or
    a link to the task, and record it in the task's history, all or nothing.

    The file goes through the default storage (local files, or S3-compatible storage in
    production) under a random name; if the database part fails it is removed again.
    """
    at = at or clock.now()
    evidence = Evidence(
        task=task,
        note=note,
        added_at=at,
        added_by=user,
        added_by_name=user.get_full_name() or user.get_username(),
    )
    if upload is not None:
        evidence.kind = Evidence.Kind.FILE
        evidence.original_name = PurePath(upload.name.replace("\\", "/")).name[:255]
        evidence.content_type = checked.mime
        evidence.size = upload.size
    else:
        evidence.kind, evidence.url = Evidence.Kind.LINK, url
    try:
        with transaction.atomic():
            if upload is not None:
                # Named by what the content is, not by what the sender called it.
                evidence.file.save(f"evidence.{checked.extension}", upload, save=False)
            evidence.save()
            record_evidence(task.pk, user=user, evidence=evidence, at=at)
    except Exception:
        if evidence.file:
            evidence.file.delete(save=False)
        raise
    return evidence
