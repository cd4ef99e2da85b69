"""The task page: the task as the plan shows it, and its whole history.

It answers the board's question "why did this turn red?": who changed what, for
which agency, when, from what to what, and the reason.
"""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actionplans.models import FutureAction, KeyTask
from actionplans.services import TaskChange, record_update
from tests.task_history import add_updates


@pytest.fixture
def police_task(stockton):
    return KeyTask.objects.get(description__startswith="Review capacity in the PVP")


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def page(client, user, task):
    client.force_login(user)
    response = client.get(reverse("task_detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_task_page_shows_the_task_as_the_plan_does(client, board_member, police_task):
    html = page(client, board_member, police_task)
    assert escape("Review capacity in the PVP and children's hub") in html
    for text in ["New arrangements in place", "D. Supt. PVP", "Supervision approach updated"]:
        assert text in html
    for action in police_task.future_actions.all():
        assert escape(action.text) in html
    assert "Not yet rated" in html
    assert "No updates have been made to this task" in html


def test_history_says_why_a_task_turned_red(client, board_member, police_lead, police_task):
    record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag="amber", reason="Recruitment started", new_actions=["Advert out"]),
        at=at(date(2018, 6, 28)),
    )
    record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=2,
        change=TaskChange(rag="red", reason="Two of four posts still vacant after advert"),
        at=at(date(2018, 10, 1), 14),
    )
    html = page(client, board_member, police_task)
    history = html.split('id="history"')[1]
    # Newest first: the turn to red, its reason, who and for which agency.
    assert history.index("1 October 2018") < history.index("28 June 2018")
    newest = history.split("28 June 2018")[0]
    assert "On track" in newest and "changed to" in newest and "Behind schedule" in newest
    assert "Two of four posts still vacant after advert" in newest
    assert "Police, Cleveland Police" in newest
    older = history.split("28 June 2018")[1]
    assert "Not yet rated" in older and "Recruitment started" in older and "Advert out" in older


def test_history_lists_future_actions_done_dropped_edited_and_added(
    client, board_member, plan_manager, police_task
):
    first, second, third = police_task.future_actions.order_by("position")[:3]
    record_update(
        task_id=police_task.pk,
        user=plan_manager,
        expected_version=1,
        change=TaskChange(
            completed_future_actions=[first.pk],
            dropped_future_actions={second.pk: "Budget withdrawn"},
            edited_future_actions={third.pk: ("Review third party material", date(2018, 12, 31))},
            new_future_actions=[("Audit of caseloads", date(2019, 3, 31))],
        ),
    )
    history = page(client, board_member, police_task).split('id="history"')[1]
    assert "Future actions done" in history and first.text in history
    assert "Future actions dropped" in history and "Budget withdrawn" in history
    assert "Future actions changed" in history
    assert escape(f"“{third.text}” changed to “Review third party material”") in history
    assert "31 December 2018" in history
    assert "Future actions added" in history and "31 March 2019" in history


def test_markup_in_history_is_shown_as_text(client, board_member, police_lead, police_task):
    record_update(
        task_id=police_task.pk,
        user=police_lead,
        expected_version=1,
        change=TaskChange(rag="red", reason="<img src=x onerror=alert(1)>"),
    )
    html = page(client, board_member, police_task)
    assert "<img src=x" not in html
    assert escape("<img src=x onerror=alert(1)>") in html


@pytest.mark.parametrize(
    ("user_fixture", "can_update"),
    [
        ("police_lead", True),
        ("plan_manager", True),
        ("superuser", True),
        ("council_lead", False),
        ("board_member", False),
    ],
)
def test_only_those_who_may_update_get_the_update_button(
    client, request, police_task, user_fixture, can_update
):
    html = page(client, request.getfixturevalue(user_fixture), police_task)
    assert (reverse("task_update", args=[police_task.pk]) in html) is can_update


def test_plan_page_links_each_key_task_to_its_page_and_offers_update_where_allowed(
    client, police_lead, police_task, stockton
):
    client.force_login(police_lead)
    html = client.get(reverse("plan_detail", args=[stockton.pk])).content.decode()
    assert f'href="{police_task.get_absolute_url()}"' in html
    assert len(re.findall(r'href="/tasks/\d+/"', html)) == 25
    assert f'href="{reverse("task_update", args=[police_task.pk])}"' in html
    council_task = KeyTask.objects.get(description__startswith="Increase attendance")
    assert reverse("task_update", args=[council_task.pk]) not in html


def test_query_count_does_not_grow_with_history(
    client, police_lead, police_task, django_assert_num_queries
):
    add_updates(police_task, police_lead, [1])
    client.force_login(police_lead)
    url = reverse("task_detail", args=[police_task.pk])
    client.get(url)
    with django_assert_num_queries(TASK_PAGE_QUERIES):
        client.get(url)
    add_updates(police_task, police_lead, range(2, 51))
    assert police_task.history.count() == 50
    assert FutureAction.objects.filter(task=police_task).count() > 50
    with django_assert_num_queries(TASK_PAGE_QUERIES):
        html = client.get(url).content.decode()
    assert "Change 50" in html and "Change 1<" in html


# session, user, memberships, task (with section, plan, area, updater), leads, lead
# agencies, action to date, open future actions, findings, may the user edit, history,
# evidence
TASK_PAGE_QUERIES = 12
