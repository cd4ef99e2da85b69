"""Plan managers record the area's board meetings; bad dates are explained beside the field."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import BoardMeeting
from tests.test_task_conflicts import _in_thread, _wait_for_lock_waiter

TODAY = timezone.localdate()


def post(client, plan, day="", month="", year="", title=""):
    return client.post(
        reverse("board_meetings", args=[plan.pk]),
        {"date_day": day, "date_month": month, "date_year": year, "title": title},
    )


def test_plan_manager_records_a_past_and_the_next_meeting(client, plan_manager, stockton):
    client.force_login(plan_manager)
    following = TODAY + timedelta(days=40)

    response = post(client, stockton, "12", "7", "2018", "LSCB July")
    assert response.status_code == 302
    assert response["Location"] == reverse("board_meetings", args=[stockton.pk])
    assert (
        "Board meeting on 12 July 2018 recorded"
        in client.get(response["Location"]).content.decode()
    )
    post(client, stockton, str(following.day), str(following.month), str(following.year))

    area = stockton.inspection.area
    assert list(BoardMeeting.objects.filter(area=area).values_list("date", "title")) == [
        (date(2018, 7, 12), "LSCB July"),
        (following, ""),
    ]
    page = client.get(reverse("board_meetings", args=[stockton.pk])).content.decode()
    assert "Next" in page and "LSCB July" in page
    dashboard = client.get(reverse("dashboard", args=[stockton.pk])).content.decode()
    assert "12 July 2018" in dashboard
    assert f"{following:%-d %B %Y}" in dashboard  # the next meeting


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date of the meeting"),
        (("12", "", "2018"), "The date of the meeting must include a month"),
        (("", "", "2018"), "The date of the meeting must include a day and month"),
        (("31", "2", "2019"), "The date of the meeting must be a real date"),
        (("1", "July", "2018"), "The date of the meeting must be a real date"),
        (("1", "7", "18"), "Year must include 4 numbers"),
        (("1", "7", "1999"), "The date of the meeting must be in 2000 or later"),
        (("1", "1", str(TODAY.year + 4)), f"must be in {TODAY.year + 3} or earlier"),
    ],
)
def test_a_bad_date_is_explained_and_nothing_is_saved(
    client, plan_manager, stockton, parts, message
):
    client.force_login(plan_manager)
    response = post(client, stockton, *parts, title="Kept title")
    html = response.content.decode()

    assert response.status_code == 200
    assert message in html
    assert "<title>Error: Board meetings" in html
    assert 'href="#id_date"' in html  # the summary links to the day box
    assert 'value="Kept title"' in html  # what the user typed is kept
    assert not BoardMeeting.objects.exists()


def test_a_meeting_already_recorded_for_the_date_is_refused(client, plan_manager, stockton):
    BoardMeeting.objects.create(area=stockton.inspection.area, date=date(2018, 7, 12))
    client.force_login(plan_manager)
    html = post(client, stockton, "12", "07", "2018").content.decode()
    assert "A board meeting on 12 July 2018 is already recorded for Stockton-on-Tees" in html
    assert BoardMeeting.objects.count() == 1


def test_plan_manager_removes_a_meeting(client, plan_manager, stockton):
    meeting = BoardMeeting.objects.create(area=stockton.inspection.area, date=date(2018, 7, 12))
    client.force_login(plan_manager)
    url = reverse("board_meeting_delete", args=[stockton.pk, meeting.pk])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not BoardMeeting.objects.exists()


def test_a_meeting_of_another_area_cannot_be_removed_through_this_plan(
    client, plan_manager, stockton, other_area
):
    elsewhere = BoardMeeting.objects.create(area=other_area, date=date(2018, 7, 12))
    client.force_login(plan_manager)
    url = reverse("board_meeting_delete", args=[stockton.pk, elsewhere.pk])
    assert client.post(url).status_code == 404
    assert BoardMeeting.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize(("user", "status"), [("board_member", 403), ("police_lead", 403)])
def test_only_plan_managers_record_meetings(client, stockton, request, user, status):
    client.force_login(request.getfixturevalue(user))
    assert post(client, stockton, "12", "7", "2018").status_code == status
    assert not BoardMeeting.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_date_posted_twice_at_once_is_recorded_once_with_a_clear_error(
    plan_manager, stockton
):
    """Finding 4 of issue 11: simultaneous posts of one date were 500s (IntegrityError).

    The first post's insert is held uncommitted, so the second passes the form's own
    check and its insert waits on the unique index, then fails once the first commits.
    """
    if connection.vendor != "postgresql":
        pytest.skip("Two transactions racing for a unique index need PostgreSQL")
    area = stockton.inspection.area
    inserted, release = threading.Event(), threading.Event()

    def first_post():
        try:
            with transaction.atomic():
                BoardMeeting.objects.create(area=area, date=date(2018, 7, 12), title="First")
                inserted.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    first = threading.Thread(target=first_post)
    first.start()
    assert inserted.wait(timeout=10)
    client = Client()
    client.force_login(plan_manager)
    second, result = _in_thread(lambda: post(client, stockton, "12", "7", "2018", "Second"))
    _wait_for_lock_waiter()  # the second insert waits on the first's uncommitted row
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert "error" not in result, result
    response = result["value"]
    assert response.status_code == 200
    html = response.content.decode()
    assert "A board meeting on 12 July 2018 is already recorded for Stockton-on-Tees" in html
    assert 'value="Second"' in html  # what was typed is kept
    assert list(BoardMeeting.objects.values_list("title", flat=True)) == ["First"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_posts_of_one_date_record_it_once(plan_manager, stockton):
    """The review's run: ten managers' posts of the same date at once, no 500."""
    if connection.vendor != "postgresql":
        pytest.skip("Simultaneous transactions need PostgreSQL")
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(plan_manager)
        clients.append(client)
    start = threading.Barrier(len(clients))

    def post_at_once(client):
        start.wait(timeout=10)
        return post(client, stockton, "12", "7", "2018", "LSCB July")

    posts = [_in_thread(lambda client=client: post_at_once(client)) for client in clients]
    for thread, _ in posts:
        thread.join(timeout=30)

    results = [result for _, result in posts]
    assert all("error" not in result for result in results), results
    statuses = sorted(result["value"].status_code for result in results)
    assert statuses.count(302) == 1 and statuses.count(200) == 9, statuses
    assert BoardMeeting.objects.count() == 1
