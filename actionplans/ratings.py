"""Ratings as at a moment, read from the tasks' history, and how they moved since.

A task's rating at a moment: the one the latest update before the moment left; for a
task whose first update came later, the one that update started from; for a task with
no history, its rating now. A task added to the plan after the moment was not in the
plan then (NULL). The moments the board compares with are its meetings, or any date.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    TextChoices,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from inspections.models import BoardMeeting

from .models import KeyTask, Rag, TaskUpdate

# The order the board reads ratings in, and the word each has in URLs and counts
# ("unrated" because the stored value is the empty string). Blue, the fourth colour,
# is shown only for a plan that uses it (`plan_rags`).
RAGS = [
    ("red", Rag.RED),
    ("amber", Rag.AMBER),
    ("green", Rag.GREEN),
    ("blue", Rag.BLUE),
    ("unrated", Rag.UNRATED),
]
RAG_PARAM = {rag: param for param, rag in RAGS}
# Worst to best: the direction of travel compares these ranks (blue, completed and
# embedded, is beyond green).
RANK = {Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 3, Rag.BLUE: 4}


def plan_rags(plan, counts=None):
    """(param, rag) of the ratings a plan shows, in the board's order: blue only for a
    plan that uses it, or when `counts` (param -> n) has blue tasks (a task can have
    been blue at a past meeting of a plan that has since stopped using blue)."""
    return [
        (param, rag)
        for param, rag in RAGS
        if rag != Rag.BLUE or plan.rag_blue_enabled or (counts or {}).get(param)
    ]


class Travel(TextChoices):
    """How a task's rating moved between a past moment and now."""

    NEW = "new", "New task"
    IMPROVED = "up", "Improved"
    WORSE = "down", "Worse"
    FIRST_RATED = "rated", "First rated"
    UNRATED = "unrated", "Rating removed"
    SAME = "same", "No change"

    @classmethod
    def between(cls, then, now) -> "Travel":
        """`then` is the rating at the past moment (None: the task was not in the plan)."""
        if then is None:
            return cls.NEW
        if then == now:
            return cls.SAME
        if then == Rag.UNRATED:
            return cls.FIRST_RATED
        if now == Rag.UNRATED:
            return cls.UNRATED
        return cls.IMPROVED if RANK[now] > RANK[then] else cls.WORSE


def close_of(day: date) -> datetime:
    """The moment a day ends, local time: "as at a meeting" includes that day's updates."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def rag_at(moment: datetime):
    """Expression: a task's rating at `moment`, from its history (NULL: not in the plan yet).

    The rating the latest update before the moment left; else the one the first update
    after it started from; else the task's rating now. Each lookup is one probe of
    taskupdate_task_time_idx (task, created_at).

    Raw SQL because a page builds this expression a dozen times, and the ORM takes
    longer to build its two subqueries than the database takes to run them. Table
    names come from the models; the moment is a parameter.
    """
    task, update = KeyTask._meta.db_table, TaskUpdate._meta.db_table
    sql = (
        f"CASE WHEN {task}.created_at >= %s THEN NULL ELSE COALESCE("  # noqa: S608
        f"(SELECT u.rag_to FROM {update} u WHERE u.task_id = {task}.id AND u.created_at < %s"
        " ORDER BY u.created_at DESC, u.id DESC LIMIT 1), "
        f"(SELECT u.rag_from FROM {update} u WHERE u.task_id = {task}.id AND u.created_at >= %s"
        f" ORDER BY u.created_at, u.id LIMIT 1), {task}.rag) END"
    )
    param = connection.ops.adapt_datetimefield_value(moment)
    return RawSQL(sql, (param, param, param), output_field=CharField())  # noqa: S611


def with_comparison(tasks, comparison):
    """Annotate `rag_then`, the rating at the comparison (the rating now without one)."""
    if comparison is None:
        return tasks.annotate(rag_then=F("rag"))
    return tasks.annotate(rag_then=rag_at(comparison.moment))


def changed_since(tasks, comparison):
    """Of tasks annotated by with_comparison(), those whose rating moved or that are new."""
    if comparison is None:
        return tasks.none()
    return tasks.filter(Q(rag_then__isnull=True) | ~Q(rag_then=F("rag")))


def rag_rank():
    """Expression ordering tasks worst first: not yet rated, red, amber, green, blue.

    Raw SQL, as `rag_at`: the ORM's Case/When cost the task list, which builds it on
    every request, more than the database takes to sort by it. The ratings are ours,
    as parameters."""
    column = f"{KeyTask._meta.db_table}.rag"
    whens = " ".join("WHEN %s THEN %s" for _ in RANK)
    params = tuple(item for rag, rank in RANK.items() for item in (str(rag), rank))
    return RawSQL(  # noqa: S611
        f"CASE {column} {whens} ELSE 0 END", params, output_field=IntegerField()
    )


def transitions(tasks, moments):
    """For each moment, how many tasks went from each rating then to each rating now.

    One query: a GROUP BY (rating then, rating now) per moment, joined with UNION ALL,
    so each task's rating at a moment is looked up once. A moment of None stands for now.
    Returns one {(then, now): count} per moment.
    """
    parts = [
        tasks.annotate(
            point=Value(i, output_field=IntegerField()),
            rag_then=F("rag") if moment is None else rag_at(moment),
        )
        .values("point", "rag_then", "rag")
        .annotate(n=Count("pk"))
        .order_by()
        for i, moment in enumerate(moments)
    ]
    matrices = [{} for _ in moments]
    for row in parts[0].union(*parts[1:], all=True):
        matrices[row["point"]][(row["rag_then"], row["rag"])] = row["n"]
    return matrices


@dataclass(frozen=True)
class Comparison:
    """What "since" means: a past board meeting, or a date the user picked."""

    day: date
    meeting: BoardMeeting | None = None

    @property
    def moment(self) -> datetime:
        return close_of(self.day)

    def __str__(self):
        if self.meeting:
            return f"the board meeting of {self.day:%-d %B %Y}"
        return f"{self.day:%-d %B %Y}"


@dataclass
class Meetings:
    """An area's board meetings either side of today (a meeting today is still to come)."""

    past: list
    upcoming: list

    @classmethod
    def for_area(cls, area_id, today: date) -> "Meetings":
        meetings = list(BoardMeeting.objects.filter(area_id=area_id).order_by("date"))
        return cls(
            past=[m for m in meetings if m.date < today],
            upcoming=[m for m in meetings if m.date >= today],
        )

    @property
    def last(self):
        return self.past[-1] if self.past else None

    @property
    def next(self):
        return self.upcoming[0] if self.upcoming else None

    def comparison(self, day: date | None = None) -> "Comparison | None":
        """Since `day` (a meeting or any date the user chose), or else since the last
        meeting; None when there is neither."""
        if day is None:
            if self.last is None:
                return None
            day = self.last.date
        return Comparison(day, next((m for m in self.past if m.date == day), None))

    def choices(self, comparison):
        """(value, label, selected) for choosing a comparison: past meetings, latest first,
        and the chosen date when it is no meeting."""
        chosen = comparison.day if comparison else None
        choices = [
            (m.date.isoformat(), f"{m.date:%-d %B %Y}", m.date == chosen)
            for m in reversed(self.past)
        ]
        if comparison and comparison.meeting is None:
            choices.insert(0, (chosen.isoformat(), f"{chosen:%-d %B %Y} (the date chosen)", True))
        return choices
