"""Exports of a plan: the board-ready written statement of action as a PDF."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..access import get_plan_for_user
from ..exports import pdf


@require_GET
def plan_export_pdf(request, plan_id):
    """Anyone who may read the plan may take it away as a PDF: the same door as the page."""
    plan = get_plan_for_user(request.user, plan_id)
    response = HttpResponse(pdf.plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(plan)}"'
    # Safeguarding data: no shared cache or browser cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
