"""A plan manager confirms a lead's proposed completion, or returns it with a reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from ..access import can_manage_plan, get_task_for_user
from ..completion import CompletionDecisionForm
from ..models import KeyTask
from ..services import StaleVersion, confirm_completion, return_completion


def task_completion(request, task_id):
    task = get_task_for_user(
        request.user, task_id, queryset=KeyTask.objects.select_related("completion_proposed_by")
    )
    plan = task.section.plan
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied("Only the area's plan managers confirm completions.")
    if not task.awaiting_confirmation:
        if request.method == "POST":
            messages.info(request, "This key task no longer awaits confirmation.")
            return redirect(task)
        raise Http404("This key task awaits no confirmation.")
    form = CompletionDecisionForm(
        request.POST if request.method == "POST" else None, initial={"version": task.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = confirm_completion if data["decision"] == form.CONFIRM else return_completion
        try:
            step(
                task_id=task.pk,
                user=request.user,
                expected_version=data["version"],
                reason=data["reason"],
            )
        except StaleVersion:
            messages.info(
                request,
                "The task changed while you were deciding: read it again before you decide.",
            )
            return redirect("task_completion", task.pk)
        if data["decision"] == form.CONFIRM:
            messages.success(request, f"The key task is now rated {plan.rag_green_label.lower()}.")
        else:
            messages.success(request, "The completion has been returned to the lead.")
        return redirect(task)
    proposal = task.history.filter(changes__completion="proposed").order_by("-pk").first()
    return render(
        request,
        "actionplans/task_completion.html",
        {"task": task, "plan": plan, "form": form, "proposal": proposal},
    )
