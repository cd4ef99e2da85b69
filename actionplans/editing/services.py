"""The one writer of a plan's structure: each change and its history row, all or nothing.

Every function takes the acting user and the plan version the user's page was built
from. The plan row is locked (SELECT ... FOR UPDATE on PostgreSQL) and a change made
from an older version is refused with `StalePlan`, the rule `record_update` keeps
for a key task's progress, so two plan managers never overwrite each other silently.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from inspections import clock

from ..exports.prerender import note_plan_changed
from ..models import ActionPlan, IntroParagraph, KeyTask, Lead, PlanChange, PlanSection, Rag

# The plan's details a manager edits on one form, in the order the history lists them.
DETAIL_FIELDS = [
    "title",
    "version_label",
    "running_heading",
    "rag_red_label",
    "rag_amber_label",
    "rag_green_label",
    "rag_blue_enabled",
    "rag_blue_label",
    "rag_unrated_label",
]


class StalePlan(Exception):
    """The plan changed since the user opened the page."""

    def __init__(self, plan: ActionPlan):
        super().__init__(f"Plan {plan.pk} is at version {plan.version}")
        self.current = plan


class PlanClosed(Exception):
    """A closed plan is finished: its structure no longer changes."""


class CannotRemove(Exception):
    """What the user asked to remove still holds something that must be kept."""


class TaskWithdrawn(Exception):
    """A withdrawn key task is kept as it was when withdrawn."""


class RatingInUse(Exception):
    """The fourth colour cannot be turned off while key tasks are rated with it."""


@dataclass
class LeadSpec:
    """One lead as the plan writes it, with the agencies it stands for."""

    name: str
    agency_ids: list[int] = field(default_factory=list)
    all_partners: bool = False

    def as_record(self) -> dict:
        return {
            "name": self.name,
            "agency_ids": sorted(self.agency_ids),
            "all_partners": self.all_partners,
        }


@dataclass
class TaskContent:
    """What a plan manager writes for a key task (its progress is the leads' business)."""

    description: str
    success_measures: str = ""
    leads: list[LeadSpec] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)

    def as_record(self) -> dict:
        return {
            "description": self.description,
            "success_measures": self.success_measures,
            "leads": [lead.as_record() for lead in self.leads],
            "finding_ids": sorted(self.finding_ids),
        }

    @classmethod
    def of(cls, task: KeyTask) -> "TaskContent":
        return cls(
            description=task.description,
            success_measures=task.success_measures,
            leads=[
                LeadSpec(
                    name=lead.name,
                    agency_ids=[agency.pk for agency in lead.agencies.all()],
                    all_partners=lead.all_partners,
                )
                for lead in task.leads.all()
            ],
            finding_ids=[finding.pk for finding in task.findings.all()],
        )


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def lock_plan(plan_id: int, expected_version: int, *, allow_closed=False) -> ActionPlan:
    """Lock the plan row and check the version; call inside `transaction.atomic`."""
    plan = ActionPlan.objects.select_for_update().select_related("inspection").get(pk=plan_id)
    if plan.version != expected_version:
        raise StalePlan(plan)
    if plan.status == ActionPlan.Status.CLOSED and not allow_closed:
        raise PlanClosed("The plan is closed: its structure no longer changes.")
    return plan


def record_change(
    plan: ActionPlan,
    user,
    action: str,
    *,
    subject: str = "",
    task: KeyTask | None = None,
    reason: str = "",
    changes: dict | None = None,
    at: datetime | None = None,
    update_fields=(),
) -> PlanChange:
    """Bump the locked plan's version and append the history row (same transaction)."""
    at = at or clock.now()
    plan.version += 1
    plan.save(update_fields=["version", "updated_at", *update_fields])
    return PlanChange.objects.create(
        plan=plan,
        created_at=at,
        user=user,
        user_name=_user_name(user),
        action=action,
        subject=subject[:1000],
        task=task,
        reason=reason,
        changes=changes or {},
        version=plan.version,
    )


def edit_details(
    *,
    plan_id: int,
    user,
    expected_version: int,
    details: dict,
    introduction: list[tuple[str, str]] | None = None,
    reason: str = "",
) -> PlanChange | None:
    """Change the plan's title, version label, running heading, RAG labels, whether it
    uses the fourth colour (blue) and (given `introduction`, a list of (heading, text))
    its introduction. None when nothing changed.

    The fourth colour is not turned off while a key task in force is rated blue
    (`RatingInUse`): those tasks would have a rating the plan no longer offers."""
    with transaction.atomic():
        plan = lock_plan(plan_id, expected_version)
        changes = {}
        for name in DETAIL_FIELDS:
            if name in details and details[name] != getattr(plan, name):
                changes[name] = [getattr(plan, name), details[name]]
                setattr(plan, name, details[name])
        if changes.get("rag_blue_enabled") == [True, False]:
            blue = KeyTask.objects.in_force().filter(section__plan=plan, rag=Rag.BLUE).count()
            if blue:
                label = changes.get("rag_blue_label", [plan.rag_blue_label])[0]
                tasks = "1 key task is" if blue == 1 else f"{blue} key tasks are"
                raise RatingInUse(
                    f"The fourth colour cannot be turned off while {tasks} rated “{label}”. "
                    "Change their rating first."
                )
        if introduction is not None:
            before = [(p.heading, p.text) for p in plan.introduction.all()]
            after = [(heading, text) for heading, text in introduction if text.strip()]
            if before != after:
                changes["introduction"] = [before, after]
                plan.introduction.all().delete()
                note_plan_changed(plan.pk)  # bulk_create sends no post_save
                IntroParagraph.objects.bulk_create(
                    IntroParagraph(plan=plan, number=number, heading=heading, text=text)
                    for number, (heading, text) in enumerate(after, start=1)
                )
        if not changes:
            return None
        return record_change(
            plan,
            user,
            PlanChange.Action.DETAILS,
            subject=plan.title,
            reason=reason,
            changes=changes,
            update_fields=[name for name in DETAIL_FIELDS if name in changes],
        )


def _section_record(title, whole_partnership, agency_ids) -> dict:
    return {
        "title": title,
        "whole_partnership": whole_partnership,
        "agency_ids": sorted(agency_ids),
    }


def add_section(
    *,
    plan_id: int,
    user,
    expected_version: int,
    title: str,
    whole_partnership: bool = False,
    agency_ids=(),
    reason: str = "",
) -> PlanSection:
    """Add a section at the end of the plan."""
    with transaction.atomic():
        plan = lock_plan(plan_id, expected_version)
        last = plan.sections.aggregate(m=Max("position"))["m"] or 0
        section = PlanSection.objects.create(
            plan=plan, position=last + 1, title=title, whole_partnership=whole_partnership
        )
        section.agencies.set(agency_ids)
        record_change(
            plan,
            user,
            PlanChange.Action.SECTION_ADDED,
            subject=title,
            reason=reason,
            changes={"section": [None, _section_record(title, whole_partnership, agency_ids)]},
        )
        return section


def _lock_section(section_id, expected_version):
    section = PlanSection.objects.get(pk=section_id)
    plan = lock_plan(section.plan_id, expected_version)
    return plan, PlanSection.objects.get(pk=section_id)


def edit_section(
    *,
    section_id: int,
    user,
    expected_version: int,
    title: str,
    whole_partnership: bool,
    agency_ids,
    reason: str = "",
) -> PlanChange | None:
    with transaction.atomic():
        plan, section = _lock_section(section_id, expected_version)
        before = _section_record(
            section.title,
            section.whole_partnership,
            section.agencies.values_list("pk", flat=True),
        )
        after = _section_record(title, whole_partnership, agency_ids)
        if before == after:
            return None
        section.title, section.whole_partnership = title, whole_partnership
        section.save(update_fields=["title", "whole_partnership"])
        section.agencies.set(agency_ids)
        changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        return record_change(
            plan,
            user,
            PlanChange.Action.SECTION_EDITED,
            subject=title,
            reason=reason,
            changes=changes,
        )


def _swap_positions(first, second) -> None:
    """Swap two rows' positions under a (parent, position) unique constraint."""
    a, b = first.position, second.position
    first.position = 0  # positions start at 1: 0 is free while the two swap
    first.save(update_fields=["position"])
    second.position = a
    second.save(update_fields=["position"])
    first.position = b
    first.save(update_fields=["position"])


def _move_among(row, siblings, *, up: bool) -> int | None:
    """Swap `row` with its neighbour above or below among `siblings`; returns its old
    position, or None when it is already first or last."""
    others = siblings.exclude(pk=row.pk)
    neighbour = (
        others.filter(position__lt=row.position).order_by("-position")
        if up
        else others.filter(position__gt=row.position).order_by("position")
    ).first()
    if neighbour is None:
        return None
    before = row.position
    _swap_positions(row, neighbour)
    return before


def move_section(
    *, section_id: int, user, expected_version: int, up: bool, reason: str = ""
) -> PlanChange | None:
    """Move a section one place up or down; None at the top or bottom already."""
    with transaction.atomic():
        plan, section = _lock_section(section_id, expected_version)
        before = _move_among(section, plan.sections.all(), up=up)
        if before is None:
            return None
        return record_change(
            plan,
            user,
            PlanChange.Action.SECTION_MOVED,
            subject=section.title,
            reason=reason,
            changes={"position": [before, section.position]},
        )


def remove_section(*, section_id: int, user, expected_version: int, reason: str = "") -> PlanChange:
    """Remove an empty section. One that still has key tasks is refused: its tasks are
    removed or withdrawn first, so nothing with history goes with it."""
    with transaction.atomic():
        plan, section = _lock_section(section_id, expected_version)
        if section.tasks.exists():
            raise CannotRemove("This section still has key tasks. Remove or withdraw them first.")
        record = _section_record(
            section.title,
            section.whole_partnership,
            section.agencies.values_list("pk", flat=True),
        )
        section.delete()
        return record_change(
            plan,
            user,
            PlanChange.Action.SECTION_REMOVED,
            subject=record["title"],
            reason=reason,
            changes={"section": [record, None]},
        )


def _write_leads(task: KeyTask, leads: list[LeadSpec]) -> None:
    task.leads.all().delete()
    for position, spec in enumerate(leads, start=1):
        lead = Lead.objects.create(
            task=task, position=position, name=spec.name, all_partners=spec.all_partners
        )
        lead.agencies.set(spec.agency_ids)


def add_task(
    *,
    section_id: int,
    user,
    expected_version: int,
    content: TaskContent,
    reason: str = "",
    at: datetime | None = None,
) -> KeyTask:
    """Add a key task at the end of a section."""
    with transaction.atomic():
        plan, section = _lock_section(section_id, expected_version)
        last = section.tasks.aggregate(m=Max("position"))["m"] or 0
        task = KeyTask.objects.create(
            section=section,
            position=last + 1,
            description=content.description,
            success_measures=content.success_measures,
        )
        _write_leads(task, content.leads)
        task.findings.set(content.finding_ids)
        record_change(
            plan,
            user,
            PlanChange.Action.TASK_ADDED,
            subject=content.description,
            task=task,
            reason=reason,
            changes={"section": section.title, "task": [None, content.as_record()]},
            at=at,
        )
        return task


def _lock_task(task_id, expected_version, *, in_force=True):
    task = KeyTask.objects.select_related("section").get(pk=task_id)
    plan = lock_plan(task.section.plan_id, expected_version)
    task = KeyTask.objects.select_related("section").get(pk=task_id)
    if in_force and task.is_withdrawn:
        raise TaskWithdrawn("This key task is withdrawn: it is kept as it was.")
    return plan, task


def edit_task(
    *,
    task_id: int,
    user,
    expected_version: int,
    content: TaskContent,
    reason: str = "",
    at: datetime | None = None,
) -> PlanChange | None:
    """Change a key task's text, success measures, leads and findings answered."""
    with transaction.atomic():
        plan, task = _lock_task(task_id, expected_version)
        before = TaskContent.of(task).as_record()
        after = content.as_record()
        if before == after:
            return None
        task.description, task.success_measures = content.description, content.success_measures
        task.save(update_fields=["description", "success_measures"])
        if before["leads"] != after["leads"]:
            _write_leads(task, content.leads)
        if before["finding_ids"] != after["finding_ids"]:
            task.findings.set(content.finding_ids)
        changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        return record_change(
            plan,
            user,
            PlanChange.Action.TASK_EDITED,
            subject=content.description,
            task=task,
            reason=reason,
            changes=changes,
            at=at,
        )


def move_task(
    *, task_id: int, user, expected_version: int, up: bool, reason: str = ""
) -> PlanChange | None:
    """Move a key task one place up or down within its section."""
    with transaction.atomic():
        plan, task = _lock_task(task_id, expected_version)
        before = _move_among(task, task.section.tasks.all(), up=up)
        if before is None:
            return None
        return record_change(
            plan,
            user,
            PlanChange.Action.TASK_MOVED,
            subject=task.description,
            task=task,
            reason=reason,
            changes={"position": [before, task.position]},
        )


def task_has_history(task: KeyTask) -> bool:
    """Progress recorded against it: updates, or entries of action to date."""
    return task.history.exists() or task.action_to_date.exists()


def remove_task(
    *, task_id: int, user, expected_version: int, reason: str, at: datetime | None = None
) -> PlanChange:
    """Remove a key task: deleted when nothing was ever recorded against it, otherwise
    withdrawn (kept with its history, shown as withdrawn with the reason)."""
    at = at or clock.now()
    with transaction.atomic():
        plan, task = _lock_task(task_id, expected_version, in_force=False)
        if task.is_withdrawn:
            raise CannotRemove("This key task is already withdrawn.")
        record = TaskContent.of(task).as_record()
        if task_has_history(task):
            task.withdrawn_at, task.withdrawn_reason = at, reason
            task.save(update_fields=["withdrawn_at", "withdrawn_reason"])
            return record_change(
                plan,
                user,
                PlanChange.Action.TASK_WITHDRAWN,
                subject=task.description,
                task=task,
                reason=reason,
                changes={"withdrawn": True},
                at=at,
            )
        task.delete()
        return record_change(
            plan,
            user,
            PlanChange.Action.TASK_REMOVED,
            subject=record["description"],
            reason=reason,
            changes={"task": [record, None]},
            at=at,
        )
