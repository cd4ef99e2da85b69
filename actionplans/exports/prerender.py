"""The plan's PDF rendered in the background, so that "Export PDF" finds it ready.

A plan's PDF takes seconds to lay out (tens of seconds for a large plan): no request
waits for that. Instead:

- when anything the document shows is saved, `plans_changed` (at commit) unmarks the
  plan's PDF as current (current.py), notes the moment in the shared cache and queues
  `jobs.render_plan_pdf_when_quiet` to run EXPORT_QUIET_SECONDS later (one such job
  waits per plan); a job that finds a later change waits again for the rest of the
  quiet period, so a lead saving ten tasks in a row costs one render;
- "Export PDF" serves the PDF from the shared cache (pdf.current_pdf) when it is
  there; when it is not, `request_render` queues the job at once (once, however many
  people click) and the reader gets a page that shows its progress and starts the
  download when it is ready (views/exports.py).

The PDF, its current mark, the moment of the last change and the job's progress live in
the "shared" cache, which every app server and the worker see (Redis when several
servers run). With the "immediate" jobs backend (the test run) a queued job runs at
once, so the export is served in the same request; that backend cannot wait for a quiet
plan, so saves queue nothing there (they still unmark the PDF).
"""

import time
import weakref
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django_tasks import default_task_backend

from . import current

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


def plans_changed(plan_ids) -> None:
    """Something these plans' PDFs show was saved and committed: their PDFs are no
    longer current (whatever the jobs backend), and each renders once the plan is quiet.
    (`_ChangedRows` calls this when the transaction commits.)"""
    current.changed(plan_ids)
    if not default_task_backend.supports_defer:
        return  # "immediate": nothing can wait; the export renders when asked
    quiet = settings.EXPORT_QUIET_SECONDS
    for plan_id in plan_ids:
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
# them must refresh the PDF. The receivers only note the row; when the transaction
# commits, its rows' plans are found and noted once each. Writes that send no signals
# (bulk_create, QuerySet.update) call `note_plan_changed` themselves, or, in the lower
# layer, send `inspections.signals.findings_added`.


def _changed_row(instance) -> tuple[str, int] | None:
    """What a saved row belongs to, as (kind, id), read from the row's own foreign keys:
    no query. A key task answers with its section, so that the plan is still found after
    the task is deleted. The kinds are "plan", "section", "task", "inspection" (its
    plans), "area" (its inspections' plans) and "inspectorate" (its inspections' plans).
    """
    from inspections.models import Area, Finding, Inspection, Inspectorate

    from ..models import ActionPlan, IntroParagraph, KeyTask, PlanSection

    if isinstance(instance, ActionPlan):
        return ("plan", instance.pk)
    if isinstance(instance, IntroParagraph | PlanSection):
        return ("plan", instance.plan_id)
    if isinstance(instance, KeyTask):
        return ("section", instance.section_id)
    if isinstance(instance, Inspection):
        return ("inspection", instance.pk)
    if isinstance(instance, Finding):
        return ("inspection", instance.inspection_id)
    if isinstance(instance, Area):
        return ("area", instance.pk)
    if isinstance(instance, Inspectorate):
        return ("inspectorate", instance.pk)
    task_id = getattr(instance, "task_id", None)  # a lead, an entry, an action, evidence
    return None if task_id is None else ("task", task_id)


class _ChangedRows:
    """The rows one transaction saved, noted by plan when it commits: an on_commit
    callback that gathers every row of its transaction.

    So a transaction that saves a thousand rows (a Word import) costs one query per kind
    at commit and one note per plan, not a query and a cache write per row. The
    connection (one per thread) holds it by a weak reference only: when the transaction,
    or the savepoint it was made in, rolls back, Django drops the callback and with it
    the rows, and the next save starts a new one.
    """

    def __init__(self, row):
        self.rows = {row}
        self.done = False

    def __call__(self):
        self.done = True
        _note_changed_plans(self.rows)


def _note_row(row: tuple[str, int]) -> None:
    connection = transaction.get_connection()
    held = getattr(connection, "jtai_pdf_changed_rows", None)
    pending = held() if held is not None else None
    if pending is not None and not pending.done:
        pending.rows.add(row)
        return
    pending = _ChangedRows(row)
    connection.jtai_pdf_changed_rows = weakref.ref(pending)
    transaction.on_commit(pending)  # outside a transaction: runs now


def note_plan_changed(plan_id: int) -> None:
    """For writers that send no signals (bulk_create, QuerySet.update): the plan's PDF
    changes with this transaction, noted when it commits."""
    _note_row(("plan", plan_id))


def _note_changed_plans(rows) -> None:
    """Find the plans of the rows saved, with one query per kind, and note each plan."""
    from ..models import ActionPlan, KeyTask, PlanSection

    ids = defaultdict(set)
    for kind, pk in rows:
        ids[kind].add(pk)
    plan_ids = set(ids["plan"])
    plans_of = {
        "section": (PlanSection.objects, "pk__in", "plan_id"),
        "task": (KeyTask.objects, "pk__in", "section__plan_id"),
        "inspection": (ActionPlan.objects, "inspection_id__in", "pk"),
        "area": (ActionPlan.objects, "inspection__area_id__in", "pk"),
        "inspectorate": (ActionPlan.objects, "inspection__inspectorates__in", "pk"),
    }
    for kind, (objects, lookup, plan) in plans_of.items():
        if ids[kind]:
            found = objects.filter(**{lookup: ids[kind]}).order_by().values_list(plan, flat=True)
            plan_ids.update(found)
    plans_changed(sorted(plan_ids))


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: see current.py on changes the app does not see
        return
    if (row := _changed_row(instance)) is not None:
        _note_row(row)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A many-to-many link the PDF shows changed: a task's findings (the annex), a
    section's agencies, an inspection's inspectorates.

    From the other side (a finding's tasks, an agency's sections, an inspectorate's
    inspections), the rows on this side are the ones changed: `pk_set`, or, for a clear,
    the ones linked just before it.
    """
    if not reverse:
        if action.startswith("post_"):
            _saved(sender, instance)
        return
    from inspections.models import Inspection

    from ..models import KeyTask, PlanSection

    kind = {KeyTask: "task", PlanSection: "section", Inspection: "inspection"}[model]
    if action in ("post_add", "post_remove"):
        pks = pk_set
    elif action == "pre_clear":
        field = next(f for f in model._meta.many_to_many if f.remote_field.through is sender)
        pks = sender.objects.filter(
            **{f"{field.m2m_reverse_field_name()}_id": instance.pk}
        ).values_list(f"{field.m2m_field_name()}_id", flat=True)
    else:
        return
    for pk in pks:
        _note_row((kind, pk))


def connect_signals() -> None:
    from inspections import models as found
    from inspections.signals import findings_added

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
        # The letter's side: the inspection, its area, inspectorates and findings.
        found.Inspection,
        found.Area,
        found.Inspectorate,
        found.Finding,
    ]
    for model in shown:
        post_save.connect(_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}-saved")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"pdf-{model.__name__}-deleted")
    links = [
        models.KeyTask.findings.through,
        models.PlanSection.agencies.through,
        found.Inspection.inspectorates.through,
    ]
    for through in links:
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"pdf-{through.__name__}")
    findings_added.connect(_findings_added, dispatch_uid="pdf-findings-added")


def _findings_added(sender, inspection, **kwargs):
    _note_row(("inspection", inspection.pk))
