"""The one door: load a plan or a task by id for a user, checking access as it loads.

Not visible to the user -> 404 (we do not confirm it exists); visible but the user may
not change it -> 403. Views never load an object and check afterwards.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from inspections.access import managed_area_ids
from inspections.models import BoardMeeting, Inspection

from .models import ActionPlan, KeyTask


def get_plan_for_user(user, plan_id, *, manage=False, plans=None) -> ActionPlan:
    """A plan the user may see; with manage=True one they may also edit as a whole.

    `plans` is a queryset of ActionPlan to load from, for a view that needs annotations.
    """
    plans = (plans if plans is not None else ActionPlan.objects).visible_to(user)
    plans = plans.select_related("inspection__area")
    plan = get_object_or_404(plans, pk=plan_id)
    if manage and not ActionPlan.objects.managed_by(user).filter(pk=plan.pk).exists():
        raise PermissionDenied("Only the area's plan managers can do this.")
    return plan


def can_edit_task(user, task: KeyTask) -> bool:
    """Whether the user may update a task they can see (to offer the update button)."""
    return KeyTask.objects.editable_by(user).filter(pk=task.pk).exists()


def get_task_for_user(user, task_id, *, edit=False, queryset=None) -> KeyTask:
    """A key task the user may see; with edit=True one they may also update.

    `queryset` (e.g. `KeyTask.objects.for_display()`) says what to load with it; the
    user's scope is applied to it here, whatever it is.
    """
    tasks = (queryset if queryset is not None else KeyTask.objects.all()).visible_to(user)
    task = get_object_or_404(tasks.select_related("section__plan__inspection__area"), pk=task_id)
    if edit and not can_edit_task(user, task):
        raise PermissionDenied(
            "Only the leads of this task and the area's plan managers can update it."
        )
    return task


def inspections_for_import(user):
    """The inspections a user may import a plan for: those of the areas they manage.

    Importing creates a whole plan, so only plan managers (and superusers) may: anyone
    else gets 403, the way a read-only user does on any other manager's page.
    """
    inspections = Inspection.objects.select_related("area").order_by("-letter_published")
    if user.is_superuser:
        return inspections
    managed = managed_area_ids(user)
    if not managed:
        raise PermissionDenied("Only plan managers can import a plan.")
    return inspections.visible_to(user).filter(area_id__in=managed)


def get_inspection_for_manager(user, inspection_id) -> Inspection:
    """An inspection of an area the user manages plans for: 404 when they cannot see it,
    403 when they can but do not manage its area (a board member, a lead)."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("area"), pk=inspection_id
    )
    if not (user.is_superuser or inspection.area_id in managed_area_ids(user)):
        raise PermissionDenied("Only the area's plan managers can start a plan.")
    return inspection


def get_section_for_manager(user, plan_id, section_id):
    """A section of a plan the user manages (404 for a section of another plan)."""
    plan = get_plan_for_user(user, plan_id, manage=True)
    return plan, get_object_or_404(plan.sections, pk=section_id)


def get_plan_task_for_manager(user, plan_id, task_id):
    """A key task of a plan the user manages, with what its edit form shows."""
    plan = get_plan_for_user(user, plan_id, manage=True)
    tasks = KeyTask.objects.filter(section__plan=plan).select_related("section")
    task = get_object_or_404(tasks.prefetch_related("leads__agencies", "findings"), pk=task_id)
    return plan, task


def can_manage_plan(user, plan) -> bool:
    """The same rule as ActionPlan.objects.managed_by, for a plan already loaded (no query
    once the user's memberships are known)."""
    return user.is_superuser or plan.inspection.area_id in managed_area_ids(user)


def get_board_meeting_for_user(user, plan_id, meeting_id):
    """A board meeting of the plan's area, for a user who manages the plan."""
    plan = get_plan_for_user(user, plan_id, manage=True)
    meeting = get_object_or_404(BoardMeeting, pk=meeting_id, area_id=plan.inspection.area_id)
    return plan, meeting


def get_evidence_file_for_user(user, evidence_id):
    """A file of evidence on a task the user may see (anyone who may read the task may
    read its evidence); anything else, including a link or another area's file, is 404."""
    from .models import Evidence

    files = Evidence.objects.visible_to(user).filter(kind=Evidence.Kind.FILE)
    return get_object_or_404(files, pk=evidence_id)


def get_board_pack_for_user(user, plan_id, pack_id):
    """A board pack of a plan the user may read (board members, leads, plan managers)."""
    plan = get_plan_for_user(user, plan_id)
    pack = get_object_or_404(plan.board_packs.select_related("meeting"), pk=pack_id)
    return plan, pack
