"""Making a board pack: the dashboard's summary laid out as PDF pages, then the plan.

The plan's pages come from `exports.pdf.plan_pdf` (its cache and layout are that
module's business); the summary is rendered here from the dashboard's own data
(`dashboard.Dashboard`), so the pack says what the page says.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.text import slugify
from pypdf import PdfWriter

from inspections import clock

from ..dashboard import Dashboard
from ..exports import pdf
from ..models import KeyTask, TaskUpdate
from .models import BoardPack

logger = logging.getLogger(__name__)


def _step(pack, words, status=BoardPack.Status.RUNNING):
    """Record how far the pack has got, at once (outside any transaction), for its page."""
    pack.status, pack.progress = status, words
    pack.save(update_fields=["status", "progress"])


def summary_context(pack, today):
    """What the summary pages show: the dashboard as at `today`, compared with the
    area's last meeting before the pack's meeting."""
    plan = pack.plan
    board = Dashboard(plan, today=today)
    comparison = board.comparison
    since = comparison.moment if comparison else None
    confirmed = TaskUpdate.objects.filter(
        task__section__plan=plan, changes__completion="confirmed"
    ).select_related("task__section")
    if since is not None:
        confirmed = confirmed.filter(created_at__gte=since)
    awaiting = (
        KeyTask.objects.in_force()
        .filter(section__plan=plan)
        .awaiting_confirmation()
        .select_related("section", "completion_proposed_by")
        .order_by("section__position", "position")
    )
    evidence = plan_evidence_counts(plan)
    return {
        "pack": pack,
        "plan": plan,
        "area": plan.inspection.area,
        "board": board,
        "summary": board.summary,
        "comparison": comparison,
        "confirmed": list(confirmed.order_by("created_at", "pk")),
        "awaiting": list(awaiting),
        "evidence": evidence,
        "today": today,
    }


def plan_evidence_counts(plan) -> dict:
    """How many items of evidence the plan's tasks in force hold, and on how many tasks
    (as the dashboard counts them)."""
    from django.db.models import Count

    from ..models import Evidence

    items = Evidence.objects.filter(task__section__plan=plan, task__withdrawn_at__isnull=True)
    return items.aggregate(items=Count("pk"), tasks=Count("task", distinct=True))


def build_pack(pack_id: int) -> BoardPack:
    """Make the pack's PDF, store it and email the board; on failure, say so on the pack."""
    pack = BoardPack.objects.select_related("plan__inspection__area", "meeting").get(pk=pack_id)
    try:
        today = min(clock.today(), pack.meeting.date)
        _step(pack, "Summarising the dashboard")
        summary_html = render_to_string(
            "actionplans/exports/board_pack_summary.html", summary_context(pack, today)
        )
        summary = pdf.html_to_pdf(summary_html)
        _step(pack, "Laying out the plan")
        as_at = pack.meeting.date if pack.meeting.date < clock.today() else None
        plan_pages = pdf.plan_pdf(pack.plan, as_at=as_at)
        _step(pack, "Putting the pack together")
        writer = PdfWriter()
        for part in (summary, plan_pages):
            writer.append(io.BytesIO(part))
        writer.add_metadata({"/Title": f"Board pack: {pack}"})
        out = io.BytesIO()
        writer.write(out)
        pack.file.save(filename(pack), ContentFile(out.getvalue()), save=False)
        pack.finished_at = clock.now()
        pack.status, pack.progress = BoardPack.Status.READY, "Ready"
        pack.save(update_fields=["file", "finished_at", "status", "progress"])
    except Exception:
        logger.exception("Board pack %s failed", pack.pk)
        pack.finished_at = clock.now()
        _step(pack, "Something went wrong while making the pack", BoardPack.Status.FAILED)
        pack.save(update_fields=["finished_at"])
        raise
    from ..reminders.sending import notify_board_pack_ready

    notify_board_pack_ready(pack)
    return pack


def filename(pack) -> str:
    return f"{slugify(pack.plan.short_name)}-board-pack-{pack.meeting.date:%Y-%m-%d}.pdf"
