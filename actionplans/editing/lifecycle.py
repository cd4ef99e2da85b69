"""A plan's life: draft -> agreed by the board -> submitted -> closed.

Each step is one transaction with its `PlanChange` row, under the plan's lock. The PDF
as submitted is rendered by the export (`exports.pdf.plan_pdf`), written once through
Django's storage API and never replaced; its SHA-256 is kept beside it so a download
years later can be checked against what was sent.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from inspections import clock
from inspections.models import BoardMeeting

from ..exports import pdf
from ..models import COMPLETE, ActionPlan, FutureAction, KeyTask, PlanChange
from .services import lock_plan, record_change

Status = ActionPlan.Status


class WrongStep(Exception):
    """The plan is not at the step this change starts from."""


def agree(
    *, plan_id: int, user, expected_version: int, meeting_id: int, reason: str = ""
) -> PlanChange:
    """Record that the board agreed the draft at one of the area's meetings."""
    with transaction.atomic():
        plan = lock_plan(plan_id, expected_version)
        if plan.status != Status.DRAFT:
            raise WrongStep("Only a draft plan can be agreed.")
        meeting = BoardMeeting.objects.get(pk=meeting_id, area_id=plan.inspection.area_id)
        plan.status, plan.agreed_at_meeting = Status.AGREED, meeting
        return record_change(
            plan,
            user,
            PlanChange.Action.AGREED,
            subject=str(meeting),
            reason=reason,
            changes={"status": [Status.DRAFT, Status.AGREED], "meeting": meeting.date.isoformat()},
            update_fields=["status", "agreed_at_meeting"],
        )


def submitted_pdf_name(plan: ActionPlan, day: date) -> str:
    area = slugify(plan.inspection.area.name)
    return f"{area}-statement-of-action-as-submitted-{day.isoformat()}.pdf"


def submit(
    *, plan_id: int, user, expected_version: int, submitted_on: date, reason: str = ""
) -> PlanChange:
    """Record the plan as sent to the inspectorates on `submitted_on`, keeping the PDF
    as submitted (with its SHA-256)."""
    with transaction.atomic():
        plan = lock_plan(plan_id, expected_version)
        if plan.status != Status.AGREED:
            raise WrongStep("Only a plan the board has agreed can be submitted.")
        if plan.submitted_pdf:
            raise WrongStep("This plan's submitted PDF is already stored.")
        plan.status, plan.submitted_on = Status.SUBMITTED, submitted_on
        # Saved first, so the PDF (and its cache key, read from the rows) says "Submitted".
        plan.save(update_fields=["status", "submitted_on"])
        data = pdf.plan_pdf(plan)
        digest = hashlib.sha256(data).hexdigest()
        # save=False: the row is saved once, below, with its history.
        plan.submitted_pdf.save(
            submitted_pdf_name(plan, submitted_on), ContentFile(data), save=False
        )
        plan.submitted_pdf_sha256 = digest
        return record_change(
            plan,
            user,
            PlanChange.Action.SUBMITTED,
            subject=plan.title,
            reason=reason,
            changes={
                "status": [Status.AGREED, Status.SUBMITTED],
                "submitted_on": submitted_on.isoformat(),
                "sha256": digest,
            },
            update_fields=["status", "submitted_on", "submitted_pdf", "submitted_pdf_sha256"],
        )


def open_tasks(plan: ActionPlan):
    """Key tasks that stop the plan closing: in force and not rated complete (green, or
    blue where the plan uses the fourth colour), or with future actions still planned."""
    tasks = KeyTask.objects.filter(section__plan=plan, withdrawn_at__isnull=True)
    planned = FutureAction.objects.filter(task__in=tasks, status=FutureAction.Status.OPEN)
    return tasks.exclude(rag__in=COMPLETE) | tasks.filter(pk__in=planned.values("task_id"))


def close(*, plan_id: int, user, expected_version: int, reason: str = "") -> PlanChange:
    """Close a submitted plan whose key tasks are all complete: who and when."""
    at = clock.now()
    with transaction.atomic():
        plan = lock_plan(plan_id, expected_version)
        if plan.status != Status.SUBMITTED:
            raise WrongStep("Only a submitted plan can be closed.")
        if open_tasks(plan).exists():
            raise WrongStep(
                "Every key task must be complete, with no future actions still planned, "
                "before the plan is closed."
            )
        plan.status, plan.closed_at, plan.closed_by = Status.CLOSED, at, user
        return record_change(
            plan,
            user,
            PlanChange.Action.CLOSED,
            subject=plan.title,
            reason=reason,
            changes={"status": [Status.SUBMITTED, Status.CLOSED]},
            at=at,
            update_fields=["status", "closed_at", "closed_by"],
        )
