"""Exports of a plan: the board-ready written statement of action as a PDF.

The PDF is rendered by a background job (exports/prerender.py), never inside a request:
"Export PDF" serves it from the shared cache when it is ready, and otherwise queues the
job and sends the reader to a page that shows its progress. Without JavaScript that page
is reloaded with its "Check again" link and offers the download once the PDF is ready;
with JavaScript it asks the status address every second and starts the download itself.
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..access import get_plan_for_user
from ..exports import pdf, prerender


def _private(response):
    # Safeguarding data: no shared cache or browser cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _ready_pdf(plan):
    """The PDF if it is ready; else its job is queued (the "immediate" backend of the
    test run renders it there and then and marks it current, so a second look finds it)."""
    data = pdf.current_pdf(plan)
    if data is None:
        prerender.request_render(plan.pk)
        data = pdf.marked_pdf(plan)
    return data


@require_GET
def plan_export_pdf(request, plan_id):
    """Anyone who may read the plan may take it away as a PDF: the same door as the page."""
    plan = get_plan_for_user(request.user, plan_id)
    data = _ready_pdf(plan)
    if data is None:
        return _private(redirect("plan_export_pdf_progress", plan_id=plan.pk))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(plan)}"'
    return _private(response)


@require_GET
def plan_export_pdf_progress(request, plan_id):
    """The page a reader waits on while the PDF is rendered."""
    plan = get_plan_for_user(request.user, plan_id)
    ready = _ready_pdf(plan) is not None
    return _private(
        render(
            request,
            "actionplans/exports/pdf_progress.html",
            {
                "plan": plan,
                "ready": ready,
                "progress": None if ready else prerender.progress(plan.pk),
                "download_url": reverse("plan_export_pdf", args=[plan.pk]),
                "status_url": reverse("plan_export_pdf_status", args=[plan.pk]),
            },
        )
    )


@require_GET
def plan_export_pdf_status(request, plan_id):
    """The progress page's script asks here: {"state": "ready" | "queued" | ...}."""
    plan = get_plan_for_user(request.user, plan_id)
    if _ready_pdf(plan) is not None:
        status = prerender.Progress("ready")
    else:
        status = prerender.progress(plan.pk)
    return _private(JsonResponse(status.as_json()))
