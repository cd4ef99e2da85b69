"""The one door: load a plan or a task by id for a user, checking access as it loads.

Not visible to the user -> 404 (we do not confirm it exists); visible but the user may
not change it -> 403. Views never load an object and check afterwards.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from inspections.access import managed_area_ids
from inspections.models import BoardMeeting

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


def get_task_for_user(user, task_id, *, edit=False) -> KeyTask:
    """A key task the user may see; with edit=True one they may also update."""
    tasks = KeyTask.objects.visible_to(user).select_related("section__plan__inspection__area")
    task = get_object_or_404(tasks, pk=task_id)
    if edit and not KeyTask.objects.editable_by(user).filter(pk=task.pk).exists():
        raise PermissionDenied(
            "Only the leads of this task and the area's plan managers can update it."
        )
    return task


def can_manage_plan(user, plan) -> bool:
    """Whether the page should offer the plan manager's actions (no query: a user's
    memberships are cached for the request). The actions' own views still go through
    get_plan_for_user(manage=True)."""
    return user.is_superuser or plan.inspection.area_id in managed_area_ids(user)


def get_board_meeting_for_user(user, plan_id, meeting_id):
    """A board meeting of the plan's area, for a user who manages the plan."""
    plan = get_plan_for_user(user, plan_id, manage=True)
    meeting = get_object_or_404(BoardMeeting, pk=meeting_id, area_id=plan.inspection.area_id)
    return plan, meeting
