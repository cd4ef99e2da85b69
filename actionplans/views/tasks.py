"""One key task: its page with its history, and the page where its leads update it.

The update page is a small state machine over one form, all in POST data so nothing
typed is lost on the way: edit -> preview -> save, with "add another" and "change"
going back to edit, a conflict page when someone else saved first, and the preview
again (with a message) when the database fails during the save.
"""

import logging

from django.contrib import messages
from django.db import DatabaseError
from django.shortcuts import redirect, render

from inspections import clock

from ..access import can_edit_task, can_manage_plan, get_task_for_user
from ..history import ChangeSummary, history_entries
from ..models import COMPLETE, FutureAction, KeyTask, Rag
from ..services import RatingNotOffered, StaleVersion, preview_update, record_update
from ..update_forms import TOO_MANY_ROWS, TaskUpdateForm

logger = logging.getLogger(__name__)


def task_detail(request, task_id):
    task = get_task_for_user(request.user, task_id, queryset=KeyTask.objects.for_display())
    plan = task.section.plan
    updates = task.history.order_by("-created_at", "-pk")
    can_edit = can_edit_task(request.user, task)
    return render(
        request,
        "actionplans/task_detail.html",
        {
            "task": task,
            "plan": plan,
            "can_edit": can_edit,
            "can_confirm": task.awaiting_confirmation and can_manage_plan(request.user, plan),
            "evidence": task.evidence.order_by("added_at", "pk"),
            "history": history_entries(updates, plan),
        },
    )


def task_update(request, task_id):
    task = get_task_for_user(request.user, task_id, edit=True)
    open_actions = _open_future_actions(task)
    manages = can_manage_plan(request.user, task.section.plan)
    if request.method != "POST":
        return _edit_page(request, task, TaskUpdateForm(task, open_actions, manages=manages))

    form = TaskUpdateForm(task, open_actions, data=request.POST, manages=manages)
    if form.has_too_many_rows():
        refused = TaskUpdateForm(task, open_actions, refusal=TOO_MANY_ROWS, manages=manages)
        return _edit_page(request, task, refused, status=400)
    if form.is_stale():
        return _conflict_page(request, task, form)
    action = request.POST.get("action", "preview")
    if action in ("add_action", "add_future"):
        carried = form.carried(
            another_action=action == "add_action", another_future=action == "add_future"
        )
        return _edit_page(request, task, carried)
    if action == "change":
        return _edit_page(request, task, form.carried())
    if not form.is_valid():
        return _edit_page(request, task, form)
    if action != "save":
        return _preview_page(request, task, form)
    try:
        record_update(
            task_id=task.pk,
            user=request.user,
            expected_version=form.posted_version,
            change=form.change(),
        )
    except StaleVersion:
        # Someone saved between this page's version check and the row lock.
        return _conflict_page(request, task, form)
    except RatingNotOffered as refusal:
        # The form offers only what the service accepts; this is a page left open.
        form.details.add_error("rag", str(refusal))
        return _edit_page(request, task, form)
    except DatabaseError:
        # Nothing was written (one transaction); keep the user's input on the page to retry.
        logger.exception("Saving an update of task %s failed", task.pk)
        return _preview_page(request, task, form, save_failed=True)
    messages.success(request, "Your update has been saved. The board will see it in the plan.")
    return redirect(task)


def _open_future_actions(task) -> list[FutureAction]:
    return list(task.future_actions.filter(status=FutureAction.Status.OPEN).order_by("position"))


def _edit_page(request, task, form, status=200):
    return render(
        request,
        "actionplans/task_update.html",
        {"task": task, "plan": task.section.plan, "form": form},
        status=status,
    )


def _preview_page(request, task, form, save_failed=False):
    shown = KeyTask.objects.for_display().get(pk=task.pk)
    preview = preview_update(shown, form.change(), form.open_actions, today=clock.today())
    plan = task.section.plan
    # A lead's "completed" is a proposal a plan manager confirms (services._completion_step).
    proposes = (
        preview.rag == Rag.GREEN
        and task.rag not in COMPLETE  # blue back to green was confirmed on the way up
        and not task.awaiting_confirmation
        and not form.manages
    )
    return render(
        request,
        "actionplans/task_update_preview.html",
        {
            "task": task,
            "plan": plan,
            "form": form,
            "preview": preview,
            "summary": ChangeSummary.from_changes(preview.changes, plan),
            "reason": form.change().reason,
            "save_failed": save_failed,
            "proposes_completion": proposes,
        },
        status=503 if save_failed else 200,
    )


def _conflict_page(request, task, form):
    """409: the user's input beside the task as it is now, and their input again as a
    form over the current version, to merge and save."""
    current = KeyTask.objects.for_display().get(pk=task.pk)
    plan = current.section.plan
    since = current.history.filter(version__gt=form.posted_version or 0).order_by("created_at")
    return render(
        request,
        "actionplans/task_conflict.html",
        {
            "task": current,
            "plan": plan,
            "typed_summary": form.typed_summary(
                {action.pk for action in current.open_future_actions}
            ),
            "others": history_entries(since, plan),
            "form": form.rebased(current, current.open_future_actions),
        },
        status=409,
    )
