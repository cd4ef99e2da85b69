"""Background jobs of the exports: the plan's PDF, rendered before anyone asks for it.

See prerender.py for when they are queued. Both end in `pdf.store_plan_pdf`, the same
call the export command and the other exports make.
"""

from django.conf import settings
from django_tasks import task

from ..models import ActionPlan, KeyTask
from . import current, pdf, prerender


@task()
def render_plan_pdf(plan_id: int) -> None:
    """Render the plan's PDF into the shared cache, unless it is there already, and mark
    it current for "Export PDF" (current.py)."""
    plan = ActionPlan.objects.select_related("inspection__area").filter(pk=plan_id).first()
    if plan is None:  # deleted meanwhile
        prerender.clear_progress(plan_id)
        return
    # Worked out afresh (the plan may have changed since the job was queued), after the
    # plan's change stamp was read: a change committed while this renders unmarks it.
    version = pdf.current_version(plan)
    if pdf.cached_plan_pdf(plan, key=version.key) is None:
        prerender.set_progress(
            plan_id,
            "rendering",
            tasks=KeyTask.objects.in_force().filter(section__plan=plan).count(),
        )
        try:
            pdf.store_plan_pdf(plan, key=version.key)
        except Exception:
            prerender.set_progress(plan_id, "failed")
            raise
    current.mark(version)
    prerender.clear_progress(plan_id)


@task()
def render_plan_pdf_when_quiet(plan_id: int) -> None:
    """Queued by a change: render once nobody has changed the plan for a while.

    When a later change came in meanwhile, wait again for the rest of the quiet period.
    """
    prerender.take_pending(plan_id)
    quiet = settings.EXPORT_QUIET_SECONDS
    waited = prerender.quiet_for(plan_id)
    if waited < quiet:
        prerender.schedule_when_quiet(plan_id, quiet - waited)
        return
    render_plan_pdf.call(plan_id)
