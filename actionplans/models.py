"""What the partners do about the findings: plans, sections, key tasks and their history.

Relations other code relies on:
KeyTask.section -> PlanSection.plan -> ActionPlan.inspection -> Inspection.area.
"""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse

from inspections.access import lead_areas_by_agency, managed_area_ids, visible_area_ids
from inspections.models import Agency, Area, BoardMeeting, Finding, Inspection


class Rag(models.TextChoices):
    """The stored rating. The words shown come from the plan's own labels.

    Blue is the fourth colour of the partnerships that use BRAG: "completed and
    embedded", one step beyond green's "completed". A plan offers it only once its
    manager has turned it on (`ActionPlan.rag_blue_enabled`).
    """

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    UNRATED = "", "Not yet rated"


# The ratings that count as complete: a plan closes once every task in force has one,
# and the board's "completed" counts include both.
COMPLETE = (Rag.GREEN, Rag.BLUE)


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_superuser:
            return self
        return self.filter(inspection__area_id__in=visible_area_ids(user))

    def managed_by(self, user):
        """Plans the user may edit as a whole and export."""
        if user.is_superuser:
            return self
        return self.filter(inspection__area_id__in=managed_area_ids(user))

    def with_content_version(self):
        """Annotate `tasks_version` and `meetings_version`: numbers that change whenever
        a task of the plan is added, removed or updated (each update bumps the task's
        version by one) or a board meeting of its area is recorded or removed. Caches of
        what is made from a plan key on them; they come with the plan, in its query.

        A task counts as its id scaled up plus its version: an update adds one, an added
        or removed task moves the sum by more than any update can.
        """
        # Raw SQL: this runs on every dashboard request, and the ORM takes longer to
        # build these two subqueries than the database takes to run them. Table names
        # come from the models, nothing from a user.
        plan, task = self.model._meta.db_table, KeyTask._meta.db_table
        section = PlanSection._meta.db_table
        meeting, inspection = BoardMeeting._meta.db_table, Inspection._meta.db_table
        tasks = (
            f"SELECT SUM(t.id * 1000000 + t.version) FROM {task} t "  # noqa: S608
            f"JOIN {section} s ON t.section_id = s.id WHERE s.plan_id = {plan}.id"
        )
        meetings = (
            f"SELECT SUM(m.id) FROM {meeting} m WHERE m.area_id = "  # noqa: S608
            f"(SELECT i.area_id FROM {inspection} i WHERE i.id = {plan}.inspection_id)"
        )
        number = models.BigIntegerField()
        return self.annotate(
            tasks_version=RawSQL(tasks, (), output_field=number),  # noqa: S611
            meetings_version=RawSQL(meetings, (), output_field=number),  # noqa: S611
        )


class ActionPlan(models.Model):
    """The written statement of action for one inspection."""

    class Status(models.TextChoices):
        # draft -> agreed by the board -> submitted to the inspectorates -> closed.
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed by the board"
        SUBMITTED = "submitted", "Submitted"
        CLOSED = "closed", "Closed"

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=300)
    version_label = models.CharField(
        max_length=100,
        blank=True,
        help_text='As the document writes it, e.g. "Final Draft 18/04/18".',
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    running_heading = models.CharField(
        max_length=300, blank=True, help_text="The heading repeated on every page of the document."
    )
    rag_red_label = models.CharField(max_length=60, default="Behind schedule")
    rag_amber_label = models.CharField(max_length=60, default="On track")
    rag_green_label = models.CharField(max_length=60, default="Completed")
    rag_unrated_label = models.CharField(max_length=60, default="Not yet rated")
    # BRAG: a fourth colour, blue, beyond green. Off unless the partnership uses it;
    # it cannot be turned off while a task is rated blue (editing.services).
    rag_blue_enabled = models.BooleanField(
        "uses a fourth colour (blue)",
        default=False,
        help_text="Blue: beyond green, e.g. completed and embedded.",
    )
    rag_blue_label = models.CharField(max_length=60, default="Completed and embedded")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of the plan's structure (its details, sections and key tasks'
    # text, leads and findings): every structural change bumps it, and a change made
    # from an older version is refused, the rule KeyTask.version keeps for progress.
    version = models.PositiveIntegerField(default=1)

    # Its life: agreed at a board meeting, submitted to the inspectorates, closed.
    agreed_at_meeting = models.ForeignKey(
        BoardMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans_agreed",
        help_text="The board meeting that agreed the plan.",
    )
    submitted_on = models.DateField(null=True, blank=True)
    # The PDF as it was sent: written once, never replaced; the hash proves it unchanged.
    submitted_pdf = models.FileField(upload_to="submitted-plans/", blank=True)
    submitted_pdf_sha256 = models.CharField(max_length=64, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-inspection__letter_published", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.pk])

    @property
    def area(self) -> Area:
        return self.inspection.area

    @property
    def short_name(self) -> str:
        """What people call the plan, e.g. "Stockton-on-Tees JTAI 2017": for file names."""
        inspection = self.inspection
        return f"{inspection.area.name} {inspection.short_kind} {inspection.fieldwork_start:%Y}"

    def rag_label(self, rag: str) -> str:
        return {
            Rag.RED: self.rag_red_label,
            Rag.AMBER: self.rag_amber_label,
            Rag.GREEN: self.rag_green_label,
            Rag.BLUE: self.rag_blue_label,
        }.get(rag, self.rag_unrated_label)

    @property
    def rated_values(self) -> list[str]:
        """The ratings this plan gives, worst to best: blue only when the plan uses it."""
        values = [Rag.RED, Rag.AMBER, Rag.GREEN]
        if self.rag_blue_enabled:
            values.append(Rag.BLUE)
        return values

    @property
    def rag_key(self):
        """(value, label) for the rated values, in the order the document's key shows them."""
        return [(rag, self.rag_label(rag)) for rag in self.rated_values]

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self):
        """Sent to the inspectorates (or closed since): the deadline no longer runs."""
        return self.status in (self.Status.SUBMITTED, self.Status.CLOSED)

    def sections_for_display(self, tasks=None):
        """The sections, each with its tasks and all a table row shows, in fixed queries.

        One loading for the plan page and the exports, so a document shows what the page
        shows. `tasks` replaces `KeyTask.objects.for_display()`, e.g. as at a past date.
        """
        tasks = KeyTask.objects.for_display() if tasks is None else tasks
        # The rows reach their plan through the section, which the prefetch sets.
        tasks = tasks.select_related(None).order_by("position")
        return self.sections.prefetch_related("agencies", models.Prefetch("tasks", queryset=tasks))


class IntroParagraph(models.Model):
    """A numbered paragraph of the plan's introduction, with the sub-heading before it."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="introduction")
    number = models.PositiveIntegerField()
    heading = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="intro_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class PlanSection(models.Model):
    """A table of the plan: the whole partnership, or one or more agencies."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    whole_partnership = models.BooleanField(
        default=False, help_text="Actions across the whole partnership rather than one agency."
    )
    agencies = models.ManyToManyField(Agency, related_name="plan_sections", blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_position_unique"),
        ]

    def __str__(self):
        return self.title


def _next_board_meeting(area_ref: str, today):
    """The date of the area's first board meeting on or after `today` (a subquery)."""
    return Subquery(
        BoardMeeting.objects.filter(area=OuterRef(area_ref), date__gte=today)
        .order_by("date")
        .values("date")[:1]
    )


class KeyTaskQuerySet(models.QuerySet):
    def in_force(self):
        """Tasks not withdrawn: those the board counts and the leads update."""
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, user):
        """Tasks of every plan the user may read."""
        if user.is_superuser:
            return self
        return self.filter(section__plan__inspection__area_id__in=visible_area_ids(user))

    def editable_by(self, user):
        """Tasks the user may update: plan managers their area's, leads their agency's
        in the areas they lead in.

        Which agencies lead a task comes from its leads; a lead standing for all partners
        ("All agencies") counts for every partner agency of the area.
        """
        if user.is_superuser:
            return self.in_force()
        area = "section__plan__inspection__area_id"
        condition = Q(**{f"{area}__in": managed_area_ids(user)})
        for agency, areas in lead_areas_by_agency(user).items():
            led_by_agency = Lead.objects.filter(task=OuterRef("pk")).filter(
                Q(agencies=agency) | Q(all_partners=True)
            )
            condition |= Q(Exists(led_by_agency), **{f"{area}__in": areas})
        # A withdrawn task is kept as it was: nobody updates it any more.
        return self.in_force().filter(condition)

    def with_due_future_actions(self, today):
        """Annotate each task with its area's next board meeting (the first on or after
        `today`) and prefetch, as `due_future_actions`, its open future actions that are
        overdue or due by that meeting: what a lead must report on next."""
        area = "section__plan__inspection__area"
        due = (
            FutureAction.objects.filter(status=FutureAction.Status.OPEN, target_date__isnull=False)
            .annotate(
                next_meeting=_next_board_meeting(f"task__{area}", today),
                overdue=ExpressionWrapper(Q(target_date__lt=today), output_field=BooleanField()),
            )
            .filter(Q(target_date__lt=today) | Q(target_date__lte=F("next_meeting")))
            .order_by("target_date", "position")
        )
        return self.annotate(next_board_meeting=_next_board_meeting(area, today)).prefetch_related(
            models.Prefetch("future_actions", queryset=due, to_attr="due_future_actions")
        )

    def for_display(self, as_at=None):
        """Everything a plan table row shows, in a fixed number of queries.

        With `as_at` (a date), the entries as they stood at the end of that day: the
        action to date recorded by then, and the future actions still open then (those
        done or dropped later show as open). The RAG as at a moment is `ratings.rag_at`.
        """
        entries = ActionEntry.objects.order_by("position")
        future = FutureAction.objects.filter(status=FutureAction.Status.OPEN)
        if as_at is not None:
            entries = entries.filter(added_on__lte=as_at)
            future = FutureAction.objects.filter(
                Q(status=FutureAction.Status.OPEN) | Q(closed_on__gt=as_at)
            )
        return self.select_related(
            "section__plan__inspection__area", "updated_by", "completion_proposed_by"
        ).prefetch_related(
            "leads__agencies",
            models.Prefetch("action_to_date", queryset=entries),
            models.Prefetch(
                "future_actions",
                queryset=future.order_by("position"),
                to_attr="open_future_actions",
            ),
            "findings",
        )

    def awaiting_confirmation(self):
        """Tasks a lead proposed as completed that no plan manager has confirmed yet."""
        return self.filter(awaiting_confirmation_since__isnull=False)

    def overdue(self, today):
        """Tasks with an open future action whose target date has passed."""
        return self.filter(overdue_condition(today))

    def stale(self, since):
        """Tasks nobody has updated since `since` (a datetime); None: never updated."""
        return self.filter(stale_condition(since))

    def led_by_agency(self, agency_id, *, partner_of_area=False):
        """Tasks an agency leads: named in one of its leads, or a lead standing for all
        partners of the area the agency is a partner of (the rule `editable_by` uses).

        `partner_of_area=True`: the caller knows the tasks are all of one area the agency
        is a partner of, so any lead for all partners counts without looking the area up.
        """
        if partner_of_area:
            for_all_partners = Q(all_partners=True)
        else:
            for_all_partners = Q(
                all_partners=True, task__section__plan__inspection__area__agencies=agency_id
            )
        leads = Lead.objects.filter(task=OuterRef("pk")).filter(
            Q(agencies=agency_id) | for_all_partners
        )
        return self.filter(Exists(leads))


def overdue_condition(today):
    """True for a task with an open future action due before `today` (uses
    futureaction_due_idx)."""
    return Exists(
        FutureAction.objects.filter(
            task=OuterRef("pk"), status=FutureAction.Status.OPEN, target_date__lt=today
        )
    )


def stale_condition(since):
    never = Q(updated_at__isnull=True)
    return never if since is None else never | Q(updated_at__lt=since)


class KeyTask(models.Model):
    """One row of a plan section."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField()
    description = models.TextField("key task")
    success_measures = models.TextField(
        "how will we know?", blank=True, help_text="The evidence of impact; one measure a line."
    )
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True, default="")
    findings = models.ManyToManyField(
        Finding, related_name="tasks", blank=True, help_text="The findings this task answers."
    )
    # Optimistic locking: every save of an update bumps it, and a save made from an
    # older version is refused instead of silently overwriting someone else's edit.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the task was added to the plan, so the board sees what is new since a meeting.
    # Empty for tasks of the plan as first loaded (fixtures load raw, skipping auto_now_add):
    # they were there from the start.
    created_at = models.DateTimeField("added to the plan", auto_now_add=True, null=True)
    # A task with history is never deleted: it is withdrawn, kept and shown as such.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Confirmed completion: a lead choosing the completed rating proposes it; the rating
    # only becomes completed once a plan manager confirms (actionplans.completion).
    # Set while a proposal waits; the history records every step.
    awaiting_confirmation_since = models.DateTimeField(null=True, blank=True)
    completion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = KeyTaskQuerySet.as_manager()

    class Meta:
        ordering = ["section__plan", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="task_position_unique"),
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("task_detail", args=[self.pk])

    @property
    def plan(self) -> ActionPlan:
        return self.section.plan

    @property
    def rag_label(self) -> str:
        return self.section.plan.rag_label(self.rag)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def success_measure_list(self) -> list[str]:
        return [line for line in self.success_measures.splitlines() if line.strip()]

    @property
    def description_paragraphs(self) -> list[str]:
        return [p for p in self.description.split("\n\n") if p.strip()]

    @property
    def awaiting_confirmation(self) -> bool:
        return self.awaiting_confirmation_since is not None

    def lead_agency_ids(self, partner_ids=None) -> set[int]:
        """Agencies that lead this task (uses prefetched leads where present)."""
        ids: set[int] = set()
        for lead in self.leads.all():
            if lead.all_partners and partner_ids is not None:
                ids |= set(partner_ids)
            ids |= {agency.pk for agency in lead.agencies.all()}
        return ids


class Lead(models.Model):
    """A lead as the plan writes it, tied to the agencies it stands for."""

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="leads")
    position = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=300, help_text='As written, e.g. "D. Supt. PVP".')
    agencies = models.ManyToManyField(Agency, related_name="leads", blank=True)
    all_partners = models.BooleanField(
        default=False, help_text='Stands for every partner agency, e.g. "All agencies".'
    )

    class Meta:
        ordering = ["task", "position"]

    def __str__(self):
        return self.name


class ActionEntry(models.Model):
    """One entry of "Action to date": what was done, when and by whom it was recorded."""

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="action_to_date")
    position = models.PositiveIntegerField()
    text = models.TextField()
    added_on = models.DateField(help_text="When this was recorded.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_future_action = models.OneToOneField(
        "FutureAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completion",
        help_text="The future action whose completion this records.",
    )

    class Meta:
        ordering = ["task", "position"]
        verbose_name_plural = "action to date entries"

    def __str__(self):
        return self.text[:80]


class FutureAction(models.Model):
    """One entry of "Future actions", with the target date the plan gives it."""

    class Status(models.TextChoices):
        OPEN = "open", "Planned"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="future_actions")
    position = models.PositiveIntegerField()
    text = models.TextField()
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    drop_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["task", "position"]
        indexes = [
            # Serves "what is overdue": open actions by target date.
            models.Index(fields=["status", "target_date"], name="futureaction_due_idx"),
        ]

    def __str__(self):
        return self.text[:80]

    def is_overdue(self, today) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.target_date is not None
            and self.target_date < today
        )


class TaskUpdateQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Task history is append-only: it cannot be updated.")

    def delete(self):
        raise TypeError("Task history is append-only: it cannot be deleted.")


class TaskUpdate(models.Model):
    """The append-only history of a key task: one row per saved change.

    `changes` maps a field name to [old, new]; lists of entries record what was added,
    completed, edited or dropped. The user's name and agency are copied at the time
    so the record still reads right after people move on.
    """

    task = models.ForeignKey(KeyTask, on_delete=models.PROTECT, related_name="history")
    created_at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="task_updates"
    )
    user_name = models.CharField(max_length=200)
    agency_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict)
    rag_from = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rag_to = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    version = models.PositiveIntegerField(help_text="The task's version this update produced.")

    objects = TaskUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["task", "created_at", "pk"]
        indexes = [
            # Serves "RAG as at a date": the latest update of each task before a date.
            models.Index(fields=["task", "created_at"], name="taskupdate_task_time_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["task", "version"], name="taskupdate_version_unique"),
        ]

    def __str__(self):
        return f"{self.task_id} v{self.version} by {self.user_name} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Task history is append-only: an entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Task history is append-only: an entry cannot be deleted.")

    @property
    def rag_changed(self) -> bool:
        return self.rag_from != self.rag_to


class PlanChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Plan history is append-only: it cannot be updated.")

    def delete(self):
        raise TypeError("Plan history is append-only: it cannot be deleted.")


class PlanChange(models.Model):
    """The append-only history of a plan's structure and life: one row per change.

    Written by `actionplans.editing` in the same transaction as the change: details
    edited, a section or key task added, edited, moved, removed or withdrawn, the plan
    agreed, submitted or closed. `changes` holds what changed ([old, new] per field).
    """

    class Action(models.TextChoices):
        CREATED = "created", "Plan started"
        DETAILS = "details", "Plan details edited"
        SECTION_ADDED = "section_added", "Section added"
        SECTION_EDITED = "section_edited", "Section edited"
        SECTION_MOVED = "section_moved", "Section moved"
        SECTION_REMOVED = "section_removed", "Section removed"
        TASK_ADDED = "task_added", "Key task added"
        TASK_EDITED = "task_edited", "Key task edited"
        TASK_MOVED = "task_moved", "Key task moved"
        TASK_REMOVED = "task_removed", "Key task removed"
        TASK_WITHDRAWN = "task_withdrawn", "Key task withdrawn"
        AGREED = "agreed", "Agreed by the board"
        SUBMITTED = "submitted", "Submitted to the inspectorates"
        CLOSED = "closed", "Closed"
        IMPORTED = "imported", "Updated from Word"

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="changes")
    created_at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="plan_changes"
    )
    user_name = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    # What it was about, as it read then (a section's or task's text may change later).
    subject = models.TextField(blank=True)
    task = models.ForeignKey(
        KeyTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_changes"
    )
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict)
    version = models.PositiveIntegerField(help_text="The plan's version this change produced.")

    objects = PlanChangeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "created_at", "pk"]

    def __str__(self):
        return (
            f"{self.get_action_display()} by {self.user_name} at {self.created_at:%Y-%m-%d %H:%M}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Plan history is append-only: an entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Plan history is append-only: an entry cannot be deleted.")

    @property
    def changed_names(self) -> list[str]:
        """The parts that changed, in words ("rag red label", "success measures")."""
        return [key.replace("_", " ") for key in self.changes]

    @property
    def readable_changes(self) -> list[tuple[str, str, str]]:
        """(part, before, after) for each part whose old and new values are plain text
        or numbers; richer values (leads, a whole task) are named by `changed_names`."""
        readable = []
        for key, value in self.changes.items():
            if (
                isinstance(value, list)
                and len(value) == 2
                and all(isinstance(v, str | int) or v is None for v in value)
            ):
                before, after = (_readable(v) for v in value)
                readable.append((key.replace("_", " ").capitalize(), before, after))
        return readable


def _readable(value) -> str:
    if isinstance(value, bool):  # a setting turned on or off, e.g. the fourth colour
        return "Yes" if value else "No"
    return "" if value is None else str(value)


# Models of the capabilities that have their own package (Django finds models where
# the app's models module imports them).
from .boardpacks.models import BoardPack  # noqa: E402
from .evidence.models import Evidence  # noqa: E402
from .reminders.models import EmailPreferences, SentReminder  # noqa: E402

__all__ = [
    "ActionEntry",
    "ActionPlan",
    "BoardPack",
    "EmailPreferences",
    "Evidence",
    "FutureAction",
    "IntroParagraph",
    "KeyTask",
    "Lead",
    "PlanChange",
    "PlanSection",
    "COMPLETE",
    "Rag",
    "SentReminder",
    "TaskUpdate",
]
