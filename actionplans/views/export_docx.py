"""Export a plan as an editable Word document (actionplans.exports.docx)."""

import io

from django.http import FileResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from ..access import get_plan_for_user
from ..exports.docx import CONTENT_TYPE, render_plan_docx


@require_safe
def plan_export_docx(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id, manage=True)
    filename = f"{slugify(plan.inspection.area.name)}-{slugify(plan.title)[:60]}.docx"
    return FileResponse(
        io.BytesIO(render_plan_docx(plan)),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPE,
    )
