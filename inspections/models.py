"""What the inspectorates found: areas, agencies, inspections and their findings.

Also who is who: a user's memberships say which agency they lead for in which area,
and which areas they sit on the board of or manage plans for. The access rules built
on them live in `inspections.access`; inviting people and changing their roles in
`inspections.people`.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .workdays import STATUTORY_WORKING_DAYS, add_working_days, working_days_between


class NamedManager(models.Manager):
    """Lets fixtures refer to rows by a unique name instead of a database id."""

    key_field = "name"

    def get_by_natural_key(self, key):
        return self.get(**{self.key_field: key})


class CodeManager(NamedManager):
    key_field = "code"


class Agency(models.Model):
    """A partner body. One agency can sit in several areas' partnerships."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Local authority"
        POLICE = "police", "Police"
        HEALTH_COMMISSIONER = "health_commissioner", "Health commissioner"
        HEALTH_PROVIDER = "health_provider", "Health provider"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        EDUCATION = "education", "Education"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="How plans usually abbreviate it, e.g. SBC, TEWV."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)

    objects = NamedManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class AgencyAlias(models.Model):
    """Another name an area's plans use for an agency ("Stockton Council", "NTHFT"),
    added by the area's plan managers so that a Word import matches it."""

    area = models.ForeignKey("Area", on_delete=models.CASCADE, related_name="agency_aliases")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["area", "alias"]
        verbose_name_plural = "agency aliases"
        constraints = [
            models.UniqueConstraint(fields=["area", "alias"], name="agency_alias_unique"),
        ]

    def __str__(self):
        return f"{self.alias} ({self.agency})"


class Area(models.Model):
    """A local area and its safeguarding partnership."""

    name = models.CharField(max_length=120, unique=True)
    partnership_name = models.CharField(
        max_length=200, help_text="e.g. Stockton-on-Tees Local Safeguarding Children Board"
    )
    agencies = models.ManyToManyField(
        Agency, related_name="areas", blank=True, help_text="The partner agencies of this area."
    )

    objects = NamedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Inspectorate(models.Model):
    """Ofsted, CQC, HMICFRS, HM Inspectorate of Probation (seeded by a migration)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)

    objects = CodeManager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.code,)


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .access import visible_area_ids

        if user.is_superuser:
            return self
        return self.filter(area_id__in=visible_area_ids(user))


class Inspection(models.Model):
    """One inspection of one area, whose letter the action plan answers."""

    class Kind(models.TextChoices):
        JTAI = "jtai", "Joint Targeted Area Inspection"
        ILACS = "ilacs", "Inspection of local authority children's services"
        SEND = "send", "Area SEND inspection"
        OTHER = "other", "Other inspection"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.JTAI)
    theme = models.CharField(
        max_length=200, blank=True, help_text='The deep-dive theme, e.g. "neglect".'
    )
    fieldwork_start = models.DateField()
    fieldwork_end = models.DateField()
    inspectorates = models.ManyToManyField(Inspectorate, related_name="inspections")
    letter_published = models.DateField(help_text="The date on the findings letter.")
    report_received = models.DateField(
        help_text="When the partnership received the report: the statutory 70 working days "
        "run from here."
    )
    statement_due_stated = models.DateField(
        null=True,
        blank=True,
        help_text="The deadline the letter's 'Next steps' paragraph states. When recorded it "
        "wins over the computed 70 working days.",
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-letter_published"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fieldwork_end__gte=models.F("fieldwork_start")),
                name="fieldwork_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.area}, {self.fieldwork_start:%B %Y}"

    def get_absolute_url(self):
        return reverse("inspection_detail", args=[self.pk])

    @property
    def short_kind(self):
        return {"jtai": "JTAI", "ilacs": "ILACS", "send": "Area SEND"}.get(self.kind, "Inspection")

    @property
    def statement_due_computed(self) -> date | None:
        """70 working days after the report was received (reg. 4 of the 2015 Regulations).

        None until the date the report was received is known (an inspection being
        entered, whose form is not yet complete)."""
        if self.report_received is None:
            return None
        return add_working_days(self.report_received, STATUTORY_WORKING_DAYS)

    @property
    def statement_due(self) -> date | None:
        return self.statement_due_stated or self.statement_due_computed

    @property
    def statement_due_is_stated(self) -> bool:
        return self.statement_due_stated is not None

    def working_days_remaining(self, today: date | None = None) -> int | None:
        """Working days from today until the statement is due (negative once late); None
        while no due date is known."""
        from . import clock

        if self.statement_due is None:
            return None
        today = today or clock.today()
        return working_days_between(today, self.statement_due)


class Finding(models.Model):
    """One strength or area for improvement from the letter, in the letter's order."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Key strength"
        IMPROVEMENT = "improvement", "Area for improvement"
        PRIORITY = "priority", "Area for priority action"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    position = models.PositiveIntegerField(help_text="Order within its kind in the letter.")
    text = models.TextField()
    agencies = models.ManyToManyField(
        Agency, related_name="findings", blank=True, help_text="Agencies the letter names."
    )

    class Meta:
        ordering = ["inspection", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "kind", "position"], name="finding_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}"

    @property
    def reference(self):
        """Short label used in the plan, e.g. "AFI 3" or "S 12"."""
        prefix = {"strength": "S", "improvement": "AFI", "priority": "APA"}[self.kind]
        return f"{prefix} {self.position}"

    @property
    def needs_action(self):
        return self.kind != self.Kind.STRENGTH


class Membership(models.Model):
    """Who is who: one role of one person in one area. A user may hold several.

    - lead: updates the key tasks their agency leads, in this area only (the agency is
      one of the area's partner agencies). Someone who leads for Cleveland Police in
      Stockton and in Hartlepool has one login and a lead membership in each area;
    - board: a board member of the area, reads everything of that area;
    - manager: a plan manager of the area (the DCS's office), edits and exports its
      plans and gives people their roles there (`inspections.people`).
    """

    class Role(models.TextChoices):
        LEAD = "lead", "Agency lead"
        BOARD = "board", "Board member"
        MANAGER = "manager", "Plan manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            # Every role is held in one area; a lead also names the agency they lead for.
            models.CheckConstraint(
                condition=(
                    Q(role="lead", agency__isnull=False)
                    | Q(role__in=["board", "manager"], agency__isnull=True)
                ),
                name="membership_agency_only_for_leads",
            ),
            models.UniqueConstraint(
                fields=["user", "area", "agency"],
                condition=Q(role="lead"),
                name="membership_unique_lead",
            ),
            models.UniqueConstraint(
                fields=["user", "area", "role"],
                condition=Q(role__in=["board", "manager"]),
                name="membership_unique_area_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.describe()}"

    def describe(self) -> str:
        """The role in words, e.g. "Agency lead for Cleveland Police in Stockton-on-Tees"."""
        return describe_role(self.role, self.agency, self.area)

    def clean(self):
        # The database cannot check a many-to-many: a lead's agency must be a partner
        # of the area they lead in.
        super().clean()
        is_lead = self.role == self.Role.LEAD and self.agency_id and self.area_id
        if is_lead and not self.area.agencies.filter(pk=self.agency_id).exists():
            raise ValidationError(
                {"agency": f"{self.agency} is not a partner agency of {self.area}."}
            )


def describe_role(role: str, agency, area) -> str:
    label = Membership.Role(role).label
    if role == Membership.Role.LEAD:
        return f"{label} for {agency} in {area}"
    return f"{label} in {area}"


class BoardMeeting(models.Model):
    """A meeting of an area's safeguarding partnership board, where plans are reviewed."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="board_meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["area", "date"]
        constraints = [
            models.UniqueConstraint(fields=["area", "date"], name="board_meeting_unique_date"),
        ]

    def __str__(self):
        return self.title or f"Board meeting {self.date:%d %B %Y}"


# Invitations and the history of roles live with the rest of "people" (inspections/people/);
# the claims on uploads waiting for "Confirm" with the waiting itself (inspections/pending/).
from .pending.models import PendingUpload  # noqa: E402, F401
from .people.models import Invitation, MembershipChange  # noqa: E402, F401
