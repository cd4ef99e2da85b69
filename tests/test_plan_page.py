"""The plan page shows the whole plan as the board knows it, to those allowed to see it."""

import pytest
from django.urls import reverse

from actionplans.models import KeyTask


def test_login_is_required_for_every_page(client, stockton):
    for url in [
        reverse("home"),
        reverse("plan_detail", args=[stockton.pk]),
        reverse("inspection_detail", args=[stockton.inspection.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_plan_page_shows_every_task_with_leads_actions_and_target_dates(client, board_member):
    client.force_login(board_member)
    plan = board_member.memberships.get().area.inspections.get().plans.get()
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    tasks = KeyTask.objects.filter(section__plan=plan).prefetch_related(
        "leads", "action_to_date", "future_actions"
    )
    assert tasks.count() == 25
    from django.utils.html import escape

    for task in tasks:
        for paragraph in task.description_paragraphs:
            assert escape(paragraph) in html
        for lead in task.leads.all():
            assert escape(lead.name) in html
        for entry in task.action_to_date.all():
            assert escape(entry.text) in html
        for action in task.future_actions.all():
            assert escape(action.text) in html
    assert "30 June 2018" in html  # a target date read from "by 30/06/18"
    assert "Not yet rated" in html
    assert "18 April 2018" in html  # the statement due date the letter states
    for section in plan.sections.all():
        assert "<caption" in html and escape(section.title) in html


def test_home_lists_the_plans_the_user_can_see(client, police_lead, other_area_lead, stockton):
    client.force_login(police_lead)
    assert stockton.title in client.get(reverse("home")).content.decode()
    client.force_login(other_area_lead)
    assert stockton.title not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("user_fixture", ["outsider", "other_area_lead", "other_board_member"])
def test_plan_of_another_area_is_not_found(client, stockton, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("plan_detail", args=[stockton.pk])).status_code == 404
    url = reverse("inspection_detail", args=[stockton.inspection.pk])
    assert client.get(url).status_code == 404


def test_plan_page_query_count_does_not_grow_with_tasks(
    client, plan_manager, stockton, django_assert_num_queries
):
    client.force_login(plan_manager)
    url = reverse("plan_detail", args=[stockton.pk])
    client.get(url)  # warm the session
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    # Double the plan: copy every task of the first section with its entries.
    section = stockton.sections.first()
    for task in list(KeyTask.objects.filter(section__plan=stockton).prefetch_related("leads")):
        leads = list(task.leads.all())
        task.pk = None
        task.section = section
        task.position += 100 + task.section_id * 0
        while KeyTask.objects.filter(section=section, position=task.position).exists():
            task.position += 1
        task.save()
        for lead in leads:
            task.leads.create(name=lead.name, all_partners=lead.all_partners)
    assert KeyTask.objects.filter(section__plan=stockton).count() == 50
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# session, user, memberships, plan, sections, section agencies, tasks, leads, lead agencies,
# action to date, future actions, findings, editable ids, introduction, letter findings, their tasks
PLAN_PAGE_QUERIES = 16
