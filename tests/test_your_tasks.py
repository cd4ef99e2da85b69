""" "Your tasks": every key task a lead's agency leads, across every plan, and what is due.

Also where signing in takes a lead, and a fixed number of queries however many tasks.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan, FutureAction, KeyTask, Lead, PlanSection
from actionplans.services import TaskChange, record_update
from inspections.models import Agency, Area, BoardMeeting, Inspection, Membership
from tests.conftest import PASSWORD


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("your_tasks"))
    assert response.status_code == 200
    return response


def make_plan(area_name, agencies, title="Post Inspection Action Plan"):
    """A small plan of another area, with one section."""
    area = Area.objects.create(name=area_name, partnership_name=f"{area_name} LSCB")
    area.agencies.add(*agencies)
    inspection = Inspection.objects.create(
        area=area,
        fieldwork_start=date(2018, 3, 5),
        fieldwork_end=date(2018, 3, 9),
        letter_published=date(2018, 5, 1),
        report_received=date(2018, 5, 1),
    )
    plan = ActionPlan.objects.create(inspection=inspection, title=f"{area_name} {title}")
    section = PlanSection.objects.create(plan=plan, position=1, title="Actions for the police")
    return plan, section


def make_task(section, position, agency, description):
    task = KeyTask.objects.create(section=section, position=position, description=description)
    Lead.objects.create(task=task, name=agency.short_name or agency.name).agencies.add(agency)
    return task


@pytest.fixture
def police(stockton):
    return Agency.objects.get(name="Cleveland Police")


@pytest.fixture
def hartlepool(hartlepool_plan):
    """Cleveland Police also sits on Hartlepool's board (DOMAIN.md); a council task too."""
    council = Agency.objects.get(name="Hartlepool Borough Council")
    make_task(hartlepool_plan.sections.get(), 2, council, "Hartlepool: council-only task")
    return hartlepool_plan


def test_lead_sees_their_agencys_tasks_across_every_plan_grouped_by_plan(
    client, police_lead, hartlepool, stockton, police
):
    # One login, a lead membership in each area they lead in.
    Membership.objects.create(
        user=police_lead, role="lead", agency=police, area=hartlepool.inspection.area
    )
    html = page(client, police_lead).content.decode()
    assert "Hartlepool: review missing-from-home returns" in html
    assert "Hartlepool: council-only task" not in html
    assert "Review capacity in the PVP and children" in html
    # A task of "All agencies" is the police's too; a council-only task is not.
    assert "All agencies will commence a chronology" in html
    assert "Increase attendance or participation of children" not in html
    # Grouped: plan headings, then their sections as table captions.
    assert html.index(hartlepool.title) < html.index("Hartlepool: review missing")
    assert html.index(stockton.title) < html.index("Actions for Cleveland Police")
    assert html.index("Actions for Cleveland Police") < html.index("Review capacity in the PVP")


def test_lead_sees_no_tasks_of_an_area_they_do_not_lead_in(client, police_lead, hartlepool):
    # Cleveland Police is a partner of Hartlepool too, but this lead leads in Stockton only.
    html = page(client, police_lead).content.decode()
    assert "Review capacity in the PVP and children" in html
    assert "Hartlepool: review missing-from-home returns" not in html
    assert hartlepool.title not in html


def test_each_task_shows_its_rating_and_who_updated_it_last(client, police_lead, plan_manager):
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    record_update(
        task_id=task.pk,
        user=plan_manager,
        expected_version=1,
        change=TaskChange(rag="red", reason="Vacancies"),
        at=timezone.make_aware(timezone.datetime(2018, 7, 2, 10)),
    )
    html = page(client, police_lead).content.decode()
    row = html.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
    assert "Behind schedule" in row
    assert "2 July 2018" in row and "Plan" in row  # the plan manager's first name
    assert f'href="{reverse("task_update", args=[task.pk])}"' in row


def test_future_actions_overdue_or_due_by_the_next_board_meeting_are_listed(
    client, police_lead, stockton
):
    today = timezone.localdate()
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    area = stockton.inspection.area
    BoardMeeting.objects.create(area=area, date=today - timedelta(days=30), title="Last")
    BoardMeeting.objects.create(area=area, date=today + timedelta(days=20), title="Next")
    BoardMeeting.objects.create(area=area, date=today + timedelta(days=110), title="Later")
    actions = list(task.future_actions.order_by("position"))
    dates = {
        "Overdue one": today - timedelta(days=1),
        "Due on the meeting day": today + timedelta(days=20),
        "Due after the meeting": today + timedelta(days=21),
    }
    for action, (text, target) in zip(actions, dates.items(), strict=False):
        action.text, action.target_date = text, target
        action.save()
    FutureAction.objects.create(
        task=task,
        position=9,
        text="Done already",
        target_date=today - timedelta(days=5),
        status=FutureAction.Status.DONE,
    )
    html = page(client, police_lead).content.decode()
    row = html.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
    assert "Overdue one" in row and "Overdue" in row
    assert "Due on the meeting day" in row
    assert "Due after the meeting" not in row
    assert "Done already" not in row
    assert "Complete CP training" not in row  # no target date
    next_meeting = today + timedelta(days=20)
    assert f'datetime="{next_meeting:%Y-%m-%d}"' in html


def test_without_a_board_meeting_only_overdue_actions_are_listed(client, police_lead):
    today = timezone.localdate()
    task = KeyTask.objects.get(description__startswith="Review capacity in the PVP")
    first, second = task.future_actions.order_by("position")[:2]
    FutureAction.objects.filter(pk=first.pk).update(target_date=today - timedelta(days=1))
    FutureAction.objects.filter(pk=second.pk).update(target_date=today + timedelta(days=1))
    html = page(client, police_lead).content.decode()
    row = html.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
    assert first.text in row and second.text not in row
    assert "none booked" in html


def test_plan_manager_sees_every_task_of_their_area(client, plan_manager, stockton):
    response = page(client, plan_manager)
    assert len(response.context["tasks"]) == 25


def test_board_member_is_pointed_to_the_plans_they_can_read(client, board_member, stockton):
    html = page(client, board_member).content.decode()
    assert "There are no key tasks for you to update" in html
    assert f'href="{stockton.get_absolute_url()}"' in html
    assert "/update/" not in html


def test_someone_with_no_role_sees_how_to_get_one(client, outsider):
    html = page(client, outsider).content.decode()
    assert "Ask your partnership" in html


def test_the_service_navigation_links_to_your_tasks(client, board_member):
    client.force_login(board_member)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("your_tasks")}">Your tasks</a>' in html


@pytest.mark.parametrize(
    ("user_fixture", "landing"),
    [("police_lead", "your_tasks"), ("plan_manager", "home"), ("board_member", "home")],
)
def test_signing_in_takes_leads_to_their_tasks(client, request, user_fixture, landing):
    user = request.getfixturevalue(user_fixture)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_a_requested_page_wins_over_the_landing_page(client, police_lead, stockton):
    wanted = stockton.get_absolute_url()
    response = client.post(
        f"{reverse('login')}?next={wanted}", {"username": "police.lead", "password": PASSWORD}
    )
    assert response["Location"] == wanted


def test_query_count_does_not_grow_with_tasks(client, make_user, django_assert_num_queries):
    agency = Agency.objects.create(name="Test Constabulary", kind="police")
    _, section = make_plan("Testshire", [agency])
    lead = make_user("test.lead", "lead", agency=agency, area=section.plan.inspection.area)
    BoardMeeting.objects.create(
        area=section.plan.inspection.area, date=timezone.localdate() + timedelta(days=9)
    )

    def add_task(position):
        task = make_task(section, position, agency, f"Task {position}")
        FutureAction.objects.create(
            task=task, position=1, text="Due soon", target_date=timezone.localdate()
        )
        record_update(
            task_id=task.pk, user=lead, expected_version=1, change=TaskChange(new_actions=["x"])
        )

    add_task(1)
    client.force_login(lead)
    url = reverse("your_tasks")
    client.get(url)
    with django_assert_num_queries(YOUR_TASKS_QUERIES):
        response = client.get(url)
    assert len(response.context["tasks"]) == 1
    for position in range(2, 51):
        add_task(position)
    with django_assert_num_queries(YOUR_TASKS_QUERIES):
        response = client.get(url)
    assert len(response.context["tasks"]) == 50
    assert response.content.decode().count("Due soon") == 50


# session, user, memberships, tasks (with plan, section, area, updater and next meeting),
# their due future actions
YOUR_TASKS_QUERIES = 5


def test_lead_membership_is_what_makes_the_landing(client, make_user, police):
    # A lead who is also a board member still lands on their tasks.
    stockton = Area.objects.get(name="Stockton-on-Tees")
    user = make_user("both.roles", "lead", agency=police, area=stockton)
    Membership.objects.create(user=user, role="board", area=stockton)
    response = client.post(reverse("login"), {"username": "both.roles", "password": PASSWORD})
    assert response["Location"] == reverse("your_tasks")
