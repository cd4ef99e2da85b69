"""The board's dashboard: the RAG picture now and at past board meetings, what changed
since a meeting, what is late or stale, and which findings no task answers.

Everything is counted in the database (ratings at past moments come from
actionplans.ratings), in a fixed number of queries whatever the number of tasks,
updates and meetings.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from inspections import clock
from inspections.models import Agency, Finding

from .charts import trend_chart
from .models import (
    COMPLETE,
    ActionEntry,
    ActionPlan,
    Evidence,
    FutureAction,
    KeyTask,
    Lead,
    TaskUpdate,
    overdue_condition,
    stale_condition,
)
from .ratings import (
    RAG_PARAM,
    RAGS,
    Meetings,
    Travel,
    close_of,
    plan_rags,
    rag_rank,
    transitions,
    with_comparison,
)

# The trend chart shows this many of the latest past meetings, and now.
TREND_MEETINGS = 8
# How long a rendered dashboard body is reused at most (see Dashboard.cache_key).
BODY_CACHE_SECONDS = 60


def overdue_count(today):
    """Expression: how many of a task's open future actions are past their target date.

    Raw SQL, as `ratings.rag_at`: the task list builds it on every request, and the
    ORM's subquery took longer to build than the database takes to run it. Table names
    come from the models; the status and the day are parameters."""
    task, action = KeyTask._meta.db_table, FutureAction._meta.db_table
    sql = (
        f"(SELECT COUNT(*) FROM {action} f WHERE f.task_id = {task}.id"  # noqa: S608
        " AND f.status = %s AND f.target_date < %s)"
    )
    params = (str(FutureAction.Status.OPEN), connection.ops.adapt_datefield_value(today))
    return RawSQL(sql, params, output_field=IntegerField())  # noqa: S611


def evidence_count():
    """Expression: how many items of evidence a task has."""
    items = Evidence.objects.filter(task=OuterRef("pk"))
    return Coalesce(
        Subquery(
            items.order_by().values("task").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


@dataclass
class RagCounts:
    """Numbers of tasks per rating, in the board's order, with the plan's own labels."""

    plan: ActionPlan
    counts: dict  # param ("red", ..., "unrated") -> int
    # The (param, rag) columns to show; the plan's own (`ratings.plan_rags`) if None.
    # Every count of one page shares them, so that its tables line up.
    rags: list | None = None

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def cells(self):
        """(param, rag, label, count) in the order red, amber, green, (blue,) not yet rated."""
        rags = self.rags if self.rags is not None else plan_rags(self.plan)
        return [
            (param, rag, self.plan.rag_label(rag), self.counts.get(param, 0)) for param, rag in rags
        ]


@dataclass
class TrendPoint:
    label: str
    day: date | None
    counts: RagCounts


@dataclass
class Summary:
    """The whole plan: counts now, at each meeting of the trend and at the comparison,
    how many tasks moved which way since, and how many are late or stale."""

    now: RagCounts
    trend: list
    then: RagCounts | None
    travel: dict = field(default_factory=dict)
    # Tasks rated complete (green or blue) now that were not complete then.
    completed: int = 0
    overdue: int = 0
    stale: int = 0
    # The (param, rag) columns every count of the page shows (RagCounts.rags).
    rags: list = field(default_factory=list)

    @classmethod
    def build(cls, plan, tasks, *, trend_meetings, comparison, today):
        moments = [close_of(m.date) for m in trend_meetings] + [None]
        if comparison:
            moments.append(comparison.moment)
        matrices = transitions(tasks, moments)

        def counts(matrix, side):
            totals = dict.fromkeys(RAG_PARAM.values(), 0)
            for pair, n in matrix.items():
                if pair[side] is not None:  # None: not in the plan at that moment
                    totals[RAG_PARAM[pair[side]]] += n
            return RagCounts(plan, totals)

        now = counts(matrices[len(trend_meetings)], 1)
        trend = [
            TrendPoint(f"{m.date:%-d %b %Y}", m.date, counts(matrix, 0))
            for m, matrix in zip(trend_meetings, matrices, strict=False)
        ] + [TrendPoint("Now", None, now)]
        since = comparison.moment if comparison else None
        late = tasks.aggregate(
            overdue=Count("pk", filter=overdue_condition(today)),
            stale=Count("pk", filter=stale_condition(since)),
        )
        summary = cls(now=now, trend=trend, then=None, **late)
        if comparison:
            matrix = matrices[-1]
            summary.then = counts(matrix, 0)
            summary.travel = dict.fromkeys(Travel.values, 0)
            for (then, rag), n in matrix.items():
                summary.travel[Travel.between(then, rag)] += n
                if rag in COMPLETE and then is not None and then not in COMPLETE:
                    summary.completed += n
        # One set of columns for every count of the page: blue when the plan uses it or
        # a task was blue at one of the moments shown.
        shown = [point.counts for point in trend] + ([summary.then] if summary.then else [])
        blue = sum(c.counts.get("blue", 0) for c in shown)
        summary.rags = plan_rags(plan, {"blue": blue})
        for rag_counts in shown:
            rag_counts.rags = summary.rags
        return summary


def section_counts(plan, rags=None):
    """The plan's sections, each with `rag_counts` of its tasks in force (one grouped
    query). `rags`: the columns to show (RagCounts.rags)."""
    sections = plan.sections.annotate(
        **{
            f"n_{param}": Count(
                "tasks", filter=Q(tasks__rag=rag, tasks__withdrawn_at=None), distinct=True
            )
            for param, rag in RAGS
        }
    ).order_by("position")
    for section in sections:
        section.row_label = section.title
        section.query = f"section={section.pk}&"  # the task list's filter for this row
        section.rag_counts = RagCounts(
            plan, {param: getattr(section, f"n_{param}") for param, _ in RAGS}, rags
        )
    return sections


def agency_counts(plan, rags=None):
    """The area's partner agencies that lead at least one task, each with `rag_counts`.

    A task counts for every agency that leads it, and a task led by "All agencies" for
    every partner, so these add up to more than the plan's total. One grouped query:
    tasks by named lead agency and rating (tasks for all partners left out), plus tasks
    for all partners by rating (agency NULL).
    """
    tasks = KeyTask.objects.in_force().filter(section__plan=plan)
    for_all_partners = Exists(Lead.objects.filter(task=OuterRef("pk"), all_partners=True))
    named = (
        tasks.exclude(for_all_partners)
        .filter(leads__agencies__isnull=False)
        .annotate(agency=F("leads__agencies"), rating=F("rag"))
        .values("agency", "rating")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    everyone = (
        tasks.filter(for_all_partners)
        .annotate(agency=Value(None, output_field=IntegerField()), rating=F("rag"))
        .values("agency", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}  # agency id or None (all partners) -> {param: n}
    for row in named.union(everyone, all=True):
        by_rating = counts.setdefault(row["agency"], dict.fromkeys(RAG_PARAM.values(), 0))
        by_rating[RAG_PARAM[row["rating"]]] += row["n"]
    shared = counts.get(None, {})
    agencies = []
    for agency in Agency.objects.filter(areas=plan.inspection.area_id).order_by("name"):
        own = counts.get(agency.pk, {})
        agency.rag_counts = RagCounts(
            plan, {param: own.get(param, 0) + shared.get(param, 0) for param, _ in RAGS}, rags
        )
        if agency.rag_counts.total:
            agency.row_label = agency.name
            agency.query = f"agency={agency.pk}&"  # the task list's filter for this row
            agencies.append(agency)
    return agencies


def tasks_for_lists(tasks):
    """What a row of a task list shows about leads: names and the agencies to chase
    (three queries: tasks with their sections, leads, lead agencies)."""
    return tasks.select_related("section", "updated_by").prefetch_related(
        Prefetch("leads", queryset=Lead.objects.prefetch_related("agencies").order_by("position"))
    )


def board_tasks(plan, *, comparison, today):
    """Every task of the plan with what the board looks at: `rag_then` and `travel` since
    the comparison, `is_overdue` (and its `overdue_actions`), `is_stale`, and the
    `rag_changes` since the comparison with their reasons. Five queries in all."""
    since = comparison.moment if comparison else None
    tasks = with_comparison(
        KeyTask.objects.in_force().filter(section__plan=plan), comparison
    ).annotate(
        evidence_count=evidence_count(),
        is_overdue=overdue_condition(today),
        is_stale=Case(When(stale_condition(since), then=Value(True)), default=Value(False)),
    )
    rag_changes = TaskUpdate.objects.exclude(rag_from=F("rag_to")).order_by("created_at", "pk")
    if since is not None:
        rag_changes = rag_changes.filter(created_at__gte=since)
    tasks = tasks_for_lists(tasks).prefetch_related(
        Prefetch(
            "future_actions",
            queryset=FutureAction.objects.filter(
                status=FutureAction.Status.OPEN, target_date__lt=today
            ).order_by("target_date", "position"),
            to_attr="overdue_actions",
        ),
        Prefetch("history", queryset=rag_changes, to_attr="rag_changes"),
    )
    tasks = list(tasks.order_by("section__position", "position"))
    for task in tasks:
        task.travel = Travel.between(task.rag_then, task.rag)
    return tasks


def task_rows(plan, *, comparison, today):
    """The task list's rows: every task of the plan with its section, `rag_then` at the
    comparison, `rag_rank` and `overdue_count` to sort by, in plan order. Withdrawn
    tasks are among them: the list's filter leaves them out unless asked
    (`filters.TaskFilter.with_withdrawn`). The page asks for the leads of its own rows
    only (`tables.lead_labels`); the exports prefetch them (`export_rows`)."""
    tasks = with_comparison(KeyTask.objects.filter(section__plan=plan), comparison)
    tasks = tasks.annotate(rag_rank=rag_rank(), overdue_count=overdue_count(today))
    return tasks.select_related("section").order_by("section__position", "position")


def export_rows(tasks):
    """What the CSV and Excel exports add to the task list's rows: the leads and their
    agencies, every column of the plan (action to date, open future actions), the last
    change with its reason and author, and the evidence count. Four more queries,
    whatever the number of rows."""
    last = TaskUpdate.objects.filter(task=OuterRef("pk")).order_by("-created_at", "-pk")
    return tasks.annotate(
        last_change_at=Subquery(last.values("created_at")[:1]),
        last_change_by=Subquery(last.values("user_name")[:1]),
        last_change_reason=Subquery(last.values("reason")[:1]),
        evidence_count=evidence_count(),
    ).prefetch_related(
        Prefetch("leads", queryset=Lead.objects.prefetch_related("agencies").order_by("position")),
        Prefetch("action_to_date", queryset=ActionEntry.objects.order_by("position")),
        Prefetch(
            "future_actions",
            queryset=FutureAction.objects.filter(status=FutureAction.Status.OPEN).order_by(
                "position"
            ),
            to_attr="open_future_actions",
        ),
    )


def findings_coverage(plan):
    """The inspection's areas for improvement and priority actions, each with the tasks
    of this plan that answer it (`plan_tasks`; empty: no task answers it)."""
    tasks = (
        KeyTask.objects.in_force()
        .filter(section__plan=plan)
        .order_by("section__position", "position")
    )
    return list(
        plan.inspection.findings.exclude(kind=Finding.Kind.STRENGTH)
        .order_by("kind", "position")
        .prefetch_related(Prefetch("tasks", queryset=tasks, to_attr="plan_tasks"))
    )


class Dashboard:
    """Everything the dashboard page shows for one plan, each part worked out when it is
    first used: a page served from the cache runs none of these queries.

    `since` is the date the user chose to compare with (None: the last meeting).
    """

    def __init__(self, plan, *, since=None, today=None):
        self.plan = plan
        self.since = since
        self.today = today or clock.today()
        self.tasks = KeyTask.objects.in_force().filter(section__plan=plan)

    def cache_key(self, *variant) -> str:
        """Names one rendering of the dashboard's body; `variant` names anything else the
        rendering shows, such as what the user typed into a form.

        It changes whenever a task is added, removed or updated, a meeting is recorded
        or removed (ActionPlanQuerySet.with_content_version), or the day changes (what is late and
        stale depends on it). Edits made outside the app's forms (in the admin: a
        section's title, a finding) show once the cached body expires (BODY_CACHE_SECONDS).
        """
        if not hasattr(self.plan, "tasks_version"):  # a plan loaded without them
            plans = ActionPlan.objects.with_content_version().filter(pk=self.plan.pk)
            versions = plans.values_list("tasks_version", "meetings_version").get()
        else:
            versions = (self.plan.tasks_version, self.plan.meetings_version)
        # The plan's own version moves with every structural edit (editing.services).
        parts = [self.plan.pk, self.plan.version, self.today, *versions, *variant]
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return f"dashboard:{self.plan.pk}:{digest}"

    @cached_property
    def meetings(self):
        return Meetings.for_area(self.plan.inspection.area_id, self.today)

    @cached_property
    def comparison(self):
        return self.meetings.comparison(self.since)

    @property
    def comparison_choices(self):
        return self.meetings.choices(self.comparison)

    @cached_property
    def summary(self):
        return Summary.build(
            self.plan,
            self.tasks,
            trend_meetings=self.meetings.past[-TREND_MEETINGS:],
            comparison=self.comparison,
            today=self.today,
        )

    @cached_property
    def chart(self):
        return trend_chart(self.summary.trend)

    @cached_property
    def sections(self):
        return list(section_counts(self.plan, self.summary.rags))

    @cached_property
    def agencies(self):
        return agency_counts(self.plan, self.summary.rags)

    @cached_property
    def _rows(self):
        return board_tasks(self.plan, comparison=self.comparison, today=self.today)

    @property
    def changed(self):
        return [t for t in self._rows if t.travel != Travel.SAME]

    @property
    def overdue(self):
        return [t for t in self._rows if t.is_overdue]

    @property
    def stale(self):
        return [t for t in self._rows if t.is_stale]

    @property
    def awaiting_confirmation(self):
        """Tasks a lead proposed as completed, waiting for a plan manager."""
        return [t for t in self._rows if t.awaiting_confirmation]

    @property
    def evidence(self):
        """How many items of evidence the plan holds, and how many tasks have any."""
        counts = [t.evidence_count for t in self._rows]
        return {"items": sum(counts), "tasks": sum(1 for n in counts if n)}

    @cached_property
    def findings(self):
        return findings_coverage(self.plan)

    @property
    def unanswered_findings(self):
        return [f for f in self.findings if not f.plan_tasks]
