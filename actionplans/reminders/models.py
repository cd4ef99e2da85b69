"""What was sent to whom, and which emails each person chose to receive."""

from django.conf import settings
from django.db import models


class EmailPreferences(models.Model):
    """The emails a person has chosen to receive. No row: all of them.

    Statement deadline reminders are not here: a plan manager cannot turn them off.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    meeting_reminders = models.BooleanField(
        "Reminders before board meetings",
        default=True,
        help_text="Your key tasks to update and the future actions due before the next meeting.",
    )
    overdue_notices = models.BooleanField(
        "Overdue notices",
        default=True,
        help_text="The day after a target date of one of your future actions passes.",
    )
    update_digests = models.BooleanField(
        "Who has not updated (plan managers)",
        default=True,
        help_text="Before each board meeting, the key tasks not updated since the last one.",
    )
    board_packs = models.BooleanField(
        "Board packs (board members)",
        default=True,
        help_text="A link to the board pack when it is ready.",
    )

    class Meta:
        verbose_name_plural = "email preferences"

    def __str__(self):
        return f"Email preferences of {self.user}"

    CHOICES = ["meeting_reminders", "overdue_notices", "update_digests", "board_packs"]


class SentReminder(models.Model):
    """One email sent to one person: written in the same transaction as the sending is
    decided, and unique by (user, key), so running the reminders again sends nothing twice.

    `key` names what the email was about, e.g. "meeting:12" or "overdue:345:2018-06-30".
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="sent_reminder_once"),
        ]

    def __str__(self):
        return f"{self.key} to {self.user}"
