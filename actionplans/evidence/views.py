"""Attaching evidence to a key task, and downloading it: both through the one door."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..access import get_evidence_file_for_user, get_task_for_user
from .forms import EvidenceForm
from .services import add_evidence


def evidence_add(request, task_id):
    """The task's leads and the area's plan managers attach; everyone else who can see
    the task gets 403 (board members read evidence, they do not add it)."""
    task = get_task_for_user(request.user, task_id, edit=True)
    form = EvidenceForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        add_evidence(
            task=task,
            user=request.user,
            note=form.cleaned_data["note"],
            upload=upload or None,
            checked=getattr(form, "checked", None),
            url=form.cleaned_data["url"],
        )
        messages.success(request, "Your evidence has been added to the key task.")
        return redirect(f"{task.get_absolute_url()}#evidence")
    return render(
        request,
        "actionplans/evidence_add.html",
        {"task": task, "plan": task.section.plan, "form": form},
    )


@require_GET
def evidence_download(request, evidence_id):
    evidence = get_evidence_file_for_user(request.user, evidence_id)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,  # never shown inline: a file is not a page of this site
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    # Safeguarding data: no shared cache or browser cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
