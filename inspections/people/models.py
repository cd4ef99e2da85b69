"""Invitations and the history of roles. Registered with the `inspections` app
(imported by `inspections.models`); related models are named by string so that this
module does not import `inspections.models` back."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

INVITATION_VALID_FOR = timedelta(days=7)


def hash_token(token: str) -> str:
    """What is stored of an invitation link's secret: a leaked database gives no links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Invitations that can still be accepted."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An email sent to someone with a role to take up in one area.

    The link carries a random secret of which only the hash is kept; it works once, for
    seven days. Accepting it gives the role to the account with the email address,
    creating that account (with the password they choose) if there is none.
    """

    area = models.ForeignKey("inspections.Area", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    # One of Membership.Role (not imported here: see the module's docstring).
    role = models.CharField(max_length=10)
    agency = models.ForeignKey(
        "inspections.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        app_label = "inspections"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.area}"

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(32)

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now

    def describe(self) -> str:
        from inspections.models import describe_role

        return describe_role(self.role, self.agency, self.area)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class MembershipChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The history of roles is append-only: it cannot be updated.")

    def delete(self):
        raise TypeError("The history of roles is append-only: it cannot be deleted.")


class MembershipChange(models.Model):
    """One row per change to who holds which role in an area: who did it, when, what.

    Names and roles are copied as words at the time, so the record still reads right
    after a person leaves or an agency is renamed.
    """

    class Action(models.TextChoices):
        INVITED = "invited", "Invited"
        WITHDRAWN = "withdrawn", "Invitation withdrawn"
        JOINED = "joined", "Accepted the invitation"
        GRANTED = "granted", "Role given"
        CHANGED = "changed", "Role changed"
        REMOVED = "removed", "Role removed"

    area = models.ForeignKey(
        "inspections.Area", on_delete=models.PROTECT, related_name="membership_changes"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=300)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    role_before = models.CharField(max_length=300, blank=True)
    role_after = models.CharField(max_length=300, blank=True)

    objects = MembershipChangeQuerySet.as_manager()

    class Meta:
        app_label = "inspections"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.person_name} by {self.actor_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The history of roles is append-only: an entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The history of roles is append-only: an entry cannot be deleted.")


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()
