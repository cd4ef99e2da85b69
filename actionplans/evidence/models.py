"""One item of evidence: a file kept through Django's storage API, or a link."""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse


def evidence_path(evidence, filename: str) -> str:
    """evidence/plan-<id>/task-<id>/<random>.<ext>: grouped by plan and task, and a random
    name, so nobody can guess another file's address or overwrite it with a name."""
    task = evidence.task
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return (
        f"evidence/plan-{task.section.plan_id}/task-{task.pk}/{secrets.token_urlsafe(16)}{suffix}"
    )


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from ..models import KeyTask

        return self.filter(task__in=KeyTask.objects.visible_to(user))


class Evidence(models.Model):
    """Evidence of impact against a task's success measures: a file or a link, with a note."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"

    task = models.ForeignKey("KeyTask", on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    # What the file was called on the uploader's computer: shown and used for downloads.
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField("link", max_length=2000, blank=True)
    note = models.TextField(help_text="What this shows about the success measure.")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied so the record still reads right after people move on.
    added_by_name = models.CharField(max_length=200)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["task", "added_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="file") & ~models.Q(file=""))
                | (models.Q(kind="link") & ~models.Q(url="")),
                name="evidence_file_or_link",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Where it is read: the download for a file, the link itself for a link."""
        if self.is_file:
            return reverse("evidence_download", args=[self.pk])
        return self.url

    @property
    def name(self) -> str:
        return self.original_name if self.kind == self.Kind.FILE else self.url

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE
