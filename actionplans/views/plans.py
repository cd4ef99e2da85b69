"""The plan as a document, and the home page listing the plans a user can see."""

from django.db.models import Count, Q
from django.shortcuts import render

from inspections.access import managed_area_ids
from inspections.models import Inspection

from ..access import get_plan_for_user
from ..models import ActionPlan, KeyTask
from ..ratings import RAGS


def home(request):
    in_force = Q(sections__tasks__withdrawn_at=None)
    counts = {
        f"{param}_count": Count("sections__tasks", filter=in_force & Q(sections__tasks__rag=rag))
        for param, rag in RAGS
    }
    plans = (
        ActionPlan.objects.visible_to(request.user)
        .select_related("inspection__area")
        .annotate(task_count=Count("sections__tasks", filter=in_force), **counts)
    )
    return render(
        request,
        "actionplans/home.html",
        {"plans": plans, "to_start": inspections_without_a_plan(request.user)},
    )


def inspections_without_a_plan(user):
    """The inspections of the areas the user manages that have no plan yet: where a plan
    manager starts one. None (no query) for everyone else."""
    if not (user.is_superuser or managed_area_ids(user)):
        return None
    inspections = Inspection.objects.visible_to(user).filter(plans=None).select_related("area")
    if not user.is_superuser:
        inspections = inspections.filter(area_id__in=managed_area_ids(user))
    return inspections.order_by("-letter_published")


def plan_detail(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    sections = plan.sections_for_display()
    editable_ids = set(
        KeyTask.objects.editable_by(request.user)
        .filter(section__plan=plan)
        .values_list("pk", flat=True)
    )
    inspection = plan.inspection
    return render(
        request,
        "actionplans/plan_detail.html",
        {
            "plan": plan,
            "inspection": inspection,
            "introduction": plan.introduction.all(),
            "sections": sections,
            "editable_ids": editable_ids,
            "findings": inspection.findings.exclude(kind="strength").prefetch_related("tasks"),
        },
    )
