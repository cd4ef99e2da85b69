"""The plan's PDF rendered in the background, so that "Export PDF" finds it ready.

A plan's PDF takes seconds to lay out (tens of seconds for a large plan): no request
waits for that. Instead:

- when anything the document shows is saved, `plan_changed` notes the moment in the
  shared cache and queues `jobs.render_plan_pdf_when_quiet` to run EXPORT_QUIET_SECONDS
  later (one such job waits per plan); a job that finds a later change waits again for
  the rest of the quiet period, so a lead saving ten tasks in a row costs one render;
- "Export PDF" serves the PDF from the shared cache (pdf.cached_plan_pdf) when it is
  there; when it is not, `request_render` queues the job at once (once, however many
  people click) and the reader gets a page that shows its progress and starts the
  download when it is ready (views/exports.py).

The PDF, the moment of the last change and the job's progress live in the "shared"
cache, which every app server and the worker see (Redis when several servers run).
With the "immediate" jobs backend (the test run) a queued job runs at once, so the
export is served in the same request; that backend cannot wait for a quiet plan, so
saves queue nothing there.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django_tasks import default_task_backend

# How long a job may say "queued" or "rendering" before another request may queue it
# again (a worker that died mid-render must not leave the PDF missing for ever).
STATUS_SECONDS = 15 * 60
# A failed render is shown as such for this long; then a click tries again.
FAILED_SECONDS = 60


def cache():
    return caches["shared"]


def _changed_key(plan_id: int) -> str:
    return f"plan-pdf-changed:{plan_id}"


def _pending_key(plan_id: int) -> str:
    return f"plan-pdf-pending:{plan_id}"


def _status_key(plan_id: int) -> str:
    return f"plan-pdf-status:{plan_id}"


@dataclass
class Progress:
    """Where the PDF of a plan stands, for the progress page and its polling script."""

    state: str  # "ready", "queued", "rendering", "failed" or "idle" (nothing queued)
    since: float | None = None  # when the job was queued or started (epoch seconds)
    tasks: int | None = None  # key tasks being laid out, when rendering

    @property
    def seconds(self) -> int | None:
        return None if self.since is None else max(0, round(time.time() - self.since))

    def as_json(self) -> dict:
        return {"state": self.state, "seconds": self.seconds, "tasks": self.tasks}


def progress(plan_id: int) -> Progress:
    """The job's progress; the caller has already found the PDF missing from the cache."""
    status = cache().get(_status_key(plan_id))
    if not status:
        return Progress("idle")
    return Progress(status["state"], status.get("since"), status.get("tasks"))


def set_progress(plan_id: int, state: str, *, tasks: int | None = None) -> None:
    timeout = FAILED_SECONDS if state == "failed" else STATUS_SECONDS
    status = {"state": state, "since": time.time(), "tasks": tasks}
    cache().set(_status_key(plan_id), status, timeout)


def clear_progress(plan_id: int) -> None:
    cache().delete(_status_key(plan_id))


def request_render(plan_id: int) -> None:
    """Queue the render now, unless a job for this plan is already queued or running.

    The cache's atomic add decides, so ten readers clicking at once queue one job.
    """
    from .jobs import render_plan_pdf

    status = {"state": "queued", "since": time.time(), "tasks": None}
    if cache().add(_status_key(plan_id), status, STATUS_SECONDS):
        render_plan_pdf.enqueue(plan_id)


def plan_changed(plan_id: int) -> None:
    """Something the plan's PDF shows was saved and committed: render it once the plan
    is quiet. (The signal receivers below call this when the transaction commits.)"""
    if not default_task_backend.supports_defer:
        return  # "immediate": nothing can wait; the export renders when asked
    quiet = settings.EXPORT_QUIET_SECONDS
    cache().set(_changed_key(plan_id), time.time(), STATUS_SECONDS + quiet)
    schedule_when_quiet(plan_id, quiet)


def schedule_when_quiet(plan_id: int, delay: float) -> None:
    """Queue the quiet-plan job to run in `delay` seconds, unless one is already queued.

    One job waits per plan, however many saves a lead makes: the job, when it finds a
    later change, queues itself again for the rest of the quiet period.
    """
    from .jobs import render_plan_pdf_when_quiet

    if cache().add(_pending_key(plan_id), 1, STATUS_SECONDS + delay):
        run_after = timezone.now() + timedelta(seconds=delay)
        render_plan_pdf_when_quiet.using(run_after=run_after).enqueue(plan_id)


def take_pending(plan_id: int) -> None:
    """The queued quiet-plan job has started: a later save may queue another."""
    cache().delete(_pending_key(plan_id))


def quiet_for(plan_id: int) -> float:
    """Seconds since the plan last changed (infinite when the cache has no record)."""
    changed = cache().get(_changed_key(plan_id))
    return float("inf") if changed is None else time.time() - changed


# --- Which saves change a plan's PDF ---------------------------------------------------
#
# Signals rather than calls in each writer: tasks change through services.py, plans
# through the import, the admin and the editors other features add, and every one of
# them must refresh the PDF. The receivers only note the change and queue a job.


def _changed_row(instance) -> tuple[str, int] | None:
    """What a saved row belongs to, as ("plan" | "section" | "task", id), read from the
    row's own foreign keys: no query. A key task answers with its section, so that the
    plan is still found after the task is deleted."""
    from ..models import ActionPlan, IntroParagraph, KeyTask, PlanSection

    if isinstance(instance, ActionPlan):
        return ("plan", instance.pk)
    if isinstance(instance, IntroParagraph | PlanSection):
        return ("plan", instance.plan_id)
    if isinstance(instance, KeyTask):
        return ("section", instance.section_id)
    task_id = getattr(instance, "task_id", None)  # a lead, an entry, an action, evidence
    return None if task_id is None else ("task", task_id)


def _changed_rows() -> set:
    """The rows saved in this thread's transaction whose plans are not noted yet.

    Kept on the database connection (one per thread), so a transaction that saves a
    thousand rows (a Word import) costs one lookup per kind and one note per plan at
    commit, not a query and a cache write per row. A rolled-back transaction leaves its
    rows here for the next commit to note: a spare render check, never a missed one.
    """
    connection = transaction.get_connection()
    if not hasattr(connection, "jtai_pdf_changed_rows"):
        connection.jtai_pdf_changed_rows = set()
    return connection.jtai_pdf_changed_rows


def _note_changed_plans() -> None:
    """On commit: find the plans of the rows saved, and note each plan once."""
    from ..models import KeyTask, PlanSection

    rows = _changed_rows()
    if not rows:
        return  # an earlier callback of the same commit noted them all
    taken = set(rows)
    rows.clear()
    ids = {kind: {pk for k, pk in taken if k == kind} for kind in ("plan", "section", "task")}
    plan_ids = set(ids["plan"])
    if ids["section"]:
        plan_ids.update(
            PlanSection.objects.filter(pk__in=ids["section"])
            .order_by()
            .values_list("plan_id", flat=True)
        )
    if ids["task"]:
        plan_ids.update(
            KeyTask.objects.filter(pk__in=ids["task"])
            .order_by()
            .values_list("section__plan_id", flat=True)
        )
    for plan_id in sorted(plan_ids):
        plan_changed(plan_id)


def _saved(sender, instance, raw=False, **kwargs):
    if raw or not default_task_backend.supports_defer:  # loaddata; or nothing can wait
        return
    if (row := _changed_row(instance)) is not None:
        _changed_rows().add(row)
        transaction.on_commit(_note_changed_plans)


def _findings_changed(sender, instance, action, reverse, **kwargs):
    """A task's findings (the annex) changed; from the finding's side, every plan answering
    it may have, which is rare (the admin): those render when next asked for."""
    if action.startswith("post_") and not reverse:
        _saved(sender, instance)


def connect_signals() -> None:
    from .. import models

    shown = [
        models.ActionPlan,
        models.IntroParagraph,
        models.PlanSection,
        models.KeyTask,
        models.Lead,
        models.ActionEntry,
        models.FutureAction,
        models.Evidence,  # named in the PDF's evidence annex
    ]
    for model in shown:
        post_save.connect(_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}-saved")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}-deleted")
    m2m_changed.connect(
        _findings_changed, sender=models.KeyTask.findings.through, dispatch_uid="pdf-findings"
    )
