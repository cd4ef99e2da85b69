"""The plan as a document: everything an export shows, loaded once, whatever the format.

It is loaded with the plan page's own querysets (`ActionPlan.sections_for_display`,
`KeyTask.objects.for_display`), so a document shows what the page shows. With `as_at`
it is the plan as it stood at the end of a past day, rebuilt from the append-only
history: the ratings then, the action to date recorded by then, and the future actions
open then, with the wording and target dates they had then.

It is the plan in force: withdrawn key tasks are left out of its tables, its counts and
its annexes (the plan page still shows them, marked withdrawn). As at a past day, a
task withdrawn after that day was still in force then and is shown.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Max, Q

from inspections import clock
from inspections.models import Finding

from ..models import (
    ActionEntry,
    ActionPlan,
    Evidence,
    FutureAction,
    KeyTask,
    Lead,
    PlanSection,
    Rag,
    TaskUpdate,
)
from ..ratings import close_of, plan_rags, rag_at


@dataclass
class RagCount:
    rag: str
    label: str
    count: int


@dataclass
class SectionSummary:
    section: PlanSection | None  # None for the plan's totals
    counts: list[RagCount]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass
class AnnexEntry:
    """A finding of the letter and the key tasks of this plan that answer it."""

    finding: Finding
    tasks: list[KeyTask] = field(default_factory=list)


@dataclass
class PlanDocument:
    plan: ActionPlan
    as_at: date
    historical: bool  # True when rebuilt from history for a past date
    introduction: list
    sections: list[PlanSection]
    summary: list[SectionSummary]
    totals: SectionSummary
    findings: list[AnnexEntry]
    strengths: int
    inspectorates: list
    # (task ref, Evidence) for the evidence annex, in plan order.
    evidence: list = field(default_factory=list)

    @property
    def rag_key(self) -> list[tuple[str, str]]:
        """(rating, the plan's label) in the order of the key and the summary's columns."""
        return [(count.rag, count.label) for count in self.totals.counts]

    @property
    def inspection(self):
        return self.plan.inspection

    @property
    def area(self):
        return self.plan.inspection.area

    @property
    def task_count(self) -> int:
        return self.totals.total


def build_document(plan: ActionPlan, *, as_at: date | None = None) -> PlanDocument:
    """Load the plan for an export, now or as it stood at the end of `as_at`."""
    historical = as_at is not None
    day = as_at or clock.today()
    moment = close_of(day) if historical else None
    tasks = _in_force(KeyTask.objects.for_display(as_at=as_at), moment)
    if historical:
        # Tasks added to the plan later were not in it then.
        tasks = tasks.filter(Q(created_at__isnull=True) | Q(created_at__lt=moment))
        tasks = tasks.annotate(rag_at=rag_at(moment))
    sections = list(plan.sections_for_display(tasks))
    if historical:
        _rewind(plan, sections, moment)
    for number, section in enumerate(sections, start=1):
        section.number = number
        for row, task in enumerate(section.tasks.all(), start=1):
            # Tasks have no number of their own; the annex refers to them by this one.
            task.ref = f"{number}.{row}"
            for action in task.open_future_actions:
                action.overdue = action.is_overdue(day)
    summary, totals = _rag_summary(plan, sections, moment=moment)
    findings, strengths = _annex(plan, sections)
    evidence = _evidence(plan, sections, moment=moment)
    return PlanDocument(
        plan=plan,
        as_at=day,
        historical=historical,
        introduction=list(plan.introduction.all()),
        sections=sections,
        summary=summary,
        totals=totals,
        findings=findings,
        strengths=strengths,
        inspectorates=list(plan.inspection.inspectorates.all()),
        evidence=evidence,
    )


def _in_force(tasks, moment):
    """The tasks in force now, or at `moment`: not withdrawn, or withdrawn after it."""
    if moment is None:
        return tasks.in_force()
    return tasks.filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=moment))


def _rewind(plan, sections, moment):
    """Put back what changed after `moment` that the prefetch filters cannot see.

    Ratings come from `ratings.rag_at`; here: future actions added later are left out, and
    those edited later get the wording and target date they had at `moment` (the "from"
    of their first later edit).
    """
    added_later: set[int] = set()
    wording_then: dict[int, dict] = {}
    later = TaskUpdate.objects.filter(task__section__plan=plan, created_at__gte=moment)
    for changes in later.order_by("created_at", "pk").values_list("changes", flat=True):
        added_later |= {item["id"] for item in changes.get("future_actions_added", [])}
        for edit in changes.get("future_actions_edited", []):
            wording_then.setdefault(edit["id"], edit["from"])
    for section in sections:
        for task in section.tasks.all():
            # Shown as it stood; these in-memory values are never saved.
            task.rag = task.rag_at
            task.open_future_actions = [
                a for a in task.open_future_actions if a.pk not in added_later
            ]
            for action in task.open_future_actions:
                if then := wording_then.get(action.pk):
                    action.text = then["text"]
                    action.target_date = then["target_date"] and date.fromisoformat(
                        then["target_date"]
                    )


def _rag_summary(plan, sections, *, moment):
    """Counts of the tasks in force per section and rating (now, or at `moment`), counted
    by the database. The columns are the plan's key, then not yet rated; blue only for a
    plan that uses the fourth colour, or that had blue tasks at `moment`."""
    tasks = _in_force(KeyTask.objects.filter(section__plan=plan), moment)
    tasks = tasks.annotate(rag_then=rag_at(moment) if moment else F("rag"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in tasks.order_by().values("section_id", "rag_then").annotate(n=Count("pk")):
        if row["rag_then"] is not None:  # None: added to the plan after `as_at`
            counts[row["section_id"]][row["rag_then"]] = row["n"]
    totals: dict[str, int] = defaultdict(int)
    for by_rag in counts.values():
        for rag, n in by_rag.items():
            totals[rag] += n
    order = [rag for _, rag in plan_rags(plan, {"blue": totals.get(Rag.BLUE, 0)})]

    def line(section, by_rag):
        return SectionSummary(
            section,
            [RagCount(rag, plan.rag_label(rag), by_rag.get(rag, 0)) for rag in order],
        )

    summary = [line(section, counts[section.pk]) for section in sections]
    return summary, line(None, totals)


def _annex(plan, sections):
    """The letter's findings that need action, each with this plan's tasks answering it.

    Built from the tasks already loaded (each row prefetches its findings), so the
    annex costs one query for the findings themselves.
    """
    answering: dict[int, list[KeyTask]] = defaultdict(list)
    for section in sections:
        for task in section.tasks.all():
            for finding in task.findings.all():
                answering[finding.pk].append(task)
    findings = list(plan.inspection.findings.all())
    need_action = sorted(
        (f for f in findings if f.needs_action),
        # Areas for priority action come first, as the letter puts them.
        key=lambda f: (f.kind != Finding.Kind.PRIORITY, f.position),
    )
    entries = [AnnexEntry(f, answering.get(f.pk, [])) for f in need_action]
    return entries, len(findings) - len(need_action)


def _evidence(plan, sections, *, moment):
    """The evidence behind the plan's tasks (added by `moment`, if given), each with the
    task's number in the tables: one query."""
    tasks = {task.pk: task for section in sections for task in section.tasks.all()}
    refs = {pk: task.ref for pk, task in tasks.items()}
    items = Evidence.objects.filter(task__section__plan=plan)
    if moment is not None:
        items = items.filter(added_at__lt=moment)
    items = [item for item in items.order_by("added_at", "pk") if item.task_id in refs]
    for item in items:
        item.task = tasks[item.task_id]  # already loaded: no query per item

    def ref_order(item):
        return tuple(int(part) for part in refs[item.task_id].split("."))

    return [(refs[item.task_id], item) for item in sorted(items, key=ref_order)]


def content_version(plan: ActionPlan, *, as_at: date | None = None) -> str:
    """A digest of every row `build_document` reads: equal digests, equal documents.

    It reads the raw values of those rows (every column, no model instances, no
    template), so a repeat export costs a few small queries. Any change to any of them,
    through the app, the admin or a script, gives a new digest; so does a new day, as
    "as at" dates and overdue targets move with it. Keep it in step with build_document.
    """
    inspection = plan.inspection
    tasks = KeyTask.objects.filter(section__plan=plan)
    parts = [
        (as_at or clock.today()).isoformat(),
        as_at is not None,
        _values(plan),
        _values(inspection),
        _values(inspection.area),
        list(inspection.inspectorates.values_list("code", "name")),
        _rows(plan.introduction.all()),
        _rows(plan.sections.all()),
        _rows(PlanSection.agencies.through.objects.filter(plansection__plan=plan)),
        _rows(tasks),
        _rows(KeyTask.findings.through.objects.filter(keytask__section__plan=plan)),
        _rows(Lead.objects.filter(task__section__plan=plan)),
        _rows(ActionEntry.objects.filter(task__section__plan=plan)),
        _rows(FutureAction.objects.filter(task__section__plan=plan)),
        _rows(inspection.findings.all()),
        _rows(Evidence.objects.filter(task__section__plan=plan)),
    ]
    if as_at is not None:
        # History is append-only: its size and newest row say all that can change.
        parts.append(
            TaskUpdate.objects.filter(task__section__plan=plan).aggregate(
                n=Count("pk"), last=Max("pk")
            )
        )
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()


def _values(obj) -> tuple:
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


def _rows(queryset) -> list:
    columns = [f.attname for f in queryset.model._meta.concrete_fields]
    return list(queryset.order_by("pk").values_list(*columns))
