"""The claim on an upload waiting for "Confirm". Registered with the `inspections` app
(imported by `inspections.models`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingUpload(models.Model):
    """One upload waiting in storage (`name`) under the token kept in its user's session.

    The bytes' checksum and what the preview needs stay in the session, so showing the
    preview costs no query; this row is what every app server agrees on: who claimed the
    upload (`claimed_at`) and what confirming it made (`result`).
    """

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan from Word"
        LETTER = "letter", "Findings letter"

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The file's name in the default storage.
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # What confirming made (the new record's id), for a second confirm to find.
    result = models.CharField(max_length=100, blank=True)

    class Meta:
        # The removal of uploads older than a day (store.remove_expired).
        indexes = [models.Index(fields=["created_at"], name="pending_upload_created")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.token[:8]}…"
