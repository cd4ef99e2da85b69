"""The board's dashboard: ratings as at a meeting from the history, direction of travel,
what is late and stale, coverage of the findings, and a page whose cost does not grow."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actionplans.dashboard import Dashboard, agency_counts
from actionplans.models import ActionPlan, FutureAction, KeyTask, Lead, Rag
from actionplans.ratings import Travel, close_of, rag_at
from actionplans.services import TaskChange, record_update
from inspections.models import Agency, BoardMeeting, Finding

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def empty_cache():
    """The dashboard caches its body; every test starts without one."""
    cache.clear()


def days_ago(days, hour=10):
    return timezone.make_aware(datetime.combine(TODAY - timedelta(days=days), time(hour)))


def task(plan, section, position):
    return KeyTask.objects.get(section__plan=plan, section__position=section, position=position)


def rate(task, rag, at, user, reason=""):
    task.refresh_from_db()
    return record_update(
        task_id=task.pk,
        user=user,
        expected_version=task.version,
        change=TaskChange(rag=rag, reason=reason),
        at=at,
    )


def meeting(plan, days):
    return BoardMeeting.objects.create(
        area=plan.inspection.area, date=TODAY - timedelta(days=days), title=f"Board {days}"
    )


def build(plan, since=None):
    return Dashboard(plan, since=since, today=TODAY)


def rating_at(task, moment):
    return KeyTask.objects.filter(pk=task.pk).annotate(then=rag_at(moment)).get().then


# Ratings as at a moment


def test_rating_at_a_moment_is_the_one_the_latest_earlier_update_left(stockton, plan_manager):
    pvp = task(stockton, 3, 2)
    rate(pvp, Rag.AMBER, days_ago(100), plan_manager)
    rate(pvp, Rag.RED, days_ago(50), plan_manager)
    rate(pvp, Rag.GREEN, days_ago(10), plan_manager)

    assert rating_at(pvp, days_ago(60)) == Rag.AMBER
    assert rating_at(pvp, days_ago(20)) == Rag.RED
    assert rating_at(pvp, days_ago(1)) == Rag.GREEN


def test_rating_before_the_first_update_is_the_one_it_started_from(stockton, plan_manager):
    pvp = task(stockton, 3, 2)
    KeyTask.objects.filter(pk=pvp.pk).update(rag=Rag.AMBER)  # rated when the plan was agreed
    rate(pvp, Rag.RED, days_ago(50), plan_manager)

    assert rating_at(pvp, days_ago(400)) == Rag.AMBER


def test_rating_of_a_task_without_history_is_its_rating_now(stockton):
    untouched = task(stockton, 2, 1)
    KeyTask.objects.filter(pk=untouched.pk).update(rag=Rag.GREEN)

    assert rating_at(untouched, days_ago(400)) == Rag.GREEN


def test_a_task_added_after_a_moment_was_not_in_the_plan_then(stockton):
    section = stockton.sections.get(position=1)
    added = KeyTask.objects.create(section=section, position=99, description="A new task")

    assert added.created_at is not None
    assert rating_at(added, days_ago(1)) is None
    assert rating_at(added, timezone.now() + timedelta(minutes=1)) == Rag.UNRATED


def test_as_at_a_meeting_counts_updates_made_on_the_day_of_the_meeting(stockton, plan_manager):
    pvp = task(stockton, 3, 2)
    day = TODAY - timedelta(days=30)
    late_that_day = timezone.make_aware(datetime.combine(day, time(21, 30)))
    rate(pvp, Rag.RED, late_that_day, plan_manager)
    rate(pvp, Rag.GREEN, late_that_day + timedelta(hours=3), plan_manager)  # the next day

    assert rating_at(pvp, close_of(day)) == Rag.RED


def test_tasks_loaded_from_the_plan_document_were_there_from_the_start(stockton):
    assert not KeyTask.objects.filter(section__plan=stockton, created_at__isnull=False).exists()


def test_trend_counts_the_ratings_at_each_meeting(stockton, plan_manager):
    first, second = meeting(stockton, 60), meeting(stockton, 20)
    tasks = list(KeyTask.objects.filter(section__plan=stockton).order_by("pk"))
    for t in tasks[:10]:
        rate(t, Rag.AMBER, days_ago(70), plan_manager)
    for t in tasks[:4]:
        rate(t, Rag.RED, days_ago(30), plan_manager)
    rate(tasks[4], Rag.GREEN, days_ago(5), plan_manager)

    trend = build(stockton).summary.trend

    assert [point.day for point in trend] == [first.date, second.date, None]
    assert trend[0].counts.counts == {"red": 0, "amber": 10, "green": 0, "blue": 0, "unrated": 15}
    assert trend[1].counts.counts == {"red": 4, "amber": 6, "green": 0, "blue": 0, "unrated": 15}
    assert trend[2].counts.counts == {"red": 4, "amber": 5, "green": 1, "blue": 0, "unrated": 15}


def test_trend_chart_draws_each_point_to_scale_and_gives_the_numbers_as_a_table(
    client, board_member, stockton, plan_manager
):
    first = meeting(stockton, 60)
    for t in KeyTask.objects.filter(section__plan=stockton).order_by("pk")[:10]:
        rate(t, Rag.RED, days_ago(90), plan_manager)
        rate(t, Rag.GREEN, days_ago(30), plan_manager)

    chart = build(stockton).chart

    then, now = chart["bars"]
    assert [s["label"] for s in then["segments"]] == ["Behind schedule", "Not yet rated"]
    assert [s["label"] for s in now["segments"]] == ["Completed", "Not yet rated"]
    # 10 of 25 tasks, on an axis that goes up to 25: 40% of the plot's height each time.
    heights = [float(s["height"]) for s in then["segments"] + now["segments"]]
    assert heights[0] == heights[2] == pytest.approx(heights[1] * 10 / 15, abs=0.1)
    assert [t["value"] for t in chart["ticks"]] == [0, 5, 10, 15, 20, 25]

    client.force_login(board_member)
    html = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert 'role="img" aria-labelledby="trend-title trend-desc"' in html
    assert '<title id="trend-title">' in html and '<desc id="trend-desc">' in html
    assert f'Board meeting of <time datetime="{first.date:%Y-%m-%d}">' in html


# Direction of travel


@pytest.mark.parametrize(
    ("then", "now", "travel"),
    [
        (None, Rag.RED, Travel.NEW),
        (Rag.RED, Rag.RED, Travel.SAME),
        (Rag.UNRATED, Rag.UNRATED, Travel.SAME),
        (Rag.RED, Rag.AMBER, Travel.IMPROVED),
        (Rag.RED, Rag.GREEN, Travel.IMPROVED),
        (Rag.AMBER, Rag.GREEN, Travel.IMPROVED),
        (Rag.GREEN, Rag.AMBER, Travel.WORSE),
        (Rag.AMBER, Rag.RED, Travel.WORSE),
        (Rag.UNRATED, Rag.RED, Travel.FIRST_RATED),
        (Rag.AMBER, Rag.UNRATED, Travel.UNRATED),
    ],
)
def test_direction_of_travel_between_two_ratings(then, now, travel):
    assert Travel.between(then, now) == travel


def test_changes_since_the_meeting_are_counted_as_each_task_is_labelled(stockton, plan_manager):
    tasks = list(KeyTask.objects.filter(section__plan=stockton).order_by("pk"))
    ratings = [Rag.RED, Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN, Rag.RED]
    for t, rag in zip(tasks[:6], ratings, strict=True):
        rate(t, rag, days_ago(60), plan_manager)
    meeting(stockton, 30)
    rate(tasks[0], Rag.AMBER, days_ago(10), plan_manager, "Vacancies filled")  # improved
    rate(tasks[1], Rag.GREEN, days_ago(10), plan_manager, "Evidence seen")  # completed
    rate(tasks[2], Rag.RED, days_ago(10), plan_manager, "Milestone missed")  # worse
    rate(tasks[3], Rag.RED, days_ago(20), plan_manager)
    rate(tasks[3], Rag.AMBER, days_ago(5), plan_manager)  # back where it was: no change
    rate(tasks[6], Rag.AMBER, days_ago(10), plan_manager)  # first rated
    KeyTask.objects.create(section=tasks[0].section, position=50, description="New")  # new

    board = build(stockton)

    labels = {t.description: t.travel for t in board.changed}
    assert labels[tasks[0].description] == Travel.IMPROVED
    assert labels[tasks[1].description] == Travel.IMPROVED
    assert labels[tasks[2].description] == Travel.WORSE
    assert tasks[3].description not in labels
    assert labels[tasks[6].description] == Travel.FIRST_RATED
    assert labels["New"] == Travel.NEW
    counted = {travel: n for travel, n in board.summary.travel.items() if travel != "same"}
    assert counted == {t.value: n for t, n in Counter(labels.values()).items()} | {"unrated": 0}
    assert board.summary.completed == 1
    reasons = {t.description: [u.reason for u in t.rag_changes] for t in board.changed}
    assert reasons[tasks[2].description] == ["Milestone missed"]
    assert board.summary.then.counts == {"red": 3, "amber": 2, "green": 1, "blue": 0, "unrated": 19}


# Late and stale


def test_a_task_not_updated_since_the_meeting_is_stale(stockton, plan_manager):
    before, after, never = task(stockton, 3, 1), task(stockton, 3, 2), task(stockton, 3, 3)
    rate(before, Rag.AMBER, days_ago(40), plan_manager)
    rate(after, Rag.AMBER, days_ago(10), plan_manager)
    meeting(stockton, 30)

    board = build(stockton)

    stale = {t.pk for t in board.stale}
    assert before.pk in stale and never.pk in stale
    assert after.pk not in stale
    assert board.summary.stale == len(stale) == 24
    since = board.comparison.moment
    assert (
        set(
            KeyTask.objects.filter(section__plan=stockton).stale(since).values_list("pk", flat=True)
        )
        == stale
    )


def test_staleness_can_be_judged_from_a_date_the_user_picks(stockton, plan_manager):
    pvp = task(stockton, 3, 2)
    rate(pvp, Rag.AMBER, days_ago(40), plan_manager)
    meeting(stockton, 30)

    assert pvp.pk in {t.pk for t in build(stockton).stale}
    assert pvp.pk not in {t.pk for t in build(stockton, TODAY - timedelta(days=50)).stale}


def test_only_open_future_actions_past_their_target_date_are_overdue(stockton):
    FutureAction.objects.filter(task__section__plan=stockton).update(target_date=None)
    late, done, due_today, later = (task(stockton, 3, n) for n in (1, 2, 3, 4))
    for t, target, status in [
        (late, TODAY - timedelta(days=1), FutureAction.Status.OPEN),
        (done, TODAY - timedelta(days=9), FutureAction.Status.DONE),
        (due_today, TODAY, FutureAction.Status.OPEN),
        (later, TODAY + timedelta(days=9), FutureAction.Status.OPEN),
    ]:
        FutureAction.objects.create(task=t, position=9, text="x", target_date=target, status=status)

    board = build(stockton)

    assert [t.pk for t in board.overdue] == [late.pk]
    assert [a.text for a in board.overdue[0].overdue_actions] == ["x"]
    assert board.summary.overdue == 1
    assert list(KeyTask.objects.overdue(TODAY)) == [late]


# Counts by section and lead agency; findings


def test_a_task_counts_once_for_each_agency_that_leads_it(stockton):
    police = Agency.objects.get(name="Cleveland Police")
    pvp = task(stockton, 3, 2)
    Lead.objects.create(task=pvp, position=2, name="DCI").agencies.add(police)  # police twice

    counts = {a.name: a.rag_counts.total for a in agency_counts(stockton)}

    led = KeyTask.objects.filter(section__plan=stockton).led_by_agency(police.pk)
    # Six police tasks, two shared with other agencies, three for all partners.
    assert counts["Cleveland Police"] == led.count() == 11
    all_partner_tasks = 3
    assert counts["NHS England"] == 1 + all_partner_tasks


def test_findings_no_task_answers_are_flagged(stockton):
    board = build(stockton)

    needing_action = Finding.objects.filter(inspection=stockton.inspection).exclude(
        kind=Finding.Kind.STRENGTH
    )
    unanswered = needing_action.exclude(tasks__section__plan=stockton)
    assert len(board.findings) == needing_action.count() == 36
    assert {f.pk for f in board.unanswered_findings} == set(unanswered.values_list("pk", flat=True))
    assert board.unanswered_findings  # the real plan leaves some unanswered


# The page


def test_board_member_sees_counts_linked_to_the_filtered_list(client, board_member, stockton):
    police = stockton.sections.get(position=3)
    KeyTask.objects.filter(section=police).update(rag=Rag.RED)
    client.force_login(board_member)

    html = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()

    list_url = reverse("task_list", args=[stockton.pk])
    assert f'href="{list_url}?section={police.pk}&amp;rag=red">6<' in html
    assert f'href="{list_url}?rag=red">6<' in html
    assert "Behind schedule" in html  # the plan's own label
    assert "No key task answers this" in html
    assert "Record board meetings" not in html  # plan managers only


def test_plan_manager_gets_the_link_to_record_meetings(client, plan_manager, stockton):
    client.force_login(plan_manager)
    html = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert reverse("board_meetings", args=[stockton.pk]) in html
    assert "No board meeting has been recorded for Stockton-on-Tees yet" in html


def test_the_page_shows_why_a_task_changed_and_can_look_back_at_any_meeting(
    client, board_member, plan_manager, stockton
):
    pvp = task(stockton, 3, 2)
    rate(pvp, Rag.AMBER, days_ago(100), plan_manager, "Started")
    older = meeting(stockton, 90)
    rate(pvp, Rag.RED, days_ago(60), plan_manager, "Recruitment delayed")
    meeting(stockton, 30)
    client.force_login(board_member)
    url = reverse("dashboard", args=[stockton.pk])

    latest = client.get(url).content.decode()
    assert "Since the board meeting of" in latest
    assert "Recruitment delayed" not in latest  # before the last meeting

    back = client.get(url, {"since": older.date.isoformat()}).content.decode()
    assert f"Since the board meeting of {older.date:%-d %B %Y}" in back
    assert "Recruitment delayed" in back
    assert "Worse" in back


def test_a_new_update_shows_at_once_although_the_page_is_cached(
    client, board_member, plan_manager, stockton
):
    meeting(stockton, 30)
    client.force_login(board_member)
    url = reverse("dashboard", args=[stockton.pk])
    assert "Fresh reason" not in client.get(url).content.decode()

    rate(task(stockton, 3, 2), Rag.RED, timezone.now(), plan_manager, "Fresh reason")

    assert "Fresh reason" in client.get(url).content.decode()


def test_a_date_that_is_not_real_is_an_error_beside_the_field(client, board_member, stockton):
    meeting(stockton, 30)
    client.force_login(board_member)
    response = client.get(
        reverse("dashboard", args=[stockton.pk]),
        {"other_day": "31", "other_month": "2", "other_year": "2019"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Dashboard" in html
    assert "The date to compare with must be a real date" in html
    assert 'value="31"' in html  # what the user typed is kept


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "12/07/2018"}, "Choose a board meeting from the list"),
        ({"since": (TODAY + timedelta(days=3)).isoformat()}, "must be today or in the past"),
        (
            {"other_day": "1", "other_month": "1", "other_year": str(TODAY.year + 1)},
            "must be today or in the past",
        ),
    ],
)
def test_a_comparison_that_cannot_be_made_is_explained(
    client, board_member, stockton, query, message
):
    meeting(stockton, 30)
    client.force_login(board_member)
    html = client.get(reverse("dashboard", args=[stockton.pk]), query).content.decode()
    assert message in html
    assert "Since the board meeting of" in html  # and the last meeting is used meanwhile


def test_a_recorded_meeting_shows_at_once_although_the_page_is_cached(
    client, board_member, stockton
):
    client.force_login(board_member)
    url = reverse("dashboard", args=[stockton.pk])
    assert "None recorded" in client.get(url).content.decode()

    latest = meeting(stockton, 3)

    html = client.get(url).content.decode()
    assert f"Since the board meeting of {latest.date:%-d %B %Y}" in html


def test_the_plan_content_version_moves_with_tasks_and_meetings(stockton, plan_manager):
    plans = ActionPlan.objects.with_content_version()

    def versions():
        return plans.values_list("tasks_version", "meetings_version").get(pk=stockton.pk)

    before = versions()
    rate(task(stockton, 3, 2), Rag.RED, timezone.now(), plan_manager)
    after_update = versions()
    meeting(stockton, 10)
    after_meeting = versions()

    assert after_update[0] == before[0] + 1  # one update: one more version
    assert after_meeting[0] == after_update[0] and after_meeting[1] != after_update[1]


def test_health_check_answers_without_login(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


# A fixed number of queries


def grow(plan, user, *, tasks, updates, meetings):
    """More of everything the dashboard reads: tasks with leads, late future actions,
    findings answered, history, and board meetings."""
    section = plan.sections.get(position=3)
    police = Agency.objects.get(name="Cleveland Police")
    finding = Finding.objects.filter(inspection=plan.inspection, kind="improvement").first()
    start = KeyTask.objects.filter(section=section).count() + 100
    for n in range(tasks):
        t = KeyTask.objects.create(section=section, position=start + n, description=f"Grown {n}")
        Lead.objects.create(task=t, name=f"Lead {n}").agencies.add(police)
        FutureAction.objects.create(
            task=t, position=1, text="Late", target_date=TODAY - timedelta(days=3)
        )
        t.findings.add(finding)
        for u in range(updates):
            rate(t, [Rag.RED, Rag.AMBER, Rag.GREEN][u % 3], days_ago(200 - u * 10), user, f"u{u}")
    for n in range(meetings):
        BoardMeeting.objects.get_or_create(
            area=plan.inspection.area, date=TODAY - timedelta(days=25 + 15 * n)
        )


# session, user, memberships, the plan with its content version: the page from the cache
DASHBOARD_CACHED_QUERIES = 4
# ... and when rendering: meetings, ratings now/at meetings/then (one UNION), late and
# stale counts, sections, agencies' counts, agencies, tasks, leads, lead agencies, overdue
# actions, rating changes, findings, their tasks
DASHBOARD_QUERIES = DASHBOARD_CACHED_QUERIES + 13


def test_dashboard_queries_do_not_grow_with_tasks_updates_or_meetings(
    client, board_member, plan_manager, stockton, django_assert_num_queries
):
    client.force_login(board_member)
    url = reverse("dashboard", args=[stockton.pk])
    grow(stockton, plan_manager, tasks=2, updates=2, meetings=2)
    client.get(url)  # the session, warmed
    for size in ("small", "large"):
        cache.clear()
        with django_assert_num_queries(DASHBOARD_QUERIES):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(DASHBOARD_CACHED_QUERIES):
            assert client.get(url).status_code == 200
        if size == "small":
            grow(stockton, plan_manager, tasks=20, updates=6, meetings=10)
    assert BoardMeeting.objects.count() == 10
    assert KeyTask.objects.filter(section__plan=stockton).count() == 47
