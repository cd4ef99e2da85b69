"""seed_scale_data: synthetic, clearly fake data at the requested size, for benchmarks."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actionplans.dashboard import board_tasks
from actionplans.models import ActionPlan, KeyTask, TaskUpdate
from actionplans.ratings import Meetings
from inspections.models import Agency, Area, BoardMeeting


def seed(**sizes):
    call_command(
        "seed_scale_data",
        "--areas", str(sizes.get("areas", 3)),
        "--plans-per-area", str(sizes.get("plans", 2)),
        "--tasks-per-plan", str(sizes.get("tasks", 7)),
        "--updates-per-task", str(sizes.get("updates", 4)),
        verbosity=0,
    )  # fmt: skip


def test_creates_the_requested_numbers_with_fake_names(db):
    seed(areas=3, plans=2, tasks=7, updates=4)

    assert Area.objects.count() == 3
    assert ActionPlan.objects.count() == 3 * 2
    assert KeyTask.objects.count() == 3 * 2 * 7
    assert TaskUpdate.objects.count() == 3 * 2 * 7 * 4
    for name in [
        *Area.objects.values_list("name", flat=True),
        *Agency.objects.values_list("name", flat=True),
    ]:
        assert name.startswith("Synthetic")
    assert all("fake data" in title for title in ActionPlan.objects.values_list("title", flat=True))
    # Agencies are shared between neighbouring areas, as police forces are.
    assert Agency.objects.filter(kind="police").count() == 1


def test_history_is_consistent_with_each_task(db):
    seed(areas=1, plans=1, tasks=5, updates=6)

    for task in KeyTask.objects.prefetch_related("history"):
        history = sorted(task.history.all(), key=lambda u: (u.created_at, u.pk))
        assert [u.version for u in history] == list(range(2, 8))
        assert task.version == 7 and task.rag == history[-1].rag_to
        assert all(a.rag_to == b.rag_from for a, b in zip(history, history[1:], strict=False))
        assert task.created_at is None  # in the plan from the start


def test_the_data_gives_the_dashboard_something_to_show(db):
    seed(areas=1, plans=1, tasks=12, updates=8)
    plan = ActionPlan.objects.get()
    meetings = Meetings.for_area(plan.inspection.area_id, plan.created_at.date())

    assert meetings.past and meetings.upcoming
    assert BoardMeeting.objects.count() == len(meetings.past) + len(meetings.upcoming)
    assert len(board_tasks(plan, comparison=None, today=plan.created_at.date())) == 12


def test_refuses_to_seed_twice_or_nothing(db):
    seed(areas=1, plans=1, tasks=1, updates=0)
    with pytest.raises(CommandError, match="already here"):
        seed(areas=1)
    with pytest.raises(CommandError, match="at least one"):
        call_command("seed_scale_data", "--areas", "0", verbosity=0)
