"""One board pack: who asked for it, for which meeting, how far it has got, its file."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


def pack_path(pack, filename: str) -> str:
    return f"board-packs/plan-{pack.plan_id}/{secrets.token_urlsafe(16)}.pdf"


class BoardPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey("ActionPlan", on_delete=models.CASCADE, related_name="board_packs")
    meeting = models.ForeignKey(
        "inspections.BoardMeeting", on_delete=models.CASCADE, related_name="board_packs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The step being worked on, in words, shown on the pack's page while it is made.
    progress = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=pack_path, blank=True, max_length=300)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Board pack for {self.meeting}"

    def get_absolute_url(self):
        return reverse("board_pack", args=[self.plan_id, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
